"""The registry of PID redundancy measures: every measure list, check and dispatch derives from it."""

from __future__ import annotations

from types import MappingProxyType

from ._redundancy import (
    broja_redundancy,
    gaussian_idep_redundancy,
    gaussian_mmi_redundancy,
    gaussian_tilde_redundancy,
    imin_redundancy,
    mmi_redundancy,
)
from ._types import PIDMeasure

__all__ = ["PID_MEASURES", "measure_entry"]

#: Redundancy measures by name (read-only).
PID_MEASURES = MappingProxyType(
    {
        m.name: m
        for m in (
            PIDMeasure(
                "broja",
                "union information over couplings with the pair marginals (Bertschinger et al. 2014); "
                "certified optimum",
                broja_redundancy,
                None,
            ),
            PIDMeasure("imin", "expected minimum specific information (Williams & Beer 2010)", imin_redundancy, None),
            PIDMeasure(
                "mmi",
                "minimum mutual information; any pairwise-marginal PID of Gaussians, scalar target (Barrett 2015)",
                mmi_redundancy,
                gaussian_mmi_redundancy,
            ),
            PIDMeasure(
                "tilde",
                "BROJA union information over Gaussian couplings, ~G-PID (Venkatesh et al. 2023); certified optimum",
                None,
                gaussian_tilde_redundancy,
            ),
            PIDMeasure(
                "idep",
                "dependency-lattice unique information (James et al. 2018), Gaussian closed form (Kay & Ince 2018)",
                None,
                gaussian_idep_redundancy,
            ),
        )
    }
)


def measure_entry(measure: object, family: str) -> PIDMeasure:
    """The registry entry of ``measure`` after checking it has a form for ``family`` ("discrete" or "gaussian")."""
    names = tuple(name for name, m in PID_MEASURES.items() if getattr(m, family) is not None)
    if not isinstance(measure, str) or measure not in names:
        raise ValueError(f"`measure` must be one of {names} for {family} systems; got {measure!r}")
    return PID_MEASURES[measure]
