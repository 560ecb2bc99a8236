"""The registry of mutual-information estimators: one entry per method, everything else derives from it.

Each entry (:class:`MIMethod`) holds the implementation in nats, the kind of estimator, whether it
estimates conditional information, the resampling scheme under which its bootstrap interval is
valid, and a one-line description. :func:`mutual_information`, :func:`conditional_mutual_information`,
:func:`choose_method`, :func:`bootstrap_ci` and :func:`modality_report` read this table; adding an
estimator is its module, one entry here and its tests. The input checks live in ``_inputs``.
"""

from __future__ import annotations

from types import MappingProxyType

from modalinfo.estimators._types import MIMethod

from ._continuous import (
    copula_ksg_cmi,
    copula_ksg_mi,
    gaussian_estimators,
    gaussianization,
    ksg_cmi,
    ksg_estimator,
    t_copula_mi,
)
from ._labels import discrete_cmi, discrete_mi, mixed_cmi, mixed_mi, probe_cmi, probe_heldout, probe_mi

__all__ = ["MI_METHODS"]

_gauss_mi, _gauss_cmi = gaussian_estimators(copula=False)
_cop_mi, _cop_cmi = gaussian_estimators(copula=True)

#: The mutual-information estimators by name (read-only); "auto" is resolved by ``choose_method``.
MI_METHODS = MappingProxyType(
    {
        m.name: m
        for m in (
            MIMethod(
                "ksg",
                "knn",
                "subsample",
                "Kraskov-Stoegbauer-Grassberger estimator 1 (max-norm kNN); conditional: Frenzel-Pompe",
                ksg_estimator(1),
                ksg_cmi,
            ),
            MIMethod(
                "ksg2",
                "knn",
                "subsample",
                "Kraskov-Stoegbauer-Grassberger estimator 2 (max-norm kNN)",
                ksg_estimator(2),
                None,
            ),
            MIMethod(
                "gaussian",
                "gaussian",
                "bootstrap",
                "bias-corrected Gaussian log-determinant estimate",
                _gauss_mi,
                _gauss_cmi,
            ),
            MIMethod(
                "copula",
                "rank",
                "bootstrap",
                "Gaussian-copula estimate on rank-normalised columns (Ince et al. 2017)",
                _cop_mi,
                _cop_cmi,
            ),
            MIMethod(
                "t-copula",
                "rank",
                "bootstrap",
                "Student-t copula fitted to rank-normalised columns (pseudo-ML); its information in closed form",
                t_copula_mi,
                None,
            ),
            MIMethod(
                "gaussianization",
                "rank",
                "bootstrap",
                "bias-corrected Gaussian estimate after iterative Gaussianization of each block (RBIG: random "
                "rotations and normal scores, Laparra et al. 2011); a lower bound when the blocks end Gaussian",
                gaussianization,
                None,
            ),
            MIMethod(
                "discrete",
                "discrete",
                "bootstrap",
                "plug-in on labels with a Miller-Madow or jackknife correction",
                discrete_mi,
                discrete_cmi,
            ),
            MIMethod(
                "mixed",
                "mixed",
                "subsample",
                "kNN with a discrete side: Ross (2014) for a label and continuous columns, Gao et al. (2017) for "
                "any mixture; conditional: the chain rule",
                mixed_mi,
                mixed_cmi,
            ),
            MIMethod(
                "probe",
                "predictive",
                "heldout",
                "usable information of a cross-fitted probe, H(Y) minus the held-out cross-entropy (Xu et al. 2020): "
                "a lower bound, for continuous columns and a class label; conditional: the chain rule",
                probe_mi,
                probe_cmi,
                probe_heldout,
            ),
            MIMethod(
                "copula-ksg",
                "hybrid",
                "subsample",
                "the larger of the Gaussian copula plus a t copula's heavy-tail excess (when a likelihood-ratio "
                "test finds heavy tails), KSG-1 on copula-normalised marginals and, when a block is not Gaussian, "
                "the Gaussian estimate after RBIG of each block (KSG and RBIG up to 20 columns)",
                copula_ksg_mi,
                copula_ksg_cmi,
            ),
        )
    }
)
