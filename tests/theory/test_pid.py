"""Exact PID: discrete (BROJA, I_min, MMI) on canonical and random pmfs, and Gaussian MMI."""

import math

import numpy as np
import pytest
from hypothesis import given
from scipy.optimize import minimize_scalar

from modalinfo.theory import (
    PIDResult,
    canonical_pmf,
    discrete_mutual_information,
    discrete_pid,
    gaussian_pid,
    mixture_pmf,
    noisy_pmf,
)
from modalinfo.theory.strategies import probability_tables

TOL = 1e-9  # bits: the certified optimality of the BROJA solver (theory._broja.GAP_TOL ~ 1.4e-10 bits)
H_QUARTER = -(0.25 * math.log2(0.25) + 0.75 * math.log2(0.75))  # h(1/4) in bits

# Exact atoms in bits (R, U1, U2, S): Liang et al. 2023 Table 1.
EXACT = {
    ("and", "broja"): (H_QUARTER - 0.5, 0, 0, 0.5),
    ("or", "broja"): (H_QUARTER - 0.5, 0, 0, 0.5),
    ("xor", "broja"): (0, 0, 0, 1),
    ("rdn", "broja"): (1, 0, 0, 0),
    ("unq", "broja"): (0, 1, 0, 0),
    ("copy", "broja"): (0, 1, 1, 0),
    ("copy", "imin"): (1, 0, 0, 1),
    ("and", "imin"): (H_QUARTER - 0.5, 0, 0, 0.5),
    ("xor", "imin"): (0, 0, 0, 1),
    ("copy", "mmi"): (1, 0, 0, 1),
}


def atoms(r: PIDResult):
    return (r.redundancy, r.unique1, r.unique2, r.synergy)


@pytest.mark.parametrize(("name", "measure"), sorted(EXACT))
def test_canonical_atoms(name, measure):
    r = discrete_pid(canonical_pmf(name), measure, base=2)
    assert atoms(r) == pytest.approx(EXACT[name, measure], abs=TOL)
    assert r.units == "bits"


def test_and_value_matches_liang_table():
    r = discrete_pid(canonical_pmf("and"), base=2)
    assert round(r.redundancy, 4) == 0.3113
    assert round(r.synergy, 4) == 0.5
    nats = discrete_pid(canonical_pmf("and"))
    assert nats.redundancy == pytest.approx(0.2158, abs=5e-5)  # the reference code's nats
    assert nats.to_base(2).redundancy == pytest.approx(r.redundancy, abs=1e-12)


def test_copy_separates_broja_from_imin():
    broja = discrete_pid(canonical_pmf("copy"), "broja", base=2)
    imin = discrete_pid(canonical_pmf("copy"), "imin", base=2)
    assert broja.unique1 == pytest.approx(1.0, abs=TOL) and imin.unique1 == pytest.approx(0.0, abs=TOL)
    assert imin.redundancy - broja.redundancy == pytest.approx(1.0, abs=TOL)


@given(probability_tables())
def test_consistency_and_nonnegativity(p):
    mi1 = discrete_mutual_information(p.sum(axis=1))
    mi2 = discrete_mutual_information(p.sum(axis=0))
    mi12 = discrete_mutual_information(p.reshape(-1, p.shape[2]))
    for measure in ("broja", "imin", "mmi"):
        r = discrete_pid(p, measure)
        assert r.redundancy + r.unique1 == pytest.approx(mi1, abs=1e-12)
        assert r.redundancy + r.unique2 == pytest.approx(mi2, abs=1e-12)
        assert r.redundancy + r.unique1 + r.unique2 + r.synergy == pytest.approx(mi12, abs=1e-12)
        assert r.coinformation == pytest.approx(r.redundancy - r.synergy)
        if measure in ("broja", "imin"):  # both are non-negative measures (MMI too, by monotonicity)
            assert min(atoms(r)) >= -1e-9
    broja = discrete_pid(p, "broja")
    # Certified optimality (the solver aims at 1e-10 nats) on tables whose probabilities span
    # fewer than ten orders of magnitude; wider tables are solved less tightly, and say so in `gap`.
    if p[p > 0].min() >= 1e-10 * p.max():
        assert broja.gap <= 1e-9  # the requirement: the optimum to 1e-9
    # BROJA's unique information is the smallest of the three (Bertschinger et al. 2014, Lemma 3 and
    # the MMI upper bound U <= I - min).
    assert broja.redundancy <= discrete_pid(p, "mmi").redundancy + 1e-9


