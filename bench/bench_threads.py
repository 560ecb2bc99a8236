"""Small calls on a busy machine: KSG on all cores against KSG on the calling thread, in one run.

The parallel kernels (numba ``prange``) wait for every worker thread; when another process holds a
core, a call on a few hundred rows waits for that core's time slice. For n rows and dims (1, 1) and
(4, 1) this prints the median seconds per ``mutual_information(method="ksg")`` call with numba's
default thread count and with one thread, with the other cores idle and with them busy (one
spinning process per other core), and the ratio; ``estimators._ksg.PARALLEL_MIN`` is set from the
size where all cores start to pay. Run: ``python bench/bench_threads.py``.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import statistics
import time

import numba
import numpy as np

from modalinfo.estimators import _ksg, mutual_information

SIZES = (100, 200, 500, 1_000, 2_000, 5_000, 20_000)
DIMS = ((1, 1), (4, 1))


def _spin(stop: mp.Event) -> None:  # type: ignore[valid-type]
    x = 0
    while not stop.is_set():  # type: ignore[attr-defined]
        x += 1


def _seconds(n: int, dims: tuple[int, int], threads: int, repeat: int) -> float:
    gen = np.random.default_rng(0)
    x = gen.standard_normal((n, dims[0]))
    y = x[:, :1] + gen.standard_normal((n, dims[1]))
    floor = _ksg.PARALLEL_MIN
    _ksg.PARALLEL_MIN = 0  # measure the kernels with exactly ``threads`` threads at every size
    numba.set_num_threads(threads)
    try:
        mutual_information(x, y, "ksg", rng=0)  # compile / warm
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            mutual_information(x, y, "ksg", rng=0)
            times.append(time.perf_counter() - start)
    finally:
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
        _ksg.PARALLEL_MIN = floor
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    cores = numba.config.NUMBA_NUM_THREADS
    print(f"{cores} numba threads by default; {os.cpu_count()} CPUs")
    print(f"{'load':6} {'dims':7} {'n':>7} {'all threads s':>14} {'1 thread s':>11} {'all / 1':>8}")
    for load in ("idle", "busy"):
        stop = mp.Event()
        spinners = [mp.Process(target=_spin, args=(stop,)) for _ in range(cores - 1)] if load == "busy" else []
        for p in spinners:
            p.start()
        try:
            for dims in DIMS:
                for n in SIZES:
                    many = _seconds(n, dims, cores, args.repeat)
                    one = _seconds(n, dims, 1, args.repeat)
                    print(f"{load:6} {str(dims):7} {n:7d} {many:14.5f} {one:11.5f} {many / one:8.2f}", flush=True)
        finally:
            stop.set()
            for p in spinners:
                p.join()


if __name__ == "__main__":
    main()
