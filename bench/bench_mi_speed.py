"""MI estimator speed: estimators.mutual_information against public peers, in one run.

Peers (installed in the bench environment only, bench/requirements.txt): sklearn's
mutual_info_regression (KSG-1 with jitter, (1, 1) only), infomeasure's KSG, frites' Gaussian-copula
MI (GCMI), and a plain single-threaded scipy cKDTree KSG-1 written here. bmi's KSG is used when
``import bmi`` works (it does not with recent JAX). For n in 1e3..1e6 and dims (1,1), (5,5),
(20,20) it prints seconds per call (best of ``--repeat``), the ratio of modalinfo's "ksg" to the
fastest KSG peer and to the plain cKDTree KSG, and the largest |difference| between modalinfo's KSG-1
and the exact plain KSG-1 on the same (standardised, untied) data. A case is skipped when its
projected time exceeds ``--budget`` seconds; ``--only`` times a subset of the methods. The peak
memory of "ksg" and sklearn at n = 1e6, (1, 1), and of "copula" and frites at n = 1e6, (20, 20), is
measured in fresh subprocesses (RSS sampled every 2 ms during the call, above the RSS before it;
Linux; ``--no-memory`` skips it).
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import time

import numpy as np
from scipy.spatial import cKDTree
from scipy.special import digamma

from modalinfo.estimators import mutual_information

DIMS = ((1, 1), (5, 5), (20, 20))
SIZES = (1_000, 10_000, 100_000, 1_000_000)


def plain_ksg(x: np.ndarray, y: np.ndarray, k: int = 3) -> float:
    """KSG-1 as a user would write it with scipy (single thread)."""
    n = len(x)
    joint = np.hstack([x, y])
    eps = cKDTree(joint).query(joint, k=[k + 1], p=np.inf)[0][:, 0]
    r = np.nextafter(eps, 0)
    nx = cKDTree(x).query_ball_point(x, r, p=np.inf, return_length=True) - 1
    ny = cKDTree(y).query_ball_point(y, r, p=np.inf, return_length=True) - 1
    return float(digamma(k) + digamma(n) - np.mean(digamma(nx + 1) + digamma(ny + 1)))


def peers() -> dict:
    out = {}
    try:
        from sklearn.feature_selection import mutual_info_regression

        out["sklearn"] = lambda x, y: mutual_info_regression(x, y[:, 0], n_neighbors=3, random_state=0)[0]
    except ImportError:
        pass
    try:
        import infomeasure

        out["infomeasure"] = lambda x, y: infomeasure.mutual_information(x, y, approach="ksg", k=3)
    except ImportError:
        pass
    try:
        import bmi

        out["bmi"] = lambda x, y: bmi.estimators.KSGEnsembleFirstEstimator(neighborhoods=(3,)).estimate(x, y)
    except Exception:
        print("bmi: not importable here, skipped")
    try:
        from frites.core import copnorm_nd, mi_nd_gg

        out["frites-gcmi"] = lambda x, y: mi_nd_gg(copnorm_nd(x, axis=0), copnorm_nd(y, axis=0), mvaxis=-1, traxis=0)
    except ImportError:
        pass
    return out


def best_time(fn, x, y, repeat: int) -> float:
    best = math.inf
    for _ in range(repeat):
        t = time.perf_counter()
        fn(x, y)
        best = min(best, time.perf_counter() - t)
    return best


MEMORY_SCRIPT = """
import json, sys, numpy as np
n = 1_000_000
rng = np.random.default_rng(0)
which = sys.argv[1]
d = 20 if which in ("modalinfo-copula", "frites") else 1
x = rng.standard_normal((n, d)); y = 0.5 * x + rng.standard_normal((n, d))
if which.startswith("modalinfo"):
    from modalinfo.estimators import mutual_information as f
    method = "copula" if which == "modalinfo-copula" else "ksg"
    f(x[:100], y[:100], method)  # load the compiled kernels before measuring
    run = lambda: f(x, y, method, rng=0)
elif which == "frites":
    from frites.core import copnorm_nd, mi_nd_gg
    run = lambda: mi_nd_gg(copnorm_nd(x, axis=0), copnorm_nd(y, axis=0), mvaxis=-1, traxis=0)
