"""Experiments that suites run: ``f(params, rng) -> list of row dicts``.

Each experiment draws from a model with known truth, applies estimators or learners, and returns
tidy rows holding both the exact value (from theory/) and the measured one. ``params`` come from a
suite cell (defaults filled in from the decorator); ``rng`` is the cell-repetition's Generator.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

import numpy as np

from estimators import mutual_information, pid
from scipy.stats import chi2, norm

from theory import (
    LatentModel,
    SpuriousTrendModel,
    huang_latent_quality_bound,
    huang_risk_gap_bound,
    linear_latent_quality,
    linear_rademacher_bound,
    ols_test_risk,
)

from scipy.spatial import cKDTree

from ._learners import enrichment, missing_modality, translation, unimodal
from ._registry import get_model
from ._sample import sample

__all__ = ["estimator_accuracy", "huang_gap", "information_vs_overlap", "learning_curves", "lu_separation"]

Rows = list[dict[str, object]]


def experiment(**defaults: object) -> Callable:
    """Declare an experiment's parameters and defaults (suites reject any other parameter)."""

    def wrap(fn: Callable[[dict, np.random.Generator], Rows]) -> Callable[[dict, np.random.Generator], Rows]:
        @functools.wraps(fn)
        def run(params: dict, rng: np.random.Generator) -> Rows:
            unknown = set(params) - set(defaults)
            if unknown:
                raise ValueError(f"unknown parameters {sorted(unknown)}; {fn.__name__} takes {sorted(defaults)}")
            return fn({**defaults, **params}, rng)

        run.parameters = dict(defaults)  # type: ignore[attr-defined]
        return run

    return wrap


def _latent(p: dict) -> LatentModel:
    return LatentModel(overlap=p["overlap"], noise=p["noise"], target_noise=p["target_noise"], rng=p["model_seed"])


@experiment(overlap=0.5, n=2000, method="ksg", noise=0.5, target_noise=0.5, model_seed=0)
def information_vs_overlap(p: dict, rng: np.random.Generator) -> Rows:
    """I(y; x_S) for every modality subset, I(x1; x2) and the MMI PID atoms: exact and estimated.

    The estimated atoms apply the MMI definition (R = min(I1, I2), U_k = I_k - R,
    S = I_12 - I_1 - I_2 + R) to the estimated informations; nats.
    """
    model = _latent(p)
    data = sample(model, int(p["n"]), rng)
    x12 = np.hstack([data["x1"], data["x2"]])

    def est(a: np.ndarray, b: np.ndarray) -> float:
        return mutual_information(a, b, p["method"], rng=rng)

    i1, i2, i12 = est(data["x1"], data["y"]), est(data["x2"], data["y"]), est(x12, data["y"])
    exact = model.pid("x1", "x2")
    r = min(i1, i2)
    rows = [
        ("I(y;x1)", exact.mi1, i1),
        ("I(y;x2)", exact.mi2, i2),
        ("I(y;x1,x2)", exact.mi_joint, i12),
        ("I(x1;x2)", model.mutual_information("x1", "x2"), est(data["x1"], data["x2"])),
        ("redundancy", exact.redundancy, r),
        ("unique1", exact.unique1, i1 - r),
        ("unique2", exact.unique2, i2 - r),
        ("synergy", exact.synergy, i12 - i1 - i2 + r),
    ]
    return [{"quantity": q, "exact": float(e), "estimate": float(v)} for q, e, v in rows]


@experiment(model="gauss-2mod-overlap0.5", n=1000, method="ksg")
def estimator_accuracy(p: dict, rng: np.random.Generator) -> Rows:
    """Estimated I(y; x1), I(y; x2), I(y; x1, x2) against the registered model's exact values (nats)."""
    model = get_model(p["model"])
    data = sample(model, int(p["n"]), rng)
    rows = []
    for name, blocks in (("x1", ["x1"]), ("x2", ["x2"]), ("x1,x2", ["x1", "x2"])):
        x = np.hstack([data[b] for b in blocks])
        exact = model.mutual_information(blocks, "y")  # type: ignore[attr-defined]
        value = mutual_information(x, data["y"], p["method"], rng=rng)
        rows.append({"quantity": f"I(y;{name})", "exact": float(exact), "estimate": float(value)})
    return rows


