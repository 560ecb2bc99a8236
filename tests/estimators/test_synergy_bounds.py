"""Synergy bounds from unimodal labeled data and unlabeled pairs of different sizes."""

import math

import numpy as np
import pytest

from modalinfo.estimators import synergy_bounds
from modalinfo.simulations import sample
from modalinfo.theory import DiscreteModel
from modalinfo.theory import synergy_bounds as exact_bounds


def three_sets(model, sizes, seed):
    """Labeled x1, labeled x2 and unlabeled pairs: independent draws of the model, of the given sizes."""
    d1, d2, d3 = (sample(model, n, np.random.SeedSequence([seed, i])) for i, n in enumerate(sizes))
    return (d1["x1"], d1["y"]), (d2["x2"], d2["y"]), (d3["x1"], d3["x2"])


def test_estimates_approach_the_exact_bounds():
    # Noisy AND on 2 x 2 x 2: each bound is a sum of a few plug-in informations over at most 8 cells,
    # so its bias is below 8 (cells - 1) / (2 n) ~ 6e-3 nats at n = 5000; the sd comes from 20 replicates.
    model = DiscreteModel.canonical("and", noise_prob=0.1)
    exact = exact_bounds(model.pmf())
    est = [synergy_bounds(*three_sets(model, (5000, 3000, 8000), s)) for s in range(20)]
    for name in ("lower", "upper", "redundancy", "unique1", "unique2"):
        values = np.array([getattr(e.bounds, name) for e in est])
        tol = 4 * values.std(ddof=1) / math.sqrt(values.size) + 8 * 7 / (2 * 3000)
        assert values.mean() == pytest.approx(getattr(exact, name), abs=tol)


def test_labels_may_be_strings_and_sets_of_any_size():
    gen = np.random.default_rng(0)
    x1 = gen.choice(["cat", "dog"], 400)
    y = np.where(x1 == "cat", "yes", "no")
    x2 = gen.integers(0, 3, 300)
    est = synergy_bounds((x1, y), (x2, gen.choice(["yes", "no"], 300)), (gen.choice(["cat", "dog"], 50), x2[:50]))
    assert est.sizes == (400, 300, 50) and 0.0 <= est.lower <= est.upper + 1e-9


def test_bootstrap_is_reproducible_and_brackets_the_estimate():
    model = DiscreteModel.canonical("and", noise_prob=0.1)
    sets = three_sets(model, (800, 800, 800), 1)
    a = synergy_bounds(*sets, n_resamples=30, rng=5)
    b = synergy_bounds(*sets, n_resamples=30, rng=5)
    assert a == b
    for key in ("lower", "upper"):
        low, high = a.ci[key]
        assert low <= getattr(a, key) <= high


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("x", ([0, 1], [0, 1]), ([0, 1], [0, 1])), r"`labeled1` must be a pair"),
        ((([0, 1, 1], [0, 1]), ([0, 1], [0, 1]), ([0, 1], [0, 1])), r"labeled1\[0\]"),
        ((([0.5, 1], [0, 1]), ([0, 1], [0, 1]), ([0, 1], [0, 1])), "looks continuous"),
        ((([0, 1], [0, 1]), ([0, 1], [0, 1]), (np.zeros((2, 2), int), [0, 1])), "`x1` has shape"),
    ],
)
def test_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        synergy_bounds(*args)


def test_bad_resampling_arguments():
    sets = (([0, 1] * 20, [0, 1] * 20), ([0, 1] * 20, [1, 0] * 20), ([0, 1] * 20, [0, 0] * 20))
    with pytest.raises(ValueError, match="n_resamples"):
        synergy_bounds(*sets, n_resamples=3)
    with pytest.raises(ValueError, match="level"):
        synergy_bounds(*sets, level=1.5)
