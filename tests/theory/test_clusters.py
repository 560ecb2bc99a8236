"""Symbols as clusters: separated clusters give the discrete PID exactly; overlapping ones match Monte Carlo."""

import math

import numpy as np
import pytest
from scipy.special import logsumexp

from modalinfo.simulations import sample
from modalinfo.theory import SymbolClusterModel, canonical_pmf, discrete_pid, get_model


@pytest.mark.parametrize("name", ["and", "copy", "rdn+unq+xor"])
def test_separated_clusters_have_the_discrete_pid_and_each_point_its_symbol(name):
    model = SymbolClusterModel.canonical(name, dims=(5, 3), separation=3.0, noise_scale=1.4)
    for measure in model.pid_measures:
        got, want = model.pid(measure=measure), discrete_pid(model.pmf(), measure)
        assert got == want
    data = sample(model, 4000, rng=0)
    nearest = []
    for k, x in enumerate((data["x1"], data["x2"])):
        distance = np.linalg.norm(x[:, None, :] - model.centres[k][None], axis=2)
        assert distance.min(axis=1).max() <= model.noise_scale + 1e-12  # inside its ball
        nearest.append(distance.argmin(axis=1))
    # the nearest centre is the symbol: the table of (nearest1, nearest2, y) is a sample of the pmf
    counts = np.zeros(model.pmf().shape)
    np.add.at(counts, (nearest[0], nearest[1], data["y"][:, 0]), 1)
    p = model.pmf()
    assert np.all(np.abs(counts / 4000 - p) <= 4 * np.sqrt(p * (1 - p) / 4000) + 1e-12)


def _log_posterior(model, data, modalities):
    """log p(y | x) in the full dimension, from the symbols' Gaussian clusters."""
    pmf = model.pmf()
    m1, m2, k = pmf.shape
    logs = np.full((data["y"].shape[0], m1 * m2), 0.0)
    for h in range(m1 * m2):
        s = divmod(h, m2)
        for j, name in enumerate(("x1", "x2")):
            if name in modalities:
                logs[:, h] += -0.5 * np.sum((data[name] - model.centres[j][s[j]]) ** 2, axis=1) / model.noise_scale**2
    with np.errstate(divide="ignore"):
        joint = logsumexp(logs[:, :, None] + np.log(pmf.reshape(m1 * m2, k))[None], axis=1)
    return joint - logsumexp(joint, axis=1, keepdims=True)


@pytest.mark.parametrize("name", ["clusters-and-overlap", "clusters-copy-overlap", "clusters-rdn+unq+xor-overlap"])
def test_overlapping_clusters_match_monte_carlo(name):
    model = get_model(name)
    n = 100_000
    data = sample(model, n, rng=1)
    y = data["y"][:, 0]
    py = model.pmf().sum(axis=(0, 1))
    for modalities in (["x1"], ["x2"], ["x1", "x2"]):
        terms = _log_posterior(model, data, modalities)[np.arange(n), y] - np.log(py[y])
        mc, se = terms.mean(), terms.std(ddof=1) / math.sqrt(n)
        exact = model.mutual_information(modalities, "y")
        assert abs(exact - mc) <= 4 * se + model.quadrature_error(modalities), (modalities, exact, mc, se)


def test_overlapping_pids_are_consistent_and_certified():
    model = get_model("clusters-copy-overlap")
    broja, imin = model.pid(measure="broja"), model.pid(measure="imin")
    assert broja.gap < 1e-3 and imin.gap < 1e-3
    for r in (broja, imin):
        assert r.redundancy + r.unique1 == pytest.approx(r.mi1) and min(r.unique1, r.unique2) >= -r.gap
    assert imin.redundancy > broja.redundancy + 0.1  # COPY: I_min calls the shared bit redundant, BROJA unique
    and_model = get_model("clusters-and-overlap")
    assert and_model.pid(measure="broja").redundancy == pytest.approx(and_model.pid(measure="mmi").redundancy, abs=2e-3)


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"separation": 2.0, "noise_scale": 1.0}, "separation"),
        ({"noise": "uniform"}, "noise"),
        ({"dims": (4,)}, "dims"),
        ({"dims": (0, 3)}, "dims"),
        ({"noise_scale": -1.0}, "noise_scale"),
    ],
)
def test_bad_parameters(kw, match):
    with pytest.raises(ValueError, match=match):
        SymbolClusterModel(canonical_pmf("and"), **kw)
