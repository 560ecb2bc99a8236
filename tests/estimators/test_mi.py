"""Mutual information estimators against exact values from theory/, properties and bad input."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad
from scipy.stats import norm

from modalinfo.estimators import choose_method, conditional_mutual_information, mutual_information
from modalinfo.theory import DiscreteModel, gaussian_mutual_information, student_t_mutual_information

CONTINUOUS = ("ksg", "ksg2", "gaussian", "copula", "auto")


def gaussian_pair(n, rho, d=1, seed=0):
    """x, y (n, d) with corr(x_i, y_i) = rho, independent across i: I = -d/2 log(1 - rho^2)."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, d))
    y = rho * x + math.sqrt(1 - rho**2) * rng.standard_normal((n, d))
    return x, y, -0.5 * d * math.log(1 - rho**2)


def test_gaussian_estimator_within_its_sampling_error():
    # Delta method: Var(I_hat) = sum_i rho_i^2 / n over canonical correlations; the estimate is unbiased.
    for d, rho in ((1, 0.6), (3, 0.5), (8, 0.3)):
        x, y, truth = gaussian_pair(3000, rho, d, seed=d)
        sd = math.sqrt(d * rho**2 / 3000)
        assert mutual_information(x, y, "gaussian") == pytest.approx(truth, abs=4 * sd)
        assert mutual_information(x, y, "gaussian", base=2) == pytest.approx(truth / math.log(2), abs=4 * sd)


def test_gaussian_bias_correction_removes_the_small_sample_bias():
    # 300 replicates of n = 40, 4x4 independent: uncorrected log-det bias ~ d_x d_y / (2n) = 0.2 nats.
    est = [mutual_information(*gaussian_pair(40, 0.0, 4, seed=s)[:2], "gaussian") for s in range(300)]
    se = np.std(est) / math.sqrt(len(est))
    assert abs(np.mean(est)) < 4 * se


@pytest.mark.parametrize("method", ["ksg", "ksg2"])
def test_ksg_close_to_truth_in_low_dimension(method):
    # KSG (2004, Figs. 4-5): bias below 0.01 nats for 1-D Gaussians at N = 1000, k = 3;
    # the spread is calibrated over 12 seeds here.
    est = np.array([mutual_information(*gaussian_pair(1000, 0.6, seed=s)[:2], method, rng=s) for s in range(12)])
    truth = gaussian_pair(10, 0.6)[2]
    assert abs(est.mean() - truth) <= 0.01 + 4 * est.std(ddof=1) / math.sqrt(len(est))


def test_ksg_biased_low_in_many_dimensions_and_copula_not():
    x, y, truth = gaussian_pair(2000, 0.5, d=10, seed=3)
    assert mutual_information(x, y, "ksg", rng=0) < 0.8 * truth
    assert mutual_information(x, y, "copula") == pytest.approx(truth, abs=4 * math.sqrt(10 * 0.25 / 2000))


def test_monotone_maps_keep_ksg_and_copula_but_not_gaussian():
    x, y, truth = gaussian_pair(4000, 0.8, seed=5)
    fx, fy = x**3, np.sinh(2 * y)
    assert mutual_information(fx, fy, "copula") == mutual_information(x, y, "copula")  # ranks unchanged
    assert abs(mutual_information(fx, fy, "ksg", rng=1) - mutual_information(x, y, "ksg", rng=1)) < 0.05
    assert abs(mutual_information(fx, fy, "ksg", rng=1) - truth) < 0.05
    assert mutual_information(fx, fy, "gaussian") < truth - 0.2


def test_student_t_ksg_and_auto_find_the_heavy_tail_information():
    rng = np.random.default_rng(6)
    scale = np.array([[1.0, 0.3], [0.3, 1.0]])
    v = rng.multivariate_normal([0, 0], scale, size=5000) * np.sqrt(1.0 / rng.chisquare(1.0, size=5000))[:, None]
    truth = student_t_mutual_information(scale, [0], [1], df=1.0)
    assert abs(mutual_information(v[:, 0], v[:, 1], "ksg", rng=0) - truth) < 0.05
    assert abs(mutual_information(v[:, 0], v[:, 1], "auto", rng=0) - truth) < 0.05
    assert mutual_information(v[:, 0], v[:, 1], "copula") < truth - 0.1  # the Gaussian copula misses the tails


