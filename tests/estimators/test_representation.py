"""Representation measures: invariances, exact cases, Huang et al.'s latent quality and the crossover."""

import math

import numpy as np
import pytest
from scipy.stats import special_ortho_group

from modalinfo import estimators
from modalinfo.simulations import sample
from modalinfo.theory import LatentClassificationModel, LatentModel, linear_latent_quality, ols_encoder_latent_quality

RNG = np.random.default_rng(0)
A = RNG.standard_normal((1500, 6)) @ RNG.standard_normal((6, 6))
ROT = special_ortho_group.rvs(6, random_state=1)


@pytest.mark.parametrize("kernel", ["linear", "rbf"])
def test_cka_invariances_and_independence(kernel):
    assert estimators.cka(A, A, kernel) == pytest.approx(1.0, abs=1e-12)
    assert estimators.cka(A, 3.7 * A @ ROT + 2.0, kernel) == pytest.approx(1.0, abs=1e-9)
    other = np.random.default_rng(2).standard_normal((1500, 4))
    # independent: E[linear CKA] ~ sqrt(d_a d_b) / n = 0.003 for unit-variance columns; allow 10x
    assert estimators.cka(A, other, kernel) < 0.03


def test_cka_is_not_invariant_to_general_linear_maps_but_cca_is():
    m = np.diag([10.0, 1, 1, 1, 1, 0.1])
    assert estimators.cka(A, A @ m) < 0.99
    assert estimators.cca_similarity(A, A @ m @ ROT) == pytest.approx(1.0, abs=1e-9)
    assert estimators.svcca(A, A @ ROT, keep=1.0) == pytest.approx(1.0, abs=1e-9)
    assert estimators.cca_similarity(A, np.random.default_rng(3).standard_normal((1500, 3))) < 0.1


def test_mcc_of_a_permuted_rescaled_copy_is_one():
    z = np.random.default_rng(4).standard_normal((800, 5))
    copy = z[:, [3, 0, 4, 1, 2]] * np.array([2.0, -0.5, 7.0, -1.0, 0.1]) + 3.0
    assert estimators.mcc(z, copy) == pytest.approx(1.0, abs=1e-12)
    assert estimators.mcc(z, np.arcsinh(copy) ** 3, method="spearman") == pytest.approx(1.0, abs=1e-12)
    assert estimators.mcc(z, np.random.default_rng(5).standard_normal((800, 5))) < 0.2


def test_identifiability_r2():
    z = np.random.default_rng(6).standard_normal((2000, 3))
    assert estimators.identifiability_r2(z, z @ RNG.standard_normal((3, 5)), rng=0) == pytest.approx(1.0, abs=1e-9)
    assert abs(estimators.identifiability_r2(z, np.random.default_rng(7).standard_normal((2000, 3)), rng=0)) < 0.02


def test_probes_on_a_latent_model():
    model = LatentModel(overlap=0.5, mixing_seed=1)
    data = sample(model, 20_000, rng=2)
    x = np.hstack([data["x1"], data["x2"]])
    r2 = 1 - model.bayes_risk(["x1", "x2"]) / model.covariance()[-1, -1]
    # held-out R^2 of n/2 = 1e4 rows: sd about 2 (1 - R^2) / sqrt(n_test) ~ 0.01
    assert estimators.linear_probe(x, data["y"], rng=0) == pytest.approx(r2, abs=0.04)
    cls = LatentClassificationModel(
        overlap=0.5, shared_weights=[2.0, 2.0], private_weights=[[1.0, 1.0]] * 2, mixing_seed=3
    )
    d = sample(cls, 20_000, rng=4)
    xc = np.hstack([d["x1"], d["x2"]])
    bayes = 1 - cls.bayes_risk(["x1", "x2"])
    acc_linear = estimators.linear_probe(xc, d["y"], task="classification", rng=0)
    assert acc_linear == pytest.approx(bayes, abs=4 * math.sqrt(0.25 / 10_000) + 0.005)  # LDA-direction classifier
    assert bayes - 0.08 < estimators.knn_probe_accuracy(xc, d["y"], k=15, rng=0) <= bayes + 4 * math.sqrt(0.25 / 10_000)


def test_fisher_ratio_and_silhouette():
    cls = LatentClassificationModel(overlap=0.5, mixing_seed=5)
    d = sample(cls, 40_000, rng=6)
    x = np.hstack([d["x1"], d["x2"]])
    delta = cls.discriminability(["x1", "x2"])
    # over 8 seeds at this n the estimate is 0.181 +- 0.006 (sd) for 0.178: bias 0.004 + 4 sd
    assert estimators.fisher_ratio(x, d["y"]) == pytest.approx(delta**2 / 4, abs=0.004 + 4 * 0.006)
    assert estimators.fisher_ratio(x @ RNG.standard_normal((8, 8)), d["y"]) == pytest.approx(
        estimators.fisher_ratio(x, d["y"]), rel=1e-8
    )
    far = np.vstack([RNG.standard_normal((300, 2)), RNG.standard_normal((300, 2)) + 50])
    labels = np.repeat([0, 1], 300)
    assert estimators.silhouette(far, labels) > 0.95
    assert abs(estimators.silhouette(far, RNG.integers(0, 2, 600))) < 0.05


