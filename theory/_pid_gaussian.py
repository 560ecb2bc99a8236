"""Exact partial information decomposition of a Gaussian system with a scalar target."""

from __future__ import annotations

import math

from ._gaussian import IndexLike, conditional_mi_nats
from ._types import PIDResult
from ._validation import check_covariance, check_disjoint, check_indices

__all__ = ["gaussian_pid"]

_MEASURES = ("mmi",)


def gaussian_pid(
    cov: object,
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
        The redundancy measure; only the minimum-mutual-information form is exact here.
    base : float, default e
        Logarithm base: e gives nats, 2 gives bits.

    Returns
    -------
    PIDResult
        Redundancy, unique and synergistic atoms and the totals, in the unit of ``base``.

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
    if measure not in _MEASURES:
        raise ValueError(f"`measure` must be one of {_MEASURES} for Gaussian systems; got {measure!r}")
    c = check_covariance(cov)
    d = c.shape[0]
    i1 = check_indices(source1, d, "source1")
    i2 = check_indices(source2, d, "source2")
    it = check_indices(target, d, "target")
    if len(it) != 1:
        raise ValueError(f"`target` must be a single (scalar) index for the Gaussian MMI PID; got {it}")
    check_disjoint(source1=i1, source2=i2, target=it)
    mi1 = conditional_mi_nats(c, it, i1, ())
    mi2 = conditional_mi_nats(c, it, i2, ())
    mi12 = conditional_mi_nats(c, it, i1 + i2, ())
    return PIDResult.from_redundancy(min(mi1, mi2), mi1, mi2, mi12, measure=measure, base=base)
