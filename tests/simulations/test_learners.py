"""Encoders, heads and co-learning learners against exact risks from theory/."""

import math

import numpy as np
import pytest
from scipy.optimize import minimize

from modalinfo.estimators import (
    LogisticHead,
    RidgeHead,
    cca_encoder,
    early_fusion,
    enrichment,
    late_fusion,
    missing_modality,
    ols_encoder,
    pca_encoder,
    pls_encoder,
    translation,
    unimodal,
)
from modalinfo.simulations import MissingModalities, sample
from modalinfo.theory import LatentClassificationModel, LatentModel, ols_test_risk

MODEL = LatentModel(overlap=0.5, mixing_seed=0)


def risks(learner, n_train, reps, seed, **kwargs):
    out = [
        learner(sample(MODEL, n_train, seed + r), sample(MODEL, 4000, 10_000 + seed + r), **kwargs) for r in range(reps)
    ]
    return np.array([res.test_risk for res in out])


@pytest.mark.parametrize(
    ("learner", "kwargs", "names"),
    [
        (unimodal, {}, ["x1"]),
        (early_fusion, {}, ["x1", "x2"]),
    ],
)
def test_least_squares_learners_match_the_exact_ols_risk(learner, kwargs, names):
    # E[test MSE] = sigma^2 (1 + 1/n)(n - 2) / (n - p - 2) for least squares with an intercept,
    # sigma^2 the Bayes risk (exact, theory/)
    n, reps = 30, 300
    r = risks(learner, n, reps, 1, **kwargs)
    p = 4 * len(names)
    expected = ols_test_risk(n, p, MODEL.bayes_risk(names), intercept=True)
    assert r.mean() == pytest.approx(expected, abs=4 * r.std() / math.sqrt(reps))


def test_late_fusion_is_between_unimodal_and_early_fusion():
    train, test = sample(MODEL, 20_000, 1), sample(MODEL, 20_000, 2)
    early = early_fusion(train, test).test_risk
    average = late_fusion(train, test, combine="average").test_risk
    stack = late_fusion(train, test, combine="stack").test_risk
    best_uni = min(unimodal(train, test, modality=m).test_risk for m in ("x1", "x2"))
    tol = 4 * math.sqrt(2) * MODEL.bayes_risk(["x1"]) / math.sqrt(20_000)
    assert early <= stack + tol and stack <= average + tol and stack <= best_uni + tol


def test_enrichment_helps_with_overlap_and_stops_helping_without_it():
    # y on the shared latents only, auxiliary x2 clean: with overlap CCA finds the shared subspace
    # of x1 and the head needs 2 parameters instead of 4; without overlap x1 carries nothing about
    # y and no encoder can beat Var(y).
    def run(overlap):
        m = LatentModel(
            overlap=overlap,
            noise_var=(0.5, 0.05),
            private_weights=[[0, 0], [0, 0]],
            shared_weights=[1, 1],
            mixing_seed=0,
        )
        uni, enr = [], []
        for r in range(40):
            unl, lab, te = sample(m, 2000, r), sample(m, 8, 1000 + r), sample(m, 4000, 2000 + r)
            uni.append(unimodal(lab, te).test_risk)
            enr.append(enrichment(unl, lab, te).test_risk)
        return np.array(uni), np.array(enr), m.covariance()[-1, -1]

    uni, enr, _ = run(0.9)
    gain = uni - enr
    assert gain.mean() > 4 * gain.std() / math.sqrt(len(gain))
    _, enr0, var_y = run(0.0)
    assert enr0.mean() > var_y - 4 * enr0.std() / math.sqrt(len(enr0))


def test_translation_and_missing_modality():
    train, test = sample(MODEL, 20_000, 3), sample(MODEL, 20_000, 4)
    b1, b12 = MODEL.bayes_risk(["x1"]), MODEL.bayes_risk(["x1", "x2"])
    tol = 4 * math.sqrt(2) * b1 / math.sqrt(20_000)
    # a linear translation of x1 adds nothing beyond x1: the risk cannot beat x1's Bayes risk
    assert translation(train, test).test_risk >= b1 - tol
    data = sample(MissingModalities(MODEL, {"x2": 0.5}), 20_000, 5)
    imp, tra = missing_modality(data, test, "impute"), missing_modality(data, test, "translate")
    assert tra.extra["seen_fraction"] == pytest.approx(0.5, abs=4 * math.sqrt(0.25 / 20_000))
    for res in (imp, tra):
        assert res.test_risk == pytest.approx(b12, abs=0.05)  # all of x2 at test time
        assert res.extra["test_risk_without"] > res.test_risk
    # completing x2 by E[x2 | x1] makes the fused predictor E[y | x1] when x2 is absent at test
    assert tra.extra["test_risk_without"] == pytest.approx(b1, abs=tol + 0.01)
    assert imp.extra["test_risk_without"] > tra.extra["test_risk_without"]


