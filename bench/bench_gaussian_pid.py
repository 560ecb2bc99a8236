"""~G-PID of high-dimensional Gaussian systems: theory.gaussian_pid(measure="tilde") against two references.

Both references solve the same objective, ``min over Sigma_XY of I(M; X, Y)`` with the (M, X) and
(M, Y) blocks fixed, on the full (unreduced) cross-covariance, in whitened coordinates:

- ``pgd``: projected sign-gradient descent as Venkatesh et al. (NeurIPS 2023) describe the ~G-PID
  optimiser, written here from that description (their code is not a dependency): start at the
  coupling that makes the sources conditionally independent given M, step ``-lr sign(grad)`` with
  ``lr = 0.05 / sqrt(t)``, project onto the feasible set by clipping the singular values of the
  whitened cross-covariance at ``1 - 1e-6`` (halving the step while the conditional covariance is
  not positive definite), stop when the objective moves less than 1e-9 nats over 20 steps.
- ``cvxpy``: the max-det program ``max log det W s.t. [[I - W, G], [G^T, S(C)]] >= 0`` solved by
  cvxpy's default conic solver (small systems only); its union information is evaluated exactly at
  the coupling it returns (its own objective is only as exact as its tolerances).

For each source dimension d (source 1 has d, source 2 has 0.6 d) and target dimension m it prints
the time of each solver, modalinfo's certified gap, each reference's union information minus
modalinfo's (positive: the reference stopped higher), and the ratio of the fastest reference's
time to modalinfo's. A reference that exceeds ``--budget`` seconds is stopped and reported as
"> budget" (the ratio is then a lower bound). Run in the bench environment (bench/README.md):

    python bench/bench_gaussian_pid.py                 # d = 10 .. 1000, m = 1 and 10
    python bench/bench_gaussian_pid.py --dims 10 30 --budget 60
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np

from modalinfo.theory import gaussian_pid

DIMS = (10, 30, 100, 300, 600, 1000)
TARGETS = (1, 10)


def system(d: int, m: int, rng: np.random.Generator) -> tuple[np.ndarray, list[int], list[int], list[int]]:
    """A random factor covariance: target m, sources d and round(0.6 d), sharing a few latent factors."""
    dy = max(1, round(0.6 * d))
    total = m + d + dy
    factors = rng.standard_normal((total, 2 * m + 5)) / math.sqrt(2 * m + 5)
    cov = factors @ factors.T + np.diag(rng.uniform(0.5, 1.5, total))
    return cov, list(range(m, m + d)), list(range(m + d, total)), list(range(m))


def whitened_blocks(cov, i1, i2, it):
    """Whitened cross-covariances H_X (m, dx) and H_Y (m, dy)."""
    lt, l1, l2 = (np.linalg.cholesky(cov[np.ix_(b, b)]) for b in (it, i1, i2))

    def cross(a, la, b, lb):
        return np.linalg.solve(lb, np.linalg.solve(la, cov[np.ix_(a, b)]).T).T

    return cross(it, lt, i1, l1), cross(it, lt, i2, l2)


def _union(hx, hy, c):
    """I(M; X, Y) in nats for whitened blocks and cross-covariance c; inf when infeasible."""
    dx = hx.shape[1]
    s = np.eye(dx + hy.shape[1])
    s[:dx, dx:], s[dx:, :dx] = c, c.T
    g = np.hstack([hx, hy])
    try:
        ls = 2 * np.sum(np.log(np.diag(np.linalg.cholesky(s))))
        lc = 2 * np.sum(np.log(np.diag(np.linalg.cholesky(s - g.T @ g))))
    except np.linalg.LinAlgError:
        return math.inf, None, None
    return 0.5 * (ls - lc), s, g


def pgd_union(hx, hy, budget: float) -> tuple[float, bool]:
    """Projected sign-gradient descent on the full cross-covariance; (union, finished within budget)."""
    start = time.perf_counter()
    dx = hx.shape[1]
    c = hx.T @ hy
    value, s, g = _union(hx, hy, c)
    history = [value]
    t = 0
    while time.perf_counter() - start < budget:
        t += 1
        p = np.linalg.inv(s)
        q = np.linalg.inv(s - g.T @ g)
        grad = p[:dx, dx:] - q[:dx, dx:]
        lr = 0.05 / math.sqrt(t)
        while lr > 1e-12:
            trial = c - lr * np.sign(grad)
            u, sv, vt = np.linalg.svd(trial, full_matrices=False)
            trial = (u * np.minimum(sv, 1 - 1e-6)) @ vt
            new, s_new, _ = _union(hx, hy, trial)
            if new < math.inf:
                break
            lr *= 0.5
        c, value, s = trial, new, s_new
        history.append(value)
        if len(history) > 20 and abs(history[-21] - history[-1]) < 1e-9:
            return value, True
    return value, False


def cvxpy_union(hx, hy) -> float:
    import cvxpy as cp

    m, dx, dy = hx.shape[0], hx.shape[1], hy.shape[1]
    w = cp.Variable((m, m), symmetric=True)
    c = cp.Variable((dx, dy))
    g = np.hstack([hx, hy])
    s = cp.bmat([[np.eye(dx), c], [c.T, np.eye(dy)]])
    lmi = cp.bmat([[np.eye(m) - w, g], [g.T, s]])
    problem = cp.Problem(cp.Maximize(cp.log_det(w)), [0.5 * (lmi + lmi.T) >> 0])
    problem.solve()
    exact, _, _ = _union(hx, hy, c.value)  # the solver's objective is only as exact as its tolerances
    return exact if exact < math.inf else -0.5 * float(problem.value)


def timed(fn, *args):
    start = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dims", type=int, nargs="+", default=DIMS)
    parser.add_argument("--targets", type=int, nargs="+", default=TARGETS)
    parser.add_argument("--budget", type=float, default=300.0, help="seconds before a reference is stopped")
    parser.add_argument("--cvxpy-max", type=int, default=30, help="largest d given to cvxpy")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    gaussian_pid(*system(5, 2, rng), "tilde")  # warm the imports
    print(
        f"{'d':>5} {'m':>3} {'modalinfo s':>12} {'gap':>8} {'pgd s':>9} {'pgd diff':>9} {'cvxpy s':>8} "
        f"{'cvxpy diff':>10} {'ratio':>7}"
    )
    for d in args.dims:
        for m in args.targets:
            cov, i1, i2, it = system(d, m, rng)
            r, ours = timed(gaussian_pid, cov, i1, i2, it, "tilde")
            union = r.mi1 + r.mi2 - r.redundancy
            hx, hy = whitened_blocks(cov, i1, i2, it)
            (pgd, done), t_pgd = timed(pgd_union, hx, hy, args.budget)
            pgd_text = f"{t_pgd:9.2f}" if done else f"{'>' + format(args.budget, 'g'):>9}"
            cvx_text, cvx_diff, t_cvx = f"{'-':>8}", f"{'-':>10}", math.inf
            if d <= args.cvxpy_max:
                cvx, t_cvx = timed(cvxpy_union, hx, hy)
                cvx_text, cvx_diff = f"{t_cvx:8.2f}", f"{cvx - union:10.1e}"
            fastest = min(t_pgd if done else args.budget, t_cvx)
            bound = "" if done or t_cvx < math.inf else ">"
            print(
                f"{d:5d} {m:3d} {ours:12.3f} {r.gap:8.1e} {pgd_text} {pgd - union:9.1e} {cvx_text} {cvx_diff} "
                f"{bound + format(fastest / ours, '.0f'):>7}"
            )


if __name__ == "__main__":
    main()
