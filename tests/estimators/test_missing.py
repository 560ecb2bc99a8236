"""Gaussian maximum likelihood with missing entries: closed form for monotone patterns, EM otherwise."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modalinfo.estimators import fit_gaussian_missing, missing_modality
from modalinfo.estimators.learning._missing import _em, _values
from modalinfo.simulations import MissingModalities, sample
from modalinfo.theory import LatentModel


def gaussian(n, seed, d=4):
    gen = np.random.default_rng(seed)
    a = gen.standard_normal((d, d))
    cov = a @ a.T + np.eye(d)
    return gen.multivariate_normal(np.arange(d, dtype=float), cov, n), cov, gen


def observed_loglik(x, mean, cov):
    """Log-likelihood of the observed entries of every row (the quantity ML maximises)."""
    total = 0.0
    for row in x:
        o = ~np.isnan(row)
        diff = row[o] - mean[o]
        c = cov[np.ix_(o, o)]
        total -= 0.5 * (np.linalg.slogdet(2 * np.pi * c)[1] + diff @ np.linalg.solve(c, diff))
    return total


def test_complete_data_gives_the_sample_moments():
    x, _, _ = gaussian(500, 0)
    fit = fit_gaussian_missing(x)
    assert fit.method == "complete"
    assert np.allclose(fit.mean, x.mean(axis=0)) and np.allclose(fit.cov, np.cov(x, rowvar=False, bias=True))


@settings(max_examples=20)
@given(st.integers(0, 10_000), st.integers(50, 300), st.integers(0, 200))
def test_monotone_closed_form_is_the_em_fixed_point(seed, missing3, missing23):
    # x[:, 3] missing in some rows, x[:, 2:] in others: monotone. EM converges to the same maximum.
    x, _, _ = gaussian(600, seed)
    x[:missing3, 3] = np.nan
    x[600 - missing23 :, 2:] = np.nan
    fit = fit_gaussian_missing(x)
    assert fit.method == "monotone"
    arr, seen = _values(x)
    mean, cov, _ = _em(arr, seen, 1e-13, 100_000)
    assert np.allclose(fit.cov, cov, atol=1e-9) and np.allclose(fit.mean, mean, atol=1e-9)


def test_em_reaches_a_maximum_of_the_observed_likelihood():
    x, _, gen = gaussian(400, 3)
    x[:80, 0] = np.nan
    x[200:300, 3] = np.nan
    x[350:, 1] = np.nan
    fit = fit_gaussian_missing(x)
    assert fit.method == "em" and fit.iterations > 1
    best = observed_loglik(x, fit.mean, fit.cov)
    for _ in range(10):  # small perturbations of the maximum lower the likelihood
        e = 1e-3 * gen.standard_normal((4, 4))
        assert observed_loglik(x, fit.mean + 1e-3 * gen.standard_normal(4), fit.cov + e @ e.T) < best


def test_ml_recovers_the_covariance():
    # n = 20000, half the rows without the last column: the error is O(1/sqrt(n)) entrywise
    x, cov, _ = gaussian(20_000, 4)
    x[:10_000, 3] = np.nan
    fit = fit_gaussian_missing(x)
    assert np.abs(fit.cov - cov).max() < 6 * np.abs(cov).max() / math.sqrt(10_000)


def test_plug_in_predictor_is_the_conditional_mean():
    x, _, _ = gaussian(3000, 5)
    fit = fit_gaussian_missing(x)
    predict = fit.predictor([3], [0, 1, 2])
    design = np.c_[np.ones(3000), x[:, :3]]
    coef, *_ = np.linalg.lstsq(design, x[:, 3], rcond=None)
    assert np.allclose(predict(x[:5, :3])[:, 0], design[:5] @ coef)  # ML conditional mean = OLS with intercept


def test_ml_learner_uses_the_rows_without_x2():
    # 200 paired and 1800 x1-only rows: the x1-only rows sharpen the (x1, y) part, so the ML predictor
    # beats least squares on the 200 paired rows alone, on (x1, x2) and on x1 alone.
    model = LatentModel(overlap=0.5, mixing_seed=0)
    ml, paired, ml_x1, paired_x1 = [], [], [], []
    for seed in range(40):
        train = sample(MissingModalities(model, {"x2": 0.9}), 2000, seed)
        test = sample(model, 4000, 10_000 + seed)
        res = missing_modality(train, test, "ml")
        seen = train["mask"][:, 1]
        only = {k: v[seen] for k, v in train.items()}
        base = missing_modality(only, test, "ml")
        ml.append(res.test_risk)
        paired.append(base.test_risk)
        ml_x1.append(res.extra["test_risk_without"])
        paired_x1.append(base.extra["test_risk_without"])
    for better, worse in ((ml, paired), (ml_x1, paired_x1)):
        diff = np.array(worse) - np.array(better)
        assert diff.mean() > 4 * diff.std(ddof=1) / math.sqrt(diff.size)


@pytest.mark.parametrize(
    ("x", "match"),
    [
        (np.zeros(5), "2-D"),
        (np.array([[1.0, np.inf], [2.0, 1.0], [3.0, 2.0]]), "inf"),
        (np.array([[1.0, np.nan], [2.0, np.nan], [3.0, 2.0]]), r"columns \[1\]"),
    ],
)
def test_bad_input(x, match):
    with pytest.raises(ValueError, match=match):
        fit_gaussian_missing(x)


def test_bad_options():
    x, _, _ = gaussian(50, 0)
    with pytest.raises(ValueError, match="tol"):
        fit_gaussian_missing(x, tol=0)
    with pytest.raises(ValueError, match="max_iter"):
        fit_gaussian_missing(x, max_iter=0)
