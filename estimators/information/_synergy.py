"""Synergy bounds from samples: labeled x1, labeled x2 and unlabeled pairs, each of its own size.

The three data sets estimate p(x1, y), p(x2, y) and p(x1, x2) by their frequencies. Sampled
tables never agree exactly on the shared marginals, so they are first reconciled: p(y) is pooled
from both labeled sets, p(x1) from the labeled x1 and the pairs, p(x2) likewise, and each table is
fitted to its two pooled marginals by iterative proportional fitting (Deming & Stephan 1940) after
mixing in a weight 1/m of the independent table of those marginals (m: the rows behind the table),
so that a fit exists even where the sampled tables have incompatible zeros; the mixing moves
each information by O(1/m), the order of the plug-in bias. Then
:func:`modalinfo.theory.synergy_bounds` gives the bounds of the reconciled tables (plug-in, so
biased like every plug-in information at small n), and a bootstrap over the rows of each data set
independently gives their intervals.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from modalinfo.estimators._resample import centred_interval
from modalinfo.estimators._types import SynergyBoundsEstimate
from modalinfo.theory import SynergyBounds
from modalinfo.theory import synergy_bounds as exact_synergy_bounds
from modalinfo.typing import ArrayLike, SeedLike
from modalinfo.validation import check_level, check_n_resamples, check_same_n, resolve_rng

from ._inputs import label_codes

__all__ = ["synergy_bounds"]

_IPF_TOL = 1e-12
_IPF_ITERATIONS = 100_000


def _pair(data: object, names: tuple[str, str], label: str) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(data, Sequence) or isinstance(data, str) or len(data) != 2:
        raise ValueError(f"`{label}` must be a pair of arrays ({names[0]}, {names[1]}); got {type(data).__name__}")
    a, b = np.asarray(data[0]), np.asarray(data[1])
    for arr, name in ((a, names[0]), (b, names[1])):
        if arr.ndim not in (1, 2):
            raise ValueError(f"`{label}`: {name} must be a 1-D or 2-D label array; got {arr.ndim} dimensions")
    check_same_n(**{f"{label}[0]": a, f"{label}[1]": b})
    return a, b


def _shared_codes(first: np.ndarray, second: np.ndarray, name: str) -> tuple[np.ndarray, np.ndarray, int]:
    """Codes of one variable seen in two data sets, on their common alphabet."""
    if first.ndim != second.ndim or first.shape[1:] != second.shape[1:]:
        raise ValueError(f"`{name}` has shape {first.shape[1:]} in one data set and {second.shape[1:]} in the other")
    codes = label_codes(np.concatenate([first, second]), name)
    return codes[: first.shape[0]], codes[first.shape[0] :], int(codes.max()) + 1


def _table(a: np.ndarray, b: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    return np.bincount(a * shape[1] + b, minlength=shape[0] * shape[1]).reshape(shape).astype(float) / a.size


def _fit(table: np.ndarray, rows: np.ndarray, cols: np.ndarray, m: int) -> np.ndarray:
    """Iterative proportional fitting of a table (from m rows of data) to the given row and column sums."""
    t = (1.0 - 1.0 / m) * table + np.outer(rows, cols) / m
    keep_r, keep_c = rows > 0, cols > 0
    for _ in range(_IPF_ITERATIONS):
        t *= np.divide(rows, t.sum(axis=1), out=np.zeros_like(rows), where=keep_r)[:, None]
        t *= np.divide(cols, t.sum(axis=0), out=np.zeros_like(cols), where=keep_c)
        if np.abs(t.sum(axis=1) - rows).max() < _IPF_TOL:
            return t / t.sum()
    raise RuntimeError("iterative proportional fitting did not converge")  # unreachable: every cell is positive


def _bounds(
    codes: tuple[np.ndarray, ...], sizes: tuple[int, int, int], base: float, idx: tuple[np.ndarray, ...] | None = None
) -> SynergyBounds:
    x1_l, y_1, x2_l, y_2, x1_p, x2_p = codes
    if idx is not None:
        i1, i2, i3 = idx
        x1_l, y_1, x2_l, y_2, x1_p, x2_p = x1_l[i1], y_1[i1], x2_l[i2], y_2[i2], x1_p[i3], x2_p[i3]
    n1, n2, ny = sizes
    a, b, c = _table(x1_l, y_1, (n1, ny)), _table(x2_l, y_2, (n2, ny)), _table(x1_p, x2_p, (n1, n2))
    w1, w2 = x1_l.size / (x1_l.size + x2_l.size), x1_l.size / (x1_l.size + x1_p.size)
    w3 = x2_l.size / (x2_l.size + x2_p.size)
    py = w1 * a.sum(axis=0) + (1 - w1) * b.sum(axis=0)
    p1 = w2 * a.sum(axis=1) + (1 - w2) * c.sum(axis=1)
    p2 = w3 * b.sum(axis=1) + (1 - w3) * c.sum(axis=0)
    fitted = (_fit(a, p1, py, x1_l.size), _fit(b, p2, py, x2_l.size), _fit(c, p1, p2, x1_p.size))
    return exact_synergy_bounds(x1y=fitted[0], x2y=fitted[1], x1x2=fitted[2], base=base)


def synergy_bounds(
    labeled1: tuple[ArrayLike, ArrayLike],
    labeled2: tuple[ArrayLike, ArrayLike],
    pairs: tuple[ArrayLike, ArrayLike],
    *,
    n_resamples: int = 0,
    level: float = 0.95,
    base: float = math.e,
    rng: SeedLike = None,
) -> SynergyBoundsEstimate:
    """Bounds on the synergy of (X1, X2) about Y from unimodal labeled data and unlabeled pairs.

    Liang et al. (ICLR 2024): the bounds of :func:`modalinfo.theory.synergy_bounds` evaluated on
    the reconciled frequency tables of three data sets of any sizes (see the module docstring).
    The exact bounds are valid but loose: on random 2 x 2 x 2 tables the lower bound is 0 on 47 %
    of them, with a mean of 0.010 bits against a mean synergy of 0.075 bits and a mean upper
    bound of 0.70 bits (``bench/bench_synergy_bounds.py``); a lower bound of 0 from samples says
    nothing about the synergy.

    Parameters
    ----------
    labeled1 : (x1, y), arrays of shape (n1,) or (n1, d)
        Labeled samples of the first modality (discrete labels: integers, booleans, strings).
    labeled2 : (x2, y), arrays of shape (n2,) or (n2, d)
        Labeled samples of the second modality.
    pairs : (x1, x2), arrays of shape (n3,) or (n3, d)
        Unlabeled pairs.
    n_resamples : int, default 0
        Bootstrap resamples for intervals of ``lower`` and ``upper`` (0: none; else >= 10): each
        data set is resampled on its own; the interval is the estimate plus the centred bootstrap
        quantiles, floored at 0 (as :func:`bootstrap_ci`).
    level : float in (0, 1), default 0.95
        Interval coverage.
    base : float, default e
        Logarithm base: e gives nats, 2 gives bits.
    rng : None, int, SeedSequence or Generator
        Source of the bootstrap.

    Returns
    -------
    SynergyBoundsEstimate
        The bounds (``.bounds``, a :class:`theory.SynergyBounds`), their intervals and the sizes.

    Raises
    ------
    ValueError
        For malformed pairs, mismatched row counts within a data set, non-label data, a variable
        with different shapes in two data sets, bad ``n_resamples`` or ``level``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> a, b = rng.integers(0, 2, (3, 5000)), rng.integers(0, 2, (3, 5000))
    >>> est = synergy_bounds((a[0], a[0] & b[0]), (b[1], a[1] & b[1]), (a[2], b[2]), base=2)
    >>> round(est.lower, 1), round(est.upper, 1)   # AND: S = 0.5 bits, R = 0.31 bits
    (0.3, 0.5)
    """
    x1_l, y_1 = _pair(labeled1, ("x1", "y"), "labeled1")
    x2_l, y_2 = _pair(labeled2, ("x2", "y"), "labeled2")
    x1_p, x2_p = _pair(pairs, ("x1", "x2"), "pairs")
    x1_l, x1_p, n1 = _shared_codes(x1_l, x1_p, "x1")
    x2_l, x2_p, n2 = _shared_codes(x2_l, x2_p, "x2")
    y_1, y_2, ny = _shared_codes(y_1, y_2, "y")
    codes, sizes = (x1_l, y_1, x2_l, y_2, x1_p, x2_p), (n1, n2, ny)
    level = check_level(level)
    bounds = _bounds(codes, sizes, base)
    ci: dict[str, tuple[float, float]] = {}
    if n_resamples:
        n_resamples = check_n_resamples(n_resamples)
        gen = resolve_rng(rng)
        rows = (x1_l.size, x2_l.size, x1_p.size)
        draws = np.empty((n_resamples, 2))
        for r in range(n_resamples):
            boot = _bounds(codes, sizes, base, tuple(gen.integers(0, m, m) for m in rows))
            draws[r] = boot.lower, boot.upper
        lows, highs = centred_interval([bounds.lower, bounds.upper], draws, level, floor=0.0)
        ci = {k: (float(lo), float(hi)) for k, lo, hi in zip(("lower", "upper"), lows, highs)}
    return SynergyBoundsEstimate(bounds, ci, float(level), (x1_l.size, x2_l.size, x1_p.size))
