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

# From this many rows the copula transform sorts columns on several threads (bench_mi_speed.py:
# two 1e6-row argsorts take 0.060 s serially and 0.032 s on two threads).
PARALLEL_ROWS = 100_000


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
    """Sample covariance (divisor n - 1) of the variables in the rows of a (D, n) array (centred in place)."""
    rows -= rows.mean(axis=1, keepdims=True)
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


def _column_scores(column: np.ndarray, table: np.ndarray, out: np.ndarray) -> None:
    column = np.ascontiguousarray(column)  # sorting strided memory is slow
    order = np.argsort(column)
    ordered = column[order]
    if np.any(ordered[1:] == ordered[:-1]):
        out[:] = ndtri(_ranks(order, ordered) / (column.shape[0] + 1.0))
    else:
        out[order] = table


def copula_scores(blocks: list[np.ndarray]) -> np.ndarray:
    """Normal scores ``Phi^-1(rank / (n + 1))`` (average ranks) of every column of the (n, d_b) blocks: rows (D, n).

    One sort per column. Without ties the ranks are the sorted positions, so the scores are one
    table ``Phi^-1(i / (n + 1))``, i = 1..n, computed once and scattered by each column's sort order
    (bit-identical to the general path, which handles ties with average ranks). From
    ``PARALLEL_ROWS`` rows the columns are sorted on numba's threads (numpy's sort releases the GIL;
    each column is independent, so the result does not depend on the number of threads).
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
