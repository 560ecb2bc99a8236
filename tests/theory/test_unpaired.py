"""The exchange rate of x1-only labeled rows: delta method against simulation of the ML learner."""

import math

import numpy as np
import pytest

from modalinfo.estimators import fit_gaussian_missing
from modalinfo.theory import LatentModel, unpaired_exchange_rate


def simulated_excess(cov, i1, i2, iy, n_p, n_u, reps, seed):
    gen = np.random.default_rng(seed)
    x = i1 + i2
    beta = np.linalg.solve(cov[np.ix_(x, x)], cov[x, iy])
    out = np.empty(reps)
    for r in range(reps):
        z = gen.multivariate_normal(np.zeros(len(cov)), cov, n_p + n_u)
        rows = np.c_[z[:, i1], z[:, i2], z[:, [iy]]]
        rows[n_p:, len(i1) : len(x)] = np.nan
        fit = fit_gaussian_missing(rows)
        f = list(range(len(x)))
        coef = np.linalg.solve(fit.cov[np.ix_(f, f)], fit.cov[f, len(x)])
        delta = coef - beta
        out[r] = (fit.mean[len(x)] - fit.mean[f] @ coef) ** 2 + delta @ cov[np.ix_(x, x)] @ delta
    return out


@pytest.mark.parametrize("overlap", [0.0, 1.0])
def test_first_order_risk_matches_simulation(overlap):
    # E[excess] = a / (n_p + n_u) + b / n_p to first order; at n_p = 400 the second-order terms are a few
    # per cent (the x2 regression has 6 coefficients: (6 + 1) / 400 < 2 %), so allow 4 SE + 5 %.
    model = LatentModel(overlap=overlap, mixing_seed=0)
    cov = model.covariance()
    i1, i2, iy = (list(model.block_indices(b)) for b in ("x1", "x2", "y"))
    th = unpaired_exchange_rate(cov, i1, i2, iy[0])
    for n_u in (0, 1200):
        sim = simulated_excess(cov, i1, i2, iy[0], 400, n_u, 300, n_u)
        expected = th["a"] / (400 + n_u) + th["b"] / 400
        assert sim.mean() == pytest.approx(expected, abs=4 * sim.std(ddof=1) / math.sqrt(sim.size) + 0.05 * expected)


def test_exchange_rate_limits():
    # x2 independent of (x1, y): both parts still cost estimation error (b: x2's zero coefficients),
    # so lambda is strictly between 0 and 1
    cov = np.diag([1.0, 1.0, 1.0])
    cov[0, 2] = cov[2, 0] = 0.6
    out = unpaired_exchange_rate(cov, [0], [1], 2)
    assert 0 < out["lambda"] < 1 and out["a"] > 0 and out["b"] > 0
    # the exchange rate does not depend on the units of any variable
    scale = np.diag([3.0, 0.2, 7.0])
    again = unpaired_exchange_rate(scale @ cov @ scale, [0], [1], 2)
    assert again["lambda"] == pytest.approx(out["lambda"], rel=1e-6)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((np.eye(3), [0], [0], 2), "must not share"),
        ((np.eye(3), [0], [1], [1, 2]), "one index"),
        ((np.eye(3), [0], [5], 2), "x2"),
        ((np.ones((3, 3)), [0], [1], 2), "cov"),
    ],
)
def test_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        unpaired_exchange_rate(*args)
