"""Synergy bounds from the pairwise marginals: lower <= BROJA synergy <= upper, exactly."""

import math

import numpy as np
import pytest
from hypothesis import given

from modalinfo.theory import CANONICAL_PMFS, canonical_pmf, discrete_pid, mixture_pmf, noisy_pmf, synergy_bounds
from modalinfo.theory.strategies import probability_tables

# BROJA's certificate bounds its error below 1e-9 nats; the bounds are sums of a few such values.
TOL = 1e-8


def check(pmf):
    b = synergy_bounds(pmf)
    s = discrete_pid(pmf).synergy
    assert 0.0 <= b.lower <= s + TOL
    assert s <= b.upper + TOL
    for lower in (b.redundancy_lower, b.disagreement_lower):
        assert lower <= s + TOL
    for upper in (b.coupling_upper, b.chain_upper):
        assert s <= upper + TOL
    return b, s


@pytest.mark.parametrize("name", sorted(CANONICAL_PMFS))
@pytest.mark.parametrize("noise", [0.0, 0.05, 0.3])
def test_bounds_hold_on_every_canonical_distribution(name, noise):
    check(noisy_pmf(canonical_pmf(name), noise))


@given(probability_tables(max_size=4))
def test_bounds_hold_on_random_tables(pmf):
    check(pmf)


def test_bounds_hold_on_the_tables_where_the_published_unique_bounds_fail():
    # Exp(1) tables like those of Liang et al.'s tests: their label-swapped "unique" lower bounds
    # exceed the true synergy on some; ours never do (and the correctly paired ones are implied).
    gen = np.random.default_rng(0)
    for _ in range(60):
        pmf = gen.exponential(size=(2, 2, 2))
        check(pmf / pmf.sum())


def test_tight_cases():
    # AND: R = 0.3113 bits is the redundancy bound, and the coupling bound is exact (S = 0.5 bits)
    b = synergy_bounds(canonical_pmf("and"), base=2)
    assert b.lower == pytest.approx(0.311278, abs=1e-5) and b.upper == pytest.approx(0.5, abs=1e-8)
    # X1 = X2 = Y: no synergy, both bounds 0 (the published code divides 0 by 0 here)
    b = synergy_bounds(canonical_pmf("rdn"))
    assert b.lower == 0.0 and b.upper == pytest.approx(0.0, abs=TOL)
    # XOR: the marginals cannot tell XOR from independent noise, so the lower bound is 0 and the upper 1 bit
    b = synergy_bounds(canonical_pmf("xor"), base=2)
    assert b.lower == 0.0 and b.upper == pytest.approx(1.0, abs=1e-9)


def test_disagreement_bound_against_a_direct_root():
    # 30 % copies, 70 % XOR: the redundancy bound is 0, the classifiers' disagreement is not explained
    # by unique information, and the disagreement bound is the tightest lower bound
    b, _ = check(mixture_pmf({"rdn": 0.3, "xor": 0.7}))
    u1, u2, delta, s = b.unique1, b.unique2, b.disagreement, b.disagreement_lower
    assert s > 0.005 and b.lower == s and b.redundancy_lower < 1e-12
    assert math.sqrt(2 * (u1 + s)) + math.sqrt(2 * (u2 + s)) == pytest.approx(delta, rel=1e-9)


def test_marginals_give_the_same_bounds_as_the_joint():
    pmf = noisy_pmf(canonical_pmf("and"), 0.1)
    joint = synergy_bounds(pmf)
    marg = synergy_bounds(x1y=pmf.sum(axis=1), x2y=pmf.sum(axis=0), x1x2=pmf.sum(axis=2))
    assert joint == marg


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"x1y": np.full((2, 2), 0.25), "x2y": np.full((2, 2), 0.25)}, "all three marginals"),
        (
            {"x1y": np.full((2, 2), 0.25), "x2y": np.array([[0.4, 0.1], [0.4, 0.1]]), "x1x2": np.full((2, 2), 0.25)},
            r"`x1y` and `x2y` disagree on p\(y\)",
        ),
        (
            {"x1y": np.full((2, 2), 0.25), "x2y": np.full((2, 2), 0.25), "x1x2": np.array([[0.4, 0.4], [0.1, 0.1]])},
            r"`x1y` and `x1x2` disagree on p\(x1\)",
        ),
        (
            {"x1y": np.full((2, 2), 0.25), "x2y": np.full((3, 2), 1 / 6), "x1x2": np.full((2, 2), 0.25)},
            r"disagree on the size of p\(x2\)",
        ),
        ({"x1y": np.full((2, 2), 0.3), "x2y": np.full((2, 2), 0.25), "x1x2": np.full((2, 2), 0.25)}, "`x1y` must sum"),
    ],
)
def test_bad_marginals(kwargs, match):
    with pytest.raises(ValueError, match=match):
        synergy_bounds(**kwargs)


def test_pmf_and_marginals_are_exclusive():
    pmf = canonical_pmf("and")
    with pytest.raises(ValueError, match="not both"):
        synergy_bounds(pmf, x1y=pmf.sum(axis=1))
    with pytest.raises(ValueError, match="3-D"):
        synergy_bounds(pmf.sum(axis=2))