def test_encoders():
    data = sample(MODEL, 50_000, 6)
    pca = pca_encoder(data["x1"], 3)
    assert np.allclose(pca.weights.T @ pca.weights, np.eye(3), atol=1e-12)
    var = pca.transform(data["x1"]).var(axis=0)
    assert np.all(np.diff(var) <= 0)
    cca = cca_encoder(data["x1"], data["x2"], 2)
    ccov = MODEL.covariance()
    i1, i2 = list(MODEL.block_indices("x1")), list(MODEL.block_indices("x2"))

    def inv_sqrt(s):
        vals, vecs = np.linalg.eigh(s)
        return (vecs / np.sqrt(vals)) @ vecs.T

    exact = np.linalg.svd(
        inv_sqrt(ccov[np.ix_(i1, i1)]) @ ccov[np.ix_(i1, i2)] @ inv_sqrt(ccov[np.ix_(i2, i2)]), compute_uv=False
    )
    z1 = cca.transform(data["x1"])
    z2 = cca_encoder(data["x2"], data["x1"], 2).transform(data["x2"])
    corr = np.abs([np.corrcoef(z1[:, k], z2[:, k])[0, 1] for k in range(2)])
    assert np.allclose(corr, exact[:2], atol=0.01)
    ols = ols_encoder(data["x1"], data["y"])
    coef, *_ = np.linalg.lstsq(np.c_[data["x1"], np.ones(50_000)], data["y"], rcond=None)
    assert np.allclose(ols.weights, coef[:-1], atol=1e-10)
    pls = pls_encoder(data["x1"], data["y"], 1)
    direction = (data["x1"] - data["x1"].mean(0)).T @ (data["y"] - data["y"].mean())
    assert abs(abs(pls.weights[:, 0] @ direction[:, 0]) / np.linalg.norm(direction) - 1) < 1e-10


def test_logistic_head_matches_direct_minimisation_and_the_bayes_error():
    cls = LatentClassificationModel(overlap=0.5, mixing_seed=1)
    d = sample(cls, 5000, 7)
    x = np.hstack([d["x1"], d["x2"]])
    head = LogisticHead.fit(x, d["y"], alpha=1e-3)
    y = d["y"][:, 0]

    def loss(theta):  # softmax with penalty alpha/2 (|w0|^2 + |w1|^2) is binary logistic with alpha/4 |w1 - w0|^2
        t = x @ theta[:-1] + theta[-1]
        return np.mean(np.logaddexp(0, t) - y * t) + 0.25e-3 * theta[:-1] @ theta[:-1]

    ref = minimize(loss, np.zeros(9), method="BFGS", options={"gtol": 1e-10}).x
    binary = np.r_[head.coef[:, 1] - head.coef[:, 0], head.intercept[1] - head.intercept[0]]
    assert np.allclose(binary, ref, atol=1e-4)
    test = sample(cls, 20_000, 8)
    err = np.mean(head.predict(np.hstack([test["x1"], test["x2"]])) != test["y"][:, 0])
    assert err == pytest.approx(cls.bayes_risk(["x1", "x2"]), abs=4 * math.sqrt(0.25 / 20_000) + 0.01)


D = sample(MODEL, 30, 9)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: unimodal(sample(MODEL, 5, 0), D), "more samples than dimensions"),
        (lambda: RidgeHead.fit(D["x1"], D["y"][:10]), "same number of samples"),
        (lambda: RidgeHead.fit(np.full((30, 2), np.nan), D["y"]), "finite"),
        (lambda: RidgeHead.fit(D["x1"], D["y"], alpha=-1.0), "alpha"),
        (lambda: pca_encoder(D["x1"], 9), "n_components"),
        (lambda: cca_encoder(D["x1"][:6], D["x2"][:6], 1), "more samples than dimensions"),
        (lambda: unimodal(D, D, modality="x7"), "no block"),
        (lambda: missing_modality(D, D), "mask"),
        (lambda: missing_modality(sample(MissingModalities(MODEL, {"x2": 0.2}), 30, 0), D, "drop"), "strategy"),
        (lambda: late_fusion(D, D, combine="vote"), "combine"),
        (lambda: LogisticHead.fit(D["x1"], np.zeros(30, dtype=int)), "two classes"),
        (lambda: LogisticHead.fit(D["x1"], np.arange(30) % 2, alpha=0.0), "alpha"),
        (lambda: pca_encoder(D["x1"], 2).transform(D["x2"][:, :3]), "columns"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_huang_theorem_1_in_the_linear_case():
    from modalinfo.simulations.suites import huang_gap

    def runs(m, reps=500):
        rows = [huang_gap({"m": m}, np.random.default_rng([m, s]))[0] for s in range(reps)]
        return {k: np.array([r[k] for r in rows]) for k in rows[0]}

    small, large, larger = runs(15), runs(100), runs(400)
    for r in (small, large, larger):
        assert np.all(r["gap"] <= r["bound"])  # the bound holds (it is loose: ~1e2-1e3 against gaps ~1)
        assert np.all(r["eta_M"] <= r["eta_M_bound"])  # Theorem 2 likewise
    se = lambda v: v.std() / math.sqrt(v.size)  # noqa: E731
    # population-risk crossover: fewer modalities better at m = 15, more from m = 100 on
    assert small["gap"].mean() > 4 * se(small["gap"]) and large["gap"].mean() < -4 * se(large["gap"])
    # the risk gap minus the latent-quality gap is the difference of the heads' scale errors,
    # (|w_hat| - w_hat.w / |w_hat|)^2 for each subset: O(1/m), so it vanishes as m grows
    diff100, diff400 = large["gap"] - large["gamma"], larger["gap"] - larger["gamma"]
    assert abs(diff400.mean()) < abs(diff100.mean()) + 4 * se(diff100)
    assert abs(diff400.mean()) < 0.005
