"""Result types of :mod:`theory`; dependency-free so that every layer can import them."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ._validation import log_base, unit_name


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
            "redundancy": self.redundancy,
            "unique1": self.unique1,
            "unique2": self.unique2,
            "synergy": self.synergy,
            "mi1": self.mi1,
            "mi2": self.mi2,
            "mi_joint": self.mi_joint,
        }
