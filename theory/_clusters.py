"""Discrete symbols embedded as clusters: continuous modalities whose PID with a class label is known.

Symbols ``(s1, s2, y) ~ p[s1, s2, y]`` (any pmf: XOR, AND, unique, redundant and their mixtures);
modality k observes its symbol as a cluster in ``dims[k]`` dimensions,

    x_k = c_k[s_k] + eps_k,

with centres on a regular simplex (every two at distance ``separation``) in a random subspace
(``mixing_seed``), and noise either uniform in a ball of radius ``noise_scale`` or Gaussian with
standard deviation ``noise_scale`` per coordinate.

**Separated clusters (ball noise, separation > 2 noise_scale): every quantity is the discrete
one.** Each x_k determines s_k (the nearest centre), and given s_k, x_k is independent of
everything else. For a set of modalities B, ``I(Y; X_B) = I(Y; S_B)``: S_B is a function of X_B
(data processing one way) and Y - S_B - X_B is a Markov chain (the other). The BROJA union
information ``min_Q I_Q(Y; X1, X2)`` over couplings Q of the pairs (X1, Y), (X2, Y) equals the one
over couplings of (S1, Y), (S2, Y): a coupling of the X's maps each x_k to s_k, which keeps the
pair marginals and cannot raise the information; a coupling of the S's extends by drawing each
x_k from p(x_k | s_k) independently, which keeps the pair marginals and leaves I_Q(Y; X1, X2) =
I_Q(Y; S1, S2) (Y - (S1, S2) - (X1, X2) under the extension). So the BROJA atoms, and I_min's
(its specific informations are functionals of p(y | x_k) = p(y | s_k)) and MMI's, equal those of
:func:`theory.discrete_pid` on the pmf. Bayes errors equal the discrete ones.

**Overlapping clusters (Gaussian noise): computed numerically.** Only the projection of x_k on
the centres' span (m_k - 1 dimensions) depends on s_k; the orthogonal rest is independent noise.
Informations, specific informations and Bayes errors are then quadratures of a
:class:`LabelMixture` over h = (s1, s2) (error estimate in ``quadrature_error``). BROJA needs the
couplings of the pair marginals (two binary symbols): each modality's projection u_k is cut into
``bins`` intervals equal in the posterior p(s_k = 1 | u_k) (which fixes p(y | u_k)); the table of
(interval1, interval2, y) is exact (normal CDFs), its BROJA redundancy converges to the true one
as the intervals shrink, and ``result.gap`` holds the change from ``bins / 2`` to ``bins`` plus the
solver's certificate (the totals are the quadrature ones).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cached_property

import numpy as np
from scipy.special import logit, ndtr

from modalinfo.typing import ArrayLike, BlockNames, SeedLike
from modalinfo.validation import check_int, check_pmf, check_positive, log_base, resolve_rng

from ._canonical import canonical_pmf, mixture_pmf
from ._discrete_model import DiscreteModel
from ._mixture import LabelMixture
from ._pid_discrete import discrete_pid
from ._types import ModelBase, PIDResult

__all__ = ["SymbolClusterModel"]

NOISES = ("ball", "gaussian")
#: Intervals per modality of the numerical BROJA of overlapping clusters (and half as many for its error).
BROJA_BINS = 48


class SymbolClusterModel(ModelBase):
    """Two modalities that each see a discrete symbol as a cluster; the class label y is a symbol too.

    Parameters
    ----------
    pmf : array_like (m1, m2, K)
        Joint pmf of (s1, s2, y).
    dims : (int, int), default (8, 8)
        Dimension of each modality (>= m_k - 1).
    separation : float, default 4.0
        Distance between any two centres of a modality.
    noise : {"ball", "gaussian"}, default "ball"
        Uniform in a ball of radius ``noise_scale`` (needs separation > 2 noise_scale: clusters
        that do not touch, so every quantity is the discrete one), or Gaussian with standard
        deviation ``noise_scale`` per coordinate (overlapping clusters).
    noise_scale : float, default 1.0
    mixing_seed : None, int, SeedSequence or Generator, default 0
        Seed of the subspaces that hold the centres.
    name : str, optional
        A label for ``repr``.

    Examples
    --------
    >>> from modalinfo.theory import canonical_pmf
    >>> m = SymbolClusterModel(canonical_pmf("and"))
    >>> round(m.pid(base=2).redundancy, 4), round(m.pid(base=2).synergy, 4)   # the discrete AND
    (0.3113, 0.5)
    """

    modality_names = ("x1", "x2")
    block_names = ("x1", "x2", "y")
    pid_measures = ("broja", "imin", "mmi")
    target_kind = "discrete"

    def __init__(
        self,
        pmf: ArrayLike,
        *,
        dims: Sequence[int] = (8, 8),
        separation: float = 4.0,
        noise: str = "ball",
        noise_scale: float = 1.0,
        mixing_seed: SeedLike = 0,
        name: str = "clusters",
    ) -> None:
        self._pmf = check_pmf(pmf, ndim=3, name="pmf")
        if isinstance(dims, (str, bytes)) or not isinstance(dims, Sequence) or len(dims) != 2:
            raise ValueError(f"`dims` must give the dimension of each of the two modalities; got {dims!r}")
        self.dims = tuple(check_int(d, f"dims[{k}]", max(self._pmf.shape[k] - 1, 1)) for k, d in enumerate(dims))
        self.separation = check_positive(separation, "separation")
        if noise not in NOISES:
            raise ValueError(f"`noise` must be one of {NOISES}; got {noise!r}")
        self.noise = noise
        self.noise_scale = check_positive(noise_scale, "noise_scale")
        if noise == "ball" and self.separation <= 2 * self.noise_scale:
            raise ValueError(
                f"ball noise needs `separation` > 2 `noise_scale` (clusters that do not touch); got {separation!r} "
                f"and {noise_scale!r}: use noise='gaussian' for overlapping clusters"
            )
        self.name = str(name)
        gen = resolve_rng(mixing_seed, "mixing_seed")
        self.bases = tuple(self._basis(m, d, gen) for m, d in zip(self._pmf.shape[:2], self.dims))
        self.centres = tuple(self._simplex(m) @ basis.T for m, basis in zip(self._pmf.shape[:2], self.bases))

    @classmethod
    def canonical(cls, name: str, **kwargs: object) -> SymbolClusterModel:
        """Clusters of a canonical distribution (:func:`theory.canonical_pmf`) or a ``+``-joined equal mixture."""
        parts = name.split("+")
        pmf = canonical_pmf(name) if len(parts) == 1 else mixture_pmf(dict.fromkeys(parts, 1.0))
        return cls(pmf, name=f"clusters-{name}", **kwargs)  # type: ignore[arg-type]

    def _basis(self, m: int, d: int, gen: np.random.Generator) -> np.ndarray:
        q, r = np.linalg.qr(gen.standard_normal((d, max(m - 1, 1))))
        return q * np.sign(np.diag(r))

    def _simplex(self, m: int) -> np.ndarray:
        """m points in m - 1 dimensions, every two at distance ``separation`` (centred)."""
        if m == 1:
            return np.zeros((1, 1))
        vertices = np.eye(m) - 1.0 / m
        coords = vertices @ np.linalg.svd(vertices)[2][: m - 1].T
        return coords * self.separation / math.sqrt(2.0)

    def pmf(self) -> np.ndarray:
        """The joint pmf of (s1, s2, y)."""
        return self._pmf.copy()

    @property
    def label_entropy(self) -> float:
        """H(Y) in nats."""
        py = self._pmf.sum(axis=(0, 1))
        py = py[py > 0]
        return float(-np.sum(py * np.log(py)))

    def __repr__(self) -> str:
        return (
            f"SymbolClusterModel({self.name!r}, dims={self.dims}, separation={self.separation:g}, "
            f"noise={self.noise!r}, noise_scale={self.noise_scale:g})"
        )

    @cached_property
    def _symbols(self) -> DiscreteModel:
        return DiscreteModel(self._pmf, name=self.name)

    def _mixture(self, modalities: tuple[str, ...]) -> LabelMixture:
        """The projections of the modalities on their centres' spans, as a mixture over h = (s1, s2) (cached)."""
        cache: dict[tuple[str, ...], LabelMixture] = self.__dict__.setdefault("_mixtures", {})
        if modalities not in cache:
            cache[modalities] = self._projected(modalities)
        return cache[modalities]

    def _projected(self, modalities: tuple[str, ...]) -> LabelMixture:
        m1, m2, k = self._pmf.shape
        joint = self._pmf.reshape(m1 * m2, k)
        simplex = [self._simplex(m) for m in (m1, m2)]
        s1, s2 = np.divmod(np.arange(m1 * m2), m2)
        means = np.hstack([simplex[0][s1]] * ("x1" in modalities) + [simplex[1][s2]] * ("x2" in modalities))
        cov = self.noise_scale**2 * np.eye(means.shape[1])
        return LabelMixture(joint, means, np.broadcast_to(cov, (m1 * m2, *cov.shape)).copy())

    def _modalities(self, blocks: BlockNames) -> tuple[str, ...]:
        names = (blocks,) if isinstance(blocks, str) else tuple(blocks)
        for name in names:
            if name not in self.modality_names:
                raise ValueError(f"the blocks here are {self.modality_names} and 'y'; got {name!r}")
        return names

    def quadrature_error(self, blocks: BlockNames) -> float:
        """Error estimate of I(Y; blocks) in nats: 0 for separated clusters, the quadrature's otherwise."""
        return 0.0 if self.noise == "ball" else self._mixture(self._modalities(blocks)).error

    def _class_information(self, modalities: tuple[str, ...]) -> float:
        if not modalities:
            return 0.0
        if self.noise == "ball":
            return self._symbols.mutual_information(list(modalities), "y")
        return self._mixture(modalities).information

    def mutual_information(
        self, a: BlockNames, b: BlockNames, given: BlockNames = (), *, base: float = math.e
    ) -> float:
        """Exact I(A; B | C): the discrete value for separated clusters; with overlap, by quadrature (with y)."""
        if self.noise == "ball":
            return self._symbols.mutual_information(a, b, given, base=base)
        groups = [[g] if isinstance(g, str) else list(g) for g in (a, b, given)]
        if sum("y" in g for g in groups[:2]) != 1 or "y" in groups[2]:
            raise ValueError("with overlapping clusters only I(Y; X_B | X_C) is computed: put 'y' alone in `a` or `b`")
        target, other = (groups[0], groups[1]) if "y" in groups[0] else (groups[1], groups[0])
        if target != ["y"]:
            raise ValueError("the group holding 'y' must hold only 'y'")
        cond = self._modalities(groups[2]) if groups[2] else ()
        blocks = self._modalities(other)
        if set(blocks) & set(cond):
            raise ValueError("`a`, `b` and `given` must be disjoint")
        nats = self._class_information(tuple(blocks) + tuple(cond)) - self._class_information(tuple(cond))
        return max(nats, 0.0) / log_base(base)

    def bayes_risk(self, modalities: BlockNames) -> float:
        """Bayes 0-1 error of y from the modalities (discrete for separated clusters, else by quadrature)."""
        if self.noise == "ball":
            return self._symbols.bayes_risk(modalities)
        names = self._modalities(modalities)
        if not names:
            return float(1.0 - self._pmf.sum(axis=(0, 1)).max())
        return self._mixture(names).bayes_error

    def _pid(
        self, source1: BlockNames, source2: BlockNames, target: BlockNames, measure: str, base: float
    ) -> PIDResult:
        if (source1, source2, target) != ("x1", "x2", "y"):
            raise ValueError("this model's PID is that of y with the sources 'x1' and 'x2'")
        if self.noise == "ball":
            return discrete_pid(self._pmf, measure, base=base)
        mi1, mi2 = self._class_information(("x1",)), self._class_information(("x2",))
        mi12 = self._class_information(("x1", "x2"))
        gap = max(self.quadrature_error(b) for b in ("x1", "x2", ("x1", "x2")))
        if measure == "mmi":
            redundancy = min(mi1, mi2)
        elif measure == "imin":
            py = self._pmf.sum(axis=(0, 1))
            spec = np.minimum(self._mixture(("x1",)).specific_information, self._mixture(("x2",)).specific_information)
            redundancy = min(float(py @ spec), mi1, mi2)
        else:
            fine, coarse = self._binned_pid(BROJA_BINS), self._binned_pid(BROJA_BINS // 2)
            redundancy = min(fine.redundancy, mi1, mi2)
            gap += abs(fine.redundancy - coarse.redundancy) + fine.gap
        return PIDResult.from_redundancy(redundancy, mi1, mi2, mi12, measure=measure, base=base, gap=gap)

    def _binned_pid(self, bins: int) -> PIDResult:
        """BROJA PID of (interval of u1, interval of u2, y), the projections cut where p(s_k = 1 | u_k) = j / bins."""
        if self._pmf.shape[:2] != (2, 2):
            raise ValueError("the BROJA PID of overlapping clusters is computed for two binary symbols")
        half = self.separation / 2
        # p(s = 1 | u) = sigmoid(2 half u / sigma^2 + log prior odds); cut at equal steps of it
        slope = 2 * half / self.noise_scale**2
        probs = [self._pmf.sum(axis=(1, 2)), self._pmf.sum(axis=(0, 2))]
        cells = []
        for p in probs:
            prior = math.log(p[1] / p[0]) if p.min() > 0 else 0.0
            cuts = (logit(np.arange(1, bins) / bins) - prior) / slope
            cdf = ndtr(
                (np.concatenate([[-np.inf], cuts, [np.inf]])[:, None] - np.array([-half, half])) / self.noise_scale
            )
            cells.append(np.diff(cdf, axis=0))  # (bins, 2): P(interval | s)
        table = np.einsum("is,jt,sty->ijy", cells[0], cells[1], self._pmf)
        return discrete_pid(table / table.sum(), "broja")
