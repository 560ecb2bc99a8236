"""Numba kernels of the nearest-neighbour estimators (no validation: the wrappers in ``_ksg`` check).

Distances are max-norm. ``prange`` loops write only their own row, so results do not depend on
the number of threads. Every kernel has a plain-numpy reference in the tests.
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["brute_counts", "brute_knn", "count_sorted", "grid_knn"]

# Rows per parallel task: buffers are allocated once per task, not per query.
CHUNK = 4096


@numba.njit(cache=True, inline="always")
def _inside(d, r, strict):  # pragma: no cover - compiled
    return d < r if strict else d <= r


@numba.njit(cache=True)
def _count_around(s, r, rad, strict):  # pragma: no cover - compiled
    """#{j : |s_j - s_r| inside rad} for ascending s: gallop outward from r, then bisect each end."""
    n = s.shape[0]
    r = np.int64(r)  # a prange index may arrive unsigned; keep the arithmetic signed
    v = s[r]
    if not _inside(0.0, rad, strict):
        return 0
    # lower end: s[hi] inside, s[lo] outside (lo == -1: none)
    hi = r
    step = 1
    lo = r - 1
    while lo >= 0 and _inside(v - s[lo], rad, strict):
        hi = lo
        step *= 2
        lo = r - step
    if lo < -1:
        lo = -1
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _inside(v - s[mid], rad, strict):
            hi = mid
        else:
            lo = mid
    first = hi
    # upper end: s[lo] inside, s[hi] outside (hi == n: none)
    lo = r
    step = 1
    hi = r + 1
    while hi < n and _inside(s[hi] - v, rad, strict):
        lo = hi
        step *= 2
        hi = r + step
    if hi > n:
        hi = n
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _inside(s[mid] - v, rad, strict):
            lo = mid
        else:
            hi = mid
    return lo - first + 1


@numba.njit(cache=True, parallel=True)
def count_sorted(sorted_values, radius, strict, out):  # pragma: no cover - compiled
    """``out[r] = #{j : |s_j - s_r| < radius[r]}`` (``<=`` unless ``strict``) for ascending ``s``.

    Queries are the points themselves, in sorted order, so each search gallops outward from the
    point's own position (cache-friendly, O(log count)). The window ends are decided on the exact
    differences ``|s_j - s_r|`` (equal to ``s_r - s_j`` or ``s_j - s_r`` for sorted values), so
    the count agrees bit for bit with the distance a tree computes; indices stay in [0, n).
    """
    for r in numba.prange(sorted_values.shape[0]):
        out[r] = _count_around(sorted_values, r, radius[r], strict)


@numba.njit(cache=True, inline="always")
def _insert(best, who, d, j):  # pragma: no cover - compiled
    """Insert distance d of point j into the ascending k-best list (best, who); the last entry drops out."""
    pos = best.shape[0] - 1
    while pos > 0 and best[pos - 1] > d:
        best[pos] = best[pos - 1]
        who[pos] = who[pos - 1]
        pos -= 1
    best[pos] = d
    who[pos] = j


@numba.njit(cache=True, inline="always")
def _maxabs(a, i, j):  # pragma: no cover - compiled
    m = 0.0
    for c in range(a.shape[1]):
        t = abs(a[i, c] - a[j, c])
        if t > m:
            m = t
    return m


@numba.njit(cache=True, parallel=True)
def brute_knn(blocks, k, eps, eps_blocks):  # pragma: no cover - compiled
    """Exact k-th neighbour (excluding i) in the product max-norm of the tuple ``blocks``.

    ``eps[i]``: the joint distance to the k-th neighbour; ``eps_blocks[i, b]``: the largest
    block-b distance among the k neighbours (KSG-2's marginal radii). Ties at the k-th distance
    are broken by index (they do not change ``eps``). O(n^2 sum d) work, O(k) memory per row.
    """
    n = blocks[0].shape[0]
    nb = len(blocks)
    for i in numba.prange(n):
        best = np.full(k, np.inf)
        who = np.full(k, -1)
        for j in range(n):
            if j == i:
                continue
            d = 0.0
            for b in range(nb):
                t = _maxabs(blocks[b], i, j)
                if t > d:
                    d = t
                    if d >= best[k - 1]:
                        break
            if d < best[k - 1]:
                _insert(best, who, d, j)
        eps[i] = best[k - 1]
        for b in range(nb):
            m = 0.0
            for q in range(k):
                t = _maxabs(blocks[b], i, who[q])
                if t > m:
                    m = t
            eps_blocks[i, b] = m


