"""Exact partial information decomposition of a known discrete pmf p[x1, x2, y]."""

from __future__ import annotations

import math

from modalinfo.typing import ArrayLike
from modalinfo.validation import check_pmf, log_base

from ._pid_measures import measure_entry
from ._redundancy import plugin_mi_nats
from ._types import PIDResult

__all__ = ["discrete_mutual_information", "discrete_pid"]


def discrete_mutual_information(pmf: ArrayLike, *, base: float = math.e) -> float:
    """Mutual information I(X; Y) of a known joint pmf ``pmf[x, y]``.

    ``I(X; Y) = sum_{x,y} p(x, y) log( p(x, y) / (p(x) p(y)) )`` with ``0 log 0 = 0``.

    Parameters
    ----------
    pmf : array_like, shape (nx, ny)
        Joint probability table; non-negative, summing to 1.
    base : float, default e
        Logarithm base: e gives nats, 2 gives bits.

    Returns
    -------
    float
        I(X; Y) >= 0 of the table, in the unit of ``base``.

    Raises
    ------
    ValueError
        If ``pmf`` is not a 2-D probability table, or ``base`` is invalid.
    """
    return plugin_mi_nats(check_pmf(pmf, ndim=2, name="pmf")) / log_base(base)


def discrete_pid(pmf: ArrayLike, measure: str = "broja", *, base: float = math.e) -> PIDResult:
    """Exact bivariate PID of a known pmf ``pmf[x1, x2, y]``.

    Measures of redundancy R (the registry ``PID_MEASURES``); unique and synergistic atoms
    follow from the consistency equations (``PIDResult``):

    - ``"broja"`` (Bertschinger, Rauh, Olbrich, Jost & Ay 2014, Entropy 16:2161):
      ``R = I(X1;Y) + I(X2;Y) - min_Q I_Q(X1,X2;Y)`` over couplings Q with the pmf's
      (x1, y) and (x2, y) marginals. Solved by a barrier method whose optimality is certified
      by a dual bound: ``result.gap`` bounds the error (below 1e-10 nats for most pmfs, up to a
      few 1e-9 when probabilities span more than ten orders of magnitude).
    - ``"imin"`` (Williams & Beer 2010): ``R = sum_y p(y) min_i I(Y=y; X_i)``, with specific
      information ``I(Y=y; X_i) = sum_{x_i} p(x_i|y) log(p(y|x_i) / p(y))``.
    - ``"mmi"`` (minimum mutual information): ``R = min(I(X1;Y), I(X2;Y))``.

    Parameters
    ----------
    pmf : array_like, shape (n1, n2, ny)
        Joint probability table of (X1, X2, Y); non-negative, summing to 1 (within 1e-9).
    measure : {"broja", "imin", "mmi"}, default "broja"
        The redundancy measure.
    base : float, default e
        Logarithm base: e gives nats, 2 gives bits.

    Returns
    -------
    PIDResult
        Redundancy, unique and synergistic atoms and the totals, in the unit of ``base``.

    Raises
    ------
    ValueError
        If ``pmf`` is not a 3-D probability table, ``measure`` is unknown or ``base`` invalid.

    Examples
    --------
    AND of two uniform bits: R = 0.3113 bits, no unique information, S = 0.5 bits.

    >>> from modalinfo.theory import canonical_pmf
    >>> r = discrete_pid(canonical_pmf("and"), base=2)
    >>> round(r.redundancy, 4), round(r.unique1, 6), round(r.synergy, 4)
    (0.3113, 0.0, 0.5)
    """
    entry = measure_entry(measure, "discrete")
    table = check_pmf(pmf, ndim=3, name="pmf")
    mi1 = plugin_mi_nats(table.sum(axis=1))
    mi2 = plugin_mi_nats(table.sum(axis=0))
    mi12 = plugin_mi_nats(table.reshape(-1, table.shape[2]))
    assert entry.discrete is not None  # measure_entry checked it
    red, gap = entry.discrete(table, mi1, mi2, mi12)
    return PIDResult.from_redundancy(red, mi1, mi2, mi12, measure=measure, base=base, gap=gap)
