"""``check_mi_estimator``: the laws of mutual information, checked by hypothesis on any estimator."""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from hypothesis import strategies as st

from modalinfo.simulations import get_model, sample

from ._report import CheckReport, LawResult
from ._search import smallest_violation
from .strategies import GaussianCase, gaussian_cases, monotone_maps, registered_models

__all__ = ["MI_LAWS", "check_mi_estimator"]

#: The laws, in the order they are checked; "exact" ones hold up to rounding for the estimate
#: itself, the "statistical" ones up to the estimator's measured spread.
MI_LAWS = {
    "symmetry": "exact: I(X;Y) = I(Y;X) on the same data",
    "row permutation": "exact: reordering the rows (pairs kept) changes nothing",
    "column scaling": "exact: x -> a x + b per column (a != 0) changes nothing",
    "linear mixing": "exact: invertible linear maps within x and within y change nothing",
    "monotone maps": "exact: strictly increasing maps of each column change nothing (rank-based estimators)",
    "base": "exact: base=2 gives the nats value / log 2",
    "determinism": "exact: the same call (and seed) gives the same number",
    "independence": "statistical: I(X;Y) = 0 for independent x, y",
    "additivity": "statistical: I(X1,X2; Y1,Y2) = I(X1;Y1) + I(X2;Y2) for independent pairs",
    "data processing": "statistical: I(X; g(Y)) <= I(X; Y) for the non-invertible g(y) = |y|",
    "chain rule": "statistical: I(X; Y,Z) = I(X;Z) + I(X;Y|Z), with the conditional estimator",
    "exact truth": "statistical: agrees with the closed form on Gaussian data",
    "registered models": "statistical: I(x1; y) agrees with the exact value of continuous registered models",
}
_ROUNDING = 1e-8


def _accepts(f: Callable[..., Any], name: str) -> bool:
    try:
        params = inspect.signature(f).parameters
    except (TypeError, ValueError):
        return False
    return name in params or any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())


