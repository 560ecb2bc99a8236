"""Kraskov-Stoegbauer-Grassberger (2004) estimators of I(X; Y) and Frenzel-Pompe (2007) I(X; Y | Z).

All distances are max-norms; the joint space is the product of the blocks. With eps_i the
distance from point i to its k-th neighbour in the joint space:

- KSG-1: ``I = psi(k) + psi(N) - < psi(n_x + 1) + psi(n_y + 1) >`` with n_x the number of other
  points strictly closer than eps_i in X (KSG 2004, eq. 8);
- KSG-2: ``I = psi(k) - 1/k + psi(N) - < psi(n_x) + psi(n_y) >`` with n_x the number of other
  points within (<=) the largest X-distance among the k neighbours (eq. 9);
- Frenzel-Pompe CMI: ``I = psi(k) - < psi(n_xz + 1) + psi(n_yz + 1) - psi(n_z + 1) >`` with
  strict counts in the subspaces (X, Z), (Y, Z) and Z.

The joint k-th neighbour comes from a ring search on a quantile grid in two dimensions (numba),
scipy's cKDTree up to ``BRUTE_DIM`` and a vectorised brute-force pass above, where trees cannot
prune; marginal counts use sorted arrays in one dimension, a counting k-d tree (``_kdtree``) up
to ``TREE_COUNT_DIM`` and brute force above. From ``PARALLEL_MIN`` rows they run on every core,
below it on the calling thread.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numba
import numpy as np
from scipy.spatial import cKDTree
from scipy.special import digamma

from ._kdtree import box_counts
from ._knn_kernels import brute_counts, brute_knn, count_sorted, grid_knn

__all__ = ["ksg_cmi_nats", "ksg_mi_nats", "neighbour_radii", "within_counts"]

# Above this joint dimension trees no longer prune and the brute-force pass is faster
# (bench/bench_mi_speed.py, the (5, 5) and (20, 20) rows).
BRUTE_DIM = 16
# Points per cell of the 2-D grid (quantile edges), the fastest setting in bench/bench_mi_speed.py.
GRID_LOAD = 4.0
# Marginal counts with the k-d tree of ``_kdtree`` up to this dimension, brute force above.
TREE_COUNT_DIM = 6
# Below this many rows the kernels run on the calling thread: a parallel region waits for every
# worker, and when the other cores are busy that wait costs up to 2.6x at 2000 rows, while on an
# idle machine all cores gain at most 15 % below 10000 rows (bench/bench_threads.py).
PARALLEL_MIN = 10_000


@contextmanager
def _threads(n: int) -> Iterator[int]:
    """numba and scipy threads for a call on n rows: all of them from PARALLEL_MIN rows, else one."""
    if n >= PARALLEL_MIN:
        yield -1
        return
    previous = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        yield 1
    finally:
        numba.set_num_threads(previous)


def neighbour_radii(blocks: list[np.ndarray], k: int, workers: int = -1) -> tuple[np.ndarray, np.ndarray]:
    """Joint k-th neighbour distance eps (n,) and per-block largest neighbour distance (n, B)."""
    n = blocks[0].shape[0]
    dim = sum(b.shape[1] for b in blocks)
    if dim > BRUTE_DIM:
        eps, eps_blocks = np.empty(n), np.empty((n, len(blocks)))
        brute_knn(tuple(np.ascontiguousarray(b) for b in blocks), k, eps, eps_blocks)
        return eps, eps_blocks
    joint = np.concatenate(blocks, axis=1)
    if dim == 2:
        return _grid_radii(joint, k)
    dist, idx = cKDTree(joint).query(joint, k=k + 1, p=np.inf, workers=workers)
    # The k + 1 nearest include i itself at distance 0 (or a duplicate of it: the same radius).
    neighbours = idx[:, 1:]
    eps_blocks = np.empty((n, len(blocks)))
    for b, arr in enumerate(blocks):
        eps_blocks[:, b] = np.abs(arr[neighbours] - arr[:, None, :]).max(axis=(1, 2))
    return dist[:, k], eps_blocks


def _grid_radii(joint: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """2-D joint space: ring search on a grid whose edges are marginal quantiles (~GRID_LOAD points per cell).

    The edges only shape the grid (any edges give the exact neighbours), so they are quantiles of
    a strided subsample of at most ~2e4 points.
    """
    n = joint.shape[0]
    g = max(1, int(np.sqrt(n / GRID_LOAD)))
    q = np.linspace(0.0, 1.0, g + 1)
    step = max(1, n // 20_000)
    edges = [np.quantile(joint[::step, c], q) for c in (0, 1)]
    ax, ay = (np.clip(np.searchsorted(e, joint[:, c], side="right") - 1, 0, g - 1) for c, e in enumerate(edges))
    cell = ax * g + ay
    order = np.argsort(cell)
    start = np.zeros(g * g + 1, dtype=np.int64)
    np.cumsum(np.bincount(cell, minlength=g * g), out=start[1:])
    eps, eps_blocks = np.empty(n), np.empty((n, 2))
    grid_knn(joint[order], order, start, cell, edges[0], edges[1], k, eps, eps_blocks[:, 0], eps_blocks[:, 1])
    return eps, eps_blocks


def within_counts(a: np.ndarray, radius: np.ndarray, strict: bool) -> np.ndarray:
    """Number of points j != i with ``max-norm(a_j - a_i) < radius[i]`` (``<=`` if not strict)."""
    n, d = a.shape
    out = np.empty(n, dtype=np.int64)
    if d == 1:
        order = np.argsort(a[:, 0])
        counts = np.empty(n, dtype=np.int64)
        count_sorted(a[order, 0], radius[order], strict, counts)
        out[order] = counts
    elif d <= TREE_COUNT_DIM:
        out[:] = box_counts(a, radius, strict)
    else:
        brute_counts(np.ascontiguousarray(a), np.ascontiguousarray(radius), strict, out)
    return out - 1


def ksg_mi_nats(x: np.ndarray, y: np.ndarray, k: int, variant: int) -> float:
    """KSG-1 (``variant=1``) or KSG-2 estimate of I(X; Y) in nats on prepared (jittered) data."""
    n = x.shape[0]
    with _threads(n) as workers:
        eps, eps_blocks = neighbour_radii([x, y], k, workers)
        if variant == 1:
            nx = within_counts(x, eps, strict=True)
            ny = within_counts(y, eps, strict=True)
            return float(digamma(k) + digamma(n) - np.mean(digamma(nx + 1) + digamma(ny + 1)))
        nx = within_counts(x, eps_blocks[:, 0], strict=False)
        ny = within_counts(y, eps_blocks[:, 1], strict=False)
    return float(digamma(k) - 1.0 / k + digamma(n) - np.mean(digamma(nx) + digamma(ny)))


def ksg_cmi_nats(x: np.ndarray, y: np.ndarray, z: np.ndarray, k: int) -> float:
    """Frenzel-Pompe estimate of I(X; Y | Z) in nats on prepared data."""
    with _threads(x.shape[0]) as workers:
        eps, _ = neighbour_radii([x, y, z], k, workers)
        nxz = within_counts(np.concatenate([x, z], axis=1), eps, strict=True)
        nyz = within_counts(np.concatenate([y, z], axis=1), eps, strict=True)
        nz = within_counts(z, eps, strict=True)
    return float(digamma(k) - np.mean(digamma(nxz + 1) + digamma(nyz + 1) - digamma(nz + 1)))
