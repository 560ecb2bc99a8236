"""The continuous estimators of I(X; Y) and I(X; Y | Z): KSG, Gaussian, copula, t copula, RBIG and the hybrid.

Each takes the blocks as given (labels are refused by the input checks as non-numeric, or read as
numbers when numeric: ``mutual_information`` warns then) and returns nats.
"""

from __future__ import annotations

import numpy as np

from modalinfo.typing import ArrayLike
from modalinfo.validation import check_k

from ._elliptical import elliptical_mi, t_copula_fit, t_copula_mi_nats
from ._gaussianization import gaussianization_mi
from ._inputs import (
    Options,
    check_finite_information,
    check_no_atoms,
    continuous_scores,
    gaussian_covariance,
    gaussian_scores,
    jittered,
    repeated_rows,
    samples,
)
from ._ksg import ksg_cmi_nats, ksg_mi_nats
from ._parametric import gaussian_cmi_cov, gaussian_cmi_nats, gaussian_mi_cov

__all__ = [
    "KSG_MAX_DIMS",
    "copula_ksg_cmi",
    "copula_ksg_mi",
    "gaussian_estimators",
    "gaussianization",
    "ksg_cmi",
    "ksg_estimator",
    "t_copula_mi",
]

#: Above this many columns in all, "copula-ksg" leaves KSG and RBIG out: KSG is biased low there
#: (never the larger of the two), both are slow (bench/bench_mi_accuracy.py, low-rank 50x50 and 200x200 tasks).
KSG_MAX_DIMS = 20


def ksg_estimator(variant: int):
    def mi(x: ArrayLike, y: ArrayLike, opts: Options) -> float:
        (xa, ya), n = samples((x, "x"), (y, "y"))
        k = check_k(opts.k, n)
        xj, yj = jittered(xa, "x", opts.jitter, opts.gen), jittered(ya, "y", opts.jitter, opts.gen)
        check_no_atoms(xa, "x", k)
        check_no_atoms(ya, "y", k)
        check_finite_information(xa, ya)
        return ksg_mi_nats(xj, yj, k, variant)

    return mi


def ksg_cmi(x: ArrayLike, y: ArrayLike, z: ArrayLike, opts: Options) -> float:
    (xa, ya, za), n = samples((x, "x"), (y, "y"), (z, "z"))
    k = check_k(opts.k, n)
    xj, yj, zj = (jittered(a, name, opts.jitter, opts.gen) for a, name in ((xa, "x"), (ya, "y"), (za, "z")))
    for a, name in ((xa, "x"), (ya, "y"), (za, "z")):
        check_no_atoms(a, name, k)
    check_finite_information(xa, ya)
    return ksg_cmi_nats(xj, yj, zj, k)


def gaussian_estimators(copula: bool):
    def mi(x: ArrayLike, y: ArrayLike, opts: Options) -> float:
        arrays, n = samples((x, "x"), (y, "y"), ranks=copula)
        cov, dims = gaussian_covariance(arrays, ("x", "y"), n, copula)
        return gaussian_mi_cov(cov, dims[0], n)

    def cmi(x: ArrayLike, y: ArrayLike, z: ArrayLike, opts: Options) -> float:
        arrays, n = samples((x, "x"), (y, "y"), (z, "z"), ranks=copula)
        cov, dims = gaussian_covariance(arrays, ("x", "y", "z"), n, copula)
        return gaussian_cmi_cov(cov, dims[0], dims[1], n)

    return mi, cmi


def copula_ksg_mi(x: ArrayLike, y: ArrayLike, opts: Options) -> float:
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


def t_copula_mi(x: ArrayLike, y: ArrayLike, opts: Options) -> float:
    cx, cy = continuous_scores(x, y)
    return t_copula_mi_nats(t_copula_fit(np.hstack([cx, cy])), cx.shape[1], cx.shape[0])


def gaussianization(x: ArrayLike, y: ArrayLike, opts: Options) -> float:
    cx, cy = continuous_scores(x, y)
    check_finite_information(cx, cy)
    return gaussianization_mi(cx, cy).value


def copula_ksg_cmi(x: ArrayLike, y: ArrayLike, z: ArrayLike, opts: Options) -> float:
    arrays, n = samples((x, "x"), (y, "y"), (z, "z"))
    cx, cy, cz = gaussian_scores(arrays, ("x", "y", "z"), n)
    k = check_k(opts.k, n)
    gaussian = gaussian_cmi_nats(cx, cy, cz)
    if max(repeated_rows(a) for a in (cx, cy, cz)) > k:
        return gaussian
    xj, yj, zj = (jittered(a, name, opts.jitter, opts.gen) for a, name in ((cx, "x"), (cy, "y"), (cz, "z")))
    return max(ksg_cmi_nats(xj, yj, zj, k), gaussian)
