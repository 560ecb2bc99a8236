"""Input checks shared by every layer of modalinfo (theory, estimators, simulations).

Every checker raises :class:`ValueError` naming the parameter, what is allowed and what was
received; the numerical kernels behind the public functions assume validated input. The module
is public so that code extending modalinfo (a new estimator, model or experiment) validates its
input the same way.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

import numpy as np

from .typing import ArrayLike, SeedLike

__all__ = [
    "FLOAT_INTEGER_LIMIT",
    "LABEL_KINDS",
    "MAGNITUDE_RANGE",
    "PMF_ATOL",
    "SINGULAR_RTOL",
    "SYMMETRY_RTOL",
    "as_labels",
    "as_samples",
    "check_covariance",
    "check_disjoint",
    "check_finite",
    "check_indices",
    "check_int",
    "check_k",
    "check_level",
    "check_n_resamples",
    "check_pmf",
    "check_positive",
    "check_same_n",
    "log_base",
    "resolve_rng",
    "unit_name",
]

#: Relative tolerance for the symmetry of a covariance matrix (scaled by its largest entry).
SYMMETRY_RTOL = 1e-10
#: A covariance whose smallest eigenvalue is below this fraction of its largest is singular.
SINGULAR_RTOL = 1e-12
#: Absolute tolerance on the total mass of a probability table.
PMF_ATOL = 1e-9


def log_base(base: float) -> float:
    """Return ``log(base)`` for unit conversion, after checking the base.

    Quantities are computed in nats and divided by ``log(base)``: ``base=e`` gives nats,
    ``base=2`` bits.
    """
    if isinstance(base, bool) or not isinstance(base, numbers.Real):
        raise ValueError(f"`base` must be a real number > 0 and != 1; got {base!r}")
    base = float(base)
    if not math.isfinite(base) or base <= 0.0 or base == 1.0:
        raise ValueError(f"`base` must be a finite number > 0 and != 1; got {base!r}")
    return math.log(base)


def unit_name(base: float) -> str:
    """Name of the unit of information for a logarithm base."""
    if base == 2:
        return "bits"
    if base == math.e:
        return "nats"
    if base == 10:
        return "hartleys"
    return f"log-base-{base:g} units"


def _real(value: object, name: str) -> np.ndarray:
    """``value`` as a float array, after checking it holds real numbers (not strings, complex or objects)."""
    arr = np.asarray(value)
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"`{name}` must hold real numbers; got an array of dtype {arr.dtype}")
    return arr.astype(float, copy=False)


def check_covariance(cov: object, name: str = "cov") -> np.ndarray:
    """Return ``cov`` as a float array after checking it is a valid, non-singular covariance.

    A covariance must be a finite, square, symmetric (to ``SYMMETRY_RTOL`` of its largest entry)
    and positive definite matrix whose smallest eigenvalue exceeds ``SINGULAR_RTOL`` times its
    largest.
    """
    arr = _real(cov, name)
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1] or arr.shape[0] == 0:
        raise ValueError(f"`{name}` must be a non-empty square 2-D matrix; got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"`{name}` must contain only finite values; it has NaN or inf entries")
    scale = float(np.max(np.abs(arr)))
    asym = float(np.max(np.abs(arr - arr.T)))
    if asym > SYMMETRY_RTOL * max(scale, 1e-300):
        raise ValueError(
            f"`{name}` must be symmetric; the largest |cov - cov.T| is {asym:.3g} "
            f"(relative {asym / max(scale, 1e-300):.3g}, allowed {SYMMETRY_RTOL:g})"
        )
    arr = 0.5 * (arr + arr.T)
    eig = np.linalg.eigvalsh(arr)
    if eig[-1] <= 0.0:
        raise ValueError(f"`{name}` must be positive definite; its largest eigenvalue is {eig[-1]:.3g}")
    if eig[0] < -SINGULAR_RTOL * eig[-1]:
        raise ValueError(
            f"`{name}` must be positive semi-definite (and non-singular); its smallest eigenvalue is {eig[0]:.3g}"
        )
    if eig[0] <= SINGULAR_RTOL * eig[-1]:
        raise ValueError(
            f"`{name}` is singular: its smallest eigenvalue {eig[0]:.3g} is below "
            f"{SINGULAR_RTOL:g} times its largest ({eig[-1]:.3g}); information is infinite or undefined"
        )
    return arr


def check_indices(indices: object, size: int, name: str, *, allow_empty: bool = False) -> tuple[int, ...]:
    """Return ``indices`` as a tuple of distinct ints in ``[0, size)``."""
    if isinstance(indices, (numbers.Integral, np.integer)) and not isinstance(indices, bool):
        indices = (indices,)
    if isinstance(indices, (str, bytes)) or not isinstance(indices, (Sequence, np.ndarray)):
        raise ValueError(f"`{name}` must be a sequence of integer indices; got {indices!r}")
    out = []
    for i in indices:
        if isinstance(i, (bool, np.bool_)) or not isinstance(i, (numbers.Integral, np.integer)):
            raise ValueError(f"`{name}` must contain integers; got {i!r}")
        if not 0 <= int(i) < size:
            raise ValueError(f"`{name}` has index {int(i)}, outside [0, {size})")
        out.append(int(i))
    if len(set(out)) != len(out):
        raise ValueError(f"`{name}` has repeated indices: {out}")
    if not out and not allow_empty:
        raise ValueError(f"`{name}` must name at least one index; got an empty sequence")
    return tuple(out)


def check_disjoint(**groups: tuple[int, ...]) -> None:
    """Raise if any two of the named index groups share an index."""
    names = list(groups)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            common = sorted(set(groups[a]) & set(groups[b]))
            if common:
                raise ValueError(f"`{a}` and `{b}` must be disjoint; both contain {common}")


def check_pmf(p: object, ndim: int = 3, name: str = "p") -> np.ndarray:
    """Return ``p`` as a float array after checking it is a probability table with ``ndim`` axes."""
    arr = _real(p, name)
    if arr.ndim != ndim:
        raise ValueError(f"`{name}` must be a {ndim}-D probability table; got {arr.ndim} dimensions")
    if arr.size == 0:
        raise ValueError(f"`{name}` must not be empty; got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"`{name}` must contain only finite values; it has NaN or inf entries")
    if np.any(arr < 0):
        raise ValueError(f"`{name}` must be non-negative; its smallest entry is {arr.min():.3g}")
    total = float(arr.sum())
    if abs(total - 1.0) > PMF_ATOL:
        raise ValueError(f"`{name}` must sum to 1 (within {PMF_ATOL:g}); it sums to {total!r}")
    return arr / total


def check_positive(value: object, name: str, *, allow_zero: bool = False) -> float:
    """Return ``value`` as a float after checking it is finite and > 0 (or >= 0)."""
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        raise ValueError(f"`{name}` must be a real number; got {value!r}")
    v = float(value)
    ok = math.isfinite(v) and (v >= 0.0 if allow_zero else v > 0.0)
    if not ok:
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"`{name}` must be finite and {bound}; got {value!r}")
    return v


def check_int(value: object, name: str, minimum: int) -> int:
    """Return ``value`` as an int after checking it is an integer >= ``minimum``."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral, np.integer)):
        raise ValueError(f"`{name}` must be an integer >= {minimum}; got {value!r}")
    if int(value) < minimum:
        raise ValueError(f"`{name}` must be an integer >= {minimum}; got {value!r}")
    return int(value)


