"""Canonical discrete PID distributions with exact pmfs p[x1, x2, y].

The bivariate examples of Williams & Beer (2010), Bertschinger et al. (2014) and Liang et al.
(2023, Table 1), over uniform independent input bits unless stated:

- ``"xor"``: Y = X1 xor X2 (pure synergy, 1 bit);
- ``"and"``, ``"or"``: Y = X1 and/or X2 (BROJA: R = 0.3113, S = 0.5 bits);
- ``"rdn"``: X1 = X2 = Y (pure redundancy, 1 bit);
- ``"unq"``: Y = X1, X2 independent of both (1 bit unique to X1);
- ``"copy"``: Y = (X1, X2) on four values (BROJA: U1 = U2 = 1 bit; I_min: R = S = 1 bit).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from modalinfo.typing import ArrayLike
from modalinfo.validation import check_pmf, check_positive

__all__ = ["CANONICAL_PMFS", "canonical_pmf", "mixture_pmf", "noisy_pmf"]


def _from_function(fn, ny: int) -> np.ndarray:
    p = np.zeros((2, 2, ny))
    for x1 in range(2):
        for x2 in range(2):
            p[x1, x2, fn(x1, x2)] += 0.25
    return p


def _rdn() -> np.ndarray:
    p = np.zeros((2, 2, 2))
    p[0, 0, 0] = p[1, 1, 1] = 0.5
    return p


CANONICAL_PMFS = {
    "xor": lambda: _from_function(lambda a, b: a ^ b, 2),
    "and": lambda: _from_function(lambda a, b: a & b, 2),
    "or": lambda: _from_function(lambda a, b: a | b, 2),
    "rdn": _rdn,
    "unq": lambda: _from_function(lambda a, b: a, 2),
    "copy": lambda: _from_function(lambda a, b: 2 * a + b, 4),
}
"""Names of the canonical distributions, mapped to functions that build their pmf."""


def canonical_pmf(name: str) -> np.ndarray:
    """The exact pmf ``p[x1, x2, y]`` of a canonical PID distribution.

    Parameters
    ----------
    name : {"xor", "and", "or", "rdn", "unq", "copy"}
        The distribution (see the module docstring).

    Returns
    -------
    ndarray, shape (2, 2, 2), or (2, 2, 4) for "copy"
        The probability table.

    Raises
    ------
    ValueError
        If ``name`` is unknown.
    """
    if name not in CANONICAL_PMFS:
        raise ValueError(f"`name` must be one of {sorted(CANONICAL_PMFS)}; got {name!r}")
    return CANONICAL_PMFS[name]()


def noisy_pmf(pmf: ArrayLike, noise_prob: float) -> np.ndarray:
    """Replace Y by a uniform draw with probability ``noise_prob``.

    ``p_noise(x1, x2, y) = (1 - noise_prob) p(x1, x2, y) + noise_prob p(x1, x2) / |Y|``: a symmetric
    channel on the target that shrinks every atom towards 0 as ``noise_prob`` goes to 1.

    Parameters
    ----------
    pmf : array_like, shape (n1, n2, ny)
        Probability table.
    noise_prob : float in [0, 1]
        Probability that Y is replaced by a uniform value.

    Returns
    -------
    ndarray, same shape as ``pmf``

    Raises
    ------
    ValueError
        If ``pmf`` is not a probability table or ``noise_prob`` is outside [0, 1].
    """
    table = check_pmf(pmf, ndim=3, name="pmf")
    eps = check_positive(noise_prob, "noise_prob", allow_zero=True)
    if eps > 1.0:
        raise ValueError(f"`noise_prob` must be in [0, 1]; got {noise_prob!r}")
    return (1.0 - eps) * table + eps * table.sum(axis=2, keepdims=True) / table.shape[2]


def mixture_pmf(weights: Mapping[str, float], *, noise_prob: float = 0.0) -> np.ndarray:
    """A mixture of the binary canonical distributions: a knob between R, U and S.

    ``p = sum_k w_k p_k`` (then :func:`noisy_pmf`), for canonical names on the common alphabet
    (2, 2, 2); e.g. ``{"rdn": a, "unq": b, "xor": c}`` moves the decomposition between
    redundancy, uniqueness and synergy. The atoms of a mixture are not the mixture of the atoms:
    compute them with :func:`theory.discrete_pid`.

    Parameters
    ----------
    weights : mapping of str to float
        Non-negative weights of binary canonical distributions ("copy" is excluded); normalised.
    noise_prob : float in [0, 1], default 0
        Probability that the target is replaced by a uniform draw (:func:`noisy_pmf`).

    Returns
    -------
    ndarray, shape (2, 2, 2)

    Raises
    ------
    ValueError
        If a name is unknown or not binary, a weight is negative or non-finite, or all are zero.
    """
    if not isinstance(weights, Mapping) or not weights:
        raise ValueError(f"`weights` must be a non-empty mapping of names to weights; got {weights!r}")
    binary = sorted(set(CANONICAL_PMFS) - {"copy"})
    total = np.zeros((2, 2, 2))
    for name, w in weights.items():
        if name not in binary:
            raise ValueError(f"`weights` keys must be among {binary}; got {name!r}")
        total += check_positive(w, f"weights[{name!r}]", allow_zero=True) * canonical_pmf(name)
    if total.sum() <= 0:
        raise ValueError("`weights` must have a positive sum; all weights are zero")
    return noisy_pmf(total / total.sum(), noise_prob)
