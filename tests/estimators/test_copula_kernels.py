"""The copula transform's packed-key sort against scipy's average ranks (the plain-numpy reference)."""

import numpy as np
import pytest
from scipy.special import ndtri
from scipy.stats import rankdata

from modalinfo.estimators.information._parametric import _sort_order, copula_scores

N = 1000  # 10 index bits: values within a relative 2**-54 share their kept bits


def reference(values):
    return ndtri(rankdata(values) / (values.shape[0] + 1))


def near_copies(rng, n):
    """Values in runs that differ only in their lowest mantissa bits, shuffled, and their negatives."""
    base = np.repeat(rng.standard_normal(n // 8), 4)
    runs = base + base * np.tile(np.arange(4), n // 8) * np.finfo(float).eps
    values = np.concatenate([runs, -runs])
    return values[rng.permutation(n)]


@pytest.mark.parametrize("seed", range(3))
def test_runs_the_kept_bits_cannot_separate_are_sorted_by_value(seed):
    values = near_copies(np.random.default_rng(seed), N)
    order, ties = _sort_order(values)
    assert not ties
    assert np.all(np.diff(values[order]) > 0)
    assert np.array_equal(copula_scores([values[:, None]])[0], reference(values))


def test_ties_signed_zeros_and_extremes_give_average_ranks():
    rng = np.random.default_rng(5)
    values = np.concatenate([near_copies(rng, N - 8), [0.0, -0.0, 0.0, 1e300, -1e300, 5e-324, -5e-324, 1e300]])
    values = values[rng.permutation(N)]
    order, ties = _sort_order(values)
    assert ties
    assert np.all(np.diff(values[order]) >= 0)
    assert np.array_equal(copula_scores([values[:, None]])[0], reference(values))


def test_a_cluster_beyond_the_repair_budget_is_argsorted():
    # every value shares its kept bits with every other: the insertion sort would need ~N^2/4 moves
    values = 1.0 + np.random.default_rng(7).permutation(N) * np.finfo(float).eps
    order, ties = _sort_order(values)
    assert not ties
    assert np.all(np.diff(values[order]) > 0)
    assert np.array_equal(copula_scores([values[:, None]])[0], reference(values))
