"""Learning curves and sample complexity: risk vs n over seeds, fitted curves, n(eps), exchange rates.

Input is long-form: one risk per (n, seed) row. Curve models:

- power law with floor ``R(n) = a n^-b + c`` (Hestness et al. 2017; Viering & Loog 2022), fitted by
  weighted nonlinear least squares on the per-n means (weights 1/SE^2);
- the exact OLS curve ``R(n) = s2 (n - 1)/(n - p - 1)`` with known p (theory.ols_test_risk), whose
  single parameter s2 (the floor) is estimated without bias by the pooled ratio
  ``sum_i R_i / sum_i f(n_i)``, ``f(n) = (n - 1)/(n - p - 1)`` (weights from estimated standard
  errors would favour the seeds that happened to fit well: a downward bias that took the iso-risk
  interval's coverage far below nominal).

Uncertainty: the per-n interval of :func:`learning_curve` is the studentized bootstrap of the
mean over seeds; fits are repeated on bootstrap resamples of the seeds within each n, and
percentile intervals follow for the parameters and every derived quantity (n(eps), iso-risk
ratio). Their coverage is measured by the coverage suite (``modalinfo run coverage``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import least_squares

from modalinfo.typing import ArrayLike, SeedLike
from modalinfo.validation import as_samples, check_int, check_level, check_n_resamples, resolve_rng

__all__ = [
    "CurveFit",
    "LearningCurve",
    "effective_sample_multiplier",
    "exchange_rate",
    "fit_ols_curve",
    "fit_power_law",
    "iso_risk_ratio",
    "learning_curve",
]


@dataclass(frozen=True)
class LearningCurve:
    """Per distinct n: number of seeds, mean risk, standard error and a studentized-bootstrap CI.

    ``samples`` and ``risks`` are the long-form data behind it (one risk per run), ready for
    :func:`fit_power_law` and :func:`fit_ols_curve`.
    """

    n: np.ndarray
    count: np.ndarray
    mean: np.ndarray
    se: np.ndarray
    low: np.ndarray
    high: np.ndarray
    level: float
    samples: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)
    risks: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)


def _long_form(n: ArrayLike, risk: ArrayLike, positive: bool) -> tuple[np.ndarray, np.ndarray]:
    ns = as_samples(np.ravel(np.asarray(n)), "n", min_rows=1)[:, 0]
    rs = as_samples(np.ravel(np.asarray(risk)), "risk", min_rows=1)[:, 0]
    if ns.shape != rs.shape:
        raise ValueError(f"`n` and `risk` must have the same length; got {ns.size} and {rs.size}")
    if np.any(ns < 1) or np.any(ns != np.round(ns)):
        raise ValueError("`n` must hold positive integer sample sizes")
    if positive and np.any(rs <= 0):
        raise ValueError("`risk` must be positive for a curve fit (power laws live on a log scale)")
    if np.unique(ns).size < 3:
        raise ValueError(f"a learning curve needs at least 3 distinct n; got {np.unique(ns).size}")
    return ns, rs


def _groups(ns: np.ndarray, rs: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    levels = np.unique(ns)
    return levels, [rs[ns == v] for v in levels]


def _summary(groups: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    mean = np.array([g.mean() for g in groups])
    se = np.array([g.std(ddof=1) / math.sqrt(g.size) if g.size > 1 else 0.0 for g in groups])
    return mean, se


def _resample(groups: list[np.ndarray], gen: np.random.Generator) -> list[np.ndarray]:
    return [g[gen.integers(0, g.size, g.size)] for g in groups]


def learning_curve(
    n: ArrayLike | Callable[..., Any],
    risk: ArrayLike | Mapping[str, Any] | None = None,
    *,
    test: Mapping[str, Any] | None = None,
    sizes: ArrayLike | None = None,
    repetitions: int = 10,
    n_resamples: int = 200,
    level: float = 0.95,
    rng: SeedLike = None,
) -> LearningCurve:
    """Mean, standard error and studentized-bootstrap CI of the risk at each sample size (seeds as replicates).

    Two uses:

    - ``learning_curve(n, risk)``: risks computed elsewhere, one per (n, seed) row;
    - ``learning_curve(learner, train, test=test, sizes=[...])``: runs ``learner(train_subset,
      test)`` (one of the co-learning learners, e.g. ``estimators.unimodal``, or any function
      returning an object with ``test_risk``) on nested subsamples of ``train`` (a dict of arrays
      with the same rows): for each of ``repetitions`` random orders of the rows, the first
      ``size`` rows for every size, so that a larger size holds the smaller one's rows.

    The interval is ``[mean - t_(1-a) se, mean - t_a se]`` with ``t`` the quantiles of
    ``(mean* - mean) / se*`` over resamples of the seeds (the bootstrap-t, Efron & Tibshirani 1993,
    ch. 12): with ten seeds of a skewed risk the percentile interval is too narrow (it ignores
    that se is estimated), the bootstrap-t is second-order accurate. A sample size with one seed
    (se = 0) gets the degenerate interval [mean, mean].

    Raises
    ------
    ValueError
        Fewer than 3 distinct n, mismatched lengths, non-finite risks; for a learner: a missing
        ``test`` or ``sizes``, a size outside [2, rows], fewer than 2 repetitions, or the learner's
        own error (naming the size).

    Examples
    --------
    >>> from modalinfo.estimators import unimodal
    >>> from modalinfo.simulations import sample
    >>> pool, test = sample("gauss-2mod-overlap0.5", 400, rng=0), sample("gauss-2mod-overlap0.5", 2000, rng=1)
    >>> curve = learning_curve(unimodal, pool, test=test, sizes=[10, 40, 160], repetitions=5, rng=0)
    >>> bool(curve.mean[0] > curve.mean[-1]), curve.samples.size
    (True, 15)
    """
    gen = resolve_rng(rng)
    if callable(n):
        samples, risks = _run_learner(n, risk, test, sizes, repetitions, gen)
    else:
        samples, risks = np.asarray(n), np.asarray(risk)
    ns, rs = _long_form(samples, risks, positive=False)
    levels, groups = _groups(ns, rs)
    mean, se = _summary(groups)
    n_resamples = check_n_resamples(n_resamples, "n_resamples")
    alpha = 0.5 * (1 - check_level(level))
    t_stats = np.empty((n_resamples, len(groups)))
    for b in range(n_resamples):
        boot_mean, boot_se = _summary(_resample(groups, gen))
        t_stats[b] = np.divide(boot_mean - mean, boot_se, out=np.zeros_like(mean), where=boot_se > 0)
    t_low, t_high = np.quantile(t_stats, [alpha, 1 - alpha], axis=0)
    low, high = mean - t_high * se, mean - t_low * se
    return LearningCurve(levels, np.array([g.size for g in groups]), mean, se, low, high, float(level), ns, rs)


def _run_learner(
    learner: Callable[..., Any], train: object, test: object, sizes: object, repetitions: int, gen: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """(sizes, test risks) of a learner on nested random subsamples of ``train``."""
    if not isinstance(train, Mapping) or not isinstance(test, Mapping):
        raise ValueError("with a learner, `risk` must be the training data and `test` the test data (dicts of arrays)")
    rows = {int(np.shape(v)[0]) for v in train.values()}
    if len(rows) != 1:
        raise ValueError(f"every array of the training data must have the same rows; got {sorted(rows)}")
    total = rows.pop()
    if sizes is None:
        raise ValueError("with a learner, `sizes` must list the training sizes")
    levels = sorted({check_int(s, "sizes", 2) for s in np.atleast_1d(np.asarray(sizes)).tolist()})
    if levels[-1] > total:
        raise ValueError(f"`sizes` go up to {levels[-1]} but the training data have {total} rows")
    repetitions = check_int(repetitions, "repetitions", 2)
    samples, risks = [], []
    for _ in range(repetitions):
        order = gen.permutation(total)
        for size in levels:
            subset = {k: np.asarray(v)[order[:size]] for k, v in train.items()}
            try:
                result = learner(subset, test)
            except ValueError as err:
                raise ValueError(f"the learner failed on {size} training rows: {err}") from None
            samples.append(size)
            risks.append(float(result.test_risk))
    return np.array(samples), np.array(risks)


@dataclass(frozen=True)
class CurveFit:
    """A fitted learning curve: its parameters, their bootstrap replicates and percentile CIs.

    ``kind`` is ``"power"`` (params a, b, c) or ``"ols"`` (params s2, with the fixed ``p``).
    """

    kind: str
    params: dict
    boot: np.ndarray = field(repr=False)
    level: float
    p: int = 0
    aic: float = math.nan

    @property
    def ci(self) -> dict[str, tuple[float, float]]:
        """Percentile intervals of the parameters ({} when fitted with ``n_resamples=0``)."""
        if not len(self.boot):
            return {}
        alpha = 0.5 * (1 - self.level)
        lo, hi = np.quantile(self.boot, [alpha, 1 - alpha], axis=0)
        return {k: (float(a), float(b)) for k, a, b in zip(self.params, lo, hi)}

    @property
    def floor(self) -> float:
        """The risk reached with infinitely many samples."""
        return float(self.params["c"] if self.kind == "power" else self.params["s2"])

    def _n_of_eps(self, theta: np.ndarray, eps: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.kind == "power":
                a, b, c = theta
                out = (a / (eps - c)) ** (1.0 / b)
                return np.where(eps > c, out, np.inf)
            (s2,) = theta
            return np.where(eps > s2, self.p + 1 + s2 * self.p / (eps - s2), np.inf)

    def predict(self, n: ArrayLike) -> np.ndarray:
        """The fitted expected risk at sample sizes n."""
        x = np.asarray(n, dtype=float)
        theta = np.array(list(self.params.values()))
        return _model(self.kind, theta, x, self.p)

    def samples_to_epsilon(self, eps: ArrayLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """n(eps): estimate, CI low and high (``inf`` where eps is at or below the floor)."""
        e = _eps(eps)
        est = self._n_of_eps(np.array(list(self.params.values())), e)
        if not len(self.boot):
            return est, np.full_like(est, np.nan), np.full_like(est, np.nan)
        reps = np.array([self._n_of_eps(t, e) for t in self.boot])
        alpha = 0.5 * (1 - self.level)
        lo, hi = np.quantile(reps, [alpha, 1 - alpha], axis=0, method="inverted_cdf")
        return est, lo, hi


def _eps(eps: ArrayLike) -> np.ndarray:
    e = np.atleast_1d(np.asarray(eps, dtype=float))
    if not np.all(np.isfinite(e)) or np.any(e <= 0):
        raise ValueError(f"`eps` must be finite and positive; got {eps!r}")
    return e


def _model(kind: str, theta: np.ndarray, n: np.ndarray, p: int) -> np.ndarray:
    if kind == "power":
        a, b, c = theta
        return a * n ** (-b) + c
    return theta[0] * (n - 1) / (n - p - 1)


def _fit_power(
    levels: np.ndarray, mean: np.ndarray, se: np.ndarray, floor: bool, start: np.ndarray | None = None
) -> tuple[np.ndarray, float]:
    """Weighted least squares of the power law; ``start`` (the full-data fit, for resamples) skips the log-log guess."""
    w = 1.0 / np.maximum(se, 1e-3 * np.abs(mean).max() + 1e-300)
    if start is None:
        c0 = 0.5 * mean.min() if floor else 0.0
        excess = np.maximum(mean - c0, 1e-12)
        slope, intercept = np.polyfit(np.log(levels), np.log(excess), 1)
        x0 = np.array([math.exp(intercept), max(-slope, 0.05), c0])
    else:
        x0 = np.maximum(start, 0.0)

    def resid(theta: np.ndarray) -> np.ndarray:
        t = theta if floor else np.r_[theta, 0.0]
        return (_model("power", t, levels, 0) - mean) * w

    lower, upper = [0.0, 0.0, 0.0], [np.inf, 10.0, np.inf]
    start = x0 if floor else x0[:2]
    sol = least_squares(resid, start, bounds=(lower[: start.size], upper[: start.size]), x_scale="jac")
    theta = sol.x if floor else np.r_[sol.x, 0.0]
    rss = float(np.sum(sol.fun**2))
    k = 3 if floor else 2
    aic = levels.size * math.log(max(rss, 1e-300) / levels.size) + 2 * k
    return theta, aic


def fit_power_law(
    n: ArrayLike,
    risk: ArrayLike,
    *,
    floor: bool = True,
    n_resamples: int = 200,
    level: float = 0.95,
    rng: SeedLike = None,
) -> CurveFit:
    """Fit ``R(n) = a n^-b + c`` (``c = 0`` when ``floor=False``) to risks over seeds.

    Weighted nonlinear least squares (scipy ``least_squares``, a, b, c >= 0, b <= 10) on the per-n
    means with weights 1/SE; CIs by refitting on bootstrap resamples of the seeds within each n
    (each refit starts from the full fit; ``n_resamples=0``: no intervals). ``aic`` (Gaussian, on
    the weighted residuals) compares the floor and no-floor models.

    Raises
    ------
    ValueError
        Fewer than 3 distinct n, non-positive or non-finite risks, bad ``n_resamples`` or ``level``.
    """
    ns, rs = _long_form(n, risk, positive=True)
    level = check_level(level)
    n_resamples = _resamples(n_resamples)
    levels, groups = _groups(ns, rs)
    mean, se = _summary(groups)
    theta, aic = _fit_power(levels, mean, se, floor)
    gen = resolve_rng(rng)
    boot = np.array(
        [_fit_power(levels, *_summary(_resample(groups, gen)), floor, theta)[0] for _ in range(n_resamples)]
    ).reshape(n_resamples, 3)
    return CurveFit("power", dict(zip("abc", map(float, theta))), boot, level, 0, aic)


def _resamples(value: object) -> int:
    """0 (no intervals) or a resampling count >= 10."""
    return 0 if value == 0 and not isinstance(value, bool) else check_n_resamples(value, "n_resamples")


def _fit_ols(ns: np.ndarray, groups: list[np.ndarray], p: int) -> float:
    """The pooled ratio ``sum R / sum f(n)``: unbiased for s2 since E[R] = s2 f(n) for every seed."""
    f = (ns - 1) / (ns - p - 1)
    return float(sum(g.sum() for g in groups) / sum(fi * g.size for fi, g in zip(f, groups)))


def fit_ols_curve(
    n: ArrayLike, risk: ArrayLike, p: int, *, n_resamples: int = 200, level: float = 0.95, rng: SeedLike = None
) -> CurveFit:
    """Fit the exact OLS curve ``R(n) = s2 (n - 1)/(n - p - 1)`` (theory.ols_test_risk) with known p.

    ``s2 = sum_i R_i / sum_i f(n_i)`` over every (n, seed) row, ``f(n) = (n - 1)/(n - p - 1)``:
    unbiased, since ``E[R_i] = s2 f(n_i)``. CIs by bootstrap over seeds within each n. Every n must
    exceed p + 1.
    """
    ns, rs = _long_form(n, risk, positive=True)
    if isinstance(p, bool) or not isinstance(p, (int, np.integer)) or p < 1:
        raise ValueError(f"`p` must be an integer >= 1; got {p!r}")
    if np.any(ns <= p + 1):
        raise ValueError(f"every n must exceed p + 1 = {p + 1} for the OLS curve; got min n = {ns.min():g}")
    level = check_level(level)
    n_resamples = _resamples(n_resamples)
    levels, groups = _groups(ns, rs)
    s2 = _fit_ols(levels, groups, int(p))
    gen = resolve_rng(rng)
    boot = np.array([[_fit_ols(levels, _resample(groups, gen), int(p))] for _ in range(n_resamples)]).reshape(-1, 1)
    return CurveFit("ols", {"s2": s2}, boot, level, int(p))


def iso_risk_ratio(
    eps: ArrayLike, *, unimodal: CurveFit, multimodal: CurveFit
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``n_uni(eps) / n_mm(eps)`` from fitted curves: estimate, CI low, high (``inf`` at or below the unimodal floor).

    The same arguments as :func:`theory.iso_risk_ratio`, with fitted curves (:func:`fit_ols_curve`
    or :func:`fit_power_law`) in place of the exact learners.

    The CI pairs the i-th bootstrap fits of both curves (independent data sets) and takes
    percentiles of the ratio. It is too narrow with few seeds of a skewed risk: with ten seeds per
    n the coverage suite measured 0.84-0.85 at nominal 0.90 and 0.87-0.89 at nominal 0.95. ValueError
    if eps is at or below the multimodal floor (n_mm infinite).
    """
    e = _eps(eps)
    if np.any(e <= multimodal.floor):
        raise ValueError(f"`eps` must exceed the multimodal floor {multimodal.floor:.4g}; got {eps!r}")
    est_u, _, _ = unimodal.samples_to_epsilon(e)
    est_m, _, _ = multimodal.samples_to_epsilon(e)
    k = min(len(unimodal.boot), len(multimodal.boot))
    ratios = np.array(
        [unimodal._n_of_eps(unimodal.boot[i], e) / multimodal._n_of_eps(multimodal.boot[i], e) for i in range(k)]
    )
    alpha = 0.5 * (1 - min(unimodal.level, multimodal.level))
    ratios = np.where(np.isnan(ratios), np.inf, ratios)  # inf / inf: both beyond reach, count as unbounded
    lo, hi = np.quantile(ratios, [alpha, 1 - alpha], axis=0, method="inverted_cdf")
    return est_u / est_m, lo, hi


