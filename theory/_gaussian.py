"""Exact information quantities of a jointly Gaussian vector from its covariance matrix.

For X ~ N(mu, Sigma) in R^d the differential entropy is ``h(X) = 1/2 log((2 pi e)^d det Sigma)``
(Cover & Thomas, Elements of Information Theory, Thm. 8.4.1). Mutual information and its
conditional and multivariate forms are sums of such log-determinants of principal sub-blocks,
each computed from a Cholesky factor (never ``det`` itself, which under- or overflows).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from modalinfo.typing import ArrayLike
from modalinfo.validation import check_covariance, check_disjoint, check_indices, log_base

IndexLike = int | Sequence[int] | np.ndarray

__all__ = [
    "gaussian_entropy",
    "gaussian_mutual_information",
    "gaussian_total_correlation",
]


def _logdet(cov: np.ndarray, idx: tuple[int, ...]) -> float:
    """log det of the principal sub-block ``cov[idx, idx]`` (0 for an empty block).

    Assumes ``cov`` passed :func:`check_covariance`, so every principal sub-block is positive
    definite and its Cholesky factor exists.
    """
    if not idx:
        return 0.0
    sub = cov[np.ix_(idx, idx)]
    return 2.0 * float(np.sum(np.log(np.diag(np.linalg.cholesky(sub)))))


def conditional_mi_nats(cov: np.ndarray, a: tuple[int, ...], b: tuple[int, ...], c: tuple[int, ...]) -> float:
    """I(A; B | C) in nats for a validated covariance and validated, disjoint index tuples."""
    nats = 0.5 * (_logdet(cov, a + c) + _logdet(cov, b + c) - _logdet(cov, c) - _logdet(cov, a + b + c))
    # The exact value is >= 0; a negative result is rounding of the order of 1e-16.
    return max(nats, 0.0)


def gaussian_entropy(cov: ArrayLike, indices: IndexLike | None = None, *, base: float = math.e) -> float:
    """Differential entropy of (a block of) a Gaussian vector.

    ``h(X_A) = 1/2 [ |A| log(2 pi e) + log det Sigma_AA ]``.

    Parameters
    ----------
    cov : array_like, shape (d, d)
        Covariance matrix; symmetric and positive definite.
    indices : sequence of int, optional
        The block A (indices into ``cov``); all of it when omitted.
    base : float, default e
        Logarithm base: e gives nats, 2 gives bits.

    Returns
    -------
    float
        The entropy in the unit of ``base``; can be negative (it is a differential entropy).

    Raises
    ------
    ValueError
        If ``cov`` is not a finite symmetric positive-definite matrix, or ``indices`` are invalid.
    """
    c = check_covariance(cov)
    idx = tuple(range(c.shape[0])) if indices is None else check_indices(indices, c.shape[0], "indices")
    nats = 0.5 * (len(idx) * math.log(2.0 * math.pi * math.e) + _logdet(c, idx))
    return nats / log_base(base)


def gaussian_mutual_information(
    cov: ArrayLike, a: IndexLike, b: IndexLike, given: IndexLike = (), *, base: float = math.e
) -> float:
    """Mutual information I(X_A; X_B | X_C) of blocks of a Gaussian vector.

    ``I(A; B | C) = 1/2 [ log det S_AC + log det S_BC - log det S_C - log det S_ABC ]``,
    where ``S_AC`` is the principal sub-block of the covariance on A and C together
    (Cover & Thomas, eq. 8.56 with the chain rule). With ``given`` empty this is
    ``1/2 log(det S_A det S_B / det S_AB)``.

    Parameters
    ----------
    cov : array_like, shape (d, d)
        Covariance matrix; symmetric and positive definite.
    a, b : int or sequence of int
        Disjoint, non-empty blocks of indices into ``cov``.
    given : int or sequence of int, default ()
        The conditioning block C, disjoint from ``a`` and ``b``.
    base : float, default e
        Logarithm base: e gives nats, 2 gives bits.

    Returns
    -------
    float
        The (conditional) mutual information, >= 0, in the unit of ``base``.

    Raises
    ------
    ValueError
        If ``cov`` is non-symmetric, not positive semi-definite, singular or non-finite, or the
        index blocks are empty, out of range, repeated or overlapping.

    Examples
    --------
    >>> rho = 0.9
    >>> round(gaussian_mutual_information([[1, rho], [rho, 1]], [0], [1]), 4)  # -1/2 ln(1 - rho^2)
    0.8304
    """
    c = check_covariance(cov)
    d = c.shape[0]
    ia = check_indices(a, d, "a")
    ib = check_indices(b, d, "b")
    ic = check_indices(given, d, "given", allow_empty=True)
    check_disjoint(a=ia, b=ib, given=ic)
    return conditional_mi_nats(c, ia, ib, ic) / log_base(base)


def gaussian_total_correlation(cov: ArrayLike, blocks: Sequence[IndexLike], *, base: float = math.e) -> float:
    """Total correlation (multi-information) of blocks of a Gaussian vector.

    ``TC(X_1; ...; X_m) = sum_i h(X_i) - h(X_1, ..., X_m)
    = 1/2 [ sum_i log det S_ii - log det S_(1..m) ]`` (Watanabe 1960); for two blocks it is
    their mutual information.

    Parameters
    ----------
    cov : array_like, shape (d, d)
        Covariance matrix; symmetric and positive definite.
    blocks : sequence of (int or sequence of int)
        At least two disjoint, non-empty blocks of indices.
    base : float, default e
        Logarithm base: e gives nats, 2 gives bits.

    Returns
    -------
    float
        The total correlation, >= 0, in the unit of ``base``.

    Raises
    ------
    ValueError
        If ``cov`` is invalid, fewer than two blocks are given, or blocks are invalid or overlap.
    """
    c = check_covariance(cov)
    if isinstance(blocks, (str, bytes)) or not isinstance(blocks, Sequence) or len(blocks) < 2:
        raise ValueError(f"`blocks` must be a sequence of at least two index blocks; got {blocks!r}")
    idx = [check_indices(blk, c.shape[0], f"blocks[{i}]") for i, blk in enumerate(blocks)]
    check_disjoint(**{f"blocks[{i}]": blk for i, blk in enumerate(idx)})
    union = tuple(i for blk in idx for i in blk)
    nats = 0.5 * (sum(_logdet(c, blk) for blk in idx) - _logdet(c, union))
    return max(nats, 0.0) / log_base(base)
