"""Bootstrap / subsample confidence intervals and permutation nulls."""

import math

import numpy as np
import pytest

from modalinfo.estimators import bootstrap_ci, permutation_null


def pair(n, rho, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n)
    return x, rho * x + math.sqrt(1 - rho**2) * rng.standard_normal(n)


def test_bootstrap_width_matches_the_delta_method():
    # sd(I_hat) = rho / sqrt(n) for a bivariate Gaussian; the 95% interval is about 2 * 1.96 sd wide.
    # With 400 resamples the percentile width has a relative error of a few percent; allow 20 %.
    n, rho = 2000, 0.6
    x, y = pair(n, rho, 1)
    ci = bootstrap_ci(x, y, "gaussian", n_resamples=400, rng=0)
    assert ci.scheme == "bootstrap" and ci.low < ci.estimate < ci.high
    assert ci.high - ci.low == pytest.approx(2 * 1.96 * rho / math.sqrt(n), rel=0.2)


def test_subsample_interval_for_knn_matches_the_replicate_spread():
    # Half-sampling estimates Var(I_hat); compare with the spread over 20 independent samples.
    # Relative errors: ~16 % for a 20-replicate sd, ~10 % for 100 half-samples; allow 2 sigma = 40 %.
    from modalinfo.estimators import mutual_information

    n = 1000
    sd = np.std([mutual_information(*pair(n, 0.6, s), "ksg", rng=s) for s in range(100, 120)], ddof=1)
    x, y = pair(n, 0.6, 2)
    ci = bootstrap_ci(x, y, "ksg", n_resamples=100, rng=0)
    assert ci.scheme == "subsample" and ci.low < ci.estimate < ci.high
    assert ci.high - ci.low == pytest.approx(2 * 1.96 * sd, rel=0.4)


@pytest.mark.slow
def test_bootstrap_interval_is_centred_on_the_estimate_and_covers_in_many_dimensions():
    # Gaussian 8 + 8 dims, rho = 0.3 per pair, n = 300: the bias-corrected estimate is unbiased, but a
    # bootstrap resample's estimate is about two standard deviations higher (duplicated rows), so raw
    # percentiles covered the truth ~60 % of the time at nominal 95 %. The centred interval must
    # cover at the nominal rate: 0.95 minus 3 binomial standard errors over 100 repetitions.
    d, rho, reps, n = 8, 0.3, 100, 300
    truth = -0.5 * d * math.log(1 - rho**2)
    covered = 0
    for seed in range(reps):
        gen = np.random.default_rng(seed)
        x = gen.standard_normal((n, d))
        y = rho * x + math.sqrt(1 - rho**2) * gen.standard_normal((n, d))
        ci = bootstrap_ci(x, y, "gaussian", n_resamples=100, rng=seed)
        covered += ci.low <= truth <= ci.high
    assert covered / reps >= 0.95 - 3 * math.sqrt(0.95 * 0.05 / reps)


def test_resampling_is_reproducible_and_accepts_conditioning():
    x, y = pair(300, 0.5, 3)
    z = np.random.default_rng(0).standard_normal(300)
    a = bootstrap_ci(x, y, "copula", z=z, n_resamples=20, rng=5)
    assert a == bootstrap_ci(x, y, "copula", z=z, n_resamples=20, rng=5)
    assert a.base == math.e and a.level == 0.95
    b = bootstrap_ci(x, y, "copula", z=z, n_resamples=20, rng=5, base=2)
    assert b.estimate == pytest.approx(a.estimate / math.log(2))


def test_permutation_null_independent_and_dependent():
    rng = np.random.default_rng(4)
    x, y = rng.standard_normal(500), rng.standard_normal(500)
    null = permutation_null(x, y, "ksg", n_resamples=99, rng=0)
    assert null.p_value > 0.01
    # KSG's bias at independence is small: the null mean within 4 standard errors of 0 plus 0.005
    assert abs(null.null_mean) < 4 * null.null_sd / math.sqrt(99) + 0.005
    dep = permutation_null(*pair(500, 0.5, 5), "gaussian", n_resamples=99, rng=0)
    assert dep.p_value == pytest.approx(1 / 100)
    assert dep.null.shape == (99,)
    p1 = permutation_null(x, y, "ksg", n_resamples=20, rng=7)
    p2 = permutation_null(x, y, "ksg", n_resamples=20, rng=7)
    assert p1.estimate == p2.estimate and np.array_equal(p1.null, p2.null)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda x, y: bootstrap_ci(x, y, n_resamples=5), "n_resamples"),
        (lambda x, y: bootstrap_ci(x, y, level=1.0), "level"),
        (lambda x, y: permutation_null(x, y, n_resamples=2.5), "n_resamples"),
        (lambda x, y: bootstrap_ci(x, y[:10], n_resamples=10), "same number of samples"),
        (lambda x, y: permutation_null(x, y, "nope", n_resamples=10), "`method`"),
    ],
)
def test_bad_arguments(call, match):
    x, y = pair(100, 0.5, 0)
    with pytest.raises(ValueError, match=match):
        call(x, y)