def effective_sample_multiplier(unimodal: CurveFit, multimodal: CurveFit, n: ArrayLike) -> np.ndarray:
    """``k(n) = n_uni(R_mm(n)) / n``: unimodal samples per multimodal sample at equal risk (inf below the floor)."""
    x = np.atleast_1d(np.asarray(n, dtype=float))
    if np.any(x <= max(multimodal.p, 0) + 1):
        raise ValueError(f"`n` must exceed the multimodal p + 1 = {multimodal.p + 1}")
    est, _, _ = unimodal.samples_to_epsilon(multimodal.predict(x))
    return est / x


def _surface_fit(nm: np.ndarray, nu: np.ndarray, r: np.ndarray, model: str) -> dict[str, float]:
    if model == "parametric":
        # risks of a design point spread in proportion to their level: weight rows by 1 / level^2
        _, point = np.unique(np.c_[nm, nu], axis=0, return_inverse=True)
        point = point.reshape(-1)
        level = np.bincount(point, weights=r) / np.bincount(point)
        w = 1.0 / np.maximum(np.abs(level[point]), 1e-300)
        design = np.c_[np.ones_like(nm), 1.0 / (nm + nu), 1.0 / nm]
        (e, a, b), *_ = np.linalg.lstsq(design * w[:, None], r * w, rcond=None)
        total = a + b
        lam = a / total if total > 0 else math.nan
        return {"floor": float(e), "a": float(a), "b": float(b), "lambda": float(lam)}

    def resid(theta: np.ndarray) -> np.ndarray:
        e, a, alpha, lam = theta
        return e + a * (nm + lam * nu) ** (-alpha) - r

    x0 = np.array([0.5 * r.min(), (r.max() - 0.5 * r.min()) * nm.min(), 1.0, 0.5])
    sol = least_squares(resid, x0, bounds=([0, 0, 0.01, 0], [np.inf, np.inf, 10, 100]), x_scale="jac")
    e, a, alpha, lam = map(float, sol.x)
    return {"floor": e, "scale": a, "alpha": alpha, "lambda": lam}


