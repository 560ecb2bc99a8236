"""Redundancy functions of the PID measures, in nats; the registry ``PID_MEASURES`` points at them.

A discrete redundancy takes a validated pmf ``p[x1, x2, y]`` and the three totals; a Gaussian one
takes a :class:`GaussianSystem` (covariance, index blocks, totals) and the optimiser's tolerance.
Each returns ``(redundancy, gap)`` with ``gap`` a certified bound on the optimisation error (0 in
closed form).
"""

from __future__ import annotations

import numpy as np

from modalinfo.typing import BlockNames

from ._broja import broja_minimum
from ._gaussian_union import source_mi_under_ci, union_information
from ._types import ExactModel, GaussianSystem, PIDResult

__all__ = [
    "broja_redundancy",
    "gaussian_idep_redundancy",
    "gaussian_mmi_redundancy",
    "gaussian_tilde_redundancy",
    "imin_redundancy",
    "mmi_pid",
    "mmi_redundancy",
    "plugin_mi_nats",
]


def plugin_mi_nats(pxy: np.ndarray) -> float:
    """I(X; Y) in nats of a validated 2-D joint pmf (0 log 0 = 0)."""
    px = pxy.sum(axis=1, keepdims=True)
    py = pxy.sum(axis=0, keepdims=True)
    mask = pxy > 0
    return max(float(np.sum(pxy[mask] * np.log(pxy[mask] / (px * py)[mask]))), 0.0)


def _specific_information(pxy: np.ndarray) -> np.ndarray:
    """Specific information I(Y = y; X) = sum_x p(x|y) log(p(y|x) / p(y)), in nats, per y."""
    px = pxy.sum(axis=1, keepdims=True)
    py = pxy.sum(axis=0)
    out = np.zeros(pxy.shape[1])
    for y in np.flatnonzero(py > 0):
        col = pxy[:, y]
        m = col > 0
        out[y] = float(np.sum(col[m] / py[y] * np.log(col[m] / (px[m, 0] * py[y]))))
    return out


def mmi_redundancy(pmf: np.ndarray, mi1: float, mi2: float, mi12: float) -> tuple[float, float]:
    """Minimum mutual information: ``R = min(I(X1;Y), I(X2;Y))``."""
    return min(mi1, mi2), 0.0


def imin_redundancy(pmf: np.ndarray, mi1: float, mi2: float, mi12: float) -> tuple[float, float]:
    """Williams & Beer (2010): ``R = sum_y p(y) min_i I(Y=y; X_i)``."""
    py = pmf.sum(axis=(0, 1))
    spec = np.minimum(_specific_information(pmf.sum(axis=1)), _specific_information(pmf.sum(axis=0)))
    return float(np.dot(py, spec)), 0.0


def broja_redundancy(pmf: np.ndarray, mi1: float, mi2: float, mi12: float) -> tuple[float, float]:
    """Bertschinger et al. (2014): ``R = I1 + I2 - min_Q I_Q(X1,X2;Y)`` over couplings with the pmf's pair marginals."""
    mi_q, gap, _ = broja_minimum(pmf)
    # min_Q I_Q lies in [max(I1, I2), I(X1,X2;Y)]; clipping removes solver rounding only.
    mi_q = min(max(mi_q, mi1, mi2), mi12)
    return mi1 + mi2 - mi_q, gap


def gaussian_mmi_redundancy(system: GaussianSystem, tol: float) -> tuple[float, float]:
    """``R = min(I(X1;Y), I(X2;Y))``; for a scalar target every pairwise-marginal PID equals it (Barrett 2015)."""
    return min(system.mi1, system.mi2), 0.0


def gaussian_tilde_redundancy(system: GaussianSystem, tol: float) -> tuple[float, float]:
    """~G-PID (Venkatesh et al. 2023): ``R = I1 + I2 - min_Q I_Q(Y; X1, X2)`` over Gaussian couplings; certified gap.

    A scalar target has the closed form ``R = min(I1, I2)`` (Barrett 2015: the less informative
    source is then a degraded copy of the other under some Gaussian coupling), exact, gap 0.
    """
    if len(system.target) == 1:
        return gaussian_mmi_redundancy(system, tol)
    union, gap = union_information(system.gain1, system.gain2, tol)
    # The minimum lies in [max(I1, I2), I(X1,X2;Y)] (the true coupling is feasible); clipping removes rounding.
    union = min(max(union, system.mi1, system.mi2), system.mi12)
    return system.mi1 + system.mi2 - union, gap


def gaussian_idep_redundancy(system: GaussianSystem, tol: float) -> tuple[float, float]:
    """I_dep (James et al. 2018; Gaussian closed form, Kay & Ince 2018): ``R = max(I_ci(X1; X2), CoI)``.

    Of the four lattice edges that add the (X1, Y) dependency, the two from models without it
    raise I(Y; X1, X2) by ``I(X1;Y)`` and the two others by ``I(X1;Y) - I_ci(X1;X2)`` (sources
    conditionally independent given Y, so ``I_ci`` is their information in that model) and by
    ``I(X1,X2;Y) - I(X2;Y)`` (the Gaussian pairwise model is P itself). The unique information is
    the least increase, ``U1 = I(X1;Y) - max(I_ci, I1 + I2 - I12)``.
    """
    ci = source_mi_under_ci(system.gain1, system.gain2)
    mi1, mi2 = system.mi1, system.mi2
    return min(max(ci, mi1 + mi2 - system.mi12), mi1, mi2), 0.0


def mmi_pid(
    model: ExactModel,
    source1: BlockNames,
    source2: BlockNames,
    target: BlockNames,
    base: float,
) -> PIDResult:
    """The MMI PID of a model from its exact ``mutual_information`` (models without another exact measure)."""
    s1 = [source1] if isinstance(source1, str) else list(source1)
    s2 = [source2] if isinstance(source2, str) else list(source2)
    mi1 = model.mutual_information(target, s1)
    mi2 = model.mutual_information(target, s2)
    mi12 = model.mutual_information(target, s1 + s2)
    return PIDResult.from_redundancy(min(mi1, mi2), mi1, mi2, mi12, measure="mmi", base=base)
