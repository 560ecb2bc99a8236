"""Maximum likelihood of a multivariate Gaussian from rows with missing entries (missing at random).

- Monotone patterns (the columns can be ordered so that every row observes a prefix of them, e.g.
  x1 and y always and x2 in some rows): the likelihood factorises as
  ``p(B1) p(B2 | B1) p(B3 | B1, B2) ...`` over blocks of columns observed in the same rows, and the
  ML estimate is closed form (Anderson 1957, JASA 52:200): the mean and covariance of B1 from its
  rows, then the least-squares regression of each block on all earlier ones from that block's
  rows, recombined into the joint mean and covariance.
- Any other pattern: the EM algorithm (Dempster, Laird & Rubin 1977; Little & Rubin 2019, ch. 11),
  iterated until the covariance moves by less than ``tol`` relative to its scale.
"""

from __future__ import annotations

import numpy as np

from modalinfo.estimators._types import GaussianFit
from modalinfo.typing import ArrayLike
from modalinfo.validation import MAGNITUDE_RANGE, check_int, check_positive

__all__ = ["fit_gaussian_missing"]


def _values(x: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    raw = np.asarray(x)
    if raw.dtype.kind not in "biuf":
        raise ValueError(f"`x` must be numeric, with NaN where missing; got dtype {raw.dtype}")
    arr = raw.astype(float)
    if arr.ndim != 2:
        raise ValueError(f"`x` must be a 2-D array (n_samples, n_features) with NaN where missing; got {arr.ndim} dims")
    if np.any(np.isinf(arr)):
        raise ValueError("`x` must not contain inf; mark missing entries with NaN")
    seen = ~np.isnan(arr)
    largest = float(np.abs(arr[seen]).max()) if seen.any() else 0.0
    low, high = MAGNITUDE_RANGE
    if largest > high or 0 < largest < low:
        raise ValueError(f"`x` has magnitudes up to {largest:.3g}; rescale it into [{low:g}, {high:g}]")
    counts = seen.sum(axis=0)
    if np.any(counts < 2):
        bad = np.flatnonzero(counts < 2).tolist()
        raise ValueError(f"`x` columns {bad} are observed in fewer than 2 rows; nothing to estimate them from")
    keep = seen.any(axis=1)  # rows that observe nothing carry no information
    return arr[keep], seen[keep]


def _monotone_blocks(seen: np.ndarray) -> list[np.ndarray] | None:
    """Column blocks in monotone order (each row observes a prefix of blocks), or None if not monotone."""
    order = np.argsort(-seen.sum(axis=0), kind="stable")
    cols = seen[:, order]
    if np.any(cols[:, 1:] & ~cols[:, :-1]):
        return None
    blocks: list[list[int]] = []
    for j, col in enumerate(order):
        if j and np.array_equal(cols[:, j], cols[:, j - 1]):
            blocks[-1].append(int(col))
        else:
            blocks.append([int(col)])
    return [np.array(b) for b in blocks]


def _monotone(arr: np.ndarray, seen: np.ndarray, blocks: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    d = arr.shape[1]
    mean, cov = np.zeros(d), np.zeros((d, d))
    first = blocks[0]
    rows = arr[seen[:, first[0]]][:, first]
    mean[first] = rows.mean(axis=0)
    cov[np.ix_(first, first)] = np.atleast_2d(np.cov(rows, rowvar=False, bias=True))
    done = first
    for block in blocks[1:]:
        rows = seen[:, block[0]]
        design = np.c_[np.ones(int(rows.sum())), arr[np.ix_(rows, done)]]
        if rows.sum() <= design.shape[1]:
            raise ValueError(
                f"`x` columns {block.tolist()} are observed in {int(rows.sum())} rows: "
                f"too few to regress on {done.size} columns"
            )
        coef, *_ = np.linalg.lstsq(design, arr[np.ix_(rows, block)], rcond=None)
        resid = arr[np.ix_(rows, block)] - design @ coef
        c0, c = coef[0], coef[1:].T  # block = c0 + c @ earlier + residual
        s_prev = cov[np.ix_(done, done)]
        mean[block] = c0 + c @ mean[done]
        cov[np.ix_(block, done)] = c @ s_prev
        cov[np.ix_(done, block)] = (c @ s_prev).T
        cov[np.ix_(block, block)] = resid.T @ resid / rows.sum() + c @ s_prev @ c.T
        done = np.concatenate([done, block])
    return mean, cov


def _em(arr: np.ndarray, seen: np.ndarray, tol: float, max_iter: int) -> tuple[np.ndarray, np.ndarray, int]:
    n, d = arr.shape
    mean = np.nanmean(arr, axis=0)
    cov = np.diag(np.nanvar(arr, axis=0))
    patterns, which = np.unique(seen, axis=0, return_inverse=True)
    which = which.reshape(-1)
    filled = np.where(seen, arr, 0.0)
    for it in range(1, max_iter + 1):
        completed = filled.copy()
        extra = np.zeros((d, d))
        for k, pattern in enumerate(patterns):
            o, m = np.flatnonzero(pattern), np.flatnonzero(~pattern)
            if m.size == 0:
                continue
            rows = which == k
            gain = np.linalg.solve(cov[np.ix_(o, o)], cov[np.ix_(o, m)]).T  # Sigma_mo Sigma_oo^-1
            completed[np.ix_(rows, m)] = mean[m] + (arr[np.ix_(rows, o)] - mean[o]) @ gain.T
            extra[np.ix_(m, m)] += rows.sum() * (cov[np.ix_(m, m)] - gain @ cov[np.ix_(o, m)])
        new_mean = completed.mean(axis=0)
        centred = completed - new_mean
        new_cov = (centred.T @ centred + extra) / n
        moved = np.abs(new_cov - cov).max() / max(np.abs(new_cov).max(), 1e-300)
        mean, cov = new_mean, new_cov
        if moved < tol:
            return mean, cov, it
    raise ValueError(
        f"EM did not converge in {max_iter} iterations (last relative change {moved:.2g}); raise `max_iter`"
    )


def fit_gaussian_missing(x: ArrayLike, *, tol: float = 1e-10, max_iter: int = 10_000) -> GaussianFit:
    """Maximum-likelihood mean and covariance of a Gaussian from rows with NaN where an entry is missing.

    Closed form for monotone missingness, EM otherwise (see the module docstring); missingness
    must be at random (it may depend on observed values, not on the missing ones). Covariances are
    ML (divisor n), as the likelihood gives them.

    Parameters
    ----------
    x : array_like, shape (n, d)
        Rows with NaN in the missing entries; rows with nothing observed are ignored.
    tol : float, default 1e-10
        EM stops when the covariance moves by less than ``tol`` times its largest entry.
    max_iter : int, default 10000
        EM iterations before giving up.

    Returns
    -------
    GaussianFit
        ``mean`` (d,), ``cov`` (d, d), ``method`` ("complete", "monotone" or "em") and the EM
        ``iterations`` (0 otherwise); ``predictor(target, features)`` gives the plug-in Bayes
        (conditional-mean) predictor.

    Raises
    ------
    ValueError
        For a non-2-D array, inf, a column observed in fewer than two rows, a block too rarely
        observed to regress on the earlier ones, or EM that does not converge.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x = rng.multivariate_normal([0, 0], [[1, 0.8], [0.8, 1]], 4000)
    >>> x[:2000, 1] = np.nan                       # the second column missing in half the rows
    >>> fit = fit_gaussian_missing(x)
    >>> fit.method, round(float(fit.cov[0, 1]), 1)
    ('monotone', 0.8)
    """
    tol = check_positive(tol, "tol")
    max_iter = check_int(max_iter, "max_iter", 1)
    arr, seen = _values(x)
    if seen.all():
        mean = arr.mean(axis=0)
        return GaussianFit(mean, np.atleast_2d(np.cov(arr, rowvar=False, bias=True)), "complete", 0)
    blocks = _monotone_blocks(seen)
    if blocks is not None:
        mean, cov = _monotone(arr, seen, blocks)
        return GaussianFit(mean, cov, "monotone", 0)
    mean, cov, iterations = _em(arr, seen, tol, max_iter)
    return GaussianFit(mean, cov, "em", iterations)
