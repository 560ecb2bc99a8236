"""How far the exchange rate of x1-only labeled rows is from its first-order value at finite n.

``theory.unpaired_exchange_rate`` gives ``lambda = a / (a + b)`` from the delta method: a
first-order result in 1/n. This script simulates the rate on common draws
(``simulations.suites.marginal_exchange_rate`` over the rows of the ``unpaired_value``
experiment: what n_u x1-only rows bought, over what the same rows bought with x2) for six systems
of the default latent model (overlap 0, 0.5, 1; observation noise variance 0.5 and 2) at each
number of paired rows, pooling n_u = 400 and 1600, and prints it beside the theory with the
relative gap and its standard error.

    python bench/bench_exchange_rate_gap.py [--reps 4000] [--paired 400 1600]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from modalinfo.simulations.suites import marginal_exchange_rate, unpaired_value

SYSTEMS = [{"overlap": overlap, "noise_var": noise} for noise in (0.5, 2.0) for overlap in (0.0, 0.5, 1.0)]
UNPAIRED = (400, 1600)


def simulated_rate(system: dict[str, float], n_paired: int, reps: int, seed: int) -> tuple[float, float, float]:
    """(theory, simulated rate, its standard error) of one system at ``n_paired`` paired rows."""
    rows = []
    for cell, n_unpaired in enumerate(UNPAIRED):
        rngs = np.random.SeedSequence([seed, n_paired, cell]).spawn(reps)
        params = {**system, "n_paired": n_paired, "n_unpaired": n_unpaired}
        for rep, stream in enumerate(rngs):
            for row in unpaired_value(params, np.random.default_rng(stream)):
                rows.append({"cell": cell, "rep": rep, "n_unpaired": n_unpaired, **row})
    table = pd.DataFrame(rows)
    rate, se = marginal_exchange_rate(table)
    return float(table["lambda_theory"].iloc[0]), rate, se


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=4000, help="repetitions per (system, n_p, n_u)")
    parser.add_argument("--paired", type=int, nargs="+", default=[400], help="numbers of paired rows")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(f"{'overlap':>7} {'noise':>5} {'n_p':>5} {'theory':>7} {'simulated':>9} {'SE':>6} {'gap %':>6} {'SE %':>5}")
    start = time.perf_counter()
    for n_paired in args.paired:
        for system in SYSTEMS:
            theory, rate, se = simulated_rate(system, n_paired, args.reps, args.seed)
            print(
                f"{system['overlap']:7.1f} {system['noise_var']:5.1f} {n_paired:5d} {theory:7.4f} {rate:9.4f} "
                f"{se:6.4f} {100 * (rate / theory - 1):6.1f} {100 * se / theory:5.1f}",
                flush=True,
            )
    print(f"{args.reps} repetitions per cell, n_u in {UNPAIRED} pooled; {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
