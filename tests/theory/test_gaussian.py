"""Gaussian entropy, (conditional) mutual information and total correlation."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from modalinfo.theory import gaussian_entropy, gaussian_mutual_information, gaussian_total_correlation
from modalinfo.theory.strategies import spd_covariances

ATOL = 1e-10


def test_bivariate_closed_form():
    # rho = 0.9: I = -1/2 ln(1 - rho^2) = 0.830 nats.
    cov = [[1.0, 0.9], [0.9, 1.0]]
    assert gaussian_mutual_information(cov, [0], [1]) == pytest.approx(-0.5 * math.log(0.19), abs=ATOL)
    assert gaussian_mutual_information(cov, 0, 1, base=2) == pytest.approx(-0.5 * math.log2(0.19), abs=ATOL)


def test_sum_of_sources_bits():
    # y = x1 + x2 + e, unit variances: I(X1;Y) = 1/2 log2 1.5, I(X1,X2;Y) = 1/2 log2 3.
    cov = [[1, 0, 1], [0, 1, 1], [1, 1, 3]]
    assert gaussian_mutual_information(cov, [0], [2], base=2) == pytest.approx(0.2925, abs=5e-5)
    assert gaussian_mutual_information(cov, [0, 1], [2], base=2) == pytest.approx(0.7925, abs=5e-5)
    # Independent sources become dependent given their sum: corr(X1, X2 | Y) = -1/2, I = 1/2 log(4/3).
    assert gaussian_mutual_information(cov, [0], [1], given=[2]) == pytest.approx(0.5 * math.log(4 / 3), abs=ATOL)


def test_pcca_example():
    # x_k = z + n_k with unit variances: rho = 1/2, I = 0.1438 nats = 0.2075 bits.
    cov = [[2.0, 1.0], [1.0, 2.0]]
    assert gaussian_mutual_information(cov, 0, 1) == pytest.approx(0.1438, abs=5e-5)
    assert gaussian_mutual_information(cov, 0, 1, base=2) == pytest.approx(0.2075, abs=5e-5)


def test_entropy_of_scaled_normal():
    assert gaussian_entropy([[4.0]]) == pytest.approx(0.5 * math.log(2 * math.pi * math.e * 4.0), abs=ATOL)
    cov = np.diag([1.0, 2.0, 3.0])
    assert gaussian_entropy(cov, [0, 2]) == pytest.approx(gaussian_entropy([[1.0]]) + gaussian_entropy([[3.0]]))


@given(spd_covariances(min_dim=3))
def test_mi_is_nonnegative_and_symmetric(cov):
    d = cov.shape[0]
    a, b, c = [0], list(range(1, d - 1)), [d - 1]
    i_ab = gaussian_mutual_information(cov, a, b, given=c)
    assert i_ab >= 0
    assert i_ab == pytest.approx(gaussian_mutual_information(cov, b, a, given=c), abs=1e-9)


@given(spd_covariances(min_dim=3))
def test_chain_rule(cov):
    # I(A; B, C) = I(A; C) + I(A; B | C), and the entropy form I(A;B) = h(A) + h(B) - h(A,B).
    d = cov.shape[0]
    a, b, c = [0], [1], list(range(2, d))
    lhs = gaussian_mutual_information(cov, a, b + c)
    rhs = gaussian_mutual_information(cov, a, c) + gaussian_mutual_information(cov, a, b, given=c)
    assert lhs == pytest.approx(rhs, abs=1e-9)
    ent = gaussian_entropy(cov, a) + gaussian_entropy(cov, b) - gaussian_entropy(cov, a + b)
    assert gaussian_mutual_information(cov, a, b) == pytest.approx(ent, abs=1e-9)


@given(spd_covariances(min_dim=3))
def test_more_variables_never_lose_information(cov):
    d = cov.shape[0]
    assert (
        gaussian_mutual_information(cov, [0], list(range(1, d))) >= gaussian_mutual_information(cov, [0], [1]) - 1e-12
    )


@given(spd_covariances(min_dim=2, max_dim=4), st.integers(0, 2**32 - 1))
def test_data_processing(cov, seed):
    # A Markov chain A - B - C with C = M B + noise: I(A; C) <= I(A; B).
    rng = np.random.default_rng(seed)
    d = cov.shape[0]
    m = rng.normal(size=(1, d - 1))
    full = np.zeros((d + 1, d + 1))
    full[:d, :d] = cov
    full[d, :d] = full[:d, d] = m @ cov[1:, :]
    full[d, d] = (m @ cov[1:, 1:] @ m.T)[0, 0] + 0.5
    assert (
        gaussian_mutual_information(full, [0], [d]) <= gaussian_mutual_information(full, [0], list(range(1, d))) + 1e-12
    )
    assert gaussian_mutual_information(full, [0], [d], given=list(range(1, d))) == pytest.approx(0.0, abs=1e-9)


@given(spd_covariances(min_dim=3, max_dim=5), st.integers(0, 2**32 - 1))
def test_invariant_under_invertible_map_of_a_block(cov, seed):
    d = cov.shape[0]
    rng = np.random.default_rng(seed)
    t = np.eye(d)
    t[1:, 1:] = rng.normal(size=(d - 1, d - 1)) + 3 * np.eye(d - 1)  # invertible (diagonally dominated)
    moved = t @ cov @ t.T
    before = gaussian_mutual_information(cov, [0], list(range(1, d)))
    assert gaussian_mutual_information(moved, [0], list(range(1, d))) == pytest.approx(before, abs=1e-8)


@given(spd_covariances(min_dim=3))
def test_total_correlation(cov):
    d = cov.shape[0]
    blocks = [[0], [1], list(range(2, d))]
    assert gaussian_total_correlation(cov, blocks[:1] + [blocks[1] + blocks[2]]) == pytest.approx(
        gaussian_mutual_information(cov, blocks[0], blocks[1] + blocks[2]), abs=1e-9
    )
    # TC(A;B;C) = I(A;B) + I(A,B;C).
    tc = gaussian_mutual_information(cov, [0], [1]) + gaussian_mutual_information(cov, [0, 1], blocks[2])
    assert gaussian_total_correlation(cov, blocks) == pytest.approx(tc, abs=1e-9)


GOOD = np.array([[2.0, 0.5, 0.1], [0.5, 1.0, 0.2], [0.1, 0.2, 1.5]])


@pytest.mark.parametrize(
    ("cov", "message"),
    [
        ([[1.0, 0.5], [0.4, 1.0]], "symmetric"),
        ([[1.0, 2.0], [2.0, 1.0]], "positive semi-definite"),
        ([[1.0, 1.0], [1.0, 1.0]], "singular"),
        ([[1.0, np.nan], [np.nan, 1.0]], "finite"),
        ([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], "square"),
        ([1.0, 2.0], "square"),
        ([[-1.0, 0.0], [0.0, -1.0]], "positive definite"),
    ],
)
def test_invalid_covariance(cov, message):
    with pytest.raises(ValueError, match=message):
        gaussian_mutual_information(cov, [0], [1])


@pytest.mark.parametrize(
    ("a", "b", "given_", "message"),
    [
        ([], [1], (), "at least one"),
        ([0], [3], (), "outside"),
        ([0, 0], [1], (), "repeated"),
        ([0, 1], [1], (), "disjoint"),
        ([0], [1], [1], "disjoint"),
        ([0.5], [1], (), "integers"),
        ([True], [1], (), "integers"),
        ("0", [1], (), "sequence"),
    ],
)
def test_invalid_indices(a, b, given_, message):
    with pytest.raises(ValueError, match=message):
        gaussian_mutual_information(GOOD, a, b, given=given_)


@pytest.mark.parametrize("base", [1, 0, -2, float("inf"), float("nan"), "2", True])
def test_invalid_base(base):
    with pytest.raises(ValueError, match="base"):
        gaussian_mutual_information(GOOD, [0], [1], base=base)


def test_invalid_total_correlation_blocks():
    with pytest.raises(ValueError, match="at least two"):
        gaussian_total_correlation(GOOD, [[0, 1]])
    with pytest.raises(ValueError, match="disjoint"):
        gaussian_total_correlation(GOOD, [[0, 1], [1, 2]])
    with pytest.raises(ValueError, match="indices"):
        gaussian_entropy(GOOD, [5])
