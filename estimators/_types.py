"""Frozen result types of the estimators (dependency-free)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

__all__ = ["AutoChoice", "ConfidenceInterval", "PermutationNull"]


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
