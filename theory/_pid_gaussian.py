"""Exact partial information decomposition of a Gaussian system with a scalar target."""

from __future__ import annotations

import math

from modalinfo.typing import ArrayLike
from modalinfo.validation import check_covariance, check_disjoint, check_indices

from ._gaussian import IndexLike, conditional_mi_nats
from ._pid_measures import measure_entry
from ._types import PIDResult

__all__ = ["gaussian_pid"]


def gaussian_pid(
    cov: ArrayLike,
    source1: IndexLike,
    source2: IndexLike,
    target: IndexLike,
    measure: str = "mmi",
    *,
    base: float = math.e,
) -> PIDResult:
    """Minimum-mutual-information PID of a jointly Gaussian (X1, X2, Y) with scalar Y.

    Barrett (2015, Phys. Rev. E 91:052802) shows that for jointly Gaussian sources of any
    dimension and a univariate target, every PID whose unique information depends only on the
    pairwise marginals (I_min, BROJA and their kin) reduces to::

        R  = min(I(Y; X1), I(Y; X2))
        Ui = I(Y; Xi) - R                 (the weaker source has none)
        S  = I(Y; X1, X2) - max(I(Y; X1), I(Y; X2))

    Parameters
    ----------
    cov : array_like, shape (d, d)
        Covariance of the joint vector; symmetric and positive definite.
    source1, source2 : int or sequence of int
        Index blocks of the two sources (vectors allowed), disjoint from each other and the target.
    target : int or sequence of one int
        Index of the scalar target.
    measure : {"mmi"}
        The redundancy measure: a key of ``PID_MEASURES`` with a Gaussian form (only the
        minimum-mutual-information form is exact here).
    base : float, default e
        Logarithm base: e gives nats, 2 gives bits.

    Returns
    -------
    PIDResult
        The four atoms and the three totals of the Gaussian system, in the unit of ``base``.

    Raises
    ------
    ValueError
        If ``cov`` is invalid, the blocks are invalid or overlap, the target is not scalar, or
        ``measure`` is unknown.

    Examples
    --------
    ``y = x1 + x2 + e`` with unit-variance independent terms: R = 0.2925 bits, S = 0.5 bits.

    >>> cov = [[1, 0, 1], [0, 1, 1], [1, 1, 3]]
    >>> r = gaussian_pid(cov, [0], [1], [2], base=2)
    >>> round(r.redundancy, 4), round(r.synergy, 4)
    (0.2925, 0.5)
    """
    entry = measure_entry(measure, "gaussian")
    c = check_covariance(cov)
    d = c.shape[0]
    i1 = check_indices(source1, d, "source1")
    i2 = check_indices(source2, d, "source2")
    it = check_indices(target, d, "target")
    check_disjoint(source1=i1, source2=i2, target=it)
    mi1 = conditional_mi_nats(c, it, i1, ())
    mi2 = conditional_mi_nats(c, it, i2, ())
    mi12 = conditional_mi_nats(c, it, i1 + i2, ())
    assert entry.gaussian is not None  # measure_entry checked it
    red, gap = entry.gaussian(c, i1, i2, it, mi1, mi2, mi12)
    return PIDResult.from_redundancy(red, mi1, mi2, mi12, measure=measure, base=base, gap=gap)
