"""Gaussian and Gaussian-copula PID from samples: MMI, ~G and I_dep, bias-corrected.

The three totals are the bias-corrected Gaussian informations of :mod:`._parametric` (the
log-determinant correction, exact for Gaussian data: Misra et al. 2005; Cai et al. 2015 prove
the same correction for the log-determinant). The redundancy is measure-specific:

- ``"mmi"``: ``min(I1, I2)`` of the corrected informations.
- ``"tilde"``, ``"idep"``: the plug-in redundancy of the sample covariance
  (:func:`theory.gaussian_pid`), corrected by a parametric bootstrap: ``bias_draws`` sample
  covariances are drawn from the Wishart law of the fitted Gaussian (Bartlett decomposition, so
  a draw costs O(d^3), not O(n d^2)), and their mean plug-in redundancy minus the fitted one
  estimates the bias. The union information of ~G, unlike an MI, has no known closed-form bias:
  spurious sample correlations of each source with the target fall in different directions and
  the minimisation over couplings turns part of them into redundancy. With ``bias_draws=0`` the
  redundancy is the plug-in ("Cai-only": only the three informations are corrected).

``"copula"`` first maps every column to normal scores (:func:`copula_scores`); the same
estimate then measures the Gaussian copula of the data, invariant to increasing maps of each
column (Ince et al. 2017).
"""

from __future__ import annotations

import numpy as np

from modalinfo.theory import PIDResult, gaussian_pid

from ._inputs import gaussian_covariance, samples
from ._parametric import gaussian_mi_cov

__all__ = ["gaussian_decomposition"]

# Certified gap of each ~G solve inside the bias correction and the bootstrap, in nats.
RESAMPLE_TOL = 1e-6


def _wishart_covariance(chol: np.ndarray, n: int, gen: np.random.Generator) -> np.ndarray:
    """A draw of the sample covariance (divisor n - 1) of n Gaussian rows with covariance ``chol chol^T``."""
    d = chol.shape[0]
    a = np.tril(gen.standard_normal((d, d)), -1)
    a[np.diag_indices(d)] = np.sqrt(gen.chisquare(n - 1 - np.arange(d)))
    half = chol @ a
    return (half @ half.T) / (n - 1)


def _plugin_redundancy(cov: np.ndarray, blocks: tuple[list[int], list[int], list[int]], measure: str) -> float:
    source1, source2, target = blocks
    return gaussian_pid(cov, source1, source2, target, measure, tol=RESAMPLE_TOL).redundancy


def gaussian_decomposition(
    x1: np.ndarray,
    x2: np.ndarray,
    y: np.ndarray,
    measure: str,
    *,
    copula: bool,
    bias_draws: int,
    gen: np.random.Generator,
) -> PIDResult:
    """The bias-corrected Gaussian (or copula) PID in nats; arrays already checked for shape."""
    names = ("x1", "x2", "y")
    arrays, n = samples(*zip((x1, x2, y), names), ranks=copula)
    d1, d2, dy = (a.shape[1] for a in arrays)
    if n <= d1 + d2 + dy + 2:
        raise ValueError(f"the Gaussian PID needs n > d1 + d2 + dy + 2 = {d1 + d2 + dy + 2} samples; got n = {n}")
    cov, (d1, d2, dy) = gaussian_covariance(arrays, names, n, copula)
    i1, i2 = list(range(d1)), list(range(d1, d1 + d2))
    it = list(range(d1 + d2, d1 + d2 + dy))

    def corrected_mi(source: list[int]) -> float:
        idx = source + it
        return gaussian_mi_cov(cov[np.ix_(idx, idx)], len(source), n)

    mi1, mi2, mi12 = corrected_mi(i1), corrected_mi(i2), corrected_mi(i1 + i2)
    if measure == "mmi":
        return PIDResult.from_redundancy(min(mi1, mi2), mi1, mi2, mi12, measure=measure)
    try:
        redundancy = _plugin_redundancy(cov, (i1, i2, it), measure)
    except ValueError as err:
        raise ValueError(f"the sample covariance of (x1, x2, y) cannot be decomposed: {err}") from None
    if bias_draws:
        chol = np.linalg.cholesky(cov)
        blocks = (i1, i2, it)
        draws = [_plugin_redundancy(_wishart_covariance(chol, n, gen), blocks, measure) for _ in range(bias_draws)]
        redundancy -= float(np.mean(draws)) - redundancy
    return PIDResult.from_redundancy(redundancy, mi1, mi2, mi12, measure=measure)
