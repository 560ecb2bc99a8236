"""The registry of mutual-information estimators: one entry per method, everything else derives from it.

Each entry (:class:`MIMethod`) holds the implementation in nats, the kind of estimator, whether it
estimates conditional information, the resampling scheme under which its bootstrap interval is
valid, and a one-line description. :func:`mutual_information`, :func:`conditional_mutual_information`,
:func:`choose_method`, :func:`bootstrap_ci` and :func:`modality_report` read this table; adding an
estimator is its module, one entry here and its tests. The input checks live in ``_inputs``.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from modalinfo.estimators._types import MIMethod
from modalinfo.typing import ArrayLike, DiscreteSpec
from modalinfo.validation import check_k, check_same_n

from ._discrete import CORRECTIONS, discrete_cmi_nats, discrete_mi_nats
from ._elliptical import elliptical_mi, t_copula_fit, t_copula_mi_nats
from ._gaussianization import gaussianization_mi
from ._inputs import (
    check_finite_information,
    check_no_atoms,
    continuous_scores,
    discrete_masks,
    gaussian_covariance,
    gaussian_scores,
    jittered,
    label_codes,
    repeated_rows,
    samples,
)
from ._ksg import ksg_cmi_nats, ksg_mi_nats
from ._mixed import gao_mi_nats, ross_mi_nats
from ._parametric import gaussian_cmi_cov, gaussian_cmi_nats, gaussian_mi_cov

__all__ = ["KSG_MAX_DIMS", "MI_METHODS", "Options"]

#: Above this many columns in all, "copula-ksg" leaves KSG out: it is biased low there (never the
#: larger of the two) and slow (bench/bench_mi_accuracy.py, low-rank 50x50 and 200x200 tasks).
KSG_MAX_DIMS = 20


@dataclass(frozen=True)
class Options:
    """The validated options every implementation receives."""

    k: int
    gen: np.random.Generator
    discrete: DiscreteSpec
    correction: str
    jitter: float


def _codes(*named: tuple[ArrayLike, str], correction: str) -> list[np.ndarray]:
    if correction not in CORRECTIONS:
        raise ValueError(f"`correction` must be one of {CORRECTIONS}; got {correction!r}")
    codes = [label_codes(a, name) for a, name in named]
    check_same_n(**{name: c for c, (_, name) in zip(codes, named)})
    return codes


def _ksg(variant: int):
    def mi(x: ArrayLike, y: ArrayLike, opts: Options) -> float:
        (xa, ya), n = samples((x, "x"), (y, "y"))
        k = check_k(opts.k, n)
        xj, yj = jittered(xa, "x", opts.jitter, opts.gen), jittered(ya, "y", opts.jitter, opts.gen)
        check_no_atoms(xa, "x", k)
        check_no_atoms(ya, "y", k)
        check_finite_information(xa, ya)
        return ksg_mi_nats(xj, yj, k, variant)

    return mi


def _ksg_cmi(x: ArrayLike, y: ArrayLike, z: ArrayLike, opts: Options) -> float:
    (xa, ya, za), n = samples((x, "x"), (y, "y"), (z, "z"))
    k = check_k(opts.k, n)
    xj, yj, zj = (jittered(a, name, opts.jitter, opts.gen) for a, name in ((xa, "x"), (ya, "y"), (za, "z")))
    for a, name in ((xa, "x"), (ya, "y"), (za, "z")):
        check_no_atoms(a, name, k)
    check_finite_information(xa, ya)
    return ksg_cmi_nats(xj, yj, zj, k)


def _gaussian(copula: bool):
    def mi(x: ArrayLike, y: ArrayLike, opts: Options) -> float:
        arrays, n = samples((x, "x"), (y, "y"), ranks=copula)
        return gaussian_mi_cov(gaussian_covariance(arrays, ("x", "y"), n, copula), arrays[0].shape[1], n)

    def cmi(x: ArrayLike, y: ArrayLike, z: ArrayLike, opts: Options) -> float:
        arrays, n = samples((x, "x"), (y, "y"), (z, "z"), ranks=copula)
        cov = gaussian_covariance(arrays, ("x", "y", "z"), n, copula)
        return gaussian_cmi_cov(cov, arrays[0].shape[1], arrays[1].shape[1], n)

    return mi, cmi


def _discrete_mi(x: ArrayLike, y: ArrayLike, opts: Options) -> float:
    cx, cy = _codes((x, "x"), (y, "y"), correction=opts.correction)
    return discrete_mi_nats(cx, cy, opts.correction)


def _discrete_cmi(x: ArrayLike, y: ArrayLike, z: ArrayLike, opts: Options) -> float:
    cx, cy, cz = _codes((x, "x"), (y, "y"), (z, "z"), correction=opts.correction)
    return discrete_cmi_nats(cx, cy, cz, opts.correction)


def _integral(a: np.ndarray) -> bool:
    """Float values that can be labels: finite, integral, below 2**53."""
    return bool(
        a.dtype.kind == "f" and np.all(np.isfinite(a)) and np.all(a == np.round(a)) and np.all(np.abs(a) < 2.0**53)
    )


def _mixed_masks(x: np.ndarray, y: np.ndarray, discrete: DiscreteSpec) -> tuple[np.ndarray, np.ndarray]:
    """The discrete columns for the mixed estimator: ``discrete``, else the dtypes, else an integral-float side.

    The mixed estimator needs a discrete side; when the dtypes name none, a side of integral floats
    (y first) is taken as labels, else the call is refused.
    """
    mx, my = discrete_masks(x, y, discrete)
    if discrete is None and not (mx.any() or my.any()):
        if _integral(y):
            my[:] = True
        elif _integral(x):
            mx[:] = True
        else:
            raise ValueError(
                "method='mixed' needs a discrete side: `x` or `y` with integer, bool or string labels, or "
                "`discrete=` naming the discrete columns; both are continuous here (use 'ksg' or 'auto')"
            )
    return mx, my


def _mixed_mi(x: ArrayLike, y: ArrayLike, opts: Options) -> float:
    xs, ys = np.asarray(x), np.asarray(y)
    mx, my = _mixed_masks(xs, ys, opts.discrete)
    if my.all() and not mx.any():  # Ross (2014): continuous x, labels y
        (xa,), n = samples((x, "x"))
        codes = label_codes(y, "y")
        check_same_n(x=xa, y=codes)
        return ross_mi_nats(jittered(xa, "x", opts.jitter, opts.gen), codes, check_k(opts.k, n))
    if mx.all() and not my.any():
        (ya,), n = samples((y, "y"))
        codes = label_codes(x, "x")
        check_same_n(x=codes, y=ya)
        return ross_mi_nats(jittered(ya, "y", opts.jitter, opts.gen), codes, check_k(opts.k, n))
    (xa, ya), n = samples((x, "x"), (y, "y"))
    k = check_k(opts.k, n)
    check_finite_information(xa[:, ~mx], ya[:, ~my])
    return gao_mi_nats(jittered(xa, "x", opts.jitter, opts.gen, mx), jittered(ya, "y", opts.jitter, opts.gen, my), k)


def _copula_ksg_mi(x: ArrayLike, y: ArrayLike, opts: Options) -> float:
    """The larger of the elliptical-copula estimate, KSG-1 on copula-normalised marginals and RBIG.

    KSG and RBIG are left out above ``KSG_MAX_DIMS`` columns; RBIG counts only when its normality
    test re-mapped a column (else it is the Gaussian copula); KSG is left out where a block repeats
    a row more than k times (tied values share a normal score: atoms, which KSG does not model).
    """
    cx, cy = continuous_scores(x, y)
    elliptical = elliptical_mi(cx, cy).value
    k = check_k(opts.k, cx.shape[0])
    if cx.shape[1] + cy.shape[1] > KSG_MAX_DIMS:
        return elliptical
    rbig = gaussianization_mi(cx, cy)
    best = max(elliptical, rbig.value) if sum(rbig.remapped) else elliptical
    if max(repeated_rows(cx), repeated_rows(cy)) > k:
        return best
    knn = ksg_mi_nats(jittered(cx, "x", opts.jitter, opts.gen), jittered(cy, "y", opts.jitter, opts.gen), k, 1)
    return max(best, knn)


def _t_copula_mi(x: ArrayLike, y: ArrayLike, opts: Options) -> float:
    cx, cy = continuous_scores(x, y)
    return t_copula_mi_nats(t_copula_fit(np.hstack([cx, cy])), cx.shape[1], cx.shape[0])


def _gaussianization_mi(x: ArrayLike, y: ArrayLike, opts: Options) -> float:
    cx, cy = continuous_scores(x, y)
    check_finite_information(cx, cy)
    return gaussianization_mi(cx, cy).value


def _copula_ksg_cmi(x: ArrayLike, y: ArrayLike, z: ArrayLike, opts: Options) -> float:
    arrays, n = samples((x, "x"), (y, "y"), (z, "z"))
    cx, cy, cz = gaussian_scores(arrays, ("x", "y", "z"), n)
    k = check_k(opts.k, n)
    gaussian = gaussian_cmi_nats(cx, cy, cz)
    if max(repeated_rows(a) for a in (cx, cy, cz)) > k:
        return gaussian
    xj, yj, zj = (jittered(a, name, opts.jitter, opts.gen) for a, name in ((cx, "x"), (cy, "y"), (cz, "z")))
    return max(ksg_cmi_nats(xj, yj, zj, k), gaussian)


_gauss_mi, _gauss_cmi = _gaussian(copula=False)
_cop_mi, _cop_cmi = _gaussian(copula=True)

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
                _ksg(1),
                _ksg_cmi,
            ),
            MIMethod(
                "ksg2", "knn", "subsample", "Kraskov-Stoegbauer-Grassberger estimator 2 (max-norm kNN)", _ksg(2), None
            ),
            MIMethod(
                "gaussian",
                "parametric",
                "bootstrap",
                "bias-corrected Gaussian log-determinant estimate",
                _gauss_mi,
                _gauss_cmi,
            ),
            MIMethod(
                "copula",
                "parametric",
                "bootstrap",
                "Gaussian-copula estimate on rank-normalised columns (Ince et al. 2017)",
                _cop_mi,
                _cop_cmi,
            ),
            MIMethod(
                "t-copula",
                "parametric",
                "bootstrap",
                "Student-t copula fitted to rank-normalised columns (pseudo-ML); its information in closed form",
                _t_copula_mi,
                None,
            ),
            MIMethod(
                "gaussianization",
                "parametric",
                "bootstrap",
                "bias-corrected Gaussian estimate after iterative Gaussianization of each block (RBIG: random "
                "rotations and normal scores, Laparra et al. 2011); a lower bound when the blocks end Gaussian",
                _gaussianization_mi,
                None,
            ),
            MIMethod(
                "discrete",
                "plug-in",
                "bootstrap",
                "plug-in on labels with a Miller-Madow or jackknife correction",
                _discrete_mi,
                _discrete_cmi,
            ),
            MIMethod(
                "mixed",
                "knn",
                "subsample",
                "discrete and continuous columns: Ross (2014) or Gao et al. (2017) kNN",
                _mixed_mi,
                None,
            ),
            MIMethod(
                "copula-ksg",
                "hybrid",
                "subsample",
                "the larger of the Gaussian copula plus a t copula's heavy-tail excess (when a likelihood-ratio "
                "test finds heavy tails), KSG-1 on copula-normalised marginals and, when a block is not Gaussian, "
                "the Gaussian estimate after RBIG of each block (KSG and RBIG up to 20 columns)",
                _copula_ksg_mi,
                _copula_ksg_cmi,
            ),
        )
    }
)
