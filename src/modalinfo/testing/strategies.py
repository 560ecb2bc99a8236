"""Hypothesis strategies for properties of information estimators (public, for your own properties).

- :func:`gaussian_cases`: jointly Gaussian blocks (x, y[, z]) with a bounded condition number and
  their exact informations (``theory.gaussian_mutual_information``);
- :func:`monotone_maps`: strictly increasing maps of a column (information is invariant under them);
- :func:`registered_models`: names of the registered canonical models, by kind of target;
- ``spd_covariances``, ``probability_tables``, ``latent_models``: those of :mod:`modalinfo.theory`.

Examples
--------
>>> from hypothesis import given, settings
>>> @settings(max_examples=5, derandomize=True, database=None)
... @given(gaussian_cases(max_dim=2))
... def test_information_is_nonnegative(case):
...     assert case.exact_mi() >= 0
>>> test_information_is_nonnegative()
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from hypothesis import strategies as st

from modalinfo.simulations import get_model, model_names
from modalinfo.theory import gaussian_mutual_information
from modalinfo.theory.strategies import latent_models, probability_tables, spd_covariances

__all__ = [
    "GaussianCase",
    "gaussian_cases",
    "latent_models",
    "monotone_maps",
    "probability_tables",
    "registered_models",
    "spd_covariances",
]


@dataclass(frozen=True)
class GaussianCase:
    """Jointly Gaussian blocks x (dx), y (dy) and z (dz, possibly 0) with a known covariance.

    ``sample(n)`` draws (x, y, z) reproducibly from ``seed``; the exact informations come from the
    covariance.
    """

    cov: np.ndarray = field(repr=False)
    dx: int
    dy: int
    dz: int
    seed: int

    def _blocks(self) -> tuple[list[int], list[int], list[int]]:
        x = list(range(self.dx))
        y = list(range(self.dx, self.dx + self.dy))
        return x, y, list(range(self.dx + self.dy, self.dx + self.dy + self.dz))

    def sample(self, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """n rows of (x, y, z) as arrays (n, d)."""
        data = np.random.default_rng(self.seed).multivariate_normal(np.zeros(self.cov.shape[0]), self.cov, n)
        x, y, z = self._blocks()
        return data[:, x], data[:, y], data[:, z]

    def exact_mi(self, given_z: bool = False) -> float:
        """I(X; Y) (or I(X; Y | Z)) in nats."""
        x, y, z = self._blocks()
        return gaussian_mutual_information(self.cov, x, y, z if given_z else ())

    def __repr__(self) -> str:
        sd = np.sqrt(np.diag(self.cov))
        corr = self.cov / np.outer(sd, sd) - np.eye(len(sd))
        return (
            f"GaussianCase(dx={self.dx}, dy={self.dy}, dz={self.dz}, seed={self.seed}, "
            f"I(X;Y)={self.exact_mi():.4f} nats, largest |correlation|={np.abs(corr).max():.3f})"
        )


@st.composite
def gaussian_cases(
    draw: st.DrawFn, max_dim: int = 2, *, independent: bool = False, conditioning: bool = False
) -> GaussianCase:
    """Gaussian (x, y[, z]) with 1..max_dim columns each and condition number <= 100.

    ``independent=True`` makes x independent of y (block-diagonal covariance; with z too).
    """
    dx, dy = (draw(st.integers(min_value=1, max_value=max_dim)) for _ in range(2))
    dz = draw(st.integers(min_value=1, max_value=max_dim)) if conditioning else 0
    d = dx + dy + dz
    cov = draw(spd_covariances(min_dim=d, max_dim=d, max_condition=100.0))
    if independent:
        cov[:dx, dx:] = 0.0
        cov[dx:, :dx] = 0.0
    return GaussianCase(cov, dx, dy, dz, draw(st.integers(min_value=0, max_value=2**32 - 1)))


_MAPS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "exp": np.exp,
    "cube": lambda t: t**3,
    "asinh": np.arcsinh,
    "logistic": lambda t: 1.0 / (1.0 + np.exp(-t)),
    "affine": lambda t: 3.0 * t - 2.0,
}


def monotone_maps() -> st.SearchStrategy[tuple[str, Callable[[np.ndarray], np.ndarray]]]:
    """(name, strictly increasing elementwise map) pairs."""
    return st.sampled_from(sorted(_MAPS.items()))


def registered_models(target_kind: str | None = None) -> st.SearchStrategy[str]:
    """Names of registered models (``simulations.model_names``), optionally only one kind of target."""
    names = [n for n in model_names() if target_kind is None or get_model(n).target_kind == target_kind]
    return st.sampled_from(names)
