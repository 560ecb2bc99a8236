"""How similar are two learned representations (arrays (n, d) of the same n instances)?

Linear and RBF CKA (Kornblith et al. 2019), mean canonical correlation and SVCCA (Raghu et al.
2017); against true latents, MCC (mean absolute correlation after Hungarian matching; Hyvaerinen
& Morioka 2016).
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.stats import rankdata

from modalinfo.typing import ArrayLike
from modalinfo.validation import as_samples, check_same_n

__all__ = ["cca_similarity", "cka", "mcc", "svcca"]

MAX_PAIRWISE = 20_000  # n above which O(n^2) measures ask for a subsample


def _pair(
    a: ArrayLike, b: ArrayLike, names: tuple[str, str], min_rows: int = 3, unit_scale: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Two arrays of the same instances; ``unit_scale`` for measures invariant to the scale of each."""
    x = as_samples(a, names[0], min_rows=min_rows, unit_scale=unit_scale)
    y = as_samples(b, names[1], min_rows=min_rows, unit_scale=unit_scale)
    check_same_n(**{names[0]: x, names[1]: y})
    return x, y


def _centred(a: np.ndarray, name: str) -> np.ndarray:
    c = a - a.mean(axis=0)
    if not np.any(c):
        raise ValueError(f"`{name}` is constant; a similarity needs variation")
    return c


def cka(a: ArrayLike, b: ArrayLike, kernel: str = "linear", sigma: float = 0.8) -> float:
    """Centred kernel alignment (Kornblith et al. 2019) between two representations of the same instances.

    ``CKA = HSIC(K, L) / sqrt(HSIC(K, K) HSIC(L, L))`` with centred Gram matrices; linear kernel:
    ``||B^T A||_F^2 / (||A^T A||_F ||B^T B||_F)`` on centred columns. Invariant to orthogonal maps
    and isotropic scaling of either representation (linear; RBF with the median-distance
    bandwidth too), 1 for identical representations, near 0 for independent ones.

    Parameters
    ----------
    a, b : array_like, shape (n, d_a), (n, d_b)
    kernel : {"linear", "rbf"}
    sigma : float, default 0.8
        RBF bandwidth as a fraction of the median pairwise distance (Kornblith et al.'s choice).

    Returns
    -------
    float in [0, 1]

    Raises
    ------
    ValueError
        Bad shapes, NaN, mismatched n, n < 3, a constant representation, an unknown kernel, or
        n > 20000 for the RBF kernel (subsample first).
    """
    x, y = _pair(a, b, ("a", "b"))
    x, y = _centred(x, "a"), _centred(y, "b")
    if kernel == "linear":
        cross = np.linalg.norm(y.T @ x) ** 2
        return float(cross / (np.linalg.norm(x.T @ x) * np.linalg.norm(y.T @ y)))
    if kernel != "rbf":
        raise ValueError(f"`kernel` must be 'linear' or 'rbf'; got {kernel!r}")
    if not 0 < float(sigma):
        raise ValueError(f"`sigma` must be positive; got {sigma!r}")
    if x.shape[0] > MAX_PAIRWISE:
        raise ValueError(f"RBF CKA builds n x n kernels; n = {x.shape[0]} > {MAX_PAIRWISE}: subsample the rows")

    def centred_gram(z: np.ndarray) -> np.ndarray:
        sq = np.sum(z**2, axis=1)
        d2 = np.maximum(sq[:, None] + sq[None, :] - 2 * z @ z.T, 0.0)
        med = np.median(np.sqrt(d2[np.triu_indices_from(d2, k=1)]))
        k = np.exp(-d2 / (2 * (sigma * med) ** 2))
        k -= k.mean(axis=0)
        k -= k.mean(axis=1, keepdims=True)
        return k

    kx, ky = centred_gram(x), centred_gram(y)
    return float(np.sum(kx * ky) / np.sqrt(np.sum(kx * kx) * np.sum(ky * ky)))


def _canonical_correlations(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    qx, rx = np.linalg.qr(_centred(x, "a"))
    qy, ry = np.linalg.qr(_centred(y, "b"))
    for r, name in ((rx, "a"), (ry, "b")):
        diag = np.abs(np.diag(r))
        if diag.min() <= 1e-10 * diag.max():
            raise ValueError(f"`{name}` has linearly dependent columns; reduce it (e.g. svcca) first")
    return np.clip(np.linalg.svd(qx.T @ qy, compute_uv=False), 0.0, 1.0)


def cca_similarity(a: ArrayLike, b: ArrayLike) -> float:
    """Mean canonical correlation between two representations (Raghu et al. 2017), in [0, 1].

    The min(d_a, d_b) canonical correlations are the singular values of ``Q_a^T Q_b`` (thin QR of
    the centred representations); invariant to any invertible linear map of either.
    Needs n > d_a + d_b and full column rank (ValueError otherwise).
    """
    x, y = _pair(a, b, ("a", "b"))
    if x.shape[0] <= x.shape[1] + y.shape[1]:
        raise ValueError(f"CCA needs n > d_a + d_b = {x.shape[1] + y.shape[1]} samples; got {x.shape[0]}")
    return float(np.mean(_canonical_correlations(x, y)))


def svcca(a: ArrayLike, b: ArrayLike, keep: float = 0.99) -> float:
    """SVCCA (Raghu et al. 2017): mean canonical correlation of the top singular directions.

    Each representation is reduced to the fewest principal directions that explain a fraction
    ``keep`` of its variance, then :func:`cca_similarity`.
    """
    x, y = _pair(a, b, ("a", "b"))
    if not 0.0 < float(keep) <= 1.0:
        raise ValueError(f"`keep` must be in (0, 1]; got {keep!r}")

    def reduce(z: np.ndarray, name: str) -> np.ndarray:
        u, s, _ = np.linalg.svd(_centred(z, name), full_matrices=False)
        share = np.cumsum(s**2) / np.sum(s**2)
        r = int(np.searchsorted(share, keep - 1e-12) + 1)
        return u[:, :r] * s[:r]

    return cca_similarity(reduce(x, "a"), reduce(y, "b"))


def mcc(latents: ArrayLike, estimate: ArrayLike, method: str = "pearson") -> float:
    """Mean correlation coefficient: mean |corr| of true and estimated latents after matching.

    The |correlation| matrix between the columns of ``latents`` and ``estimate`` is matched
    one-to-one by the Hungarian algorithm (``scipy.optimize.linear_sum_assignment``) and the
    matched values are averaged over min(d, d_hat) pairs. 1 for a permuted, rescaled, sign-flipped
    copy; ``method="spearman"`` makes it invariant to monotone maps of each column too.
    """
    z, zh = _pair(latents, estimate, ("latents", "estimate"))
    if method not in ("pearson", "spearman"):
        raise ValueError(f"`method` must be 'pearson' or 'spearman'; got {method!r}")
    if method == "spearman":
        z, zh = rankdata(z, axis=0), rankdata(zh, axis=0)
    zc, hc = _centred(z, "latents"), _centred(zh, "estimate")
    for arr, name in ((zc, "latents"), (hc, "estimate")):
        if np.any(np.linalg.norm(arr, axis=0) == 0):
            raise ValueError(f"`{name}` has a constant column")
    corr = np.abs((zc / np.linalg.norm(zc, axis=0)).T @ (hc / np.linalg.norm(hc, axis=0)))
    rows, cols = linear_sum_assignment(corr, maximize=True)
    return float(corr[rows, cols].mean())
