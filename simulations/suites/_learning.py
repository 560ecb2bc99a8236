"""Learning experiments: learning curves, co-learning against overlap and missing data, a planted spurious trend."""

from __future__ import annotations

from typing import Any

import numpy as np

from modalinfo.estimators import enrichment, fit_ols_curve, iso_risk_ratio, missing_modality, translation, unimodal
from modalinfo.simulations import sample
from modalinfo.theory import LatentModel, SpuriousTrendModel, ols_test_risk

from ._experiment import Rows, experiment
from ._information import LATENT_DEFAULTS, latent_model
from ._plotting import errorbars, log_x, log_y

__all__ = ["colearning_sweep", "iso_ratio_curve", "learning_curves", "spurious_trend"]


def iso_ratio_curve(ols: Any, eps_factors: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """eps and the iso-risk ratio n_x1(eps) / n_x1+x2(eps) (estimate, CI low, high) from exact-OLS fits.

    The curves are least squares without intercept on x1 and on x1+x2 (p from the rows'
    ``n_features``), fitted by :func:`estimators.fit_ols_curve` on n > 2p; eps = factor x the
    fitted x1 floor.
    """
    fits = {}
    for mods in ("x1", "x1+x2"):
        rows = ols[ols["modalities"] == mods]
        p = int(rows["n_features"].iloc[0])
        part = rows[rows["n_train"] > 2 * p]
        fits[mods] = fit_ols_curve(part["n_train"], part["test_risk"], p, rng=0)
    eps = fits["x1"].floor * np.asarray(eps_factors, dtype=float)
    return (eps, *iso_risk_ratio(eps, unimodal=fits["x1"], multimodal=fits["x1+x2"]))


def _ratio_panel(ax: Any, ols: Any) -> None:
    eps, est, low, high = iso_ratio_curve(ols, np.linspace(1.003, 1.4, 80))
    ax.plot(eps, est, "-", color="C3", label="n_x1(eps) / n_x1+x2(eps)")
    ok = np.isfinite(high)
    ax.fill_between(eps[ok], low[ok], high[ok], color="C3", alpha=0.25, lw=0, label="95% bootstrap CI")
    ax.axvline(eps[0] / 1.003, color="k", ls=":", lw=0.8, label="x1 floor (ratio infinite below)")
    log_y(ax)
    ax.set_xlabel("target test MSE eps")
    ax.set_ylabel("unimodal samples per multimodal sample")
    ax.legend(fontsize=7)


def _has_ratio(ols: Any) -> bool:
    """The ratio panel needs >= 3 sizes above 2p on both the x1 and the x1+x2 curves."""
    counts = []
    for mods in ("x1", "x1+x2"):
        rows = ols[ols["modalities"] == mods]
        counts.append(0 if rows.empty else rows.loc[rows["n_train"] > 2 * rows["n_features"], "n_train"].nunique())
    return min(counts) >= 3


def _curves_figure(plt: Any, ok: Any, suite: Any) -> Any:
    ols = ok[ok["learner"] == "ols"]
    with_ratio = _has_ratio(ols)
    fig, axes = plt.subplots(1, 2 if with_ratio else 1, figsize=(10 if with_ratio else 6, 3.6), squeeze=False)
    ax = axes[0, 0]
    series = np.where(ok["learner"] == "ols", ok["learner"] + ":" + ok["modalities"], ok["learner"] + ":x1")
    ok = ok.assign(series=series)
    errorbars(ax, ok, "series", "n_train", "test_risk", fmt="o", label=lambda key: f"{key} (mean, sd)")
    for i, (name, part) in enumerate(ok.groupby("series", sort=True)):
        stats = part.groupby("n_train")[["expected_risk", "bayes_risk"]].mean()
        if stats["expected_risk"].notna().all():
            ax.plot(stats.index, stats["expected_risk"], "-", color=f"C{i % 10}", label=f"{name} exact OLS")
        ax.axhline(stats["bayes_risk"].iloc[0], color=f"C{i % 10}", ls=":", lw=0.8)
    log_x(ax)
    ax.set_xlabel("training samples n")
    ax.set_ylabel("test MSE")
    ax.legend(fontsize=7)
    if with_ratio:
        _ratio_panel(axes[0, 1], ols)
    fig.tight_layout()
    return fig


@experiment(
    figure=_curves_figure,
    n_train=50,
    modalities="x1",
    learner="ols",
    n_test=5000,
    n_unlabeled=2000,
    **LATENT_DEFAULTS,
)
def learning_curves(p: dict[str, Any], rng: np.random.Generator) -> Rows:
    """Test MSE after n_train labeled samples, for a learner on the latent model.

    - ``learner="ols"``: least squares (no intercept) on ``modalities`` ("x1", "x2", "x1+x2");
      ``expected_risk`` is the exact ``sigma^2 (n - 1) / (n - p - 1)`` with sigma^2 the subset's
      Bayes risk (theory.ols_test_risk);
    - ``"enrichment"``: CCA of x1 with x2 on ``n_unlabeled`` unlabeled pairs (2 components), a head
      on x1's projection with the n_train labels, tested on x1 alone (co-learning);
    - ``"translation"``: the fused predictor with x2 translated from x1 at test time.

    The co-learning learners are tested on x1 and compared with x1's Bayes risk; ``n_features`` is
    the number of columns the learner sees at test time.
    """
    model = latent_model(p)
    n, n_test = int(p["n_train"]), int(p["n_test"])
    data = sample(model, n + n_test, rng)
    train = {k: v[:n] for k, v in data.items()}
    test = {k: v[n:] for k, v in data.items()}
    learner = p["learner"]
    if learner == "ols":
        names = [m.strip() for m in str(p["modalities"]).split("+")]
        x = np.hstack([data[m] for m in names])
        y = data["y"][:, 0]
        w, *_ = np.linalg.lstsq(x[:n], y[:n], rcond=None)
        risk = float(np.mean((y[n:] - x[n:] @ w) ** 2))
        bayes = model.bayes_risk(names)
        expected = float(ols_test_risk(n, x.shape[1], bayes))
        features = x.shape[1]
    elif learner in ("enrichment", "translation"):
        if learner == "enrichment":
            risk = enrichment(sample(model, int(p["n_unlabeled"]), rng), train, test).test_risk
        else:
            risk = translation(train, test).test_risk
        bayes, expected, features = model.bayes_risk(["x1"]), float("nan"), data["x1"].shape[1]
    else:
        raise ValueError(f"`learner` must be 'ols', 'enrichment' or 'translation'; got {learner!r}")
    return [{"test_risk": risk, "bayes_risk": float(bayes), "expected_risk": expected, "n_features": features}]


def _observed(n: int, missing: float, rng: np.random.Generator) -> np.ndarray:
    """A mask of n rows with x2 observed in all but ``round(missing * n)`` of them, chosen at random."""
    if not 0.0 <= missing < 1.0:
        raise ValueError(f"`missing` must be a fraction in [0, 1); got {missing!r}")
    return rng.permutation(n) >= round(missing * n)


# What each learner of the sweep does, for the legend ("translate" and "translation" differ)
_SWEEP_LABELS = {
    "unimodal": "least squares on x1",
    "enrichment": "enrichment: CCA of x1 with x2",
    "translation": "translation: x2 predicted from x1 at test",
    "impute": "missing x2 filled with its mean",
    "translate": "missing x2 filled by translation",
}


def _sweep_figure(plt: Any, ok: Any, suite: Any) -> Any:
    fractions = sorted(ok["missing"].unique())
    fig, axes = plt.subplots(1, len(fractions), figsize=(4.5 * len(fractions), 3.6), sharey=True, squeeze=False)
    for ax, frac in zip(axes[0], fractions):
        part = ok[ok["missing"] == frac]
        for i, (learner, rows) in enumerate(part.groupby("learner", sort=True)):
            q = rows.groupby("overlap")["test_risk"].quantile([0.25, 0.5, 0.75]).unstack()
            ax.errorbar(
                q.index,
                q[0.5],
                yerr=[q[0.5] - q[0.25], q[0.75] - q[0.5]],
                fmt="o-",
                color=f"C{i}",
                ms=3.5,
                capsize=2,
                label=_SWEEP_LABELS.get(learner, learner),
            )
        bayes = part.groupby("overlap")["bayes_risk"].mean()
        ax.plot(bayes.index, bayes.values, "k:", lw=0.8, label="Bayes risk of x1")
        ax.set_xlabel("overlap")
        log_y(ax)
        ax.set_title(f"x2 missing in {frac:.0%} of training rows")
    axes[0, 0].set_ylabel("test MSE on x1 alone (median, quartiles)")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=7, frameon=False)
    fig.tight_layout(rect=(0, 0.12, 1, 1))
    return fig


