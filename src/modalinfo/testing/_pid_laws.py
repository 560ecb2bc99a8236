"""``check_pid_estimator``: the laws of partial information decomposition, checked on any estimator."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from hypothesis import strategies as st

from modalinfo.simulations import sample
from modalinfo.theory import PID_ATOMS, PID_TOTALS, DiscreteModel

from ._mi_laws import Law
from ._report import CheckReport, LawResult
from ._search import smallest_violation
from .strategies import probability_tables

__all__ = ["PID_LAWS", "check_pid_estimator"]

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


@dataclass(frozen=True)
class _Run:
    """The estimator under check, with its sample size and the canonical atoms' tolerance."""

    f: Callable[..., Any]
    n: int
    measure: str
    tolerance: float


def _on_pmf(check: Callable[[_Run, tuple, dict], tuple[bool, str]]) -> Callable[[_Run, Any], tuple[bool, str]]:
    """An exact law on label triples drawn from a pmf."""

    def run(ctx: _Run, drawn: Any) -> tuple[bool, str]:
        pmf, seed = drawn
        data = _labels(pmf, ctx.n, seed)
        a = _atoms(ctx.f(*data))
        ok, detail = check(ctx, data, a)
        table = np.array2string(pmf, precision=3, separator=",").replace("\n", "")
        values = ", ".join(f"{k} {v:.6g}" for k, v in a.items() if k in PID_ATOMS)
        return ok, f"pmf {table}, seed {seed}: {values}; {detail}"

    return run


def _consistency(ctx: _Run, data: tuple, a: dict) -> tuple[bool, str]:
    gaps = (
        a["redundancy"] + a["unique1"] - a["mi1"],
        a["redundancy"] + a["unique2"] - a["mi2"],
        sum(a[k] for k in PID_ATOMS) - a["mi_joint"],
    )
    return max(map(abs, gaps)) <= _ROUNDING * (1 + a["mi_joint"]), f"equation gaps {gaps}"


def _symmetry(ctx: _Run, data: tuple, a: dict) -> tuple[bool, str]:
    b = _atoms(ctx.f(data[1], data[0], data[2]))
    pairs = [(a["redundancy"], b["redundancy"]), (a["synergy"], b["synergy"])]
    pairs += [(a["unique1"], b["unique2"]), (a["unique2"], b["unique1"])]
    return all(abs(u - v) <= _ROUNDING for u, v in pairs), f"swapped: R {b['redundancy']:.6g}, S {b['synergy']:.6g}"


def _bounds(ctx: _Run, data: tuple, a: dict) -> tuple[bool, str]:
    ok = -_ROUNDING <= a["redundancy"] <= min(a["mi1"], a["mi2"]) + _ROUNDING
    return ok, f"I(Y;X1) {a['mi1']:.6g}, I(Y;X2) {a['mi2']:.6g}"


def _nonnegative(ctx: _Run, data: tuple, a: dict) -> tuple[bool, str]:
    return min(a["unique1"], a["unique2"], a["synergy"]) >= -_ROUNDING, "an atom below 0"


def _determinism(ctx: _Run, data: tuple, a: dict) -> tuple[bool, str]:
    b = _atoms(ctx.f(*data))
    return a == b, f"again {b}"


def _violates(law: Law, run: _Run, drawn: Any) -> bool:
    return not law.check(run, drawn)[0]


def _estimate(f: Callable[..., Any], name: str, n: int, seed: int) -> dict[str, float]:
    data = sample(DiscreteModel.canonical(name), n, rng=seed)
    return _atoms(f(data["x1"][:, 0], data["x2"][:, 0], data["y"][:, 0]))