def check_finite(value: object, name: str) -> float:
    """Return ``value`` as a float after checking it is a finite real number (any sign)."""
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.floating, np.integer)):
        raise ValueError(f"`{name}` must be a finite real number; got {value!r}")
    if not math.isfinite(float(value)):
        raise ValueError(f"`{name}` must be finite; got {value!r}")
    return float(value)


#: Largest and smallest magnitudes whose squares (second moments) stay normal float64 numbers.
MAGNITUDE_RANGE = (1e-150, 1e150)


def as_samples(x: ArrayLike, name: str, *, min_rows: int = 2, unit_scale: bool | str = False) -> np.ndarray:
    """Return ``x`` as a float array (n, d): 1-D becomes one column; 0-D, 3-D+, empty, NaN/inf raise.

    ``unit_scale=True`` (for estimators invariant to the scale of their input) divides the array
    by a power of two, exactly, so that its largest magnitude is in [0.5, 1): a value of 1e160 or
    1e-300 then gives the same estimate as 1; ``unit_scale="columns"`` does so per column (for
    estimators invariant to the scale of each column, such as every mutual information);
    ``unit_scale="ranks"`` (for estimators that use only the order of each column) neither copies
    nor limits the magnitude. Otherwise the largest magnitude must lie in ``MAGNITUDE_RANGE``, where
    second moments neither overflow nor underflow.
    """
    arr = np.asarray(x)
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"`{name}` must be numeric; got dtype {arr.dtype}")
    arr = arr.astype(float, copy=False)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise ValueError(f"`{name}` must be a 1-D or 2-D array (n_samples, n_features); got {arr.ndim} dimensions")
    if arr.size == 0:
        raise ValueError(f"`{name}` must not be empty; got shape {arr.shape}")
    if arr.shape[0] < min_rows:
        raise ValueError(f"`{name}` needs at least {min_rows} samples; got {arr.shape[0]}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"`{name}` must contain only finite values; it has NaN or inf entries")
    if unit_scale == "ranks":
        return arr
    magnitude = np.abs(arr)
    largest = float(magnitude.max())
    if unit_scale == "columns":
        return np.ldexp(arr, -np.frexp(magnitude.max(axis=0))[1])  # a zero column keeps exponent 0
    if unit_scale:
        return np.ldexp(arr, -np.frexp(largest)[1]) if largest > 0 else arr
    low, high = MAGNITUDE_RANGE
    if largest > high or 0 < largest < low:
        raise ValueError(
            f"`{name}` has magnitudes up to {largest:.3g}; this function needs the largest within "
            f"[{low:g}, {high:g}] (its second moments would overflow or underflow): rescale the data"
        )
    return arr


#: numpy dtype kinds read as labels: booleans, integers, strings and Python objects (categorical data).
LABEL_KINDS = "biuUSO"
#: Beyond this magnitude every float64 is an integer, so "integral" floats say nothing about labels.
FLOAT_INTEGER_LIMIT = 2.0**53


def _object_codes(rows: np.ndarray, name: str) -> np.ndarray:
    """Codes of object labels (mixed str and int, categories) in order of first appearance, by hashing."""
    keys = rows[:, 0].tolist() if rows.shape[1] == 1 else [tuple(r) for r in rows.tolist()]
    table: dict[object, int] = {}
    try:
        codes = np.fromiter((table.setdefault(k, len(table)) for k in keys), dtype=np.int64, count=len(keys))
    except TypeError as err:
        raise ValueError(f"`{name}` must hold hashable labels (numbers, strings, tuples); {err}") from None
    missing = [k for k in table if k is None or (isinstance(k, float) and math.isnan(k))]
    if missing:
        raise ValueError(f"`{name}` has missing labels ({missing[0]!r}); drop those rows or give them a label")
    return codes


def as_labels(x: ArrayLike, name: str) -> np.ndarray:
    """Encode the rows of a label array (n,) or (n, d) as integer codes 0..m-1.

    Integers, booleans, strings and objects (mixed types, categories) are labels; floats must be
    integral (``2.0`` is the label 2) and below 2**53 in magnitude (beyond it every float is
    integral, so such values are not labels). Missing labels (None, NaN) are refused.
    """
    arr = np.asarray(x)
    if arr.ndim == 0 or arr.ndim > 2:
        raise ValueError(f"`{name}` must be a 1-D or 2-D label array; got {arr.ndim} dimensions")
    if arr.size == 0:
        raise ValueError(f"`{name}` must not be empty; got shape {arr.shape}")
    if arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"`{name}` must contain only finite values; it has NaN or inf entries")
        if np.any(arr != np.round(arr)):
            raise ValueError(
                f"`{name}` must hold labels (integers, booleans, strings); it has non-integer values: it looks "
                "continuous"
            )
        if np.max(np.abs(arr)) >= FLOAT_INTEGER_LIMIT:
            raise ValueError(
                f"`{name}` has float values up to {np.max(np.abs(arr)):.3g}: beyond 2**53 every float is an "
                "integer, so these do not look like labels"
            )
    elif arr.dtype.kind not in LABEL_KINDS:
        raise ValueError(f"`{name}` must hold integer or string labels; got dtype {arr.dtype}")
    rows = arr.reshape(arr.shape[0], -1)
    if arr.dtype.kind == "O":
        return _object_codes(rows, name)
    if rows.shape[1] == 1 and arr.dtype.kind in "biu":
        col = np.ascontiguousarray(rows[:, 0], dtype=np.int64)  # strided views count twice as slowly
        if col.min() >= 0 and col.max() < 4 * col.size:  # small non-negative integers: O(n), no sort
            present = np.bincount(col) > 0
            if not present.all():
                return (np.cumsum(present) - 1)[col]
            return col.copy() if np.may_share_memory(col, arr) else col  # already 0..m-1; never the caller's array
    if rows.shape[1] == 1:
        _, codes = np.unique(rows[:, 0], return_inverse=True)
    else:
        _, codes = np.unique(rows, axis=0, return_inverse=True)
    return codes.reshape(-1).astype(np.int64)


