"""Estimators: data in, numbers out.

Mutual information and conditional mutual information from samples (the registry ``MI_METHODS``:
KSG-1/2, Gaussian, Gaussian-copula, Student-t copula, discrete plug-in with bias corrections,
mixed discrete-continuous, and an automatic choice), with resampling confidence intervals and
permutation nulls; partial information decomposition from samples (``PID_METHODS``) and a
per-modality information report; bounds on synergy from unimodal labeled data and unlabeled
pairs; representation quality and similarity (CKA, CCA, SVCCA, MCC,
identifiability R^2, probes, latent quality, class separability); linear encoders and heads and the
co-learning learners; learning curves, curve fits and sample-complexity ratios with bootstrap CIs.
Units are nats unless ``base`` says otherwise; arrays are (n_samples, n_features).
"""

from typing import TYPE_CHECKING

from modalinfo.lazy import attach

if TYPE_CHECKING:  # the public names, imported on first use (modalinfo.lazy)
    from ._types import (
        AutoChoice,
        ConfidenceInterval,
        GaussianFit,
        MIMethod,
        PermutationNull,
        PIDEstimate,
        PIDMethod,
        SynergyBoundsEstimate,
    )
    from .information._intervals import bootstrap_ci, permutation_null
    from .information._methods import MI_METHODS
    from .information._mi import choose_method, conditional_mutual_information, mutual_information
    from .information._pid import PID_METHODS, pid
    from .information._probe import usable_information
    from .information._report import modality_report
    from .information._synergy import synergy_bounds
    from .learning._curves import (
        CurveFit,
        LearningCurve,
        effective_sample_multiplier,
        exchange_rate,
        fit_ols_curve,
        fit_power_law,
        iso_risk_ratio,
        learning_curve,
    )
    from .learning._encoders import (
        LinearEncoder,
        LogisticHead,
        RidgeHead,
        cca_encoder,
        ols_encoder,
        pca_encoder,
        pls_encoder,
    )
    from .learning._learners import (
        LearnerResult,
        early_fusion,
        enrichment,
        late_fusion,
        missing_modality,
        translation,
        unimodal,
    )
    from .learning._missing import fit_gaussian_missing
    from .representation._probes import (
        fisher_ratio,
        identifiability_r2,
        knn_probe_accuracy,
        latent_quality,
        linear_probe,
        silhouette,
    )
    from .representation._similarity import cca_similarity, cka, mcc, svcca

__all__ = [
    "AutoChoice",
    "ConfidenceInterval",
    "CurveFit",
    "GaussianFit",
    "LearnerResult",
    "LearningCurve",
    "LinearEncoder",
    "LogisticHead",
    "MIMethod",
    "MI_METHODS",
    "PIDEstimate",
    "PIDMethod",
    "PID_METHODS",
    "PermutationNull",
    "RidgeHead",
    "SynergyBoundsEstimate",
    "bootstrap_ci",
    "cca_encoder",
    "cca_similarity",
    "choose_method",
    "cka",
    "conditional_mutual_information",
    "early_fusion",
    "effective_sample_multiplier",
    "enrichment",
    "exchange_rate",
    "fisher_ratio",
    "fit_gaussian_missing",
    "fit_ols_curve",
    "fit_power_law",
    "identifiability_r2",
    "iso_risk_ratio",
    "knn_probe_accuracy",
    "late_fusion",
    "latent_quality",
    "learning_curve",
    "linear_probe",
    "mcc",
    "missing_modality",
    "modality_report",
    "mutual_information",
    "ols_encoder",
    "pca_encoder",
    "permutation_null",
    "pid",
    "pls_encoder",
    "silhouette",
    "svcca",
    "synergy_bounds",
    "translation",
    "unimodal",
    "usable_information",
]

__getattr__, __dir__ = attach(__name__, __file__)
