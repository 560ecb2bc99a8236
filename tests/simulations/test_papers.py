"""The experiments after Lu (2023) and Huang et al. (2021): learners on equal terms, bounds where they apply."""

import math

import numpy as np
import pytest
from scipy.optimize import minimize

from modalinfo.simulations.suites import huang_bounded, lu_separation
from modalinfo.simulations.suites._huang import _norm_constrained_least_squares
from modalinfo.simulations.suites._lu import _erm_frequency, _excess_risk


def separation(reps, **params):
    rows = [r for s in range(reps) for r in lu_separation(params, np.random.default_rng(s))]
    out = {}
    for learner in ("two-stage (x1, x2)", "ERM on x1"):
        values = np.array([r["excess_risk"] for r in rows if r["learner"] == learner])
        out[learner] = (values.mean(), values.std(ddof=1) / math.sqrt(reps))
    return out


def test_without_heterogeneity_both_learners_are_the_same_learner():
    # theta_min = theta_max: the class is one connection, so ERM on x1 knows it, as does the two-stage
    # learner (exact connection), and both fit the same head on the same feature.
    for seed in range(5):
        two, uni = lu_separation({"n": 20, "theta_min": 0.5, "theta_max": 0.5}, np.random.default_rng(seed))
        assert two["excess_risk"] == pytest.approx(uni["excess_risk"], rel=1e-9, abs=1e-12)


def test_the_gap_is_wide_at_few_samples_and_closes_at_a_parametric_rate():
    # A class of frequencies 1/theta in [1, 1000]: with n = 10 ERM on x1 picks a wrong frequency in
    # most runs (excess ~ 1, twice the target's variance); the two-stage learner only fits (a, b).
    few = separation(30, n=10, theta_min=0.001)
    uni, uni_se = few["ERM on x1"]
    two, two_se = few["two-stage (x1, x2)"]
    assert uni - 4 * uni_se > 5 * (two + 4 * two_se)
    # With n = 80 both are parametric: well-specified least squares has excess ~ noise_sd^2 p / n with
    # p = 2 (two-stage: a, b) or 3 (ERM on x1: theta, a, b), so the ratio is near 3/2, not n^(1/2).
    many = separation(30, n=80, theta_min=0.001)
    uni, uni_se = many["ERM on x1"]
    two, two_se = many["two-stage (x1, x2)"]
    assert uni < 3 * 0.25 * 3 / 80 + 4 * uni_se
    assert uni < 3 * two + 4 * uni_se


def test_a_noisy_connection_reverses_the_gap():
    # x2 = theta x1 exp(0.02 e): at frequencies up to 1000 the head fitted on noisy x2 has lost the
    # phase, so the two-stage learner is worse than ERM on x1 (Lu's connection condition fails).
    res = separation(30, n=80, theta_min=0.001, connection_noise=0.02)
    (two, two_se), (uni, uni_se) = res["two-stage (x1, x2)"], res["ERM on x1"]
    assert two - uni > 4 * math.hypot(two_se, uni_se)


def test_erm_frequency_is_the_global_least_squares_fit():
    gen = np.random.default_rng(3)
    t = 1.0 / gen.uniform(0.05, 1.0, 15)
    z = np.sin(37.3 * t) + 0.3 * gen.standard_normal(15)
    found = _erm_frequency(t, z, 1.0, 100.0, 20.0)

    def rss(c):
        a = np.c_[np.sin(c * t), np.ones_like(t)]
        return float(np.sum((z - a @ np.linalg.lstsq(a, z, rcond=None)[0]) ** 2))

    dense = np.linspace(1.0, 100.0, 400_001)  # 10x finer than the search grid
    assert rss(found) <= min(rss(c) for c in dense[np.argsort([rss(c) for c in dense[::100]])[:5] * 100]) + 1e-9
    assert rss(found) <= rss(37.3)


def test_excess_risk_quadrature():
    # the true predictor has no excess; the zero predictor has E[sin^2(7/x)], x ~ U[low, 1], here
    # against a fine uniform grid in x (the quadrature integrates in t = 1/x)
    low = 0.05
    x = np.linspace(low, 1.0, 2_000_001)
    exact = float(np.mean(np.sin(7.0 / x) ** 2))
    assert _excess_risk(7.0, 1.0, 0.0, 7.0, low) == pytest.approx(0.0, abs=1e-15)
    assert _excess_risk(7.0, 0.0, 0.0, 7.0, low) == pytest.approx(exact, rel=1e-5)


@pytest.mark.parametrize("m", [4, 30])
def test_norm_constrained_least_squares_is_exact(m):
    gen = np.random.default_rng(m)
    x, y = gen.standard_normal((m, 6)), gen.standard_normal(m) * 3
    for radius in (0.05, 0.5, 50.0):
        v = _norm_constrained_least_squares(x, y, radius)
        res = minimize(
            lambda u: np.sum((y - x @ u) ** 2),
            np.zeros(6),
            constraints=[{"type": "ineq", "fun": lambda u, r=radius: r**2 - u @ u}],
            method="SLSQP",
            options={"ftol": 1e-14, "maxiter": 500},
        )
        assert np.linalg.norm(v) <= radius * (1 + 1e-12)
        assert np.sum((y - x @ v) ** 2) <= res.fun + 1e-8


def test_huang_theorem_1_where_its_assumptions_hold():
    def runs(m, reps):
        rows = [huang_bounded({"m": m}, np.random.default_rng([m, s]))[0] for s in range(reps)]
        return {k: np.array([r[k] for r in rows]) for k in rows[0]}

    for m in (15, 100):
        r = runs(m, 200)
        # Theorem 1 holds with probability >= 1 - delta/2 = 0.975, Theorem 2 with >= 0.95; both are
        # loose by orders of magnitude here, so every run is inside them.
        assert r["held"].all() and np.all(r["gap"] <= r["bound"]) and np.all(r["eta_M"] <= r["eta_M_bound"])
        assert np.all(r["bound"] > 100 * np.abs(r["gap"]))
    # as m grows the gap tends to its population value -||w2||^2 / 3 = -0.15 (covariance I/3), with a
    # finite-sample term of at most the noise-plus-dropped-signal variance times p / m
    r = runs(3000, 100)
    se = r["gap"].std(ddof=1) / 10
    assert r["gap"].mean() == pytest.approx(-0.15, abs=4 * se + (1.0 + 0.15) * 10 / 3000)


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"n": 2}, "`n` must be >= 3"),
        ({"theta_min": 2.0}, "0 < theta_min <= theta_max"),
        ({"theta_min": 0.0}, "0 < theta_min <= theta_max"),
        ({"low": 1.0}, "`low` must be in"),
    ],
)
def test_separation_bad_parameters(params, match):
    with pytest.raises(ValueError, match=match):
        lu_separation(params, np.random.default_rng(0))
