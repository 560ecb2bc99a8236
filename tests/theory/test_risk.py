"""OLS risk, sample complexity, iso-risk ratio, linear latent quality and Huang bound terms."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from modalinfo.theory import (
    LatentModel,
    effective_noise,
    huang_latent_quality_bound,
    huang_risk_gap_bound,
    iso_risk_ratio,
    linear_latent_quality,
    linear_rademacher_bound,
    ols_encoder_latent_quality,
    ols_excess_risk,
    ols_test_risk,
    samples_to_epsilon,
)


def test_ols_excess_risk_reference():
    assert ols_excess_risk(30, 10, 1.0) == pytest.approx(10 / 19)  # 0.5263
    assert ols_test_risk(30, 10, 1.0) == pytest.approx(1 + 10 / 19)
    np.testing.assert_allclose(ols_excess_risk([20, 30], 10, 2.0), [20 / 9, 20 / 19])
    # with an intercept: (1 + 1/n)(n - 2)/(n - p - 2); checked by Monte Carlo in tests/simulations/test_learners.py
    assert ols_test_risk(30, 4, 1.0, intercept=True) == pytest.approx(31 / 30 * 28 / 24)
    with pytest.raises(ValueError, match="exceed p"):
        ols_test_risk(6, 4, 1.0, intercept=True)


def test_iso_risk_ratio_reference():
    # p1 = p2 = 10, sigma^2 = 1, sigma_eff^2 = 2.
    assert samples_to_epsilon(2.5, 10, 2.0) == pytest.approx(51.0)
    assert samples_to_epsilon(2.5, 20, 1.0) == pytest.approx(21 + 20 / 1.5)
    assert iso_risk_ratio(2.5, unimodal=(10, 2.0), multimodal=(20, 1.0)) == pytest.approx(51 / (21 + 20 / 1.5))
    assert round(iso_risk_ratio(2.5, unimodal=(10, 2.0), multimodal=(20, 1.0)), 2) == 1.49
    assert round(iso_risk_ratio(2.2, unimodal=(10, 2.0), multimodal=(20, 1.0)), 2) == 2.95
    assert iso_risk_ratio(2.0, unimodal=(10, 2.0), multimodal=(20, 1.0)) == math.inf
    assert np.all(np.isinf(iso_risk_ratio([1.5, 2.0], unimodal=(10, 2.0), multimodal=(20, 1.0))))


@given(st.integers(1, 30), st.floats(0.1, 10), st.floats(1.01, 5))
def test_samples_to_epsilon_inverts_the_risk(p, s2, ratio):
    eps = s2 * ratio
    n = samples_to_epsilon(eps, p, s2)
    # Evaluate the risk formula at the real-valued n (the inverse of the closed form).
    assert s2 * (n - 1) / (n - p - 1) == pytest.approx(eps, rel=1e-10)


def test_effective_noise_two_modalities():
    # Independent unit-variance features: the dropped modality's signal becomes noise.
    cov = np.eye(4)
    beta = np.array([1.0, 1.0, 0.5, 0.5])
    assert effective_noise(cov, beta, [0, 1], 1.0) == pytest.approx(1.5)
    assert effective_noise(cov, beta, [0, 1, 2, 3], 1.0) == pytest.approx(1.0)


def test_latent_quality_matches_model_and_huang_predictions():
    # p1 = p2 = 5, w1 = 0.6, w2 = 0.3, sigma^2 = 1: eta*_1 = ||w2||^2 = 0.45.
    w = np.r_[np.full(5, 0.6), np.full(5, 0.3)]
    assert linear_latent_quality(np.eye(10), w, range(5)) == pytest.approx(0.45)
    assert linear_latent_quality(np.eye(10), w, range(10)) == pytest.approx(0.0, abs=1e-12)
    # The leading-order formula: 0.101 / 0.512 at m = 100 (Monte Carlo: 0.0971 / 0.5101, SE 1e-4),
    # 0.0231 / 0.465 at m = 400 (Monte Carlo: 0.0229 / 0.465).
    assert ols_encoder_latent_quality(100, 10, 0.0, 1.0) == pytest.approx(0.101, abs=5e-4)
    assert ols_encoder_latent_quality(100, 5, 0.45, 1.0) == pytest.approx(0.512, abs=5e-4)
    assert ols_encoder_latent_quality(400, 10, 0.0, 1.0) == pytest.approx(0.0231, abs=5e-5)
    assert ols_encoder_latent_quality(400, 5, 0.45, 1.0) == pytest.approx(0.465, abs=5e-4)


def test_encoder_quality_of_the_true_direction_is_the_optimum():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(6, 6))
    cov = a @ a.T + np.eye(6)
    w = rng.normal(size=6)
    kept = [0, 1, 2]
    best = linear_latent_quality(cov, w, kept)
    direction = np.linalg.solve(cov[np.ix_(kept, kept)], cov[kept, :] @ w)
    assert linear_latent_quality(cov, w, kept, direction[:, None]) == pytest.approx(best, abs=1e-10)
    assert linear_latent_quality(cov, w, kept, rng.normal(size=(3, 1))) >= best


def test_latent_quality_agrees_with_latent_model():
    m = LatentModel(mixing_seed=3)
    cov = m.covariance()
    x = list(m.block_indices(["x1", "x2"]))
    # Project the target on x: y = beta.x + residual, beta the population regression.
    beta = np.linalg.solve(cov[np.ix_(x, x)], cov[x, -1])
    eta = linear_latent_quality(cov[np.ix_(x, x)], beta, range(len(m.block_indices("x1"))))
    assert eta == pytest.approx(m.latent_quality("x1"), abs=1e-10)


def test_huang_bound_terms():
    m = np.array([10, 100, 1000])
    rad = linear_rademacher_bound(m, 2.0, 3.0)
    np.testing.assert_allclose(rad, 6 / np.sqrt(m))
    gap = huang_risk_gap_bound(m, -0.1, rad, lipschitz=1.0, loss_bound=2.0, delta=0.1)
    np.testing.assert_allclose(gap.complexity, 8 * rad)
    np.testing.assert_allclose(gap.concentration, 8 / np.sqrt(m) + 4 * np.sqrt(2 * math.log(20) / m))
    assert np.all(np.diff(gap.total) < 0) and gap.leading == -0.1
    eta = huang_latent_quality_bound(100, -0.05, 0.1, 0.2, lipschitz=2.0, loss_bound=1.0)
    assert eta.total == pytest.approx(-0.05 + 8 * 0.3 + 6 * math.sqrt(2 * math.log(40) / 100))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: ols_excess_risk(11, 10, 1.0), "exceed p"),
        (lambda: ols_excess_risk(30.5, 10, 1.0), "integer"),
        (lambda: ols_excess_risk(30, 0, 1.0), "p"),
        (lambda: ols_excess_risk(30, 10, 0.0), "noise_var"),
        (lambda: ols_test_risk([30, np.nan], 10, 1.0), "finite"),
        (lambda: samples_to_epsilon(-1.0, 10, 1.0), "eps"),
        (lambda: iso_risk_ratio(0.9, unimodal=(10, 2.0), multimodal=(20, 1.0)), "multimodal floor"),
        (lambda: effective_noise(np.eye(3), np.ones(2), [0], 1.0), "beta"),
        (lambda: linear_latent_quality(np.eye(3), np.ones(3), [0], np.zeros((1, 1))), "rank"),
        (lambda: linear_latent_quality(np.eye(3), np.ones(3), [], np.ones((1, 1))), "encoder"),
        (lambda: linear_latent_quality(np.eye(3), np.ones(3), [0], np.ones((2, 1))), "rows"),
        (lambda: ols_encoder_latent_quality(20, 5, -0.1, 1.0), "eta_star"),
        (lambda: linear_rademacher_bound(0, 1.0, 1.0), "m"),
        (lambda: linear_rademacher_bound(10, -1.0, 1.0), "weight_norm"),
        (lambda: huang_risk_gap_bound(10, 0.0, -1.0, lipschitz=1.0, loss_bound=1.0), "rademacher"),
        (lambda: huang_risk_gap_bound(10, np.nan, 1.0, lipschitz=1.0, loss_bound=1.0), "gamma"),
        (lambda: huang_risk_gap_bound(10, 0.0, 1.0, lipschitz=1.0, loss_bound=1.0, delta=1.0), "delta"),
        (lambda: huang_latent_quality_bound(10, 0.0, 1.0, 1.0, lipschitz=0.0, loss_bound=1.0), "lipschitz"),
    ],
)
def test_invalid_inputs(call, message):
    with pytest.raises(ValueError, match=message):
        call()
