"""PID from samples against theory's exact PID; the modality report; bad input."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modalinfo.estimators import modality_report, pid
from modalinfo.simulations import sample
from modalinfo.theory import DiscreteModel, LatentModel

ATOMS = ("redundancy", "unique1", "unique2", "synergy")


@pytest.mark.parametrize("name", ["and", "or", "xor", "rdn", "unq", "copy"])
def test_canonical_models_converge_within_a_hundredth_of_a_bit(name):
    # n = 1e4: the mean over 10 samples is within 0.01 bits of the exact atoms (the plug-in bias
    # is O(1/n)); single estimates scatter by their sampling sd (0.0055 bits for AND's R).
    model = DiscreteModel.canonical(name)
    exact = model.pid(base=2)
    errors = []
    for seed in range(10):
        data = sample(model, 10_000, rng=seed)
        est = pid(data["x1"], data["x2"], data["y"], base=2)
        assert est.method == "discrete"
        errors.append([getattr(est, a) - getattr(exact, a) for a in ATOMS])
    errors = np.array(errors)
    assert np.all(np.abs(errors.mean(axis=0)) <= 0.01)
    assert np.all(errors.std(axis=0, ddof=1) <= 0.01)  # sampling sd ~ 1/sqrt(n) scale, not a solver error


@pytest.mark.parametrize("measure", ["broja", "imin", "mmi"])
def test_noisy_mixture_converges_and_atoms_sum_to_totals(measure):
    model = DiscreteModel.canonical("and", noise_prob=0.1)
    data = sample(model, 40_000, rng=2)
    est = pid(data["x1"], data["x2"], data["y"], measure)
    exact = model.pid(measure=measure)
    for atom in ATOMS:
        assert getattr(est, atom) == pytest.approx(getattr(exact, atom), abs=0.01)
    assert est.redundancy + est.unique1 == pytest.approx(est.mi1, abs=1e-12)
    assert est.redundancy + est.unique1 + est.unique2 + est.synergy == pytest.approx(est.mi_joint, abs=1e-12)


def gaussian_sd(info: float, n: int) -> float:
    """Delta-method sd of the Gaussian estimate of I(Y; X) for scalar Y: rho^2 = 1 - exp(-2 I)."""
    return math.sqrt((1.0 - math.exp(-2.0 * info)) / n)


@pytest.mark.parametrize("overlap", [0.0, 0.25, 0.5, 0.75, 1.0])
def test_gaussian_pid_matches_theory_across_overlap(overlap):
    model = LatentModel(overlap=overlap, mixing_seed=3)
    n = 20_000
    data = sample(model, n, rng=4)
    est = pid(data["x1"], data["x2"], data["y"], "mmi")
    exact = model.pid("x1", "x2")
    assert est.method == "gaussian"
    sds = [gaussian_sd(v, n) for v in (exact.mi1, exact.mi2, exact.mi_joint)]
    assert est.redundancy == pytest.approx(exact.redundancy, abs=4 * max(sds[:2]))
    assert est.synergy == pytest.approx(exact.synergy, abs=4 * sum(sds) + 4 * max(sds[:2]))
    assert est.mi_joint == pytest.approx(exact.mi_joint, abs=4 * sds[2])


@settings(max_examples=15)
@given(seed=st.integers(0, 2**32 - 1), noise1=st.floats(0.2, 2.0), noise2=st.floats(0.2, 2.0))
def test_redundancy_rises_with_overlap_when_the_target_is_shared(seed, noise1, noise2):
    # y on the shared latents only: each modality's signal about y grows with the overlap, so
    # I(Y; X_k) and the MMI redundancy min_k I(Y; X_k) rise monotonically (exact, theory/).
    values = []
    for overlap in (0.1, 0.3, 0.5, 0.7, 0.9):
        m = LatentModel(
            overlap=overlap, noise_var=(noise1, noise2), private_weights=[[0.0, 0.0], [0.0, 0.0]], mixing_seed=seed
        )
        values.append(m.pid("x1", "x2").redundancy)
    assert all(a < b for a, b in zip(values, values[1:]))


def test_discretisation_loses_information_as_bins_shrink():
    model = LatentModel(overlap=0.5, mixing_seed=5)
    data = sample(model, 20_000, rng=6)
    truth = model.mutual_information(["x1", "x2"], "y")
    totals = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        for bins in (2, 4, 8):
            est = pid(data["x1"], data["x2"], data["y"], "broja", method="discretize", bins=bins, rng=0)
            totals[bins] = est.mi_joint
            assert est.redundancy + est.unique1 + est.unique2 + est.synergy == pytest.approx(est.mi_joint, abs=1e-12)
    # data processing: clustering keeps at most the information (plus the plug-in bias, at most
    # (64 - 1)(8 - 1) / 2n = 0.011 nats for 8 bins, and 4 sd of the estimate)
    assert totals[2] < totals[4] < totals[8] <= truth + 0.011 + 4 * gaussian_sd(truth, 20_000)
    assert totals[8] > 0.5 * truth


def test_bootstrap_cis_are_reproducible_and_cover_the_estimate():
    data = sample(LatentModel(overlap=0.5, mixing_seed=0), 3000, rng=7)
    a = pid(data["x1"], data["x2"], data["y"], "mmi", n_resamples=40, rng=1)
    b = pid(data["x1"], data["x2"], data["y"], "mmi", n_resamples=40, rng=1)
    assert a.ci == b.ci and set(a.ci) == {*ATOMS, "mi1", "mi2", "mi_joint"}
    low, high = a.ci["mi_joint"]
    assert low < a.mi_joint < high
    assert a.as_dict()["synergy_low"] == a.ci["synergy"][0]


def test_modality_report_on_xor_and_gaussian():
    data = sample(DiscreteModel.canonical("xor"), 20_000, rng=8)
    table = modality_report({"a": data["x1"], "b": data["x2"]}, data["y"], measure="broja", base=2)
    value = table.set_index(["subset", "quantity"])["value"]
    assert value["a", "I(Y;X)"] == pytest.approx(0.0, abs=0.01)
    assert value["a", "I(Y;X|rest)"] == pytest.approx(1.0, abs=0.01)
    assert value["a,b", "synergy"] == pytest.approx(1.0, abs=0.01)
    assert set(table["units"]) == {"bits"}
    model = LatentModel(obs_dims=(3, 3, 3), shared_dim=1, private_dims=(1, 1, 1), mixing_seed=1)
    g = sample(model, 20_000, rng=9)
    table = modality_report({k: g[k] for k in ("x1", "x2", "x3")}, g["y"], method="gaussian", rng=0)
    value = table.set_index(["subset", "quantity"])["value"]
    for k in ("x1", "x2", "x3"):
        exact = model.mutual_information(k, "y")
        assert value[k, "I(Y;X)"] == pytest.approx(exact, abs=4 * gaussian_sd(exact, 20_000))
        rest = [o for o in ("x1", "x2", "x3") if o != k]
        assert value[k, "I(Y;X|rest)"] == pytest.approx(model.mutual_information(k, "y", given=rest), abs=0.02)
    assert len(table) == 3 * 3 + 1 + 3 * 7  # per modality 3 rows, "all", per pair 7 rows


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        ((np.zeros(10, int), np.zeros(9, int), np.zeros(10, int)), {}, "same number of samples"),
        (
            (np.random.default_rng(0).standard_normal(500),) * 2 + (np.zeros(500, int),),
            {"method": "discrete"},
            "looks continuous",
        ),
        ((np.ones(100), np.arange(100.0), np.arange(100.0)), {"measure": "mmi", "method": "gaussian"}, "constant"),
        ((np.zeros(10, int),) * 3, {"measure": "shannon"}, "`measure`"),
        ((np.zeros(10, int),) * 3, {"method": "kde"}, "`method`"),
        ((np.arange(50.0), np.arange(50.0) ** 2, np.arange(50.0)), {"method": "gaussian"}, "supports measure"),
        ((np.arange(50.0), np.arange(50.0) ** 2, np.arange(50.0)), {"method": "discretize", "bins": 1}, "`bins`"),
        ((np.zeros(20, int),) * 3, {"n_resamples": 3}, "n_resamples"),
        ((np.zeros(20, int),) * 3, {"level": 2.0}, "level"),
        ((np.full(20, np.nan), np.arange(20.0), np.arange(20.0)), {"measure": "mmi"}, "finite"),
        ((np.zeros((2, 2, 2)),) * 3, {}, "1-D or 2-D"),
    ],
)
def test_bad_input(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        pid(*args, **kwargs)


def test_large_alphabets_warn_with_the_expected_bias():
    rng = np.random.default_rng(0)
    a, b, y = rng.integers(0, 30, 2000), rng.integers(0, 30, 2000), rng.integers(0, 4, 2000)
    with pytest.warns(UserWarning, match="biased up by about"):
        pid(a, b, y)


def test_modality_report_rejects_a_single_modality():
    with pytest.raises(ValueError, match="at least two"):
        modality_report({"x1": np.zeros(10)}, np.zeros(10))


def test_small_integer_labels_are_counted_like_encoded_labels():
    # the joint count straight from small non-negative integers (unused values dropped) is the table
    # of the encoded labels: the same decomposition as for the same labels written as strings, and as
    # for labels too large for the direct count
    gen = np.random.default_rng(0)
    x1 = gen.choice([0, 3, 7], 2000)
    x2 = gen.integers(0, 5, 2000)
    y = (x1 + x2) % 3 * 2
    direct = pid(x1, x2, y)
    assert direct.pid == pid(x1.astype(str), x2.astype(str), y.astype(str)).pid
    assert direct.pid == pid(x1 * 10**9, x2, y).pid
