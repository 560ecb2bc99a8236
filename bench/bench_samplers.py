"""Sampler throughput and peak memory: simulations.sample against a plain single-threaded numpy sampler.

The model has 2 modalities of 32 dimensions (shared latent 8, private 8 each); "linear" is the
linear-Gaussian model, "network" the same observed through a random invertible 2-layer leaky-ReLU
network. The baseline below draws all latents and noise with one numpy generator in one call each
and mixes with one matrix product, as a user would write it. Prints rows per second, the speed-up,
and the peak traced memory relative to the size of the returned arrays (tracemalloc sees numpy's
allocations). Targets (issue 3): speed-up >= 1.8, peak memory <= 1.5x the output.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc

import numpy as np

from modalinfo.simulations import NonlinearMixing, sample
from modalinfo.theory import LatentModel


def numpy_baseline(model: LatentModel, n: int, seed: int, layers=None, slope: float = 0.2) -> dict[str, np.ndarray]:
    """The same model, drawn with one generator and one matrix product."""
    gen = np.random.default_rng(seed)
    z = gen.standard_normal((n, model.latent_dim))
    sd = np.repeat(np.sqrt(model.noise_var), model.obs_dims)
    x = z @ model.loadings().T + sd * gen.standard_normal((n, sum(model.obs_dims)))
    y = z @ model.target_weights() + np.sqrt(model.target_noise_var) * gen.standard_normal(n)
    p1, ds = model.obs_dims[0], model.shared_dim
    out = {"z_shared": z[:, :ds], "z1": z[:, ds : ds + 8], "z2": z[:, ds + 8 :], "x1": x[:, :p1], "x2": x[:, p1:]}
    out["y"] = y[:, None]
    if layers is not None:
        for name in ("x1", "x2"):
            h = out[name]
            for w, b in layers[name]:
                h = h @ w.T + b
                h = np.maximum(h, slope * h)
            out[name] = h
    return out


def measure(fn, repeat: int) -> tuple[float, int, int]:
    """Best wall time over ``repeat`` runs, peak traced bytes of one run, and the output bytes."""
    tracemalloc.start()
    out = fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    size = sum(a.nbytes for a in out.values())
    del out
    best = np.inf
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best, peak, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    model = LatentModel(obs_dims=(32, 32), shared_dim=8, private_dims=(8, 8), overlap=0.5, mixing_seed=0)
    net = NonlinearMixing(model, "network", network_seed=0)
    sample(net, 10, 0)  # compile (or load) the kernels outside the timings
    cases = {
        "linear": (lambda: sample(model, args.n, 1), lambda: numpy_baseline(model, args.n, 1)),
        "network": (lambda: sample(net, args.n, 1), lambda: numpy_baseline(model, args.n, 1, net.layers, net.slope)),
    }
    print(f"n = {args.n:,}; 2 modalities x 32 dims (shared 8, private 8 each); best of {args.repeat}")
    header = (
        f"{'model':<9}{'sampler':<10}{'Mrows/s':>9}{'speed-up':>10}{'peak MiB':>10}{'output MiB':>11}{'peak/out':>9}"
    )
    print(header)
    print("-" * len(header))
    for name, (ours, base) in cases.items():
        t_b, peak_b, size_b = measure(base, args.repeat)
        t_o, peak_o, size_o = measure(ours, args.repeat)
        for label, t, peak, size in (("numpy", t_b, peak_b, size_b), ("modalinfo", t_o, peak_o, size_o)):
            print(
                f"{name:<9}{label:<10}{args.n / t / 1e6:>9.2f}{t_b / t:>10.2f}{peak / 2**20:>10.0f}"
                f"{size / 2**20:>11.0f}{peak / size:>9.2f}"
            )


if __name__ == "__main__":
    main()
