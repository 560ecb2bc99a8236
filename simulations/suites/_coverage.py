"""Measured coverage of the package's confidence intervals against exact truth.

Every interval of ``estimators`` that claims a level is put against a quantity theory knows
exactly: ``bootstrap_ci`` on Gaussian data (and a monotone transform of it for the copula and
RBIG estimators), ``pid(..., n_resamples=)`` on a registered Gaussian latent model and a noisy canonical
discrete distribution, ``learning_curve``'s per-n interval of the expected OLS risk, and
``iso_risk_ratio``'s interval of the exact iso-risk ratio. A cell's coverage is the fraction of
its repetitions whose interval contains the truth; its binomial standard error is
``sqrt(c (1 - c) / repetitions)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from modalinfo.estimators import bootstrap_ci, fit_ols_curve, iso_risk_ratio, learning_curve, pid
from modalinfo.simulations import sample
from modalinfo.theory import PID_ATOMS, DiscreteModel, LatentModel, ols_test_risk
from modalinfo.theory import iso_risk_ratio as exact_iso_risk_ratio

from ._experiment import Rows, experiment

__all__ = ["INTERVALS", "ci_coverage"]

# (quantity, truth, estimate, low, high)
Check = tuple[str, float, float, float, float]
Case = Callable[[int, float, int, np.random.Generator], list[Check]]
_RHO = 0.6  # correlation of each coordinate pair of the MI cases: I = -d/2 log(1 - rho^2)


def _mi_case(method: str, d: int, transform: bool = False) -> Case:
    def run(n: int, level: float, n_resamples: int, rng: np.random.Generator) -> list[Check]:
        x = rng.standard_normal((n, d))
        y = _RHO * x + math.sqrt(1 - _RHO**2) * rng.standard_normal((n, d))
        if transform:  # strictly increasing maps of each column: the copula's information is unchanged
            x, y = np.exp(x), y**3
        ci = bootstrap_ci(x, y, method, n_resamples=n_resamples, level=level, rng=rng)
        return [("I(x;y)", -0.5 * d * math.log(1 - _RHO**2), ci.estimate, ci.low, ci.high)]

    return run


def _pid_gaussian(n: int, level: float, n_resamples: int, rng: np.random.Generator) -> list[Check]:
    model = LatentModel()
    data = sample(model, n, rng)
    est = pid(
        data["x1"], data["x2"], data["y"], "mmi", method="gaussian", n_resamples=n_resamples, level=level, rng=rng
    )
    truth = model.pid(measure="mmi")
    return [(a, getattr(truth, a), getattr(est, a), *est.ci[a]) for a in PID_ATOMS]


def _pid_discrete(n: int, level: float, n_resamples: int, rng: np.random.Generator) -> list[Check]:
    model = DiscreteModel.canonical("and", noise_prob=0.1)
    data = sample(model, n, rng)
    est = pid(
        data["x1"], data["x2"], data["y"], "broja", method="discrete", n_resamples=n_resamples, level=level, rng=rng
    )
    truth = model.pid(measure="broja")
    return [(a, getattr(truth, a), getattr(est, a), *est.ci[a]) for a in PID_ATOMS]


# Least squares without intercept on p isotropic Gaussian features, y = w.x + e: the population
# risk of the fit is sigma^2 + |w_hat - w|^2, with expectation theory.ols_test_risk(n, p, sigma^2).
_P1, _P2, _W1, _W2 = 2, 2, 0.6, 0.5
_SEEDS = 10  # fits per sample size: the replicates the curve intervals resample


def _ols_risks(n: int, kept: int, rng: np.random.Generator) -> np.ndarray:
    w = np.r_[np.full(_P1, _W1), np.full(_P2, _W2)]
    out = np.empty(_SEEDS)
    for s in range(_SEEDS):
        x = rng.standard_normal((n, _P1 + _P2))
        y = x @ w + rng.standard_normal(n)
        w_hat = np.zeros_like(w)
        w_hat[:kept] = np.linalg.lstsq(x[:, :kept], y, rcond=None)[0]
        out[s] = 1.0 + float((w_hat - w) @ (w_hat - w))
    return out


def _learning_curve(n: int, level: float, n_resamples: int, rng: np.random.Generator) -> list[Check]:
    p = _P1 + _P2
    sizes = np.array([n, 2 * n, 4 * n])
    risks = np.concatenate([_ols_risks(int(m), p, rng) for m in sizes])
    curve = learning_curve(np.repeat(sizes, _SEEDS), risks, n_resamples=n_resamples, level=level, rng=rng)
    return [
        (f"E risk at {factor}n", float(ols_test_risk(int(m), p, 1.0)), float(mean), float(low), float(high))
        for factor, m, mean, low, high in zip((1, 2, 4), curve.n, curve.mean, curve.low, curve.high)
    ]


def _iso_risk(n: int, level: float, n_resamples: int, rng: np.random.Generator) -> list[Check]:
    sizes = np.array([n, 2 * n, 4 * n])
    floor_uni = 1.0 + _P2 * _W2**2
    eps = 1.1 * floor_uni  # 10 % above the unimodal floor
    fits = []
    for kept in (_P1, _P1 + _P2):
        risks = np.concatenate([_ols_risks(int(m), kept, rng) for m in sizes])
        fits.append(fit_ols_curve(np.repeat(sizes, _SEEDS), risks, kept, n_resamples=n_resamples, level=level, rng=rng))
    est, low, high = iso_risk_ratio(eps, unimodal=fits[0], multimodal=fits[1])
    truth = float(exact_iso_risk_ratio(eps, unimodal=(_P1, floor_uni), multimodal=(_P1 + _P2, 1.0)))
    return [("iso-risk ratio", truth, float(est[0]), float(low[0]), float(high[0]))]


#: The intervals the coverage suite measures, by name: what is estimated and against which truth.
INTERVALS: dict[str, tuple[str, Case]] = {
    "mi gaussian 1+1": ("bootstrap_ci, method gaussian, Gaussian 1 + 1 dims", _mi_case("gaussian", 1)),
    "mi gaussian 8+8": ("bootstrap_ci, method gaussian, Gaussian 8 + 8 dims", _mi_case("gaussian", 8)),
    "mi copula 2+2": ("bootstrap_ci, method copula, exp / cube of Gaussian 2 + 2", _mi_case("copula", 2, True)),
    "mi gaussianization 2+2": (
        "bootstrap_ci, method gaussianization (RBIG), exp / cube of Gaussian 2 + 2",
        _mi_case("gaussianization", 2, True),
    ),
    "mi ksg 1+1": ("bootstrap_ci, method ksg (half-samples), Gaussian 1 + 1", _mi_case("ksg", 1)),
    "mi ksg 3+3": ("bootstrap_ci, method ksg (half-samples), Gaussian 3 + 3", _mi_case("ksg", 3)),
    "pid gaussian": ("pid(method='gaussian', measure='mmi'), model gauss-2mod-overlap0.5", _pid_gaussian),
    "pid discrete": ("pid(method='discrete', measure='broja'), noisy AND (noise 0.1)", _pid_discrete),
    "learning curve": ("learning_curve: mean OLS risk of 10 fits at n, 2n, 4n, p = 4", _learning_curve),
    "iso-risk ratio": ("iso_risk_ratio from fit_ols_curve at n, 2n, 4n; eps = 1.1 x floor", _iso_risk),
}


def _coverage_figure(plt: Any, ok: Any, suite: Any) -> Any:
    """One row per interval and quantity, coverage on x with binomial SE, a marker per n; a panel per level."""
    levels, sizes = sorted(ok["level"].unique()), sorted(ok["n"].unique())
    cells = ok.groupby(["interval", "quantity", "level", "n"])["covered"].agg(["mean", "count"]).reset_index()
    rows = list(dict.fromkeys(zip(cells["interval"], cells["quantity"])))
    labels = [i if i.startswith("mi ") or i == "iso-risk ratio" else f"{i}: {q}" for i, q in rows]
    fig, axes = plt.subplots(
        1, len(levels), figsize=(4.2 * len(levels) + 1.8, 0.28 * len(rows) + 1.4), sharey=True, squeeze=False
    )
    for ax, level in zip(axes[0], levels):
        reps = int(cells["count"].max())
        ax.axvspan(level - 3 * math.sqrt(level * (1 - level) / reps), level, color="0.9", lw=0)
        ax.axvline(level, color="k", lw=0.8)
        for j, n in enumerate(sizes):
            part = cells[(cells["level"] == level) & (cells["n"] == n)].set_index(["interval", "quantity"])
            present = [r for r in rows if r in part.index]
            mean, count = part.loc[present, "mean"], part.loc[present, "count"]
            y = np.array([rows.index(r) for r in present]) + 0.18 * (j - (len(sizes) - 1) / 2)
            ax.errorbar(
                mean,
                y,
                xerr=np.sqrt(mean * (1 - mean) / count),
                fmt="os^D"[j % 4],
                ms=3.5,
                capsize=2,
                color=f"C{j}",
                ls="none",
                label=f"n = {n}",
            )
        ax.set(title=f"nominal {level:.0%} (grey: 3 SE below)", xlabel="measured coverage")
    axes[0][0].set_yticks(range(len(rows)), labels, fontsize=7)
    axes[0][0].invert_yaxis()
    axes[0][0].legend(fontsize=7, loc="lower left")
    fig.tight_layout()
    return fig


@experiment(figure=_coverage_figure, interval="mi gaussian 1+1", n=400, level=0.95, n_resamples=200)
def ci_coverage(p: dict[str, Any], rng: np.random.Generator) -> Rows:
    """Does an interval of modalinfo contain the exact truth at its nominal level? One draw per repetition.

    ``interval`` names an entry of ``INTERVALS`` (what is estimated, on which data, against which
    exact value); ``n`` is the sample size (for the curves: the smallest of the fitted sizes),
    ``level`` the nominal coverage, ``n_resamples`` the resamples of the interval. Rows: one per
    quantity, with the truth, the estimate, the interval and whether it covered the truth.
    """
    name = str(p["interval"])
    if name not in INTERVALS:
        raise ValueError(f"`interval` must be one of {sorted(INTERVALS)}; got {name!r}")
    checks = INTERVALS[name][1](int(p["n"]), float(p["level"]), int(p["n_resamples"]), rng)
    return [
        {
            "quantity": q,
            "truth": t,
            "estimate": e,
            "low": lo,
            "high": hi,
            "covered": bool(lo <= t <= hi),
            "width": hi - lo,
        }
        for q, t, e, lo, hi in checks
    ]