@given(probability_tables(max_size=3, zeros=False))
def test_swapping_sources_swaps_unique(p):
    r = discrete_pid(p)
    s = discrete_pid(p.transpose(1, 0, 2))
    assert (s.unique1, s.unique2) == pytest.approx((r.unique2, r.unique1), abs=1e-9)
    assert s.synergy == pytest.approx(r.synergy, abs=1e-9)


def _reference_broja(p: np.ndarray) -> float:
    """min_Q I_Q(X1,X2;Y) for a 2x2x2 pmf by brute force (an independent plain-numpy reference).

    For each y the couplings of the (x1, y) and (x2, y) marginals form a segment
    ``q(., ., y) = [[a, r0 - a], [c0 - a, py - r0 - c0 + a]]``; the convex objective is minimised
    over the product of the two segments on a 801 x 801 grid, then refined by bounded
    coordinate-wise golden-section search.
    """
    p1y, p2y = p.sum(axis=1), p.sum(axis=0)
    py = p1y.sum(axis=0)
    lo = np.maximum(0.0, p1y[0] + p2y[0] - py)
    hi = np.minimum(p1y[0], p2y[0])

    def objective(a0, a1):
        a = np.stack(np.broadcast_arrays(a0, a1), axis=-1)  # (..., y)
        q = np.stack([a, p1y[0] - a, p2y[0] - a, py - p1y[0] - p2y[0] + a], axis=-2)  # cells 00, 01, 10, 11
        q = np.maximum(q, 0.0)
        cells = q[..., [0, 1, 2, 3], :]
        qx = cells.sum(axis=-1, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(cells > 0, cells * np.log(cells / (qx * py)), 0.0)
        return terms.sum(axis=(-1, -2))

    g0, g1 = np.linspace(lo[0], hi[0], 801), np.linspace(lo[1], hi[1], 801)
    values = objective(g0[:, None], g1[None, :])
    i, j = np.unravel_index(np.argmin(values), values.shape)
    a = [g0[i], g1[j]]
    for _ in range(20):  # coordinate descent on a convex function, each step exact to ~1e-12
        for k in range(2):
            res = minimize_scalar(
                lambda t, k=k: objective(*(a[:k] + [t] + a[k + 1 :])),
                bounds=(lo[k], hi[k]),
                method="bounded",
                options={"xatol": 1e-14},
            )
            a[k] = res.x
    return float(objective(*a))


@pytest.mark.parametrize("seed", range(6))
def test_broja_matches_independent_solver(seed):
    p = np.random.default_rng(seed).dirichlet(np.ones(8)).reshape(2, 2, 2)
    r = discrete_pid(p)
    # The brute-force reference is accurate to about 1e-9 nats; the barrier solver is certified.
    assert r.mi1 + r.mi2 - r.redundancy == pytest.approx(_reference_broja(p), abs=1e-8)


def test_relabelling_outcomes_changes_nothing():
    p = np.random.default_rng(7).dirichlet(np.ones(27)).reshape(3, 3, 3)
    r = discrete_pid(p)
    perm = p[[2, 0, 1]][:, [1, 2, 0]][:, :, [0, 2, 1]]
    assert atoms(discrete_pid(perm)) == pytest.approx(atoms(r), abs=1e-9)


def test_mixture_knob_moves_between_atoms():
    pure_r = discrete_pid(mixture_pmf({"rdn": 1.0}), base=2)
    pure_s = discrete_pid(mixture_pmf({"xor": 1.0}), base=2)
    assert pure_r.redundancy == pytest.approx(1.0, abs=TOL) and pure_s.synergy == pytest.approx(1.0, abs=TOL)
    syn = [discrete_pid(mixture_pmf({"rdn": 1 - t, "xor": t}), base=2).synergy for t in (0.0, 0.5, 1.0)]
    assert syn[0] < syn[1] < syn[2]


def test_noise_shrinks_information():
    clean = discrete_pid(canonical_pmf("xor"))
    noisy = discrete_pid(noisy_pmf(canonical_pmf("xor"), 0.2))
    full = discrete_pid(noisy_pmf(canonical_pmf("xor"), 1.0))
    assert 0 < noisy.synergy < clean.synergy
    assert full.mi_joint == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize(
    ("p", "message"),
    [
        (np.full((2, 2), 0.25), "3-D"),
        (np.full((2, 2, 2), 0.2), "sum to 1"),
        (np.array([[[0.5, 0.5], [0.5, -0.5]], [[0, 0], [0, 0]]]), "non-negative"),
        (np.full((2, 2, 2), np.nan), "finite"),
        (np.zeros((0, 2, 2)), "empty"),
    ],
)
def test_invalid_pmf(p, message):
    with pytest.raises(ValueError, match=message):
        discrete_pid(p)


def test_invalid_measure_and_names():
    with pytest.raises(ValueError, match="measure"):
        discrete_pid(canonical_pmf("xor"), "ccs")
    with pytest.raises(ValueError, match="name"):
        canonical_pmf("nand")
    with pytest.raises(ValueError, match="keys"):
        mixture_pmf({"copy": 1.0})
    with pytest.raises(ValueError, match="positive sum"):
        mixture_pmf({"xor": 0.0})
    with pytest.raises(ValueError, match="weights"):
        mixture_pmf({"xor": -1.0})
    with pytest.raises(ValueError, match="noise"):
        noisy_pmf(canonical_pmf("xor"), 1.5)
    with pytest.raises(ValueError, match="2-D"):
        discrete_mutual_information(np.full((2, 2, 2), 0.125))


# Gaussian MMI PID -------------------------------------------------------------------------------


def test_gaussian_sum_example():
    # y = x1 + x2 + e, all unit variance: R = 0.2925, U = 0, S = 0.5 bits.
    r = gaussian_pid([[1, 0, 1], [0, 1, 1], [1, 1, 3]], [0], [1], [2], base=2)
    assert atoms(r) == pytest.approx((0.5 * math.log2(1.5), 0, 0, 0.5), abs=1e-12)
    assert r.mi_joint == pytest.approx(0.5 * math.log2(3), abs=1e-12)


def test_gaussian_vector_sources_weaker_has_no_unique():
    rng = np.random.default_rng(3)
    a = rng.normal(size=(5, 5))
    cov = a @ a.T + np.eye(5)
    r = gaussian_pid(cov, [0, 1], [2, 3], 4)
    assert min(r.unique1, r.unique2) == 0.0
    assert r.synergy >= 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"measure": "broja"}, "measure"),
        ({"source2": [0]}, "disjoint"),
        ({"target": [0]}, "disjoint"),
    ],
)
def test_gaussian_pid_validation(kwargs, message):
    cov = np.eye(4) + 0.1
    args = {"source1": [0], "source2": [1], "target": [2]} | kwargs
    with pytest.raises(ValueError, match=message):
        gaussian_pid(cov, **args)


def test_a_long_broja_solve_stops_at_ctrl_c():
    import signal
    import subprocess
    import sys
    import time

    code = (
        "import numpy as np; from modalinfo.theory import discrete_pid; import sys; print('ready', flush=True); "
        "discrete_pid(np.random.default_rng(0).dirichlet(np.ones(25 ** 3)).reshape(25, 25, 25))"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(0.5)  # inside the solve, which takes seconds
    start = time.perf_counter()
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert time.perf_counter() - start < 2.0
    assert "KeyboardInterrupt" in err and "SystemError" not in err
