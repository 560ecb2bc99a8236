"""Exact risk, latent quality and sample complexity of linear-Gaussian learners.

Setting (the random-design regression of Breiman & Freedman 1983, JASA 78:131; the linear case of
Huang et al. 2021, NeurIPS): x ~ N(0, Sigma) in R^p, y = beta.x + e
with Var e = sigma^2, squared loss, ordinary least squares without intercept on n samples.
Since ``E[(X^T X)^-1] = Sigma^-1 / (n - p - 1)`` for Gaussian designs (inverse Wishart mean),

    E[excess risk] = sigma^2 p / (n - p - 1),      E[test MSE] = sigma^2 (n - 1) / (n - p - 1).

Dropping a modality leaves a well-specified Gaussian regression on the kept one, with the
effective noise ``sigma^2 + Var(beta.x | x_kept)``.
"""

from __future__ import annotations

import numpy as np

from modalinfo.typing import ArrayLike
from modalinfo.validation import check_covariance, check_indices, check_int, check_positive

__all__ = [
    "effective_noise",
    "iso_risk_ratio",
    "linear_latent_quality",
    "ols_encoder_latent_quality",
    "ols_excess_risk",
    "ols_test_risk",
    "samples_to_epsilon",
]


def _sample_sizes(n: ArrayLike, p: int, name: str = "n") -> np.ndarray:
    arr = np.asarray(n, dtype=float)
    if arr.size == 0 or not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr)):
        raise ValueError(f"`{name}` must be finite integer sample size(s); got {n!r}")
    if np.any(arr <= p + 1):
        raise ValueError(f"`{name}` must exceed p + 1 = {p + 1} for the OLS expectation to be finite; got {n!r}")
    return arr


def _scalar_or_array(x: np.ndarray) -> float | np.ndarray:
    return float(x) if x.ndim == 0 else x


def ols_excess_risk(n: ArrayLike, p: int, noise_var: float, *, intercept: bool = False) -> float | np.ndarray:
    """Expected excess test risk of OLS with p zero-mean Gaussian features and n samples.

    ``E[R(beta_hat)] - sigma^2 = sigma^2 p / (n - p - 1)`` for n > p + 1 (no intercept), and with
    an estimated intercept ``sigma^2 [(1 + 1/n)(n - 2)/(n - p - 2) - 1]`` for n > p + 2 (the
    intercept is one more coefficient whose error is that of the mean of n residuals).

    Parameters
    ----------
    n : int or array_like of int
        Sample size(s), each > p + 1 (> p + 2 with ``intercept``).
    p : int
        Number of features, >= 1.
    noise_var : float
        Noise variance sigma^2 > 0 (the Bayes risk).
    intercept : bool, default False
        Whether the fit estimates an intercept.

    Returns
    -------
    float or ndarray
        The expected excess mean squared error (same shape as ``n``).

    Raises
    ------
    ValueError
        If ``p`` < 1, ``noise_var`` <= 0, or any n is too small.

    Examples
    --------
    >>> round(ols_excess_risk(30, 10, 1.0), 4)
    0.5263
    """
    return ols_test_risk(n, p, noise_var, intercept=intercept) - check_positive(noise_var, "noise_var")


def ols_test_risk(n: ArrayLike, p: int, noise_var: float, *, intercept: bool = False) -> float | np.ndarray:
    """Expected test MSE of OLS: ``sigma^2 (n - 1) / (n - p - 1)``, or with an intercept
    ``sigma^2 (1 + 1/n)(n - 2) / (n - p - 2)`` (see :func:`ols_excess_risk`)."""
    p = check_int(p, "p", 1)
    s2 = check_positive(noise_var, "noise_var")
    if intercept:
        arr = _sample_sizes(n, p + 1)
        return _scalar_or_array(s2 * (1 + 1 / arr) * (arr - 2) / (arr - p - 2))
    arr = _sample_sizes(n, p)
    return _scalar_or_array(s2 * (arr - 1) / (arr - p - 1))