def exchange_rate(
    n_multimodal: ArrayLike,
    n_unimodal: ArrayLike,
    risk: ArrayLike,
    *,
    model: str = "power",
    n_resamples: int = 0,
    level: float = 0.95,
    rng: SeedLike = None,
) -> dict[str, float]:
    """How many multimodal (paired) rows one unimodal row is worth, from a learning surface.

    Models of the risk after ``n_m`` paired and ``n_u`` unimodal rows:

    - ``"power"``: ``R = E + A (n_m + lam n_u)^-alpha`` by nonlinear least squares (the
      "effective data" idea of Hernandez et al. 2021, "Scaling laws for transfer", applied to
      unpaired rows): an empirical model with one exchange rate everywhere;
    - ``"parametric"``: ``R = E + a / (n_m + n_u) + b / n_m`` by linear least squares (each
      row weighted by the inverse square of its design point's mean risk, as risks spread in
      proportion to their level): the
      first-order risk of a maximum-likelihood learner whose parameters split into a part every
      row informs (a) and a part only paired rows inform (b), such as the Gaussian plug-in
      predictor with x2 missing (:func:`modalinfo.theory.unpaired_exchange_rate` derives a and b);
      ``lam = a / (a + b)`` is the exchange rate at the margin ``n_u -> 0``. The model is first
      order in 1/n: fitted to a surface at a few hundred paired rows it inherits the higher-order
      terms it lacks (for the Gaussian plug-in predictor the rate simulated on common draws at
      400 paired rows is 3.6 % to 5.4 % below the first-order lambda on six systems,
      ``bench/bench_exchange_rate_gap.py``), so compare it with theory at large n.

    Parameters
    ----------
    n_multimodal, n_unimodal, risk : array_like
        One risk per row (repetitions of a design point may repeat it); at least 5 rows, with both
        counts taking at least two values.
    model : {"power", "parametric"}
        The surface model.
    n_resamples : int, default 0
        Bootstrap resamples of the repetitions within each design point for an interval of
        ``lambda`` (0: none; else >= 10), the percentile interval of the refits.
    level : float in (0, 1), default 0.95
        Interval coverage.
    rng : None, int, SeedSequence or Generator
        Source of the bootstrap.

    Returns
    -------
    dict
        ``"lambda"`` and the fitted parameters (``floor``, ``scale``, ``alpha`` or ``floor``,
        ``a``, ``b``), with ``"lambda_low"`` and ``"lambda_high"`` when resampled.
    """
    nm, nu, r = (np.asarray(v, dtype=float).ravel() for v in (n_multimodal, n_unimodal, risk))
    if not (nm.shape == nu.shape == r.shape) or nm.size < 5:
        raise ValueError("`n_multimodal`, `n_unimodal` and `risk` must have the same length, at least 5")
    if not (np.all(np.isfinite(nm)) and np.all(np.isfinite(nu)) and np.all(np.isfinite(r))):
        raise ValueError("the learning surface must be finite")
    if np.any(nm < 1) or np.any(nu < 0) or np.unique(nm).size < 2 or np.unique(nu).size < 2:
        raise ValueError("`n_multimodal` (>= 1) and `n_unimodal` (>= 0) must each take at least two values")
    if model not in ("power", "parametric"):
        raise ValueError(f"`model` must be 'power' or 'parametric'; got {model!r}")
    out = _surface_fit(nm, nu, r, model)
    if n_resamples:
        n_resamples = check_n_resamples(n_resamples, "n_resamples")
        alpha = 0.5 * (1 - check_level(level))
        gen = resolve_rng(rng)
        _, point = np.unique(np.c_[nm, nu], axis=0, return_inverse=True)
        groups = [np.flatnonzero(point.reshape(-1) == g) for g in range(int(point.max()) + 1)]
        draws = []
        for _ in range(n_resamples):
            idx = np.concatenate([g[gen.integers(0, g.size, g.size)] for g in groups])
            draws.append(_surface_fit(nm[idx], nu[idx], r[idx], model)["lambda"])
        out["lambda_low"], out["lambda_high"] = map(float, np.nanquantile(draws, [alpha, 1 - alpha]))
    return out
