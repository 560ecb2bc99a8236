"""Frozen result types of the estimators (dependency-free)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from modalinfo.theory import PID_ATOMS, PID_TOTALS, PIDResult, SynergyBounds

__all__ = [
    "AutoChoice",
    "ConfidenceInterval",
    "Decomposition",
    "MIMethod",
    "PIDEstimate",
    "PIDMethod",
    "PermutationNull",
]


@dataclass(frozen=True)
class MIMethod:
    """One entry of the mutual-information registry ``estimators.MI_METHODS``.

    Attributes
    ----------
    name : str
        The ``method`` argument that selects it.
    kind : {"gaussian", "rank", "knn", "hybrid", "discrete", "mixed", "predictive"}
        The family of the estimator: a Gaussian model of the data, a model of its ranks (copulas),
        nearest neighbours, the copula-kNN hybrid, plug-in on labels, kNN with a discrete side, or
        a cross-fitted probe. The law checker reads which laws apply from it.
    resampling : {"bootstrap", "subsample", "heldout"}
        The scheme under which :func:`estimators.bootstrap_ci` is valid for it: rows drawn with
        replacement, half-samples without replacement (kNN estimators: a repeated row would be its
        own nearest neighbour), or rows of the held-out predictions drawn with replacement (a
        cross-fitted probe, fitted once: ``heldout``).
    description : str
        One line for listings.
    mi : callable
        ``mi(x, y, options) -> float``: the estimate of I(X; Y) in nats (validates its input).
    cmi : callable or None
        ``cmi(x, y, z, options) -> float`` in nats, or None when the method has no conditional form.
    heldout : callable or None
        For the ``"heldout"`` scheme: ``heldout(x, y, z, options) -> (estimate, statistic)`` with
        ``statistic(rows)`` the estimate (nats) recomputed on resampled rows of the held-out
        predictions (``z`` None for I(X; Y)).
    """

    name: str
    kind: str
    resampling: str
    description: str
    mi: Callable[..., float] = field(repr=False)
    cmi: Callable[..., float] | None = field(repr=False)
    heldout: Callable[..., tuple[float, Callable[..., float]]] | None = field(default=None, repr=False)

    @property
    def conditional(self) -> bool:
        """Whether the method estimates conditional information I(X; Y | Z)."""
        return self.cmi is not None

    @property
    def reads_labels(self) -> bool:
        """Whether the method reads discrete inputs as labels (the others read every column as a number)."""
        return self.kind in ("discrete", "mixed", "predictive")


@dataclass(frozen=True)
class PIDMethod:
    """One entry of the registry ``estimators.PID_METHODS``: how ``pid`` turns samples into a decomposition.

    Attributes
    ----------
    name : str
        The ``method`` argument that selects it.
    measures : tuple of str
        The redundancy measures it supports (keys of ``theory.PID_MEASURES``).
    description : str
        One line for listings.
    decompose : callable
        ``decompose((x1, x2, y), measure, options) -> Decomposition``: the PID in nats before the
        atoms are clipped at 0, and how to decompose a resample of the rows (validates its input;
        ``options`` carries ``bins``, ``bias_draws``, ``probe`` and the Generator ``gen``).
    """

    name: str
    measures: tuple[str, ...]
    description: str
    decompose: Callable[..., Decomposition] = field(repr=False)


@dataclass(frozen=True)
class Decomposition:
    """A PID method's raw PID (nats), the PID of a resample of the rows (for intervals), and what it chose."""

    result: PIDResult
    resample: Callable[[np.ndarray], PIDResult] = field(repr=False)
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class AutoChoice:
    """What ``method="auto"`` does with a data set: the estimator(s) and why."""

    method: str
    reason: str