def discrete_sample(pmf, n, seed):
    rng = np.random.default_rng(seed)
    cells = rng.choice(pmf.size, size=n, p=pmf.ravel())
    return np.unravel_index(cells, pmf.shape)


def test_discrete_estimates_converge_to_the_exact_information():
    pmf = DiscreteModel.canonical("and", noise_prob=0.1).pmf().sum(axis=1)  # p[x1, y]
    truth = DiscreteModel.canonical("and", noise_prob=0.1).mutual_information("x1", "y")
    ratio = np.log(pmf / np.outer(pmf.sum(1), pmf.sum(0)))
    sd = math.sqrt(np.sum(pmf * ratio**2) - truth**2)  # plug-in asymptotic sd * sqrt(n)
    x, y = discrete_sample(pmf, 10_000, seed=1)
    for correction in ("none", "miller-madow", "jackknife"):
        est = mutual_information(x, y, "discrete", correction=correction)
        assert est == pytest.approx(truth, abs=4 * sd / math.sqrt(10_000) + 1e-3)


def test_bias_corrections_remove_the_plugin_bias_at_independence():
    # 5 x 4 independent labels, n = 400: plug-in bias (m_x - 1)(m_y - 1) / (2n) = 0.015 nats; the
    # corrections leave the O(1/n^2) term, sum over entropies of (1 - sum 1/p) / (12 n^2) ~ 2e-4.
    n, reps = 400, 400
    second_order = ((1 - 400) - (1 - 25) - (1 - 16)) / (12 * n**2)
    rng = np.random.default_rng(2)
    est = {c: [] for c in ("none", "miller-madow", "jackknife")}
    for _ in range(reps):
        x, y = rng.integers(0, 5, n), rng.integers(0, 4, n)
        for c in est:
            est[c].append(mutual_information(x, y, "discrete", correction=c))
    se = {c: np.std(v) / math.sqrt(reps) for c, v in est.items()}
    assert np.mean(est["none"]) == pytest.approx(12 / (2 * n), abs=4 * se["none"] + abs(second_order))
    assert abs(np.mean(est["miller-madow"])) < 4 * se["miller-madow"] + abs(second_order)
    assert abs(np.mean(est["jackknife"])) < 4 * se["jackknife"] + abs(second_order)


def test_discrete_accepts_labels():
    x = np.array(["a", "b", "a", "c"] * 50)
    y = np.array([1.0, 2.0, 1.0, 3.0] * 50)
    assert mutual_information(x, y, "discrete", correction="none") == pytest.approx(1.5 * math.log(2))  # H(X)
    assert mutual_information(x, y, "discrete", correction="none") == pytest.approx(
        mutual_information(x, x, "discrete", correction="none")
    )


def class_information(delta):
    """I(Y; X) for Y ~ Bernoulli(1/2), X | Y ~ N((Y - 1/2) delta, 1), by quadrature."""

    def integrand(x):
        p0, p1 = norm.pdf(x + delta / 2), norm.pdf(x - delta / 2)
        m = 0.5 * (p0 + p1)
        return 0.5 * p0 * math.log(p0 / m) + 0.5 * p1 * math.log(p1 / m)

    return quad(integrand, -12, 12, limit=200)[0]


def test_mixed_estimators_for_a_discrete_target():
    rng = np.random.default_rng(4)
    y = rng.integers(0, 2, 5000)
    x = (y - 0.5) * 2.0 + rng.standard_normal(5000)
    truth = class_information(2.0)
    ross = mutual_information(x, y, "mixed", rng=0)
    assert ross == pytest.approx(truth, abs=0.03)
    gao = mutual_information(x, y, "mixed", discrete=(False, False), rng=0)  # nothing discrete: plain KSG-like
    assert gao == pytest.approx(truth, abs=0.05)
    both = mutual_information(np.column_stack([x, y]), y, "mixed", discrete=([False, True], True), rng=0)
    assert both == pytest.approx(math.log(2), abs=0.03)  # (x, y) determines y: I = H(Y)
    probe = mutual_information(x, y, "probe", rng=0)  # a lower bound: within its sampling error below the truth
    assert truth - 0.03 <= probe <= truth + 4 * math.sqrt(truth * (1 - truth) / 5000)
    assert mutual_information(x, y, "auto", rng=0) == probe and choose_method(x, y).method == "probe"