def samples_to_epsilon(eps: ArrayLike, p: int, noise_var: float) -> float | np.ndarray:
    """Smallest n at which the expected OLS test MSE reaches ``eps``.

    Inverting ``sigma^2 (n - 1) / (n - p - 1) = eps`` gives
    ``n(eps) = p + 1 + sigma^2 p / (eps - sigma^2)`` for eps > sigma^2, and infinity for
    eps <= sigma^2 (the floor cannot be beaten by more data). Real-valued (not rounded up).

    Parameters
    ----------
    eps : float or array_like
        Target test MSE(s), finite and > 0.
    p : int
        Number of features, >= 1.
    noise_var : float
        The risk floor sigma^2 > 0 (for a unimodal learner, its :func:`effective_noise`).

    Returns
    -------
    float or ndarray
        Sample sizes, ``inf`` where ``eps <= noise_var``.

    Raises
    ------
    ValueError
        If ``eps`` is not finite and positive, ``p`` < 1 or ``noise_var`` <= 0.
    """
    p = check_int(p, "p", 1)
    s2 = check_positive(noise_var, "noise_var")
    e = np.asarray(eps, dtype=float)
    if e.size == 0 or not np.all(np.isfinite(e)) or np.any(e <= 0):
        raise ValueError(f"`eps` must be finite and > 0; got {eps!r}")
    with np.errstate(divide="ignore"):
        out = np.where(e > s2, p + 1 + s2 * p / np.where(e > s2, e - s2, 1.0), np.inf)
    return _scalar_or_array(out)


def iso_risk_ratio(eps: ArrayLike, *, unimodal: tuple[int, float], multimodal: tuple[int, float]) -> float | np.ndarray:
    """How many unimodal samples one multimodal sample is worth at target risk ``eps`` (exact OLS).

    ``rho(eps) = n_uni(eps) / n_multi(eps)`` with :func:`samples_to_epsilon` for each learner,
    each given as ``(p, noise_var)``: its number of features and its risk floor (for the unimodal
    learner its :func:`effective_noise`). Infinite where eps is at or below the unimodal floor
    (Lu 2023's separation); the multimodal n must be finite, so ``eps`` must exceed its floor.
    :func:`estimators.iso_risk_ratio` takes the same arguments with fitted curves in place of the
    exact learners.

    Parameters
    ----------
    eps : float or array_like
        Target test MSE(s).
    unimodal, multimodal : (int, float)
        ``(p, noise_var)`` of each least-squares learner.

    Returns
    -------
    float or ndarray
        The ratio, ``inf`` where ``eps`` is at or below the unimodal floor.

    Examples
    --------
    p1 = p2 = 10, sigma^2 = 1, sigma_eff^2 = 2:

    >>> round(iso_risk_ratio(2.5, unimodal=(10, 2.0), multimodal=(20, 1.0)), 2)
    1.49
    """
    for name, learner in (("unimodal", unimodal), ("multimodal", multimodal)):
        if not isinstance(learner, (tuple, list)) or len(learner) != 2:
            raise ValueError(f"`{name}` must be a pair (p, noise_var); got {learner!r}")
    n_multi = np.asarray(samples_to_epsilon(eps, *multimodal))
    if np.any(np.isinf(n_multi)):
        raise ValueError(f"`eps` must exceed the multimodal floor noise_var = {multimodal[1]}; got {eps!r}")
    return _scalar_or_array(np.asarray(samples_to_epsilon(eps, *unimodal)) / n_multi)


def effective_noise(cov: ArrayLike, beta: ArrayLike, kept: ArrayLike, noise_var: float) -> float:
    """Noise variance seen by a regression on the kept features only.

    ``sigma_eff^2 = sigma^2 + Var(beta.x | x_K) = sigma^2 + beta^T (Sigma - Sigma_.K Sigma_KK^-1
    Sigma_K.) beta`` (Gaussian conditioning; ``beta_2^T Sigma_{2|1} beta_2`` for two modalities).

    Parameters
    ----------
    cov : array_like, shape (p, p)
        Covariance of all features; symmetric positive definite.
    beta : array_like, shape (p,)
        True regression weights on all features.
    kept : sequence of int
        Indices of the kept features (may be empty: then the whole signal is noise).
    noise_var : float
        Noise variance sigma^2 > 0 of the full regression.

    Returns
    -------
    float
        The effective noise variance, >= noise_var.

    Raises
    ------
    ValueError
        If ``cov``, ``beta``, ``kept`` or ``noise_var`` is invalid or shapes disagree.
    """
    return check_positive(noise_var, "noise_var") + linear_latent_quality(cov, beta, kept)


