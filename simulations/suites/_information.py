"""Information experiments: exact against estimated information and PID on models with known truth."""

from __future__ import annotations

from typing import Any

import numpy as np

from modalinfo.estimators import mutual_information, pid
from modalinfo.simulations import get_model, sample
from modalinfo.theory import ExactModel, LatentModel

from ._experiment import Rows, experiment
from ._plotting import errorbars, log_x

__all__ = ["canonical_pid", "estimator_accuracy", "information_vs_overlap"]

ATOMS = ("redundancy", "unique1", "unique2", "synergy")


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
    return model.target_kind == "discrete" and "broja" in model.pid_measures


def _overlap_figure(plt: Any, ok: Any, suite: Any) -> Any:
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.6), sharex=True)
    panels = (("I(y;x1)", "I(y;x2)", "I(y;x1,x2)", "I(x1;x2)"), ("redundancy", "unique1", "unique2", "synergy"))
    for ax, quantities, title in zip(axes, panels, ("information (nats)", "MMI PID of y (nats)")):
        for i, q in enumerate(quantities):
            sub = ok[ok["quantity"] == q]
            colour = f"C{i}"
            exact = sub.groupby("overlap")["exact"].mean()
            ax.plot(exact.index, exact.values, "-", color=colour, label=f"{q} exact")
            for method, part in sub.groupby("method", sort=True):
                stats = part.groupby("overlap")["estimate"].agg(["mean", "std"])
                marker = "o" if method == "ksg" else "s"
                ax.errorbar(
                    stats.index,
                    stats["mean"],
                    yerr=stats["std"].fillna(0.0),
                    fmt=marker,
                    color=colour,
                    ms=3.5,
                    capsize=2,
                    label=f"{q} {method}",
                )
        ax.set_xlabel("overlap (shared fraction of signal variance)")
        ax.set_title(title)
        ax.legend(fontsize=6, ncol=2)
    fig.tight_layout()
    return fig


@experiment(
    figure=_overlap_figure, overlap=0.5, n=2000, method="ksg", noise_var=0.5, target_noise_var=0.5, mixing_seed=0
)
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
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.6))
    ok = ok.assign(error=ok["estimate"] - ok["exact"])
    ok = ok.assign(squared=ok["error"] ** 2)
    errorbars(left, ok, ["model", "method"], "n", "error", label=lambda key: f"{key[0]} / {key[1]}")
    left.axhline(0.0, color="k", lw=0.8)
    left.set_ylabel("bias: estimate - exact (nats)")
    for i, (_, part) in enumerate(ok.groupby(["model", "method"], sort=True)):
        rmse = np.sqrt(part.groupby("n")["squared"].mean())
        right.plot(rmse.index, rmse.values, "o-", color=f"C{i % 10}", ms=3.5)
    right.set_yscale("log")
    right.set_ylabel("RMSE (nats)")
    for ax in (left, right):
        log_x(ax)
        ax.set_xlabel("n")
    left.legend(fontsize=5, ncol=2)
    fig.tight_layout()
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
            pos, est["mean"], width, yerr=est["std"].fillna(0.0), color=f"C{i}", capsize=2, label=f"{atom} estimated"
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
    if p["measure"] not in model.pid_measures or model.target_kind != "discrete":
        raise ValueError(f"canonical_pid needs a discrete model with an exact {p['measure']!r} PID; got {p['model']!r}")
    data = sample(model, int(p["n"]), rng)
    est = pid(data["x1"], data["x2"], data["y"], p["measure"], base=2)
    exact = model.pid(measure=p["measure"], base=2)
    return [
        {"quantity": a, "exact": float(getattr(exact, a)), "estimate": float(getattr(est, a)), "units": "bits"}
        for a in ATOMS
    ]
