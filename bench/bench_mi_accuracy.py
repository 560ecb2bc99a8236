"""MI estimator accuracy on bmi-style tasks with known truth (Czyz et al., NeurIPS 2023).

Tasks: Gaussian (dense and sparse, 1x1 to 25x25), Student-t (truth: Gaussian part plus the t
correction, theory.student_t_mutual_information), Gaussian observed through invertible maps that
keep the information (half-cube, asinh, wiggly, normal CDF), the bmi spiral (2x2, 3x3, 5x5 at
speeds 0.3, 0.5, 1.0), high information, low-rank dependence in many dimensions: three dependent
pairs (Gaussian, or Student-t with 3 degrees of freedom) beside independent Gaussian coordinates,
50x50 and 200x200, each side mixed by a fixed random rotation (truth: the pairs' information), and
the same Gaussian low-rank embeddings (10 to 500 columns a side) passed through a fixed invertible
two-layer leaky-ReLU network per side ("embed": non-elliptical dependence in many dimensions).
For each n it prints each method's estimate, the truth and whether the error is within
max(0.1 nats, 10 %), the seconds per estimate, then the share of tasks each method gets right per
family. "gaussian" is the CCA/Gaussian estimator bmi calls CCA, "ksg" its KSG; peers that import in
the bench environment are added: infomeasure's KSG and frites' Gaussian-copula MI (GCMI). KSG-type
methods (ours and the peers') are skipped above 20 columns in all, where they take minutes and are
biased low (``--all-ksg`` runs them); the t copula above 400 columns.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
from scipy.special import ndtr
from scipy.stats import special_ortho_group

from modalinfo.estimators import mutual_information
from modalinfo.theory import gaussian_mutual_information, student_t_mutual_information

METHODS = ("ksg", "ksg2", "gaussian", "copula", "t-copula", "gaussianization", "auto")
KNN = {"ksg", "ksg2", "infomeasure-ksg"}
FAMILIES = ("gauss", "student", "maps", "spiral", "high-mi", "lowrank", "embed")
#: Above this many columns in all the t copula is skipped (its EM steps cost O(n d^2): minutes).
T_COPULA_MAX_DIMS = 400
SPIRAL_SPEEDS = (0.3, 0.5, 1.0)


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
    """Rotate the first two coordinates by speed * |x|^2 (norm-preserving, hence invertible; bmi's Spiral)."""
    out = x.copy()
    theta = speed * np.sum(x**2, axis=1)
    c, s = np.cos(theta), np.sin(theta)
    out[:, 0] = c * x[:, 0] - s * x[:, 1]
    out[:, 1] = s * x[:, 0] + c * x[:, 1]
    return out


def network(x: np.ndarray, seed: int, depth: int = 2, slope: float = 0.2) -> np.ndarray:
    """A fixed invertible leaky-ReLU network ``h <- leaky_relu(W h + b)`` (theory.NonlinearMixing's "network")."""
    gen = np.random.default_rng([x.shape[1], seed])
    p = x.shape[1]
    for _ in range(depth):
        u, _r = np.linalg.qr(gen.standard_normal((p, p)))
        v, _r = np.linalg.qr(gen.standard_normal((p, p)))
        h = x @ ((u * gen.uniform(0.5, 1.5, p)) @ v.T).T + 0.1 * gen.standard_normal(p)
        x = np.where(h > 0, h, slope * h)
    return x


MAPS = {
    "halfcube": lambda a: a * np.sqrt(np.abs(a)),
    "asinh": np.arcsinh,
    "wiggly": lambda a: a + 0.4 * np.sin(a),
    "normal-cdf": ndtr,
}


def tasks() -> list[tuple[str, int, int, np.ndarray, float, str | None]]:
    """(name, dx, dy, scale matrix, df (inf = Gaussian), map); for "lowrank" the scale is the pairs' (2k x 2k)."""
    out = []
    for dx, dy, rho in ((1, 1, 0.75), (2, 2, 0.5), (3, 3, 0.5), (5, 5, 0.3), (25, 25, 0.1)):
        out.append((f"gauss-dense-{dx}x{dy}", dx, dy, dense_cov(dx, dy, rho), math.inf, None))
    for dx, dy in ((2, 2), (5, 5), (10, 10)):
        out.append((f"gauss-sparse-{dx}x{dy}", dx, dy, sparse_cov(dx, dy, 0.8), math.inf, None))
    for dx, dy, df in ((1, 1, 1.0), (2, 2, 2.0), (3, 3, 2.0), (5, 5, 3.0)):
        out.append((f"student-t{df:g}-{dx}x{dy}", dx, dy, sparse_cov(dx, dy, 0.5), df, None))
    for name in MAPS:
        out.append((f"maps-{name}-3x3", 3, 3, sparse_cov(3, 3, 0.8), math.inf, name))
    for d in (2, 3, 5):
        for speed in SPIRAL_SPEEDS:
            out.append((f"spiral-{d}x{d}-s{speed:g}", d, d, sparse_cov(d, d, 0.8), math.inf, f"spiral:{speed:g}"))
    out.append(("high-mi-1x1", 1, 1, dense_cov(1, 1, 0.995), math.inf, None))
    out.append(("high-mi-3x3", 3, 3, sparse_cov(3, 3, 0.97, pairs=3), math.inf, None))
    for d in (50, 200):
        for df in (math.inf, 3.0):
            tag = "gauss" if math.isinf(df) else f"t{df:g}"
            out.append((f"lowrank-{tag}-{d}x{d}", d, d, sparse_cov(3, 3, 0.8, pairs=3), df, "lowrank"))
    for d in (10, 50, 200, 500):
        out.append((f"embed-net-{d}x{d}", d, d, sparse_cov(3, 3, 0.8, pairs=3), math.inf, "embed"))
    return out


def truth_of(dx: int, dy: int, cov: np.ndarray, df: float, kind: str | None) -> float:
    k = cov.shape[0] // 2 if kind in ("lowrank", "embed") else dx
    a, b = list(range(k)), list(range(k, cov.shape[0]))
    if math.isfinite(df):
        return student_t_mutual_information(cov, a, b, df=df)
    return gaussian_mutual_information(cov, a, b)


def draw(cov: np.ndarray, df: float, kind: str | None, dx: int, n: int, gen: np.random.Generator):
    v = gen.multivariate_normal(np.zeros(cov.shape[0]), cov, size=n)
    if math.isfinite(df):
        v *= np.sqrt(df / gen.chisquare(df, size=n))[:, None]
    if kind in ("lowrank", "embed"):  # the pairs beside independent coordinates, each side rotated
        k = cov.shape[0] // 2
        sides = []
        for side, seed in ((v[:, :k], 1), (v[:, k:], 2)):
            full = np.hstack([side, gen.standard_normal((n, dx - k))])
            full = full @ special_ortho_group.rvs(dx, random_state=np.random.default_rng([dx, seed])).T
            sides.append(network(full, seed) if kind == "embed" else full)
        return sides[0], sides[1]
    x, y = v[:, :dx], v[:, dx:]
    if kind is not None and kind.startswith("spiral:"):
        speed = float(kind.split(":")[1])
        x, y = spiral(x, speed), spiral(y, speed)
    elif kind is not None:
        x, y = MAPS[kind](x), MAPS[kind](y)
    return x, y


def peers() -> dict:
    """Peer estimators that import here, as name -> f(x, y) in nats."""
    out = {}
    try:
        import infomeasure as im

        out["infomeasure-ksg"] = lambda x, y: float(im.mutual_information(x, y, approach="ksg", k=3))
    except ImportError:
        pass
    try:
        import xarray  # noqa: F401  (frites needs it)
        from frites.core import mi_nd_gg
        from frites.core.copnorm import copnorm_nd

        def gcmi(x, y):
            cx, cy = copnorm_nd(x.T.copy(), axis=1), copnorm_nd(y.T.copy(), axis=1)
            return float(mi_nd_gg(cx, cy, mvaxis=0, traxis=1, biascorrect=True)) * math.log(2)

        out["frites-gcmi"] = gcmi
    except ImportError:
        pass
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", nargs="+", help="tasks whose name contains one of these")
    parser.add_argument("--all-ksg", action="store_true", help="run KSG-type methods above 20 columns too")
    args = parser.parse_args()
    estimators = {m: (lambda x, y, gen, m=m: mutual_information(x, y, m, rng=gen)) for m in METHODS}
    estimators |= {name: (lambda x, y, gen, f=f: f(x, y)) for name, f in peers().items()}
    names = list(estimators)
    all_tasks = [t for t in tasks() if not args.only or any(o in t[0] for o in args.only)]
    score: dict = {}
    for n in args.n:
        print(f"\nn = {n}   (estimates in nats; * = within max(0.1, 10%) of the truth; s = seconds per estimate)")
        print(f"{'task':<22}{'truth':>8}" + "".join(f"{m[:16]:>17}" for m in names))
        for t, (name, dx, dy, cov, df, kind) in enumerate(all_tasks):
            if dx + dy + 1 >= n:  # more columns than rows: the estimators refuse
                continue
            gen = np.random.default_rng([args.seed, n, t])
            x, y = draw(cov, df, kind, dx, n, gen)
            truth = truth_of(dx, dy, cov, df, kind)
            family = next(f for f in FAMILIES if name.startswith(f))
            row = f"{name:<22}{truth:>8.3f}"
            for m in names:
                skip_knn = m in KNN and dx + dy > 20 and not args.all_ksg
                if skip_knn or (m == "t-copula" and dx + dy > T_COPULA_MAX_DIMS):
                    row += f"{'-':>17}"
                    continue
                start = time.perf_counter()
                est = estimators[m](x, y, gen)
                seconds = time.perf_counter() - start
                ok = abs(est - truth) <= max(0.1, 0.1 * truth)
                hits = score.setdefault((family, m, n), [0, 0])
                hits[0] += ok
                hits[1] += 1
                row += f"{est:>9.3f}{'*' if ok else ' '}{seconds:>6.1f}s"
            print(row, flush=True)
    print("\nshare of tasks within max(0.1 nats, 10%), per family (tasks run)")
    for n in args.n:
        print(f"\nn = {n}\n{'family':<10}" + "".join(f"{m[:16]:>17}" for m in names))
        for family in FAMILIES:
            cells = [score.get((family, m, n)) for m in names]
            if not any(cells):
                continue
            print(f"{family:<10}" + "".join(f"{'-':>17}" if not c else f"{c[0]:>12}/{c[1]:<4}" for c in cells))


if __name__ == "__main__":
    main()
