"""Latent-structure models: covariance, exact information, Bayes risk, overlap behaviour."""

import math

import numpy as np
import pytest
from hypothesis import given
from scipy.integrate import quad
from scipy.stats import norm

from modalinfo.theory import LatentClassificationModel, LatentModel, gaussian_mutual_information
from modalinfo.theory.strategies import latent_models


def test_covariance_layout_and_validity():
    m = LatentModel(obs_dims=(5, 4, 3), shared_dim=1, private_dims=(2, 1, 1), mixing_seed=1)
    assert m.block_names == ("z_shared", "z1", "z2", "z3", "x1", "x2", "x3", "y")
    cov = m.covariance()
    assert cov.shape == (1 + 4 + 12 + 1,) * 2
    assert np.all(np.linalg.eigvalsh(cov) > 0)
    lo = m.loadings()
    assert np.allclose(cov[np.ix_(m.block_indices("x1"), m.block_indices("z_shared"))], lo[:5, :1])


@pytest.mark.parametrize("overlap", [0.0, 0.3, 1.0])
def test_overlap_is_the_shared_fraction_of_signal_variance(overlap):
    m = LatentModel(overlap=overlap, mixing_seed=3)
    lo = m.loadings()
    shared = np.sum(lo[:4, :2] ** 2)
    private = np.sum(lo[:4, 2:4] ** 2)
    assert shared / (shared + private) == pytest.approx(overlap, abs=1e-12)


def test_same_seed_same_model_and_rng_types():
    a = LatentModel(mixing_seed=5).covariance()
    assert np.array_equal(a, LatentModel(mixing_seed=5).covariance())
    assert np.array_equal(a, LatentModel(mixing_seed=np.random.default_rng(5)).covariance())
    assert not np.array_equal(a, LatentModel(mixing_seed=6).covariance())


@given(latent_models(overlap=0.0))
def test_overlap_zero_makes_modalities_independent(m):
    assert m.mutual_information("x1", "x2") == pytest.approx(0.0, abs=1e-10)
    assert m.mutual_information("x1", "z_shared") == pytest.approx(0.0, abs=1e-10)


@given(latent_models(overlap=1.0))
def test_overlap_one_makes_modalities_views_of_the_shared_latents(m):
    # Conditionally independent given z_shared, and no private latent is seen.
    assert m.mutual_information("x1", "x2", given="z_shared") == pytest.approx(0.0, abs=1e-10)
    assert m.mutual_information("x1", "z1") == pytest.approx(0.0, abs=1e-10)


def test_symmetric_full_overlap_is_all_redundancy():
    m = LatentModel(overlap=1.0, noise_var=0.5, mixing=None, mixing_seed=2)
    r = m.pid("x1", "x2")
    # Equal noise and orthonormal mixings: both modalities see z_shared equally well.
    assert r.unique1 == pytest.approx(0.0, abs=1e-12) and r.unique2 == pytest.approx(0.0, abs=1e-12)
    assert r.redundancy == pytest.approx(r.mi1, abs=1e-12)


def test_redundancy_rises_with_overlap():
    # A target on the shared latents only: the modalities see more of it, and the same part of it.
    values = [
        LatentModel(overlap=w, shared_weights=[0.6, 0.6], private_weights=[[0, 0], [0, 0]], mixing_seed=0)
        .pid("x1", "x2")
        .redundancy
        for w in np.linspace(0, 1, 6)
    ]
    assert values[0] == pytest.approx(0.0, abs=1e-12)
    assert all(b > a for a, b in zip(values, values[1:]))


@given(latent_models())
def test_more_modalities_never_hurt(m):
    names = m.modality_names
    for k in range(1, len(names)):
        fewer, more = names[:k], names[: k + 1]
        assert m.mutual_information(list(more), "y") >= m.mutual_information(list(fewer), "y") - 1e-12
        assert m.bayes_risk(more) <= m.bayes_risk(fewer) + 1e-12
        assert m.latent_quality(more) <= m.latent_quality(fewer) + 1e-12
    assert m.latent_quality(names) == pytest.approx(0.0, abs=1e-12)
    assert m.bayes_risk(()) == pytest.approx(m.covariance()[-1, -1])


@given(latent_models())
def test_information_laws_on_named_blocks(m):
    # Chain rule, symmetry, and data processing z -> x -> (nothing more about y than z gives).
    lhs = m.mutual_information("y", ["x1", "x2"])
    rhs = m.mutual_information("y", "x1") + m.mutual_information("y", "x2", given="x1")
    assert lhs == pytest.approx(rhs, abs=1e-9)
    assert m.mutual_information("x1", "y") == pytest.approx(m.mutual_information("y", "x1"), abs=1e-12)
    latents = ["z_shared"] + [f"z{i + 1}" for i in range(m.n_modalities)]
    assert m.mutual_information("y", list(m.modality_names)) <= m.mutual_information("y", latents) + 1e-12
    assert m.mutual_information("y", list(m.modality_names), given=latents) == pytest.approx(0.0, abs=1e-9)


@given(latent_models())
def test_information_invariant_under_invertible_map_of_a_modality(m):
    cov = m.covariance()
    idx = list(m.block_indices("x1"))
    t = np.eye(cov.shape[0])
    rng = np.random.default_rng(0)
    t[np.ix_(idx, idx)] = rng.normal(size=(len(idx), len(idx))) + 3 * np.eye(len(idx))
    moved = t @ cov @ t.T
    y = m.block_indices("y")
    assert gaussian_mutual_information(moved, idx, y) == pytest.approx(m.mutual_information("x1", "y"), abs=1e-8)


