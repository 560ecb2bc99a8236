"""Gaussian and copula PID from samples: ~G and I_dep of vector targets, the bias correction, copula invariance."""

import math

import numpy as np
import pytest

from modalinfo.estimators import pid
from modalinfo.simulations import sample
from modalinfo.theory import LatentModel, gaussian_pid

ATOMS = ("redundancy", "unique1", "unique2", "synergy")


def mi_sd_bound(dim_target: int, n: int) -> float:
    """Delta-method sd of a Gaussian I(Y; X) estimate, sqrt(sum_i rho_i^2 / n) <= sqrt(dim Y / n)."""
    return math.sqrt(dim_target / n)


@pytest.mark.parametrize("measure", ["mmi", "tilde", "idep"])
@pytest.mark.parametrize("overlap", [0.0, 0.5])
def test_vector_target_atoms_match_theory(measure, overlap):
    # The latent state (6 dimensions) from two 4-dimensional modalities: at overlap 0 MMI calls
    # 1.6 nats redundant, ~G and I_dep none. Each atom is a +-1 combination of at most three
    # informations (the union of ~G has the same delta-method order), so 4 sd of each bounds it.
    model = LatentModel(overlap=overlap, noise_var=0.5, target_noise_var=0.5, mixing_seed=0)
    target = ["z_shared", "z1", "z2"]
    n = 20_000
    data = sample(model, n, rng=1)
    y = np.hstack([data[b] for b in target])
    est = pid(data["x1"], data["x2"], y, measure, method="gaussian", rng=2)
    exact = model.pid("x1", "x2", target, measure=measure)
    tol = 3 * 4 * mi_sd_bound(y.shape[1], n) + exact.gap
    for atom in ATOMS:
        assert getattr(est, atom) == pytest.approx(getattr(exact, atom), abs=tol), atom


def _both_unique(m: int, rng: np.random.Generator) -> np.ndarray:
    """Target m-dimensional, each source a different noisy linear view of it (no coupling beyond the target)."""
    hx, hy = 0.4 * rng.standard_normal((m, m)), 0.4 * rng.standard_normal((m, m))
    eye = np.eye(m)
    return np.block([[eye, hx.T, hy.T], [hx, hx @ hx.T + eye, hx @ hy.T], [hy, hy @ hx.T, hy @ hy.T + eye]])


@pytest.mark.slow
def test_the_parametric_bootstrap_removes_the_union_bias():
    # m = 5, n = 50 (15 dimensions): the plug-in union information is biased (Cai-only redundancy
    # +0.152 +- 0.006 nats over 400 repetitions, corrected -0.000 +- 0.007); the corrected mean error
    # of 30 repetitions is within 3 standard errors of 0, the Cai-only one at least 5 away.
    # The rows are standard normals times the Cholesky factor: `Generator.multivariate_normal`
    # factors by an SVD whose signs depend on the LAPACK build, so it draws other samples on other
    # machines (with OpenBLAS's Zen kernels its 30 draws sit 3.9 SE high, a 1-in-5000 sample).
    m, n, reps = 5, 50, 30
    cov = _both_unique(m, np.random.default_rng(0))
    i1, i2, it = list(range(m, 2 * m)), list(range(2 * m, 3 * m)), list(range(m))
    truth = gaussian_pid(cov, i1, i2, it, "tilde").redundancy
    chol = np.linalg.cholesky(cov)
    gen = np.random.default_rng(1)
    errors = {0: [], 20: []}
    for rep in range(reps):
        z = gen.standard_normal((n, 3 * m)) @ chol.T
        for draws in errors:
            est = pid(z[:, i1], z[:, i2], z[:, it], "tilde", method="gaussian", bias_draws=draws, rng=rep)
            errors[draws].append(est.redundancy - truth)
    for draws, err in errors.items():
        mean, se = np.mean(err), np.std(err, ddof=1) / math.sqrt(reps)
        if draws:
            assert abs(mean) <= 3 * se
        else:
            assert mean >= 5 * se


def test_copula_is_invariant_to_increasing_maps_of_each_column():
    rng = np.random.default_rng(3)
    model = LatentModel(overlap=0.5, mixing_seed=0)
    data = sample(model, 2000, rng=rng)
    y = np.hstack([data["z1"], data["z2"]])
    base = pid(data["x1"], data["x2"], y, "tilde", method="copula", rng=5)
    warped = pid(np.exp(data["x1"]), data["x2"] ** 3, np.arctan(y), "tilde", method="copula", rng=5)
    assert warped.pid == base.pid
    assert pid(data["x1"], data["x2"], y, "tilde", method="auto", rng=5).method == "gaussian"


def test_bootstrap_intervals_bracket_the_estimate():
    model = LatentModel(overlap=0.5, mixing_seed=0)
    data = sample(model, 800, rng=0)
    y = np.hstack([data["z1"], data["z2"]])
    est = pid(data["x1"], data["x2"], y, "idep", method="gaussian", n_resamples=30, rng=1)
    for atom in (*ATOMS, "mi_joint"):
        low, high = est.ci[atom]
        assert low <= max(getattr(est, atom), 0.0) <= high


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"bias_draws": -1}, "bias_draws"),
        ({"bias_draws": 2.5}, "bias_draws"),
        ({"n": 8}, "n > d1 \\+ d2 \\+ dy \\+ 2"),
    ],
)
def test_bad_input(kwargs, match):
    n = kwargs.pop("n", 100)
    rng = np.random.default_rng(0)
    x1, x2, y = rng.standard_normal((n, 2)), rng.standard_normal((n, 2)), rng.standard_normal((n, 3))
    with pytest.raises(ValueError, match=match):
        pid(x1, x2, y, "tilde", method="gaussian", **kwargs)
