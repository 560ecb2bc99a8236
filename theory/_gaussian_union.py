"""Union information of a Gaussian system over Gaussian couplings (the ~G-PID), with a duality-gap certificate.

The ~G-PID (Venkatesh, Bennett, Gale, Ramirez, Heller, Durand, Olsen & Mihalas 2023, NeurIPS) is BROJA's
union information
restricted to Gaussian couplings: with target M and sources X, Y,

    U = min over Sigma_XY of I_Q(M; X, Y),   Q Gaussian with P's (M, X) and (M, Y) blocks.

Two facts make it small and certifiable:

1. **Reduction.** Only the sufficient statistic of each source for M matters. Whitening each block,
   X enters through ``K_X = Sigma_M^-1/2 Sigma_MX Sigma_X^-1 Sigma_XM Sigma_M^-1/2`` alone (m x m,
   eigenvalues the squared canonical correlations); writing ``K_X = G_X G_X^T`` with G_X of rank
   k_X <= m, the problem over (M, T_X, T_Y) with identity blocks, cross-covariances G_X, G_Y and a
   free k_X x k_Y coupling C has the same minimum (data processing one way; X drawn from T_X
   independently of the rest the other). The work on the sources is two Cholesky factors.
2. **Convexity.** With ``S(C) = [[I, C], [C^T, I]]`` and ``G = [G_X, G_Y]``,
   ``I_Q = -1/2 log det(I - G S(C)^-1 G^T)``. ``C -> G S(C)^-1 G^T`` is operator convex and
   log det is operator monotone and concave, so the objective is convex on the convex feasible
   set, and the max-det program ``max log det W s.t. [[I - W, G], [G^T, S(C)]] >= 0`` has a dual.
   From any feasible C the dual point built from the complementary-slackness pattern, with its
   forbidden block B moved into ``t_X I`` and ``t_Y I`` (``t_X t_Y = ||B||^2``), is feasible, so

       I_Q(C) - U <= gap(C) = ||B||_2 sqrt(k_X k_Y) - <B, C>,   B = (S_c^-1 - S^-1)_XY,

   where ``S_c = S(C) - G^T G`` is the conditional covariance of (T_X, T_Y) given M; ``-B`` is the
   gradient of the objective, so the gap vanishes at the optimum.

The minimum is found by a barrier method (``-mu log det S(C)``, Newton steps with a feasibility line
search, mu divided by 50 until the gap is below ``tol`` or stops shrinking), started from the coupling that makes
the sources conditionally independent given M (always feasible). The optimum may lie on the
boundary (a fully redundant pair, ``T_X = T_Y``); the barrier approaches it and the gap says how
close it got.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.linalg import cho_factor, cho_solve, eigh, solve_triangular
from threadpoolctl import threadpool_limits

__all__ = ["MAX_COUPLING", "reduced_source", "source_mi_under_ci", "union_information"]

#: Largest k_X * k_Y (reduced coupling entries) the dense Newton solver accepts (a 4096^2 Hessian).
MAX_COUPLING = 4096
_OUTER = 12
_NEWTON_STEPS = 40
_CENTRED = 1e-6  # centring: Newton runs until its decrement is below this times mu^2
_RANK_RTOL = 1e-12


def reduced_source(
    cov: np.ndarray, source: tuple[int, ...], chol_target: np.ndarray, it: tuple[int, ...]
) -> np.ndarray:
    """G (m x k) with ``G G^T = Sigma_M^-1/2 Sigma_MX Sigma_X^-1 Sigma_XM Sigma_M^-T/2`` and k its rank.

    ``chol_target`` is the lower Cholesky factor of ``Sigma_M``; directions with squared canonical
    correlation below ``_RANK_RTOL`` carry nothing and are dropped.
    """
    sx = cov[np.ix_(source, source)]
    smx = cov[np.ix_(it, source)]
    a = solve_triangular(chol_target, smx, lower=True)  # Sigma_M^-1/2 Sigma_MX, (m, dx)
    factor = cho_factor(sx, lower=True)
    k = a @ cho_solve(factor, a.T)  # (m, m)
    lam, vec = eigh(0.5 * (k + k.T))
    keep = lam > _RANK_RTOL
    return np.asarray(vec[:, keep] * np.sqrt(lam[keep]))


def source_mi_under_ci(gx: np.ndarray, gy: np.ndarray) -> float:
    """I(X; Y) in nats when X and Y are conditionally independent given M (cross-covariance G_X^T G_Y)."""
    if gx.shape[1] == 0 or gy.shape[1] == 0:
        return 0.0
    s = np.linalg.svd(gx.T @ gy, compute_uv=False)
    return max(0.0, -0.5 * float(np.sum(np.log1p(-np.minimum(s * s, 1.0 - 1e-300)))))


def _information(g: np.ndarray) -> float:
    """I(M; T) in nats for whitened M, T with cross-covariance g: ``-1/2 log det(I - g^T g)``."""
    if g.size == 0:
        return 0.0
    return max(0.0, -0.5 * float(np.sum(np.log1p(-np.minimum(np.linalg.eigvalsh(g.T @ g), 1.0 - 1e-16)))))


def _logdet(a: np.ndarray) -> float | None:
    try:
        chol = np.linalg.cholesky(a)
    except np.linalg.LinAlgError:
        return None
    d = np.diag(chol)
    return 2.0 * float(np.sum(np.log(d))) if np.all(d > 0) else None


def _coupling_hessian(p: np.ndarray, kx: int) -> np.ndarray:
    """Matrix of ``E -> tr(P_xx E P_yy E^T) + tr(P_xy E^T P_xy E^T)`` over row-major vec(E)."""
    pxx, pxy, pyy = p[:kx, :kx], p[:kx, kx:], p[kx:, kx:]
    ky = pyy.shape[0]
    first = np.kron(pxx, pyy)
    second = np.einsum("ab,cd->cbad", pxy, pxy).reshape(kx * ky, kx * ky)
    return first + second


class _Problem:
    """The reduced union-information problem over the k_X x k_Y coupling C."""

    def __init__(self, gx: np.ndarray, gy: np.ndarray) -> None:
        self.kx, self.ky = gx.shape[1], gy.shape[1]
        self.g = np.hstack([gx, gy])  # (m, k)
        self.gram = self.g.T @ self.g
        self.eye = np.eye(self.kx + self.ky)

    def joint(self, c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        s = self.eye.copy()
        s[: self.kx, self.kx :] = c
        s[self.kx :, : self.kx] = c.T
        return s, s - self.gram

    def value(self, c: np.ndarray) -> tuple[float, float] | None:
        """(log det S, log det S_c), or None outside the feasible set."""
        s, sc = self.joint(c)
        ls, lc = _logdet(s), _logdet(sc)
        return None if ls is None or lc is None else (ls, lc)

    def inverses(self, c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        s, sc = self.joint(c)
        return np.linalg.inv(s), np.linalg.inv(sc)

    def gap(self, c: np.ndarray, mu: float) -> float:
        """Certified bound on ``I_Q(C) - U`` in nats, from the dual point of the central path at ``mu``.

        The barrier problem in C is the central path of ``max log det W + nu log det M`` with
        ``nu = 2 mu / (1 - 2 mu)`` (optimal ``W = Wbar / (1 + nu)``, ``Wbar = I - G S^-1 G^T``).
        Its dual point ``Z = nu M^-1`` is, by the Schur complement and Woodbury identities,

            Z11 = (1 + nu) (I + G Q G^T),  Z12 = -(1 + nu) G Q,  Z22 = (1 + nu) Q - P,

        with ``P = S^-1`` and ``Q = S_c^-1`` (no inverse of the nearly singular M). Its forbidden
        block ``B = Z22_XY`` (zero on the path) is replaced by ``t_X I, t_Y I`` with
        ``t_X t_Y = ||B||^2``, which keeps Z feasible, so ``(g(Z) - log det Wbar) / 2`` bounds the
        error, g the dual function.
        """
        p, q = self.inverses(c)
        m, kx = self.g.shape[0], self.kx
        scale = 1.0 + 2.0 * mu / (1.0 - 2.0 * mu)
        gq = self.g @ q
        z11 = scale * (np.eye(m) + gq @ self.g.T)
        z22 = scale * q - p
        b = z22[:kx, kx:]
        logdet_z11 = _logdet(0.5 * (z11 + z11.T))
        v = self.value(c)
        if logdet_z11 is None or v is None:
            return math.inf
        norm = float(np.linalg.norm(b, 2)) if b.size else 0.0
        dual = (
            -logdet_z11
            - m
            + float(np.trace(z11))
            - 2.0 * scale * float(np.sum(gq * self.g))
            + float(np.trace(z22))
            + 2.0 * norm * math.sqrt(kx * self.ky)
        )
        logdet_wbar = v[1] - v[0]  # det S_c = det S det Wbar (Schur complements of [[S, G^T], [G, I]])
        return max(0.5 * (dual - logdet_wbar), 0.0)


def _newton(problem: _Problem, c: np.ndarray, mu: float) -> np.ndarray:
    """Minimise ``F = (1/2 - mu) log det S - 1/2 log det S_c`` from a feasible C."""
    kx, ky = problem.kx, problem.ky

    def objective(x: np.ndarray) -> float:
        v = problem.value(x)
        return math.inf if v is None else (0.5 - mu) * v[0] - 0.5 * v[1]

    current = objective(c)
    for _ in range(_NEWTON_STEPS):
        p, q = problem.inverses(c)
        grad = (1.0 - 2.0 * mu) * p[:kx, kx:] - q[:kx, kx:]
        hess = _coupling_hessian(q, kx) - (1.0 - 2.0 * mu) * _coupling_hessian(p, kx)
        hess = 0.5 * (hess + hess.T)
        hess[np.diag_indices_from(hess)] += 1e-14 * max(1.0, float(np.max(np.abs(np.diag(hess)))))
        try:
            step = -np.linalg.solve(hess, grad.ravel()).reshape(kx, ky)
        except np.linalg.LinAlgError:
            step = -grad
        decrement = -float(np.sum(grad * step))
        if decrement <= 0.0:
            step, decrement = -grad, float(np.sum(grad * grad))
        if decrement < _CENTRED * mu * mu or decrement < 1e-24:
            break
        if decrement < 1e-8:  # quadratic convergence: the full step, if it stays feasible
            value = objective(c + step)
            if value < math.inf and value <= current + 1e-14 * max(1.0, abs(current)):
                c, current = c + step, value
                continue
        t = 1.0 if decrement < 0.25 else 1.0 / (1.0 + math.sqrt(decrement))  # damped phase
        while t > 1e-8:
            trial = c + t * step
            value = objective(trial)
            if value <= current - 0.25 * t * decrement:
                break
            t *= 0.5
        else:
            break
        c, current = trial, value
    return c


def union_information(gx: np.ndarray, gy: np.ndarray, tol: float) -> tuple[float, float]:
    """Minimum over Gaussian couplings of I(M; T_X, T_Y), and its certified gap, both in nats.

    ``gx`` (m, k_X) and ``gy`` (m, k_Y) are the reduced cross-covariances of
    :func:`reduced_source` (identity covariances, rank k <= m). The value is the solver's feasible
    coupling, so it over-estimates the minimum by at most the gap; the solver stops once the gap
    is below ``tol`` nats.
    """
    kx, ky = gx.shape[1], gy.shape[1]
    if kx == 0 or ky == 0:  # one source says nothing: the union is the other's information
        return _information(gx if ky == 0 else gy), 0.0
    if kx * ky > MAX_COUPLING:
        raise ValueError(
            f"the tilde PID solves for a {kx} x {ky} coupling (the ranks of the source-target cross-covariances); at "
            f"most {MAX_COUPLING} entries are supported: use a target of at most {math.isqrt(MAX_COUPLING)} dimensions"
        )
    # The matrices are small: BLAS threads cost more than they save (a bias-corrected pid() at M = 10,
    # n = 100: 0.97 s with two BLAS threads, 0.30 s with one).
    with threadpool_limits(1, user_api="blas"):
        return _solve(gx, gy, tol)


def _solve(gx: np.ndarray, gy: np.ndarray, tol: float) -> tuple[float, float]:
    problem = _Problem(gx, gy)
    c = gx.T @ gy  # conditionally independent sources given M: always feasible
    # U >= max(I(M; T_X), I(M; T_Y)) too, tight when one source holds all the other knows (an
    # optimum on the boundary, where the central path's dual point is limited by rounding).
    lower = max(_information(gx), _information(gy))
    mu, best, stalled = 0.1, math.inf, 0
    for _ in range(_OUTER):
        c_mu = _newton(problem, c, mu)
        v = problem.value(c_mu)
        assert v is not None  # every iterate is feasible
        gap = min(problem.gap(c_mu, mu), max(0.5 * (v[0] - v[1]) - lower, 0.0))
        if gap < best:
            c, best, stalled = c_mu, gap, 0
        else:
            stalled += 1
        if best <= tol or stalled == 2:  # converged, or rounding now limits the certificate
            break
        mu *= 0.005
    v = problem.value(c)
    assert v is not None
    return 0.5 * (v[0] - v[1]), best
