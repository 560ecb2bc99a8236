"""The sympy derivation of the two-modality scalar model equals the numeric theory."""

import math

import numpy as np
import pytest

from modalinfo.theory import LatentModel, gaussian_pid, two_modality_formulas, two_modality_latex, two_modality_numeric


def _numeric_model(w, g, s2):
    return LatentModel(
        obs_dims=(1, 1),
        shared_dim=1,
        private_dims=(1, 1),
        overlap=w,
        noise_var=1 / g,
        shared_weights=[2 * math.sqrt(w)],
        private_weights=[[math.sqrt(1 - w)]] * 2,
        target_noise_var=s2,
        mixing=[[[2**-0.5, 2**-0.5]]] * 2,
    )


@pytest.mark.parametrize(("w", "g", "s2"), [(0.0, 1.0, 1.0), (0.3, 2.0, 0.7), (0.8, 10.0, 0.2), (1.0, 0.5, 3.0)])
def test_symbolic_equals_numeric(w, g, s2):
    f = two_modality_numeric()
    m = _numeric_model(w, g, s2)
    assert f["I(Y;X1)"](w, g, s2) == pytest.approx(m.mutual_information("x1", "y"), abs=1e-12)
    assert f["I(Y;X1,X2)"](w, g, s2) == pytest.approx(m.mutual_information(["x1", "x2"], "y"), abs=1e-12)
    assert f["I(X1;X2)"](w, g, s2) == pytest.approx(m.mutual_information("x1", "x2"), abs=1e-12)
    pid = m.pid("x1", "x2")
    assert f["redundancy"](w, g, s2) == pytest.approx(pid.redundancy, abs=1e-12)
    assert f["synergy"](w, g, s2) == pytest.approx(pid.synergy, abs=1e-12)
    for name, mods in [("risk()", ()), ("risk(X1)", ("x1",)), ("risk(X1,X2)", ("x1", "x2"))]:
        assert f[name](w, g, s2) == pytest.approx(m.bayes_risk(mods), abs=1e-12)


def test_barrett_limit():
    # omega = 0, gamma -> infinity is y = x1 + x2 + e: R = 1/2 log 1.5, S = 1/2 log 2 (nats).
    f = two_modality_numeric()
    assert f["redundancy"](0.0, 1e12, 1.0) == pytest.approx(0.5 * math.log(1.5), abs=1e-9)
    assert f["synergy"](0.0, 1e12, 1.0) == pytest.approx(0.5 * math.log(2.0), abs=1e-9)
    cov = [[1, 0, 1], [0, 1, 1], [1, 1, 3]]
    assert f["synergy"](0.0, 1e12, 1.0) == pytest.approx(gaussian_pid(cov, [0], [1], [2]).synergy, abs=1e-9)


def test_latex_is_generated_for_every_formula():
    tex = two_modality_latex()
    assert set(tex) == set(two_modality_formulas())
    assert r"\omega" in tex["I(X1;X2)"] and r"\gamma" in tex["I(X1;X2)"]
    assert r"\sigma^2" in tex["risk()"]


def test_overlap_zero_formula_has_no_modality_dependence():
    f = two_modality_numeric()
    assert np.allclose(f["I(X1;X2)"](0.0, np.array([0.5, 2.0, 50.0]), 1.0), 0.0)