@experiment(
    overlap=0.5, n_train=50, modalities="x1", learner="ols", n_test=5000, n_unlabeled=2000, noise=0.5,
    target_noise=0.5, model_seed=0,
)
def learning_curves(p: dict, rng: np.random.Generator) -> Rows:
    """Test MSE after n_train labeled samples, for a learner on the latent model.

    - ``learner="ols"``: least squares (no intercept) on ``modalities`` ("x1", "x2", "x1+x2");
      ``expected_risk`` is the exact ``sigma^2 (n - 1) / (n - p - 1)`` with sigma^2 the subset's
      Bayes risk (theory.ols_test_risk);
    - ``"enrichment"``: CCA of x1 with x2 on ``n_unlabeled`` unlabeled pairs (2 components), a head
      on x1's projection with the n_train labels, tested on x1 alone (co-learning);
    - ``"translation"``: the fused predictor with x2 translated from x1 at test time.
    The co-learning learners are tested on x1 and compared with x1's Bayes risk.
    """
    model = _latent(p)
    n, n_test = int(p["n_train"]), int(p["n_test"])
    data = sample(model, n + n_test, rng)
    train = {k: v[:n] for k, v in data.items()}
    test = {k: v[n:] for k, v in data.items()}
    learner = p["learner"]
    if learner == "ols":
        names = [m.strip() for m in str(p["modalities"]).split("+")]
        x = np.hstack([data[m] for m in names])
        y = data["y"][:, 0]
        w, *_ = np.linalg.lstsq(x[:n], y[:n], rcond=None)
        risk = float(np.mean((y[n:] - x[n:] @ w) ** 2))
        bayes = model.bayes_risk(names)
        expected = float(ols_test_risk(n, x.shape[1], bayes))
    elif learner == "enrichment":
        risk = enrichment(sample(model, int(p["n_unlabeled"]), rng), train, test).test_risk
        bayes, expected = model.bayes_risk(["x1"]), float("nan")
    elif learner == "translation":
        risk = translation(train, test).test_risk
        bayes, expected = model.bayes_risk(["x1"]), float("nan")
    else:
        raise ValueError(f"`learner` must be 'ols', 'enrichment' or 'translation'; got {learner!r}")
    return [{"test_risk": risk, "bayes_risk": float(bayes), "expected_risk": expected}]


@experiment(n=100, theta=1.0, low=0.01, noise=0.1, k=5, n_test=5000)
def lu_separation(p: dict, rng: np.random.Generator) -> Rows:
    """Lu (2023)'s motivating example: connection plus heterogeneity separate the learners.

    x1 ~ U[low, 1], second modality x2 = theta x1 (a bijective connection), label
    ``z = sin(1 / x2) + N(0, noise^2)``. The two-stage learner estimates theta from the pairs
    (median of x2 / x1), fits ``z ~ a sin(1 / x2) + b`` on (x2, z), and predicts from x1 alone as
    ``a sin(1 / (theta_hat x1)) + b``; the unimodal learner is k-nearest-neighbour regression of z
    on x1 (the function oscillates without bound as x1 -> 0, so it needs many samples). Test MSE on
    x1 only; the Bayes risk is noise^2. (Our parameters; Lu's are not published in the text.)
    """
    n, n_test = int(p["n"]), int(p["n_test"])
    theta, low, noise = float(p["theta"]), float(p["low"]), float(p["noise"])
    x = rng.uniform(low, 1.0, n)
    x2 = theta * x
    z = np.sin(1.0 / x2) + noise * rng.standard_normal(n)
    xt = rng.uniform(low, 1.0, n_test)
    zt = np.sin(1.0 / (theta * xt)) + noise * rng.standard_normal(n_test)
    theta_hat = float(np.median(x2 / x))
    coef, *_ = np.linalg.lstsq(np.c_[np.sin(1.0 / x2), np.ones(n)], z, rcond=None)
    two_stage = float(np.mean((zt - (coef[0] * np.sin(1.0 / (theta_hat * xt)) + coef[1])) ** 2))
    k = min(int(p["k"]), n)
    _, idx = cKDTree(x[:, None]).query(xt[:, None], k=k)
    knn = float(np.mean((zt - z[np.asarray(idx).reshape(n_test, -1)].mean(axis=1)) ** 2))
    bayes = noise**2
    return [
        {"learner": "two-stage", "test_mse": two_stage, "bayes_risk": bayes},
        {"learner": "unimodal-knn", "test_mse": knn, "bayes_risk": bayes},
    ]


