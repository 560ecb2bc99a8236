"""The report of a suite run: a summary table and the experiment's figure, made from the stored results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ._spec import Suite

__all__ = ["figure_path", "figures", "summary"]

STYLE = Path(__file__).parent / "modalinfo.mplstyle"
_KEYS = ("quantity", "learner", "measure")
_SKIP = {"rep", "row", "mixing_seed"}
_METADATA: dict[str, dict[str, Any]] = {
    "png": {"Software": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None},
}


def summary(table: Any, suite: Suite, max_rows: int = 40) -> str:
    """Mean of every numeric result over repetitions, per cell (grid parameters) and quantity."""
    ok = table[table["status"] == "ok"]
    keys = [k for k in dict.fromkeys((*suite.grid_keys, *_KEYS)) if k in ok.columns]
    params = {k for k, _ in suite.fixed} | set(suite.experiment.parameters or {})
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
    failed = table[table["status"] == "error"]
    if len(failed):
        lines.append(f"{len(failed)} repetitions failed, in {failed['cell'].nunique()} cells:")
        for cell, rows in failed.groupby("cell", sort=False):
            where = ", ".join(f"{k}={rows[k].iloc[0]}" for k in suite.grid_keys if k in rows.columns)
            lines.append(f"  {cell} ({where}): {len(rows)} repetitions; first error: {rows['error'].iloc[0]}")
    return "\n".join(lines)


def figure_path(suite: Suite, out: Path) -> Path:
    """Where a suite's figure goes (without suffix): named after the suite and its experiment, so two
    suites that share an experiment (or an output folder) never overwrite each other's figure."""
    return out / "figures" / f"{suite.name}-{suite.experiment.name}"


def figures(table: Any, suite: Suite, out: Path, formats: tuple[str, ...] = ("png",)) -> list[Path]:
    """The experiment's figure of the stored results under ``out/figures`` (PNG, or also PDF); [] if it has none.

    Files carry no dates or version strings, so two runs give identical bytes.
    """
    for fmt in formats:
        if fmt not in _METADATA:
            raise ValueError(f"figure formats must be among {sorted(_METADATA)}; got {fmt!r}")
    draw = suite.experiment.figure
    ok = table[table["status"] == "ok"]
    if draw is None or ok.empty:
        return []
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.style.use(STYLE)
    path = figure_path(suite, out)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        try:
            fig = draw(plt, ok, suite)
        except Exception as err:
            raise ValueError(f"the figure of {suite.name} could not be drawn from the stored rows: {err!r}") from None
        failed = table.loc[table["status"] == "error", "cell"].nunique()
        if failed:
            note = f"{failed} cell(s) with failed repetitions: only successful repetitions are shown"
            fig.text(0.005, 0.005, note, fontsize=6, color="C3", ha="left", va="bottom")
        written = []
        for fmt in formats:
            target = path.parent / f"{path.name}.{fmt}"
            fig.savefig(target, metadata=_METADATA[fmt])
            written.append(target)
    finally:
        plt.close("all")
    return written