def test_estimated_latent_quality_matches_theory_for_a_given_encoder():
    model = LatentModel(overlap=0.3, mixing_seed=7)
    data = sample(model, 60_000, rng=8)
    x = np.hstack([data["x1"], data["x2"]])
    enc = np.random.default_rng(9).standard_normal((8, 2))
    cov = model.covariance()
    idx = list(model.block_indices(["x1", "x2"]))
    iy = model.block_indices("y")[0]
    beta = np.linalg.solve(cov[np.ix_(idx, idx)], cov[idx, iy])  # y = beta.x + e, Var(e) = Bayes risk
    exact = linear_latent_quality(cov[np.ix_(idx, idx)], beta, list(range(8)), enc)
    z = x @ enc
    est = estimators.latent_quality(
        z[:20_000], data["y"][:20_000], z[20_000:], data["y"][20_000:], model.bayes_risk(["x1", "x2"])
    )
    # test MSE over 40000 rows: sd = sqrt(2) * risk / sqrt(n_test)
    risk = exact + model.bayes_risk(["x1", "x2"])
    assert est == pytest.approx(exact, abs=4 * math.sqrt(2) * risk / math.sqrt(40_000) + 0.01)


def huang_eta(m: int, kept: int, reps: int, seed: int) -> np.ndarray:
    """eta of the OLS-direction encoder (latent dim 1) on the first ``kept`` of 10 isotropic features."""
    w = np.r_[np.full(5, 0.6), np.full(5, 0.3)]
    gen = np.random.default_rng(seed)
    out = np.empty(reps)
    for r in range(reps):
        x = gen.standard_normal((m, 10))
        y = x @ w + gen.standard_normal(m)
        w_hat, *_ = np.linalg.lstsq(x[:, :kept], y, rcond=None)
        out[r] = linear_latent_quality(np.eye(10), w, list(range(kept)), w_hat[:, None])
    return out


def test_huang_crossover_in_the_linear_case():
    # p1 = p2 = 5, w1 = 0.6, w2 = 0.3, sigma^2 = 1: at m = 15 fewer modalities are better, from
    # m = 20 on more are. At m = 100 the reference values are 0.0971 (both) and 0.5101 (x1 only),
    # from an independent Monte Carlo run of 8e5 repetitions (standard error 1e-4).
    reps = 1500
    for m, fewer_better in ((15, True), (20, False), (30, False)):
        both, one = huang_eta(m, 10, reps, m), huang_eta(m, 5, reps, 1000 + m)
        se = math.sqrt(both.var() / reps + one.var() / reps)
        gap = both.mean() - one.mean()
        assert (gap > 4 * se) if fewer_better else (gap < -4 * se)
    both, one = huang_eta(100, 10, reps, 100), huang_eta(100, 5, reps, 1100)
    for values, reference in ((both, 0.0971), (one, 0.5101)):
        se = math.sqrt(values.var() / reps + 1e-4**2)  # this run's standard error and the reference's
        assert values.mean() == pytest.approx(reference, abs=4 * se)
    # m = 100 >= 5p: the leading-order closed form is within its O(1/m^2) error (3 % here)
    for values, p, eta_star in ((both, 10, 0.0), (one, 5, 0.45)):
        closed = ols_encoder_latent_quality(100, p, eta_star, 1.0)
        assert values.mean() == pytest.approx(closed, rel=0.05, abs=4 * values.std() / math.sqrt(reps))


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: estimators.cka(A, A[:10]), "same number of samples"),
        (lambda: estimators.cka(A, A, "poly"), "kernel"),
        (lambda: estimators.cka(np.ones((10, 2)), A[:10]), "constant"),
        (lambda: estimators.cca_similarity(A[:8], A[:8]), "n > d_a"),
        (lambda: estimators.cca_similarity(np.hstack([A, A]), A), "linearly dependent"),
        (lambda: estimators.mcc(A, A, method="kendall"), "method"),
        (lambda: estimators.identifiability_r2(A[:6], A[:6], rng=0), "too few training rows"),
        (lambda: estimators.linear_probe(A, np.full(1500, np.nan)), "finite"),
        (lambda: estimators.linear_probe(A, A[:, 0], task="ranking"), "task"),
        (lambda: estimators.knn_probe_accuracy(A, np.arange(1500) % 2, k=0), "`k`"),
        (lambda: estimators.fisher_ratio(A, np.zeros(1500, int)), "two classes"),
        (lambda: estimators.latent_quality(A, A[:, :1], A, A[:, :1], -1.0), "reference_risk"),
        (lambda: estimators.svcca(A, A, keep=0.0), "keep"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()