def test_gao_on_purely_discrete_data_is_close_to_the_plugin():
    x, y = discrete_sample(DiscreteModel.canonical("or", noise_prob=0.1).pmf().sum(axis=1), 5000, seed=3)
    gao = mutual_information(x.astype(float), y.astype(float), "mixed", discrete=(True, True), rng=0)
    assert gao == pytest.approx(mutual_information(x, y, "discrete"), abs=0.01)


def test_conditional_mutual_information():
    rng = np.random.default_rng(7)
    n = 4000
    x, z = rng.standard_normal(n), rng.standard_normal(n)
    y = x + z + rng.standard_normal(n)
    cov = np.array([[1, 0, 1], [0, 1, 1], [1, 1, 3.0]])
    truth = gaussian_mutual_information(cov, [0], [2], given=[1])
    assert conditional_mutual_information(x, y, z, "gaussian") == pytest.approx(truth, abs=4 * math.sqrt(0.5 / n))
    assert conditional_mutual_information(x, y, z, "copula") == pytest.approx(truth, abs=0.03)
    assert conditional_mutual_information(x, y, z, "ksg", rng=0) == pytest.approx(truth, abs=0.03)
    assert conditional_mutual_information(x, y, z, "auto", rng=0) == pytest.approx(truth, abs=0.03)
    x1, x2, yd = discrete_sample(DiscreteModel.canonical("xor").pmf(), 4000, seed=1)
    assert conditional_mutual_information(x1, yd, x2, "discrete") == pytest.approx(math.log(2), abs=0.01)
    assert conditional_mutual_information(x1, yd, x2, "auto") == pytest.approx(math.log(2), abs=0.01)


@pytest.mark.parametrize("method", CONTINUOUS)
def test_more_dependence_gives_a_larger_estimate(method):
    values = [mutual_information(*gaussian_pair(1500, r, seed=9)[:2], method, rng=0) for r in (0.2, 0.5, 0.8)]
    assert values[0] < values[1] < values[2]


@pytest.mark.parametrize("method", ["ksg", "ksg2"])
def test_ksg_symmetry_and_invariances(method):
    x, y, _ = gaussian_pair(800, 0.6, d=2, seed=4)
    base = mutual_information(x, y, method, jitter=0.0)
    assert mutual_information(y, x, method, jitter=0.0) == pytest.approx(base, abs=1e-12)
    perm = np.random.default_rng(0).permutation(800)
    assert mutual_information(x[perm], y[perm], method, jitter=0.0) == pytest.approx(base, abs=1e-12)
    scaled = x * np.array([7.0, 1e-3])
    assert mutual_information(scaled, y, method, jitter=0.0) == pytest.approx(base, abs=1e-9)


def test_adding_an_independent_column_changes_ksg_within_its_noise():
    x, y, _ = gaussian_pair(2000, 0.6, seed=8)
    extra = np.column_stack([x, np.random.default_rng(1).standard_normal(2000)])
    spread = np.std(
        [mutual_information(*gaussian_pair(2000, 0.6, seed=s)[:2], "ksg", rng=s) for s in range(10)], ddof=1
    )
    # one more dimension adds the KSG dimension bias (KSG 2004 Fig. 7: ~0.01 nats at this n) to the noise
    assert abs(mutual_information(extra, y, "ksg", rng=0) - mutual_information(x, y, "ksg", rng=0)) < 0.02 + 4 * spread


@settings(max_examples=25)
@given(
    n=st.integers(12, 60),
    dx=st.integers(1, 3),
    dy=st.integers(1, 3),
    seed=st.integers(0, 2**32 - 1),
    method=st.sampled_from(CONTINUOUS),
)
def test_valid_input_never_gives_nan(n, dx, dy, seed, method):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, dx))
    y = rng.standard_normal((n, dy)) + x[:, :1]
    assert math.isfinite(mutual_information(x, y, method, k=2, rng=seed))
    assert mutual_information(x, y, method, k=2, rng=seed, clip=True) >= 0


