"""The one resampling engine behind every interval of the estimators: resampled rows and the centred interval.

``resample_rows`` draws the rows of one resample under a scheme (``"bootstrap"``: n rows with
replacement, Efron 1979; ``"subsample"``: n // 2 rows without, for kNN estimators, where a
repeated row would be its own nearest neighbour). ``centred_interval`` turns the resampled
statistics into the interval every estimator reports: the estimate plus the *centred* quantiles
of the resampled values, ``[theta + q_a - mean, theta + q_(1-a) - mean]`` (the basic bootstrap
written around the resample mean), not their raw percentiles: a resample's estimate carries a bias
the full-sample estimate does not, and centring removes it from the interval. For half-samples,
the spread of half-sample estimates around their mean estimates the sampling spread of the full
estimate (delete-n/2 jackknife: ``Var(theta_{n/2} - theta_n) = Var(theta_n)`` to first order, Shao
& Wu 1989).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["SCHEMES", "centred_interval", "resample_rows"]

SCHEMES = ("bootstrap", "subsample")


def resample_rows(n: int, scheme: str, gen: np.random.Generator) -> np.ndarray:
    """Row indices of one resample of n rows: n with replacement, or n // 2 without (``scheme``)."""
    if scheme == "subsample":
        return gen.permutation(n)[: n // 2]
    if scheme == "bootstrap":
        return gen.integers(0, n, size=n)
    raise ValueError(f"`scheme` must be one of {SCHEMES}; got {scheme!r}")


def centred_interval(
    estimate: ArrayLike, draws: ArrayLike, level: float, *, floor: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(low, high): the estimate plus the centred ``(1 - level) / 2`` and ``(1 + level) / 2`` quantiles of the draws.

    ``estimate`` has shape (q,) (or is a scalar) and ``draws`` (B, q) (or (B,)): one interval per
    statistic. ``floor`` clips both ends from below (quantities that cannot be negative).
    """
    point = np.asarray(estimate, dtype=float)
    values = np.asarray(draws, dtype=float)
    alpha = 0.5 * (1.0 - level)
    low, high = point + np.quantile(values - values.mean(axis=0), [alpha, 1.0 - alpha], axis=0)
    if floor is not None:
        low, high = np.maximum(low, floor), np.maximum(high, floor)
    return low, high