@experiment(m=100, p1=5, p2=5, w1=0.6, w2=0.3, noise=1.0, delta=0.05, coverage=0.999)
def huang_gap(p: dict, rng: np.random.Generator) -> Rows:
    """Huang et al. (2021) Theorem 1 in the linear case: measured risk gap of M = {1, 2} over N = {1}.

    x ~ N(0, I_{p1+p2}), y = w.x + e (w = w1 on modality 1's coordinates, w2 on modality 2's),
    ERM = OLS on each subset (encoder: the OLS direction, head: its scale). Returns the exact
    population risk gap ``r(h_M g_M) - r(h_N g_N)`` (isotropic: sigma^2 + ||w_hat - w||^2 each),
    the latent-quality difference gamma = eta(g_M) - eta(g_N) (theory.linear_latent_quality) and
    the theorem's bound terms; and for Theorem 2 the measured eta(g_M) against its bound (empirical
    excess risk of the ERM over the true predictor on the training sample, plus complexity terms). The theorem needs a bounded, Lipschitz loss: here the squared loss on
    |y|, |y_hat| <= B with B the ``coverage`` quantile of |y| (C = 4 B^2, L = 4 B), and the
    Rademacher bound W X / sqrt(m) with W = 2 ||w|| and X the ``coverage`` quantile of ||x||:
    assumptions of this illustration, stated so that the numbers can be reproduced.
    """
    m, p1, p2 = int(p["m"]), int(p["p1"]), int(p["p2"])
    d = p1 + p2
    w = np.r_[np.full(p1, float(p["w1"])), np.full(p2, float(p["w2"]))]
    s2 = float(p["noise"])
    x = rng.standard_normal((m, d))
    y = x @ w + math.sqrt(s2) * rng.standard_normal(m)
    w_m, *_ = np.linalg.lstsq(x, y, rcond=None)
    w_n, *_ = np.linalg.lstsq(x[:, :p1], y, rcond=None)
    risk_m = s2 + float(np.sum((w_m - w) ** 2))
    risk_n = s2 + float(np.sum((np.r_[w_n, np.zeros(p2)] - w) ** 2))
    eye = np.eye(d)
    gamma = linear_latent_quality(eye, w, list(range(d)), w_m[:, None]) - linear_latent_quality(
        eye, w, list(range(p1)), w_n[:, None]
    )
    q = float(p["coverage"])
    b = float(norm.ppf(0.5 + q / 2) * math.sqrt(w @ w + s2))
    rad = linear_rademacher_bound(m, 2 * math.sqrt(w @ w), math.sqrt(chi2.ppf(q, d)))
    bound = huang_risk_gap_bound(m, gamma, rad, lipschitz=4 * b, loss_bound=4 * b * b, delta=float(p["delta"]))
    empirical_excess = float(np.mean((y - x @ w_m) ** 2) - np.mean((y - x @ w) ** 2))
    thm2 = huang_latent_quality_bound(
        m, empirical_excess, rad, rad, lipschitz=4 * b, loss_bound=4 * b * b, delta=float(p["delta"])
    )
    return [
        {
            "gap": risk_m - risk_n,
            "gamma": float(gamma),
            "bound": float(bound.total),
            "complexity": float(bound.complexity),
            "concentration": float(bound.concentration),
            "eta_M": float(linear_latent_quality(eye, w, list(range(d)), w_m[:, None])),
            "eta_M_bound": float(thm2.total),
        }
    ]


@experiment(model="and", n=10_000, measure="broja")
def canonical_pid(p: dict, rng: np.random.Generator) -> Rows:
    """Plug-in PID of n samples of a registered discrete model against its exact PID, in bits."""
    model = get_model(p["model"])
    data = sample(model, int(p["n"]), rng)
    est = pid(data["x1"], data["x2"], data["y"], p["measure"], base=2)
    exact = model.pid(p["measure"], base=2)  # type: ignore[attr-defined]
    return [
        {"quantity": a, "exact": float(getattr(exact, a)), "estimate": float(getattr(est, a)), "units": "bits"}
        for a in ATOMS
    ]


