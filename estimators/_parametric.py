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

import numpy as np
from scipy.special import digamma, ndtri

__all__ = ["copula_normal", "gaussian_cmi_nats", "gaussian_mi_nats"]


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


def _covariance(blocks: list[np.ndarray]) -> np.ndarray:
    return np.atleast_2d(np.cov(np.concatenate(blocks, axis=1), rowvar=False))


def gaussian_mi_nats(x: np.ndarray, y: np.ndarray) -> float:
    """Bias-corrected Gaussian I(X; Y) in nats (needs n > dx + dy + 1)."""
    n, dx = x.shape
    cov = _covariance([x, y])
    ix, iy = slice(0, dx), slice(dx, None)
    return _entropy(cov[ix, ix], n) + _entropy(cov[iy, iy], n) - _entropy(cov, n)


def gaussian_cmi_nats(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> float:
    """Bias-corrected Gaussian I(X; Y | Z) in nats."""
    n, dx = x.shape
    dy = y.shape[1]
    cov = _covariance([x, y, z])
    ix, iy, iz = np.arange(dx), np.arange(dx, dx + dy), np.arange(dx + dy, cov.shape[0])

    def h(*groups: np.ndarray) -> float:
        idx = np.concatenate(groups)
        return _entropy(cov[np.ix_(idx, idx)], n)

    return h(ix, iz) + h(iy, iz) - h(ix, iy, iz) - h(iz)


def average_ranks(column: np.ndarray) -> np.ndarray:
    """1-based ranks of a 1-D array, ties given their average rank (``scipy.stats.rankdata``'s default).

    One sort and a few linear passes: a tie group occupying sorted positions start..end-1 gets
    ``(start + 1 + end) / 2``.
    """
    n = column.shape[0]
    order = np.argsort(column)  # tie order is irrelevant: a tie group shares its average rank
    ordered = column[order]
    first = np.empty(n, dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    average = (starts + np.append(starts[1:], n) + 1) / 2.0
    ranks = np.empty(n)
    ranks[order] = average[np.cumsum(first) - 1]
    return ranks


def copula_normal(a: np.ndarray) -> np.ndarray:
    """Each column mapped to standard-normal scores ``Phi^-1(rank / (n + 1))`` (average ranks)."""
    columns = np.ascontiguousarray(a.T)  # each column contiguous: sorting strided memory is slow
    ranks = np.stack([average_ranks(column) for column in columns], axis=1)
    return ndtri(ranks / (a.shape[0] + 1.0))