else:
    from sklearn.feature_selection import mutual_info_regression as g
    run = lambda: g(x, y[:, 0], n_neighbors=3, random_state=0)
def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1])  # kB
import threading, time
base, peak, done = status("VmRSS"), [0], threading.Event()
def watch():  # the process-wide peak mark cannot be reset here, so sample RSS every 2 ms
    while not done.is_set():
        peak[0] = max(peak[0], status("VmRSS"))
        time.sleep(0.002)
w = threading.Thread(target=watch); w.start()
t = time.perf_counter(); run(); dt = time.perf_counter() - t
done.set(); w.join()
print(json.dumps({"seconds": dt, "mib": (peak[0] - base) / 1024}))
"""


def memory_row(which: str) -> dict:
    res = subprocess.run([sys.executable, "-c", MEMORY_SCRIPT, which], capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--budget", type=float, default=40.0, help="skip a case projected above this (s)")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--only", nargs="+", help="time only these methods (e.g. modalinfo-copula frites-gcmi)")
    parser.add_argument("--no-memory", action="store_true", help="skip the peak-memory rows")
    args = parser.parse_args()
    others = peers()
    ours = {
        "modalinfo-ksg": lambda x, y: mutual_information(x, y, "ksg", rng=0),
        "modalinfo-copula": lambda x, y: mutual_information(x, y, "copula"),
    }
    rng = np.random.default_rng(0)
    for dims in DIMS:  # compile (or load) every kernel the cases use before timing anything
        mutual_information(rng.standard_normal((60, dims[0])), rng.standard_normal((60, dims[1])), "ksg", rng=0)
    methods = {**ours, "plain-ckdtree": plain_ksg, **others}
    if args.only:
        methods = {name: fn for name, fn in methods.items() if name in args.only}
    print(
        f"{'dims':<8}{'n':>9}"
        + "".join(f"{m:>15}" for m in methods)
        + f"{'ksg/peer':>10}{'ksg/plain':>10}{'|dI| plain':>11}"
    )
    for dims in DIMS:
        last: dict[str, tuple[int, float]] = {}
        for n in args.sizes:
            x = rng.standard_normal((n, dims[0]))
            y = 0.5 * x[:, :1] + rng.standard_normal((n, dims[1]))
            x, y = x / x.std(axis=0), y / y.std(axis=0)
            row, times = f"{str(dims):<8}{n:>9}", {}
            for name, fn in methods.items():
                if name == "sklearn" and dims != (1, 1):
                    row += f"{'-':>15}"
                    continue
                if name in last:
                    n0, t0 = last[name]
                    growth = (n / n0) ** (2.0 if sum(dims) > 16 else 1.3)
                    if t0 * growth > args.budget:
                        row += f"{'skip':>15}"
                        continue
                times[name] = best_time(fn, x, y, args.repeat)
                last[name] = (n, times[name])
                row += f"{times[name]:>15.4f}"
            if "modalinfo-copula" in times and "frites-gcmi" in times:
                row += f"  copula/frites {times['modalinfo-copula'] / times['frites-gcmi']:.2f}"
            ksg_peers = [times[m] for m in ("sklearn", "infomeasure", "bmi") if m in times]
            ratio_peer = times["modalinfo-ksg"] / min(ksg_peers) if ksg_peers and "modalinfo-ksg" in times else math.nan
            ratio_plain = times["modalinfo-ksg"] / times["plain-ckdtree"] if "plain-ckdtree" in times else math.nan
            diff = math.nan
            if n <= 10_000 and "modalinfo-ksg" in methods:
                diff = abs(mutual_information(x, y, "ksg", jitter=0.0) - plain_ksg(x, y))
            print(row + f"{ratio_peer:>10.3f}{ratio_plain:>10.3f}{diff:>11.1e}")
    if args.no_memory:
        return
    print("\nn = 1e6, fresh process: seconds and peak memory above the data; KSG at (1, 1), copula at (20, 20)")
    for which in ("modalinfo", "sklearn", "modalinfo-copula", "frites"):
        try:
            r = memory_row(which)
            print(f"{which:<18}{r['seconds']:>8.2f} s{r['mib']:>9.0f} MiB")
        except subprocess.CalledProcessError as err:
            print(f"{which:<18} failed: {err.stderr.strip().splitlines()[-1]}")


if __name__ == "__main__":
    main()
