"""Hypothesis strategies for the objects of :mod:`theory` (needs the ``test`` extra).

Arrays are built from a drawn seed with numpy's generator, so each example is reproducible and
shrinks towards small seeds and dimensions.
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from ._latent import LatentModel

__all__ = ["latent_models", "probability_tables", "spd_covariances"]

_SEEDS = st.integers(min_value=0, max_value=2**32 - 1)


@st.composite
def spd_covariances(draw, min_dim: int = 2, max_dim: int = 6, max_condition: float = 1e3) -> np.ndarray:
    """Symmetric positive-definite matrices with condition number at most ``max_condition``.

    ``Q diag(lambda) Q^T`` with Q Haar-orthogonal and log-uniform eigenvalues in
    ``[1, max_condition]``, then scaled by a drawn overall variance.
    """
    d = draw(st.integers(min_value=min_dim, max_value=max_dim))
    rng = np.random.default_rng(draw(_SEEDS))
    q, r = np.linalg.qr(rng.standard_normal((d, d)))
    q *= np.sign(np.diag(r))
    eig = np.exp(rng.uniform(0.0, np.log(max_condition), size=d))
    scale = draw(st.floats(min_value=0.1, max_value=10.0))
    cov = scale * (q * eig) @ q.T
    return 0.5 * (cov + cov.T)


@st.composite
def probability_tables(draw, max_size: int = 4, zeros: bool = True) -> np.ndarray:
    """Probability tables p[x1, x2, y] with alphabets of 2..max_size, optionally with zeros."""
    shape = tuple(draw(st.integers(min_value=2, max_value=max_size)) for _ in range(3))
    rng = np.random.default_rng(draw(_SEEDS))
    alpha = draw(st.sampled_from([0.1, 0.5, 1.0, 5.0]))
    p = rng.dirichlet(np.full(int(np.prod(shape)), alpha)).reshape(shape)
    if zeros and draw(st.booleans()):
        p[rng.random(shape) < 0.3] = 0.0
        if p.sum() == 0:
            p.flat[0] = 1.0
    return p / p.sum()


@st.composite
def latent_models(draw, max_modalities: int = 3, overlap=None) -> LatentModel:
    """Regression :class:`LatentModel` instances with random dimensions, overlap and noise.

    ``overlap`` fixes the overlap when given; otherwise it is drawn from [0, 1].
    """
    k = draw(st.integers(min_value=2, max_value=max_modalities))
    ds = draw(st.integers(min_value=1, max_value=3))
    dk = [draw(st.integers(min_value=1, max_value=3)) for _ in range(k)]
    obs = [ds + d + draw(st.integers(min_value=0, max_value=2)) for d in dk]
    w = draw(st.floats(min_value=0.0, max_value=1.0)) if overlap is None else overlap
    noise = [draw(st.floats(min_value=0.05, max_value=4.0)) for _ in range(k)]
    rng = np.random.default_rng(draw(_SEEDS))
    return LatentModel(
        obs_dims=obs,
        shared_dim=ds,
        private_dims=dk,
        overlap=w,
        noise_var=noise,
        shared_weights=rng.normal(size=ds),
        private_weights=[rng.normal(size=d) for d in dk],
        target_noise_var=draw(st.floats(min_value=0.05, max_value=4.0)),
        mixing_seed=rng,
    )
