"""Frozen result types of the estimators (dependency-free)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

__all__ = ["AutoChoice", "ConfidenceInterval", "PIDEstimate", "PermutationNull"]


@dataclass(frozen=True)
class AutoChoice:
    """What ``method="auto"`` does with a data set: the estimator(s) and why."""

    method: str
    reason: str


@dataclass(frozen=True)
class ConfidenceInterval:
    """A point estimate with a resampling confidence interval, in the unit of ``base``.

    ``scheme`` is ``"bootstrap"`` (rows drawn with replacement, percentile interval) or
    ``"subsample"`` (half-samples without replacement, Politis & Romano 1994), see
    :func:`estimators.bootstrap_ci`.
    """

    estimate: float
    low: float
    high: float
    level: float
    scheme: str
    n_resamples: int
    base: float = math.e


@dataclass(frozen=True)
class PermutationNull:
    """An estimate against its permutation null (rows of y shuffled), in the unit of ``base``.

    ``p_value = (1 + #{null >= estimate}) / (1 + n_permutations)`` (Phipson & Smyth 2010);
    ``null_mean`` is the estimator's bias at independence for this sample size.
    """

    estimate: float
    p_value: float
    null_mean: float
    null_sd: float
    null: np.ndarray = field(repr=False)
    base: float = math.e


@dataclass(frozen=True)
class PIDEstimate:
    """A partial information decomposition estimated from samples, with optional bootstrap CIs.

    The atoms and totals are those of ``pid`` (a :class:`theory.PIDResult`, so the consistency
    equations hold exactly); ``ci`` maps each atom and total to its (low, high) percentile
    bootstrap interval at ``level``, or is empty.
    """

    pid: object
    method: str
    n_samples: int
    ci: dict = field(default_factory=dict)
    level: float = 0.95

    def __getattr__(self, name: str) -> object:
        if name in _PID_FIELDS:
            return getattr(self.pid, name)
        raise AttributeError(f"'PIDEstimate' object has no attribute {name!r}")

    def as_dict(self) -> dict[str, object]:
        """Atoms, totals, units, method and the CI bounds as ``<name>_low`` / ``<name>_high``."""
        out = {**self.pid.as_dict(), "method": self.method, "n_samples": self.n_samples}  # type: ignore[attr-defined]
        for key, (low, high) in self.ci.items():
            out[f"{key}_low"], out[f"{key}_high"] = low, high
        return out


_PID_FIELDS = (
    "redundancy", "unique1", "unique2", "synergy", "mi1", "mi2", "mi_joint", "measure", "base", "gap",
    "coinformation", "units",
)
