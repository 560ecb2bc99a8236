"""Exact BROJA PID: theory.discrete_pid against dit (method='cone') and a cvxpy exp-cone program.

Prints, per pmf shape, the median time of each solver over the same random pmfs, the speed-up of
modalinfo over each peer and the largest |difference| of the redundancy (bits). ``--large`` times
modalinfo alone on the large tables (20^3, 25^3, 30^3, 32x32x8), with the largest certified gap.
Run in the bench environment (bench/README.md).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from modalinfo.theory import discrete_pid

SHAPES = ((4, 4, 4), (8, 8, 4), (16, 16, 4))
LARGE = ((20, 20, 20), (25, 25, 25), (30, 30, 30), (32, 32, 8))


def modalinfo_redundancy(p: np.ndarray) -> float:
    return discrete_pid(p, "broja", base=2).redundancy


def dit_redundancy(p: np.ndarray) -> float:
    import dit
    from dit.pid import PID_BROJA

    outcomes, probs = [], []
    for idx in zip(*np.nonzero(p)):
        outcomes.append(tuple(int(i) for i in idx))
        probs.append(float(p[idx]))
    d = dit.Distribution(outcomes, probs)
    return float(PID_BROJA(d, [[0], [1]], [2], method="cone")[((0,), (1,))])


def cvxpy_redundancy(p: np.ndarray) -> float:
    import cvxpy as cp

    n1, n2, ny = p.shape
    p1y, p2y = p.sum(axis=1), p.sum(axis=0)
    qs = [cp.Variable((n1, n2), nonneg=True) for _ in range(ny)]
    qx = sum(qs)
    cons = []
    for y in range(ny):
        cons += [cp.sum(qs[y], axis=1) == p1y[:, y], cp.sum(qs[y], axis=0) == p2y[:, y]]
    # min sum q log(q / q(x1,x2)) = -H(Y|X1,X2): relative entropy of q_y against q(x1,x2).
    objective = cp.Minimize(sum(cp.sum(cp.rel_entr(qs[y], qx)) for y in range(ny)))
    cp.Problem(objective, cons).solve(solver=cp.CLARABEL)
    py = p.sum(axis=(0, 1))
    hy = -np.sum(py[py > 0] * np.log(py[py > 0]))
    mi_q = hy + objective.value
    r = discrete_pid(p, "mmi")  # for the two pairwise informations (exact)
    return float((r.mi1 + r.mi2 - mi_q) / np.log(2))


def timed(fn, p, repeat):
    seconds = []
    for _ in range(repeat):
        t = time.perf_counter()
        value = fn(p)
        seconds.append(time.perf_counter() - t)
    return value, float(np.median(seconds))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pmfs", type=int, default=5, help="random pmfs per shape")
    parser.add_argument("--repeat", type=int, default=3, help="timings per pmf (median)")
    parser.add_argument("--large", action="store_true", help="modalinfo alone on the large tables")
    args = parser.parse_args()
    rng = np.random.default_rng(2026)
    modalinfo_redundancy(rng.dirichlet(np.ones(8)).reshape(2, 2, 2))  # JIT warm-up (cached after)
    if args.large:
        print(f"{'shape':<12}{'median s':>10}{'max s':>8}{'largest gap (nats)':>20}")
        for shape in LARGE:
            seconds, gaps = [], []
            for _ in range(args.pmfs):
                p = rng.dirichlet(np.ones(int(np.prod(shape)))).reshape(shape)
                t = time.perf_counter()
                gaps.append(discrete_pid(p, "broja").gap)
                seconds.append(time.perf_counter() - t)
            label = "x".join(map(str, shape))
            print(f"{label:<12}{np.median(seconds):>10.2f}{max(seconds):>8.2f}{max(gaps):>20.1e}", flush=True)
        return
    print(
        f"{'shape':<12}{'modalinfo ms':>12}{'dit cone ms':>13}{'cvxpy ms':>10}{'x dit':>8}{'x cvxpy':>9}"
        f"{'|dR| dit':>11}{'|dR| cvxpy':>12}"
    )
    for shape in SHAPES:
        times = {"modalinfo": [], "dit": [], "cvxpy": []}
        diff = {"dit": 0.0, "cvxpy": 0.0}
        for _ in range(args.pmfs):
            p = rng.dirichlet(np.ones(int(np.prod(shape)))).reshape(shape)
            ours, t = timed(modalinfo_redundancy, p, args.repeat)
            times["modalinfo"].append(t)
            for name, fn in (("dit", dit_redundancy), ("cvxpy", cvxpy_redundancy)):
                theirs, t = timed(fn, p, 1 if name == "dit" and shape[0] > 8 else args.repeat)
                times[name].append(t)
                diff[name] = max(diff[name], abs(theirs - ours))
        med = {k: 1e3 * float(np.median(v)) for k, v in times.items()}
        print(
            f"{'x'.join(map(str, shape)):<12}{med['modalinfo']:>12.2f}{med['dit']:>13.1f}{med['cvxpy']:>10.1f}"
            f"{med['dit'] / med['modalinfo']:>8.1f}{med['cvxpy'] / med['modalinfo']:>9.1f}"
            f"{diff['dit']:>11.1e}{diff['cvxpy']:>12.1e}"
        )


if __name__ == "__main__":
    main()
