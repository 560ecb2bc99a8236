"""MI estimator accuracy on bmi-style tasks with known truth (Czyz et al., NeurIPS 2023).

Tasks: Gaussian (dense and sparse, 1x1 to 25x25), Student-t (truth: Gaussian part plus the t
correction, theory.student_t_mutual_information), Gaussian observed through invertible maps that
keep the information (half-cube, asinh, wiggly, normal CDF, a spiral rotation), and high
information. For n in (1000, 5000) it prints each method's estimate, the truth and whether the
error is within max(0.1 nats, 10 %), then the share of tasks each method gets right. Needs no peers:
"gaussian" is the CCA/Gaussian estimator bmi calls CCA, "ksg" its KSG.
"""

from __future__ import annotations

import argparse
import math

import numpy as np
from scipy.special import ndtr

from modalinfo.estimators import mutual_information
from modalinfo.theory import gaussian_mutual_information, student_t_mutual_information

METHODS = ("ksg", "ksg2", "gaussian", "copula", "auto")


def dense_cov(dx: int, dy: int, rho: float) -> np.ndarray:
    """Every x-y pair correlated by rho, within-block correlation 0.5 (bmi 'dense')."""
    d = dx + dy
    cov = np.full((d, d), 0.5)
    cov[:dx, dx:] = cov[dx:, :dx] = rho
    np.fill_diagonal(cov, 1.0)
    return cov


def sparse_cov(dx: int, dy: int, rho: float, pairs: int = 2) -> np.ndarray:
    """Only the first ``pairs`` coordinates interact, x_i with y_i (bmi 'sparse')."""
    cov = np.eye(dx + dy)
    for i in range(min(pairs, dx, dy)):
        cov[i, dx + i] = cov[dx + i, i] = rho
    return cov


def spiral(x: np.ndarray, speed: float = 0.5) -> np.ndarray:
    """Rotate the first two coordinates by speed * |x|^2 (norm-preserving, hence invertible)."""
    out = x.copy()
    theta = speed * np.sum(x**2, axis=1)
    c, s = np.cos(theta), np.sin(theta)
    out[:, 0] = c * x[:, 0] - s * x[:, 1]
    out[:, 1] = s * x[:, 0] + c * x[:, 1]
    return out


MAPS = {
    "halfcube": lambda a: a * np.sqrt(np.abs(a)),
    "asinh": np.arcsinh,
    "wiggly": lambda a: a + 0.4 * np.sin(a),
    "normal-cdf": ndtr,
    "spiral": spiral,
}


def tasks() -> list[tuple[str, int, int, np.ndarray, float, str | None]]:
    """(name, dx, dy, scale matrix, df (inf = Gaussian), map)."""
    out = []
    for dx, dy, rho in ((1, 1, 0.75), (2, 2, 0.5), (3, 3, 0.5), (5, 5, 0.3), (25, 25, 0.1)):
        out.append((f"gauss-dense-{dx}x{dy}", dx, dy, dense_cov(dx, dy, rho), math.inf, None))
    for dx, dy in ((2, 2), (5, 5), (10, 10)):
        out.append((f"gauss-sparse-{dx}x{dy}", dx, dy, sparse_cov(dx, dy, 0.8), math.inf, None))
    for dx, dy, df in ((1, 1, 1.0), (2, 2, 2.0), (3, 3, 2.0), (5, 5, 3.0)):
        out.append((f"student-t{df:g}-{dx}x{dy}", dx, dy, sparse_cov(dx, dy, 0.5), df, None))
    for name in MAPS:
        out.append((f"{name}-3x3", 3, 3, sparse_cov(3, 3, 0.8), math.inf, name))
    out.append(("high-mi-1x1", 1, 1, dense_cov(1, 1, 0.995), math.inf, None))
    out.append(("high-mi-3x3", 3, 3, sparse_cov(3, 3, 0.97, pairs=3), math.inf, None))
    return out


def draw(cov: np.ndarray, df: float, kind: str | None, dx: int, n: int, gen: np.random.Generator):
    v = gen.multivariate_normal(np.zeros(cov.shape[0]), cov, size=n)
    if math.isfinite(df):
        v *= np.sqrt(df / gen.chisquare(df, size=n))[:, None]
    x, y = v[:, :dx], v[:, dx:]
    if kind is not None:
        x, y = MAPS[kind](x), MAPS[kind](y)
    return x, y


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    score = {(m, n): 0 for m in METHODS for n in args.n}
    all_tasks = tasks()
    for n in args.n:
        print(f"\nn = {n}   (estimates in nats; * = within max(0.1, 10%) of the truth)")
        print(f"{'task':<22}{'truth':>8}" + "".join(f"{m:>11}" for m in METHODS))
        for t, (name, dx, dy, cov, df, kind) in enumerate(all_tasks):
            gen = np.random.default_rng([args.seed, n, t])
            x, y = draw(cov, df, kind, dx, n, gen)
            a, b = list(range(dx)), list(range(dx, dx + dy))
            if math.isfinite(df):
                truth = student_t_mutual_information(cov, a, b, df=df)
            else:
                truth = gaussian_mutual_information(cov, a, b)
            row = f"{name:<22}{truth:>8.3f}"
            for m in METHODS:
                est = mutual_information(x, y, m, rng=gen)
                ok = abs(est - truth) <= max(0.1, 0.1 * truth)
                score[m, n] += ok
                row += f"{est:>10.3f}{'*' if ok else ' '}"
            print(row)
    print("\nshare of tasks within max(0.1 nats, 10%)")
    print(f"{'n':<8}" + "".join(f"{m:>10}" for m in METHODS))
    for n in args.n:
        print(f"{n:<8}" + "".join(f"{score[m, n] / len(all_tasks):>10.0%}" for m in METHODS))


if __name__ == "__main__":
    main()