@experiment(
    figure=_sweep_figure,
    overlap=0.5,
    missing=0.0,
    learner="unimodal",
    n_labels=12,
    n_unlabeled=2000,
    n_test=5000,
    mixing_seed=0,
)
def colearning_sweep(p: dict[str, Any], rng: np.random.Generator) -> Rows:
    """Co-learning on x1 against the overlap and the fraction of training rows whose x2 is missing.

    Training: ``n_labels`` labeled rows and ``n_unlabeled`` unlabeled pairs, x2 missing completely at
    random in a fraction ``missing`` of both (``round(missing * n)`` rows drawn without replacement,
    so a cell never has fewer observed rows than the fraction says). Learners, all tested on x1
    alone: ``unimodal`` (least squares on x1), ``enrichment`` (CCA of x1 with the observed x2 of the
    unlabeled pairs), ``translation`` (fused predictor and x1 -> x2 map, ridge penalty alpha = 1,
    from the labeled rows with x2), ``impute`` and ``translate`` (missing_modality with x2
    completed). Default latent model, noise variance 0.5.
    """
    model = LatentModel(overlap=p["overlap"], mixing_seed=p["mixing_seed"])
    n, n_u = int(p["n_labels"]), int(p["n_unlabeled"])
    labeled, pool, test = sample(model, n, rng), sample(model, n_u, rng), sample(model, int(p["n_test"]), rng)
    seen_l, seen_u = _observed(n, p["missing"], rng), _observed(n_u, p["missing"], rng)
    learner = p["learner"]
    if learner == "unimodal":
        risk = unimodal(labeled, test).test_risk
    elif learner == "enrichment":
        risk = enrichment({k: v[seen_u] for k, v in pool.items()}, labeled, test).test_risk
    elif learner == "translation":
        risk = translation({k: v[seen_l] for k, v in labeled.items()}, test, alpha=1.0).test_risk
    elif learner in ("impute", "translate"):
        masked = {**labeled, "mask": np.column_stack([np.ones(n, bool), seen_l])}
        risk = missing_modality(masked, test, learner).extra["test_risk_without"]
    else:
        raise ValueError(f"`learner` must be unimodal, enrichment, translation, impute or translate; got {learner!r}")
    return [{"test_risk": float(risk), "bayes_risk": float(model.bayes_risk(["x1"]))}]


