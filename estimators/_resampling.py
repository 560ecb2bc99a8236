"""Resampling uncertainty of the information estimates: confidence intervals and permutation nulls."""

from __future__ import annotations

import math

import numpy as np

from ._mi import conditional_mutual_information, mutual_information
from ._types import ConfidenceInterval, PermutationNull
from ._validation import check_n_draws

__all__ = ["bootstrap_ci", "permutation_null"]

_KNN = ("ksg", "ksg2", "mixed", "auto")


def _estimator(method: str, z: object, kwargs: dict):
    if z is None:
        return lambda x, y, zz, rng: mutual_information(x, y, method, rng=rng, **kwargs)
    return lambda x, y, zz, rng: conditional_mutual_information(x, y, zz, method, rng=rng, **kwargs)


def _rows(a: object, idx: np.ndarray) -> object:
    return None if a is None else np.asarray(a)[idx]


def _n_rows(x: object) -> int:
    arr = np.asarray(x)
    if arr.ndim == 0:
        raise ValueError("`x` must be a 1-D or 2-D array (n_samples, n_features); got a scalar")
    return arr.shape[0]


def bootstrap_ci(
    x: object,
    y: object,
    method: str = "ksg",
    *,
    z: object = None,
    n_resamples: int = 200,
    level: float = 0.95,
    rng: object = None,
    **kwargs: object,
) -> ConfidenceInterval:
    """Confidence interval of ``mutual_information(x, y, method)`` (or the CMI given ``z``) by resampling rows.

    - ``"gaussian"``, ``"copula"``, ``"discrete"``: the percentile bootstrap (Efron 1979) over
      ``n_resamples`` samples of n rows drawn with replacement;
    - kNN methods (``"ksg"``, ``"ksg2"``, ``"mixed"``, ``"auto"``): repeated rows would be each
      other's nearest neighbours, so rows are instead half-sampled without replacement. The
      spread of half-sample estimates around their mean estimates the sampling spread of the full
      estimate (delete-n/2 jackknife: ``Var(theta_{n/2} - theta_n) = Var(theta_n)`` to first
      order, Shao & Wu 1989), and the interval is the estimate plus the centred half-sample
      quantiles. It describes variance, not the estimator's bias.

    Parameters
    ----------
    x, y : array_like, shape (n,) or (n, d)
        Paired samples.
    method : str, default "ksg"
        A method of :func:`mutual_information` (or :func:`conditional_mutual_information`).
    z : array_like, optional
        Conditioning samples: the interval is then for I(X; Y | Z).
    n_resamples : int, default 200
        Resamples (>= 10).
    level : float in (0, 1), default 0.95
        Coverage of the interval.
    rng : None, int, SeedSequence or Generator
        Source of the resampling (and of the estimator's jitter); reproducible.
    **kwargs
        Passed to the estimator (``k``, ``base``, ``correction``, ...).

    Returns
    -------
    ConfidenceInterval

    Raises
    ------
    ValueError
        For a bad ``n_resamples`` or ``level``, or any error of the estimator.
    """
    n_resamples = check_n_draws(n_resamples, "n_resamples")
    if not isinstance(level, (int, float)) or not 0.0 < float(level) < 1.0:
        raise ValueError(f"`level` must be in (0, 1); got {level!r}")
    estimate_fn = _estimator(method, z, kwargs)
    gen = np.random.default_rng(rng)
    streams = gen.spawn(n_resamples + 1)
    estimate = estimate_fn(x, y, z, streams[0])
    n = _n_rows(x)
    alpha = 0.5 * (1.0 - level)
    draws = np.empty(n_resamples)
    subsample = method in _KNN
    for b in range(n_resamples):
        g = streams[b + 1]
        idx = g.permutation(n)[: n // 2] if subsample else g.integers(0, n, size=n)
        draws[b] = estimate_fn(_rows(x, idx), _rows(y, idx), _rows(z, idx), g)
    if subsample:
        low, high = estimate + np.quantile(draws - draws.mean(), [alpha, 1.0 - alpha])
        scheme = "subsample"
    else:
        low, high = np.quantile(draws, [alpha, 1.0 - alpha])
        scheme = "bootstrap"
    return ConfidenceInterval(
        float(estimate), float(low), float(high), float(level), scheme, n_resamples, kwargs.get("base", math.e)
    )


def permutation_null(
    x: object,
    y: object,
    method: str = "ksg",
    *,
    n_permutations: int = 200,
    rng: object = None,
    **kwargs: object,
) -> PermutationNull:
    """The estimate of I(X; Y) against its null under independence (rows of y permuted).

    Permuting y keeps both marginals and destroys the dependence, so the permuted estimates show
    the estimator's bias at zero information for this n and these marginals, and give the
    p-value ``(1 + #{null >= estimate}) / (1 + n_permutations)`` of a test of independence
    (Phipson & Smyth 2010).

    Parameters
    ----------
    x, y : array_like, shape (n,) or (n, d)
        Paired samples.
    method : str, default "ksg"
        A method of :func:`mutual_information`.
    n_permutations : int, default 200
        Permutations (>= 10).
    rng : None, int, SeedSequence or Generator
        Source of the permutations and of the estimator's jitter; reproducible.
    **kwargs
        Passed to :func:`mutual_information`.

    Returns
    -------
    PermutationNull

    Raises
    ------
    ValueError
        For a bad ``n_permutations`` or any error of the estimator.
    """
    n_permutations = check_n_draws(n_permutations, "n_permutations")
    gen = np.random.default_rng(rng)
    streams = gen.spawn(n_permutations + 1)
    estimate = mutual_information(x, y, method, rng=streams[0], **kwargs)
    n = _n_rows(y)
    y_arr = np.asarray(y)
    null = np.array(
        [mutual_information(x, y_arr[g.permutation(n)], method, rng=g, **kwargs) for g in streams[1:]]
    )
    p = (1.0 + np.sum(null >= estimate)) / (1.0 + n_permutations)
    return PermutationNull(
        float(estimate), float(p), float(null.mean()), float(null.std(ddof=1)), null, kwargs.get("base", math.e)
    )