class _Laws:
    """The estimator with its calling convention, the sample size and the tolerances."""

    def __init__(self, f: Callable[..., Any], cmi: Callable[..., Any] | None, n: int, z: float, bias: float) -> None:
        self.f, self.cmi, self.n = f, cmi, n
        self.kwargs = {"rng": 0} if _accepts(f, "rng") else {}
        self.base = _accepts(f, "base")
        reference = GaussianCase(np.array([[1.0, 0.6], [0.6, 1.0]]), 1, 1, 0, 0)
        values = [self.mi(*GaussianCase(reference.cov, 1, 1, 0, s).sample(n)[:2]) for s in range(10)]
        self.sd = float(np.std(values, ddof=1))
        self.stat_tol = bias + z * self.sd
        self.stat_source = f"bias allowance {bias:g} + {z:g} sd of the estimate over 10 fresh samples at n = {n}"

    def mi(self, x: np.ndarray, y: np.ndarray, **extra: Any) -> float:
        return float(self.f(x, y, **self.kwargs, **extra))

    def close(self, a: float, b: float) -> bool:
        return abs(a - b) <= _ROUNDING * (1.0 + abs(a) + abs(b))

    def check(self, law: str, case: GaussianCase, extra: Any = None) -> tuple[bool, str]:
        """(holds, the values compared) for one law on one case."""
        if law == "registered models":
            model_name, seed = extra
            data = sample(get_model(model_name), self.n, rng=seed)
            a, truth = self.mi(data["x1"], data["y"]), get_model(model_name).mutual_information("x1", "y")
            return abs(a - truth) <= self.stat_tol, f"{model_name}: estimate {a:.4f}, exact {truth:.4f}"
        x, y, z = case.sample(self.n)
        if law == "symmetry":
            a, b = self.mi(x, y), self.mi(y, x)
            return self.close(a, b), f"I(X;Y) = {a:.6g}, I(Y;X) = {b:.6g}"
        if law == "row permutation":
            p = np.random.default_rng(case.seed).permutation(self.n)
            a, b = self.mi(x, y), self.mi(x[p], y[p])
            return self.close(a, b), f"{a:.6g} before, {b:.6g} after"
        if law == "column scaling":
            g = np.random.default_rng(case.seed + 1)
            scale = g.choice([-1.0, 1.0], x.shape[1]) * np.exp(g.uniform(-3, 3, x.shape[1]))
            a, b = self.mi(x, y), self.mi(scale * x + g.normal(size=x.shape[1]), y)
            return self.close(a, b), f"{a:.6g} before, {b:.6g} after scaling x by {np.round(scale, 3).tolist()}"
        if law == "linear mixing":
            g = np.random.default_rng(case.seed + 2)
            mx, my = (np.eye(d) + g.normal(scale=0.8, size=(d, d)) for d in (x.shape[1], y.shape[1]))
            a, b = self.mi(x, y), self.mi(x @ mx, y @ my)
            return self.close(a, b), f"{a:.6g} before, {b:.6g} after mixing"
        if law == "monotone maps":
            name, fn = extra
            a, b = self.mi(x, y), self.mi(fn(x), y)
            return self.close(a, b), f"{a:.6g} before, {b:.6g} after {name}(x)"
        if law == "base":
            a, b = self.mi(x, y), self.mi(x, y, base=2.0)
            return self.close(a / math.log(2.0), b), f"{a:.6g} nats, {b:.6g} bits"
        if law == "determinism":
            a, b = self.mi(x, y), self.mi(x, y)
            return a == b, f"{a!r} then {b!r}"
        if law in ("independence", "exact truth"):
            a, truth = self.mi(x, y), case.exact_mi()
            return abs(a - truth) <= self.stat_tol, f"estimate {a:.4f}, exact {truth:.4f}"
        if law == "additivity":
            half = self.n // 2  # two independent pairs: the two halves of the sample, side by side
            x1, y1, x2, y2 = x[:half], y[:half], x[half : 2 * half], y[half : 2 * half]
            joint = self.mi(np.hstack([x1, x2]), np.hstack([y1, y2]))
            parts = self.mi(x1, y1) + self.mi(x2, y2)
            return abs(joint - parts) <= 2 * self.stat_tol, f"joint {joint:.4f}, sum of parts {parts:.4f}"
        if law == "data processing":
            a, b = self.mi(x, y), self.mi(x, np.abs(y))
            return b <= a + self.stat_tol, f"I(X;Y) = {a:.4f}, I(X; |Y|) = {b:.4f}"
        if law == "chain rule":
            assert self.cmi is not None
            joint = self.mi(x, np.hstack([y, z]))
            parts = self.mi(x, z) + float(self.cmi(x, y, z, **self.kwargs))
            return abs(joint - parts) <= 2 * self.stat_tol, f"I(X;Y,Z) = {joint:.4f}, I(X;Z) + I(X;Y|Z) = {parts:.4f}"
        raise ValueError(f"unknown law {law!r}; the laws are {list(MI_LAWS)}")


def _strategy(law: str, max_dim: int) -> st.SearchStrategy[Any]:
    if law == "independence":
        return gaussian_cases(max_dim, independent=True)
    if law == "chain rule":
        return gaussian_cases(max_dim, conditioning=True)
    if law == "monotone maps":
        return st.tuples(gaussian_cases(max_dim), monotone_maps())
    if law == "registered models":
        return st.tuples(gaussian_cases(1), st.tuples(_continuous_models(), st.integers(0, 2**32 - 1)))
    return gaussian_cases(max_dim)


def _continuous_models() -> st.SearchStrategy[str]:
    """Registered models with a continuous target whose samples have an exact I(x1; y).

    Models whose sample is not the distribution the exact values describe are left out: a planted
    spurious trend (train and test rows mixed) and missing modalities (unseen rows zero-filled).
    """
    return registered_models("continuous").filter(lambda name: not name.startswith(("spurious", "missing")))