def _spurious_figure(plt: Any, ok: Any, suite: Any) -> Any:
    fig, ax = plt.subplots(figsize=(6, 3.6))
    errorbars(ax, ok, "learner", "strength", "test_risk", fmt="o", label=lambda key: f"{key} (mean, sd)")
    for i, (_, part) in enumerate(ok.groupby("learner", sort=True)):
        exact = part.groupby("strength")["shifted_risk"].mean()
        ax.plot(exact.index, exact.values, "-", color=f"C{i}", lw=1.0)
    ax.set_xlabel("train-time correlation of the spurious feature with y")
    ax.set_ylabel("test MSE (trend gone)")
    ax.legend(fontsize=7, title="lines: exact large-sample risk", title_fontsize=7)
    fig.tight_layout()
    return fig


@experiment(figure=_spurious_figure, strength=0.8, learner="x1", n_train=200, n_test=5000, overlap=0.5, mixing_seed=0)
def spurious_trend(p: dict[str, Any], rng: np.random.Generator) -> Rows:
    """The planted spurious trend: least squares trained with the shortcut, tested where it is gone.

    ``learner``: ``"x1"`` (x1 with its spurious column), ``"x1+x2"`` (the auxiliary modality carries
    genuine signal, so the fit leans less on the shortcut) or ``"x1-clean"`` (x1 without the column:
    the oracle that knows the trend). Returns the test MSE, the exact large-sample shifted risk
    (theory.SpuriousTrendModel.shifted_risk; the clean learner's is the test Bayes risk of x1) and
    the test Bayes risk of the modalities used.
    """
    n, n_test = int(p["n_train"]), int(p["n_test"])
    base = LatentModel(overlap=p["overlap"], mixing_seed=p["mixing_seed"])
    model = SpuriousTrendModel(base, strength=p["strength"], test_fraction=n_test / (n + n_test))
    data = sample(model, n + n_test, rng)
    test = data["test"][:, 0]
    learner = p["learner"]
    blocks = {"x1": ["x1"], "x1+x2": ["x1", "x2"], "x1-clean": ["x1"]}
    if learner not in blocks:
        raise ValueError(f"`learner` must be one of {sorted(blocks)}; got {learner!r}")
    x = np.hstack([data[b] for b in blocks[learner]])
    if learner == "x1-clean":
        x = x[:, :-1]
    y = data["y"][:, 0]
    w, *_ = np.linalg.lstsq(x[~test], y[~test], rcond=None)
    risk = float(np.mean((y[test] - x[test] @ w) ** 2))
    names = blocks[learner]
    shifted = model.test.bayes_risk(names) if learner == "x1-clean" else model.shifted_risk(names)
    test_bayes = float(model.test.bayes_risk(names))
    return [{"test_risk": risk, "shifted_risk": float(shifted), "test_bayes_risk": test_bayes}]