ATOMS = ("redundancy", "unique1", "unique2", "synergy")


@experiment(overlap=0.5, missing=0.0, learner="unimodal", n_labels=12, n_unlabeled=2000, n_test=5000, model_seed=0)
def colearning_sweep(p: dict, rng: np.random.Generator) -> Rows:
    """Co-learning on x1 against the overlap and the fraction of training rows whose x2 is missing.

    Training: ``n_labels`` labeled rows and ``n_unlabeled`` unlabeled pairs, x2 missing completely at
    random with probability ``missing`` in both. Learners, all tested on x1 alone: ``unimodal`` (least
    squares on x1), ``enrichment`` (CCA of x1 with the observed x2 of the unlabeled pairs),
    ``translation`` (fused predictor and x1 -> x2 map, ridge 1, from the labeled rows with x2), ``impute`` and
    ``translate`` (missing_modality with x2 completed). Default latent model, noise 0.5.
    """
    model = LatentModel(overlap=p["overlap"], rng=p["model_seed"])
    n, n_u = int(p["n_labels"]), int(p["n_unlabeled"])
    labeled, pool, test = sample(model, n, rng), sample(model, n_u, rng), sample(model, int(p["n_test"]), rng)
    seen_l, seen_u = rng.random(n) >= p["missing"], rng.random(n_u) >= p["missing"]
    learner = p["learner"]
    if learner == "unimodal":
        risk = unimodal(labeled, test).test_risk
    elif learner == "enrichment":
        risk = enrichment({k: v[seen_u] for k, v in pool.items()}, labeled, test).test_risk
    elif learner == "translation":
        risk = translation({k: v[seen_l] for k, v in labeled.items()}, test, ridge=1.0).test_risk
    elif learner in ("impute", "translate"):
        masked = {**labeled, "mask": np.column_stack([np.ones(n, bool), seen_l])}
        risk = missing_modality(masked, test, learner).extra["test_risk_without"]
    else:
        raise ValueError(f"`learner` must be unimodal, enrichment, translation, impute or translate; got {learner!r}")
    return [{"test_risk": float(risk), "bayes_risk": float(model.bayes_risk(["x1"]))}]


@experiment(strength=0.8, learner="x1", n_train=200, n_test=5000, overlap=0.5, model_seed=0)
def spurious_trend(p: dict, rng: np.random.Generator) -> Rows:
    """The planted spurious trend: least squares trained with the shortcut, tested where it is gone.

    ``learner``: ``"x1"`` (x1 with its spurious column), ``"x1+x2"`` (the auxiliary modality carries
    genuine signal, so the fit leans less on the shortcut) or ``"x1-clean"`` (x1 without the column:
    the oracle that knows the trend). Returns the test MSE, the exact large-sample shifted risk
    (theory.SpuriousTrendModel.shifted_risk; the clean learner's is the test Bayes risk of x1) and
    the test Bayes risk of the modalities used.
    """
    n, n_test = int(p["n_train"]), int(p["n_test"])
    model = SpuriousTrendModel(LatentModel(overlap=p["overlap"], rng=p["model_seed"]), p["strength"],
                               test_fraction=n_test / (n + n_test))
    data = sample(model, n + n_test, rng)
    test = data["test"][:, 0]
    learner = p["learner"]
    blocks = {"x1": ["x1"], "x1+x2": ["x1", "x2"], "x1-clean": ["x1"]}
    if learner not in blocks:
        raise ValueError(f"`learner` must be one of {sorted(blocks)}; got {learner!r}")
    x = np.hstack([data[b] for b in blocks[learner]])
    if learner == "x1-clean":
        x = x[:, :-1]
    y = data["y"][:, 0]
    w, *_ = np.linalg.lstsq(x[~test], y[~test], rcond=None)
    risk = float(np.mean((y[test] - x[test] @ w) ** 2))
    names = blocks[learner]
    shifted = model.test.bayes_risk(names) if learner == "x1-clean" else model.shifted_risk(names)
    return [{"test_risk": risk, "shifted_risk": float(shifted), "test_bayes_risk": float(model.test.bayes_risk(names))}]
