"""The BROJA optimisation: the coupling with the pmf's pairwise marginals that minimises I(X1,X2; Y).

Bertschinger, Rauh, Olbrich, Jost & Ay (2014, Entropy 16:2161) define unique information through

    q* = argmin { I_Q(X1, X2; Y) : Q(x1, y) = P(x1, y), Q(x2, y) = P(x2, y) }.

Since H_Q(Y) is fixed, this minimises the convex, degree-one homogeneous function
``f(q) = sum q(x1,x2,y) log(q(x1,x2,y) / q(x1,x2)) = -H_Q(Y | X1, X2)`` subject to ``A q = b``
(the two marginals; one redundant row per y dropped) and ``q >= 0``. Because ``f`` is
homogeneous its Lagrange dual is

    max_nu  -b^T nu   subject to   phi_F(nu) = logsumexp_y(-(A^T nu)_(F, y)) <= 0  for each fibre F,

where a fibre F = (x1, x2) holds the variables q(x1, x2, .). We solve the dual with a weighted
log-barrier Newton method, ``min b^T nu - mu sum_F w_F log(-phi_F)`` (one unknown per marginal
constraint, at most a few hundred), and read the primal off its optimality conditions,
``q_F = mu w_F / (-phi_F) softmax(-(A^T nu)_F)``, which satisfies ``A q = b`` at each centre with
a duality gap of ``mu sum_F w_F = mu``. The weight of a fibre is its largest feasible mass in
one y, ``max_y min(P(x1, y), P(x2, y))`` (normalised), which keeps the barrier well scaled
whatever the spread of the probabilities. Every returned
value is certified: ``nu`` is strictly dual feasible, so ``-b^T nu - max_F phi_F(nu)`` bounds the
optimum from below, and ``q``, matrix-scaled onto the marginals (Sinkhorn), bounds it from above.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from typing import Any

import numba
import numpy as np

#: The solver stops once the certified gap, in nats, is below this.
GAP_TOL = 1e-10
_MU0 = 1.0
_MU_FACTOR = 0.1
_MU_MIN = 1e-13
_MAX_NEWTON = 50


def broja_minimum(p: np.ndarray) -> tuple[float, float, np.ndarray]:
    """Solve the BROJA program for a validated pmf ``p[x1, x2, y]``.

    Returns
    -------
    mi_q : float
        ``I_q(X1, X2; Y)`` of the returned coupling, in nats: the optimum to within ``gap``.
    gap : float
        Certified bound on ``mi_q - min_Q I_Q(X1, X2; Y)``, in nats.
    q : ndarray, shape of ``p``
        The optimal coupling.
    """
    n1, n2, ny = p.shape
    p1y = p.sum(axis=1)
    p2y = p.sum(axis=0)
    py = p1y.sum(axis=0)
    rows1 = -np.ones((n1, ny), dtype=np.int64)
    rows2 = -np.ones((n2, ny), dtype=np.int64)
    b: list[float] = []
    for y in range(ny):
        for x1 in np.flatnonzero(p1y[:, y] > 0):
            rows1[x1, y] = len(b)
            b.append(p1y[x1, y])
        # One (x2, y) row per y is implied by the others (both sum to p(y)): drop the last.
        for x2 in np.flatnonzero(p2y[:, y] > 0)[:-1]:
            rows2[x2, y] = len(b)
            b.append(p2y[x2, y])
    # Variables exist where both pairwise marginals are positive, ordered by fibre (x1, x2).
    x1s, x2s, ys = np.nonzero((p1y[:, None, :] > 0) & (p2y[None, :, :] > 0))
    fibre = x1s * n2 + x2s
    starts = np.flatnonzero(np.r_[True, fibre[1:] != fibre[:-1]])
    fibre_ptr = np.r_[starts, len(fibre)].astype(np.int64)
    # Barrier weight of a fibre: the largest mass it can hold in one y, so that at every centre
    # q_F / w_F <= |Y| and phi_F = -mu w_F / q_F stays far from 0 in floating point.
    capacity = np.minimum(p1y[x1s, ys], p2y[x2s, ys])
    weight = np.maximum.reduceat(capacity, starts)
    weight /= weight.sum()
    q, f, gap = _interruptible(
        _solve,
        fibre_ptr, weight, rows1[x1s, ys], rows2[x2s, ys], np.asarray(b, dtype=float),
        x2s * ny + ys, p2y.ravel(), float(np.log(ny) + 1.0),
        _MU0, _MU_FACTOR, _MU_MIN, GAP_TOL, _MAX_NEWTON,
    )  # fmt: skip
    hy = -float(np.sum(py[py > 0] * np.log(py[py > 0])))
    out = np.zeros_like(p)
    out[x1s, x2s, ys] = q
    return max(hy + f, 0.0), gap, out


@numba.njit(cache=True)
def _objective(q, fibre_ptr):  # pragma: no cover - compiled
    """f(q) = sum q log(q / q_fibre). Kernel: no input checks."""
    total = 0.0
    for f in range(fibre_ptr.size - 1):
        s = 0.0
        for v in range(fibre_ptr[f], fibre_ptr[f + 1]):
            s += q[v]
        for v in range(fibre_ptr[f], fibre_ptr[f + 1]):
            if q[v] > 0.0:
                total += q[v] * math.log(q[v] / s)
    return total


@numba.njit(cache=True)
def _dual_point(nu, mu, fibre_ptr, weight, row1, row2):  # pragma: no cover - compiled
    """phi_F(nu) per fibre and the primal point q(nu) of the barrier optimality conditions."""
    nf = fibre_ptr.size - 1
    phi = np.empty(nf)
    q = np.empty(row1.size)
    for f in range(nf):
        lo, hi = fibre_ptr[f], fibre_ptr[f + 1]
        top = -np.inf
        for v in range(lo, hi):
            c = nu[row1[v]] + (nu[row2[v]] if row2[v] >= 0 else 0.0)
            q[v] = -c
            top = max(top, -c)
        acc = 0.0
        for v in range(lo, hi):
            q[v] = math.exp(q[v] - top)
            acc += q[v]
        phi[f] = top + math.log(acc)
        scale = mu * weight[f] / (-phi[f]) / acc if phi[f] < 0.0 else 0.0
        for v in range(lo, hi):
            q[v] *= scale
    return phi, q


@numba.njit(cache=True)
def _barrier(nu, mu, b, fibre_ptr, weight, row1, row2):  # pragma: no cover - compiled
    """Dual barrier b^T nu - mu sum_F w_F log(-phi_F); +inf outside the dual feasible set."""
    phi, _ = _dual_point(nu, mu, fibre_ptr, weight, row1, row2)
    total = np.dot(b, nu)
    for f in range(phi.size):
        if phi[f] >= 0.0:
            return np.inf
        total -= mu * weight[f] * math.log(-phi[f])
    return total


@numba.njit(cache=True)
def _newton_direction(nu, mu, b, fibre_ptr, weight, row1, row2):  # pragma: no cover - compiled
    """Newton direction of the dual barrier and its decrement^2.

    gradient = b - A q(nu); Hessian = A K A^T with, per fibre, K_F = diag(q_F) +
    (1/(mu w_F) - 1/s_F) q_F q_F^T and s_F = sum q_F = mu w_F / (-phi_F).
    """
    m = b.size
    phi, q = _dual_point(nu, mu, fibre_ptr, weight, row1, row2)
    grad = b.copy()
    hess = np.zeros((m, m))
    for f in range(fibre_ptr.size - 1):
        lo, hi = fibre_ptr[f], fibre_ptr[f + 1]
        rank_one = (1.0 + phi[f]) / (mu * weight[f])  # 1/(mu w_F) - 1/s_F
        # Within a fibre every variable has its own y, so the rows it touches are all distinct.
        for v in range(lo, hi):
            grad[row1[v]] -= q[v]
            if row2[v] >= 0:
                grad[row2[v]] -= q[v]
            for w in range(lo, hi):
                h = rank_one * q[v] * q[w] + (q[v] if v == w else 0.0)
                hess[row1[v], row1[w]] += h
                if row2[w] >= 0:
                    hess[row1[v], row2[w]] += h
                if row2[v] >= 0:
                    hess[row2[v], row1[w]] += h
                    if row2[w] >= 0:
                        hess[row2[v], row2[w]] += h
    step = _cholesky_solve(hess, -grad)
    return step, -np.dot(grad, step)


@numba.njit(cache=True, fastmath={"reassoc", "contract"})
def _cholesky_solve(a, rhs):  # pragma: no cover - compiled
    """Solve a x = rhs for symmetric positive semi-definite ``a`` by Cholesky.

    Near the optimum the barrier Hessian is ill-conditioned (condition ~ 1/mu) and, where
    variables vanish, numerically singular. As in interior-point codes (Wright 1997,
    Primal-Dual Interior-Point Methods, sec. 11.1), a pivot below ``1e-14`` of its row's diagonal
    entry is replaced by a huge one, which sets that component of x to zero. The inner products
    may be reassociated (fastmath "reassoc", "contract": SIMD): the direction only steers the
    search, and every returned value carries its own certificate, computed without fastmath.
    """
    n = a.shape[0]
    low = np.zeros((n, n))
    for j in range(n):
        d = a[j, j]
        for k in range(j):
            d -= low[j, k] * low[j, k]
        if d <= 1e-14 * a[j, j]:
            low[j, j] = 1e64
            continue
        low[j, j] = math.sqrt(d)
        for i in range(j + 1, n):
            acc = a[i, j]
            for k in range(j):
                acc -= low[i, k] * low[j, k]
            low[i, j] = acc / low[j, j]
    x = rhs.copy()
    for i in range(n):
        for k in range(i):
            x[i] -= low[i, k] * x[k]
        x[i] /= low[i, i]
    for i in range(n - 1, -1, -1):
        for k in range(i + 1, n):
            x[i] -= low[k, i] * x[k]
        x[i] /= low[i, i]
    return x


@numba.njit(cache=True)
def _scale_onto_marginals(q, row1, b, col2, b2):  # pragma: no cover - compiled
    """Sinkhorn scaling of q (per y) onto its (x1, y) and (x2, y) marginals, in place."""
    sums1 = np.zeros(b.size)
    sums2 = np.zeros(b2.size)
    for _ in range(1000):
        sums1[:] = 0.0
        for v in range(q.size):
            sums1[row1[v]] += q[v]
        worst = 0.0
        for v in range(q.size):
            worst = max(worst, abs(sums1[row1[v]] - b[row1[v]]))
        for v in range(q.size):
            q[v] *= b[row1[v]] / sums1[row1[v]]
        sums2[:] = 0.0
        for v in range(q.size):
            sums2[col2[v]] += q[v]
        for v in range(q.size):
            worst = max(worst, abs(sums2[col2[v]] - b2[col2[v]]))
            q[v] *= b2[col2[v]] / sums2[col2[v]]
        if worst <= 1e-16:
            break


@numba.njit(cache=True)
def _certificate(nu, mu, b, b2, fibre_ptr, weight, row1, row2, col2):  # pragma: no cover - compiled
    """Feasible coupling, its objective and the certified gap at multipliers ``nu``."""
    phi, q = _dual_point(nu, mu, fibre_ptr, weight, row1, row2)
    _scale_onto_marginals(q, row1, b, col2, b2)
    upper = _objective(q, fibre_ptr)
    lower = -np.dot(b, nu) - np.max(phi)
    return q, upper, upper - lower


def _interruptible(kernel: Callable[..., Any], *args: Any) -> Any:
    """Run a nogil kernel on a daemon thread while this thread waits in short slices.

    Python handles Ctrl-C only between bytecodes of the main thread, so a long compiled solve would
    hold it until the end (and then fail with SystemError); waiting here raises KeyboardInterrupt
    at once, and the daemon thread is dropped with the process.
    """
    outcome: list[Any] = []

    def work() -> None:
        try:
            outcome.append((True, kernel(*args)))
        except BaseException as err:
            outcome.append((False, err))

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(0.05)
    ok, value = outcome[0]
    if not ok:
        raise value
    return value


@numba.njit(cache=True, nogil=True)
def _solve(
    fibre_ptr, weight, row1, row2, b, col2, b2, nu1, mu0, mu_factor, mu_min, gap_tol, max_newton
):  # pragma: no cover
    """Path-following dual log-barrier method; returns (q, f(q), certified gap) of the best centre.

    Kernel: expects full-row-rank constraints (one (x2, y) row per y dropped). The start puts
    ``nu1`` on every (x1, y) multiplier, which is strictly feasible when nu1 > log |Y|.
    """
    nu = np.zeros(b.size)
    for v in range(row1.size):
        nu[row1[v]] = nu1
    mu = mu0
    best_q, best_f, best_gap = _certificate(nu, mu, b, b2, fibre_ptr, weight, row1, row2, col2)
    while True:
        for _ in range(max_newton):
            step, dec2 = _newton_direction(nu, mu, b, fibre_ptr, weight, row1, row2)
            if dec2 <= 1e-3 * mu:
                break
            t = 1.0
            base = _barrier(nu, mu, b, fibre_ptr, weight, row1, row2)
            while t > 1e-12 and _barrier(nu + t * step, mu, b, fibre_ptr, weight, row1, row2) > base - 0.25 * t * dec2:
                t *= 0.5
            if t <= 1e-12:
                break
            nu = nu + t * step
        q, f, gap = _certificate(nu, mu, b, b2, fibre_ptr, weight, row1, row2, col2)
        if gap < best_gap:
            best_q, best_f, best_gap = q, f, gap
        if best_gap <= gap_tol or mu <= mu_min:
            return best_q, best_f, max(best_gap, 0.0)
        mu *= mu_factor
