"""How tight the synergy bounds from pairwise marginals are, on random probability tables.

``theory.synergy_bounds`` bounds the BROJA synergy from p(x1, y), p(x2, y) and p(x1, x2) alone.
This script draws random tables (uniform on the simplex, i.e. Dirichlet(1), of shapes 2x2x2 and
3x3x2), computes the bounds and the exact synergy (``theory.discrete_pid``) and prints, per shape,
the violations (there must be none), the share of tables whose lower bound is 0, the means of the
lower bound, the synergy and the upper bound (bits), and the share of all tables on which each
bound is the tightest (a lower bound only where the tightest lower bound is above 0).

    python bench/bench_synergy_bounds.py [--tables 1000] [--seed 0]
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

import numpy as np

from modalinfo.theory import discrete_pid, synergy_bounds

SHAPES = ((2, 2, 2), (3, 3, 2))
TOLERANCE = 1e-9  # bits: solver precision when comparing a bound with the exact synergy


def measure(shape: tuple[int, int, int], tables: int, rng: np.random.Generator) -> dict[str, float]:
    """Violations, share of zero lower bounds, means and the tightest bounds over random tables of one shape."""
    lower, synergy, upper, tightest = [], [], [], Counter()
    for _ in range(tables):
        pmf = rng.dirichlet(np.ones(int(np.prod(shape)))).reshape(shape)
        b = synergy_bounds(pmf, base=2)
        lower.append(b.lower)
        upper.append(b.upper)
        synergy.append(discrete_pid(pmf, base=2).synergy)
        if b.lower > TOLERANCE:
            tightest[
                "lower from redundancy" if b.redundancy_lower >= b.disagreement_lower else "lower from disagreement"
            ] += 1
        tightest["upper from coupling" if b.coupling_upper <= b.chain_upper else "upper from chain rule"] += 1
    lo, s, up = map(np.asarray, (lower, synergy, upper))
    return {
        "violations": int(np.sum(lo > s + TOLERANCE) + np.sum(up < s - TOLERANCE)),
        "zero_lower": float(np.mean(lo <= TOLERANCE)),
        "lower": float(lo.mean()),
        "synergy": float(s.mean()),
        "upper": float(up.mean()),
        **{f"tightest: {k}": v / tables for k, v in sorted(tightest.items())},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=1000, help="random tables per shape")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    for shape in SHAPES:
        start = time.perf_counter()
        out = measure(shape, args.tables, rng)
        print(f"{'x'.join(map(str, shape))}: {args.tables} tables, {time.perf_counter() - start:.0f} s")
        for key, value in out.items():
            print(f"  {key:>32}: {value:.3f}" if isinstance(value, float) else f"  {key:>32}: {value}")


if __name__ == "__main__":
    main()
