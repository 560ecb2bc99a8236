"""Learning with class labels: multinomial heads, every learner on a class target, models of the user's
(scikit-learn's convention), learning curves of a learner, and the fixed regression corner cases."""

import math

import numpy as np
import pytest

from modalinfo import estimators as E
from modalinfo.simulations import sample
from modalinfo.theory import LatentClassificationModel, LatentModel, MissingModalities

MODEL = LatentClassificationModel(
    obs_dims=(3, 3), shared_dim=1, private_dims=(1, 1), priors=(0.5, 0.3, 0.2), class_scales=(0.8, 1.0, 1.2)
)
TRAIN, TEST = sample(MODEL, 3000, rng=0), sample(MODEL, 20_000, rng=1)


def test_the_fused_logistic_head_nears_the_bayes_error_and_its_cross_entropy_the_information():
    result = E.early_fusion(TRAIN, TEST)
    assert result.task == "classification" and result.predictions.shape == (20_000, 3)
    bayes = MODEL.bayes_risk(["x1", "x2"])
    se = math.sqrt(bayes * (1 - bayes) / 20_000)
    # a linear head is not Bayes here (the class scales differ): above the Bayes error, not by much
    assert bayes - 4 * se <= result.test_risk <= bayes + 0.03
    # cross-entropy >= H(Y | X): the usable information H(Y) - CE is below I(Y; X)
    usable = MODEL.label_entropy - result.extra["test_cross_entropy"]
    assert usable <= MODEL.mutual_information(["x1", "x2"], "y") + 4 * 0.01
    assert np.allclose(result.predictions.sum(axis=1), 1.0)


@pytest.mark.parametrize(
    "learn",
    [
        lambda tr, te: E.unimodal(tr, te),
        lambda tr, te: E.late_fusion(tr, te),
        lambda tr, te: E.late_fusion(tr, te, combine="stack"),
        lambda tr, te: E.translation(tr, te),
        lambda tr, te: E.enrichment(tr, tr, te, n_components=2),
    ],
)
def test_every_learner_takes_a_class_label(learn):
    result = learn(TRAIN, TEST)
    assert result.task == "classification" and 0 <= result.test_risk < 1 - MODEL.priors.max()
    assert result.extra["test_cross_entropy"] > 0 and result.predictions.shape[1] == 3


def test_string_labels_and_missing_modalities():
    names = np.array(["cat", "dog", "eel"])
    train = {**TRAIN, "y": names[TRAIN["y"][:, 0]]}
    test = {**TEST, "y": names[TEST["y"][:, 0]]}
    codes = E.early_fusion(TRAIN, TEST)
    strings = E.early_fusion(train, test)
    assert strings.test_risk == codes.test_risk and list(strings.extra["classes"]) == list(names)
    missing = sample(MissingModalities(MODEL, {"x2": 0.4}), 3000, rng=2)
    result = E.missing_modality(missing, TEST, "translate")
    assert result.task == "classification" and "test_risk_without" in result.extra
    with pytest.raises(ValueError, match="continuous target"):
        E.missing_modality(missing, TEST, "ml")


class NearestMean:
    """A minimal model of the user's, in scikit-learn's convention."""

    def fit(self, x, y):
        self.classes_ = np.unique(y)
        self.means = np.array([x[y == c].mean(axis=0) for c in self.classes_])
        return self

    def predict_proba(self, x):
        d = -0.5 * ((x[:, None, :] - self.means[None]) ** 2).sum(axis=2)
        p = np.exp(d - d.max(axis=1, keepdims=True))
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, x):
        return self.classes_[np.argmax(self.predict_proba(x), axis=1)]


def test_a_model_of_the_users_is_cloned_and_used():
    model = NearestMean()
    result = E.early_fusion(TRAIN, TEST, model=model)
    assert not hasattr(model, "means")  # the caller's model is never fitted
    assert result.test_risk < 1 - MODEL.priors.max()


def test_a_learning_curve_of_a_learner_on_nested_subsamples():
    curve = E.learning_curve(E.early_fusion, TRAIN, test=TEST, sizes=[30, 120, 480], repetitions=4, rng=0)
    assert list(curve.n) == [30, 120, 480] and list(curve.count) == [4, 4, 4]
    assert curve.mean[0] > curve.mean[-1] and curve.samples.size == 12
    with pytest.raises(ValueError, match="sizes"):
        E.learning_curve(E.early_fusion, TRAIN, test=TEST, sizes=[10, 5000], rng=0)
    with pytest.raises(ValueError, match="failed on 2 training rows"):
        E.learning_curve(E.early_fusion, TRAIN, test=TEST, sizes=[2, 30], rng=0)


def test_regression_corner_cases_are_fixed():
    model = LatentModel(obs_dims=(3, 3), shared_dim=1, private_dims=(1, 1))
    train, test = sample(model, 400, rng=3), sample(model, 4000, rng=4)
    flat = {**train, "y": train["y"][:, 0]}
    # a 1-D target gives the risk of the (n, 1) one: no (n, n) broadcast
    assert E.unimodal(flat, test).test_risk == pytest.approx(E.unimodal(train, test).test_risk)
    # averaging per target column: with two copies of y, each column's average is y's
    two = {**train, "y": np.hstack([train["y"], train["y"]])}
    two_test = {**test, "y": np.hstack([test["y"], test["y"]])}
    assert E.late_fusion(two, two_test).test_risk == pytest.approx(E.late_fusion(train, test).test_risk)
    with pytest.raises(ValueError, match="alpha > 0"):
        E.unimodal({k: v[:3] for k, v in train.items()}, test)
    constant = {**train, "x1": np.hstack([train["x1"], np.zeros((400, 2))])}
    constant_test = {**test, "x1": np.hstack([test["x1"], np.zeros((4000, 2))])}
    assert E.unimodal(constant, constant_test).test_risk == pytest.approx(E.unimodal(train, test).test_risk)


def test_curve_fits_take_no_resamples_and_stay_well_defined():
    ns = np.repeat([20, 40, 80, 160, 320], 6)
    risk = 2.0 * ns**-0.7 + 0.1
    fit = E.fit_power_law(ns, risk, n_resamples=0)
    assert fit.ci == {} and fit.params["b"] == pytest.approx(0.7, abs=1e-3)
    estimate, low, high = fit.samples_to_epsilon(0.2)
    assert np.isfinite(estimate[0]) and np.isnan(low[0]) and np.isnan(high[0])
