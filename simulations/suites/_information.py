"""Information experiments: exact against estimated information and PID on models with known truth."""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from modalinfo.estimators import mutual_information, pid
from modalinfo.simulations import get_model, sample
from modalinfo.theory import PID_ATOMS, DiscreteModel, ExactModel, LatentModel

from ._experiment import Rows, experiment
from ._plotting import log_y

__all__ = ["canonical_pid", "estimator_accuracy", "information_vs_overlap"]


#: The latent model's parameters the experiments vary, with LatentModel's own defaults.
LATENT_DEFAULTS: dict[str, Any] = {
    k: inspect.signature(LatentModel).parameters[k].default
    for k in ("overlap", "noise_var", "target_noise_var", "mixing_seed")
}


def latent_model(p: dict[str, Any]) -> LatentModel:
    """The default latent model at the experiment's overlap, noise variances and mixing seed."""
    return LatentModel(
        overlap=p["overlap"],
        noise_var=p["noise_var"],
        target_noise_var=p["target_noise_var"],
        mixing_seed=p["mixing_seed"],
    )


def _knows_joint_information(model: ExactModel) -> bool:
    try:
        model.mutual_information(list(model.modality_names[:2]), "y")
    except ValueError:
        return False
    return model.target_kind == "continuous"


def _is_discrete(model: ExactModel) -> bool:
    """A model of discrete symbols alone (the plug-in PID of its samples is the estimate)."""
    return isinstance(model, DiscreteModel)


def _overlap_figure(plt: Any, ok: Any, suite: Any) -> Any:
    from matplotlib.lines import Line2D

    fig, axes = plt.subplots(1, 2, figsize=(9, 4.4), sharex=True)
    panels = (("I(y;x1)", "I(y;x2)", "I(y;x1,x2)", "I(x1;x2)"), PID_ATOMS)
    styles = ("-", "--", "-.", ":")  # equal exact curves (x1 and x2 are symmetric here) stay visible
    methods = sorted(ok["method"].unique())
    markers = dict(zip(methods, "osD^v"))
    for ax, quantities, title in zip(axes, panels, ("information (nats)", "MMI PID of y (nats)")):
        handles = []
        for i, q in enumerate(quantities):
            sub = ok[ok["quantity"] == q]
            exact = sub.groupby("overlap")["exact"].mean()
            ax.plot(exact.index, exact.values, styles[i], color=f"C{i}", lw=1.2)
            for j, (method, part) in enumerate(sub.groupby("method", sort=True)):
                stats = part.groupby("overlap")["estimate"].agg(["mean", "std"])
                dodge = 0.012 * (j - (len(methods) - 1) / 2)  # side by side, not on top of each other
                ax.errorbar(
                    stats.index + dodge,
                    stats["mean"],
                    yerr=stats["std"].fillna(0.0),
                    fmt=markers[method],
                    color=f"C{i}",
                    ms=3.5,
                    capsize=2,
                )
            handles.append(Line2D([], [], color=f"C{i}", ls=styles[i], label=q))
        handles += [Line2D([], [], color="0.3", marker=markers[m], ls="", label=f"{m} (mean, sd)") for m in methods]
        ax.legend(handles=handles, fontsize=7, ncol=3, loc="upper center", bbox_to_anchor=(0.5, -0.17), frameon=False)
        ax.set_xlabel("overlap (shared fraction of signal variance)")
        ax.set_title(f"{title}: lines exact, markers estimated")
    fig.tight_layout()
    return fig


@experiment(figure=_overlap_figure, n=2000, method="ksg", **LATENT_DEFAULTS)
def information_vs_overlap(p: dict[str, Any], rng: np.random.Generator) -> Rows:
    """I(y; x_S) for every modality subset, I(x1; x2) and the MMI PID atoms: exact and estimated.

    The estimated atoms apply the MMI definition (R = min(I1, I2), U_k = I_k - R,
    S = I_12 - I_1 - I_2 + R) to the estimated informations; nats.
    """
    model = latent_model(p)
    data = sample(model, int(p["n"]), rng)
    x12 = np.hstack([data["x1"], data["x2"]])

    def est(a: np.ndarray, b: np.ndarray) -> float:
        return mutual_information(a, b, p["method"], rng=rng)

    i1, i2, i12 = est(data["x1"], data["y"]), est(data["x2"], data["y"]), est(x12, data["y"])
    exact = model.pid("x1", "x2")
    r = min(i1, i2)
    rows = [
        ("I(y;x1)", exact.mi1, i1),
        ("I(y;x2)", exact.mi2, i2),
        ("I(y;x1,x2)", exact.mi_joint, i12),
        ("I(x1;x2)", model.mutual_information("x1", "x2"), est(data["x1"], data["x2"])),
        ("redundancy", exact.redundancy, r),
        ("unique1", exact.unique1, i1 - r),
        ("unique2", exact.unique2, i2 - r),
        ("synergy", exact.synergy, i12 - i1 - i2 + r),
    ]
    return [{"quantity": q, "exact": float(e), "estimate": float(v)} for q, e, v in rows]


