"""Samplers: moments and frequencies against theory/, invertible maps, masks, determinism, bad input."""

import hashlib
import math
import os
import subprocess
import sys

import numpy as np
import pytest
from scipy.stats import chi2, norm

from modalinfo import simulations
from modalinfo.simulations import MissingModalities, NonlinearMixing, get_model, model_names, register_model, sample
from modalinfo.theory import (
    DiscreteModel,
    GroupAlignedModel,
    LatentClassificationModel,
    LatentModel,
    SpuriousTrendModel,
    StudentTLatentModel,
    mixture_pmf,
)


def joint(samples, names):
    return np.concatenate([samples[name].astype(float) for name in names], axis=1)


def assert_second_moments(v, cov, alpha=1e-3, fourth=None):
    """Each entry of the known-mean second-moment matrix within a Bonferroni z of its standard error.

    Gaussian: Var(v_i v_j) = S_ii S_jj + S_ij^2 (Isserlis); ``fourth`` overrides it.
    """
    n = v.shape[0]
    emp = v.T @ v / n
    var = fourth if fourth is not None else np.outer(np.diag(cov), np.diag(cov)) + cov**2
    m = cov.shape[0] * (cov.shape[0] + 1) // 2
    z = norm.isf(alpha / (2 * m))
    assert np.all(np.abs(emp - cov) <= z * np.sqrt(var / n)), np.max(np.abs(emp - cov) / np.sqrt(var / n))


def test_linear_gaussian_covariance_converges_to_theory():
    m = LatentModel(
        obs_dims=(5, 3, 4), shared_dim=2, private_dims=(2, 1, 2), overlap=0.4, noise_var=(0.3, 0.5, 1.0), mixing_seed=3
    )
    s = sample(m, 40_000, rng=1)
    assert_second_moments(joint(s, m.block_names), m.covariance())


def test_classification_labels_means_and_within_class_covariance():
    m = LatentClassificationModel(overlap=0.6, mixing_seed=2)
    s = sample(m, 40_000, rng=2)
    y = s["y"][:, 0]
    assert set(np.unique(y)) == {0, 1}
    n = len(y)
    assert abs(y.mean() - 0.5) <= 4 * math.sqrt(0.25 / n)
    v = joint(s, m.block_names)  # the classification model has no Gaussian "y" block
    centred = v - (y[:, None] - 0.5) * m.class_mean_difference()
    assert_second_moments(centred, m.covariance())


def test_k_classes_with_priors_and_class_scales():
    m = LatentClassificationModel(
        obs_dims=(3, 3), shared_dim=1, private_dims=(1, 1), priors=(0.5, 0.3, 0.2), class_scales=(0.6, 1.0, 1.6)
    )
    n = 60_000
    s = sample(m, n, rng=4)
    y = s["y"][:, 0]
    counts = np.bincount(y, minlength=3) / n
    assert np.all(np.abs(counts - m.priors) <= 4 * np.sqrt(m.priors * (1 - m.priors) / n))
    v = joint(s, m.block_names)
    for c in range(3):
        rows = v[y == c]
        mean = np.concatenate([m.class_means[c], m.loadings() @ m.class_means[c]])
        assert_second_moments(rows - mean, m.covariance(c))


def test_student_t_second_moments():
    df = 9.0
    m = StudentTLatentModel(df=df, obs_dims=(2, 2), shared_dim=1, private_dims=(1, 1), mixing_seed=1)
    s = sample(m, 100_000, rng=3)
    cov = m.covariance()
    scale = m.scale_matrix()
    d = np.diag(scale)
    # E[v_i^2 v_j^2] = df^2 / ((df-2)(df-4)) (S_ii S_jj + 2 S_ij^2) for the multivariate t.
    fourth = df**2 / ((df - 2) * (df - 4)) * (np.outer(d, d) + 2 * scale**2) - cov**2
    assert_second_moments(joint(s, m.block_names), cov, fourth=fourth)
    # heavier tails than the Gaussian model: kurtosis of y well above 3
    y = s["y"][:, 0]
    assert np.mean(y**4) / np.mean(y**2) ** 2 > 3.5


@pytest.mark.parametrize("name", ["xor", "and", "copy", "or-noisy-0.1", "mixture-rdn-unq-xor"])
def test_discrete_frequencies_match_the_pmf(name):
    model = get_model(name)
    n = 50_000
    s = sample(model, n, rng=4)
    p = model.pmf()
    counts = np.zeros(p.shape)
    np.add.at(counts, (s["x1"][:, 0], s["x2"][:, 0], s["y"][:, 0]), 1)
    assert counts[p == 0].sum() == 0
    expected = n * p[p > 0]
    stat = np.sum((counts[p > 0] - expected) ** 2 / expected)
    assert stat < chi2.isf(1e-3, df=expected.size - 1)


