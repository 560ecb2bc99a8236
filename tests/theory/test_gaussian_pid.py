"""The Gaussian PID measures with vector targets: MMI, ~G (certified optimum) and I_dep."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import block_diag
from scipy.optimize import minimize

from modalinfo.theory import gaussian_mutual_information, gaussian_pid
from modalinfo.theory._gaussian_union import (
    _cholesky,
    _gap,
    _hessian,
    _inverse,
    _reduced,
    _union_kernel,
    whitened_gains,
)
from modalinfo.theory.strategies import spd_covariances

MEASURES = ("mmi", "tilde", "idep")
ATOMS = ("redundancy", "unique1", "unique2", "synergy")


@st.composite
def systems(draw, max_block: int = 3):
    """A covariance with target, source1 and source2 blocks of 1..max_block dimensions each."""
    dims = [draw(st.integers(1, max_block)) for _ in range(3)]
    cov = draw(spd_covariances(min_dim=sum(dims), max_dim=sum(dims), max_condition=50.0))
    it = list(range(dims[0]))
    i1 = list(range(dims[0], dims[0] + dims[1]))
    i2 = list(range(dims[0] + dims[1], sum(dims)))
    return cov, i1, i2, it


def atoms(r):
    return np.array([getattr(r, a) for a in ATOMS])


@settings(max_examples=40, deadline=None)
@given(systems(), st.sampled_from(MEASURES))
def test_lattice_laws(system, measure):
    cov, i1, i2, it = system
    r = gaussian_pid(cov, i1, i2, it, measure)
    tol = r.gap + 1e-9
    assert r.redundancy + r.unique1 == pytest.approx(r.mi1, abs=1e-9)
    assert r.redundancy + r.unique2 == pytest.approx(r.mi2, abs=1e-9)
    assert atoms(r).sum() == pytest.approx(r.mi_joint, abs=1e-9)
    assert np.all(atoms(r) >= -tol)
    assert -tol <= r.redundancy <= min(r.mi1, r.mi2) + 1e-12


@settings(max_examples=25, deadline=None)
@given(systems(), st.sampled_from(MEASURES))
def test_doubling_gives_twice_every_atom(system, measure):
    cov, i1, i2, it = system
    d = cov.shape[0]
    r = gaussian_pid(cov, i1, i2, it, measure)
    twice = gaussian_pid(block_diag(cov, cov), *([*b, *(d + j for j in b)] for b in (i1, i2, it)), measure)
    np.testing.assert_allclose(atoms(twice), 2 * atoms(r), atol=2 * r.gap + twice.gap + 1e-9)


@settings(max_examples=25, deadline=None)
@given(systems(), st.sampled_from(MEASURES), st.integers(0, 2**32 - 1))
def test_invariant_under_invertible_maps_within_blocks(system, measure, seed):
    cov, i1, i2, it = system
    rng = np.random.default_rng(seed)
    maps = [np.eye(len(b)) + 0.5 * rng.standard_normal((len(b), len(b))) for b in (it, i1, i2)]
    while any(abs(np.linalg.det(a)) < 0.1 for a in maps):
        maps = [np.eye(len(b)) + 0.5 * rng.standard_normal((len(b), len(b))) for b in (it, i1, i2)]
    a = block_diag(*maps)
    r = gaussian_pid(cov, i1, i2, it, measure)
    mapped = gaussian_pid(a @ cov @ a.T, i1, i2, it, measure)
    np.testing.assert_allclose(atoms(mapped), atoms(r), atol=r.gap + mapped.gap + 1e-8)


@settings(max_examples=30, deadline=None)
@given(systems())
def test_scalar_target_tilde_is_mmi_and_idep_never_exceeds_it(system):
    cov, i1, i2, it = system
    tilde = gaussian_pid(cov, i1, i2, it[:1], "tilde")
    mmi = gaussian_pid(cov, i1, i2, it[:1], "mmi")
    assert tilde.redundancy == pytest.approx(mmi.redundancy, abs=tilde.gap + 1e-9)  # Barrett (2015)
    for target in (it[:1], it):
        assert gaussian_pid(cov, i1, i2, target, "idep").redundancy <= gaussian_pid(cov, i1, i2, target).redundancy


def _brute_union(cov, i1, i2, it, starts):
    """min over Sigma_12 of I(T; S1, S2) by BFGS on the whitened cross block (an upper bound on the minimum)."""
    whiten = block_diag(*(np.linalg.inv(np.linalg.cholesky(cov[np.ix_(b, b)])) for b in (it, i1, i2)))
    order = [*it, *i1, *i2]
    w = whiten @ cov[np.ix_(order, order)] @ whiten.T
    m, d1 = len(it), len(i1)
    a, b = list(range(m)), list(range(m, m + d1))
    c = list(range(m + d1, w.shape[0]))

    def union(v):
        x = w.copy()
        x[np.ix_(b, c)] = v.reshape(len(b), len(c))
        x[np.ix_(c, b)] = v.reshape(len(b), len(c)).T
        if np.linalg.eigvalsh(x)[0] <= 1e-12:
            return 1e6
        return gaussian_mutual_information(x, a, b + c)

    start = w[np.ix_(b, a)] @ w[np.ix_(a, c)]
    return min(minimize(union, f * start.ravel(), method="BFGS").fun for f in starts)


@pytest.mark.parametrize("seed", range(6))
def test_tilde_certificate_bounds_the_distance_to_a_direct_search(seed):
    rng = np.random.default_rng(seed)
    dims = rng.integers(1, 4, size=3)
    f = rng.standard_normal((dims.sum(), dims.sum() + 2))
    cov = f @ f.T / dims.sum()
    it = list(range(dims[0]))
    i1 = list(range(dims[0], dims[0] + dims[1]))
    i2 = list(range(dims[0] + dims[1], dims.sum()))
    r = gaussian_pid(cov, i1, i2, it, "tilde")
    union = r.mi1 + r.mi2 - r.redundancy
    brute = _brute_union(cov, i1, i2, it, (1.0, 0.5, 0.0))
    assert r.gap < 1e-8
    assert union - brute <= r.gap + 1e-12  # the certificate: never more than gap above any coupling
    assert union <= brute + 1e-7  # and a direct search finds nothing better


def test_tilde_sees_which_information_each_source_carries():
    # A two-dimensional target, one coordinate seen by each source: nothing is redundant.
    cov = [[1, 0, 0.8, 0], [0, 1, 0, 0.6], [0.8, 0, 1, 0], [0, 0.6, 0, 1]]
    for measure in ("tilde", "idep"):
        r = gaussian_pid(cov, [2], [3], [0, 1], measure)
        assert r.redundancy == pytest.approx(0.0, abs=1e-12)
        assert r.synergy == pytest.approx(0.0, abs=1e-12)
    assert gaussian_pid(cov, [2], [3], [0, 1], "mmi").redundancy == pytest.approx(-0.5 * math.log(1 - 0.36))


def test_fully_redundant_sources_share_everything():
    # X2 is X1 plus independent noise that carries nothing: union = I(T; X1), so R = I(T; X2).
    rng = np.random.default_rng(4)
    m, d = 3, 4
    h = rng.standard_normal((d, m))
    cov_t = np.eye(m)
    cov_x = h @ h.T + np.eye(d)
    cov = np.block(
        [
            [cov_t, h.T, h.T],
            [h, cov_x, cov_x],
            [h, cov_x, cov_x + 0.5 * np.eye(d)],
        ]
    )
    it, i1, i2 = list(range(m)), list(range(m, m + d)), list(range(m + d, m + 2 * d))
    r = gaussian_pid(cov, i1, i2, it, "tilde")
    assert r.unique2 == pytest.approx(0.0, abs=r.gap + 1e-9)
    assert r.redundancy == pytest.approx(r.mi2, abs=r.gap + 1e-9)
    assert r.gap < 1e-6


def _idep_by_the_lattice(cov, i1, i2, it):
    """U1 of I_dep from the four edges that add the (X1, Y) dependency, each model built explicitly."""

    def mi(c):
        return gaussian_mutual_information(c, it, i1 + i2)

    def model(keep):  # the max-entropy Gaussian keeping the listed pair blocks of cov (others implied)
        c = block_diag(*(cov[np.ix_(b, b)] for b in (it, i1, i2)))
        order = {"t": it, "1": i1, "2": i2}
        for pair in keep:
            a, b = order[pair[0]], order[pair[1]]
            c[np.ix_(a, b)] = cov[np.ix_(a, b)]
            c[np.ix_(b, a)] = cov[np.ix_(b, a)]
        if set(keep) == {"t1", "t2"}:  # sources conditionally independent given the target
            s = cov[np.ix_(i1, it)] @ np.linalg.solve(cov[np.ix_(it, it)], cov[np.ix_(it, i2)])
            c[np.ix_(i1, i2)], c[np.ix_(i2, i1)] = s, s.T
        for seen, unseen in ((i1, i2), (i2, i1)):  # target independent of the unseen source given the other
            if set(keep) == {"12", "t1" if seen is i1 else "t2"}:
                s = cov[np.ix_(it, seen)] @ np.linalg.solve(cov[np.ix_(seen, seen)], cov[np.ix_(seen, unseen)])
                c[np.ix_(it, unseen)], c[np.ix_(unseen, it)] = s, s.T
        return c

    edges = [
        (model([]), model(["t1"])),
        (model(["12"]), model(["12", "t1"])),
        (model(["t2"]), model(["t1", "t2"])),
        (model(["12", "t2"]), cov),
    ]
    return min(mi(after) - mi(before) for before, after in edges)


@pytest.mark.parametrize("seed", range(5))
def test_idep_closed_form_matches_the_dependency_lattice(seed):
    rng = np.random.default_rng(seed + 10)
    dims = rng.integers(1, 4, size=3)
    f = rng.standard_normal((dims.sum(), dims.sum() + 1))
    cov = f @ f.T / dims.sum() + 0.1 * np.eye(dims.sum())
    it = list(range(dims[0]))
    i1 = list(range(dims[0], dims[0] + dims[1]))
    i2 = list(range(dims[0] + dims[1], dims.sum()))
    r = gaussian_pid(cov, i1, i2, it, "idep")
    assert r.unique1 == pytest.approx(_idep_by_the_lattice(cov, i1, i2, it), abs=1e-10)


def test_tilde_rejects_a_coupling_too_large_for_the_dense_solver():
    rng = np.random.default_rng(0)
    f = rng.standard_normal((200, 260))
    cov = f @ f.T / 260
    with pytest.raises(ValueError, match="target of at most 64"):
        gaussian_pid(cov, list(range(66, 133)), list(range(133, 200)), list(range(66)), "tilde")


def _random_system(seed, max_block=4):
    rng = np.random.default_rng(seed)
    dims = rng.integers(1, max_block + 1, size=3)
    f = rng.standard_normal((dims.sum(), dims.sum() + 1))
    cov = f @ f.T / dims.sum() + 0.1 * np.eye(dims.sum())
    it = tuple(range(dims[0]))
    i1 = tuple(range(dims[0], dims[0] + dims[1]))
    i2 = tuple(range(dims[0] + dims[1], dims.sum()))
    return cov, i1, i2, it


@pytest.mark.parametrize("seed", range(5))
def test_whitened_gains_match_numpy(seed):
    cov, i1, i2, it = _random_system(seed)
    mi1, mi2, mi12, k1, k2 = whitened_gains(cov, i1, i2, it)
    for mi, block in ((mi1, i1), (mi2, i2), (mi12, i1 + i2)):
        assert mi == pytest.approx(gaussian_mutual_information(cov, it, block), abs=1e-12)
    whiten = np.linalg.inv(np.linalg.cholesky(cov[np.ix_(it, it)]))
    for k, block in ((k1, i1), (k2, i2)):
        cross = cov[np.ix_(it, block)]
        expected = whiten @ cross @ np.linalg.solve(cov[np.ix_(block, block)], cross.T) @ whiten.T
        np.testing.assert_allclose(k, expected, atol=1e-12)


def _numpy_hessian(p, kx):
    """The Hessian of -1/2 log det S over row-major vec(C), P = S^-1: kron plus the transposed product."""
    pxx, pxy, pyy = p[:kx, :kx], p[:kx, kx:], p[kx:, kx:]
    size = kx * pyy.shape[0]
    return np.kron(pxx, pyy) + np.einsum("ab,cd->cbad", pxy, pxy).reshape(size, size)


def _numpy_gap(g, c, mu):
    """The duality-gap certificate of the barrier point C at mu, in plain numpy (Frobenius norm of B)."""
    m, k = g.shape
    kx = c.shape[0]
    s = np.eye(k)
    s[:kx, kx:], s[kx:, :kx] = c, c.T
    p, q = np.linalg.inv(s), np.linalg.inv(s - g.T @ g)
    scale = 1 / (1 - 2 * mu)
    z11 = scale * (np.eye(m) + g @ q @ g.T)
    z22 = scale * q - p
    dual = (
        -np.linalg.slogdet(z11)[1]
        - m
        + np.trace(z11)
        - 2 * scale * np.sum((g @ q) * g)
        + np.trace(z22)
        + 2 * np.linalg.norm(z22[:kx, kx:]) * math.sqrt(kx * (k - kx))
    )
    return 0.5 * (dual - (np.linalg.slogdet(s - g.T @ g)[1] - np.linalg.slogdet(s)[1]))


@pytest.mark.parametrize("seed", range(5))
def test_union_solver_kernels_match_numpy(seed):
    *_, k1, k2 = whitened_gains(*_random_system(seed + 20))
    (gx, _), (gy, _) = _reduced(k1), _reduced(k2)
    g, kx, ky = np.hstack([gx, gy]), gx.shape[1], gy.shape[1]
    gram = g.T @ g
    c = gram[:kx, kx:]  # the conditionally independent coupling: feasible
    s = np.eye(kx + ky)
    s[:kx, kx:], s[kx:, :kx] = c, c.T
    low, ok = _cholesky(s - gram)
    assert ok
    np.testing.assert_allclose(low, np.linalg.cholesky(s - gram), atol=1e-13)
    np.testing.assert_allclose(_inverse(low), np.linalg.inv(s - gram), rtol=1e-10)
    assert not _cholesky(s - 2 * np.eye(kx + ky))[1]
    p, q, w = np.linalg.inv(s), np.linalg.inv(s - gram), 0.9
    np.testing.assert_allclose(_hessian(p, q, kx, w), _numpy_hessian(q, kx) - w * _numpy_hessian(p, kx), atol=1e-10)
    for mu in (0.1, 1e-4):
        assert _gap(g, gram, c, mu) == pytest.approx(max(_numpy_gap(g, c, mu), 0.0), abs=1e-10)
    union, gap, coupling = _union_kernel(g, kx, 0.0, 1e-10)
    s[:kx, kx:], s[kx:, :kx] = coupling, coupling.T
    assert union == pytest.approx(0.5 * (np.linalg.slogdet(s)[1] - np.linalg.slogdet(s - gram)[1]), abs=1e-12)
    assert 0.0 <= gap <= 1e-10