def _accuracy_figure(plt: Any, ok: Any, suite: Any) -> Any:
    from matplotlib.ticker import NullFormatter

    ok = ok.assign(error=ok["estimate"] - ok["exact"])
    models = list(dict.fromkeys(ok["model"]))
    methods = sorted(ok["method"].unique())
    sizes = sorted(ok["n"].unique())
    fig, axes = plt.subplots(
        2, len(models), figsize=(2.6 * len(models) + 1, 5.2), sharex=True, sharey="row", squeeze=False
    )
    for col, model in enumerate(models):
        part = ok[ok["model"] == model]
        top, bottom = axes[0, col], axes[1, col]
        for i, method in enumerate(methods):
            rows = part[part["method"] == method]
            stats = rows.groupby("n")["error"].agg(["mean", "std"])
            top.errorbar(stats.index, stats["mean"], yerr=stats["std"].fillna(0.0), fmt="o-", color=f"C{i}", ms=3.5,
                         capsize=2, label=method)  # fmt: skip
            rmse = np.sqrt(rows.assign(sq=rows["error"] ** 2).groupby("n")["sq"].mean())
            bottom.plot(rmse.index, rmse.values, "o-", color=f"C{i}", ms=3.5)
        top.axhline(0.0, color="k", lw=0.8)
        top.set_title(model, fontsize=8)
        log_y(bottom)
        bottom.set_xscale("log")
        bottom.set_xticks(sizes, [f"{int(v)}" for v in sizes])
        bottom.xaxis.set_minor_formatter(NullFormatter())
        bottom.set_xlabel("n")
    axes[0, 0].set_ylabel("estimate - exact (nats; mean, sd)")
    axes[1, 0].set_ylabel("RMSE (nats)")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(methods), fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig


@experiment(
    figure=_accuracy_figure, accepts=_knows_joint_information, model="gauss-2mod-overlap0.5", n=1000, method="ksg"
)
def estimator_accuracy(p: dict[str, Any], rng: np.random.Generator) -> Rows:
    """Estimated I(y; x1), I(y; x2), I(y; x1, x2) against a registered model's exact values (nats)."""
    model = get_model(p["model"])
    if not _knows_joint_information(model):
        raise ValueError(
            f"estimator_accuracy needs a continuous target with exact I(y; x1, x2); {p['model']!r} has none"
        )
    data = sample(model, int(p["n"]), rng)
    rows = []
    for name, blocks in (("x1", ["x1"]), ("x2", ["x2"]), ("x1,x2", ["x1", "x2"])):
        x = np.hstack([data[b] for b in blocks])
        exact = model.mutual_information(blocks, "y")
        value = mutual_information(x, data["y"], p["method"], rng=rng)
        rows.append({"quantity": f"I(y;{name})", "exact": float(exact), "estimate": float(value)})
    return rows


def _canonical_figure(plt: Any, ok: Any, suite: Any) -> Any:
    models = list(dict.fromkeys(ok["model"]))
    atoms = list(dict.fromkeys(ok["quantity"]))
    fig, ax = plt.subplots(figsize=(9, 3.6))
    width = 0.8 / len(atoms)
    x = np.arange(len(models))
    for i, atom in enumerate(atoms):
        part = ok[ok["quantity"] == atom].groupby("model", sort=False)
        est, exact = part["estimate"].agg(["mean", "std"]).loc[models], part["exact"].mean().loc[models]
        pos = x - 0.4 + (i + 0.5) * width
        ax.bar(
            pos, est["mean"], width, yerr=est["std"].fillna(0.0), color=f"C{i}", capsize=2, label=f"{atom} (mean, sd)"
        )
        ax.plot(pos, exact, "_", color="k", ms=9, mew=1.5, label="exact" if i == 0 else None)
    ax.set_xticks(x, models, rotation=20, ha="right")
    ax.set_ylim(top=1.3 * max(ok["estimate"].max(), ok["exact"].max()))  # room for the legend
    ax.set_ylabel("bits")
    ax.legend(fontsize=7, ncol=5)
    fig.tight_layout()
    return fig


@experiment(figure=_canonical_figure, accepts=_is_discrete, model="and", n=10_000, measure="broja")
def canonical_pid(p: dict[str, Any], rng: np.random.Generator) -> Rows:
    """Plug-in PID of n samples of a registered discrete model against its exact PID, in bits."""
    model = get_model(p["model"])
    if p["measure"] not in model.pid_measures or not _is_discrete(model):
        raise ValueError(f"canonical_pid needs a discrete model with an exact {p['measure']!r} PID; got {p['model']!r}")
    data = sample(model, int(p["n"]), rng)
    est = pid(data["x1"], data["x2"], data["y"], p["measure"], base=2)
    exact = model.pid(measure=p["measure"], base=2)
    return [
        {"quantity": a, "exact": float(getattr(exact, a)), "estimate": float(getattr(est, a)), "units": "bits"}
        for a in PID_ATOMS
    ]
