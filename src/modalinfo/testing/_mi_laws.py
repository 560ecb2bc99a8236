"""``check_mi_estimator``: the laws of mutual information as records, checked by hypothesis on any estimator.

Each law is a :class:`Law`: a name, whether it is exact or statistical, its statement, the kinds of
estimator built to keep it, the strategy of cases it is searched over and its check. A law that an
estimator's kind is not built to keep is reported as not applicable (``n/a``), so
``raise_if_failed()`` fails only on the laws the estimator claims. Statistical tolerances are the
same for every estimator of a kind at a given n: ``bias + z`` standard deviations of the kind's
*reference* estimator (``REFERENCES``: modalinfo's Gaussian, copula, KSG, ... estimate, measured
on 10 samples of a reference case at the same n), so a noisy estimator cannot widen its own
tolerance; the estimator's own spread is reported beside it.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from hypothesis import strategies as st

from modalinfo.simulations import sample
from modalinfo.theory import get_model

from ._report import CheckReport, LawResult
from ._search import smallest_violation
from .strategies import GaussianCase, LabelCase, gaussian_cases, label_cases, monotone_maps, registered_models

__all__ = ["KINDS", "MI_LAWS", "Law", "check_mi_estimator"]

#: The kinds of estimator (``MIMethod.kind``): which laws each is built to keep.
KINDS = ("gaussian", "rank", "knn", "hybrid", "discrete", "mixed", "predictive")
CONTINUOUS = frozenset({"gaussian", "rank", "knn", "hybrid"})
LABELS = frozenset({"discrete", "mixed", "predictive"})
EVERY = CONTINUOUS | LABELS
_ROUNDING = 1e-8
#: The correlation of the reference case on which spreads are measured.
REFERENCE_RHO = 0.6


@dataclass(frozen=True)
class Law:
    """One law of information: its kind of guarantee, the estimators it binds, its cases and its check."""

    name: str
    exact: bool
    statement: str
    kinds: frozenset[str]
    cases: Callable[[int, str | None], st.SearchStrategy[Any]] = field(repr=False)
    check: Callable[[Any, Any], tuple[bool, str]] = field(repr=False)  # (the checker's context, a case)
    scale: float = 1.0  # tolerance multiple (a difference of two estimates)
    needs: str = ""  # "cmi" or "base": a law that needs the conditional estimator or a base argument


def _accepts(f: Callable[..., Any], name: str) -> bool:
    try:
        params = inspect.signature(f).parameters
    except (TypeError, ValueError):
        return False
    return name in params or any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())


@dataclass
class Context:
    """The estimator with its calling convention, the sample size and the tolerances."""

    f: Callable[..., Any]
    cmi: Callable[..., Any] | None
    n: int
    tolerance: float

    def __post_init__(self) -> None:
        self.kwargs = {"rng": 0} if _accepts(self.f, "rng") else {}

    def mi(self, x: np.ndarray, y: np.ndarray, **extra: Any) -> float:
        return float(self.f(x, y, **self.kwargs, **extra))

    def close(self, a: float, b: float) -> bool:
        return abs(a - b) <= _ROUNDING * (1.0 + abs(a) + abs(b))


def _exact_pair(check: Callable[[Context, np.ndarray, np.ndarray, Any], tuple[float, float, str]]) -> Callable:
    """An exact law comparing two numbers computed on one case (Gaussian blocks, or features and a label)."""

    def run(ctx: Context, drawn: Any) -> tuple[bool, str]:
        case, extra = drawn if isinstance(drawn, tuple) else (drawn, None)
        data = case.sample(ctx.n)
        a, b, detail = check(ctx, data[0], data[1], extra)
        return ctx.close(a, b), f"{case!r}: {detail}"

    return run


def _symmetry(ctx: Context, x: np.ndarray, y: np.ndarray, _: Any) -> tuple[float, float, str]:
    a, b = ctx.mi(x, y), ctx.mi(y, x)
    return a, b, f"I(X;Y) = {a:.6g}, I(Y;X) = {b:.6g}"


def _permutation(ctx: Context, x: np.ndarray, y: np.ndarray, _: Any) -> tuple[float, float, str]:
    p = np.random.default_rng(0).permutation(ctx.n)
    a, b = ctx.mi(x, y), ctx.mi(x[p], y[p])
    return a, b, f"{a:.6g} before, {b:.6g} after"


def _scaling(ctx: Context, x: np.ndarray, y: np.ndarray, _: Any) -> tuple[float, float, str]:
    g = np.random.default_rng(1)
    x = x.reshape(x.shape[0], -1)
    scale = g.choice([-1.0, 1.0], x.shape[1]) * np.exp(g.uniform(-3, 3, x.shape[1]))
    a, b = ctx.mi(x, y), ctx.mi(scale * x + g.normal(size=x.shape[1]), y)
    return a, b, f"{a:.6g} before, {b:.6g} after scaling x by {np.round(scale, 3).tolist()}"


def _mixing(ctx: Context, x: np.ndarray, y: np.ndarray, _: Any) -> tuple[float, float, str]:
    g = np.random.default_rng(2)
    mx, my = (np.eye(d) + g.normal(scale=0.8, size=(d, d)) for d in (x.shape[1], y.shape[1]))
    a, b = ctx.mi(x, y), ctx.mi(x @ mx, y @ my)
    return a, b, f"{a:.6g} before, {b:.6g} after mixing"


def _monotone(ctx: Context, x: np.ndarray, y: np.ndarray, extra: Any) -> tuple[float, float, str]:
    name, fn = extra
    a, b = ctx.mi(x, y), ctx.mi(fn(x), y)
    return a, b, f"{a:.6g} before, {b:.6g} after {name}(x)"


def _base(ctx: Context, x: np.ndarray, y: np.ndarray, _: Any) -> tuple[float, float, str]:
    a, b = ctx.mi(x, y), ctx.mi(x, y, base=2.0)
    return a / math.log(2.0), b, f"{a:.6g} nats, {b:.6g} bits"


def _determinism(ctx: Context, x: np.ndarray, y: np.ndarray, _: Any) -> tuple[float, float, str]:
    a, b = ctx.mi(x, y), ctx.mi(x, y)
    return a, b if a == b else math.inf, f"{a!r} then {b!r}"


def _statistical(check: Callable[[Context, Any], tuple[float, str]], one_sided: bool = False) -> Callable:
    """A statistical law: a deviation compared with the tolerance (one-sided: only excess counts)."""

    def run(ctx: Context, drawn: Any) -> tuple[bool, str]:
        deviation, detail = check(ctx, drawn)
        return (deviation if one_sided else abs(deviation)) <= ctx.tolerance, detail

    return run


def _truth(ctx: Context, case: GaussianCase) -> tuple[float, str]:
    x, y, _ = case.sample(ctx.n)
    a, truth = ctx.mi(x, y), case.exact_mi()
    return a - truth, f"{case!r}: estimate {a:.4f}, exact {truth:.4f}"


def _additivity(ctx: Context, case: GaussianCase) -> tuple[float, str]:
    x, y, _ = case.sample(ctx.n)
    half = ctx.n // 2  # two independent pairs: the two halves of the sample, side by side
    x1, y1, x2, y2 = x[:half], y[:half], x[half : 2 * half], y[half : 2 * half]
    joint = ctx.mi(np.hstack([x1, x2]), np.hstack([y1, y2]))
    parts = ctx.mi(x1, y1) + ctx.mi(x2, y2)
    return joint - parts, f"{case!r}: joint {joint:.4f}, sum of parts {parts:.4f}"


def _processing(ctx: Context, case: GaussianCase) -> tuple[float, str]:
    x, y, _ = case.sample(ctx.n)
    a, b = ctx.mi(x, y), ctx.mi(x, np.abs(y))
    return b - a, f"{case!r}: I(X;Y) = {a:.4f}, I(X; |Y|) = {b:.4f}"


def _chain(ctx: Context, case: GaussianCase) -> tuple[float, str]:
    assert ctx.cmi is not None
    x, y, z = case.sample(ctx.n)
    joint = ctx.mi(x, np.hstack([y, z]))
    parts = ctx.mi(x, z) + float(ctx.cmi(x, y, z, **ctx.kwargs))
    return joint - parts, f"{case!r}: I(X;Y,Z) = {joint:.4f}, I(X;Z) + I(X;Y|Z) = {parts:.4f}"


def _registered(ctx: Context, drawn: tuple[str, int]) -> tuple[float, str]:
    name, seed = drawn
    model = get_model(name)
    data = sample(model, ctx.n, rng=seed)
    a, truth = ctx.mi(data["x1"], data["y"]), model.mutual_information("x1", "y")
    return a - truth, f"{name}: estimate {a:.4f}, exact {truth:.4f}"


def _label_bound(ctx: Context, case: LabelCase) -> tuple[bool, str]:
    x, y = case.sample(ctx.n)
    a, bound = ctx.mi(x, y), case.label_bound(x, y)
    return a <= bound + _ROUNDING * (1 + bound), f"{case!r}: estimate {a:.6g}, plug-in entropy bound {bound:.6g}"


def _relabel(ctx: Context, case: LabelCase) -> tuple[bool, str]:
    x, y = case.sample(ctx.n)
    a, b = ctx.mi(x, y), ctx.mi(x, case.relabel(y))
    return ctx.close(a, b), f"{case!r}: {a:.6g} before, {b:.6g} after relabelling y"


def _label_independence(ctx: Context, case: LabelCase) -> tuple[float, str]:
    x, y = case.sample(ctx.n, independent=True)
    a = ctx.mi(x, y)
    return a, f"{case!r} made independent: estimate {a:.4f}, exact 0"


def _label_truth(ctx: Context, case: LabelCase) -> tuple[float, str]:
    x, y = case.sample(ctx.n)
    a, truth = ctx.mi(x, y), case.exact_mi()
    return a - truth, f"{case!r}: estimate {a:.4f}, exact {truth:.4f}"


def _continuous_models() -> st.SearchStrategy[tuple[str, int]]:
    """Registered models with a continuous target whose samples have an exact I(x1; y).

    Models whose sample is not the distribution the exact values describe are left out: a planted
    spurious trend (train and test rows mixed) and missing modalities (unseen rows zero-filled).
    """
    names = registered_models("continuous").filter(lambda name: not name.startswith(("spurious", "missing")))
    return st.tuples(names, st.integers(0, 2**32 - 1))


def _cases(**kw: Any) -> Callable[[int, str | None], st.SearchStrategy[Any]]:
    """Gaussian blocks for continuous kinds, features with a label (the symbol itself for discrete) for the others."""

    def strategy(max_dim: int, kind: str | None) -> st.SearchStrategy[Any]:
        if kind in LABELS and not kw:
            return label_cases(discrete=kind == "discrete")
        return gaussian_cases(max_dim, **kw)

    return strategy


#: Kinds whose exact laws hold on the data itself (the hybrid's tie-breaking jitter moves with the rows).
_EXACT_ON_DATA = frozenset({"gaussian", "rank", "knn"})


def _labels(max_dim: int, kind: str | None) -> st.SearchStrategy[LabelCase]:
    return label_cases(discrete=kind == "discrete")


#: The laws, in the order they are checked.
MI_LAWS = {
    law.name: law
    for law in (
        Law(
            "symmetry",
            True,
            "I(X;Y) = I(Y;X) on the same data",
            _EXACT_ON_DATA | LABELS,
            _cases(),
            _exact_pair(_symmetry),
        ),
        Law(
            "row permutation",
            True,
            "reordering the rows (pairs kept) changes nothing",
            _EXACT_ON_DATA | {"discrete", "mixed"},
            _cases(),
            _exact_pair(_permutation),
        ),
        Law(
            "column scaling",
            True,
            "x -> a x + b per column (a != 0) changes nothing",
            _EXACT_ON_DATA | {"mixed", "predictive"},
            _cases(),
            _exact_pair(_scaling),
        ),
        Law(
            "linear mixing",
            True,
            "invertible linear maps within x and within y change nothing",
            frozenset({"gaussian"}),
            _cases(),
            _exact_pair(_mixing),
        ),
        Law(
            "monotone maps",
            True,
            "strictly increasing maps of each column change nothing",
            frozenset({"rank"}),
            lambda d, k: st.tuples(gaussian_cases(d), monotone_maps()),
            _exact_pair(_monotone),
        ),
        Law("base", True, "base=2 gives the nats value / log 2", EVERY, _cases(), _exact_pair(_base), needs="base"),
        Law(
            "determinism",
            True,
            "the same call (and seed) gives the same number",
            EVERY,
            _cases(),
            _exact_pair(_determinism),
        ),
        Law(
            "independence",
            False,
            "I(X;Y) = 0 for independent x, y",
            CONTINUOUS,
            _cases(independent=True),
            _statistical(_truth),
        ),
        Law(
            "additivity",
            False,
            "I(X1,X2; Y1,Y2) = I(X1;Y1) + I(X2;Y2) for independent pairs",
            frozenset({"gaussian", "rank", "hybrid"}),
            _cases(),
            _statistical(_additivity),
            scale=2.0,
        ),
        Law(
            "data processing",
            False,
            "I(X; g(Y)) <= I(X; Y) for the non-invertible g(y) = |y|",
            CONTINUOUS,
            _cases(),
            _statistical(_processing, one_sided=True),
        ),
        Law(
            "chain rule",
            False,
            "I(X; Y,Z) = I(X;Z) + I(X;Y|Z), with the conditional estimator",
            CONTINUOUS,
            _cases(conditioning=True),
            _statistical(_chain),
            scale=2.0,
            needs="cmi",
        ),
        Law(
            "exact truth",
            False,
            "agrees with the closed form on Gaussian data",
            frozenset({"gaussian", "rank", "hybrid"}),
            _cases(),
            _statistical(_truth),
        ),
        Law(
            "registered models",
            False,
            "I(x1; y) agrees with the exact value of continuous registered models (heavy tails, invertible maps: "
            "kinds consistent beyond Gaussian dependence)",
            frozenset({"knn", "hybrid"}),
            lambda d, k: _continuous_models(),
            _statistical(_registered),
        ),
        Law("entropy bound", True, "I(X;Y) <= the plug-in entropy of each label side", LABELS, _labels, _label_bound),
        Law(
            "relabelling",
            True,
            "renaming the label values changes nothing",
            frozenset({"discrete", "mixed"}),
            _labels,
            _relabel,
        ),
        Law(
            "label independence",
            False,
            "I(X;Y) = 0 for x independent of the label",
            LABELS,
            _labels,
            _statistical(_label_independence),
        ),
        Law(
            "label truth",
            False,
            "agrees with the exact information of a class-label model",
            frozenset({"discrete", "mixed"}),
            _labels,
            _statistical(_label_truth),
        ),
        Law(
            "lower bound",
            False,
            "the estimate is at most the exact information (a predictive bound)",
            frozenset({"predictive"}),
            _labels,
            _statistical(_label_truth, one_sided=True),
        ),
    )
}


def _resolve(f: Callable[..., Any] | str, cmi: Callable[..., Any] | None, kind: str | None) -> tuple:
    """(estimator, conditional estimator, kind, name) from a callable or a name of ``MI_METHODS``."""
    if isinstance(f, str):
        from modalinfo.estimators import MI_METHODS, conditional_mutual_information, mutual_information

        if f not in MI_METHODS:
            raise ValueError(f"`f` must be callable or a method of MI_METHODS {tuple(MI_METHODS)}; got {f!r}")
        entry, method = MI_METHODS[f], f

        def estimate(x: Any, y: Any, rng: Any = None, base: float = math.e) -> float:
            return mutual_information(x, y, method, rng=rng, base=base)

        def conditional(x: Any, y: Any, z: Any, rng: Any = None) -> float:
            return conditional_mutual_information(x, y, z, method, rng=rng)

        return estimate, conditional if entry.conditional else None, entry.kind, method
    if not callable(f) or (cmi is not None and not callable(cmi)):
        raise ValueError("`f` (and `cmi` when given) must be callable")
    if kind is not None and kind not in KINDS:
        raise ValueError(f"`kind` must be one of {KINDS} or None (every law); got {kind!r}")
    return f, cmi, kind, str(getattr(f, "__name__", repr(f)))


def _search(ctx: Context, law: Law, max_dim: int, kind: str | None, max_examples: int) -> tuple[bool, str]:
    def violates(drawn: Any) -> bool:
        return not law.check(ctx, drawn)[0]

    found = smallest_violation(law.cases(max_dim, kind), violates, max_examples)
    if found is None:
        return True, ""
    try:
        return False, law.check(ctx, found)[1]
    except Exception as err:  # reported as the counterexample
        return False, f"{found!r}: raised {type(err).__name__}: {err}"


#: The reference estimator of each kind: the statistical tolerance of an estimator of that kind is z of its
#: standard deviations (measured at the same n), never the checked estimator's own.
REFERENCES = {
    "gaussian": "gaussian",
    "rank": "copula",
    "knn": "ksg",
    "hybrid": "copula-ksg",
    "discrete": "discrete",
    "mixed": "mixed",
    "predictive": "probe",
}
_REFERENCE_SD: dict[tuple[str | None, int], float] = {}


def _spread(f: Callable[..., Any], kind: str | None, n: int) -> float:
    """The sd of ``f`` over 10 samples of the reference case of its kind (a correlation-0.6 pair, or a label case)."""
    ctx = Context(f, None, n, 0.0)
    if kind in LABELS:
        cases = [LabelCase(1.0, 2, s, discrete=kind == "discrete").sample(n) for s in range(10)]
    else:
        cases = [GaussianCase.reference(REFERENCE_RHO, s).sample(n)[:2] for s in range(10)]
    return float(np.std([ctx.mi(x, y) for x, y in cases], ddof=1))


def reference_spread(kind: str | None, n: int) -> float:
    """The reference estimator's sd at n: of the kind's reference method, or (no kind) the Gaussian one's."""
    key = (kind, n)
    if key not in _REFERENCE_SD:
        from modalinfo.estimators import mutual_information

        method = REFERENCES.get(kind or "gaussian", "gaussian")
        _REFERENCE_SD[key] = _spread(lambda x, y, rng=0: mutual_information(x, y, method, rng=rng), kind, n)
    return _REFERENCE_SD[key]


