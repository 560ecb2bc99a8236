"""Bounds on synergy without labeled pairs: from p(x1, y), p(x2, y) and p(x1, x2) alone.

Liang et al. (ICLR 2024), "Multimodal learning without labeled multimodal data: guarantees and
applications", bound the BROJA synergy S of (X1, X2) about Y when only the unimodal labeled
marginals and the unlabeled pairs are known. BROJA's R, U1 and U2 depend on the two labeled
marginals only (Bertschinger et al. 2014), so everything unknown is I(Y; X1, X2), and every bound
is a bound on it over the joints that have the three given pairwise marginals. Derived here, in
nats. (The authors' ``bounds.py`` pairs each "unique" lower bound with the other source's unique
information, a label swap that exceeds the true synergy on 68 of 200 random 2 x 2 x 2 tables here;
subtracts bits from a unitless squared distance in the disagreement bound; and divides 0 by 0
when X1 = X2 = Y.)

- ``redundancy_lower``: by the consistency equations ``S = R - I(X1; X2) + I(X1; X2 | Y)``, and
  ``I(X1; X2 | Y) = I(X1; X2, Y) - I(X1; Y) >= V1 - I(X1; Y)`` where
  ``V1 = min I_Q(X1; X2, Y)`` over Q with the given (x1, x2) and (x1, y) marginals: the union
  information of the BROJA problem with X1 as target, solved exactly (likewise V2, and
  ``I(X1; X2 | Y) >= 0``). Liang et al.'s two "unique" bounds ``V1 - I(X1; X2) - U1`` (and with 2)
  are this bound without the clamp at zero, so they are never tighter.
- ``disagreement_lower``: with ``g = p(y | x1, x2)``, ``f1 = p(y | x1)``, ``f2 = p(y | x2)``, the
  triangle inequality, Pinsker (``||g - f||_1 <= sqrt(2 KL(g || f))``) and Jensen give
  ``delta = E_{p(x1, x2)} ||f1 - f2||_1 <= sqrt(2 (U2 + S)) + sqrt(2 (U1 + S))``, since
  ``E KL(g || f1) = I(Y; X2 | X1) = U2 + S``. The smallest S meeting it is the bound: how much the
  two unimodal Bayes classifiers disagree on unlabeled pairs, beyond what unique information explains.
- ``coupling_upper``: ``I(Y; X1, X2) = H(X1, X2) + H(Y) - H(X1, X2, Y)``, and every coupling of
  two distributions p and q has entropy at least ``H(p ^ q)``, the entropy of their greatest lower
  bound in the majorization lattice (Cicalese, Gargano & Vaccaro 2019, "Minimum-entropy couplings
  and their applications", IEEE Trans. Inf. Theory 65:3436). The joint couples (x1, x2) with y,
  (x1, y) with x2 and (x2, y) with x1; the largest of the three meets' entropies is the lower
  bound on H(X1, X2, Y) that Liang et al. state (the minimum-entropy coupling itself is NP-hard).
- ``chain_upper``: ``I(Y; X1, X2) = I(Y; X1) + I(Y; X2 | X1) <= I(Y; X1) + H(X2 | X1)``, and with
  1 and 2 exchanged.

``lower`` is the largest lower bound (and at least 0), ``upper`` the smallest upper bound (at least 0); every
one holds for every joint with the given marginals, so ``lower <= S <= upper``.

Valid, but loose (measured by ``bench/bench_synergy_bounds.py``, 1000 tables per shape drawn
uniformly from the simplex, in bits): no violation; on 2 x 2 x 2 tables the lower bound is 0 on
47 % of them, its mean is 0.010 against a mean synergy of 0.075, and the mean upper bound is 0.70;
on 3 x 3 x 2 tables, 19 %, 0.015 against 0.131, and 0.85. The bounds bracket what the pairwise
marginals allow: they are tight only where those marginals nearly fix the joint (XOR's marginals
allow every synergy from 0 to 1 bit; AND's bound it to [0.311, 0.5]).
"""

from __future__ import annotations

import math

import numpy as np

