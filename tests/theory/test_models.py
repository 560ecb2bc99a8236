"""Derived models: Student-t latents, discrete tables, group alignment, the spurious trend."""

import math

import numpy as np
import pytest
from scipy.stats import multivariate_t

from modalinfo.theory import (
    DiscreteModel,
    GroupAlignedModel,
    LatentModel,
    SpuriousTrendModel,
    StudentTLatentModel,
    canonical_pmf,
    gaussian_mutual_information,
    student_t_mutual_information,
)

SCALE = np.array([[1.0, 0.5, 0.2], [0.5, 1.0, 0.3], [0.2, 0.3, 1.0]])


@pytest.mark.parametrize("df", [1.0, 4.0])
def test_student_t_information_matches_monte_carlo_of_the_log_density_ratio(df):
    # I = E[log p(a, b) - log p(a) - log p(b)]; the mean of n iid log-ratios has sd/sqrt(n).
    rng = np.random.default_rng(11)
    joint = multivariate_t(np.zeros(3), SCALE, df=df)
    v = joint.rvs(200_000, random_state=rng)
    ratio = (
        joint.logpdf(v)
        - multivariate_t(np.zeros(1), SCALE[:1, :1], df=df).logpdf(v[:, :1])
        - multivariate_t(np.zeros(2), SCALE[1:, 1:], df=df).logpdf(v[:, 1:])
    )
    se = ratio.std() / math.sqrt(len(ratio))
    assert student_t_mutual_information(SCALE, [0], [1, 2], df=df) == pytest.approx(ratio.mean(), abs=4.5 * se)


def test_student_t_tends_to_gaussian_and_adds_dependence():
    gauss = gaussian_mutual_information(SCALE, [0], [1, 2])
    values = [student_t_mutual_information(SCALE, [0], [1, 2], df=df) for df in (1, 3, 10, 100, 1e6)]
    assert all(a > b for a, b in zip(values, values[1:]))
    assert values[-1] == pytest.approx(gauss, abs=1e-5)
    assert student_t_mutual_information(np.eye(2), [0], [1], df=1.0, base=2) > 0
    # chain rule: I(A; B, C) = I(A; C) + I(A; B | C)
    total = student_t_mutual_information(SCALE, [0], [1, 2], df=3.0)
    parts = student_t_mutual_information(SCALE, [0], [2], df=3.0) + student_t_mutual_information(
        SCALE, [0], [1], [2], df=3.0
    )
    assert total == pytest.approx(parts, abs=1e-12)


def test_student_t_latent_model_quantities():
    base = LatentModel(overlap=0.5, mixing_seed=2)
    m = StudentTLatentModel(df=5.0, overlap=0.5, mixing_seed=2)
    assert np.array_equal(m.scale_matrix(), base.covariance())
    assert np.allclose(m.covariance(), 5.0 / 3.0 * base.covariance())
    assert m.bayes_risk(["x1"]) == pytest.approx(5.0 / 3.0 * base.bayes_risk(["x1"]))
    assert m.mutual_information("x1", "y") > base.mutual_information("x1", "y")
    pid = m.pid("x1", "x2")
    assert pid.mi_joint == pytest.approx(m.mutual_information("y", ["x1", "x2"]))
    with pytest.raises(ValueError, match="infinite for `df` <= 2"):
        StudentTLatentModel(df=2.0).covariance()
    with pytest.raises(ValueError, match="df"):
        StudentTLatentModel(df=0.0)
    with pytest.raises(ValueError, match="df"):
        student_t_mutual_information(SCALE, [0], [1], df=-1.0)


def test_discrete_model_exact_values():
    xor = DiscreteModel.canonical("xor")
    assert xor.mutual_information("x1", "y") == pytest.approx(0.0, abs=1e-15)
    assert xor.mutual_information(["x1", "x2"], "y", base=2) == pytest.approx(1.0)
    assert xor.mutual_information("x1", "y", given="x2", base=2) == pytest.approx(1.0)
    assert xor.bayes_risk(["x1"]) == pytest.approx(0.5)
    assert xor.bayes_risk(["x1", "x2"]) == pytest.approx(0.0, abs=1e-15)
    assert xor.bayes_risk([]) == pytest.approx(0.5)
    assert xor.pid(base=2).synergy == pytest.approx(1.0, abs=1e-8)
    noisy = DiscreteModel.canonical("and", noise_prob=0.2)
    assert noisy.name == "and-noisy-0.2"
    assert noisy.bayes_risk(["x1", "x2"]) == pytest.approx(0.1)  # the uniform replacement is wrong half the time
    assert np.allclose(DiscreteModel(canonical_pmf("copy")).pmf(), canonical_pmf("copy"))


