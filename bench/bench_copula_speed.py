"""Gaussian-copula MI speed: estimators.mutual_information(x, y, "copula") against a plain GCMI, in one run.

The peer is the Gaussian-copula MI of Ince et al. (2017) as frites computes it, written here with
numpy and scipy: each column's ranks by a double argsort, normal scores ``ndtri(rank / (n + 1))``,
the sample covariance of the scores, and the bias-corrected Gaussian information from Cholesky
log-determinants. modalinfo's time is the whole public call (validation included). For each
block shape at ``--n`` rows it prints the best of ``--repeat`` calls of each (interleaved), the
ratio modalinfo / plain (the target: at most 0.4) and the largest |difference| of the estimates.
Needs no peers:

    python bench/bench_copula_speed.py             # n = 1e6, dims (1,1), (5,5), (20,20)
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
from scipy.special import ndtri, psi

from modalinfo.estimators import mutual_information

DIMS = ((1, 1), (5, 5), (20, 20))


def plain_gcmi(x: np.ndarray, y: np.ndarray) -> float:
    """Bias-corrected Gaussian-copula I(X; Y) in nats, frites-style (rank, ndtri, covariance, log-dets)."""
    n = x.shape[0]

    def scores(a: np.ndarray) -> np.ndarray:
        return ndtri((np.argsort(np.argsort(a, axis=0), axis=0) + 1) / (n + 1.0))

    z = np.hstack([scores(x), scores(y)])
    z -= z.mean(axis=0)
    cov = z.T @ z / (n - 1)

    def entropy(c: np.ndarray) -> float:  # without the constant, which cancels
        d = c.shape[0]
        half_logdet = np.sum(np.log(np.diag(np.linalg.cholesky(c))))
        bias = 0.5 * d * (math.log(2.0) - math.log(n - 1.0)) + 0.5 * np.sum(psi((n - np.arange(1, d + 1)) / 2.0))
        return float(half_logdet - bias)

    dx = x.shape[1]
    return entropy(cov[:dx, :dx]) + entropy(cov[dx:, dx:]) - entropy(cov)


def copula_mi(x: np.ndarray, y: np.ndarray) -> float:
    return mutual_information(x, y, "copula")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    mutual_information(rng.standard_normal((100, 2)), rng.standard_normal((100, 2)), "copula")  # load the kernels
    print(f"{'dims':<9}{'n':>9}{'modalinfo s':>13}{'plain s':>10}{'ratio':>7}{'|dI|':>10}")
    for dx, dy in DIMS:
        x = rng.standard_normal((args.n, dx))
        y = 0.5 * x[:, :1] + rng.standard_normal((args.n, dy))
        best = {"modalinfo": math.inf, "plain": math.inf}
        values = {}
        for _ in range(args.repeat):
            for name, fn in (("modalinfo", copula_mi), ("plain", plain_gcmi)):
                t = time.perf_counter()
                values[name] = fn(x, y)
                best[name] = min(best[name], time.perf_counter() - t)
        diff = abs(values["modalinfo"] - values["plain"])
        print(
            f"{str((dx, dy)):<9}{args.n:>9}{best['modalinfo']:>13.4f}{best['plain']:>10.4f}"
            f"{best['modalinfo'] / best['plain']:>7.2f}{diff:>10.1e}",
            flush=True,
        )


if __name__ == "__main__":
    main()