from modalinfo.typing import ArrayLike
from modalinfo.validation import check_pmf, log_base

from ._pid_discrete import discrete_pid
from ._redundancy import plugin_mi_nats
from ._types import SynergyBounds

__all__ = ["synergy_bounds"]

# Marginals of the three tables must agree to this (they are probabilities).
_AGREE_ATOL = 1e-9


def _entropy(p: np.ndarray) -> float:
    q = p[p > 0]
    return float(-(q * np.log(q)).sum())


def _meet_entropy(p: np.ndarray, q: np.ndarray) -> float:
    """Entropy of the majorization meet p ^ q: the lower bound on every coupling's entropy."""
    size = max(p.size, q.size)
    a = np.sort(np.pad(p.ravel(), (0, size - p.size)))[::-1]
    b = np.sort(np.pad(q.ravel(), (0, size - q.size)))[::-1]
    cum = np.minimum(np.cumsum(a), np.cumsum(b))
    return _entropy(np.diff(cum, prepend=0.0).clip(min=0.0))


def _conditional(joint: np.ndarray) -> np.ndarray:
    """p(b | a) of a table joint[a, b] (rows with p(a) = 0 left at 0)."""
    row = joint.sum(axis=1, keepdims=True)
    return np.divide(joint, row, out=np.zeros_like(joint), where=row > 0)


def _union_information(x1x2: np.ndarray, x1y: np.ndarray) -> float:
    """``min I_Q(X1; X2, Y)`` over Q with the given (x1, x2) and (x1, y) marginals (BROJA, X1 as target)."""
    feasible = x1x2[:, :, None] * _conditional(x1y)[:, None, :]  # p(x1, x2) p(y | x1), as q[x1, x2, y]
    res = discrete_pid(np.transpose(feasible, (1, 2, 0)))  # sources (x2, y), target x1
    return res.redundancy + res.unique1 + res.unique2


def _disagreement_bound(delta: float, u1: float, u2: float) -> float:
    """Smallest S >= 0 with sqrt(2 (U1 + S)) + sqrt(2 (U2 + S)) >= delta (closed form of the root)."""
    u1, u2 = max(u1, 0.0), max(u2, 0.0)  # BROJA atoms are >= 0 up to the solver's rounding
    if math.sqrt(2 * u1) + math.sqrt(2 * u2) >= delta:
        return 0.0
    c = delta / math.sqrt(2.0)  # sqrt(a) + sqrt(b) = c and a - b = u1 - u2 with a = u1 + S, b = u2 + S
    root_a = 0.5 * (c + (u1 - u2) / c)
    return max(root_a * root_a - u1, 0.0)