def _canonical(ctx: _Run, drawn: Any) -> tuple[bool, str]:
    """Every canonical atom within the plug-in bias plus the tolerance of its exact value."""
    worst, where = 0.0, ""
    for name in CANONICAL:
        model = DiscreteModel.canonical(name)
        exact = model.pid(measure=ctx.measure)
        m12, my = model.shape[0] * model.shape[1], model.shape[2]
        bias = (m12 - 1) * (my - 1) / (2 * ctx.n)  # expected plug-in bias of I(Y; X1, X2), nats
        got = _estimate(ctx.f, name, ctx.n, 100)
        for atom in PID_ATOMS:
            excess = abs(got[atom] - getattr(exact, atom)) - (bias + ctx.tolerance)
            if excess > worst:
                worst, where = excess, f"{name} {atom}: estimate {got[atom]:.4f}, exact {getattr(exact, atom):.4f}"
    return worst == 0.0, where


def _tables() -> st.SearchStrategy[Any]:
    return st.tuples(probability_tables(max_size=3), st.integers(min_value=0, max_value=2**32 - 1))


#: The laws of PID, in the order they are checked (every PID estimator keeps them; kinds are not used).
PID_LAWS = {
    law.name: law
    for law in (
        Law(
            "consistency",
            True,
            "R + U1 = I(Y;X1), R + U2 = I(Y;X2), R + U1 + U2 + S = I(Y;X1,X2)",
            frozenset(),
            lambda d, k: _tables(),
            _on_pmf(_consistency),
        ),
        Law(
            "source symmetry",
            True,
            "swapping the sources swaps U1 and U2 and keeps R and S",
            frozenset(),
            lambda d, k: _tables(),
            _on_pmf(_symmetry),
        ),
        Law(
            "redundancy bounds",
            True,
            "0 <= R <= min(I(Y;X1), I(Y;X2))",
            frozenset(),
            lambda d, k: _tables(),
            _on_pmf(_bounds),
        ),
        Law("nonnegative atoms", True, "U1, U2, S >= 0", frozenset(), lambda d, k: _tables(), _on_pmf(_nonnegative)),
        Law(
            "determinism",
            True,
            "the same call gives the same atoms",
            frozenset(),
            lambda d, k: _tables(),
            _on_pmf(_determinism),
        ),
        Law(
            "canonical atoms",
            False,
            "the atoms of XOR, AND, RDN, UNQ and COPY samples match their exact values",
            frozenset(),
            lambda d, k: st.just(None),
            _canonical,
        ),
    )
}
_REFERENCE_SD: dict[int, float] = {}


def _reference_spread(n: int) -> float:
    """The largest atom sd of modalinfo's plug-in PID over 10 samples of AND at n rows (the reference)."""
    if n not in _REFERENCE_SD:
        from modalinfo.estimators import pid

        runs = np.array([[_estimate(pid, "and", n, s)[k] for k in PID_ATOMS] for s in range(10)])
        _REFERENCE_SD[n] = float(runs.std(axis=0, ddof=1).max())
    return _REFERENCE_SD[n]


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
    the plug-in bias plus ``z`` standard deviations of the reference estimator (modalinfo's plug-in
    PID) measured on AND at the same n, never the checked estimator's own spread (reported beside).

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
    reference = _reference_spread(n)
    run = _Run(f, n, measure, z * reference)
    own = float(
        np.array([[_estimate(f, "and", n, s)[k] for k in PID_ATOMS] for s in range(10)]).std(axis=0, ddof=1).max()
    )
    results = []
    for law_name in chosen:
        law = PID_LAWS[law_name]
        found = smallest_violation(law.cases(0, None), functools.partial(_violates, law, run), max_examples)
        detail = ""
        if found is not None:
            try:
                detail = law.check(run, found)[1]
            except Exception as err:  # reported as the counterexample
                detail = f"raised {type(err).__name__}: {err}"
        if law.exact:
            tol, source = _ROUNDING, "floating-point rounding and BROJA's certified gap"
        else:
            tol = run.tolerance
            source = f"plug-in bias (m12 - 1)(my - 1)/2n + {z:g} sd of the reference plug-in PID of AND at n = {n}"
        results.append(LawResult(law_name, found is None, detail, tol, source, own_spread=own))
    return CheckReport(name or str(getattr(f, "__name__", repr(f))), tuple(results))
