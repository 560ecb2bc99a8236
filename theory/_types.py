"""Protocols and result types of :mod:`modalinfo.theory`; free of the other theory modules."""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Protocol, runtime_checkable

import numpy as np

from modalinfo.typing import BlockNames
from modalinfo.validation import log_base, unit_name

__all__ = ["PID_ATOMS", "PID_TOTALS", "ExactModel", "ModelBase", "PIDMeasure", "PIDResult"]

#: The four atoms of a bivariate PID, in lattice order, and the three informations they decompose.
PID_ATOMS = ("redundancy", "unique1", "unique2", "synergy")
PID_TOTALS = ("mi1", "mi2", "mi_joint")


@runtime_checkable
class ExactModel(Protocol):
    """The contract every model of modalinfo meets: named blocks and their exact quantities.

    A model is a known joint distribution of named blocks: the modalities ``"x1".."xK"``
    (:attr:`modality_names`), the target ``"y"`` and, for latent models, the latents
    (``"z_shared"``, ``"z1".."zK"``). Wrappers (``simulations.NonlinearMixing``,
    ``simulations.MissingModalities``) forward it; ``simulations.sample(model, n, rng)`` draws it
    (one sampler per model type, registered with ``simulations.register_sampler``), returning one
    array (n, d) per block, and every quantity below is exact for what it draws.

    Attributes
    ----------
    block_names : tuple of str
        Every block a sample holds.
    modality_names : tuple of str
        The observed modalities, ``("x1", ..., "xK")``.
    pid_measures : tuple of str
        The measures (keys of ``PID_MEASURES``) :meth:`pid` computes exactly; the first is its default.
    target_kind : {"continuous", "discrete"}
        Whether :meth:`bayes_risk` is a mean squared error or a 0-1 error.
    """

    @property
    def block_names(self) -> tuple[str, ...]: ...

    @property
    def modality_names(self) -> tuple[str, ...]: ...

    @property
    def pid_measures(self) -> tuple[str, ...]: ...

    @property
    def target_kind(self) -> str: ...

    def mutual_information(
        self, a: BlockNames, b: BlockNames, given: BlockNames = (), *, base: float = math.e
    ) -> float:
        """Exact I(A; B | C) between named blocks, in the unit of ``base``."""
        ...

    def bayes_risk(self, modalities: BlockNames) -> float:
        """Bayes risk of predicting y from the named modalities (all of them, or none: ``()``)."""
        ...

    def pid(
        self,
        source1: BlockNames = "x1",
        source2: BlockNames = "x2",
        target: BlockNames = "y",
        *,
        measure: str | None = None,
        base: float = math.e,
    ) -> PIDResult:
        """Exact PID of the target with two sources; ``measure`` in :attr:`pid_measures` (None: the first)."""
        ...


@dataclass(frozen=True)
class PIDResult:
    """A bivariate partial information decomposition of I(Y; X1, X2).

    The four atoms satisfy the consistency equations of any PID (Williams & Beer 2010)::

        I(Y; X1)     = redundancy + unique1
        I(Y; X2)     = redundancy + unique2
        I(Y; X1, X2) = redundancy + unique1 + unique2 + synergy

    Attributes
    ----------
    redundancy, unique1, unique2, synergy : float
        The atoms, in the unit given by ``base``.
    mi1, mi2, mi_joint : float
        The totals I(Y; X1), I(Y; X2) and I(Y; X1, X2), in the same unit.
    measure : str
        The redundancy measure ("broja", "imin", "mmi").
    base : float
        Logarithm base of the unit (``math.e`` for nats, 2 for bits).
    gap : float
        Certified bound on the optimisation error of ``mi_joint``-derived atoms, in the same unit
        (0 for measures in closed form).
    """

    redundancy: float
    unique1: float
    unique2: float
    synergy: float
    mi1: float
    mi2: float
    mi_joint: float
    measure: str
    base: float = math.e
    gap: float = 0.0

    @classmethod
    def from_redundancy(
        cls,
        redundancy: float,
        mi1: float,
        mi2: float,
        mi_joint: float,
        *,
        measure: str,
        base: float = math.e,
        gap: float = 0.0,
    ) -> PIDResult:
        """Build the lattice from a redundancy and the three totals, all given in nats.

        Unique and synergistic atoms follow from the consistency equations, so they hold exactly;
        the result is converted to ``base``.
        """
        factor = 1.0 / log_base(base)
        redundancy, mi1, mi2, mi_joint, gap = (float(v) for v in (redundancy, mi1, mi2, mi_joint, gap))
        return cls(
            redundancy=redundancy * factor,
            unique1=(mi1 - redundancy) * factor,
            unique2=(mi2 - redundancy) * factor,
            synergy=(mi_joint - mi1 - mi2 + redundancy) * factor,
            mi1=mi1 * factor,
            mi2=mi2 * factor,
            mi_joint=mi_joint * factor,
            measure=measure,
            base=base,
            gap=gap * factor,
        )

    @property
    def coinformation(self) -> float:
        """Co-information I(X1; X2; Y) = redundancy - synergy."""
        return self.redundancy - self.synergy

    @property
    def units(self) -> str:
        """Name of the unit ("nats", "bits", ...)."""
        return unit_name(self.base)

    def to_base(self, base: float) -> PIDResult:
        """Return the same decomposition expressed in another logarithm base."""
        factor = log_base(self.base) / log_base(base)
        return PIDResult(
            redundancy=self.redundancy * factor,
            unique1=self.unique1 * factor,
            unique2=self.unique2 * factor,
            synergy=self.synergy * factor,
            mi1=self.mi1 * factor,
            mi2=self.mi2 * factor,
            mi_joint=self.mi_joint * factor,
            measure=self.measure,
            base=base,
            gap=self.gap * factor,
        )

    def as_dict(self) -> dict[str, float | str]:
        """The atoms and totals as a flat dict (for tables)."""
        return {
            "measure": self.measure,
            "units": self.units,
            **{k: getattr(self, k) for k in (*PID_ATOMS, *PID_TOTALS)},
        }

    def clipped(self) -> PIDResult:
        """The atoms clipped at 0 and the totals re-summed from them (the consistency equations still hold).

        For estimates from samples, whose atoms can come out below 0 by sampling noise; clipping is
        the Euclidean projection of the atoms onto the non-negative orthant, which holds every true
        decomposition, so it never moves the atoms farther from the truth.
        """
        r, u1, u2, s = (max(getattr(self, k), 0.0) for k in PID_ATOMS)
        return PIDResult(r, u1, u2, s, r + u1, r + u2, r + u1 + u2 + s, self.measure, self.base, self.gap)


