"""Bias, RMSE and CI coverage of the Gaussian PID from samples, on the sample-convergence protocol.

The systems are the five modes of Venkatesh et al. (NeurIPS 2023, sample-convergence experiment),
generated here from their description: target, source 1 and source 2 of M = 10 dimensions each,
sparse Gaussian-weighted couplings (density 0.1):

- ``both_unique``: X = H_x M + noise, Y = H_y M + noise with independent sparse H_x, H_y;
- ``fully_redundant``: H_y = H_x and correlated noise (cross-covariance 0.9 I);
- ``zero_synergy``: Y = H_yx X + noise (M -> X -> Y);
- ``high_synergy``: H_y = 0, noise cross-covariance 0.8 I (Y only helps to cancel X's noise);
- ``bit_of_all``: a half-size ``zero_synergy`` system with the sources swapped beside a
  half-size ``high_synergy`` system.

The truth is :func:`theory.gaussian_pid` of the system's covariance. For n in 100..1000 and
``--trials`` draws, three estimates of every atom are compared:

- ``plug-in``: theory.gaussian_pid of the sample covariance (nothing corrected);
- ``cai-only``: estimators.pid(method="gaussian", bias_draws=0), the three informations
  bias-corrected, the redundancy (union information) as plugged in;
- ``corrected``: estimators.pid(method="gaussian") with the default parametric-bootstrap
  correction of the redundancy.

``--coverage`` adds the coverage of the 95 % bootstrap CIs of ``corrected`` (``n_resamples``
resamples) with its binomial standard error. Runs on ``--workers`` processes; every trial has its
own seed, so the numbers do not depend on the number of workers.

    python bench/bench_gaussian_pid_bias.py --trials 100
    python bench/bench_gaussian_pid_bias.py --trials 100 --coverage --ns 300 1000
"""

from __future__ import annotations

import argparse
import math
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from modalinfo.estimators import pid
from modalinfo.theory import PID_ATOMS, gaussian_pid

MODES = ("both_unique", "fully_redundant", "zero_synergy", "high_synergy", "bit_of_all")
ATOMS = PID_ATOMS
ESTIMATORS = ("plug-in", "cai-only", "corrected")


def _sparse(rows: int, cols: int, rng: np.random.Generator, density: float = 0.1) -> np.ndarray:
    return (rng.uniform(size=(rows, cols)) <= density) * rng.standard_normal((rows, cols))


def system(mode: str, m: int, rng: np.random.Generator) -> np.ndarray:
    """Covariance of (target, source 1, source 2), each block m-dimensional."""
    eye = np.eye(m)
    if mode == "bit_of_all":
        h = m // 2
        first = system("zero_synergy", h, rng)
        swap = [*range(h), *range(2 * h, 3 * h), *range(h, 2 * h)]
        first = first[np.ix_(swap, swap)]
        second = system("high_synergy", h, rng)
        joint = np.zeros((6 * h, 6 * h))
        joint[: 3 * h, : 3 * h], joint[3 * h :, 3 * h :] = first, second
        order = [j for b in range(3) for j in (*range(b * h, (b + 1) * h), *range(3 * h + b * h, 3 * h + (b + 1) * h))]
        return joint[np.ix_(order, order)]
    hx = _sparse(m, m, rng)
    if mode == "zero_synergy":
        hyx = _sparse(m, m, rng)
        hy = hyx @ hx
        cx = hx @ hx.T + eye
        return np.block([[eye, hx.T, hy.T], [hx, cx, cx @ hyx.T], [hy, hyx @ cx, hyx @ cx @ hyx.T + eye]])
    if mode == "fully_redundant":
        hy, w = hx, 0.9 * eye
    elif mode == "high_synergy":
        hy, w = np.zeros((m, m)), 0.8 * eye
    else:
        hy, w = _sparse(m, m, rng), np.zeros((m, m))
    return np.block([[eye, hx.T, hy.T], [hx, hx @ hx.T + eye, hx @ hy.T + w], [hy, hy @ hx.T + w.T, hy @ hy.T + eye]])


def blocks(m: int) -> tuple[list[int], list[int], list[int]]:
    return list(range(m, 2 * m)), list(range(2 * m, 3 * m)), list(range(m))


