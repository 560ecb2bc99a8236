"""The t-copula estimator and what "auto" does with it: heavy tails, low-rank dependence in many columns."""

import math

import numpy as np
import pytest
from scipy.special import ndtri
from scipy.stats import rankdata, special_ortho_group

from modalinfo.estimators import choose_method, mutual_information
from modalinfo.theory import student_t_mutual_information


def student(n: int, scale: np.ndarray, df: float, gen: np.random.Generator) -> np.ndarray:
    v = gen.multivariate_normal(np.zeros(scale.shape[0]), scale, size=n)
    return v * np.sqrt(df / gen.chisquare(df, size=n))[:, None]


def paired_scale(k: int, rho: float) -> np.ndarray:
    scale = np.eye(2 * k)
    for i in range(k):
        scale[i, k + i] = scale[k + i, i] = rho
    return scale


def test_t_copula_is_unbiased_on_student_t_within_its_sampling_error():
    # 3x3 pairs, df = 2: the Gaussian copula gets about half the information; the t copula's mean
    # over 8 samples is within 3 standard errors (measured over the same samples) plus the known
    # finite-n bias of the df fit, 0.01 nats at n = 2000 (bench: 0.576 vs 0.586 at 5x5, n = 5000).
    scale, df, n = paired_scale(3, 0.5), 2.0, 2000
    truth = student_t_mutual_information(scale, [0, 1, 2], [3, 4, 5], df=df)
    estimates = []
    for seed in range(8):
        v = student(n, scale, df, np.random.default_rng(seed))
        estimates.append(mutual_information(v[:, :3], v[:, 3:], "t-copula"))
    se = np.std(estimates, ddof=1) / math.sqrt(len(estimates))
    assert abs(np.mean(estimates) - truth) <= 3 * se + 0.01
    assert mutual_information(v[:, :3], v[:, 3:], "copula") < 0.7 * truth


def test_t_copula_sees_only_ranks():
    v = student(1500, paired_scale(2, 0.6), 3.0, np.random.default_rng(1))
    x, y = v[:, :2], v[:, 2:]
    warped = mutual_information(np.exp(x), np.arcsinh(y) ** 3, "t-copula")
    assert warped == mutual_information(x, y, "t-copula")


def test_auto_adds_the_heavy_tail_excess_only_when_the_test_finds_it():
    gen = np.random.default_rng(2)
    g = gen.multivariate_normal(np.zeros(4), paired_scale(2, 0.6), size=3000)
    gauss_reason = choose_method(g[:, :2], g[:, 2:]).reason
    assert "continuous columns: no heavy joint tails" in gauss_reason
    # on Gaussian data auto is what it was: the larger of the Gaussian copula and KSG on normal scores
    scores = ndtri(rankdata(g, axis=0) / (len(g) + 1))
    before = max(
        mutual_information(g[:, :2], g[:, 2:], "copula"),
        mutual_information(scores[:, :2], scores[:, 2:], "ksg", rng=0),
    )
    assert mutual_information(g[:, :2], g[:, 2:], "auto", rng=0) == pytest.approx(before, abs=1e-12)
    v = student(3000, paired_scale(2, 0.6), 2.0, gen)
    assert "continuous columns: heavy joint tails: a t copula (nu = " in choose_method(v[:, :2], v[:, 2:]).reason


@pytest.mark.parametrize("df", [math.inf, 3.0])
def test_auto_on_low_rank_dependence_in_many_columns(df):
    # three dependent pairs beside 47 independent columns per side, rotated: the target,
    # within max(0.1 nats, 10 %) at n = 5000 (the Gaussian copula alone misses the heavy-tail part)
    d, k, n = 50, 3, 5000
    gen = np.random.default_rng(3)
    scale = paired_scale(k, 0.8)
    v = student(n, scale, df, gen) if math.isfinite(df) else gen.multivariate_normal(np.zeros(2 * k), scale, size=n)
    sides = []
    for part in (v[:, :k], v[:, k:]):
        full = np.hstack([part, gen.standard_normal((n, d - k))])
        sides.append(full @ special_ortho_group.rvs(d, random_state=gen).T)
    a, b = list(range(k)), list(range(k, 2 * k))
    truth = student_t_mutual_information(scale, a, b, df=df) if math.isfinite(df) else -1.5 * math.log(1 - 0.64)
    estimate = mutual_information(*sides, "auto", rng=0)
    assert abs(estimate - truth) <= max(0.1, 0.1 * truth)
    assert "leading canonical pairs" in choose_method(*sides).reason


def test_monotone_copies_are_rejected_not_crashed():
    x = np.random.default_rng(4).standard_normal((300, 2))
    for y in (x, np.c_[x[:, 0], np.exp(x[:, 0])]):
        with pytest.raises(ValueError, match="singular"):
            mutual_information(x, y, "t-copula")
