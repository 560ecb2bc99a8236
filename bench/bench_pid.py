"""PID from samples: estimators.pid (counting + exact BROJA) against dit's PID_BROJA solve alone.

For 1e5 samples of random pmfs with alphabets 4x4x4 and 16x16x4, times the whole
``estimators.pid(x1, x2, y, "broja")`` call (validation, counting, certified BROJA) and dit's
``PID_BROJA(method='cone')`` on the plug-in pmf of the same samples (dit's distribution built
outside the timing), and prints the ratio and the largest |difference| of the redundancy (bits).
Target (issue 6): modalinfo's whole call >= 10x faster than dit's solve. Run in the bench environment.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from modalinfo.estimators import pid


def plugin_pmf(x1, x2, y, shape):
    counts = np.bincount(np.ravel_multi_index((x1, x2, y), shape), minlength=int(np.prod(shape)))
    return counts.reshape(shape) / len(x1)


def dit_solve(p):
    """Build dit's distribution (not timed), then time PID_BROJA(method='cone')."""
    import dit
    from dit.pid import PID_BROJA

    idx = list(zip(*np.nonzero(p)))
    d = dit.Distribution([tuple(int(i) for i in t) for t in idx], [float(p[t]) for t in idx])
    start = time.perf_counter()
    value = float(PID_BROJA(d, [[0], [1]], [2], method="cone")[((0,), (1,))])
    return value, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--pmfs", type=int, default=3)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    pid(np.zeros(20, int), np.arange(20) % 2, np.arange(20) % 3)  # load the compiled solver
    print(f"n = {args.n:,} samples per pmf, {args.pmfs} random pmfs per shape; median seconds")
    print(f"{'shape':<12}{'modalinfo pid()':>15}{'dit solve':>12}{'speed-up':>10}{'max |dR| bits':>15}")
    for shape in ((4, 4, 4), (16, 16, 4)):
        ours, theirs, diffs = [], [], []
        for _ in range(args.pmfs):
            p = rng.dirichlet(np.full(int(np.prod(shape)), 0.5))
            cells = rng.choice(p.size, size=args.n, p=p)
            x1, x2, y = np.unravel_index(cells, shape)
            start = time.perf_counter()
            est = pid(x1, x2, y, "broja", base=2)
            ours.append(time.perf_counter() - start)
            ref, seconds = dit_solve(plugin_pmf(x1, x2, y, shape))
            theirs.append(seconds)
            diffs.append(abs(est.redundancy - ref))
        a, b = np.median(ours), np.median(theirs)
        print(f"{'x'.join(map(str, shape)):<12}{a:>15.4f}{b:>12.4f}{b / a:>10.1f}{max(diffs):>15.1e}")


if __name__ == "__main__":
    main()
