"""The kNN kernels against plain-numpy references, and KSG against a plain cKDTree implementation."""

import numpy as np
import pytest
from scipy.spatial import cKDTree
from scipy.special import digamma

from modalinfo.estimators import mutual_information
from modalinfo.estimators.information._kdtree import box_counts
from modalinfo.estimators.information._knn_kernels import brute_counts, brute_knn, count_sorted
from modalinfo.estimators.information._ksg import BRUTE_DIM


def maxnorm(a):
    return np.abs(a[:, None, :] - a[None, :, :]).max(axis=2)


@pytest.mark.parametrize("strict", [True, False])
def test_count_sorted_matches_exact_distances(strict):
    rng = np.random.default_rng(0)
    v = np.sort(np.round(rng.standard_normal(300), 1))  # many ties, radii hitting points exactly
    radius = np.abs(v - v[rng.integers(0, 300, 300)])
    radius[:5] = 0.0
    out = np.empty(300, dtype=np.int64)
    count_sorted(v, radius, strict, out)
    d = np.abs(v[:, None] - v[None, :])
    expected = (d < radius[:, None]).sum(1) if strict else (d <= radius[:, None]).sum(1)
    assert np.array_equal(out, expected)


def test_brute_knn_and_counts_match_numpy():
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((120, 3)), rng.standard_normal((120, 2))
    k = 4
    eps, eps_blocks = np.empty(120), np.empty((120, 2))
    brute_knn((a, b), k, eps, eps_blocks)
    da, db = maxnorm(a), maxnorm(b)
    joint = np.maximum(da, db)
    np.fill_diagonal(joint, np.inf)
    order = np.argsort(joint, axis=1, kind="stable")[:, :k]
    assert np.array_equal(eps, np.take_along_axis(joint, order[:, -1:], 1)[:, 0])
    assert np.array_equal(eps_blocks[:, 0], np.take_along_axis(da, order, 1).max(1))
    assert np.array_equal(eps_blocks[:, 1], np.take_along_axis(db, order, 1).max(1))
    out = np.empty(120, dtype=np.int64)
    brute_counts(a, eps, True, out)
    assert np.array_equal(out, (da < eps[:, None]).sum(1))
    brute_counts(a, eps, False, out)
    assert np.array_equal(out, (da <= eps[:, None]).sum(1))


@pytest.mark.parametrize("strict", [True, False])
def test_kdtree_box_counts_match_numpy(strict):
    rng = np.random.default_rng(3)
    a = np.round(rng.standard_normal((700, 3)), 1)  # ties on the ball's edge
    radius = np.abs(rng.standard_normal(700))
    radius[:10] = 0.0
    d = maxnorm(a)
    expected = (d < radius[:, None]).sum(1) if strict else (d <= radius[:, None]).sum(1)
    assert np.array_equal(box_counts(a, radius, strict), expected)


@pytest.mark.parametrize("values", [1, 3])
def test_kdtree_survives_heavy_ties(values):
    # every coordinate takes 1 or 3 values: the median split (quickselect) meets long runs of equal keys
    rng = np.random.default_rng(values)
    a = rng.integers(0, values, (3000, 2)).astype(float)
    radius = rng.choice([0.0, 1.0, 2.5], 3000)
    d = maxnorm(a)
    for strict in (True, False):
        expected = (d < radius[:, None]).sum(1) if strict else (d <= radius[:, None]).sum(1)
        assert np.array_equal(box_counts(a, radius, strict), expected)


def test_ksg_runs_on_the_calling_thread_below_parallel_min():
    import numba

    from modalinfo.estimators import mutual_information
    from modalinfo.estimators.information import _ksg

    before = numba.get_num_threads()
    with _ksg._threads(200) as workers:
        assert (workers, numba.get_num_threads()) == (1, 1)
    with _ksg._threads(_ksg.PARALLEL_MIN) as workers:
        assert (workers, numba.get_num_threads()) == (-1, before)
    assert numba.get_num_threads() == before
    # above the threshold the estimate does not depend on the number of threads
    x = np.random.default_rng(0).standard_normal((_ksg.PARALLEL_MIN, 2))
    parallel = mutual_information(x[:, :1], x[:, 1:], "ksg", rng=0)
    numba.set_num_threads(1)
    try:
        assert mutual_information(x[:, :1], x[:, 1:], "ksg", rng=0) == parallel
    finally:
        numba.set_num_threads(before)


def reference_ksg(x, y, k, variant):
    """KSG written directly from the paper with scipy's cKDTree."""
    n = len(x)
    joint = np.hstack([x, y])
    dist, idx = cKDTree(joint).query(joint, k=k + 1, p=np.inf)
    if variant == 1:
        eps = dist[:, k]
        nx = np.array([len(cKDTree(x).query_ball_point(x[i], np.nextafter(eps[i], 0), p=np.inf)) - 1 for i in range(n)])
        ny = np.array([len(cKDTree(y).query_ball_point(y[i], np.nextafter(eps[i], 0), p=np.inf)) - 1 for i in range(n)])
        return digamma(k) + digamma(n) - np.mean(digamma(nx + 1) + digamma(ny + 1))
    ex = np.abs(x[idx[:, 1:]] - x[:, None]).max(axis=(1, 2))
    ey = np.abs(y[idx[:, 1:]] - y[:, None]).max(axis=(1, 2))
    nx = np.array([len(cKDTree(x).query_ball_point(x[i], ex[i], p=np.inf)) - 1 for i in range(n)])
    ny = np.array([len(cKDTree(y).query_ball_point(y[i], ey[i], p=np.inf)) - 1 for i in range(n)])
    return digamma(k) - 1 / k + digamma(n) - np.mean(digamma(nx) + digamma(ny))


@pytest.mark.parametrize("variant", [1, 2])
@pytest.mark.parametrize("dims", [(1, 1), (2, 3), (1, 4), (4, 4), (BRUTE_DIM // 2 + 1, BRUTE_DIM // 2)])
def test_ksg_equals_the_reference_implementation(variant, dims):
    rng = np.random.default_rng(2)
    n = 400
    x = rng.standard_normal((n, dims[0]))
    y = 0.5 * x[:, :1] + rng.standard_normal((n, dims[1]))
    x, y = x / x.std(axis=0), y / y.std(axis=0)  # the estimator scales columns to unit variance
    ours = mutual_information(x, y, "ksg" if variant == 1 else "ksg2", k=3, jitter=0.0)
    assert ours == pytest.approx(reference_ksg(x, y, 3, variant), abs=1e-12)