def trial(args: tuple) -> dict:
    cov, m, n, measure, seed, n_resamples = args
    rng = np.random.default_rng(seed)
    data = rng.multivariate_normal(np.zeros(cov.shape[0]), cov, size=n, method="cholesky")
    i1, i2, it = blocks(m)
    x1, x2, y = data[:, i1], data[:, i2], data[:, it]
    out = {}
    plug = gaussian_pid(np.cov(data.T), i1, i2, it, measure, tol=1e-6)
    out["plug-in"] = [getattr(plug, a) for a in ATOMS]
    cai = pid(x1, x2, y, measure, method="gaussian", bias_draws=0, rng=rng)
    out["cai-only"] = [getattr(cai, a) for a in ATOMS]
    est = pid(x1, x2, y, measure, method="gaussian", n_resamples=n_resamples, rng=rng)
    out["corrected"] = [getattr(est, a) for a in ATOMS]
    if n_resamples:
        out["ci"] = [est.ci[a] for a in ATOMS]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ns", type=int, nargs="+", default=(100, 200, 300, 600, 1000))
    parser.add_argument("--modes", nargs="+", default=MODES, choices=MODES)
    parser.add_argument("--m", type=int, default=10, help="dimension of target and of each source")
    parser.add_argument("--measure", default="tilde", choices=("tilde", "idep"))
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--coverage", action="store_true", help="bootstrap CIs (n_resamples) and their coverage")
    parser.add_argument("--n-resamples", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    root = np.random.SeedSequence(args.seed)
    system_seeds = dict(zip(MODES, root.spawn(len(MODES))))
    resamples = args.n_resamples if args.coverage else 0
    print(f"measure={args.measure}  M={args.m}  trials={args.trials}  (bias and RMSE in nats)")
    summary = {e: {} for e in ESTIMATORS}
    with ProcessPoolExecutor(args.workers) as pool:
        for mode in args.modes:
            cov = system(mode, args.m, np.random.default_rng(system_seeds[mode]))
            truth = gaussian_pid(cov, *blocks(args.m), args.measure)
            print(f"\n{mode}: truth " + " ".join(f"{a[:3]}={getattr(truth, a):.3f}" for a in ATOMS))
            header = " ".join(f"{a[:3] + ' bias':>9} {a[:3] + ' rmse':>9}" for a in ATOMS)
            print(f"{'n':>5} {'estimator':>10} {header}")
            for n in args.ns:
                seeds = np.random.SeedSequence([args.seed, MODES.index(mode), n]).spawn(args.trials)
                jobs = [(cov, args.m, n, args.measure, s, resamples) for s in seeds]
                rows = list(pool.map(trial, jobs))
                true = np.array([getattr(truth, a) for a in ATOMS])
                for e in ESTIMATORS:
                    err = np.array([r[e] for r in rows]) - true
                    bias, rmse = err.mean(axis=0), np.sqrt((err**2).mean(axis=0))
                    summary[e].setdefault(n, []).append((np.abs(bias), rmse))
                    print(f"{n:5d} {e:>10} " + " ".join(f"{b:9.4f} {r:9.4f}" for b, r in zip(bias, rmse)))
                if resamples:
                    ci = np.array([r["ci"] for r in rows])  # (trials, atoms, 2)
                    hit = (ci[:, :, 0] <= true + 1e-12) & (true - 1e-12 <= ci[:, :, 1])
                    cov_rate = hit.mean(axis=0)
                    se = math.sqrt(0.95 * 0.05 / args.trials)
                    print(
                        f"{n:5d} {'coverage':>10} "
                        + " ".join(f"{c:9.2f} {'ok' if abs(c - 0.95) <= 3 * se else 'OFF':>9}" for c in cov_rate)
                        + f"   (3 SE = {3 * se:.3f})"
                    )
    print("\nmean over modes and atoms:")
    print(f"{'n':>5} " + " ".join(f"{e + ' |bias|':>18} {e + ' rmse':>16}" for e in ESTIMATORS))
    for n in args.ns:
        cells = []
        for e in ESTIMATORS:
            b = np.mean([x[0] for x in summary[e][n]])
            r = np.mean([x[1] for x in summary[e][n]])
            cells.append(f"{b:18.4f} {r:16.4f}")
        print(f"{n:5d} " + " ".join(cells))


if __name__ == "__main__":
    main()
