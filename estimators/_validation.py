"""Input checks of the estimators: arrays (n_samples, n_features), labels, k, resampling counts."""

from __future__ import annotations

import numpy as np

__all__ = ["as_labels", "as_samples", "check_k", "check_n_draws", "check_same_n"]


def as_samples(x: object, name: str, *, min_rows: int = 2) -> np.ndarray:
    """Return ``x`` as a float array (n, d): 1-D becomes one column; 0-D, 3-D+, empty, NaN/inf raise."""
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
    return arr


def as_labels(x: object, name: str) -> np.ndarray:
    """Encode the rows of a label array (n,) or (n, d) as integer codes 0..m-1.

    Integers, booleans and strings are labels; floats must be integral (``2.0`` is the label 2).
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
            raise ValueError(f"`{name}` must hold integer labels for a discrete estimate; it has non-integer values")
    elif arr.dtype.kind not in "biuUSO":
        raise ValueError(f"`{name}` must hold integer or string labels; got dtype {arr.dtype}")
    rows = arr.reshape(arr.shape[0], -1)
    if rows.shape[1] == 1 and arr.dtype.kind in "biu" and rows.min() >= 0 and rows.max() < 4 * rows.shape[0]:
        col = rows[:, 0].astype(np.int64, copy=False)  # small non-negative integers: O(n) compaction, no sort
        present = np.bincount(col) > 0
        return (np.cumsum(present) - 1)[col]
    if rows.shape[1] == 1:
        _, codes = np.unique(rows[:, 0], return_inverse=True)
    else:
        _, codes = np.unique(rows, axis=0, return_inverse=True)
    return codes.reshape(-1).astype(np.int64)


def check_same_n(**arrays: np.ndarray) -> int:
    """The common number of rows, or a ValueError naming the mismatch."""
    sizes = {name: a.shape[0] for name, a in arrays.items()}
    if len(set(sizes.values())) != 1:
        raise ValueError(f"the inputs must have the same number of samples; got {sizes}")
    return next(iter(sizes.values()))


def check_k(k: object, n: int) -> int:
    """Neighbour count: an integer with 1 <= k < n."""
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"`k` must be an integer >= 1; got {k!r}")
    if k >= n:
        raise ValueError(f"`k` must be smaller than the number of samples n = {n}; got k = {k}")
    return int(k)


def check_n_draws(value: object, name: str, minimum: int = 10) -> int:
    """Resampling count: an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"`{name}` must be an integer >= {minimum}; got {value!r}")
    return int(value)