@pytest.mark.parametrize("kind", ["asinh", "halfcube", "cube", "wiggly"])
def test_elementwise_maps_are_exactly_invertible(kind):
    base = LatentModel(overlap=0.5, mixing_seed=0)
    wrapped = NonlinearMixing(base, kind)
    a, b = sample(wrapped, 2000, rng=7), sample(base, 2000, rng=7)
    inverse = {
        "asinh": np.sinh,
        "halfcube": lambda t: np.sign(t) * np.abs(t) ** (2 / 3),
        "cube": np.cbrt,
    }
    if kind in inverse:
        assert np.allclose(inverse[kind](a["x1"]), b["x1"], rtol=1e-9, atol=1e-12)
    else:  # wiggly: strictly increasing, so the order of every column is kept
        assert np.array_equal(np.argsort(a["x2"], axis=0), np.argsort(b["x2"], axis=0))
    assert np.array_equal(a["y"], b["y"])
    assert wrapped.mutual_information("x1", "y") == base.mutual_information("x1", "y")
    assert wrapped.bayes_risk(["x1", "x2"]) == base.bayes_risk(["x1", "x2"])


def test_network_map_is_invertible_layer_by_layer():
    base = LatentModel(overlap=0.3, mixing_seed=0)
    net = NonlinearMixing(base, ["network", "identity"], depth=3, slope=0.25, network_seed=5)
    a, b = sample(net, 3000, rng=9), sample(base, 3000, rng=9)
    h = a["x1"]
    for w, bias in reversed(net.layers["x1"]):
        h = np.where(h < 0, h / 0.25, h)
        h = np.linalg.solve(w, (h - bias).T).T
    assert np.allclose(h, b["x1"], atol=1e-9)
    assert np.array_equal(a["x2"], b["x2"])
    for w, _ in net.layers["x1"]:
        sv = np.linalg.svd(w, compute_uv=False)
        assert sv.max() / sv.min() <= 3.0 + 1e-12


def test_missing_modalities_mask_and_zero_fill():
    base = LatentModel(obs_dims=(3, 3, 3), shared_dim=1, private_dims=(1, 1, 1), mixing_seed=0)
    m = MissingModalities(base, {"x2": 0.3, "x3": 0.0})
    n = 20_000
    s, full = sample(m, n, rng=5), sample(base, n, rng=5)
    mask = s["mask"]
    assert mask.shape == (n, 3) and mask.dtype == bool
    assert mask[:, 0].all() and mask[:, 2].all()
    assert abs((~mask[:, 1]).mean() - 0.3) <= 4 * math.sqrt(0.21 / n)
    assert np.array_equal(s["x2"][mask[:, 1]], full["x2"][mask[:, 1]])
    assert not np.any(s["x2"][~mask[:, 1]])
    assert np.array_equal(s["x1"], full["x1"])
    assert m.mutual_information("x1", "y") == base.mutual_information("x1", "y")


def test_missing_modalities_on_a_discrete_model():
    s = sample(MissingModalities(DiscreteModel.canonical("xor"), {"x1": 0.5}), 1000, rng=0)
    assert s["x1"].dtype == np.int64 and not np.any(s["x1"][~s["mask"][:, 0]])


def test_spurious_trend_train_and_test_rows():
    model = SpuriousTrendModel(LatentModel(overlap=0.5, mixing_seed=0), strength=0.7, test_fraction=0.4)
    n = 20_000
    s = sample(model, n, rng=6)
    test = s["test"][:, 0]
    assert test.sum() == 8000 and test[-8000:].all()
    assert s["x1"].shape == (n, 5)
    train_v = joint({k: v[~test] for k, v in s.items()}, model.train.block_names)
    test_v = joint({k: v[test] for k, v in s.items()}, model.test.block_names)
    assert_second_moments(train_v, model.train.covariance())
    assert_second_moments(test_v, model.test.covariance())


def test_group_alignment_pairs_within_groups_and_matches_the_scaled_covariance():
    base = LatentModel(overlap=0.8, noise_var=0.2, mixing_seed=1)
    model = GroupAlignedModel(base, group_size=5, group_share=0.4)
    s = sample(model, 40_000, rng=8)
    assert_second_moments(joint(s, base.block_names), model.covariance())
    assert np.array_equal(
        sample(GroupAlignedModel(base, group_size=1, group_share=0.4), 100, 3)["x2"], sample(base, 100, 3)["x2"]
    )


