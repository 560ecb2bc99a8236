"""Experiments on partially paired data: synergy bounds without labeled pairs, and what unpaired rows are worth.

- ``synergy_bounds_sweep``: Liang et al. (ICLR 2024)'s bounds from unimodal labeled data and
  unlabeled pairs against the exact synergy;
- ``unpaired_value``: the exchange rate of x1-only labeled rows for the Gaussian maximum-likelihood
  learner, measured and derived (:func:`modalinfo.theory.unpaired_exchange_rate`);
- ``unlabeled_value``: what unlabeled pairs are worth to enrichment, against the overlap.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from modalinfo.estimators import enrichment, exchange_rate, fit_gaussian_missing, synergy_bounds, unimodal
from modalinfo.simulations import sample
from modalinfo.theory import DiscreteModel, discrete_pid, mixture_pmf, unpaired_exchange_rate
from modalinfo.theory import synergy_bounds as exact_synergy_bounds

from ._experiment import Rows, experiment
from ._information import LATENT_DEFAULTS, latent_model
from ._plotting import errorbars, log_x, log_y

__all__ = ["marginal_exchange_rate", "synergy_bounds_sweep", "unlabeled_value", "unpaired_value"]

_BOUND_STYLE = {"lower": ("C0", "v"), "upper": ("C3", "^"), "synergy": ("k", "o")}


def _bounds_figure(plt: Any, ok: Any, suite: Any) -> Any:
    mixtures, noises = sorted(ok["mixture"].unique()), sorted(ok["noise_prob"].unique())
    fig, axes = plt.subplots(
        len(noises), len(mixtures), figsize=(4.4 * len(mixtures), 3.0 * len(noises)), sharey=True, squeeze=False
    )
    for row, noise in zip(axes, noises):
        for ax, mixture in zip(row, mixtures):
            part = ok[(ok["mixture"] == mixture) & (ok["noise_prob"] == noise)]
            for quantity, (color, marker) in _BOUND_STYLE.items():
                sub = part[part["quantity"] == quantity]
                exact = sub.groupby("weight")["exact"].mean()
                ax.plot(exact.index, exact.values, "-", color=color, lw=1.2, label=f"{quantity} (exact)")
                if quantity != "synergy":
                    stats = sub.groupby("weight")["estimate"].agg(["mean", "std"])
                    ax.errorbar(
                        stats.index,
                        stats["mean"],
                        yerr=stats["std"].fillna(0.0),
                        fmt=marker,
                        color=color,
                        ms=4,
                        capsize=2,
                        label=f"{quantity} (from samples: mean, sd)",
                    )
            first, second = mixture.split("-")
            ax.set(title=f"{first} -> {second}, noise {noise:g}", xlabel=f"weight of {second}")
        row[0].set_ylabel("bits")
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=5, fontsize=7, frameon=False)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    return fig


@experiment(figure=_bounds_figure, mixture="and-xor", weight=0.5, noise_prob=0.0, n_labeled=2000, n_pairs=2000)
def synergy_bounds_sweep(p: dict[str, Any], rng: np.random.Generator) -> Rows:
    """Synergy bounds from unimodal labeled data and unlabeled pairs against the exact BROJA synergy, in bits.

    The model is ``mixture_pmf({first: 1 - weight, second: weight}, noise_prob=noise_prob)`` with
    ``mixture = "first-second"`` (canonical binary names). Exact: the bounds of
    :func:`modalinfo.theory.synergy_bounds` and the true synergy; estimated: the bounds of
    :func:`modalinfo.estimators.synergy_bounds` from ``n_labeled`` labeled rows of each modality
    and ``n_pairs`` unlabeled pairs, three independent samples.
    """
    names = str(p["mixture"]).split("-")
    if len(names) != 2:
        raise ValueError(f"`mixture` must be two canonical names joined by '-', e.g. 'and-xor'; got {p['mixture']!r}")
    weight = float(p["weight"])
    if not 0.0 <= weight <= 1.0:
        raise ValueError(f"`weight` must be in [0, 1]; got {weight!r}")
    weights = {names[0]: 1.0 - weight}
    weights[names[1]] = weights.get(names[1], 0.0) + weight
    pmf = mixture_pmf({k: v for k, v in weights.items() if v > 0}, noise_prob=float(p["noise_prob"]))
    model = DiscreteModel(pmf, name=str(p["mixture"]))
    n_labeled, n_pairs = int(p["n_labeled"]), int(p["n_pairs"])
    one, two, pairs = sample(model, n_labeled, rng), sample(model, n_labeled, rng), sample(model, n_pairs, rng)
    est = synergy_bounds((one["x1"], one["y"]), (two["x2"], two["y"]), (pairs["x1"], pairs["x2"]), base=2)
    exact = exact_synergy_bounds(pmf, base=2)
    truth = discrete_pid(pmf, base=2).synergy
    return [
        {"quantity": "lower", "exact": exact.lower, "estimate": est.lower},
        {"quantity": "upper", "exact": exact.upper, "estimate": est.upper},
        {"quantity": "synergy", "exact": truth, "estimate": float("nan")},
    ]


def marginal_exchange_rate(rows: Any) -> tuple[float, float]:
    """The exchange rate simulated on common draws, with its standard error, from one system's stored rows.

    ``rows``: the successful rows of :func:`unpaired_value` for one model (every learner, any
    cells). Per repetition of a cell with ``n_unpaired > 0``, ``gain_u`` is the excess risk of
    ``"ml, paired rows only"`` minus that of ``"ml, all rows"`` (what the n_u x1-only rows bought)
    and ``gain_p`` the same minus ``"ml, every row paired"`` (what the same rows bought with x2).
    The rate is the sum over cells of the mean ``gain_u`` over the sum of the mean ``gain_p``; to
    first order it equals ``lambda = a / (a + b)`` at every (n_p, n_u), since both gains are
    proportional to ``1 / n_p - 1 / (n_p + n_u)``. Its standard error is the delta method's.
    """
    wide = rows.pivot_table(index=["cell", "rep", "n_unpaired"], columns="learner", values="excess_risk")
    wide = wide[wide.index.get_level_values("n_unpaired") > 0]
    gain_u = wide["ml, paired rows only"] - wide["ml, all rows"]
    gain_p = wide["ml, paired rows only"] - wide["ml, every row paired"]
    cells = wide.index.get_level_values("cell")
    rate = float(gain_u.groupby(cells).mean().sum() / gain_p.groupby(cells).mean().sum())
    residual = (gain_u - rate * gain_p).groupby(cells)
    se = float(np.sqrt((residual.var() / residual.count()).sum()) / gain_p.groupby(cells).mean().sum())
    return rate, se


def _rate_gap_panel(ax: Any, ok: Any) -> None:
    """The simulated rate over the first-order one, minus 1, against the paired rows, per overlap."""
    for i, (overlap, rows) in enumerate(ok.groupby("overlap")):
        theory = float(rows["lambda_theory"].mean())
        sizes = sorted(rows["n_paired"].unique())
        gaps = [marginal_exchange_rate(rows[rows["n_paired"] == n]) for n in sizes]
        ax.errorbar(
            np.asarray(sizes) * (1 + 0.03 * (i - 1)),
            [100 * (rate / theory - 1) for rate, _ in gaps],
            yerr=[100 * se / theory for _, se in gaps],
            fmt="o-",
            color=f"C{i}",
            ms=3.5,
            capsize=2,
            label=f"overlap {overlap:g}",
        )
    ax.axhline(0.0, color="k", lw=0.8)
    log_x(ax)
    ax.set(
        xlabel="paired rows n_p",
        ylabel="simulated / first-order rate - 1 (%)",
        title="rate on common draws (bars: SE)",
    )
    ax.legend(fontsize=7)


def _unpaired_figure(plt: Any, ok: Any, suite: Any) -> Any:
    fig, (left, right, gap) = plt.subplots(1, 3, figsize=(14, 3.9))
    ml = ok[ok["learner"] == "ml, all rows"]
    middle = sorted(ml["overlap"].unique())[len(ml["overlap"].unique()) // 2]
    part = ml[ml["overlap"] == middle]
    # n_u + 1: the x axis is logarithmic; bars are standard errors of the mean over repetitions
    errorbars(left, part, "n_paired", "n_unpaired", "excess_risk", "o", lambda n: f"n_paired = {n}", "sem", 1)
    for i, (_, rows) in enumerate(part.groupby("n_paired")):
        theory = rows.groupby("n_unpaired")["theory"].mean()
        left.plot(theory.index + 1, theory.values, "--", color=f"C{i}", lw=1)
    log_x(left)
    log_y(left)
    left.set(
        xlabel="x1-only labeled rows n_u (+1)",
        ylabel="excess risk on (x1, x2)",
        title=f"ML with x2 missing, overlap {middle:g} (dashed: theory; bars: SE)",
    )
    left.legend(fontsize=7)
    overlaps, fitted, low, high, theory = [], [], [], [], []
    for overlap, rows in ml.groupby("overlap"):
        fit = exchange_rate(
            rows["n_paired"], rows["n_unpaired"], rows["excess_risk"], model="parametric", n_resamples=200, rng=0
        )
        overlaps.append(overlap)
        fitted.append(fit["lambda"])
        low.append(fit["lambda"] - fit["lambda_low"])
        high.append(fit["lambda_high"] - fit["lambda"])
        theory.append(rows["lambda_theory"].mean())
    right.errorbar(overlaps, fitted, yerr=[low, high], fmt="o", capsize=3, label="fitted to the surface (95% CI)")
    right.plot(overlaps, theory, "k_", ms=14, mew=2, label="theory (delta method)")
    right.set(xlabel="overlap", ylabel="paired rows per x1-only row", title="exchange rate lambda", ylim=(0, 1))
    right.legend(fontsize=7)
    _rate_gap_panel(gap, ok)
    fig.tight_layout()
    return fig


@experiment(figure=_unpaired_figure, n_paired=100, n_unpaired=0, **LATENT_DEFAULTS)
def unpaired_value(p: dict[str, Any], rng: np.random.Generator) -> Rows:
    """Excess risk of the Gaussian ML predictor of y from (x1, x2) trained on paired and x1-only labeled rows.

    ``n_paired`` complete rows and ``n_unpaired`` rows with x2 missing from the latent model; the
    learner fits the joint Gaussian by maximum likelihood (:func:`modalinfo.estimators.fit_gaussian_missing`,
    closed form) and predicts with its plug-in ``E[y | x1, x2]`` (``"ml, all rows"``). On the same
    draws, ``"ml, paired rows only"`` uses the complete rows alone and ``"ml, every row paired"``
    keeps x2 in every row (n_p + n_u pairs), so that :func:`marginal_exchange_rate` can compare what
    the n_u rows bought without and with x2. The excess risk over the Bayes risk is exact (the
    model's covariance); ``theory`` is the first-order risk (``a / (n_p + n_u) + b / n_p`` for the
    first learner) and ``lambda_theory = a / (a + b)`` (:func:`modalinfo.theory.unpaired_exchange_rate`).
    """
    model = latent_model(p)
    n_p, n_u = int(p["n_paired"]), int(p["n_unpaired"])
    cov = model.covariance()
    i1, i2, iy = (list(model.block_indices(b)) for b in ("x1", "x2", "y"))
    theory = unpaired_exchange_rate(cov, i1, i2, iy[0])
    data = sample(model, n_p + n_u, rng)
    complete = np.hstack([data["x1"], data["x2"], data["y"]])
    rows = complete.copy()
    rows[n_p:, len(i1) : len(i1) + len(i2)] = np.nan
    x = i1 + i2
    beta = np.linalg.solve(cov[np.ix_(x, x)], cov[x, iy[0]])
    features, target = list(range(len(x))), len(x)

    def excess(fit_rows: np.ndarray) -> float:
        fit = fit_gaussian_missing(fit_rows)
        coef = np.linalg.solve(fit.cov[np.ix_(features, features)], fit.cov[features, target])
        intercept = fit.mean[target] - fit.mean[features] @ coef
        delta = coef - beta
        return float(intercept**2 + delta @ cov[np.ix_(x, x)] @ delta)

    common = {"lambda_theory": theory["lambda"]}
    return [
        {
            "learner": "ml, all rows",
            "excess_risk": excess(rows),
            **common,
            "theory": theory["a"] / (n_p + n_u) + theory["b"] / n_p,
        },
        {
            "learner": "ml, paired rows only",
            "excess_risk": excess(rows[:n_p]),
            **common,
            "theory": (theory["a"] + theory["b"]) / n_p,
        },
        {
            "learner": "ml, every row paired",
            "excess_risk": excess(complete),
            **common,
            "theory": (theory["a"] + theory["b"]) / (n_p + n_u),
        },
    ]


def _unlabeled_figure(plt: Any, ok: Any, suite: Any) -> Any:
    fig, ax = plt.subplots(figsize=(6.2, 3.9))
    enrich = ok[ok["learner"] == "enrichment"]  # bars: standard errors of the mean over repetitions
    errorbars(ax, enrich, "overlap", "n_unlabeled", "excess_risk", "o-", lambda w: f"overlap {w:g}", "sem")
    for i, (_, rows) in enumerate(ok.groupby("overlap")):
        ols = rows[rows["learner"] == "least squares on x1"]["excess_risk"].mean()
        ax.axhline(ols, color=f"C{i}", ls=":", lw=1)
    log_x(ax)
    log_y(ax)
    ax.set(
        xlabel="unlabeled pairs",
        ylabel="excess test risk on x1",
        title="enrichment (markers, bars: SE) against least squares on x1 (dotted)",
    )
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig


@experiment(figure=_unlabeled_figure, n_labeled=20, n_unlabeled=1000, n_test=4000, **LATENT_DEFAULTS)
def unlabeled_value(p: dict[str, Any], rng: np.random.Generator) -> Rows:
    """What unlabeled (x1, x2) pairs are worth to enrichment, tested on x1 alone, against least squares on x1.

    Enrichment: a CCA encoder of x1 learned with x2 on ``n_unlabeled`` pairs (2 components), a head
    on ``n_labeled`` labeled rows; least squares on x1 uses the labeled rows only. Excess test risk
    over x1's Bayes risk, on ``n_test`` rows.
    """
    model = latent_model(p)
    n_l, n_u, n_t = int(p["n_labeled"]), int(p["n_unlabeled"]), int(p["n_test"])
    labeled, test, pairs = sample(model, n_l, rng), sample(model, n_t, rng), sample(model, n_u, rng)
    bayes = model.bayes_risk(["x1"])
    return [
        {"learner": "enrichment", "excess_risk": enrichment(pairs, labeled, test).test_risk - bayes},
        {"learner": "least squares on x1", "excess_risk": unimodal(labeled, test).test_risk - bayes},
    ]