def _search(laws: _Laws, law: str, max_dim: int, max_examples: int) -> LawResult:
    exact = MI_LAWS[law].startswith("exact")
    tol = _ROUNDING if exact else laws.stat_tol * (2 if law in ("additivity", "chain rule") else 1)
    source = "floating-point rounding (relative)" if exact else laws.stat_source

    def unpack(drawn: Any) -> tuple[GaussianCase, Any]:
        return (drawn[0], drawn[1]) if law in ("monotone maps", "registered models") else (drawn, None)

    def violates(drawn: Any) -> bool:
        return not laws.check(law, *unpack(drawn))[0]

    smallest = smallest_violation(_strategy(law, max_dim), violates, max_examples)
    if smallest is None:
        return LawResult(law, True, "", tol, source)
    case, extra = unpack(smallest)
    try:
        detail = laws.check(law, case, extra)[1]
    except Exception as err:  # reported as the counterexample
        detail = f"raised {type(err).__name__}: {err}"
    where = (
        detail if law == "registered models" else f"{case!r}{'' if extra is None else ' with ' + extra[0]}: {detail}"
    )
    return LawResult(law, False, where, tol, source)


def check_mi_estimator(
    f: Callable[..., Any],
    *,
    cmi: Callable[..., Any] | None = None,
    laws: Sequence[str] | None = None,
    n: int = 400,
    max_dim: int = 2,
    z: float = 4.0,
    bias: float = 0.0,
    max_examples: int = 12,
    name: str | None = None,
) -> CheckReport:
    """Check a mutual-information estimator against the laws of information (``MI_LAWS``).

    Each law is searched with hypothesis (derandomized, so a report is reproducible) over Gaussian
    data with ``max_dim`` columns per block and ``n`` rows, and the smallest counterexample found is
    reported. Exact laws must hold to floating-point rounding; statistical laws within ``bias`` plus
    ``z`` standard deviations of the estimator, measured on 10 fresh samples of a reference pair
    (correlation 0.6) at the same n.

    Parameters
    ----------
    f : callable
        ``f(x, y) -> float`` in nats, x and y arrays (n, d); given ``rng=0`` and ``base=2.0`` when its
        signature takes them.
    cmi : callable, optional
        ``cmi(x, y, z) -> float``, the conditional estimator that the chain rule pairs with ``f``.
    laws : sequence of str, optional
        The laws to check (default: all of ``MI_LAWS``, less the chain rule without ``cmi`` and the
        base law for estimators without ``base``).
    n, max_dim : int
        Rows and the largest block dimension of the generated data.
    z, bias : float
        The statistical tolerance ``bias + z * sd``.
    max_examples : int
        Cases hypothesis tries per law.
    name : str, optional
        The estimator's name in the report.

    Returns
    -------
    CheckReport
        One :class:`LawResult` per law; ``report.raise_if_failed()`` fails a test with the table.

    Examples
    --------
    >>> from modalinfo.estimators import mutual_information
    >>> report = check_mi_estimator(lambda x, y: mutual_information(x, y, "gaussian"), laws=["symmetry"])
    >>> report.passed
    True
    """
    chosen = list(MI_LAWS) if laws is None else list(laws)
    unknown = [law for law in chosen if law not in MI_LAWS]
    if unknown:
        raise ValueError(f"`laws` has unknown laws {unknown}; the laws are {list(MI_LAWS)}")
    if laws is None:
        chosen = [law for law in chosen if (law != "chain rule" or cmi) and (law != "base" or _accepts(f, "base"))]
    if not callable(f) or (cmi is not None and not callable(cmi)):
        raise ValueError("`f` (and `cmi` when given) must be callable")
    if "chain rule" in chosen and cmi is None:
        raise ValueError("the chain rule needs `cmi`, the conditional estimator paired with `f`")
    if isinstance(n, bool) or not isinstance(n, int) or n < 20:
        raise ValueError(f"`n` must be an integer >= 20; got {n!r}")
    if isinstance(max_dim, bool) or not isinstance(max_dim, int) or not 1 <= max_dim <= 8:
        raise ValueError(f"`max_dim` must be an integer in [1, 8]; got {max_dim!r}")
    if not (math.isfinite(z) and z > 0 and math.isfinite(bias) and bias >= 0):
        raise ValueError(f"`z` must be > 0 and `bias` >= 0; got z = {z!r}, bias = {bias!r}")
    context = _Laws(f, cmi, n, z, bias)
    results = tuple(_search(context, law, max_dim, max_examples) for law in chosen)
    return CheckReport(name or str(getattr(f, "__name__", repr(f))), results)
