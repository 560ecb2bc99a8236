"""The report of a suite run: a summary table and figures made from the stored results."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ._suite import Suite

__all__ = ["figures", "iso_ratio_curve", "summary"]

_KEYS = ("quantity", "learner")
_SKIP = {"rep", "row", "model_seed"}


def summary(table, suite: Suite, max_rows: int = 40) -> str:
    """Mean of every numeric result over repetitions, per cell (grid parameters) and quantity."""
    ok = table[table["status"] == "ok"]
    keys = [k for k in dict.fromkeys((*suite.grid_keys, *_KEYS)) if k in ok.columns]
    params = {k for k, _ in suite.fixed} | set(getattr(suite.function(), "parameters", {}))
    numeric = [c for c in ok.select_dtypes("number").columns if c not in _SKIP | params and c not in keys]
    lines = []
    if len(ok) and {"quantity", "exact", "estimate"} <= set(ok.columns):
        keys = [k for k in keys if k != "quantity"]
        means = ok.groupby([*keys, "quantity"], sort=False)[["estimate", "exact"]].mean()
        cells = means.apply(lambda r: f"{r['estimate']:.3f} ({r['exact']:.3f})", axis=1).unstack("quantity")
        order = list(dict.fromkeys(ok["quantity"]))
        units = ok["units"].iloc[0] if "units" in ok.columns else "nats"
        lines.append(f"mean estimate (exact) in {units} over repetitions")
        lines.append(cells[order].to_string(max_rows=max_rows))
    elif len(ok):
        grouped = ok.groupby(keys, sort=False)[numeric].mean() if keys else ok[numeric].mean().to_frame().T
        lines.append(grouped.to_string(max_rows=max_rows, float_format=lambda v: f"{v:.4f}"))
    n_err = int((table["status"] == "error").sum())
    if n_err:
        first = table.loc[table["status"] == "error", "error"].iloc[0]
        lines.append(f"{n_err} repetitions failed; first error: {first}")
    return "\n".join(lines)


STYLE = Path(__file__).parent / "modinfo.mplstyle"
_METADATA = {"png": {"Software": None}, "pdf": {"Creator": None, "Producer": None, "CreationDate": None}}


def _style():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.style.use(STYLE)
    return plt


def _save(fig, path: Path, formats: tuple[str, ...]) -> list[Path]:
    """Save in each format without dates or version strings, so two runs give identical bytes."""
    out = []
    for fmt in formats:
        target = path.with_suffix(f".{fmt}")
        fig.savefig(target, metadata=_METADATA[fmt])
        out.append(target)
    return out


def figures(table, suite: Suite, out: Path, formats: tuple[str, ...] = ("png",)) -> list[Path]:
    """Figures of the built-in experiments under ``out/figures`` (PNG, or also PDF); [] for others."""
    for fmt in formats:
        if fmt not in _METADATA:
            raise ValueError(f"figure formats must be among {sorted(_METADATA)}; got {fmt!r}")
    name = suite.experiment.rpartition(":")[2]
    makers = {
        "information_vs_overlap": _overlap,
        "estimator_accuracy": _accuracy,
        "learning_curves": _curves,
        "lu_separation": _separation,
        "huang_gap": _huang,
        "canonical_pid": _canonical,
        "colearning_sweep": _sweep,
        "spurious_trend": _spurious,
    }
    if name not in makers:
        return []
    plt = _style()
    folder = out / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    ok = table[table["status"] == "ok"]
    paths = makers[name](plt, ok, folder, formats)
    plt.close("all")
    return paths


def _logx(ax) -> None:
    """Log-scaled x axis with labels on the decades only (minor labels overlap on short ranges)."""
    from matplotlib.ticker import NullFormatter

    ax.set_xscale("log")
    ax.xaxis.set_minor_formatter(NullFormatter())


def _errorbars(ax, frame, by, x: str, y: str, fmt: str = "o-", label=str) -> None:
    """One mean +- sd series of y against x per group of ``by``, coloured C0, C1, ..."""
    for i, (key, part) in enumerate(frame.groupby(by, sort=True)):
        stats = part.groupby(x)[y].agg(["mean", "std"])
        ax.errorbar(stats.index, stats["mean"], yerr=stats["std"].fillna(0.0), fmt=fmt, color=f"C{i % 10}", ms=3.5,
                    capsize=2, label=label(key))


def _overlap(plt, ok, folder: Path, formats: tuple[str, ...]) -> list[Path]:
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.6), sharex=True)
    panels = (("I(y;x1)", "I(y;x2)", "I(y;x1,x2)", "I(x1;x2)"), ("redundancy", "unique1", "unique2", "synergy"))
    for ax, quantities, title in zip(axes, panels, ("information (nats)", "MMI PID of y (nats)")):
        for i, q in enumerate(quantities):
            sub = ok[ok["quantity"] == q]
            colour = f"C{i}"
            exact = sub.groupby("overlap")["exact"].mean()
            ax.plot(exact.index, exact.values, "-", color=colour, label=f"{q} exact")
            for method, part in sub.groupby("method", sort=True) if "method" in sub else [("", sub)]:
                stats = part.groupby("overlap")["estimate"].agg(["mean", "std"])
                marker = "o" if method in ("ksg", "") else "s"
                ax.errorbar(stats.index, stats["mean"], yerr=stats["std"].fillna(0.0), fmt=marker, color=colour,
                            ms=3.5, capsize=2, label=f"{q} {method}".strip())
        ax.set_xlabel("overlap (shared fraction of signal variance)")
        ax.set_title(title)
    axes[0].legend(fontsize=6, ncol=2)
    axes[1].legend(fontsize=6, ncol=2)
    fig.tight_layout()
    return _save(fig, folder / "information_vs_overlap", formats)


def _accuracy(plt, ok, folder: Path, formats: tuple[str, ...]) -> list[Path]:
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
    ok = ok.assign(error=ok["estimate"] - ok["exact"])
    ok = ok.assign(squared=ok["error"] ** 2)
    _errorbars(left, ok, ["model", "method"], "n", "error", label=lambda key: f"{key[0]} / {key[1]}")
    left.axhline(0.0, color="k", lw=0.8)
    left.set_ylabel("bias: estimate - exact (nats)")
    for i, (_, part) in enumerate(ok.groupby(["model", "method"], sort=True)):
        rmse = np.sqrt(part.groupby("n")["squared"].mean())
        right.plot(rmse.index, rmse.values, "o-", color=f"C{i % 10}", ms=3.5)
    right.set_yscale("log")
    right.set_ylabel("RMSE (nats)")
    for ax in (left, right):
        _logx(ax)
        ax.set_xlabel("n")
    left.legend(fontsize=5, ncol=2)
    fig.tight_layout()
    return _save(fig, folder / "estimator_accuracy", formats)


def _curves(plt, ok, folder: Path, formats: tuple[str, ...]) -> list[Path]:
    ols = ok[ok["learner"] == "ols"]
    # the ratio panel needs >= 3 sizes above 2p on both curves (the fits of iso_ratio_curve)
    with_ratio = all(
        ols.loc[(ols["modalities"] == mods) & (ols["n_train"] > 2 * p), "n_train"].nunique() >= 3
        for mods, p in (("x1", 4), ("x1+x2", 8))
    )
    fig, axes = plt.subplots(1, 2 if with_ratio else 1, figsize=(10 if with_ratio else 6, 3.6), squeeze=False)
    ax = axes[0, 0]
    ok = ok.assign(series=np.where(ok["learner"] == "ols", ok["learner"] + ":" + ok["modalities"], ok["learner"] + ":x1"))
    _errorbars(ax, ok, "series", "n_train", "test_risk", fmt="o", label=lambda key: f"{key} measured")
    for i, (series, part) in enumerate(ok.groupby("series", sort=True)):
        stats = part.groupby("n_train")[["expected_risk", "bayes_risk"]].mean()
        if stats["expected_risk"].notna().all():
            ax.plot(stats.index, stats["expected_risk"], "-", color=f"C{i % 10}", label=f"{series} exact OLS")
        ax.axhline(stats["bayes_risk"].iloc[0], color=f"C{i % 10}", ls=":", lw=0.8)
    _logx(ax)
    ax.set_xlabel("training samples n")
    ax.set_ylabel("test MSE")
    ax.legend(fontsize=7)
    if with_ratio:
        _ratio_panel(axes[0, 1], ols)
    fig.tight_layout()
    return _save(fig, folder / "learning_curves", formats)


def iso_ratio_curve(ols, eps_factors) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """eps and the iso-risk ratio n_x1(eps) / n_x1+x2(eps) (estimate, CI low, high) from exact-OLS fits.

    The curves are least squares without intercept on x1 (p = 4) and x1+x2 (p = 8) of the default
    model, fitted by :func:`estimators.fit_ols_curve` on n > 2p; eps = factor x the fitted x1 floor.
    """
    from estimators import fit_ols_curve, iso_risk_ratio

    fits = {}
    for mods, p in (("x1", 4), ("x1+x2", 8)):
        part = ols[(ols["modalities"] == mods) & (ols["n_train"] > 2 * p)]
        fits[mods] = fit_ols_curve(part["n_train"], part["test_risk"], p, rng=0)
    eps = fits["x1"].floor * np.asarray(eps_factors, dtype=float)
    return (eps, *iso_risk_ratio(fits["x1"], fits["x1+x2"], eps))


def _ratio_panel(ax, ols) -> None:
    eps, est, low, high = iso_ratio_curve(ols, np.linspace(1.003, 1.4, 80))
    ax.plot(eps, est, "-", color="C3", label="n_x1(eps) / n_x1+x2(eps)")
    ok = np.isfinite(high)
    ax.fill_between(eps[ok], low[ok], high[ok], color="C3", alpha=0.25, lw=0, label="95% bootstrap CI")
    ax.axvline(eps[0] / 1.003, color="k", ls=":", lw=0.8, label="x1 floor (ratio infinite below)")
    ax.set_yscale("log")
    ax.set_xlabel("target test MSE eps")
    ax.set_ylabel("unimodal samples per multimodal sample")
    ax.legend(fontsize=7)


def _separation(plt, ok, folder: Path, formats: tuple[str, ...]) -> list[Path]:
    fig, ax = plt.subplots(figsize=(6, 3.6))
    _errorbars(ax, ok, "learner", "n", "test_mse")
    ax.axhline(ok["bayes_risk"].iloc[0], color="k", ls=":", lw=0.8, label="Bayes risk")
    _logx(ax)
    ax.set_yscale("log")
    ax.set_xlabel("training pairs n")
    ax.set_ylabel("test MSE from x1 alone")
    ax.legend(fontsize=7)
    fig.tight_layout()
    return _save(fig, folder / "lu_separation", formats)


def _huang(plt, ok, folder: Path, formats: tuple[str, ...]) -> list[Path]:
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6))
    long = ok.melt(id_vars=["m"], value_vars=["gap", "gamma"], var_name="quantity", value_name="value")
    names = {"gap": "risk gap r(M) - r(N)", "gamma": "latent-quality gap gamma_S"}
    _errorbars(left, long, "quantity", "m", "value", label=lambda key: names[key])
    left.axhline(0.0, color="k", lw=0.8)
    _logx(left)
    left.set_xlabel("training samples m")
    left.set_ylabel("M = {x1, x2} minus N = {x1}")
    left.legend(fontsize=7)
    stats = ok.groupby("m")[["bound", "complexity", "concentration"]].mean()
    for i, col in enumerate(stats.columns):
        right.plot(stats.index, stats[col], "o-", color=f"C{i + 2}", ms=3.5, label=col)
    _logx(right)
    right.set_yscale("log")
    right.set_xlabel("training samples m")
    right.set_title("Theorem 1 bound terms (mean)")
    right.legend(fontsize=7)
    fig.tight_layout()
    return _save(fig, folder / "huang_gap", formats)


def _canonical(plt, ok, folder: Path, formats: tuple[str, ...]) -> list[Path]:
    models = list(dict.fromkeys(ok["model"]))
    atoms = list(dict.fromkeys(ok["quantity"]))
    fig, ax = plt.subplots(figsize=(9, 3.6))
    width = 0.8 / len(atoms)
    x = np.arange(len(models))
    for i, atom in enumerate(atoms):
        part = ok[ok["quantity"] == atom].groupby("model", sort=False)
        est, exact = part["estimate"].agg(["mean", "std"]).loc[models], part["exact"].mean().loc[models]
        pos = x - 0.4 + (i + 0.5) * width
        ax.bar(pos, est["mean"], width, yerr=est["std"].fillna(0.0), color=f"C{i}", capsize=2, label=f"{atom} estimated")
        ax.plot(pos, exact, "_", color="k", ms=9, mew=1.5, label="exact" if i == 0 else None)
    ax.set_xticks(x, models, rotation=20, ha="right")
    ax.set_ylim(top=1.3 * max(ok["estimate"].max(), ok["exact"].max()))  # room for the legend
    ax.set_ylabel("bits")
    ax.legend(fontsize=7, ncol=5)
    fig.tight_layout()
    return _save(fig, folder / "canonical_pid", formats)


def _sweep(plt, ok, folder: Path, formats: tuple[str, ...]) -> list[Path]:
    fractions = sorted(ok["missing"].unique())
    fig, axes = plt.subplots(1, len(fractions), figsize=(4.5 * len(fractions), 3.6), sharey=True, squeeze=False)
    for ax, frac in zip(axes[0], fractions):
        part = ok[ok["missing"] == frac]
        for i, (learner, rows) in enumerate(part.groupby("learner", sort=True)):
            q = rows.groupby("overlap")["test_risk"].quantile([0.25, 0.5, 0.75]).unstack()
            ax.errorbar(q.index, q[0.5], yerr=[q[0.5] - q[0.25], q[0.75] - q[0.5]], fmt="o-", color=f"C{i}", ms=3.5,
                        capsize=2, label=learner)
        bayes = part.groupby("overlap")["bayes_risk"].mean()
        ax.plot(bayes.index, bayes.values, "k:", lw=0.8, label="Bayes risk of x1")
        ax.set_xlabel("overlap")
        ax.set_yscale("log")
        ax.set_title(f"x2 missing in {frac:.0%} of training rows")
    axes[0, 0].set_ylabel("test MSE on x1 alone (median, quartiles)")
    axes[0, 0].legend(fontsize=7)
    fig.tight_layout()
    return _save(fig, folder / "colearning_sweep", formats)


def _spurious(plt, ok, folder: Path, formats: tuple[str, ...]) -> list[Path]:
    fig, ax = plt.subplots(figsize=(6, 3.6))
    _errorbars(ax, ok, "learner", "strength", "test_risk", fmt="o", label=lambda key: f"{key} measured")
    for i, (_, part) in enumerate(ok.groupby("learner", sort=True)):
        exact = part.groupby("strength")["shifted_risk"].mean()
        ax.plot(exact.index, exact.values, "-", color=f"C{i}", lw=1.0)
    ax.set_xlabel("train-time correlation of the spurious feature with y")
    ax.set_ylabel("test MSE (trend gone)")
    ax.legend(fontsize=7, title="lines: exact large-sample risk", title_fontsize=7)
    fig.tight_layout()
    return _save(fig, folder / "spurious_trend", formats)
