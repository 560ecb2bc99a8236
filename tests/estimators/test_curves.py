"""Learning curves and sample complexity against the exact OLS theory."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modalinfo import estimators
from modalinfo.theory import iso_risk_ratio as exact_ratio
from modalinfo.theory import ols_excess_risk

SIZES = (30, 40, 60, 100, 200, 400)


def ols_population_risks(p_seen: int, noise_eff: float, sizes, seeds: int, seed: int):
    """Exact population risk sigma_eff^2 + ||w_hat - w||^2 of OLS (no intercept) on p isotropic features.

    The features a unimodal learner does not see act as independent noise of variance
    noise_eff - 1 on top of the unit noise, so its regression is again well specified.
    """
    gen = np.random.default_rng(seed)
    w = np.full(p_seen, 0.3)
    ns, risks = [], []
    for n in sizes:
        for _ in range(seeds):
            x = gen.standard_normal((n, p_seen))
            y = x @ w + math.sqrt(noise_eff) * gen.standard_normal(n)
            w_hat, *_ = np.linalg.lstsq(x, y, rcond=None)
            ns.append(n)
            risks.append(noise_eff + float(np.sum((w_hat - w) ** 2)))
    return np.array(ns), np.array(risks)


def test_ols_excess_risk_matches_theory():
    n, risks = ols_population_risks(10, 1.0, [30], 4000, 0)
    excess = risks - 1.0
    assert excess.mean() == pytest.approx(ols_excess_risk(30, 10, 1.0), abs=4 * excess.std() / math.sqrt(4000))


def test_iso_risk_ratio_from_simulated_curves_covers_theory():
    # p1 = p2 = 10, sigma^2 = 1, sigma_eff^2 = 2: rho(2.5) = 1.49, rho(2.2) = 2.95, infinite at eps <= 2
    nu, ru = ols_population_risks(10, 2.0, SIZES, 40, 1)
    nm, rm = ols_population_risks(20, 1.0, SIZES, 40, 2)
    uni = estimators.fit_ols_curve(nu, ru, 10, rng=0)
    mm = estimators.fit_ols_curve(nm, rm, 20, rng=1)
    est, low, high = estimators.iso_risk_ratio([2.5, 2.2, 1.9], unimodal=uni, multimodal=mm)
    truth = exact_ratio([2.5, 2.2], unimodal=(10, 2.0), multimodal=(20, 1.0))
    assert np.all((low[:2] <= truth) & (truth <= high[:2]))
    assert np.isinf(est[2]) and np.isinf(low[2]) and not np.any(np.isnan(np.r_[est, low, high]))
    assert est[0] == pytest.approx(1.49, rel=0.1)
    k = estimators.effective_sample_multiplier(uni, mm, [40.0, 400.0])
    assert k[0] > 1 and np.isinf(k[1])  # R_mm(400) is below the unimodal floor 2
    with pytest.raises(ValueError, match="multimodal floor"):
        estimators.iso_risk_ratio([0.9], unimodal=uni, multimodal=mm)


@settings(max_examples=20)
@given(a=st.floats(0.5, 5.0), b=st.floats(0.3, 2.0), c=st.floats(0.1, 2.0))
def test_power_law_fit_recovers_known_parameters(a, b, c):
    sizes = np.geomspace(10, 10_000, 8).round()
    ns = np.repeat(sizes, 3)
    risks = a * ns ** (-b) + c
    fit = estimators.fit_power_law(ns, risks, n_resamples=10, rng=0)
    assert fit.params["a"] == pytest.approx(a, rel=1e-3)
    assert fit.params["b"] == pytest.approx(b, rel=1e-3)
    assert fit.params["c"] == pytest.approx(c, rel=1e-3, abs=1e-6)
    n_eps, _, _ = fit.samples_to_epsilon([c + a * 100.0 ** (-b), c * 0.99])
    assert n_eps[0] == pytest.approx(100.0, rel=1e-2) and np.isinf(n_eps[1])


def test_power_law_with_noise_has_covering_cis_and_aic():
    gen = np.random.default_rng(3)
    sizes = np.repeat(np.geomspace(20, 5000, 7).round(), 20)
    risks = (2.0 * sizes ** (-0.8) + 0.5) * (1 + 0.05 * gen.standard_normal(sizes.size))
    fit = estimators.fit_power_law(sizes, risks, rng=0)
    for name, truth in (("a", 2.0), ("b", 0.8), ("c", 0.5)):
        low, high = fit.ci[name]
        assert low <= truth <= high
    assert fit.aic < estimators.fit_power_law(sizes, risks, floor=False, n_resamples=10, rng=0).aic


def test_learning_curve_summary():
    ns, risks = ols_population_risks(5, 1.0, [10, 20, 40], 30, 4)
    curve = estimators.learning_curve(ns, risks, rng=0)
    assert list(curve.n) == [10, 20, 40] and list(curve.count) == [30, 30, 30]
    assert np.all(curve.low <= curve.mean) and np.all(curve.mean <= curve.high)
    assert np.all(np.diff(curve.mean) < 0)


@pytest.mark.slow
def test_learning_curve_interval_covers_with_ten_skewed_seeds():
    # Ten exponential "risks" per n (skewness 2): the percentile bootstrap of the mean covers ~88 % at
    # nominal 95 %; the studentized bootstrap must reach 0.95 minus 3 binomial SE over 300 repetitions.
    reps, covered = 300, 0
    for seed in range(reps):
        gen = np.random.default_rng(seed)
        risks = gen.exponential(1.0, 30)
        curve = estimators.learning_curve(np.repeat([10, 20, 40], 10), risks, n_resamples=200, rng=seed)
        covered += int(np.sum((curve.low <= 1.0) & (1.0 <= curve.high)))
    rate, trials = covered / (3 * reps), 3 * reps
    assert rate >= 0.95 - 3 * math.sqrt(0.95 * 0.05 / trials)


def test_ols_curve_floor_is_unbiased():
    # E[R] = s2 f(n) for every seed, so the pooled ratio is unbiased; weights 1/SE^2 from ten seeds
    # favoured the seeds that fitted well and pulled s2 down (-0.0054 here, six standard errors).
    fits = []
    for seed in range(200):
        ns, risks = ols_population_risks(2, 1.5, [20, 40, 80], 10, seed)
        fits.append(estimators.fit_ols_curve(ns, risks, 2, n_resamples=10, rng=seed).params["s2"])
    fits = np.array(fits)
    assert fits.mean() == pytest.approx(1.5, abs=4 * fits.std(ddof=1) / math.sqrt(fits.size))


def test_exchange_rate_recovers_lambda():
    nm, nu = np.meshgrid([50, 100, 200, 400], [0, 100, 400, 1600])
    risk = 1.0 + 30.0 * (nm + 0.25 * nu) ** (-1.0)
    out = estimators.exchange_rate(nm, nu, risk)
    assert out["lambda"] == pytest.approx(0.25, rel=1e-3) and out["floor"] == pytest.approx(1.0, rel=1e-3)


def test_parametric_exchange_rate_recovers_a_and_b():
    # R = 0.5 + 3 / (n_m + n_u) + 1 / n_m exactly: lambda = 3 / 4; with noise proportional to the level,
    # the bootstrap interval over repetitions contains it
    nm, nu = (g.ravel() for g in np.meshgrid([100, 200, 400, 800], [0, 200, 800, 3200]))
    exact = 0.5 + 3 / (nm + nu) + 1 / nm
    out = estimators.exchange_rate(nm, nu, exact, model="parametric")
    assert out["lambda"] == pytest.approx(0.75, rel=1e-9) and out["floor"] == pytest.approx(0.5, rel=1e-9)
    gen = np.random.default_rng(0)
    reps = 30
    noisy = np.repeat(exact, reps) * (1 + 0.002 * gen.standard_normal(exact.size * reps))
    fit = estimators.exchange_rate(np.repeat(nm, reps), np.repeat(nu, reps), noisy, model="parametric",
                                   n_resamples=100, rng=1)  # fmt: skip
    assert fit["lambda_low"] <= 0.75 <= fit["lambda_high"]


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: estimators.exchange_rate([1, 2, 1, 2, 1], [0, 1, 1, 0, 2], [1, 1, 1, 1, 1], model="x"), "model"),
        (lambda: estimators.fit_power_law([10, 10, 20, 20], [1, 1, 0.5, 0.5]), "3 distinct n"),
        (lambda: estimators.fit_power_law([10, 20, 40], [1.0, 0.0, 0.5]), "positive"),
        (lambda: estimators.fit_power_law([10, 20, 40], [1.0, np.nan, 0.5]), "finite"),
        (lambda: estimators.fit_power_law([10, 20], [1.0, 0.5, 0.2]), "same length"),
        (lambda: estimators.fit_ols_curve([10, 20, 40], [2, 1.5, 1.2], 10), "exceed p \\+ 1"),
        (lambda: estimators.learning_curve([10, 20, 40], [1, 2, 3], level=1.5), "level"),
        (lambda: estimators.fit_power_law([10.5, 20, 40], [1, 2, 3]), "integer"),
        (lambda: estimators.exchange_rate([1, 2], [0, 1], [1, 1]), "at least 5"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
