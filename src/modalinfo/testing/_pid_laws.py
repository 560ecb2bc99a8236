"""``check_pid_estimator``: the laws of partial information decomposition, checked on any estimator."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from hypothesis import strategies as st

from modalinfo.simulations import sample
from modalinfo.theory import PID_ATOMS, PID_TOTALS, DiscreteModel

from ._report import CheckReport, LawResult
from ._search import smallest_violation
from .strategies import probability_tables

__all__ = ["PID_LAWS", "check_pid_estimator"]

PID_LAWS = {
    "consistency": "exact: R + U1 = I(Y;X1), R + U2 = I(Y;X2), R + U1 + U2 + S = I(Y;X1,X2)",
    "source symmetry": "exact: swapping the sources swaps U1 and U2 and keeps R and S",
    "redundancy bounds": "exact: 0 <= R <= min(I(Y;X1), I(Y;X2))",
    "nonnegative atoms": "exact: U1, U2, S >= 0",
    "determinism": "exact: the same call gives the same atoms",
    "canonical atoms": "statistical: the atoms of XOR, AND, RDN, UNQ and COPY samples match their exact values",
}
ATOMS = PID_ATOMS
CANONICAL = ("xor", "and", "rdn", "unq", "copy")
_ROUNDING = 1e-7  # rounding plus BROJA's certified optimisation gap (below 1e-9 nats)


def _atoms(result: Any) -> dict[str, float]:
    names = (*PID_ATOMS, *PID_TOTALS)
    if isinstance(result, dict):
        return {k: float(result[k]) for k in names}
    return {k: float(getattr(result, k)) for k in names}


def _labels(pmf: np.ndarray, n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    flat = np.random.default_rng(seed).choice(pmf.size, size=n, p=pmf.ravel())
    return np.unravel_index(flat, pmf.shape)  # type: ignore[return-value]


def _check(f: Callable[..., Any], law: str, pmf: np.ndarray, seed: int, n: int) -> tuple[bool, str]:
    x1, x2, y = _labels(pmf, n, seed)
    a = _atoms(f(x1, x2, y))
    values = ", ".join(f"{k} {v:.6g}" for k, v in a.items() if k in ATOMS)
    if law == "consistency":
        gaps = (
            a["redundancy"] + a["unique1"] - a["mi1"],
            a["redundancy"] + a["unique2"] - a["mi2"],
            sum(a[k] for k in ATOMS) - a["mi_joint"],
        )
        return max(map(abs, gaps)) <= _ROUNDING * (1 + a["mi_joint"]), f"{values}; equation gaps {gaps}"
    if law == "source symmetry":
        b = _atoms(f(x2, x1, y))
        pairs = [(a["redundancy"], b["redundancy"]), (a["synergy"], b["synergy"])]
        pairs += [(a["unique1"], b["unique2"]), (a["unique2"], b["unique1"])]
        return all(
            abs(u - v) <= _ROUNDING for u, v in pairs
        ), f"{values}; swapped: R {b['redundancy']:.6g}, S {b['synergy']:.6g}"
    if law == "redundancy bounds":
        ok = -_ROUNDING <= a["redundancy"] <= min(a["mi1"], a["mi2"]) + _ROUNDING
        return ok, f"{values}; I(Y;X1) {a['mi1']:.6g}, I(Y;X2) {a['mi2']:.6g}"
    if law == "nonnegative atoms":
        return min(a["unique1"], a["unique2"], a["synergy"]) >= -_ROUNDING, values
    if law == "determinism":
        b = _atoms(f(x1, x2, y))
        return a == b, f"{values}; again {b}"
    raise ValueError(f"unknown law {law!r}")


def _exact_law(f: Callable[..., Any], law: str, n: int, max_examples: int) -> LawResult:
    cases = st.tuples(probability_tables(max_size=3), st.integers(min_value=0, max_value=2**32 - 1))
    source = "floating-point rounding and BROJA's certified gap"
    found = smallest_violation(cases, lambda case: not _check(f, law, case[0], case[1], n)[0], max_examples)
    if found is None:
        return LawResult(law, True, "", _ROUNDING, source)
    pmf, seed = found
    try:
        detail = _check(f, law, pmf, seed, n)[1]
    except Exception as err:  # reported as the counterexample
        detail = f"raised {type(err).__name__}: {err}"
    table = np.array2string(pmf, precision=3, separator=",").replace("\n", "")
    return LawResult(law, False, f"pmf {table}, seed {seed}: {detail}", _ROUNDING, source)


def _canonical_law(f: Callable[..., Any], measure: str, n: int, z: float) -> LawResult:
    def estimate(name: str, seed: int) -> dict[str, float]:
        data = sample(DiscreteModel.canonical(name), n, rng=seed)
        return _atoms(f(data["x1"][:, 0], data["x2"][:, 0], data["y"][:, 0]))

    spread = np.array([[estimate("and", s)[k] for k in ATOMS] for s in range(10)])
    sd = float(spread.std(axis=0, ddof=1).max())
    worst, where = 0.0, ""
    for name in CANONICAL:
        model = DiscreteModel.canonical(name)
        exact = model.pid(measure=measure)
        m12, my = model.shape[0] * model.shape[1], model.shape[2]
        bias = (m12 - 1) * (my - 1) / (2 * n)  # expected plug-in bias of I(Y; X1, X2), nats
        got = estimate(name, 100)
        for atom in ATOMS:
            excess = abs(got[atom] - getattr(exact, atom)) - (bias + z * sd)
            if excess > worst:
                worst, where = excess, f"{name} {atom}: estimate {got[atom]:.4f}, exact {getattr(exact, atom):.4f}"
    source = f"plug-in bias (m12 - 1)(my - 1)/2n + {z:g} sd over 10 samples of AND at n = {n} (sd {sd:.2g})"
    return LawResult("canonical atoms", worst == 0.0, where, z * sd, source)


def check_pid_estimator(
    f: Callable[..., Any],
    *,
    measure: str = "broja",
    laws: Sequence[str] | None = None,
    n: int = 2000,
    z: float = 4.0,
    max_examples: int = 12,
    name: str | None = None,
) -> CheckReport:
    """Check a partial-information-decomposition estimator against the laws of PID (``PID_LAWS``).

    The exact laws are searched with hypothesis over label triples drawn from random pmfs (alphabets
    of 2 or 3, zeros allowed; ``n`` rows); the canonical atoms compare estimates from ``n`` samples of
    XOR, AND, RDN, UNQ and COPY with their exact ``measure`` atoms (:func:`theory.discrete_pid`) within
    the plug-in bias plus ``z`` standard deviations measured on AND.

    Parameters
    ----------
    f : callable
        ``f(x1, x2, y)`` on label arrays (n,), returning the atoms and totals as attributes or a dict
        (``redundancy``, ``unique1``, ``unique2``, ``synergy``, ``mi1``, ``mi2``, ``mi_joint``; nats).
    measure : str, default "broja"
        The measure ``f`` implements, for the canonical atoms.
    laws, n, z, max_examples, name
        As in :func:`check_mi_estimator`.

    Returns
    -------
    CheckReport

    Examples
    --------
    >>> from modalinfo.estimators import pid
    >>> check_pid_estimator(lambda a, b, y: pid(a, b, y), laws=["consistency"]).passed
    True
    """
    chosen = list(PID_LAWS) if laws is None else list(laws)
    unknown = [law for law in chosen if law not in PID_LAWS]
    if unknown:
        raise ValueError(f"`laws` has unknown laws {unknown}; the laws are {list(PID_LAWS)}")
    if not callable(f):
        raise ValueError("`f` must be callable")
    if isinstance(n, bool) or not isinstance(n, int) or n < 50:
        raise ValueError(f"`n` must be an integer >= 50; got {n!r}")
    if not (math.isfinite(z) and z > 0):
        raise ValueError(f"`z` must be a finite number > 0; got {z!r}")
    results = tuple(
        _canonical_law(f, measure, n, z) if law == "canonical atoms" else _exact_law(f, law, n, max_examples)
        for law in chosen
    )
    return CheckReport(name or str(getattr(f, "__name__", repr(f))), results)