@numba.njit(cache=True, parallel=True)
def brute_counts(a, radius, strict, out):  # pragma: no cover - compiled
    """``out[i] = #{j : max-norm(a_j - a_i) < radius[i]}`` (``<=`` unless ``strict``), self included."""
    n = a.shape[0]
    for i in numba.prange(n):
        c = 0
        r = radius[i]
        for j in range(n):
            d = _maxabs(a, i, j)
            if d < r or (not strict and d == r):
                c += 1
        out[i] = c


@numba.njit(cache=True, parallel=True)
def grid_knn(sorted_points, order, start, cell, edges_x, edges_y, k, eps, eps_x, eps_y):  # pragma: no cover
    """Exact k-th neighbour (excluding i) in the 2-D max-norm by ring search on a grid.

    Cell ``a * G_y + b`` spans ``[edges_x[a], edges_x[a + 1]) x [edges_y[b], edges_y[b + 1])``;
    its points are rows ``start[c]:start[c + 1]`` of ``sorted_points`` (the points in cell order;
    row r is point ``order[r]``), and ``cell[i]`` is point i's cell (points beyond the outer edges sit in
    the outer cells, which the bound below never treats as closed).

    The search rectangle of cells grows by one ring until the k-th best distance is no larger
    than the distance from the point to the rectangle's outside (every unseen point is at least
    that far), or the rectangle covers the grid. ``eps_x``, ``eps_y``: the largest coordinate
    distances among the k neighbours (KSG-2).
    """
    gx, gy = edges_x.shape[0] - 1, edges_y.shape[0] - 1
    n = sorted_points.shape[0]
    chunks = (n + CHUNK - 1) // CHUNK
    for chunk in numba.prange(chunks):
        best = np.empty(k)
        who = np.empty(k, dtype=np.int64)
        for r in range(chunk * CHUNK, min(n, (chunk + 1) * CHUNK)):
            # queries in cell order: neighbouring queries share cells in cache; self is at s == r
            i = order[r]
            px, py = sorted_points[r, 0], sorted_points[r, 1]
            best[:] = np.inf
            who[:] = -1
            ca, cb = cell[i] // gy, cell[i] % gy
            a0, a1, b0, b1 = ca, ca, cb, cb
            pa0, pa1, pb0, pb1 = 1, 0, 1, 0  # previously scanned rectangle (empty)
            while True:
                for a in range(a0, a1 + 1):
                    for b in range(b0, b1 + 1):
                        if pa0 <= a <= pa1 and pb0 <= b <= pb1:
                            continue  # scanned in an earlier ring
                        c = a * gy + b
                        for s in range(start[c], start[c + 1]):
                            d = max(abs(sorted_points[s, 0] - px), abs(sorted_points[s, 1] - py))
                            if d < best[k - 1] and s != r:
                                _insert(best, who, d, s)
                pa0, pa1, pb0, pb1 = a0, a1, b0, b1
                bound = np.inf
                if a0 > 0:
                    bound = min(bound, px - edges_x[a0])
                if a1 < gx - 1:
                    bound = min(bound, edges_x[a1 + 1] - px)
                if b0 > 0:
                    bound = min(bound, py - edges_y[b0])
                if b1 < gy - 1:
                    bound = min(bound, edges_y[b1 + 1] - py)
                if best[k - 1] <= bound or (a0 == 0 and b0 == 0 and a1 == gx - 1 and b1 == gy - 1):
                    break
                a0, a1, b0, b1 = max(a0 - 1, 0), min(a1 + 1, gx - 1), max(b0 - 1, 0), min(b1 + 1, gy - 1)
            eps[i] = best[k - 1]
            mx, my = 0.0, 0.0
            for q in range(k):
                mx = max(mx, abs(sorted_points[who[q], 0] - px))
                my = max(my, abs(sorted_points[who[q], 1] - py))
            eps_x[i], eps_y[i] = mx, my