def test_bayes_risk_matches_regression_residual():
    m = LatentModel(mixing_seed=4)
    cov = m.covariance()
    x, y = list(m.block_indices(["x1", "x2"])), m.block_indices("y")[0]
    beta = np.linalg.solve(cov[np.ix_(x, x)], cov[x, y])
    assert m.bayes_risk(["x1", "x2"]) == pytest.approx(cov[y, y] - cov[y, x] @ beta)
    # Gaussian: I(Y; X) = 1/2 log(Var y / Var(y | x)).
    assert m.mutual_information(["x1", "x2"], "y") == pytest.approx(
        0.5 * math.log(cov[y, y] / m.bayes_risk(["x1", "x2"]))
    )


# Classification -------------------------------------------------------------------------------


def _two_independent_views(delta_each):
    # d_s = 0, x_k = z_k + noise(1), class shift b_k on z_k: Delta_k^2 = b_k^2 / 2.
    b = delta_each * math.sqrt(2.0)
    return LatentClassificationModel(
        obs_dims=(1, 1),
        shared_dim=0,
        private_dims=(1, 1),
        overlap=0.0,
        noise_var=1.0,
        private_weights=[[b], [b]],
        mixing=[[[1.0]], [[1.0]]],
    )


def test_gaussian_bayes_error_closed_forms():
    m = _two_independent_views(2.0)
    assert m.discriminability("x1") == pytest.approx(2.0)
    assert m.bayes_risk("x1") == pytest.approx(0.1587, abs=5e-5)  # Phi(-1)
    assert m.bayes_risk(["x1", "x2"]) == pytest.approx(0.0786, abs=5e-5)  # Phi(-sqrt 2)
    assert m.bayes_risk(()) == 0.5


def test_discriminability_adds_in_squares():
    m = LatentClassificationModel(overlap=0.4, mixing_seed=2)
    d1, d12 = m.discriminability("x1"), m.discriminability(["x1", "x2"])
    cov, delta = m.covariance(), m.class_mean_difference()
    i1, i2 = list(m.block_indices("x1")), list(m.block_indices("x2"))
    cond = cov[np.ix_(i2, i2)] - cov[np.ix_(i2, i1)] @ np.linalg.solve(cov[np.ix_(i1, i1)], cov[np.ix_(i1, i2)])
    resid = delta[i2] - cov[np.ix_(i2, i1)] @ np.linalg.solve(cov[np.ix_(i1, i1)], delta[i1])
    assert d12**2 == pytest.approx(d1**2 + resid @ np.linalg.solve(cond, resid))


def test_class_information_matches_numerical_integral():
    m = _two_independent_views(1.3)
    d = m.discriminability(["x1", "x2"])
    # I(Y; X) = log 2 - E[log(1 + exp(-L))], L ~ N(d^2/2, d^2).
    expect = math.log(2) - quad(lambda l: norm.pdf(l, d * d / 2, d) * np.logaddexp(0, -l), -60, 80, epsabs=1e-13)[0]
    assert m.mutual_information("y", ["x1", "x2"]) == pytest.approx(expect, abs=1e-10)
    chain = m.mutual_information("y", "x1") + m.mutual_information("y", "x2", given="x1")
    assert chain == pytest.approx(m.mutual_information("y", ["x1", "x2"]), abs=1e-12)
    assert m.mutual_information("x1", "x2", given="y") == pytest.approx(0.0, abs=1e-12)
    assert m.mutual_information(["x1", "x2"], "y", base=2) <= 1.0


# Validation -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"obs_dims": (4,)}, "K >= 2"),
        ({"obs_dims": (4, 0)}, "obs_dims"),
        ({"overlap": 1.5}, r"\[0, 1\]"),
        ({"overlap": -0.1}, "overlap"),
        ({"overlap": float("nan")}, "overlap"),
        ({"shared_dim": 0, "overlap": 0.5}, "shared latents"),
        ({"private_dims": (0, 2), "overlap": 0.5}, "private latents"),
        ({"private_dims": (2,)}, "one entry per modality"),
        ({"noise_var": 0.0}, "noise_var"),
        ({"noise_var": (1.0, 1.0, 1.0)}, "noise_var"),
        ({"target_noise_var": -1.0}, "target_noise_var"),
        ({"shared_weights": [1.0]}, "shared_weights"),
        ({"private_weights": [[1.0, np.inf], [1.0, 1.0]]}, "private_weights"),
        ({"obs_dims": (3, 3)}, "random orthogonal mixing"),
        ({"mixing": [np.ones((4, 3)), np.ones((4, 4))]}, "shape"),
        ({"mixing": [np.c_[np.zeros((4, 2)), np.ones((4, 2))]] * 2}, "zero shared columns"),
    ],
)
def test_invalid_model(kwargs, message):
    with pytest.raises(ValueError, match=message):
        LatentModel(**kwargs)


def test_invalid_block_queries():
    m = LatentModel()
    with pytest.raises(ValueError, match="unknown block"):
        m.mutual_information("x3", "y")
    with pytest.raises(ValueError, match="disjoint"):
        m.mutual_information("x1", ["x1", "y"])
    with pytest.raises(ValueError, match="modalities"):
        m.bayes_risk(["y"])
    with pytest.raises(ValueError, match="repeated"):
        m.bayes_risk(["x1", "x1"])
    with pytest.raises(ValueError, match="dimension 0"):
        LatentModel(shared_dim=0, overlap=0.0).mutual_information("z_shared", "y")
    c = LatentClassificationModel()
    with pytest.raises(ValueError, match="Gaussian mixture"):
        c.mutual_information("x1", "x2")
    with pytest.raises(ValueError, match="only one"):
        c.mutual_information("y", "x1", given="y")
    with pytest.raises(ValueError, match="only 'y'"):
        c.mutual_information(["y", "x1"], "x2")