def test_discrete_model_rejects_bad_blocks():
    m = DiscreteModel.canonical("and")
    with pytest.raises(ValueError, match="must be among"):
        m.mutual_information("x3", "y")
    with pytest.raises(ValueError, match="disjoint"):
        m.mutual_information("x1", ["x1", "y"])
    with pytest.raises(ValueError, match="at least one block"):
        m.mutual_information([], "y")
    with pytest.raises(ValueError, match="modalities"):
        m.bayes_risk(["y"])
    with pytest.raises(ValueError, match="sum to 1"):
        DiscreteModel(np.full((2, 2, 2), 0.2))


def test_group_alignment_scales_the_cross_covariance_of_the_moved_modality():
    m = LatentModel(overlap=0.7, mixing_seed=4)
    assert np.array_equal(GroupAlignedModel(m, group_size=1, group_share=0.0).covariance(), m.covariance())
    same = GroupAlignedModel(m, group_size=4, group_share=1.0)
    assert np.allclose(same.covariance(), m.covariance())
    cut = GroupAlignedModel(m, group_size=4, group_share=0.0)
    assert cut.mutual_information("x1", "x2") == pytest.approx(0.0, abs=1e-12)
    assert cut.bayes_risk(["x2"]) == pytest.approx(m.covariance()[-1, -1])
    info = [
        GroupAlignedModel(m, group_size=4, group_share=rho).mutual_information("x1", "x2")
        for rho in (0.0, 0.3, 0.6, 1.0)
    ]
    assert all(a < b for a, b in zip(info, info[1:]))
    assert GroupAlignedModel(m, group_size=4, group_share=0.5).mutual_information("x1", "y") == pytest.approx(
        m.mutual_information("x1", "y")
    )


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"group_size": 0}, "group_size"),
        ({"group_share": 1.5}, "group_share"),
        ({"group_share": -0.1}, "group_share"),
        ({"moved": "x3"}, "moved"),
    ],
)
def test_group_alignment_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        GroupAlignedModel(LatentModel(), **kwargs)


def test_group_alignment_needs_a_gaussian_latent_model():
    with pytest.raises(ValueError, match="LatentModel"):
        GroupAlignedModel(StudentTLatentModel(), group_size=2, group_share=0.5)


def test_spurious_trend_exact_quantities():
    m = LatentModel(overlap=0.5, mixing_seed=0)
    r = 0.8
    sp = SpuriousTrendModel(m, strength=r)
    s_index = sp.train.block_indices("x1")[-1]
    iy = sp.train.block_indices("y")[0]
    train_cov, test_cov = sp.train.covariance(), sp.test.covariance()
    assert gaussian_mutual_information(train_cov, [s_index], [iy]) == pytest.approx(-0.5 * math.log(1 - r**2))
    assert gaussian_mutual_information(test_cov, [s_index], [iy]) == pytest.approx(0.0, abs=1e-14)
    # without s, both splits are the original model
    keep = [i for i in range(train_cov.shape[0]) if i != s_index]
    assert np.allclose(train_cov[np.ix_(keep, keep)], m.covariance())
    assert sp.test.bayes_risk(["x1"]) == pytest.approx(m.bayes_risk(["x1"]))
    assert sp.train.bayes_risk(["x1"]) < m.bayes_risk(["x1"])
    # the shortcut hurts at test time, and less when the genuine modality x2 is also used
    assert sp.shifted_risk(["x1"]) > sp.test.bayes_risk(["x1"])
    excess1 = sp.shifted_risk(["x1"]) - sp.test.bayes_risk(["x1"])
    excess12 = sp.shifted_risk(["x1", "x2"]) - sp.test.bayes_risk(["x1", "x2"])
    assert excess12 < excess1
    assert sp.shifted_risk(["x2"]) == pytest.approx(sp.test.bayes_risk(["x2"]))
    assert SpuriousTrendModel(m, strength=0.0).shifted_risk(["x1"]) == pytest.approx(m.bayes_risk(["x1"]))


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"strength": 1.0}, "strength"),
        ({"strength": -0.1}, "strength"),
        ({"strength": 0.5, "modality": "x9"}, "modality"),
        ({"strength": 0.5, "test_fraction": 1.0}, "test_fraction"),
        ({"strength": 0.5, "test_fraction": 0.0}, "test_fraction"),
    ],
)
def test_spurious_trend_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        SpuriousTrendModel(LatentModel(), **kwargs)