def _marginals(
    pmf: ArrayLike | None, x1y: ArrayLike | None, x2y: ArrayLike | None, x1x2: ArrayLike | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if pmf is not None:
        if any(m is not None for m in (x1y, x2y, x1x2)):
            raise ValueError("give either `pmf` or the three marginals `x1y`, `x2y`, `x1x2`, not both")
        p = check_pmf(pmf, ndim=3, name="pmf")
        return p.sum(axis=1), p.sum(axis=0), p.sum(axis=2)
    if any(m is None for m in (x1y, x2y, x1x2)):
        raise ValueError("without `pmf`, all three marginals `x1y`, `x2y` and `x1x2` are needed")
    a, b, c = (check_pmf(m, ndim=2, name=name) for m, name in ((x1y, "x1y"), (x2y, "x2y"), (x1x2, "x1x2")))
    pairs = (
        ("p(y)", "x1y", a.sum(axis=0), "x2y", b.sum(axis=0)),
        ("p(x1)", "x1y", a.sum(axis=1), "x1x2", c.sum(axis=1)),
        ("p(x2)", "x2y", b.sum(axis=1), "x1x2", c.sum(axis=0)),
    )
    for what, left, u, right, v in pairs:
        if u.shape != v.shape:
            raise ValueError(f"`{left}` and `{right}` disagree on the size of {what}: {u.size} against {v.size} values")
        gap = float(np.abs(u - v).max())
        if gap > _AGREE_ATOL:
            raise ValueError(f"`{left}` and `{right}` disagree on {what} (largest difference {gap:.3g})")
    return a, b, c


def synergy_bounds(
    pmf: ArrayLike | None = None,
    *,
    x1y: ArrayLike | None = None,
    x2y: ArrayLike | None = None,
    x1x2: ArrayLike | None = None,
    base: float = math.e,
) -> SynergyBounds:
    """Lower and upper bounds on the BROJA synergy from the pairwise marginals alone (Liang et al. 2024).

    See the module docstring for each bound, its derivation and how loose the bounds are on random
    tables (the lower bound is 0 on about half of the random 2 x 2 x 2 tables); all hold for every
    joint with the given marginals.

    Parameters
    ----------
    pmf : array_like, shape (n1, n2, ny), optional
        A joint table ``pmf[x1, x2, y]``; only its three pairwise marginals are used.
    x1y, x2y, x1x2 : array_like, shapes (n1, ny), (n2, ny), (n1, n2), optional
        The marginals themselves (labeled x1, labeled x2, unlabeled pairs), instead of ``pmf``;
        they must agree on p(y), p(x1) and p(x2).
    base : float, default e
        Logarithm base: e gives nats, 2 gives bits.

    Returns
    -------
    SynergyBounds
        Each bound, the tightest pair ``lower``/``upper`` and the BROJA R, U1, U2 of the labeled marginals.

    Raises
    ------
    ValueError
        For tables that are not probability tables, both or neither of ``pmf`` and the
        marginals, or marginals that disagree (naming which and on what).

    Examples
    --------
    AND of two uniform bits (S = 0.5 bits): the redundancy bound and the coupling bound bracket it.

    >>> from modalinfo.theory import canonical_pmf
    >>> b = synergy_bounds(canonical_pmf("and"), base=2)
    >>> round(b.lower, 4), round(b.upper, 4)
    (0.3113, 0.5)
    """
    factor = log_base(base)
    a, b, c = _marginals(pmf, x1y, x2y, x1x2)
    labeled = discrete_pid(a[:, None, :] * _conditional(b.T).T[None, :, :])  # p(x1, y) p(x2 | y): BROJA R, U
    r, u1, u2 = labeled.redundancy, labeled.unique1, labeled.unique2
    i1y, i2y, i12 = plugin_mi_nats(a), plugin_mi_nats(b), plugin_mi_nats(c)
    v1, v2 = _union_information(c, a), _union_information(c.T, b)
    cond_lower = max(0.0, v1 - i1y, v2 - i2y)  # lower bound on I(X1; X2 | Y)
    redundancy_lower = r - i12 + cond_lower
    f1, f2 = _conditional(a), _conditional(b)
    delta = float(np.einsum("ij,ij->", c, np.abs(f1[:, None, :] - f2[None, :, :]).sum(axis=2)))
    disagreement_lower = _disagreement_bound(delta, u1, u2)
    py, p1, p2 = a.sum(axis=0), a.sum(axis=1), b.sum(axis=1)
    h12, hy = _entropy(c), _entropy(py)
    h_joint = max(_meet_entropy(c, py), _meet_entropy(a, p2), _meet_entropy(b, p1))
    union = r + u1 + u2
    coupling_upper = h12 + hy - h_joint - union
    chain_upper = min(i1y + h12 - _entropy(p1), i2y + h12 - _entropy(p2)) - union
    lower = max(0.0, redundancy_lower, disagreement_lower)
    upper = max(min(coupling_upper, chain_upper), 0.0)  # S >= 0: only rounding goes below
    return SynergyBounds(
        redundancy_lower=redundancy_lower / factor,
        disagreement_lower=disagreement_lower / factor,
        coupling_upper=coupling_upper / factor,
        chain_upper=chain_upper / factor,
        lower=lower / factor,
        upper=upper / factor,
        redundancy=r / factor,
        unique1=u1 / factor,
        unique2=u2 / factor,
        disagreement=delta,
        base=float(base),
    )