def check_mi_estimator(
    f: Callable[..., Any] | str,
    *,
    cmi: Callable[..., Any] | None = None,
    kind: str | None = None,
    laws: Sequence[str] | None = None,
    n: int = 400,
    max_dim: int = 2,
    z: float = 4.0,
    bias: float = 0.0,
    max_examples: int = 12,
    name: str | None = None,
) -> CheckReport:
    """Check a mutual-information estimator against the laws of information (``MI_LAWS``).

    Each law is searched with hypothesis (derandomized, so a report is reproducible) over its
    cases - Gaussian data with ``max_dim`` columns per block, or continuous features with a class
    label - at ``n`` rows, and the smallest counterexample found is reported. Exact laws must hold
    to floating-point rounding; statistical ones within ``bias`` plus ``z`` standard deviations of
    the reference estimator of the ``kind`` (``REFERENCES``; the Gaussian one without a kind) at
    the same n: the same tolerance for every estimator of a kind, never widened by the checked
    estimator's own noise. Laws an estimator's ``kind`` is not built to keep (e.g. linear mixing
    for a rank estimator) are reported as ``n/a`` and never fail ``raise_if_failed()``.

    Parameters
    ----------
    f : callable or str
        ``f(x, y) -> float`` in nats (given ``rng=0`` and ``base=2.0`` when its signature takes
        them), or the name of a method of ``estimators.MI_METHODS`` (its kind and conditional form
        then come from the registry).
    cmi : callable, optional
        ``cmi(x, y, z) -> float``, the conditional estimator that the chain rule pairs with ``f``.
    kind : str, optional
        The estimator's kind, one of ``KINDS``; None checks every law (an unknown kind claims all).
    laws : sequence of str, optional
        The laws to check (default: all of ``MI_LAWS``, less the chain rule without ``cmi`` and the
        base law for estimators without ``base``).
    n, max_dim : int
        Rows and the largest block dimension of the generated data.
    z, bias : float
        The statistical tolerance ``bias + z * (the reference estimator's sd)``.
    max_examples : int
        Cases hypothesis tries per law.
    name : str, optional
        The estimator's name in the report.

    Returns
    -------
    CheckReport
        One :class:`LawResult` per law (status ok, FAILED or n/a); the estimator's own spread on
        the reference case is reported beside the tolerance.

    Examples
    --------
    >>> report = check_mi_estimator("copula", laws=["symmetry", "linear mixing"])
    >>> [(r.law, r.status) for r in report.results]
    [('symmetry', 'ok'), ('linear mixing', 'n/a')]
    >>> report.raise_if_failed()  # a rank estimator is not built to be invariant to mixing columns
    """
    estimator, conditional, kind, label = _resolve(f, cmi, kind)
    chosen = list(MI_LAWS) if laws is None else list(laws)
    unknown = [law for law in chosen if law not in MI_LAWS]
    if unknown:
        raise ValueError(f"`laws` has unknown laws {unknown}; the laws are {list(MI_LAWS)}")
    if laws is None:
        chosen = [
            law
            for law in chosen
            if (MI_LAWS[law].needs != "cmi" or conditional)
            and (MI_LAWS[law].needs != "base" or _accepts(estimator, "base"))
        ]
    if any(MI_LAWS[law].needs == "cmi" for law in chosen) and conditional is None:
        raise ValueError("the chain rule needs `cmi`, the conditional estimator paired with `f`")
    if isinstance(n, bool) or not isinstance(n, int) or n < 20:
        raise ValueError(f"`n` must be an integer >= 20; got {n!r}")
    if isinstance(max_dim, bool) or not isinstance(max_dim, int) or not 1 <= max_dim <= 8:
        raise ValueError(f"`max_dim` must be an integer in [1, 8]; got {max_dim!r}")
    if not (math.isfinite(z) and z > 0 and math.isfinite(bias) and bias >= 0):
        raise ValueError(f"`z` must be > 0 and `bias` >= 0; got z = {z!r}, bias = {bias!r}")
    reference = REFERENCES.get(kind or "gaussian", "gaussian")
    tolerance = bias + z * reference_spread(kind, n)
    source = f"bias {bias:g} + {z:g} sd of the reference {reference!r} estimate at n = {n}"
    try:
        own = _spread(estimator, kind, n)
    except Exception:  # an estimator that fails on the reference case: its laws say where
        own = math.nan
    results = []
    for law_name in chosen:
        law = MI_LAWS[law_name]
        tol = _ROUNDING if law.exact else tolerance * law.scale
        if kind is not None and kind not in law.kinds:
            results.append(LawResult(law_name, True, "", tol, "not a law this kind keeps", "n/a", own))
            continue
        ctx = Context(estimator, conditional, n, tol)
        passed, example = _search(ctx, law, max_dim, kind, max_examples)
        origin = "floating-point rounding (relative)" if law.exact else source
        results.append(LawResult(law_name, passed, example, tol, origin, "ok" if passed else "FAILED", own))
    return CheckReport(name or label, tuple(results))
