"""Generalisation-bound terms of Huang et al. (2021), Theorems 1 and 2, for linear classes.

Huang, Du, Xue, Chen, Zhao & Huang (NeurIPS 2021), "What makes multi-modal learning better than
single (provably)". For ERMs on modality sets M and N, with an L-Lipschitz loss bounded in
[0, C], with probability >= 1 - delta/2 (Theorem 1)

    r(h_M g_M) - r(h_N g_N) <= gamma_S(M, N) + 8 L R_m(H o G_M) + 4 C / sqrt(m)
                               + 2 C sqrt(2 ln(2/delta) / m),

and with probability >= 1 - delta (Theorem 2)

    eta(g_M) <= 4 L R_m(H o G_M) + 4 L R_m(H o G) + 6 C sqrt(2 ln(2/delta) / m) + L_hat(M),

where R_m is the Rademacher complexity. For the norm-bounded linear class
{x -> w.x : ||w|| <= B} on inputs with ||x|| <= X, ``R_m <= B X / sqrt(m)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from modalinfo.typing import ArrayLike
from modalinfo.validation import check_finite, check_positive

__all__ = ["HuangBound", "huang_latent_quality_bound", "huang_risk_gap_bound", "linear_rademacher_bound"]


@dataclass(frozen=True)
class HuangBound:
    """The terms of a Huang et al. bound; ``total`` is their sum (arrays broadcast over m)."""

    leading: float | np.ndarray
    complexity: float | np.ndarray
    concentration: float | np.ndarray

    @property
    def total(self) -> float | np.ndarray:
        """The bound: leading + complexity + concentration."""
        return self.leading + self.complexity + self.concentration


def _sizes(m: ArrayLike) -> np.ndarray:
    arr = np.asarray(m, dtype=float)
    if arr.size == 0 or not np.all(np.isfinite(arr)) or np.any(arr < 1):
        raise ValueError(f"`m` must be finite sample size(s) >= 1; got {m!r}")
    return arr


def _probability(delta: float) -> float:
    d = check_positive(delta, "delta")
    if d >= 1:
        raise ValueError(f"`delta` must be in (0, 1); got {delta!r}")
    return d


def _out(x: np.ndarray) -> float | np.ndarray:
    return float(x) if np.ndim(x) == 0 else x


def linear_rademacher_bound(m: ArrayLike, weight_norm: float, input_norm: float) -> float | np.ndarray:
    """Rademacher complexity bound ``B X / sqrt(m)`` of {x -> w.x : ||w|| <= B}, ||x|| <= X.

    Parameters
    ----------
    m : int or array_like
        Sample size(s) >= 1.
    weight_norm, input_norm : float
        B > 0 and X > 0.

    Returns
    -------
    float or ndarray

    Raises
    ------
    ValueError
        If m < 1 or the norms are not positive and finite.
    """
    b = check_positive(weight_norm, "weight_norm")
    x = check_positive(input_norm, "input_norm")
    return _out(b * x / np.sqrt(_sizes(m)))


def huang_risk_gap_bound(
    m: ArrayLike, gamma: float, rademacher: ArrayLike, *, lipschitz: float, loss_bound: float, delta: float = 0.05
) -> HuangBound:
    """Theorem 1 bound on ``r(h_M g_M) - r(h_N g_N)``.

    Parameters
    ----------
    m : int or array_like
        Training sample size(s) >= 1.
    gamma : float
        ``gamma_S(M, N) = eta(g_M) - eta(g_N)``, the latent-quality difference (any sign).
    rademacher : float or array_like
        ``R_m(H o G_M)`` (e.g. :func:`linear_rademacher_bound`), >= 0, broadcast with m.
    lipschitz, loss_bound : float
        The loss's Lipschitz constant L and upper bound C, > 0.
    delta : float in (0, 1)
        Failure probability.

    Returns
    -------
    HuangBound
        leading = gamma; complexity = 8 L R_m; concentration = 4C/sqrt(m) + 2C sqrt(2 ln(2/delta)/m).
    """
    arr = _sizes(m)
    lip = check_positive(lipschitz, "lipschitz")
    c = check_positive(loss_bound, "loss_bound")
    d = _probability(delta)
    gamma = check_finite(gamma, "gamma")
    rad = np.asarray(rademacher, dtype=float)
    if not np.all(np.isfinite(rad)) or np.any(rad < 0):
        raise ValueError(f"`rademacher` must be finite and >= 0; got {rademacher!r}")
    conc = 4 * c / np.sqrt(arr) + 2 * c * np.sqrt(2 * math.log(2 / d) / arr)
    return HuangBound(leading=gamma, complexity=_out(8 * lip * rad), concentration=_out(conc))


def huang_latent_quality_bound(
    m: ArrayLike,
    empirical_excess: float,
    rademacher_subset: ArrayLike,
    rademacher_full: ArrayLike,
    *,
    lipschitz: float,
    loss_bound: float,
    delta: float = 0.05,
) -> HuangBound:
    """Theorem 2 bound on the latent quality ``eta(g_M)`` of the ERM encoder on modalities M.

    Parameters
    ----------
    m : int or array_like
        Training sample size(s) >= 1.
    empirical_excess : float
        ``L_hat(h_M g_M, S) = r_hat(h_M g_M) - r_hat(h* g*)``; may be negative.
    rademacher_subset, rademacher_full : float or array_like
        ``R_m(H o G_M)`` and ``R_m(H o G)``, >= 0.
    lipschitz, loss_bound : float
        L and C, > 0.
    delta : float in (0, 1)
        Failure probability.

    Returns
    -------
    HuangBound
        leading = L_hat; complexity = 4L (R_M + R_full); concentration = 6C sqrt(2 ln(2/delta)/m).
    """
    arr = _sizes(m)
    lip = check_positive(lipschitz, "lipschitz")
    c = check_positive(loss_bound, "loss_bound")
    d = _probability(delta)
    empirical_excess = check_finite(empirical_excess, "empirical_excess")
    rads = [np.asarray(r, dtype=float) for r in (rademacher_subset, rademacher_full)]
    for name, r in zip(("rademacher_subset", "rademacher_full"), rads):
        if not np.all(np.isfinite(r)) or np.any(r < 0):
            raise ValueError(f"`{name}` must be finite and >= 0; got {r!r}")
    conc = 6 * c * np.sqrt(2 * math.log(2 / d) / arr)
    return HuangBound(
        leading=empirical_excess, complexity=_out(4 * lip * (rads[0] + rads[1])), concentration=_out(conc)
    )
