"""PID from a table of counts: plug-in on labels, or on k-means clusters of continuous blocks.

- :func:`plugin_pid`: the plug-in pmf of the label triples, decomposed exactly by
  :func:`theory.discrete_pid` (BROJA with a certified optimum, I_min, MMI);
- :func:`clustered_pid`: each continuous block clustered into ``bins`` groups (k-means++, as Liang
  et al. 2023 do for continuous modalities), then the plug-in. Clustering can only lose
  information (data processing), so the totals are biased low by the discretisation and high by
  the plug-in (the warning below); the redundancy moves with ``bins`` and the seed.

Both warn where the expected plug-in bias of I(Y; X1, X2), ``(m12 - 1)(my - 1) / 2n``, exceeds
``BIAS_WARNING`` nats.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from scipy.cluster.vq import kmeans2

from modalinfo.theory import PIDResult, discrete_pid
from modalinfo.validation import as_samples, check_same_n

from ._discrete import _codes
from ._inputs import check_levels, label_codes, looks_like_labels

__all__ = ["BIAS_WARNING", "clustered_pid", "plugin_pid"]

# Expected plug-in bias of I(Y; X1, X2) above which a warning is raised, in nats.
BIAS_WARNING = 0.01
_NAMES = ("x1", "x2", "y")


def _count_table(codes: list[np.ndarray]) -> np.ndarray:
    """Counts of the triples of compact codes 0..m-1, table[c1, c2, cy]."""
    check_same_n(x1=codes[0], x2=codes[1], y=codes[2])
    shape = tuple(int(c.max()) + 1 for c in codes)
    flat = np.ravel_multi_index(tuple(codes), shape)
    return np.bincount(flat, minlength=int(np.prod(shape))).reshape(shape)


def _small_int_table(arrays: tuple[np.ndarray, ...]) -> np.ndarray | None:
    """Counts of small non-negative integer labels straight from the data, without encoding each array.

    The table over 0..max of each variable, with the values that never occur dropped, is the table
    of the compact codes (same order); None when a variable is not one column of integers in
    ``[0, 4n)`` or the table would exceed ``4n + 64`` cells (then the labels are encoded first).
    """
    cols = [a.reshape(a.shape[0], -1) for a in arrays]
    if any(c.shape[1] != 1 or c.dtype.kind not in "iu" for c in cols):
        return None
    cols = [c[:, 0] for c in cols]
    n = cols[0].shape[0]
    if any(int(c.min()) < 0 for c in cols):
        return None
    shape = tuple(int(c.max()) + 1 for c in cols)
    if max(shape) > 4 * n or math.prod(shape) > 4 * n + 64:
        return None
    table = np.bincount(np.ravel_multi_index(tuple(cols), shape), minlength=math.prod(shape)).reshape(shape)
    seen = [table.sum(axis=axes) > 0 for axes in ((1, 2), (0, 2), (0, 1))]
    return table[np.ix_(*seen)] if not all(k.all() for k in seen) else table


def _plugin(table: np.ndarray, measure: str) -> PIDResult:
    """The exact PID of the frequencies of a count table, with a warning where the plug-in bias is large."""
    n = int(table.sum())
    for size, name in zip(table.shape, ("x1", "x2", "y")):
        check_levels(size, n, name)
    s1, s2, sy = table.shape
    bias = (s1 * s2 - 1) * (sy - 1) / (2.0 * n)
    if bias > BIAS_WARNING:
        warnings.warn(
            f"{s1 * s2} source cells x {sy} target values for {n} samples: the plug-in "
            f"I(Y; X1, X2) is biased up by about {bias:.3g} nats ((m12 - 1)(my - 1) / 2n)",
            UserWarning,
            stacklevel=4,
        )
    return discrete_pid(table / n, measure=measure)


def plugin_pid(arrays: tuple[np.ndarray, ...], measure: str, bins: int, gen: np.random.Generator) -> PIDResult:
    small = _small_int_table(arrays)
    if small is not None and small.sum() >= 2:
        return _plugin(small, measure)
    return _plugin(_count_table([label_codes(a, name) for a, name in zip(arrays, _NAMES)]), measure)


def _cluster(a: np.ndarray, bins: int, gen: np.random.Generator) -> np.ndarray:
    """k-means++ labels of the standardised rows of a (n, d) block (k = bins)."""
    z = (a - a.mean(axis=0)) / a.std(axis=0)
    _, labels = kmeans2(z, bins, minit="++", seed=gen)
    return _codes(labels.astype(np.int64))


def clustered_pid(arrays: tuple[np.ndarray, ...], measure: str, bins: int, gen: np.random.Generator) -> PIDResult:
    n = arrays[0].shape[0]
    if not isinstance(bins, (int, np.integer)) or isinstance(bins, bool) or bins < 2:
        raise ValueError(f"`bins` must be an integer >= 2; got {bins!r}")
    if n < 5 * bins:
        raise ValueError(f"`bins` = {bins} needs at least 5 samples per cluster, n >= {5 * bins}; got n = {n}")
    codes = []
    for a, name in zip(arrays, _NAMES):
        if looks_like_labels(a):
            codes.append(label_codes(a, name))
        else:
            arr = as_samples(a, name, unit_scale="columns")
            if np.any(arr.std(axis=0) == 0):
                raise ValueError(f"`{name}` has a constant column; it cannot be clustered")
            codes.append(_cluster(arr, int(bins), gen))
    return _plugin(_count_table(codes), measure)
