"""Exact partial information decomposition of a Gaussian system: MMI, ~G (BROJA over Gaussian couplings), I_dep."""

from __future__ import annotations

import math

from modalinfo.typing import ArrayLike
from modalinfo.validation import check_covariance, check_disjoint, check_indices, check_positive

from ._gaussian import IndexLike
from ._gaussian_union import whitened_gains
from ._pid_measures import measure_entry
from ._types import GaussianSystem, PIDResult

__all__ = ["gaussian_pid"]


def gaussian_pid(
    cov: ArrayLike,
    source1: IndexLike,
    source2: IndexLike,
    target: IndexLike,
    measure: str = "mmi",
    *,
    base: float = math.e,
    tol: float = 1e-10,
) -> PIDResult:
    """Partial information decomposition of a jointly Gaussian (X1, X2, Y), any block dimensions.

    Every measure fixes a redundancy R and the consistency equations give the rest::

        Ui = I(Y; Xi) - R,    S = I(Y; X1, X2) - I(Y; X1) - I(Y; X2) + R

    - ``"mmi"``: ``R = min(I(Y; X1), I(Y; X2))``. With a scalar target every PID whose unique
      information depends only on the pairwise marginals (I_min, BROJA, ~G) reduces to it (Barrett
      2015, Phys. Rev. E 91:052802); with a vector target it overstates redundancy, since it
      ignores which information each source carries.
    - ``"tilde"``: the ~G-PID (Venkatesh, Bennett, Gale, Ramirez, Heller, Durand, Olsen & Mihalas 2023,
      NeurIPS), BROJA's union
      information ``min_Q I_Q(Y; X1, X2)`` over Gaussian couplings Q with P's (X1, Y) and (X2, Y)
      blocks; ``R = I1 + I2 - min``. Each source is first reduced to its sufficient statistic for
      Y (rank <= dim Y), so the convex problem has at most ``dim(Y)^2`` unknowns whatever the
      source dimensions; ``result.gap`` is a duality-gap certificate: the reported union
      information exceeds the true minimum by at most ``gap`` (so R, U1, U2 are at most ``gap``
      low and S at most ``gap`` high).
    - ``"idep"``: I_dep (James, Emenheiser & Crutchfield 2018) in the Gaussian closed form of Kay &
      Ince (2018, Entropy 20:240): ``R = max(I_ci(X1; X2), I1 + I2 - I12)``, where ``I_ci`` is the
      sources' information when they are conditionally independent given Y.

    All three are invariant under invertible linear maps within each block. ~G is additive over
    independent systems (the couplings of a product factorise, so the union information is the sum);
    MMI and I_dep are not in general: the minimum of sums is not the sum of minima, and I_dep's
    maximum likewise.

    Parameters
    ----------
    cov : array_like, shape (d, d)
        Covariance of the joint vector; symmetric and positive definite.
    source1, source2 : int or sequence of int
        Index blocks of the two sources (vectors allowed), disjoint from each other and the target.
    target : int or sequence of int
        Index block of the target (a vector allowed).
    measure : {"mmi", "tilde", "idep"}
        The redundancy measure: a key of ``PID_MEASURES`` with a Gaussian form.
    base : float, default e
        Logarithm base: e gives nats, 2 gives bits.
    tol : float, default 1e-10
        For ``"tilde"``: the certified gap, in nats, at which the optimiser stops (it also stops
        when rounding stops the gap from shrinking, near optima on the boundary; ``gap`` reports
        what was reached). Larger values are faster (resampling loops use 1e-6).

    Returns
    -------
    PIDResult
        The four atoms and the three totals of the Gaussian system, in the unit of ``base``;
        ``gap`` certifies the ``"tilde"`` optimum (0 for the closed forms).

    Raises
    ------
    ValueError
        If ``cov`` is invalid, the blocks are invalid or overlap, ``measure`` is unknown, or (for
        ``"tilde"``) the reduced coupling has more than 4096 entries (a target above 64 dimensions
        with sources at least as large).

    Examples
    --------
    ``y = x1 + x2 + e`` with unit-variance independent terms: R = 0.2925 bits, S = 0.5 bits.

    >>> cov = [[1, 0, 1], [0, 1, 1], [1, 1, 3]]
    >>> r = gaussian_pid(cov, [0], [1], [2], base=2)
    >>> round(r.redundancy, 4), round(r.synergy, 4)
    (0.2925, 0.5)

    A two-dimensional target with one coordinate seen by each source: MMI calls the smaller
    information redundant, ~G and I_dep call it unique.

    >>> cov = [[1, 0, 0.8, 0], [0, 1, 0, 0.6], [0.8, 0, 1, 0], [0, 0.6, 0, 1]]
    >>> [round(gaussian_pid(cov, [2], [3], [0, 1], m).redundancy, 4) for m in ("mmi", "tilde", "idep")]
    [0.2231, 0.0, 0.0]
    """
    entry = measure_entry(measure, "gaussian")
    c = check_covariance(cov)
    d = c.shape[0]
    i1 = check_indices(source1, d, "source1")
    i2 = check_indices(source2, d, "source2")
    it = check_indices(target, d, "target")
    check_disjoint(source1=i1, source2=i2, target=it)
    mi1, mi2, mi12, gain1, gain2 = whitened_gains(c, i1, i2, it)
    assert entry.gaussian is not None  # measure_entry checked it
    system = GaussianSystem(c, i1, i2, it, mi1, mi2, mi12, gain1, gain2)
    red, gap = entry.gaussian(system, check_positive(tol, "tol"))
    return PIDResult.from_redundancy(red, mi1, mi2, mi12, measure=measure, base=base, gap=gap)