@dataclass(frozen=True)
class ConfidenceInterval:
    """A point estimate with a resampling confidence interval, in the unit of ``base``.

    ``scheme`` is ``"bootstrap"`` (rows drawn with replacement) or
    ``"subsample"`` (half-samples without replacement, Politis & Romano 1994) or ``"heldout"``
    (the held-out predictions of a probe, fitted once); the interval is the estimate minus
    ``bias`` plus the centred quantiles of the resampled estimates, see
    :func:`estimators.bootstrap_ci`: ``bias`` is the estimator's bias measured on a Gaussian
    surrogate (kNN methods), 0 for the others.
    """

    estimate: float
    low: float
    high: float
    level: float
    scheme: str
    n_resamples: int
    base: float = math.e
    bias: float = 0.0

    def __iter__(self) -> Iterator[float]:
        """Unpack as ``estimate, low, high``."""
        return iter((self.estimate, self.low, self.high))


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
    equations hold exactly). Atoms are never negative: an estimate's atom can fall below 0 by
    sampling noise, so ``pid`` holds the atoms clipped at 0 with the totals summed from them
    (:meth:`theory.PIDResult.clipped`), and ``raw`` the decomposition before clipping, whose totals
    are the (bias-corrected) information estimates themselves. ``ci`` maps each atom and total to
    its (low, high) centred bootstrap interval at ``level`` (floored at 0), or is empty;
    ``details`` what the method chose (``"posterior"`` with BROJA: the cells per modality and the
    share of each posterior's information they keep).
    """

    pid: PIDResult
    method: str
    n_samples: int
    ci: dict = field(default_factory=dict)
    level: float = 0.95
    raw: PIDResult | None = None
    details: dict = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        if name in _PID_FIELDS:
            return getattr(self.pid, name)
        raise AttributeError(f"'PIDEstimate' object has no attribute {name!r}")

    def as_dict(self) -> dict[str, object]:
        """Atoms, totals, units, method and the CI bounds as ``<name>_low`` / ``<name>_high``."""
        out: dict[str, object] = {**self.pid.as_dict(), "method": self.method, "n_samples": self.n_samples}
        for key, (low, high) in self.ci.items():
            out[f"{key}_low"], out[f"{key}_high"] = low, high
        return out


_PID_FIELDS = (
    *PID_ATOMS,
    *PID_TOTALS,
    "measure",
    "base",
    "gap",
    "coinformation",
    "units",
)


@dataclass(frozen=True)
class SynergyBoundsEstimate:
    """Synergy bounds estimated from unimodal labeled data and unlabeled pairs (:func:`estimators.synergy_bounds`).

    ``bounds`` holds every bound (a :class:`theory.SynergyBounds`); ``lower`` and ``upper`` are
    its tightest pair; ``ci`` maps ``"lower"`` and ``"upper"`` to (low, high) bootstrap intervals
    at ``level``, or is empty; ``sizes`` are the rows of (labeled x1, labeled x2, pairs).
    """

    bounds: SynergyBounds
    ci: dict
    level: float
    sizes: tuple[int, int, int]

    @property
    def lower(self) -> float:
        """The tightest lower bound."""
        return self.bounds.lower

    @property
    def upper(self) -> float:
        """The tightest upper bound."""
        return self.bounds.upper


@dataclass(frozen=True)
class GaussianFit:
    """Maximum-likelihood Gaussian from rows with missing entries (:func:`estimators.fit_gaussian_missing`)."""

    mean: np.ndarray
    cov: np.ndarray
    method: str
    iterations: int

    def predictor(self, target: Any, features: Any) -> Callable[[np.ndarray], np.ndarray]:
        """The plug-in Bayes predictor ``E[x_target | x_features]`` (column index sequences), as a function of rows."""
        t, f = np.atleast_1d(np.asarray(target, dtype=int)), np.atleast_1d(np.asarray(features, dtype=int))
        coef = np.linalg.solve(self.cov[np.ix_(f, f)], self.cov[np.ix_(f, t)])
        mu_t, mu_f = self.mean[t], self.mean[f]
        return lambda rows: mu_t + (np.asarray(rows, dtype=float) - mu_f) @ coef
