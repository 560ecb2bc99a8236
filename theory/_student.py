"""Multivariate Student-t: exact information, and the heavy-tailed latent-structure model.

If ``v = g sqrt(nu / w)`` with ``g ~ N(0, S)`` and ``w ~ chi^2_nu`` independent, v is multivariate
t with scale matrix S and nu degrees of freedom. Its entropy (Kotz & Nadarajah 2004, eq. 1.9) is

    h(v) = 1/2 log det S + log( (nu pi)^{d/2} Gamma(nu/2) / Gamma((nu+d)/2) )
           + (nu+d)/2 [psi((nu+d)/2) - psi(nu/2)],

so between blocks A, B (d_A + d_B = d) the information is the Gaussian one of S plus a term that
depends on nu and the dimensions only (Arellano-Valle et al. 2013; Czyz et al. 2023, bmi):

    I(A; B) = I_gauss(S; A, B) + c(d_A) + c(d_B) - c(d_A + d_B),
    c(d) = log Gamma(nu/2) - log Gamma((nu+d)/2) + (nu+d)/2 [psi((nu+d)/2) - psi(nu/2)].

The correction is >= 0: heavy tails add dependence (I > 0 even when S is diagonal).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy.special import digamma, gammaln

from modalinfo.typing import ArrayLike, BlockNames
from modalinfo.validation import check_covariance, check_disjoint, check_indices, check_positive, log_base

from ._gaussian import IndexLike, conditional_mi_nats
from ._latent import LatentModel
from ._redundancy import mmi_pid
from ._types import PIDResult

__all__ = ["StudentTLatentModel", "student_t_mutual_information"]


def _correction(df: float, d: int) -> float:
    """c(d) of the module docstring, in nats (c(0) = 0)."""
    half = 0.5 * (df + d)
    return float(gammaln(0.5 * df) - gammaln(half) + half * (digamma(half) - digamma(0.5 * df)))


def _t_mi_nats(scale: np.ndarray, df: float, a: tuple[int, ...], b: tuple[int, ...], c: tuple[int, ...]) -> float:
    """I(A; B | C) in nats by the chain rule I(A; B, C) - I(A; C) on validated input."""

    def mi(u: tuple[int, ...], v: tuple[int, ...]) -> float:
        if not v:
            return 0.0
        gauss = conditional_mi_nats(scale, u, v, ())
        return gauss + _correction(df, len(u)) + _correction(df, len(v)) - _correction(df, len(u) + len(v))

    return max(mi(a, b + c) - mi(a, c), 0.0)


def student_t_mutual_information(
    scale: ArrayLike, a: IndexLike, b: IndexLike, given: IndexLike = (), *, df: float, base: float = math.e
) -> float:
    """Exact I(A; B | C) of a multivariate Student-t distribution.

    ``I(A; B) = I_gauss(S; A, B) + c(d_A) + c(d_B) - c(d_A + d_B)`` (module docstring), and
    ``I(A; B | C) = I(A; B, C) - I(A; C)``. As ``df`` grows it tends to the Gaussian value.

    Parameters
    ----------
    scale : array_like, shape (d, d)
        Scale matrix S (symmetric positive definite); the covariance is ``df / (df - 2) S``.
    a, b, given : sequence of int
        Disjoint index blocks into ``scale``; ``a`` and ``b`` non-empty.
    df : float
        Degrees of freedom nu > 0.
    base : float, default e
        Logarithm base: e gives nats, 2 gives bits.

    Returns
    -------
    float
        I(A; B | C) >= 0 of the multivariate t, in the unit of ``base``.

    Raises
    ------
    ValueError
        If ``scale`` is not a valid covariance, an index block is invalid or they overlap,
        ``df`` is not positive, or ``base`` is invalid.

    Examples
    --------
    Independent Gaussian coordinates become dependent under a common chi-square scale:

    >>> round(student_t_mutual_information([[1, 0], [0, 1]], [0], [1], df=1.0), 4)
    0.2242
    """
    s = check_covariance(scale, "scale")
    nu = check_positive(df, "df")
    d = s.shape[0]
    ia = check_indices(a, d, "a")
    ib = check_indices(b, d, "b")
    ic = check_indices(given, d, "given", allow_empty=True)
    check_disjoint(a=ia, b=ib, given=ic)
    return _t_mi_nats(s, nu, ia, ib, ic) / log_base(base)


class StudentTLatentModel(LatentModel):
    """The latent-structure model of :class:`LatentModel` with heavy (Student-t) tails.

    The whole joint vector ``v = [z_shared, z1..zK, x1..xK, y]`` is ``g sqrt(df / w)`` with
    ``g`` drawn from the Gaussian model and one ``w ~ chi^2_df`` per instance: latents, noise and
    target share the scale, so every conditional mean stays linear (elliptical family) and the
    information between blocks is the Gaussian one plus the t correction
    (:func:`student_t_mutual_information`).

    Parameters
    ----------
    df : float
        Degrees of freedom nu > 0 (tails heavier as nu falls; nu > 2 for a finite variance).
    **kwargs
        The (keyword-only) parameters of :class:`LatentModel`.
    """

    def __init__(self, *, df: float = 3.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.df = check_positive(df, "df")

    def scale_matrix(self) -> np.ndarray:
        """Scale matrix S of the joint vector: the covariance of the underlying Gaussian model."""
        return self._cov.copy()

    def covariance(self) -> np.ndarray:
        """Covariance ``df / (df - 2) S`` of the joint vector; needs ``df > 2``."""
        return self._variance_factor() * self._cov

    def _variance_factor(self) -> float:
        if self.df <= 2:
            raise ValueError(f"the Student-t covariance is infinite for `df` <= 2; got df = {self.df}")
        return self.df / (self.df - 2.0)

    def mutual_information(
        self, a: BlockNames, b: BlockNames, given: BlockNames = (), *, base: float = math.e
    ) -> float:
        """Exact I(A; B | C) between named blocks (Gaussian part plus the t correction), in ``base`` units."""
        ia, ib, ic = self._named_groups(a, b, given)
        return _t_mi_nats(self._cov, self.df, ia, ib, ic) / log_base(base)

    def bayes_risk(self, modalities: BlockNames) -> float:
        """Bayes mean squared error of y from the modalities: ``df/(df-2)`` times the Gaussian one.

        For the elliptical t family ``E[y | x]`` is the Gaussian (linear) regression and
        ``E[Var(y | x)] = df/(df - 2) (S_yy - S_yM S_MM^-1 S_My)``; needs ``df > 2``.
        """
        return self._variance_factor() * super().bayes_risk(modalities)

    pid_measures = ("mmi",)

    def _pid(
        self, source1: BlockNames, source2: BlockNames, target: BlockNames, measure: str, base: float
    ) -> PIDResult:
        """MMI partial information decomposition (redundancy = min of the two source informations)."""
        return mmi_pid(self, source1, source2, target, base)