@dataclass(frozen=True)
class SynergyBounds:
    """Bounds on the BROJA synergy from p(x1, y), p(x2, y) and p(x1, x2) (:func:`theory.synergy_bounds`).

    Attributes
    ----------
    redundancy_lower, disagreement_lower : float
        The lower bounds from redundancy and from unimodal disagreement.
    coupling_upper, chain_upper : float
        The upper bounds from the majorization meet (minimum-entropy coupling) and the chain rule.
    lower, upper : float
        The tightest pair: ``max(0, lower bounds)`` and ``min(upper bounds)``.
    redundancy, unique1, unique2 : float
        BROJA atoms of the labeled marginals (known without pairs).
    disagreement : float
        ``E_{p(x1, x2)} ||p(y | x1) - p(y | x2)||_1``, a distance (no unit).
    base : float
        Logarithm base of the information values (e: nats).
    """

    redundancy_lower: float
    disagreement_lower: float
    coupling_upper: float
    chain_upper: float
    lower: float
    upper: float
    redundancy: float
    unique1: float
    unique2: float
    disagreement: float
    base: float

    def as_dict(self) -> dict[str, float]:
        """Every field by name."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class GaussianSystem:
    """A validated Gaussian PID problem: covariance, index blocks, the three informations in nats, gains.

    A source's gain is ``K = Sigma_Y^-1/2 Sigma_YX Sigma_X^-1 Sigma_XY Sigma_Y^-T/2`` (dim Y x dim Y,
    eigenvalues the squared canonical correlations with the target Y).
    """

    cov: np.ndarray
    source1: tuple[int, ...]
    source2: tuple[int, ...]
    target: tuple[int, ...]
    mi1: float
    mi2: float
    mi12: float
    gain1: np.ndarray
    gain2: np.ndarray


@dataclass(frozen=True)
class PIDMeasure:
    """One entry of the registry ``theory.PID_MEASURES``: a redundancy measure and where it is exact.

    Attributes
    ----------
    name : str
        The ``measure`` argument that selects it.
    description : str
        One line with the paper that defines it.
    discrete : callable or None
        ``f(pmf, mi1, mi2, mi12) -> (redundancy, gap)`` in nats for a discrete pmf, or None.
    gaussian : callable or None
        ``f(system, tol) -> (redundancy, gap)`` in nats for a :class:`GaussianSystem` (``tol``: the
        certified gap an optimiser stops at), or None where no exact Gaussian form is implemented.
    """

    name: str
    description: str
    discrete: Callable[..., tuple[float, float]] | None = field(repr=False)
    gaussian: Callable[..., tuple[float, float]] | None = field(repr=False)


class ModelBase(ABC):
    """What every model shares of :class:`ExactModel`: the ``pid`` entry point.

    ``pid`` checks ``measure`` against :attr:`pid_measures` (None: the first) and calls the
    model's ``_pid(source1, source2, target, measure, base)``; a subclass sets ``pid_measures``
    and ``target_kind`` and implements ``_pid``, ``mutual_information`` and ``bayes_risk``.
    """

    pid_measures: tuple[str, ...]

    def pid(
        self,
        source1: BlockNames = "x1",
        source2: BlockNames = "x2",
        target: BlockNames = "y",
        *,
        measure: str | None = None,
        base: float = math.e,
    ) -> PIDResult:
        """Exact PID of the target with two sources, in the unit of ``base``.

        ``measure`` is one of :attr:`pid_measures` (None: the first, the model's default).
        """
        chosen = self.pid_measures[0] if measure is None else measure
        if chosen not in self.pid_measures:
            raise ValueError(f"`measure` must be one of {self.pid_measures} for {type(self).__name__}; got {measure!r}")
        return self._pid(source1, source2, target, chosen, base)

    @abstractmethod
    def _pid(
        self, source1: BlockNames, source2: BlockNames, target: BlockNames, measure: str, base: float
    ) -> PIDResult:
        """The PID for a measure already checked against :attr:`pid_measures`."""
