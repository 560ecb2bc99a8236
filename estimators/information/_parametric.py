"""Gaussian and Gaussian-copula estimates of (conditional) mutual information.

Gaussian: the entropy of a d-dimensional Gaussian from n samples, with the bias correction of
the log-determinant of the sample covariance (Misra, Singh & Demchuk 2005; Ince et al. 2017, gcmi):

    h = 1/2 log det S + d/2 log(2 pi e) - d/2 (log 2 - log(n - 1)) - 1/2 sum_{i=1}^d psi((n - i)/2),

which is unbiased for Gaussian data; ``I(X; Y) = h(X) + h(Y) - h(X, Y)`` and
``I(X; Y | Z) = h(X, Z) + h(Y, Z) - h(X, Y, Z) - h(Z)``.
Copula (Ince et al. 2017): each column is replaced by ``Phi^-1(rank / (n + 1))`` (average ranks
for ties), then the Gaussian estimate; invariant to strictly increasing maps of each column, and
exact for Gaussian dependence under such maps.
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor

import numba
import numpy as np
from scipy.special import digamma, ndtri
from threadpoolctl import threadpool_limits

__all__ = [
    "block_covariance",
    "copula_normal",
    "copula_scores",
    "gaussian_cmi_cov",
    "gaussian_cmi_nats",
    "gaussian_mi_cov",
    "gaussian_mi_nats",
    "row_covariance",
]

# From this many rows the copula transform handles columns on several threads (two columns of 1e5
# rows: 3.7 ms serially, 2.4 ms on two threads; of 3e4 rows: 0.7 and 1.2 ms).
PARALLEL_ROWS = 100_000
# The packed sort (see _sort_order) gives up on runs of nearly equal values after this many moves per row.
_REPAIR_MOVES = 8


def _entropy(cov: np.ndarray, n: int) -> float:
    d = cov.shape[0]
    try:
        chol = np.linalg.cholesky(cov)
    except np.linalg.LinAlgError:
        raise ValueError(
            "the sample covariance is singular: a column is constant or a linear combination of others"
        ) from None
    half_logdet = float(np.sum(np.log(np.diag(chol))))
    correction = 0.5 * d * (math.log(2.0) - math.log(n - 1.0)) + 0.5 * float(
        np.sum(digamma((n - np.arange(1, d + 1)) / 2.0))
    )
    return half_logdet + 0.5 * d * math.log(2 * math.pi * math.e) - correction


def block_covariance(blocks: list[np.ndarray]) -> np.ndarray:
    """Sample covariance (divisor n - 1) of the concatenated (n, d_b) blocks, by one centred matrix product."""
    z = np.concatenate(blocks, axis=1)
    z -= z.mean(axis=0)
    return (z.T @ z) / (z.shape[0] - 1)


def row_covariance(rows: np.ndarray) -> np.ndarray:
    """Sample covariance (divisor n - 1) of the variables in the rows of a (D, n) array (centred in place).

    From ``PARALLEL_ROWS`` rows the product runs on one BLAS thread: a few rows by a million columns
    gain nothing from a second and lose much when another process holds the other core (40 x 1e6:
    0.07 s on one thread; on two, 0.07 s idle and 0.26-1.3 s with the other core busy).
    """
    rows -= rows.mean(axis=1, keepdims=True)
    if rows.shape[1] < PARALLEL_ROWS:
        return (rows @ rows.T) / (rows.shape[1] - 1)
    with threadpool_limits(1, user_api="blas"):
        return (rows @ rows.T) / (rows.shape[1] - 1)


def gaussian_mi_cov(cov: np.ndarray, dx: int, n: int) -> float:
    """Bias-corrected Gaussian I(X; Y) in nats from the sample covariance of (X, Y), X the first dx."""
    ix, iy = slice(0, dx), slice(dx, None)
    return _entropy(cov[ix, ix], n) + _entropy(cov[iy, iy], n) - _entropy(cov, n)


def gaussian_cmi_cov(cov: np.ndarray, dx: int, dy: int, n: int) -> float:
    """Bias-corrected Gaussian I(X; Y | Z) in nats from the sample covariance of (X, Y, Z)."""
    ix, iy, iz = np.arange(dx), np.arange(dx, dx + dy), np.arange(dx + dy, cov.shape[0])

    def h(*groups: np.ndarray) -> float:
        idx = np.concatenate(groups)
        return _entropy(cov[np.ix_(idx, idx)], n)

    return h(ix, iz) + h(iy, iz) - h(ix, iy, iz) - h(iz)


def gaussian_mi_nats(x: np.ndarray, y: np.ndarray) -> float:
    """Bias-corrected Gaussian I(X; Y) in nats (needs n > dx + dy + 1)."""
    return gaussian_mi_cov(block_covariance([x, y]), x.shape[1], x.shape[0])


def gaussian_cmi_nats(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> float:
    """Bias-corrected Gaussian I(X; Y | Z) in nats."""
    return gaussian_cmi_cov(block_covariance([x, y, z]), x.shape[1], y.shape[1], x.shape[0])


def _ranks(order: np.ndarray, ordered: np.ndarray) -> np.ndarray:
    """1-based average ranks (``scipy.stats.rankdata``'s default) from a sort order and the sorted values.

    A tie group occupying sorted positions start..end-1 gets ``(start + 1 + end) / 2``.
    """
    n = order.shape[0]
    first = np.empty(n, dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    average = (starts + np.append(starts[1:], n) + 1) / 2.0
    ranks = np.empty(n)
    ranks[order] = average[np.cumsum(first) - 1]
    return ranks


@numba.njit(cache=True, nogil=True)
def _packed_keys(column, index_bits, out):  # pragma: no cover - compiled
    """``out[i]`` = the order-preserving uint64 of ``column[i]`` with its low ``index_bits`` replaced by i.

    A float's bits, its sign bit set (non-negative) or all bits flipped (negative), sort as the
    floats do; keeping the top ``64 - index_bits`` of them and putting the row in the rest makes one
    values-only sort of distinct keys give the order. No validation (finite values, n < 2**index_bits).
    """
    bits = column.view(np.uint64)
    sign = np.uint64(1) << np.uint64(63)
    low = (np.uint64(1) << np.uint64(index_bits)) - np.uint64(1)
    for i in range(column.shape[0]):
        b = bits[i]
        b = ~b if b & sign else b | sign
        out[i] = (b & ~low) | np.uint64(i)


@numba.njit(cache=True, nogil=True)
def _unpacked(keys, column, index_bits, order, budget):  # pragma: no cover - compiled
    """The rows of the sorted packed keys into ``order``, runs of equal kept bits sorted by value.

    Keys whose kept bits differ are ordered by value and hold different values; a run of equal kept
    bits (values within a relative 2**-(64 - index_bits), a few per 1e6 rows) is ordered by row
    and is insertion-sorted by value here. Returns 1 if two values tie, 0 if none do, and -1 when the
    runs would need more than ``budget`` moves (huge clusters of nearly equal values).
    """
    low = (np.uint64(1) << np.uint64(index_bits)) - np.uint64(1)
    n = keys.shape[0]
    for i in range(n):
        order[i] = np.int64(keys[i] & low)
    ties, i = 0, 1
    while i < n:
        if (keys[i] ^ keys[i - 1]) > low:
            i += 1
            continue
        start, end = i - 1, i + 1
        while end < n and (keys[end] ^ keys[end - 1]) <= low:
            end += 1
        for a in range(start + 1, end):
            row = order[a]
            value = column[row]
            b = a - 1
            while b >= start and column[order[b]] > value:
                order[b + 1] = order[b]
                b -= 1
                budget -= 1
            order[b + 1] = row
            if budget < 0:
                return -1
        for a in range(start + 1, end):
            if column[order[a]] == column[order[a - 1]]:
                ties = 1
        i = end
    return ties


@numba.njit(cache=True, nogil=True)
def _scatter(order, table, out):  # pragma: no cover - compiled
    """``out[order[i]] = table[i]``."""
    for i in range(order.shape[0]):
        out[order[i]] = table[i]


def _sort_order(column: np.ndarray) -> tuple[np.ndarray, bool]:
    """The sort order of a finite float column and whether it has ties, by one values-only sort.

    numpy sorts 64-bit keys with SIMD several times faster than it argsorts, so each value's
    order-preserving bits keep their top ``64 - index_bits`` and carry the row in the rest
    (:func:`_packed_keys`); :func:`_unpacked` orders the rare runs the kept bits cannot tell apart.
    Columns whose runs would need more than ``_REPAIR_MOVES`` moves per row are argsorted instead.
    """
    n = column.shape[0]
    index_bits = max(1, (n - 1).bit_length())
    keys = np.empty(n, dtype=np.uint64)
    _packed_keys(column, index_bits, keys)
    keys.sort()
    order = np.empty(n, dtype=np.int64)
    ties = _unpacked(keys, column, index_bits, order, _REPAIR_MOVES * n)
    if ties < 0:
        order = np.argsort(column)
        ordered = column[order]
        ties = int(np.any(ordered[1:] == ordered[:-1]))
    return order, ties == 1


def _column_scores(column: np.ndarray, table: np.ndarray, out: np.ndarray) -> None:
    column = np.ascontiguousarray(column, dtype=float)  # sorting strided memory is slow
    order, ties = _sort_order(column)
    if ties:
        out[:] = ndtri(_ranks(order, column[order]) / (column.shape[0] + 1.0))
    else:
        _scatter(order, table, out)


def copula_scores(blocks: list[np.ndarray]) -> np.ndarray:
    """Normal scores ``Phi^-1(rank / (n + 1))`` (average ranks) of every column of the (n, d_b) blocks: rows (D, n).

    One values-only sort of packed keys per column (:func:`_sort_order`). Without ties the ranks are
    the sorted positions, so the scores are one table ``Phi^-1(i / (n + 1))``, i = 1..n, computed
    once and scattered by each column's sort order (bit-identical to the general path, which handles
    ties with average ranks). From ``PARALLEL_ROWS`` rows the columns are handled on as many threads
    as numba uses (numpy's sort and the kernels release the GIL; each column is independent, so the
    result does not depend on the number of threads).
    """
    columns = [b[:, c] for b in blocks for c in range(b.shape[1])]
    n, d = blocks[0].shape[0], len(columns)
    table = ndtri(np.arange(1, n + 1) / (n + 1.0))
    out = np.empty((d, n))
    threads = min(d, numba.get_num_threads()) if n >= PARALLEL_ROWS else 1
    if threads > 1:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(lambda c: _column_scores(columns[c], table, out[c]), range(d)))
    else:
        for c in range(d):
            _column_scores(columns[c], table, out[c])
    return out


def copula_normal(a: np.ndarray) -> np.ndarray:
    """Each column of a (n, d) mapped to standard-normal scores (:func:`copula_scores`), shape (n, d)."""
    return copula_scores([a]).T