def check_same_n(**arrays: np.ndarray) -> int:
    """The common number of rows, or a ValueError naming the mismatch."""
    sizes = {name: a.shape[0] for name, a in arrays.items()}
    if len(set(sizes.values())) != 1:
        rows = ", ".join(f"`{name}` has {n}" for name, n in sizes.items())
        raise ValueError(f"the inputs must have the same number of samples (rows); {rows}")
    return next(iter(sizes.values()))


def check_k(k: object, n: int) -> int:
    """Neighbour count: an integer with 1 <= k and n >= 2k + 1.

    With more than half of the samples as neighbours the k-th neighbour is no longer local and the
    kNN estimates collapse towards 0 (at k = n - 1 every count is n - 1), so such a k is refused.
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"`k` must be an integer >= 1; got {k!r}")
    if n < 2 * k + 1:
        raise ValueError(f"`k` = {k} needs at least 2k + 1 = {2 * k + 1} samples (neighbours stay local); got n = {n}")
    return int(k)


def check_n_resamples(value: object, name: str = "n_resamples", minimum: int = 10) -> int:
    """Resampling count (bootstrap, permutation): an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"`{name}` must be an integer >= {minimum}; got {value!r}")
    return int(value)


def check_level(level: object, name: str = "level") -> float:
    """Coverage of an interval: a real number in (0, 1)."""
    if isinstance(level, bool) or not isinstance(level, (numbers.Real, np.floating)) or not 0.0 < float(level) < 1.0:
        raise ValueError(f"`{name}` must be a number in (0, 1); got {level!r}")
    return float(level)


def resolve_rng(rng: SeedLike, name: str = "rng") -> np.random.Generator:
    """``numpy.random.default_rng(rng)`` after checking ``rng`` is None, an int >= 0, a SeedSequence or a Generator."""
    ok = (
        rng is None
        or isinstance(rng, (np.random.SeedSequence, np.random.Generator, np.random.BitGenerator))
        or (isinstance(rng, (numbers.Integral, np.integer)) and not isinstance(rng, bool) and int(rng) >= 0)
    )
    if not ok:
        raise ValueError(f"`{name}` must be None, an int >= 0, a numpy SeedSequence or Generator; got {rng!r}")
    return np.random.default_rng(rng)