def test_same_rng_same_estimate():
    x, y, _ = gaussian_pair(500, 0.5, seed=1)
    assert mutual_information(x, y, "ksg", rng=3) == mutual_information(x, y, "ksg", rng=3)


def test_choose_method_says_what_it_does():
    rng = np.random.default_rng(0)
    assert choose_method(rng.integers(0, 3, 10), rng.integers(0, 3, 10)).method == "discrete"
    assert choose_method(rng.standard_normal(10), rng.standard_normal(10)).method == "copula-ksg"
    assert "usable information" in choose_method(rng.standard_normal(10), rng.integers(0, 3, 10)).reason


X = np.random.default_rng(0).standard_normal((50, 2))


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        ((X, X[:40]), {}, "same number of samples"),
        ((np.full((50, 1), np.nan), X), {}, "finite"),
        ((np.full((50, 1), np.inf), X), {"method": "gaussian"}, "finite"),
        ((np.float64(1.0), X), {}, "1-D or 2-D"),
        ((np.zeros((5, 2, 2)), X[:5]), {}, "1-D or 2-D"),
        ((np.zeros((0, 1)), X[:0]), {}, "empty"),
        ((X, X), {"method": "ksg", "k": 0}, "`k`"),
        ((X, X), {"method": "ksg", "k": 50}, "2k \\+ 1"),
        ((X[:3], X[:3]), {"method": "ksg", "k": 3}, "2k \\+ 1"),
        ((np.ones(50), X), {}, "constant"),
        ((np.ones(50), X), {"method": "gaussian"}, "constant"),
        ((X, X), {"method": "kde"}, "`method`"),
        ((X[:, 0] + 0.5, X[:, 0]), {"method": "discrete"}, "looks continuous"),
        ((np.arange(50), np.arange(50)), {"method": "discrete", "correction": "x"}, "`correction`"),
        ((X, X), {"jitter": -1.0}, "`jitter`"),
        ((X, X), {"base": 1.0}, "base"),
        ((X, X), {"method": "mixed", "discrete": (True, [True])}, "discrete"),
        ((X[:4], X[:4]), {"method": "gaussian"}, "n > dx \\+ dy \\+ 1"),
        ((np.array(["a"] * 50), X), {"method": "ksg"}, "numeric"),
    ],
)
def test_bad_input_raises_value_error(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        mutual_information(*args, **kwargs)


def test_conditional_bad_input():
    with pytest.raises(ValueError, match="same number of samples"):
        conditional_mutual_information(X, X, X[:10])
    with pytest.raises(ValueError, match="class label on one side"):
        conditional_mutual_information(X, X, X, "mixed")
    with pytest.raises(ValueError, match="finite"):
        conditional_mutual_information(X, X, np.full(50, np.nan), "gaussian")


@pytest.mark.parametrize("levels", [None, 3, 50])
def test_copula_scores_are_the_normal_scores_of_scipy_average_ranks(levels):
    from scipy.special import ndtri
    from scipy.stats import rankdata

    from modalinfo.estimators.information._parametric import copula_scores

    values = np.random.default_rng(levels or 0).standard_normal(1000)
    if levels:  # heavy ties
        values = np.round(values * levels / 4)
    expected = ndtri(rankdata(values) / 1001)
    assert np.array_equal(copula_scores([values[:, None]])[0], expected)


def test_copula_transform_is_rankdata_and_thread_independent():
    # above PARALLEL_ROWS the columns are sorted on threads; the scores equal the serial ones and
    # scipy's average ranks, with and without ties
    import numba
    from scipy.special import ndtri
    from scipy.stats import rankdata

    from modalinfo.estimators.information._parametric import PARALLEL_ROWS, copula_normal

    gen = np.random.default_rng(0)
    a = gen.standard_normal((PARALLEL_ROWS, 3))
    a[:, 2] = np.round(a[:, 2], 1)  # ties in one column
    expected = ndtri(np.column_stack([rankdata(a[:, c]) for c in range(3)]) / (PARALLEL_ROWS + 1))
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        serial = copula_normal(a)
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
        threaded = copula_normal(a)
    finally:
        numba.set_num_threads(before)
    assert np.array_equal(serial, expected) and np.array_equal(threaded, expected)
