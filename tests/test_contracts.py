"""Contracts written as code: the model protocol over the whole registry, and one table per family."""

import math

import numpy as np
import pytest

from modalinfo.estimators import MI_METHODS, PID_METHODS, bootstrap_ci, conditional_mutual_information
from modalinfo.simulations import get_model, model_description, model_names, sample
from modalinfo.simulations.suites import EXPERIMENTS, builtin_suites, figure_path, load_suite
from modalinfo.theory import PID_MEASURES, ExactModel, discrete_pid, gaussian_pid

# Small, fast parameters for running every experiment on every model it accepts.
SMALL = {"estimator_accuracy": {"n": 200, "method": "gaussian"}, "canonical_pid": {"n": 3000}}


@pytest.mark.parametrize("name", model_names())
def test_every_registered_model_meets_the_contract(name):
    model = get_model(name)
    assert isinstance(model, ExactModel)
    assert model_description(name)
    assert model.target_kind in ("continuous", "discrete")
    assert model.pid_measures and set(model.pid_measures) <= set(PID_MEASURES)
    data = sample(model, 64, rng=0)
    assert {*model.modality_names, "y"} <= set(data)
    assert all(data[b].shape[0] == 64 and data[b].ndim == 2 for b in (*model.modality_names, "y"))
    known = []
    for m in model.modality_names:
        try:
            known.append(model.mutual_information(m, "y"))
        except ValueError as err:  # exact per split only (a planted spurious trend): says so
            assert "split" in str(err)
    assert known and all(math.isfinite(v) and v >= 0 for v in known)
    try:
        pid = model.pid(*model.modality_names[:2])
    except ValueError as err:
        assert "split" in str(err)
    else:
        assert pid.measure == model.pid_measures[0]
        assert pid.redundancy + pid.unique1 == pytest.approx(pid.mi1)
        assert pid.mi_joint == pytest.approx(pid.redundancy + pid.unique1 + pid.unique2 + pid.synergy)


@pytest.mark.parametrize("experiment", [e for e in EXPERIMENTS.values() if e.accepts is not None], ids=lambda e: e.name)
def test_every_experiment_runs_on_every_model_it_accepts(experiment):
    accepted = [name for name in model_names() if experiment.accepts(get_model(name))]
    assert accepted
    for name in accepted:
        rows = experiment({"model": name, **SMALL[experiment.name]}, np.random.default_rng(0))
        assert rows and all(math.isfinite(r["exact"]) and math.isfinite(r["estimate"]) for r in rows)
    refused = [name for name in model_names() if name not in accepted]
    for name in refused:
        with pytest.raises(ValueError):
            experiment({"model": name, **SMALL[experiment.name]}, np.random.default_rng(0))


def test_every_builtin_suite_names_a_registered_experiment_with_a_figure():
    for name in builtin_suites():
        suite = load_suite(name)
        assert EXPERIMENTS[suite.experiment.name] is suite.experiment
        assert suite.experiment.figure is not None


def test_suites_sharing_an_experiment_write_different_figures(tmp_path):
    curves, colearning = load_suite("curves"), load_suite("colearning")
    assert curves.experiment is colearning.experiment
    assert figure_path(curves, tmp_path) != figure_path(colearning, tmp_path)


def _pair_for(entry, rng, n):
    """Data each kind of estimator is made for: labels for the plug-in, features and a label where one side is
    discrete, continuous columns otherwise."""
    x = rng.standard_normal(n)
    labels = (x > 0).astype(np.int64) + (x > 1)
    if entry.kind == "discrete":
        return labels, (labels + rng.integers(0, 2, n)) % 3
    if entry.reads_labels:
        return x + rng.standard_normal(n), labels
    return x, x + rng.standard_normal(n)


def test_the_bootstrap_scheme_of_each_method_is_the_registry_entry():
    rng = np.random.default_rng(0)
    for name, entry in MI_METHODS.items():
        a, b = _pair_for(entry, rng, 120)
        ci = bootstrap_ci(a, b, name, n_resamples=10, rng=1)
        assert ci.scheme == entry.resampling, name


def test_conditional_support_is_the_registry_entry():
    rng = np.random.default_rng(1)
    for name, entry in MI_METHODS.items():
        x, y = _pair_for(entry, rng, 200)
        z = (y + rng.integers(0, 2, 200)) % 3 if entry.kind == "discrete" else rng.standard_normal(200)
        if entry.conditional:
            assert math.isfinite(conditional_mutual_information(x, y, z, name, rng=0)), name
        else:
            with pytest.raises(ValueError, match="no conditional form"):
                conditional_mutual_information(x, y, z, name, rng=0)


def test_pid_measures_and_methods_derive_from_one_registry():
    pmf = np.full((2, 2, 2), 1 / 8)
    cov = np.eye(3) + 0.5
    for name, entry in PID_MEASURES.items():
        for family, call in (
            ("discrete", lambda m: discrete_pid(pmf, m)),
            ("gaussian", lambda m: gaussian_pid(cov, [0], [1], [2], m)),
        ):
            if getattr(entry, family) is None:
                with pytest.raises(ValueError, match=family):
                    call(name)
            else:
                assert call(name).measure == name
    for method in PID_METHODS.values():
        assert set(method.measures) <= set(PID_MEASURES)
