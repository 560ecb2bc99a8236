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
   independently of the rest the other). The work on the sources is three Cholesky factors.
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
search, mu divided by 200 until the gap is below ``tol`` or stops shrinking), started from the
coupling that makes the sources conditionally independent given M (always feasible). The optimum
may lie on the boundary (a fully redundant pair, ``T_X = T_Y``); the barrier approaches it and the
gap says how close it got. The solver is a numba kernel: at the sizes users call it most (targets
of a few dimensions, couplings of a few entries) numpy's per-call overhead would be most of the
time.
"""

from __future__ import annotations

import math

import numba
import numpy as np

__all__ = ["MAX_COUPLING", "source_mi_under_ci", "union_information", "whitened_gains"]

#: Largest k_X * k_Y (reduced coupling entries) the dense Newton solver accepts (a 4096^2 Hessian).
MAX_COUPLING = 4096
_OUTER = 12
_NEWTON_STEPS = 40
_CENTRED = 1e-6  # centring: Newton runs until its decrement is below this times mu^2, or until
_STALL = 0.5  # (once quadratic) rounding shows: steps that no longer halve the decrement,
_PATIENCE = 3  # this many of them
_SHRINK = 0.005  # mu's factor between barrier stages
_LAST_STAGE = 1e-4  # the smallest factor, for a last stage aimed at tol
_RANK_RTOL = 1e-12


def whitened_gains(
    cov: np.ndarray, source1: tuple[int, ...], source2: tuple[int, ...], target: tuple[int, ...]
) -> tuple[float, float, float, np.ndarray, np.ndarray]:
    """I(M; X1), I(M; X2), I(M; X1, X2) in nats and the gains K_X1, K_X2 (m x m) of a validated covariance.

    ``K_X = Sigma_M^-1/2 Sigma_MX Sigma_X^-1 Sigma_XM Sigma_M^-T/2`` (``Sigma_M^1/2`` the lower
    Cholesky factor ``L_M``), whose eigenvalues are the squared canonical correlations of X with M.
    The Cholesky factor of the covariance ordered (X1, X2, M) holds ``B_1 = Sigma_MX1 L_X1^-T`` in
    its lower-left block and ``L_M|X1X2`` in its last; that of its trailing (X2, M) block holds the
    same for X2; ``K_X = (L_M^-1 B)(L_M^-1 B)^T`` and ``I(M; X) = log det L_M - log det L_M|X``
    (half log-determinants, ``Sigma_M|X1 = Sigma_M - B_1 B_1^T``). Informations below 0 (rounding) are 0.
    """
    d1, d2 = len(source1), len(source2)
    order = source1 + source2 + target
    p = cov[np.ix_(order, order)]
    joint = np.linalg.cholesky(p)
    trailing = np.linalg.cholesky(p[d1:, d1:])
    low_target = np.linalg.cholesky(p[d1 + d2 :, d1 + d2 :])
    b1, b2 = joint[d1 + d2 :, :d1], trailing[d2:, :d2]
    given1 = np.linalg.cholesky(p[d1 + d2 :, d1 + d2 :] - b1 @ b1.T)
    half_logdet = float(np.log(low_target.diagonal()).sum())
    mi1 = half_logdet - float(np.log(given1.diagonal()).sum())
    mi2 = half_logdet - float(np.log(trailing.diagonal()[d2:]).sum())
    mi12 = half_logdet - float(np.log(joint.diagonal()[d1 + d2 :]).sum())
    a = np.linalg.solve(low_target, np.hstack([b1, b2]))
    a1, a2 = a[:, :d1], a[:, d1:]
    return max(mi1, 0.0), max(mi2, 0.0), max(mi12, 0.0), a1 @ a1.T, a2 @ a2.T


def _reduced(gain: np.ndarray) -> tuple[np.ndarray, float]:
    """G (m x k) with ``G G^T = K`` (a source's gain), k its rank, and I(M; T) = -1/2 log det(I - K) in nats.

    Directions with squared canonical correlation below ``_RANK_RTOL`` carry nothing and are dropped.
    """
    lam, vec = np.linalg.eigh(0.5 * (gain + gain.T))
    keep = lam > _RANK_RTOL
    information = -0.5 * float(np.sum(np.log1p(-np.minimum(lam[keep], 1.0 - 1e-16))))
    return np.asarray(vec[:, keep] * np.sqrt(lam[keep])), information


def source_mi_under_ci(gain1: np.ndarray, gain2: np.ndarray) -> float:
    """I(X1; X2) in nats when X1 and X2 are conditionally independent given M: ``-1/2 log det(I - K1 K2)``.

    The whitened cross-covariance of the sources is then ``A1^T A2`` (``K = A A^T``), whose squared
    singular values are the eigenvalues of ``K1 K2`` (in [0, 1): the conditional law is non-singular).
    """
    sign, logdet = np.linalg.slogdet(np.eye(gain1.shape[0]) - gain1 @ gain2)
    return max(0.0, -0.5 * float(logdet)) if sign > 0 else math.inf


@numba.njit(cache=True)
def _cholesky(a):  # pragma: no cover - compiled
    """Lower Cholesky factor of the symmetric ``a`` (lower triangle read) and whether ``a`` is positive definite."""
    n = a.shape[0]
    low = np.zeros((n, n))
    for j in range(n):
        s = a[j, j]
        for p in range(j):
            s -= low[j, p] * low[j, p]
        if not s > 0.0:
            return low, False
        d = math.sqrt(s)
        low[j, j] = d
        for i in range(j + 1, n):
            s = a[i, j]
            for p in range(j):
                s -= low[i, p] * low[j, p]
            low[i, j] = s / d
    return low, True


@numba.njit(cache=True)
def _half_logdet(low):  # pragma: no cover - compiled
    """``sum(log(diag(low)))``: half the log-determinant of ``low low^T``."""
    total = 0.0
    for i in range(low.shape[0]):
        total += math.log(low[i, i])
    return total


@numba.njit(cache=True)
def _inverse(low):  # pragma: no cover - compiled
    """``(low low^T)^-1`` from a lower Cholesky factor: ``L^-T L^-1``."""
    n = low.shape[0]
    li = np.zeros((n, n))  # L^-1, lower triangular, by forward substitution
    for j in range(n):
        li[j, j] = 1.0 / low[j, j]
        for i in range(j + 1, n):
            s = 0.0
            for p in range(j, i):
                s -= low[i, p] * li[p, j]
            li[i, j] = s / low[i, i]
    out = np.empty((n, n))
    for i in range(n):
        for j in range(i + 1):
            s = 0.0
            for p in range(i, n):
                s += li[p, i] * li[p, j]
            out[i, j] = s
            out[j, i] = s
    return out


@numba.njit(cache=True)
def _factors(gram, c):  # pragma: no cover - compiled
    """Cholesky factors of ``S(C) = [[I, C], [C^T, I]]`` and ``S_c = S - G^T G``; whether C is feasible."""
    kx, ky = c.shape
    k = kx + ky
    s = np.zeros((k, k))
    for i in range(k):
        s[i, i] = 1.0
    for i in range(kx):
        for j in range(ky):
            s[kx + j, i] = c[i, j]
            s[i, kx + j] = c[i, j]
    low_s, ok_s = _cholesky(s)
    low_c, ok_c = _cholesky(s - gram)
    return low_s, low_c, ok_s and ok_c


@numba.njit(cache=True)
def _barrier_value(gram, c, mu):  # pragma: no cover - compiled
    """``F = (1/2 - mu) log det S - 1/2 log det S_c``; inf outside the feasible set."""
    low_s, low_c, ok = _factors(gram, c)
    if not ok:
        return np.inf
    return (1.0 - 2.0 * mu) * _half_logdet(low_s) - _half_logdet(low_c)


@numba.njit(cache=True)
def _hessian(p, q, kx, w):  # pragma: no cover - compiled
    """Hessian of F over row-major vec(C): ``H_Q - w H_P`` (w = 1 - 2 mu), symmetrised, with a tiny ridge.

    ``H_P[(i, j), (l, n)] = P_xx[i, l] P_yy[j, n] + P_xy[i, n] P_xy[l, j]`` is the Hessian of
    ``-1/2 log det S`` along C (``1/2 tr(P dS P dS)``), P = S^-1; H_Q the same with Q = S_c^-1.
    """
    ky = p.shape[0] - kx
    size = kx * ky
    h = np.empty((size, size))
    for i in range(kx):
        for j in range(ky):
            for k in range(kx):
                for n in range(ky):
                    hq = q[i, k] * q[kx + j, kx + n] + q[i, kx + n] * q[k, kx + j]
                    hp = p[i, k] * p[kx + j, kx + n] + p[i, kx + n] * p[k, kx + j]
                    h[i * ky + j, k * ky + n] = hq - w * hp
    top = 0.0
    for i in range(size):
        for j in range(i):
            h[i, j] = h[j, i] = 0.5 * (h[i, j] + h[j, i])
        top = max(top, abs(h[i, i]))
    for i in range(size):
        h[i, i] += 1e-14 * max(1.0, top)
    return h


@numba.njit(cache=True)
def _newton_direction(hess, grad):  # pragma: no cover - compiled
    """``-H^-1 grad`` by Cholesky (LAPACK: H has up to 4096 rows); ``-grad`` when H is not positive definite."""
    try:
        low = np.linalg.cholesky(hess)
    except Exception:  # numba raises LinAlgError
        return -grad
    n = grad.shape[0]
    y = np.empty(n)
    for i in range(n):
        s = grad[i]
        for p in range(i):
            s -= low[i, p] * y[p]
        y[i] = s / low[i, i]
    x = np.empty(n)
    for i in range(n - 1, -1, -1):
        s = y[i]
        for p in range(i + 1, n):
            s -= low[p, i] * x[p]
        x[i] = s / low[i, i]
    return -x


@numba.njit(cache=True)
def _moved(c, t, step):  # pragma: no cover - compiled
    """``C + t * step`` with ``step`` over row-major vec(C)."""
    kx, ky = c.shape
    out = np.empty((kx, ky))
    for i in range(kx):
        for j in range(ky):
            out[i, j] = c[i, j] + t * step[i * ky + j]
    return out


@numba.njit(cache=True)
def _newton(gram, c, mu):  # pragma: no cover - compiled
    """Minimise the barrier objective F from a feasible C by damped Newton steps."""
    kx, ky = c.shape
    w = 1.0 - 2.0 * mu
    current = _barrier_value(gram, c, mu)
    previous, stalls = np.inf, 0
    grad = np.empty(kx * ky)
    for _ in range(_NEWTON_STEPS):
        low_s, low_c, _ = _factors(gram, c)
        p, q = _inverse(low_s), _inverse(low_c)
        for i in range(kx):
            for j in range(ky):
                grad[i * ky + j] = w * p[i, kx + j] - q[i, kx + j]
        step = _newton_direction(_hessian(p, q, kx, w), grad)
        decrement, slope = 0.0, 0.0
        for i in range(grad.shape[0]):
            decrement -= grad[i] * step[i]
            slope += grad[i] * grad[i]
        if decrement <= 0.0:  # rounding: a gradient step
            step, decrement = -grad, slope
        if decrement < _CENTRED * mu * mu or decrement < 1e-24:
            break
        if previous < 1e-8 and decrement > _STALL * previous:  # quadratic phase stalled: rounding limits it
            stalls += 1
            if stalls == _PATIENCE:
                break
        previous = decrement
        if decrement < 1e-8:  # quadratic convergence: the full step, if it stays feasible
            trial = _moved(c, 1.0, step)
            value = _barrier_value(gram, trial, mu)
            if value < np.inf and value <= current + 1e-14 * max(1.0, abs(current)):
                c, current = trial, value
                continue
        t = 1.0 if decrement < 0.25 else 1.0 / (1.0 + math.sqrt(decrement))  # damped phase
        while t > 1e-8:
            trial = _moved(c, t, step)
            value = _barrier_value(gram, trial, mu)
            if value <= current - 0.25 * t * decrement:
                break
            t *= 0.5
        if t <= 1e-8:
            break
        c, current = trial, value
    return c


@numba.njit(cache=True)
def _gap(g, gram, c, mu):  # pragma: no cover - compiled
    """Certified bound on ``I_Q(C) - U`` in nats, from the dual point of the central path at ``mu``.

    The barrier problem in C is the central path of ``max log det W + nu log det M`` with
    ``nu = 2 mu / (1 - 2 mu)`` (optimal ``W = Wbar / (1 + nu)``, ``Wbar = I - G S^-1 G^T``).
    Its dual point ``Z = nu M^-1`` is, by the Schur complement and Woodbury identities,

        Z11 = (1 + nu) (I + G Q G^T),  Z12 = -(1 + nu) G Q,  Z22 = (1 + nu) Q - P,

    with ``P = S^-1`` and ``Q = S_c^-1`` (no inverse of the nearly singular M). Its forbidden
    block ``B = Z22_XY`` (zero on the path) is replaced by ``t_X I, t_Y I`` with
    ``t_X t_Y = ||B||^2``, which keeps Z feasible, so ``(g(Z) - log det Wbar) / 2`` bounds the
    error, g the dual function. ``||B||_2`` is bounded by the Frobenius norm (B vanishes on the
    path, so the looser bound costs nothing there).
    """
    kx, ky = c.shape
    m, k = g.shape
    low_s, low_c, ok = _factors(gram, c)
    if not ok:
        return np.inf
    p, q = _inverse(low_s), _inverse(low_c)
    scale = 1.0 + 2.0 * mu / (1.0 - 2.0 * mu)
    gq = np.zeros((m, k))
    for i in range(m):
        for j in range(k):
            for p_ in range(k):
                gq[i, j] += g[i, p_] * q[p_, j]
    z11 = np.zeros((m, m))
    trace_z11, cross = 0.0, 0.0
    for i in range(m):
        for j in range(m):
            s = 0.0
            for p_ in range(k):
                s += gq[i, p_] * g[j, p_]
            z11[i, j] = scale * ((1.0 if i == j else 0.0) + s)
        trace_z11 += z11[i, i]
        for j in range(k):
            cross += gq[i, j] * g[i, j]
    trace_z22, norm2 = 0.0, 0.0
    for i in range(k):
        trace_z22 += scale * q[i, i] - p[i, i]
    for i in range(kx):
        for j in range(ky):
            b = scale * q[i, kx + j] - p[i, kx + j]
            norm2 += b * b
    low_z11, ok = _cholesky(z11)
    if not ok:
        return np.inf
    dual = -2.0 * _half_logdet(low_z11) - m + trace_z11 - 2.0 * scale * cross + trace_z22
    dual += 2.0 * math.sqrt(norm2 * kx * ky)
    logdet_wbar = 2.0 * (_half_logdet(low_c) - _half_logdet(low_s))  # det S_c = det S det Wbar
    return max(0.5 * (dual - logdet_wbar), 0.0)


@numba.njit(cache=True)
def _union_kernel(g, kx, lower, tol):  # pragma: no cover - compiled
    """(union information, certified gap, coupling) for ``G = [G_X, G_Y]`` with k_X, k_Y >= 1; no validation.

    ``lower`` = max(I(M; T_X), I(M; T_Y)), a lower bound on the union that certifies optima on the
    boundary (where the central path's dual point is limited by rounding).
    """
    k = g.shape[1]
    gram = np.zeros((k, k))
    for i in range(k):
        for j in range(k):
            for p in range(g.shape[0]):
                gram[i, j] += g[p, i] * g[p, j]
    c = gram[:kx, kx:].copy()  # conditionally independent sources given M: always feasible
    mu, best, stalled, c_best = 0.1, np.inf, 0, c
    stage_mu, aimed = mu, False
    for _ in range(_OUTER):
        c_mu = _newton(gram, c, stage_mu)
        low_s, low_c, _ = _factors(gram, c_mu)  # every iterate is feasible
        union = _half_logdet(low_s) - _half_logdet(low_c)
        gap = min(_gap(g, gram, c_mu, stage_mu), max(union - lower, 0.0))
        if gap < best:
            c_best, best, stalled = c_mu, gap, 0
        else:
            stalled += 1
        if best <= tol or stalled == 2:  # converged, or rounding now limits the certificate
            break
        # The gap shrinks in proportion to mu. Once, when one stage can reach tol, aim it at a quarter of
        # tol; if rounding stops it short, the schedule resumes from the stage before.
        aim = 0.25 * tol / gap
        if stage_mu == mu:
            c = c_best
        if not aimed and _LAST_STAGE <= aim < _SHRINK:
            stage_mu, aimed = mu * aim, True
        else:
            mu *= _SHRINK
            stage_mu = mu
    low_s, low_c, _ = _factors(gram, c_best)
    return _half_logdet(low_s) - _half_logdet(low_c), best, c_best


def union_information(gain1: np.ndarray, gain2: np.ndarray, tol: float) -> tuple[float, float]:
    """Minimum over Gaussian couplings of I(M; X1, X2), and its certified gap, both in nats.

    ``gain1``, ``gain2`` are the sources' gains K (m x m, :func:`whitened_gains`); each is reduced to
    G (m x k, ``G G^T = K``, k its rank). The value is the solver's feasible coupling, so it
    over-estimates the minimum by at most the gap; the solver stops once the gap is below ``tol``
    nats.
    """
    (gx, info_x), (gy, info_y) = _reduced(gain1), _reduced(gain2)
    kx, ky = gx.shape[1], gy.shape[1]
    if kx == 0 or ky == 0:  # one source says nothing: the union is the other's information
        return max(info_x, info_y), 0.0
    if kx * ky > MAX_COUPLING:
        raise ValueError(
            f"the tilde PID solves for a {kx} x {ky} coupling (the ranks of the source-target cross-covariances); at "
            f"most {MAX_COUPLING} entries are supported: use a target of at most {math.isqrt(MAX_COUPLING)} dimensions"
        )
    union, gap, _ = _union_kernel(np.hstack([gx, gy]), kx, max(info_x, info_y), tol)
    return float(union), float(gap)