def linear_latent_quality(cov: ArrayLike, beta: ArrayLike, kept: ArrayLike, encoder: ArrayLike | None = None) -> float:
    """Huang et al. (2021, Def. 1) latent quality of a linear encoder of the kept features.

    For x ~ N(0, Sigma), y = beta.x + e and linear heads under squared loss, the excess risk of
    the best head on the representation ``g(x) = A^T x_K`` over the best predictor on all of x is

        eta(A) = beta^T Sigma beta - c^T (A^T Sigma_KK A)^-1 c,   c = A^T Sigma_K. beta,

    and the population optimum over all encoders of x_K (``encoder=None``) is the Schur
    residual ``eta*_K = Var(beta.x | x_K)`` (Gaussian conditioning). Adding features never
    increases eta*.

    Parameters
    ----------
    cov : array_like, shape (p, p)
        Covariance of all features.
    beta : array_like, shape (p,)
        True weights.
    kept : sequence of int
        Features the encoder sees (may be empty).
    encoder : array_like, shape (len(kept), r), optional
        The encoder matrix A with full column rank; the best encoder when omitted.

    Returns
    -------
    float
        eta >= 0 (in units of y's variance).

    Raises
    ------
    ValueError
        If inputs are invalid, shapes disagree or the encoder is rank deficient.
    """
    c = check_covariance(cov)
    b = np.asarray(beta, dtype=float)
    if b.shape != (c.shape[0],) or not np.all(np.isfinite(b)):
        raise ValueError(f"`beta` must be finite with shape ({c.shape[0]},); got shape {b.shape}")
    k = list(check_indices(kept, c.shape[0], "kept", allow_empty=True))
    total = float(b @ c @ b)
    if not k:
        if encoder is not None:
            raise ValueError("`encoder` must be None when no feature is kept")
        return total
    a = np.eye(len(k)) if encoder is None else np.asarray(encoder, dtype=float)
    if a.ndim != 2 or a.shape[0] != len(k) or not np.all(np.isfinite(a)):
        raise ValueError(f"`encoder` must be a finite matrix with {len(k)} rows; got shape {a.shape}")
    gram = a.T @ c[np.ix_(k, k)] @ a
    if np.linalg.matrix_rank(gram) < a.shape[1]:
        raise ValueError("`encoder` must have full column rank")
    cross = a.T @ c[k, :] @ b
    return max(total - float(cross @ np.linalg.solve(gram, cross)), 0.0)


def ols_encoder_latent_quality(m: ArrayLike, p: int, eta_star: float, noise_var: float) -> float | np.ndarray:
    """Expected latent quality of the one-dimensional OLS encoder on p isotropic features.

    Leading order in 1/m (a closed form checked against Monte Carlo in the tests for m >= 5p):

        E[eta(g_hat)] ~= eta* + sigma_eff^2 (p - 1) / (m - p - 1),   sigma_eff^2 = sigma^2 + eta*,

    the population optimum ``eta*`` plus the Sigma-angle error of the OLS direction. It is an
    approximation that fails for m close to p (where the exact value is bounded by
    ``||w||^2 + eta*``); Huang's small-sample crossover is reproduced by simulation, not here.

    Parameters
    ----------
    m : int or array_like of int
        Training sample size(s), each > p + 1.
    p : int
        Features seen by the encoder, >= 1.
    eta_star : float
        Population latent quality of the modality subset (>= 0), e.g. ``||w_dropped||^2``.
    noise_var : float
        Noise variance sigma^2 > 0 of the full regression.

    Returns
    -------
    float or ndarray
        The leading-order expectation (same shape as ``m``).

    Examples
    --------
    p1 = p2 = 5, w1 = 0.6, w2 = 0.3 per coordinate, sigma^2 = 1, m = 100:

    >>> round(ols_encoder_latent_quality(100, 10, 0.0, 1.0), 3), round(ols_encoder_latent_quality(100, 5, 0.45, 1.0), 3)
    (0.101, 0.512)
    """
    p = check_int(p, "p", 1)
    s2 = check_positive(noise_var, "noise_var")
    eta = check_positive(eta_star, "eta_star", allow_zero=True)
    arr = _sample_sizes(m, p, "m")
    return _scalar_or_array(eta + (s2 + eta) * (p - 1) / (arr - p - 1))
