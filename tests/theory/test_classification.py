"""Class-label latent models: K classes, priors and class scales; exact (quadrature) information against
Monte Carlo with the full-dimensional posterior, the chain rule, I <= H(Y), the PID measures."""

import math

import numpy as np
import pytest
from scipy.special import logsumexp

from modalinfo.simulations import sample
from modalinfo.theory import LatentClassificationModel


def _model(**kw):
    base = {"obs_dims": (3, 4), "shared_dim": 1, "private_dims": (1, 1), "mixing_seed": 3}
    return LatentClassificationModel(**{**base, **kw})


def _full_log_posterior(model, blocks, data):
    """log p(y | x_B) from the class-conditional Gaussians in the full (unreduced) space."""
    idx = list(model.block_indices(blocks))
    x = np.hstack([data[b] for b in blocks])
    logs = []
    for c in range(model.n_classes):
        cov = model.covariance(c)[np.ix_(idx, idx)]
        mean = np.concatenate([model.class_means[c], model.loadings() @ model.class_means[c]])[idx]
        chol = np.linalg.cholesky(cov)
        z = np.linalg.solve(chol, (x - mean).T)
        logs.append(np.log(model.priors[c]) - 0.5 * np.sum(z * z, axis=0) - np.log(np.diag(chol)).sum())
    logs = np.array(logs).T
    return logs - logsumexp(logs, axis=1, keepdims=True)


@pytest.mark.parametrize(
    "kw",
    [
        {"priors": (0.5, 0.3, 0.2), "class_scales": (0.6, 1.0, 1.6)},  # unequal: reduced to range(L_k)
        {"priors": (0.7, 0.2, 0.1)},  # equal scales: reduced to the span of the mean differences
        {"priors": (0.8, 0.2), "class_scales": (1.0, 2.0)},
    ],
)
def test_information_matches_monte_carlo_with_the_full_posterior(kw):
    model = _model(**kw)
    n = 200_000
    data = sample(model, n, rng=5)
    y = data["y"][:, 0]
    for blocks in (["x1"], ["x2"], ["x1", "x2"], ["z_shared"]):
        terms = _full_log_posterior(model, blocks, data)[np.arange(n), y] - np.log(model.priors[y])
        mc, se = terms.mean(), terms.std(ddof=1) / math.sqrt(n)
        exact = model.mutual_information(blocks, "y")
        assert abs(exact - mc) <= 4 * se + model.quadrature_error(blocks), (blocks, exact, mc, se)
        assert 0 < exact < model.label_entropy


def test_chain_rule_specific_information_and_the_pid():
    model = _model(priors=(0.5, 0.3, 0.2), class_scales=(0.6, 1.0, 1.6))
    i1, i2 = model.mutual_information("x1", "y"), model.mutual_information("x2", "y")
    i12 = model.mutual_information(["x1", "x2"], "y")
    assert model.mutual_information("x1", "y", given="x2") == pytest.approx(i12 - i2, abs=1e-12)
    spec = model.specific_information("x1")
    assert float(np.dot(model.priors, spec)) == pytest.approx(i1, abs=model.quadrature_error("x1"))
    imin, mmi = model.pid(measure="imin"), model.pid(measure="mmi")
    assert imin.redundancy <= mmi.redundancy + 1e-12 and mmi.redundancy == pytest.approx(min(i1, i2))
    for result in (imin, mmi):
        assert result.mi_joint == pytest.approx(i12) and min(result.unique1, result.unique2) >= -1e-12
    with pytest.raises(ValueError, match="Gaussian mixture"):
        model.mutual_information("x1", "x2")


def test_bayes_error_against_monte_carlo():
    model = _model(priors=(0.5, 0.3, 0.2), class_scales=(0.6, 1.0, 1.6))
    n = 200_000
    data = sample(model, n, rng=6)
    wrong = np.argmax(_full_log_posterior(model, ["x1", "x2"], data), axis=1) != data["y"][:, 0]
    se = math.sqrt(wrong.mean() * (1 - wrong.mean()) / n)
    assert abs(model.bayes_risk(["x1", "x2"]) - wrong.mean()) <= 4 * se + 2e-3  # + the quadrature's kink error


def test_two_classes_with_unequal_priors_use_the_closed_form():
    model = _model(priors=(0.8, 0.2))
    delta = model.discriminability("x1")
    t = math.log(4.0)
    from scipy.special import ndtr

    assert model.bayes_risk("x1") == pytest.approx(
        0.8 * ndtr(-delta / 2 + t / delta) + 0.2 * ndtr(-delta / 2 - t / delta)
    )


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"priors": (0.5, 0.6)}, "priors"),
        ({"priors": (1.0,)}, "priors"),
        ({"priors": (0.5, 0.5), "class_scales": (1.0, -1.0)}, "class_scales"),
        ({"priors": (0.5, 0.5), "class_means": np.zeros((3, 3))}, "class_means"),
    ],
)
def test_bad_parameters(kw, match):
    with pytest.raises(ValueError, match=match):
        _model(**kw)


def test_too_many_class_relevant_dimensions_are_refused():
    model = LatentClassificationModel(priors=(0.5, 0.5), class_scales=(1.0, 2.0))  # 4 + 4 latent-driven dims
    assert model.mutual_information("x1", "y") > 0
    with pytest.raises(ValueError, match="class-relevant dimensions"):
        model.mutual_information(["x1", "x2"], "y")
