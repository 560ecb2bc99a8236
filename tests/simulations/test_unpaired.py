"""Experiments on partially paired data run and report exact truth beside their estimates."""

import numpy as np
import pytest

from modalinfo.simulations.suites import synergy_bounds_sweep, unlabeled_value, unpaired_value


@pytest.mark.parametrize("mixture", ["rdn-and", "and-xor", "xor-xor"])
def test_synergy_sweep_brackets_the_truth(mixture):
    rows = synergy_bounds_sweep({"mixture": mixture, "weight": 0.5, "noise_prob": 0.1}, np.random.default_rng(0))
    exact = {r["quantity"]: r["exact"] for r in rows}
    assert exact["lower"] - 1e-8 <= exact["synergy"] <= exact["upper"] + 1e-8
    assert all(np.isfinite(r["estimate"]) for r in rows if r["quantity"] != "synergy")


@pytest.mark.parametrize(
    ("params", "match"), [({"mixture": "and"}, "two canonical names"), ({"weight": 1.5}, r"\[0, 1\]")]
)
def test_synergy_sweep_bad_parameters(params, match):
    with pytest.raises(ValueError, match=match):
        synergy_bounds_sweep(params, np.random.default_rng(0))


def test_unpaired_value_rows():
    rows = unpaired_value({"n_paired": 200, "n_unpaired": 400}, np.random.default_rng(0))
    ml, paired = rows
    assert ml["learner"] == "ml, all rows" and paired["learner"] == "ml, paired rows only"
    assert 0 < ml["lambda_theory"] < 1 and ml["theory"] < paired["theory"]
    assert ml["excess_risk"] >= 0 and paired["excess_risk"] >= 0


def test_unlabeled_value_rows():
    rows = unlabeled_value({"n_unlabeled": 200, "overlap": 1.0}, np.random.default_rng(0))
    assert [r["learner"] for r in rows] == ["enrichment", "least squares on x1"]
    assert all(np.isfinite(r["excess_risk"]) for r in rows)
