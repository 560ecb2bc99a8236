"""PID measures disagree: MMI, ~G and I_dep of the latent state across overlap, exact and from samples."""

from __future__ import annotations

from typing import Any

import numpy as np

from modalinfo.estimators import pid
from modalinfo.simulations import sample
from modalinfo.theory import PID_ATOMS

from ._experiment import Rows, experiment
from ._information import LATENT_DEFAULTS, latent_model

__all__ = ["pid_measures"]

MEASURES = ("mmi", "tilde", "idep")
PANELS = ("redundancy", "unique1", "synergy")


def _measures_figure(plt: Any, ok: Any, suite: Any) -> Any:
    from matplotlib.lines import Line2D

    fig, axes = plt.subplots(1, len(PANELS), figsize=(10, 3.6), sharex=True)
    measures = [m for m in MEASURES if m in set(ok["measure"])]
    for ax, atom in zip(axes, PANELS):
        part = ok[ok["quantity"] == atom]
        for i, measure in enumerate(measures):
            rows = part[part["measure"] == measure]
            exact = rows.groupby("overlap")["exact"].mean()
            stats = rows.groupby("overlap")["estimate"].agg(["mean", "std"])
            ax.plot(exact.index, exact.values, "-", color=f"C{i}", lw=1.2)
            dodge = 0.012 * (i - (len(measures) - 1) / 2)
            ax.errorbar(stats.index + dodge, stats["mean"], yerr=stats["std"].fillna(0.0), fmt="o", color=f"C{i}",
                        ms=3.5, capsize=2)  # fmt: skip
        ax.set_title(atom)
        ax.set_xlabel("overlap (shared fraction of signal variance)")
    axes[0].set_ylabel("nats")
    fig.suptitle("PID of the latent state: lines exact, markers mean and sd of the estimates", fontsize=9)
    handles = [Line2D([], [], color=f"C{i}", marker="o", label=m) for i, m in enumerate(measures)]
    fig.legend(handles=handles, loc="lower center", ncol=len(measures), fontsize=8, frameon=False)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    return fig


@experiment(figure=_measures_figure, n=1000, method="gaussian", **LATENT_DEFAULTS)
def pid_measures(p: dict[str, Any], rng: np.random.Generator) -> Rows:
    """The PID of the latent state (z_shared, z1, z2) from x1 and x2 under MMI, ~G and I_dep (nats).

    The target is the whole latent vector, so the measures can disagree: MMI calls the weaker
    modality's information redundant whatever it is about; ~G and I_dep see that at overlap 0 each
    modality reports its own private latents (all unique). Exact atoms from
    ``LatentModel.pid`` (closed forms; ~G with its certified gap), estimates from ``n`` samples
    with ``estimators.pid(method=...)`` (bias-corrected).
    """
    model = latent_model(p)
    data = sample(model, int(p["n"]), rng)
    target = ["z_shared", "z1", "z2"] if model.shared_dim else ["z1", "z2"]
    y = np.hstack([data[b] for b in target])
    rows = []
    for measure in MEASURES:
        exact = model.pid("x1", "x2", target, measure=measure)
        est = pid(data["x1"], data["x2"], y, measure, method=p["method"], rng=rng)
        for atom in PID_ATOMS:
            rows.append(
                {
                    "measure": measure,
                    "quantity": atom,
                    "exact": float(getattr(exact, atom)),
                    "estimate": float(getattr(est, atom)),
                    "gap": float(exact.gap),
                }
            )
    return rows
