"""Hypothesis strategies for properties of information estimators (public, for your own properties).

- :func:`gaussian_cases`: jointly Gaussian blocks (x, y[, z]) with a bounded condition number and
  their exact informations (``theory.gaussian_mutual_information``);
- :func:`label_cases`: a class label and a symbol (discrete, or seen as a Gaussian cluster) with
  a drawn pmf and their exact information;
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

from modalinfo.theory import (
    SymbolClusterModel,
    discrete_mutual_information,
    gaussian_mutual_information,
    get_model,
    model_names,
)
from modalinfo.theory.strategies import latent_models, probability_tables, spd_covariances

__all__ = [
    "GaussianCase",
    "LabelCase",
    "label_cases",
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

    @classmethod
    def reference(cls, rho: float, seed: int) -> GaussianCase:
        """A pair of scalars with correlation ``rho``."""
        return cls(np.array([[1.0, rho], [rho, 1.0]]), 1, 1, 0, seed)

    def sample(self, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """n rows of (x, y, z) as arrays (n, d): standard normals through the Cholesky factor (the same on every
        platform, unlike an SVD-based draw)."""
        data = np.random.default_rng(self.seed).standard_normal((n, self.cov.shape[0])) @ np.linalg.cholesky(self.cov).T
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


@dataclass(frozen=True)
class LabelCase:
    """A class label y and a symbol s with a joint pmf ``p(s, y)``; x is s itself (``discrete``) or s's cluster.

    The cluster of symbol s is ``s * separation`` on the first of ``dims`` coordinates plus Gaussian
    noise of standard deviation 1 on every coordinate, so I(X; Y) is exact (by quadrature, as
    :class:`theory.SymbolClusterModel` computes it; the plug-in of p(s, y) for discrete x).
    """

    separation: float
    symbols: int
    seed: int
    classes: int = 2
    dims: int = 1
    discrete: bool = False

    def pmf(self) -> np.ndarray:
        """p(s, y): a Dirichlet draw from the seed, every cell at least 1 / (100 cells)."""
        g = np.random.default_rng(self.seed)
        p = g.dirichlet(np.full(self.symbols * self.classes, 0.7)) + 0.01 / (self.symbols * self.classes)
        return (p / p.sum()).reshape(self.symbols, self.classes)

    def sample(self, n: int, independent: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) of n rows; ``independent`` draws y from its marginal, independently of x."""
        g = np.random.default_rng(self.seed + 1)
        p = self.pmf()
        cells = g.choice(p.size, size=n, p=p.ravel())
        s, y = np.divmod(cells, self.classes)
        if independent:
            y = g.permutation(y)
        if self.discrete:
            return s, y
        x = g.standard_normal((n, self.dims))
        x[:, 0] += self.separation * s
        return x, y

    def relabel(self, y: np.ndarray) -> np.ndarray:
        """y with its values renamed by a fixed permutation (strings, so that numbers cannot carry over)."""
        names = np.array([f"class-{(c + 1) % self.classes}" for c in range(self.classes)])  # a cyclic shift
        return names[y]

    def label_bound(self, x: np.ndarray, y: np.ndarray) -> float:
        """The plug-in entropy of the label sides of a sample: an estimate with a label side is at most it."""
        sides = [y, x] if self.discrete else [y]
        entropies = []
        for a in sides:
            p = np.unique(a, return_counts=True)[1] / a.shape[0]
            entropies.append(float(-np.sum(p * np.log(p))))
        return min(entropies)

    def exact_mi(self) -> float:
        """I(X; Y) in nats."""
        p = self.pmf()
        if self.discrete:
            return discrete_mutual_information(p)
        if self.dims == 1 and self.symbols == 2:
            model = SymbolClusterModel(p[:, None, :], dims=(1, 1), separation=self.separation, noise="gaussian")
            return model.mutual_information("x1", "y")
        raise ValueError("the exact information is computed for two symbols on one coordinate")

    def __repr__(self) -> str:
        kind = "discrete x" if self.discrete else f"x in {self.dims} dims, clusters {self.separation:g} sd apart"
        shape = f"{self.symbols} symbols x {self.classes} classes"
        return f"LabelCase({shape}, {kind}, seed={self.seed}, I={self.exact_mi():.4f} nats)"


@st.composite
def label_cases(draw: st.DrawFn, discrete: bool = False) -> LabelCase:
    """A symbol (two values) and a class label (2 or 3 classes) with a drawn pmf; x the symbol or its cluster."""
    return LabelCase(
        separation=draw(st.sampled_from([0.5, 1.0, 2.0, 4.0])),
        symbols=2,
        seed=draw(st.integers(min_value=0, max_value=2**32 - 1)),
        classes=draw(st.integers(min_value=2, max_value=3)),
        dims=1,
        discrete=discrete,
    )


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
    """Names of registered models (``theory.model_names``), optionally only one kind of target."""
    names = [n for n in model_names() if target_kind is None or get_model(n).target_kind == target_kind]
    return st.sampled_from(names)
