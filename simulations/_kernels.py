"""Numba kernels of the samplers.

Every kernel is pure, serial and ``nogil`` (the samplers run them on chunks from a thread pool,
which keeps the numbers independent of the thread count), and does no validation: the wrappers in
``_sample`` check shapes, dtypes and ranges and allocate the outputs. Indices stay in bounds by construction
(documented per kernel). Each kernel has a plain-numpy reference in the tests.
"""

from __future__ import annotations

import numba
import numpy as np

from modalinfo.theory import ELEMENTWISE_MAPS

__all__ = [
    "bias_leaky_relu",
    "categorical_triples",
    "elementwise_map",
    "group_shift",
    "mask_rows",
    "spurious_column",
]

# Codes of the elementwise invertible maps: their position in theory's ELEMENTWISE_MAPS, which
# ``elementwise_map`` follows branch by branch.
MAP_CODES = {name: code for code, name in enumerate(ELEMENTWISE_MAPS)}


@numba.njit(cache=True, nogil=True)
def categorical_triples(u, cdf, n2, ny, x1, x2, y):  # pragma: no cover - compiled
    """Inverse-CDF draw of flat cells, unravelled to (x1, x2, y) of a (n1, n2, ny) table.

    ``u`` in [0, 1), ``cdf`` non-decreasing with ``cdf[-1] == 1``; the cell index is clamped to
    ``len(cdf) - 1`` so rounding can never index out of bounds.
    """
    last = cdf.shape[0] - 1
    for i in range(u.shape[0]):
        j = np.searchsorted(cdf, u[i], side="right")
        if j > last:
            j = last
        y[i] = j % ny
        x2[i] = (j // ny) % n2
        x1[i] = j // (ny * n2)


@numba.njit(cache=True, nogil=True)
def elementwise_map(x, code):  # pragma: no cover - compiled
    """Apply the invertible map ``code`` (``MAP_CODES``) to every entry of the 2-D array x, in place.

    asinh; halfcube ``t |t|^{1/2}``; cube ``t^3``; wiggly ``t + 0.4 sin(t)`` (derivative >= 0.6).
    """
    n, d = x.shape
    for i in range(n):
        for j in range(d):
            t = x[i, j]
            if code == 0:
                x[i, j] = np.arcsinh(t)
            elif code == 1:
                x[i, j] = t * np.sqrt(np.abs(t))
            elif code == 2:
                x[i, j] = t * t * t
            else:
                x[i, j] = t + 0.4 * np.sin(t)


@numba.njit(cache=True, nogil=True)
def bias_leaky_relu(x, bias, slope):  # pragma: no cover - compiled
    """``x <- leaky_relu(x + bias)``, i.e. ``max(t, slope t)`` with ``t = x + bias`` row-wise, in place.

    ``bias`` has ``x.shape[1]`` entries and 0 < slope < 1 (an invertible elementwise map).
    """
    n, d = x.shape
    for i in range(n):
        for j in range(d):
            t = x[i, j] + bias[j]
            x[i, j] = t if t >= 0.0 else slope * t


@numba.njit(cache=True, nogil=True)
def mask_rows(u, keep, x):  # pragma: no cover - compiled
    """Zero the rows of x whose uniform ``u[i]`` is >= ``keep`` and return the observed flags."""
    n, d = x.shape
    seen = np.empty(n, dtype=np.bool_)
    for i in range(n):
        seen[i] = u[i] < keep
        if not seen[i]:
            for j in range(d):
                x[i, j] = 0
    return seen


@numba.njit(cache=True, nogil=True)
def spurious_column(y, noise, strength, scale, n_train, out):  # pragma: no cover - compiled
    """``out[i] = strength y[i] / scale + sqrt(1 - strength^2) noise[i]`` for i < n_train, else noise[i]."""
    c = np.sqrt(1.0 - strength * strength)
    for i in range(out.shape[0]):
        if i < n_train:
            out[i] = strength * y[i] / scale + c * noise[i]
        else:
            out[i] = noise[i]


@numba.njit(cache=True, nogil=True)
def group_shift(x, offsets, g):  # pragma: no cover - compiled
    """Rows of x paired within groups of g: member r of group k gets row ``k g + (r + offsets[k]) % g``.

    ``x.shape[0] == offsets.shape[0] * g`` and ``1 <= offsets[k] < g``, so every row comes from
    another member of its own group (a derangement) and every index stays inside the group.
    """
    n, d = x.shape
    out = np.empty_like(x)
    for k in range(offsets.shape[0]):
        for r in range(g):
            src = k * g + (r + offsets[k]) % g
            for j in range(d):
                out[k * g + r, j] = x[src, j]
    return out
