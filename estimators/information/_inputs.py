"""Input helpers of the information estimators: every check of samples and labels, written once.

- :func:`label_codes`: the one verdict on discrete input, shared by ``mutual_information``,
  ``conditional_mutual_information``, ``pid`` and ``synergy_bounds``;
- :func:`looks_like_labels`, :func:`discrete_masks`: which inputs are class labels (by their
  type) and which columns are discrete, from ``discrete=`` or the types;
- :func:`samples`: continuous blocks as float arrays with the same number of rows;
- :func:`jittered`: the kNN estimators' unit scale and tie-breaking noise;
- :func:`check_no_atoms`, :func:`check_finite_information`: the kNN estimators' refusal of data
  they cannot estimate (rows repeated beyond k; a column that is a monotone copy of another:
  infinite information);
- :func:`gaussian_covariance`, :func:`gaussian_scores`, :func:`continuous_scores`: the checked
  sample covariance and normal scores of the parametric estimators.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
from scipy.linalg import qr

from modalinfo.typing import ArrayLike, DiscreteSpec
from modalinfo.validation import as_labels, as_samples, check_same_n

from ._parametric import block_covariance, copula_normal, copula_scores, row_covariance

__all__ = [
    "Options",
    "check_finite_information",
    "check_levels",
    "check_no_atoms",
    "continuous_scores",
    "discrete_masks",
    "gaussian_covariance",
    "gaussian_scores",
    "jittered",
    "integral_floats",
    "label_codes",
    "level_limit",
    "looks_like_labels",
    "repeated_rows",
    "samples",
]


@dataclass(frozen=True)
class Options:
    """The validated options every estimator implementation receives."""

    k: int
    gen: np.random.Generator
    discrete: DiscreteSpec
    correction: str
    jitter: float

    def fresh(self) -> Options:
        """The same options with a copy of the generator in its current state.

        Two parts of one estimate (the two terms of a chain rule) and two calls with the same
        seed then draw the same folds and the same jitter, so that their parts agree exactly.
        """
        return Options(self.k, copy.deepcopy(self.gen), self.discrete, self.correction, self.jitter)


def level_limit(n: int) -> int:
    """The most distinct values a discrete variable of n samples may take for a plug-in estimate.

    Two samples per value on average, and five per value beyond 64 values: ``max(min(64, n // 2),
    n // 5)``. Above it the plug-in tables are mostly empty or single counts (every row its own
    label gives log n nats whatever the dependence), and the variable looks continuous.
    """
    return max(min(64, n // 2), n // 5)


def check_levels(m: int, n: int, name: str) -> None:
    """Refuse a discrete variable with too many distinct values for n samples (:func:`level_limit`)."""
    limit = level_limit(n)
    if m > limit:
        raise ValueError(
            f"`{name}` has {m} distinct values in {n} samples (a plug-in estimate allows at most {limit}: "
            "two samples per value, five beyond 64 values): it looks continuous; use method='auto', 'mixed' or a "
            "continuous method, or bin it"
        )


def label_codes(a: ArrayLike, name: str) -> np.ndarray:
    """Codes 0..m-1 of a discrete variable, after the checks every estimator applies to discrete input.

    Labels as :func:`modalinfo.validation.as_labels` reads them (integers, booleans, strings,
    objects, integral floats below 2**53), at least two samples, and at most
    :func:`level_limit` distinct values (rows, for a 2-D array).
    """
    codes = as_labels(a, name)
    n = codes.shape[0]
    if n < 2:
        raise ValueError(f"`{name}` needs at least 2 samples; got {n}")
    check_levels(int(codes.max()) + 1, n, name)
    return codes


def _mask(spec: object, d: int, name: str) -> np.ndarray:
    if isinstance(spec, (bool, np.bool_)):
        return np.full(d, bool(spec))
    m = np.asarray(spec)
    if m.dtype != bool or m.shape != (d,):
        raise ValueError(f"`{name}` must be a bool or one bool per column ({d}); got {spec!r}")
    return m.copy()


def looks_like_labels(a: object) -> bool:
    """Whether an input holds class labels, by its type: categorical, string, object or boolean data, or
    integers with few distinct rows (at most :func:`level_limit`; more look like counts or pixel values)."""
    if getattr(getattr(a, "dtype", None), "name", "") == "category":
        return True
    arr = np.asarray(a)
    if arr.dtype.kind in "USOb":
        return True
    if arr.dtype.kind not in "iu" or arr.ndim not in (1, 2) or arr.size == 0:
        return False
    rows = arr.reshape(arr.shape[0], -1)
    distinct = np.unique(rows[:, 0]).size if rows.shape[1] == 1 else np.unique(rows, axis=0).shape[0]
    return distinct <= level_limit(arr.shape[0])


def integral_floats(a: object, most: int = 20) -> int:
    """The number of distinct values of a one-column float input whose values are all integral and at most
    ``most`` of them (a class label stored as floats), else 0."""
    arr = np.asarray(a)
    if arr.dtype.kind != "f" or arr.size == 0 or (arr.ndim == 2 and arr.shape[1] != 1) or arr.ndim > 2:
        return 0
    if not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr)):
        return 0
    distinct = np.unique(arr).size
    return distinct if distinct <= most else 0


def discrete_masks(x: ArrayLike, y: ArrayLike, discrete: DiscreteSpec) -> tuple[np.ndarray, np.ndarray]:
    """Which columns of x and y are discrete: from ``discrete`` (bool or pair), else each side as a whole by
    :func:`looks_like_labels`."""
    dx, dy = (1 if np.ndim(a) < 2 else np.shape(a)[1] for a in (x, y))
    if discrete is None:
        return np.full(dx, looks_like_labels(x)), np.full(dy, looks_like_labels(y))
    if isinstance(discrete, (bool, np.bool_)):
        return _mask(discrete, dx, "discrete"), _mask(discrete, dy, "discrete")
    if not isinstance(discrete, (tuple, list)) or len(discrete) != 2:
        raise ValueError(f"`discrete` must be None, a bool, or a pair (for x, for y); got {discrete!r}")
    return _mask(discrete[0], dx, "discrete[0]"), _mask(discrete[1], dy, "discrete[1]")


def samples(*named: tuple[ArrayLike, str], ranks: bool = False) -> tuple[list[np.ndarray], int]:
    """Continuous blocks as float arrays (n, d) with the same n, constant columns dropped.

    Every estimate is invariant to each column's scale, so columns are rescaled by powers of two
    (exactly); rank-based estimates see only the order (``ranks``: no copy). A constant column
    carries no information (``I(X, c; Y) = I(X; Y)``), so it is dropped; a block whose every
    column is constant is refused. Sparse features (pixels that are 0 in most rows, and in every
    row of a resample) thus never block an estimate.
    """
    arrays = [as_samples(a, name, unit_scale="ranks" if ranks else "columns") for a, name in named]
    n = check_same_n(**{name: a for a, (_, name) in zip(arrays, named)})
    for i, (a, (_, name)) in enumerate(zip(arrays, named)):
        varies = np.any(a != a[:1], axis=0)
        if not varies.any():
            raise ValueError(
                f"`{name}` is constant (every column has one value in the {n} rows): it carries no information"
            )
        if not varies.all():
            arrays[i] = a[:, varies]
    return arrays, n


def jittered(
    a: np.ndarray, name: str, jitter: float, gen: np.random.Generator, mask: np.ndarray | None = None
) -> np.ndarray:
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
    noise = gen.standard_normal(scaled.shape)
    out[:, cont] = scaled + jitter * np.maximum(1.0, np.mean(np.abs(scaled), axis=0)) * noise
    return out


def repeated_rows(a: np.ndarray) -> int:
    """The largest number of times one row of ``a`` (n, d) occurs (1 when every row is distinct).

    One sort of the first column settles the common case (continuous data: all distinct); the rows
    are compared in full only when that column repeats.
    """
    first = np.sort(a[:, 0])
    if a.shape[0] < 2 or not np.any(first[1:] == first[:-1]):
        return 1
    _, counts = np.unique(a, axis=0, return_counts=True)
    return int(counts.max())


def _monotone_copy(x: np.ndarray, y: np.ndarray) -> tuple[int, int] | None:
    """(i, j) when column j of y is a strictly monotone function of column i of x (the same stable order)."""
    orders = {np.argsort(x[:, i], kind="stable").tobytes(): i for i in range(x.shape[1])}
    for j in range(y.shape[1]):
        for sign in (1.0, -1.0):
            i = orders.get(np.argsort(sign * y[:, j], kind="stable").tobytes())
            if i is not None:
                return i, j
    return None


def check_no_atoms(a: np.ndarray, name: str, k: int) -> None:
    """Refuse a block with a row repeated more than k times: a continuous kNN estimate cannot use it.

    Such a row puts its k nearest neighbours at distance zero: the data have atoms (discrete
    values), which the continuous kNN estimators do not model (their estimate then follows the
    tie-breaking jitter). Gao et al.'s mixed estimator is made for them.
    """
    repeats = repeated_rows(a)
    if repeats > k:
        raise ValueError(
            f"`{name}` has a row repeated {repeats} times (more than k = {k}): the data have atoms (discrete "
            "values) that a continuous kNN estimate cannot handle; use method='mixed' (Gao et al. 2017), "
            "'discrete' or 'auto'"
        )


def check_finite_information(x: np.ndarray, y: np.ndarray, names: tuple[str, str] = ("x", "y")) -> None:
    """Refuse infinite information: a column of y that is a strictly monotone function of a column of x.

    ``y = x`` or ``y = exp(x)`` makes I(X; Y) infinite; a kNN estimate would return a large finite
    number (about log n). Found by comparing the stable sort orders of the columns.
    """
    pair = _monotone_copy(x, y)
    if pair is not None:
        i, j = pair
        raise ValueError(
            f"column {j} of `{names[1]}` is a strictly monotone function of column {i} of `{names[0]}`: "
            "the mutual information is infinite"
        )


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


#: A column whose residual variance, given the earlier columns of its block, is below this share of its
#: variance is a linear combination of them: it adds no information and is dropped.
DEPENDENT_RTOL = 1e-10


def _independent_columns(block: np.ndarray) -> np.ndarray:
    """Indices of a maximal set of linearly independent columns of a covariance block (pivoted QR)."""
    sd = np.sqrt(np.diag(block))
    _, r, pivots = qr(block / np.outer(sd, sd), pivoting=True)
    diag = np.abs(np.diag(r))
    return np.sort(pivots[: int(np.sum(diag > DEPENDENT_RTOL * diag[0]))])


def gaussian_covariance(
    arrays: list[np.ndarray], names: tuple[str, ...], n: int, copula: bool
) -> tuple[np.ndarray, list[int]]:
    """(covariance, block dimensions): the sample covariance of the blocks (of their copula scores for ``copula``).

    Within each block, columns that are linear combinations of the others carry no further
    information (``I(X; Y) = I(X'; Y)`` for a subset X' that spans X), so they are dropped: sparse
    or duplicated features, and resamples where two columns happen to coincide, never block an
    estimate. Dependence across blocks (a column of y that is a combination of columns of x) is
    infinite information and stays an error.
    """
    _check_gaussian_n(arrays, names, n)
    cov = row_covariance(copula_scores(arrays)) if copula else block_covariance(arrays)
    _check_variation(np.diag(cov), arrays, names)
    bounds = np.cumsum([0] + [a.shape[1] for a in arrays])
    keep = [start + _independent_columns(cov[start:stop, start:stop]) for start, stop in zip(bounds, bounds[1:])]
    idx = np.concatenate(keep)
    cov = cov[np.ix_(idx, idx)]
    if _independent_columns(cov).size < idx.size:
        raise ValueError(
            "a column of one block is a linear combination of columns of the others: the information between "
            "them is infinite"
        )
    return cov, [k.size for k in keep]


def gaussian_scores(arrays: list[np.ndarray], names: tuple[str, ...], n: int) -> list[np.ndarray]:
    """The blocks' copula scores, for the kNN estimate on copula-normalised columns."""
    _check_gaussian_n(arrays, names, n)
    scores = copula_normal(np.concatenate(arrays, axis=1))
    _check_variation(scores.var(axis=0), arrays, names)
    return np.split(scores, np.cumsum([a.shape[1] for a in arrays])[:-1], axis=1)


def continuous_scores(x: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Normal scores of every column of x and y, validated as for the copula estimate."""
    arrays, n = samples((x, "x"), (y, "y"))
    cx, cy = gaussian_scores(arrays, ("x", "y"), n)
    return cx, cy
