"""Chunked random streams: the same seed gives the same sample whatever the number of threads.

A sample of n rows is cut into fixed chunks of ``CHUNK_ROWS`` rows; chunk c draws from its own
generator, the c-th child spawned from the caller's generator. Chunks are filled concurrently by
a thread pool (numpy's samplers and BLAS release the GIL), and since no chunk depends on another
or on the schedule, the result is bit-identical for any number of workers.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np

__all__ = ["CHUNK_ROWS", "for_chunks", "run_chunks"]

CHUNK_ROWS = 1 << 15


def _workers() -> int:
    env = os.environ.get("MODALINFO_SAMPLER_THREADS")
    return max(1, int(env)) if env else (os.cpu_count() or 1)


def for_chunks(n: int, fill: Callable[[int, int, int], None], threads: int | None = None) -> None:
    """Call ``fill(start, stop, index)`` on every chunk of ``range(n)``, concurrently.

    ``MODALINFO_SAMPLER_THREADS`` caps the thread count (default: all cores); it changes the speed,
    never the numbers, as long as ``fill`` writes only its own rows; ``threads`` overrides it.
    """
    bounds = [(a, min(a + CHUNK_ROWS, n)) for a in range(0, n, CHUNK_ROWS)]
    workers = min(threads or _workers(), len(bounds))
    if workers <= 1:
        for c, (a, b) in enumerate(bounds):
            fill(a, b, c)
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for fut in [pool.submit(fill, a, b, c) for c, (a, b) in enumerate(bounds)]:
            fut.result()


def run_chunks(gen: np.random.Generator, n: int, fill: Callable[[int, int, np.random.Generator], None]) -> None:
    """Call ``fill(start, stop, chunk_generator)`` on every chunk of ``range(n)``, concurrently.

    The chunk generators are spawned from ``gen`` (advancing its spawn counter), so a later draw
    from ``gen`` is independent of this one.
    """
    children = gen.spawn(-(-n // CHUNK_ROWS))
    for_chunks(n, lambda a, b, c: fill(a, b, children[c]))
