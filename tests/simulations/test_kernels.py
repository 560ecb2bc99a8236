"""Each numba kernel of the samplers against a plain-numpy reference on small inputs."""

import numpy as np
import pytest

from modalinfo.simulations import _kernels as k


def test_categorical_triples_matches_searchsorted_and_unravel():
    rng = np.random.default_rng(0)
    p = rng.random((3, 2, 4))
    p[1, 0, :] = 0.0  # zero-probability cells are never drawn
    cdf = np.cumsum(p.ravel()) / p.sum()
    u = np.concatenate([rng.random(500), [0.0, np.nextafter(1.0, 0.0)]])
    x1, x2, y = (np.empty(len(u), dtype=np.int64) for _ in range(3))
    k.categorical_triples(u, cdf, 2, 4, x1, x2, y)
    cells = np.minimum(np.searchsorted(cdf, u, side="right"), cdf.size - 1)
    r1, r2, ry = np.unravel_index(cells, p.shape)
    assert np.array_equal(x1, r1) and np.array_equal(x2, r2) and np.array_equal(y, ry)
    assert not np.any((x1 == 1) & (x2 == 0))


@pytest.mark.parametrize(
    ("name", "reference"),
    [
        ("asinh", np.arcsinh),
        ("halfcube", lambda t: t * np.sqrt(np.abs(t))),
        ("cube", lambda t: t**3),
        ("wiggly", lambda t: t + 0.4 * np.sin(t)),
    ],
)
def test_elementwise_maps(name, reference):
    x = np.random.default_rng(1).standard_normal((50, 3)) * 3
    expected = reference(x)
    k.elementwise_map(x, k.MAP_CODES[name])
    assert np.allclose(x, expected, rtol=1e-14, atol=0)


def test_bias_leaky_relu():
    rng = np.random.default_rng(2)
    x, bias = rng.standard_normal((40, 5)), rng.standard_normal(5)
    expected = np.maximum(x + bias, 0.3 * (x + bias))
    k.bias_leaky_relu(x, bias, 0.3)
    assert np.array_equal(x, expected)


def test_mask_rows():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((100, 3))
    u = rng.random(100)
    expected = np.where((u < 0.6)[:, None], x, 0.0)
    seen = k.mask_rows(u, 0.6, x)
    assert np.array_equal(seen, u < 0.6) and np.array_equal(x, expected)


def test_spurious_column():
    rng = np.random.default_rng(4)
    y, noise = rng.standard_normal(20), rng.standard_normal(20)
    out = np.empty(20)
    k.spurious_column(y, noise, 0.6, 2.0, 12, out)
    expected = np.where(np.arange(20) < 12, 0.6 * y / 2.0 + 0.8 * noise, noise)
    assert np.allclose(out, expected, rtol=1e-15, atol=1e-15)


def test_group_shift_is_a_within_group_derangement():
    g, groups = 4, 6
    x = np.arange(g * groups * 2, dtype=float).reshape(-1, 2)
    offsets = np.random.default_rng(5).integers(1, g, size=groups)
    out = k.group_shift(x, offsets, g)
    rows = np.arange(g * groups)
    src = (rows // g) * g + ((rows % g) + np.repeat(offsets, g)) % g
    assert np.array_equal(out, x[src])
    assert np.all(src != rows) and np.all(src // g == rows // g)
