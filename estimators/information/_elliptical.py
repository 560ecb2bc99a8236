"""Mutual information of a Student-t copula fitted to rank-normalised data.

Mutual information is a property of the copula (it is unchanged by strictly increasing maps of
each column). The Gaussian copula (Ince et al. 2017) misses the dependence that heavy joint tails
carry: in a multivariate Student-t the common chi-square scale makes the coordinates dependent
even when the scale matrix is diagonal. The t copula with correlation R and nu degrees of freedom
contains the Gaussian copula (nu -> inf), and its information is the multivariate t's in closed
form (Arellano-Valle et al. 2013; :func:`theory.student_t_mutual_information`).

Fit (pseudo maximum likelihood, Genest, Ghoudi & Rivest 1995; the t copula as in Demarta & McNeil
2005): the pseudo-observations ``u = rank / (n + 1)`` of every column are mapped to
``z = t_nu^-1(u)``; for fixed nu, R is the fixed point of the EM update of a centred t scatter
matrix (weights ``(nu + d) / (nu + z^T R^-1 z)``) rescaled to unit diagonal; nu maximises the
profile copula log-likelihood over ``log nu`` in [log 0.5, log 1000] (bounded Brent search). The
Gaussian copula's log-likelihood is computed alongside, so ``2 (l_t - l_gauss)`` is the
likelihood-ratio statistic of heavy tails (one parameter).

The information of the fit is corrected for the log-determinant bias of its Gaussian part (as in
the Gaussian estimator); the t term depends on nu and the dimensions only.

:func:`elliptical_mi` is what ``"auto"`` uses: the Gaussian-copula information of all columns
(unbiased for Gaussian dependence in any dimension) plus the heavy-tail *excess* of a t copula
over the Gaussian copula, counted only when the likelihood-ratio test finds heavy tails
(``HEAVY_TAILS_LR``, p < 0.001). In many dimensions the excess is measured on the leading
canonical pairs (CCA of the normal scores, the pairs whose canonical correlation clears the
largest one expected under independence, Wachter's edge, by 20 %), where dependence of embeddings
typically lives; the Gaussian part still uses every column.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.linalg import cholesky, solve_triangular, svd
from scipy.optimize import minimize_scalar
from scipy.special import gammaln, ndtr, stdtrit

from modalinfo.theory import gaussian_mutual_information, student_t_mutual_information

from ._parametric import copula_normal, gaussian_mi_cov, gaussian_mi_nats

__all__ = ["HEAVY_TAILS_LR", "EllipticalEstimate", "TCopulaFit", "elliptical_mi", "t_copula_fit", "t_copula_mi_nats"]

#: Likelihood-ratio statistic of the t copula against the Gaussian above which tails count as heavy
#: (the upper 0.1 % point of chi^2 with one degree of freedom).
HEAVY_TAILS_LR = 10.83
#: Most canonical pairs the heavy-tail excess is measured on; below 2 * this many columns, all of them.
MAX_DIRECTIONS = 10

_LOG_NU = (math.log(0.5), math.log(1000.0))
_EM_STEPS = 100
_EM_TOL = 1e-7


@dataclass(frozen=True)
class TCopulaFit:
    """A fitted t copula: correlation ``corr``, degrees of freedom ``df``, and ``2 (l_t - l_gauss)``."""

    corr: np.ndarray
    df: float
    likelihood_ratio: float


def _log_t_density(z: np.ndarray, nu: float) -> np.ndarray:
    """log density of the univariate standard t with nu degrees of freedom."""
    return (
        gammaln(0.5 * (nu + 1))
        - gammaln(0.5 * nu)
        - 0.5 * math.log(nu * math.pi)
        - 0.5 * (nu + 1) * np.log1p(z * z / nu)
    )


def _cholesky(corr: np.ndarray) -> np.ndarray:
    try:
        return np.linalg.cholesky(corr)
    except np.linalg.LinAlgError:
        raise ValueError(
            "the correlation of the normal scores is singular: a column is a monotone function of others "
            "(the information is infinite or undefined)"
        ) from None


def _correlation(scatter: np.ndarray) -> np.ndarray:
    sd = np.sqrt(np.diag(scatter))
    return scatter / np.outer(sd, sd)


class _Profile:
    """The profile log-likelihood of nu for fixed pseudo-observations (unique values shared by all columns)."""

    def __init__(self, u: np.ndarray) -> None:
        self.n, self.d = u.shape
        self.levels, self.index = np.unique(u, return_inverse=True)
        self.index = self.index.reshape(u.shape)
        self.corr = np.corrcoef(stdtrit(4.0, self.levels)[self.index], rowvar=False).reshape(self.d, self.d)

    def loglik(self, nu: float) -> float:
        """Copula log-likelihood at its EM correlation for nu (stores the correlation)."""
        table = stdtrit(nu, self.levels)
        z = table[self.index]
        d, corr = self.d, self.corr
        for _ in range(_EM_STEPS):
            chol = _cholesky(corr)
            q = np.sum(np.linalg.solve(chol, z.T) ** 2, axis=0)
            w = (nu + d) / (nu + q)
            new = _correlation((z * w[:, None]).T @ z / self.n)
            done = float(np.max(np.abs(new - corr))) < _EM_TOL
            corr = new
            if done:
                break
        self.corr = corr
        chol = _cholesky(corr)
        q = np.sum(np.linalg.solve(chol, z.T) ** 2, axis=0)
        logdet = 2.0 * float(np.sum(np.log(np.diag(chol))))
        joint = self.n * (gammaln(0.5 * (nu + d)) - gammaln(0.5 * nu) - 0.5 * d * math.log(nu * math.pi))
        joint -= 0.5 * self.n * logdet + 0.5 * (nu + d) * float(np.sum(np.log1p(q / nu)))
        margins = float(np.sum(_log_t_density(table, nu)[self.index]))
        return float(joint - margins)


def _gaussian_copula_loglik(scores: np.ndarray) -> float:
    n = scores.shape[0]
    corr = np.corrcoef(scores, rowvar=False).reshape(scores.shape[1], scores.shape[1])
    chol = _cholesky(corr)
    q = np.sum(np.linalg.solve(chol, scores.T) ** 2, axis=0)
    return float(-0.5 * n * 2.0 * np.sum(np.log(np.diag(chol))) - 0.5 * np.sum(q) + 0.5 * np.sum(scores**2))


def t_copula_fit(scores: np.ndarray) -> TCopulaFit:
    """Fit a t copula to the (n, d) normal scores of rank-normalised columns (module docstring)."""
    _cholesky(np.corrcoef(scores, rowvar=False).reshape(scores.shape[1], scores.shape[1]))
    profile = _Profile(ndtr(scores))
    best = minimize_scalar(
        lambda s: -profile.loglik(math.exp(s)), bounds=_LOG_NU, method="bounded", options={"xatol": 1e-3}
    )
    nu = math.exp(float(best.x))
    loglik = profile.loglik(nu)  # also leaves the correlation at this nu
    ratio = 2.0 * (loglik - _gaussian_copula_loglik(scores))
    return TCopulaFit(profile.corr, nu, max(ratio, 0.0))


def t_copula_mi_nats(fit: TCopulaFit, dx: int, n: int) -> float:
    """I(X; Y) in nats of a fitted t copula (X the first dx coordinates), Gaussian part bias-corrected."""
    a, b = list(range(dx)), list(range(dx, fit.corr.shape[0]))
    plug_in = student_t_mutual_information(fit.corr, a, b, df=fit.df)
    gaussian_bias = gaussian_mutual_information(fit.corr, a, b) - gaussian_mi_cov(fit.corr, dx, n)
    return plug_in - gaussian_bias


@dataclass(frozen=True)
class EllipticalEstimate:
    """:func:`elliptical_mi`: the estimate in nats, its Gaussian part and heavy-tail excess, and the t fit."""

    value: float
    gaussian: float
    excess: float
    fit: TCopulaFit
    directions: int | None


def _canonical_pairs(cx: np.ndarray, cy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Projections of the normal scores on their canonical pairs above Wachter's edge (1 to MAX_DIRECTIONS)."""
    n, dx = cx.shape
    dy = cy.shape[1]
    a, b = cx - cx.mean(axis=0), cy - cy.mean(axis=0)
    la, lb = cholesky(a.T @ a / n, lower=True), cholesky(b.T @ b / n, lower=True)
    cross = solve_triangular(la, solve_triangular(lb, (a.T @ b / n).T, lower=True).T, lower=True)
    u, rho, vt = svd(cross)
    p, q = dx / n, dy / n
    edge = math.sqrt(p * (1 - q)) + math.sqrt(q * (1 - p))  # largest canonical correlation under independence
    k = int(np.clip(np.sum(rho > 1.2 * edge), 1, MAX_DIRECTIONS))
    wa = solve_triangular(la.T, u[:, :k], lower=False)
    wb = solve_triangular(lb.T, vt[:k].T, lower=False)
    return a @ wa, b @ wb


def elliptical_mi(cx: np.ndarray, cy: np.ndarray) -> EllipticalEstimate:
    """Gaussian-copula I(X; Y) of the normal scores plus the heavy-tail excess of a t copula (module docstring)."""
    n, dx = cx.shape
    gaussian = gaussian_mi_nats(cx, cy)
    directions = None
    if dx + cy.shape[1] > 2 * MAX_DIRECTIONS:
        rx, ry = _canonical_pairs(cx, cy)
        directions = rx.shape[1]
        scores = copula_normal(np.hstack([rx, ry]))
    else:
        scores = np.hstack([cx, cy])
    k = dx if directions is None else directions
    fit = t_copula_fit(scores)
    excess = 0.0
    if fit.likelihood_ratio >= HEAVY_TAILS_LR:
        excess = max(t_copula_mi_nats(fit, k, n) - gaussian_mi_nats(scores[:, :k], scores[:, k:]), 0.0)
    return EllipticalEstimate(gaussian + excess, gaussian, excess, fit, directions)