def test_same_seed_same_sample_and_generators_advance():
    m = get_model("gauss-2mod-overlap0.5")
    a, b = sample(m, 500, rng=3), sample(m, 500, rng=np.random.SeedSequence(3))
    assert all(np.array_equal(a[k], b[k]) for k in a)
    gen = np.random.default_rng(3)
    first, second = sample(m, 500, gen), sample(m, 500, gen)
    assert all(np.array_equal(a[k], first[k]) for k in a)
    assert not np.array_equal(first["x1"], second["x1"])
    assert not np.array_equal(a["x1"], sample(m, 500, rng=4)["x1"])


def digest(samples):
    h = hashlib.sha256()
    for key in sorted(samples):
        h.update(key.encode())
        h.update(np.ascontiguousarray(samples[key]).tobytes())
    return h.hexdigest()


DETERMINISM_MODELS = ["network-2mod-overlap0.5", "student-t3-2mod-overlap0.5", "xor-noisy-0.1", "missing-x2-0.3"]


@pytest.mark.parametrize("name", DETERMINISM_MODELS)
def test_bit_identical_for_any_sampler_thread_count(name, monkeypatch):
    n = 3 * simulations._streams.CHUNK_ROWS + 17
    digests = set()
    for threads in ("1", "2", "3"):
        monkeypatch.setenv("MODALINFO_SAMPLER_THREADS", threads)
        digests.add(digest(sample(name, n, rng=12)))
    assert len(digests) == 1


def test_bit_identical_whatever_numba_num_threads():
    code = (
        "import hashlib, numpy as np; from simulations import sample; h = hashlib.sha256()\n"
        f"for name in {DETERMINISM_MODELS!r}:\n"
        "    s = sample(name, 70000, rng=1)\n"
        "    for k in sorted(s): h.update(np.ascontiguousarray(s[k]).tobytes())\n"
        "print(h.hexdigest())"
    )
    outs = set()
    for threads in ("1", "2"):
        env = {**os.environ, "NUMBA_NUM_THREADS": threads, "MODALINFO_SAMPLER_THREADS": threads}
        run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        outs.add(run.stdout.strip())
    assert len(outs) == 1


def test_every_registered_model_samples_and_knows_its_truth():
    for name in model_names():
        model = get_model(name)
        s = sample(model, 40, rng=0)
        assert all(v.shape[0] == 40 for v in s.values())
        assert all(np.all(np.isfinite(v)) for v in s.values() if v.dtype.kind == "f")
        truth = model.train if isinstance(model, SpuriousTrendModel) else model
        assert truth.mutual_information(["x1", "x2"], "y") > 0


def test_register_model():
    register_model("test-mixture", lambda: DiscreteModel(mixture_pmf({"rdn": 1, "xor": 2})))
    assert "test-mixture" in model_names()
    assert sample("test-mixture", 10, 0)["y"].shape == (10, 1)
    with pytest.raises(ValueError, match="already registered"):
        register_model("test-mixture", lambda: None)
    with pytest.raises(ValueError, match="callable"):
        register_model("other", 3)
    with pytest.raises(ValueError, match="non-empty string"):
        register_model("", lambda: None)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: sample(LatentModel(), 0), "`n`"),
        (lambda: sample(LatentModel(), 2.5), "`n`"),
        (lambda: sample("no-such-model", 10), "unknown model"),
        (lambda: sample(object(), 10), "`model` must be one of"),
        (
            lambda: sample(GroupAlignedModel(LatentModel(), group_size=4, group_share=0.5), 10),
            "multiple of the group size",
        ),
        (lambda: sample(SpuriousTrendModel(LatentModel(), strength=0.5), 1), ">= 2"),
        (lambda: LatentModel(overlap=1.5), "overlap"),
        (lambda: LatentModel(noise_var=-1.0), "noise"),
        (lambda: MissingModalities(LatentModel(), {"x2": 1.0}), r"\[0, 1\)"),
        (lambda: MissingModalities(LatentModel(), {"x2": -0.1}), r"\[0, 1\)"),
        (lambda: MissingModalities(LatentModel(), {"x5": 0.1}), "keys"),
        (lambda: MissingModalities(LatentModel(), [0.1]), "map modality names"),
        (lambda: NonlinearMixing(LatentModel(), "sigmoid"), "maps"),
        (lambda: NonlinearMixing(LatentModel(), ["asinh"]), "one per modality"),
        (lambda: NonlinearMixing(LatentModel(), depth=0), "depth"),
        (lambda: NonlinearMixing(LatentModel(), slope=1.0), "slope"),
        (lambda: NonlinearMixing(DiscreteModel.canonical("xor")), "`model` must be"),
    ],
)
def test_bad_arguments_raise_value_error(call, match):
    with pytest.raises(ValueError, match=match):
        call()
