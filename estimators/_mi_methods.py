"""The registry of mutual-information estimators: one entry per method, everything else derives from it.

Each entry (:class:`MIMethod`) holds the implementation in nats, the kind of estimator, whether it
estimates conditional information, the resampling scheme under which its bootstrap interval is
valid, and a one-line description. :func:`mutual_information`, :func:`conditional_mutual_information`,
:func:`choose_method`, :func:`bootstrap_ci` and :func:`modality_report` read this table; adding an
estimator is its module, one entry here and its tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from modalinfo.typing import ArrayLike, DiscreteSpec
from modalinfo.validation import as_labels, as_samples, check_k, check_same_n

from ._discrete import CORRECTIONS, discrete_cmi_nats, discrete_mi_nats
from ._elliptical import elliptical_mi, t_copula_fit, t_copula_mi_nats
from ._ksg import ksg_cmi_nats, ksg_mi_nats
from ._mixed import gao_mi_nats, ross_mi_nats
from ._parametric import (
    block_covariance,
    copula_normal,
    copula_scores,
    gaussian_cmi_cov,
    gaussian_cmi_nats,
    gaussian_mi_cov,
    row_covariance,
)
from ._types import MIMethod

__all__ = ["KSG_MAX_DIMS", "MI_METHODS", "LABEL_KINDS", "Options", "continuous_scores", "discrete_masks"]

#: numpy dtype kinds read as labels (integers, booleans, strings, objects).
LABEL_KINDS = "biuUSO"
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


def _jittered(a: np.ndarray, name: str, opts: Options, mask: np.ndarray | None = None) -> np.ndarray:
    """Continuous columns scaled to unit variance plus ``jitter`` noise (KSG 2004; sklearn's rule).

    ``a <- a / sd(a) + jitter * max(1, mean|a / sd(a)|) * N(0, 1)`` per continuous column: the
    max-norm kNN estimators are not invariant to the scale of a column, so every column is put on
    the same scale, and ties between continuous values get probability zero. Discrete columns
    (``mask``) are kept.
    """
    cont = np.ones(a.shape[1], dtype=bool) if mask is None else ~mask
    out = a.copy()
    if not np.any(cont):
        return out
    sd = a[:, cont].std(axis=0)
    if np.any(sd == 0):
        bad = np.flatnonzero(cont)[sd == 0].tolist()
        raise ValueError(f"`{name}` has constant columns {bad}; a continuous estimate needs variation in each")
    scaled = a[:, cont] / sd
    noise = opts.gen.standard_normal(scaled.shape)
    out[:, cont] = scaled + opts.jitter * np.maximum(1.0, np.mean(np.abs(scaled), axis=0)) * noise
    return out


def _samples(*named: tuple[ArrayLike, str], ranks: bool = False) -> tuple[list[np.ndarray], int]:
    # every estimate is invariant to each column's scale; rank-based ones see only the order (no copy)
    arrays = [as_samples(a, name, unit_scale="ranks" if ranks else "columns") for a, name in named]
    return arrays, check_same_n(**{name: a for a, (_, name) in zip(arrays, named)})


def _check_gaussian_n(arrays: list[np.ndarray], names: tuple[str, ...], n: int) -> None:
    dims = sum(a.shape[1] for a in arrays)
    if n <= dims + 1:
        raise ValueError(
            f"the Gaussian estimate needs n > {' + '.join('d' + s for s in names)} + 1 = {dims + 1}; got n = {n}"
        )


def _check_variation(variances: np.ndarray, arrays: list[np.ndarray], names: tuple[str, ...]) -> None:
    """A zero variance (a constant column, or one whose copula scores are constant) names its block."""
    block = np.repeat(np.arange(len(arrays)), [a.shape[1] for a in arrays])
    flat = np.flatnonzero(variances <= 0)
    if flat.size:
        raise ValueError(
            f"`{names[block[flat[0]]]}` has a constant column; the Gaussian estimate needs variation in each"
        )


def _gaussian_covariance(arrays: list[np.ndarray], names: tuple[str, ...], n: int, copula: bool) -> np.ndarray:
    """The sample covariance of the blocks (of their copula scores for ``copula``), checked for constant columns."""
    _check_gaussian_n(arrays, names, n)
    cov = row_covariance(copula_scores(arrays)) if copula else block_covariance(arrays)
    _check_variation(np.diag(cov), arrays, names)
    return cov


def _gaussian_ready(arrays: list[np.ndarray], names: tuple[str, ...], n: int) -> list[np.ndarray]:
    """The blocks' copula scores, for the kNN estimate on copula-normalised columns."""
    _check_gaussian_n(arrays, names, n)
    scores = copula_normal(np.concatenate(arrays, axis=1))
    _check_variation(scores.var(axis=0), arrays, names)
    return np.split(scores, np.cumsum([a.shape[1] for a in arrays])[:-1], axis=1)


def _labels(*named: tuple[ArrayLike, str], correction: str) -> list[np.ndarray]:
    if correction not in CORRECTIONS:
        raise ValueError(f"`correction` must be one of {CORRECTIONS}; got {correction!r}")
    codes = [as_labels(a, name) for a, name in named]
    check_same_n(**{name: c for c, (_, name) in zip(codes, named)})
    return codes


def _mask(spec: object, d: int, name: str) -> np.ndarray:
    if isinstance(spec, (bool, np.bool_)):
        return np.full(d, bool(spec))
    m = np.asarray(spec)
    if m.dtype != bool or m.shape != (d,):
        raise ValueError(f"`{name}` must be a bool or one bool per column ({d}); got {spec!r}")
    return m.copy()


def discrete_masks(x: np.ndarray, y: np.ndarray, discrete: DiscreteSpec) -> tuple[np.ndarray, np.ndarray]:
    """Which columns of x and y are discrete: from ``discrete`` (bool or pair), else from the dtypes."""
    dx = 1 if x.ndim < 2 else x.shape[1]
    dy = 1 if y.ndim < 2 else y.shape[1]
    if discrete is None:
        return np.full(dx, x.dtype.kind in LABEL_KINDS), np.full(dy, y.dtype.kind in LABEL_KINDS)
    if isinstance(discrete, (bool, np.bool_)):
        return _mask(discrete, dx, "discrete"), _mask(discrete, dy, "discrete")
    if not isinstance(discrete, (tuple, list)) or len(discrete) != 2:
        raise ValueError(f"`discrete` must be None, a bool, or a pair (for x, for y); got {discrete!r}")
    return _mask(discrete[0], dx, "discrete[0]"), _mask(discrete[1], dy, "discrete[1]")


def _ksg(variant: int):
    def mi(x: ArrayLike, y: ArrayLike, opts: Options) -> float:
        (xa, ya), n = _samples((x, "x"), (y, "y"))
        k = check_k(opts.k, n)
        return ksg_mi_nats(_jittered(xa, "x", opts), _jittered(ya, "y", opts), k, variant)

    return mi


def _ksg_cmi(x: ArrayLike, y: ArrayLike, z: ArrayLike, opts: Options) -> float:
    (xa, ya, za), n = _samples((x, "x"), (y, "y"), (z, "z"))
    k = check_k(opts.k, n)
    return ksg_cmi_nats(_jittered(xa, "x", opts), _jittered(ya, "y", opts), _jittered(za, "z", opts), k)


def _gaussian(copula: bool):
    def mi(x: ArrayLike, y: ArrayLike, opts: Options) -> float:
        arrays, n = _samples((x, "x"), (y, "y"), ranks=copula)
        return gaussian_mi_cov(_gaussian_covariance(arrays, ("x", "y"), n, copula), arrays[0].shape[1], n)

    def cmi(x: ArrayLike, y: ArrayLike, z: ArrayLike, opts: Options) -> float:
        arrays, n = _samples((x, "x"), (y, "y"), (z, "z"), ranks=copula)
        cov = _gaussian_covariance(arrays, ("x", "y", "z"), n, copula)
        return gaussian_cmi_cov(cov, arrays[0].shape[1], arrays[1].shape[1], n)

    return mi, cmi


def _discrete_mi(x: ArrayLike, y: ArrayLike, opts: Options) -> float:
    cx, cy = _labels((x, "x"), (y, "y"), correction=opts.correction)
    return discrete_mi_nats(cx, cy, opts.correction)


def _discrete_cmi(x: ArrayLike, y: ArrayLike, z: ArrayLike, opts: Options) -> float:
    cx, cy, cz = _labels((x, "x"), (y, "y"), (z, "z"), correction=opts.correction)
    return discrete_cmi_nats(cx, cy, cz, opts.correction)


def _mixed_mi(x: ArrayLike, y: ArrayLike, opts: Options) -> float:
    (xa, ya), n = _samples((x, "x"), (y, "y"))
    k = check_k(opts.k, n)
    spec = opts.discrete if opts.discrete is not None else (False, True)
    mx, my = discrete_masks(np.asarray(x), np.asarray(y), spec)
    xp, yp = _jittered(xa, "x", opts, mx), _jittered(ya, "y", opts, my)
    if my.all() and not mx.any():
        return ross_mi_nats(xp, as_labels(y, "y"), k)
    if mx.all() and not my.any():
        return ross_mi_nats(yp, as_labels(x, "x"), k)
    return gao_mi_nats(xp, yp, k)


def continuous_scores(x: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Normal scores of every column of x and y, validated as for the copula estimate."""
    arrays, n = _samples((x, "x"), (y, "y"))
    cx, cy = _gaussian_ready(arrays, ("x", "y"), n)
    return cx, cy


def _copula_ksg_mi(x: ArrayLike, y: ArrayLike, opts: Options) -> float:
    """The larger of the elliptical-copula estimate and KSG-1 on copula-normalised marginals."""
    cx, cy = continuous_scores(x, y)
    elliptical = elliptical_mi(cx, cy).value
    if cx.shape[1] + cy.shape[1] > KSG_MAX_DIMS:
        return elliptical
    k = check_k(opts.k, cx.shape[0])
    return max(elliptical, ksg_mi_nats(_jittered(cx, "x", opts), _jittered(cy, "y", opts), k, 1))


def _t_copula_mi(x: ArrayLike, y: ArrayLike, opts: Options) -> float:
    cx, cy = continuous_scores(x, y)
    return t_copula_mi_nats(t_copula_fit(np.hstack([cx, cy])), cx.shape[1], cx.shape[0])


def _copula_ksg_cmi(x: ArrayLike, y: ArrayLike, z: ArrayLike, opts: Options) -> float:
    arrays, n = _samples((x, "x"), (y, "y"), (z, "z"))
    cx, cy, cz = _gaussian_ready(arrays, ("x", "y", "z"), n)
    k = check_k(opts.k, n)
    knn = ksg_cmi_nats(_jittered(cx, "x", opts), _jittered(cy, "y", opts), _jittered(cz, "z", opts), k)
    return max(knn, gaussian_cmi_nats(cx, cy, cz))


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
                "test finds heavy tails) and KSG-1 on copula-normalised marginals (KSG up to 20 columns)",
                _copula_ksg_mi,
                _copula_ksg_cmi,
            ),
        )
    }
)
