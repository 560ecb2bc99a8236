"""Experiments on partially paired data run and report exact truth beside their estimates."""

import numpy as np
import pandas as pd
import pytest

from modalinfo.simulations.suites import marginal_exchange_rate, synergy_bounds_sweep, unlabeled_value, unpaired_value


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
    ml, paired, complete = rows
    assert ml["learner"] == "ml, all rows" and paired["learner"] == "ml, paired rows only"
    assert complete["learner"] == "ml, every row paired"
    assert 0 < ml["lambda_theory"] < 1 and complete["theory"] < ml["theory"] < paired["theory"]
    assert all(r["excess_risk"] >= 0 for r in rows)
    # without unpaired rows the three learners see the same data
    none = unpaired_value({"n_paired": 200, "n_unpaired": 0}, np.random.default_rng(0))
    assert none[0]["excess_risk"] == none[1]["excess_risk"] == none[2]["excess_risk"]


def _surface(a, b, noise, rng):
    """Rows with the first-order excess risks (plus noise): two cells with n_u > 0, one without (to be ignored)."""
    risks = {
        "ml, all rows": lambda n_p, n_u: a / (n_p + n_u) + b / n_p,
        "ml, paired rows only": lambda n_p, n_u: (a + b) / n_p,
        "ml, every row paired": lambda n_p, n_u: (a + b) / (n_p + n_u),
    }
    rows = []
    for cell, n_u in enumerate((0, 100, 400)):
        for rep in range(50):
            for learner, risk in risks.items():
                value = risk(100, n_u) + (noise * rng.standard_normal() if n_u else 9.0)
                rows.append({"cell": cell, "rep": rep, "n_unpaired": n_u, "learner": learner, "excess_risk": value})
    return pd.DataFrame(rows)


def test_marginal_exchange_rate_is_the_first_order_rate_on_a_first_order_surface():
    rng = np.random.default_rng(0)
    rate, se = marginal_exchange_rate(_surface(0.6, 0.4, 0.0, rng))
    assert rate == pytest.approx(0.6) and se == pytest.approx(0.0, abs=1e-12)
    # with noise the error is of the order of its standard error (4 standard errors: a fixed seed, not a rerun)
    rate, se = marginal_exchange_rate(_surface(0.6, 0.4, 2e-4, rng))
    assert 0 < se < 0.05 and abs(rate - 0.6) < 4 * se


def test_unlabeled_value_rows():
    rows = unlabeled_value({"n_unlabeled": 200, "overlap": 1.0}, np.random.default_rng(0))
    assert [r["learner"] for r in rows] == ["enrichment", "least squares on x1"]
    assert all(np.isfinite(r["excess_risk"]) for r in rows)
