"""Your own data: what each modality of a file carries about a target (``modalinfo analyze``).

A file holds the modalities and the target: an ``.npz`` of arrays (each modality an array, the
target one too), or a table (``.parquet``, ``.csv``) whose modalities are groups of columns.
:func:`load_modalities` reads it, :func:`analyze` computes the per-modality report
(:func:`estimators.modality_report`: one family of estimators for every row, each pair's PID with
bootstrap intervals), and :func:`write_analysis` writes the table (CSV, JSON) and a figure
(information per modality; PID atoms with their intervals).
"""

from __future__ import annotations

import fnmatch
import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from modalinfo.typing import SeedLike

__all__ = ["analyze", "load_modalities", "write_analysis"]

FORMATS = (".npz", ".parquet", ".csv")


def _columns(available: Sequence[str], spec: str, name: str) -> list[str]:
    """The columns a modality spec names: comma-separated names or shell patterns (``left_*``), in file order."""
    chosen: list[str] = []
    for part in (p.strip() for p in spec.split(",")):
        matched = [c for c in available if fnmatch.fnmatchcase(c, part)] if part else []
        if not matched:
            raise ValueError(f"modality {name!r}: {part!r} matches no column; columns are {', '.join(available[:12])}")
        chosen += [c for c in matched if c not in chosen]
    return chosen


def load_modalities(
    path: str | Path, target: str, modalities: Mapping[str, str] | None = None
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """(modalities by name, target) from a file.

    Parameters
    ----------
    path : str or Path
        An ``.npz`` (arrays) or a ``.parquet`` / ``.csv`` table.
    target : str
        The target's array (npz) or column (table).
    modalities : mapping of str to str, optional
        Modality name -> array name (npz) or comma-separated column names and patterns (table,
        e.g. ``{"left": "px_*_0,px_*_1"}``). Default: every other array (npz); required for tables.

    Raises
    ------
    ValueError
        A missing or unreadable file, an unknown format, a missing target, array or column, fewer
        than two modalities, or a modality with non-numeric columns.
    """
    file = Path(path)
    if file.suffix not in FORMATS:
        raise ValueError(f"the file must be one of {FORMATS}; got {file.name!r}")
    if not file.is_file():
        raise ValueError(f"no file {str(file)!r}")
    if file.suffix == ".npz":
        with np.load(file, allow_pickle=False) as arrays:
            names = list(arrays.files)
            if target not in names:
                raise ValueError(f"the target {target!r} is not an array of {file.name}; it has {names}")
            chosen = dict(modalities) if modalities else {k: k for k in names if k != target}
            missing = [a for a in chosen.values() if a not in names]
            if missing:
                raise ValueError(f"no array {missing[0]!r} in {file.name}; it has {names}")
            blocks = {k: np.asarray(arrays[a]) for k, a in chosen.items()}
            y = np.asarray(arrays[target])
    else:
        import pandas as pd

        try:
            frame = pd.read_parquet(file) if file.suffix == ".parquet" else pd.read_csv(file)
        except Exception as err:  # a user's file: say what the reader said
            raise ValueError(f"{file.name} cannot be read: {err}") from None
        columns = [str(c) for c in frame.columns]
        frame.columns = columns
        if target not in columns:
            raise ValueError(f"the target {target!r} is not a column of {file.name}; columns are {columns[:12]}")
        if not modalities:
            raise ValueError("a table needs its modalities named: --modality NAME=COLUMNS (names or patterns)")
        blocks = {}
        for name, spec in modalities.items():
            cols = _columns([c for c in columns if c != target], spec, name)
            block = frame[cols]
            if not all(pd.api.types.is_numeric_dtype(t) for t in block.dtypes):
                raise ValueError(f"modality {name!r} has non-numeric columns: a modality holds numbers")
            blocks[name] = block.to_numpy(dtype=float)
        y = frame[target].to_numpy()
    if len(blocks) < 2:
        raise ValueError(f"at least two modalities are needed; got {list(blocks)}")
    return blocks, y


def analyze(
    modalities: Mapping[str, Any],
    y: Any,
    *,
    method: str = "auto",
    measure: str | None = None,
    n_resamples: int = 100,
    base: float = math.e,
    rng: SeedLike = 0,
) -> Any:
    """:func:`estimators.modality_report` with each pair's PID intervals (``n_resamples`` bootstrap resamples)."""
    from modalinfo.estimators import modality_report

    return modality_report(modalities, y, method=method, measure=measure, n_resamples=n_resamples, base=base, rng=rng)


def write_analysis(table: Any, output: str | Path, name: str = "analysis") -> list[Path]:
    """``<name>.csv``, ``<name>.json`` and ``<name>.png`` (information per modality; PID atoms with intervals)."""
    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / f"{name}.csv", out / f"{name}.json", out / f"{name}.png"]
    table.to_csv(paths[0], index=False)
    paths[1].write_text(json.dumps(json.loads(table.to_json(orient="records")), indent=1))
    _figure(table, paths[2])
    return paths


def _figure(table: Any, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    units, family = table["units"].iloc[0], table["estimator"].iloc[0]
    info = table[(table["quantity"] == "I(Y;X)") & ~table["subset"].str.contains(",")]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
    left.bar(info["subset"], info["value"], color="C0")
    bound = table.loc[table["quantity"] == "H(Y)", "value"]
    if len(bound):
        left.axhline(float(bound.iloc[0]), color="k", ls="--", lw=1, label="H(Y)")
        left.legend(fontsize=8)
    left.set(ylabel=f"I(Y; X) ({units})", title=f"information per modality ({family})")
    pairs = [s for s in dict.fromkeys(table["subset"]) if "," in s]
    width = 0.8 / max(len(pairs), 1)
    for i, pair in enumerate(pairs):
        a, b = pair.split(",")
        rows = table[table["subset"] == pair].set_index("quantity")
        quantities = ["redundancy", f"unique:{a}", f"unique:{b}", "synergy"]
        values = rows.loc[quantities, "value"].to_numpy()
        low = np.nan_to_num(values - rows.loc[quantities, "low"].to_numpy())
        high = np.nan_to_num(rows.loc[quantities, "high"].to_numpy() - values)
        right.bar(np.arange(4) + i * width, values, width, yerr=[low, high], capsize=3, color=f"C{i}", label=pair)
    right.set_xticks(np.arange(4) + 0.4 - width / 2, ["R", "U first", "U second", "S"])
    measure = str(table.loc[table["subset"].str.contains(","), "measure"].iloc[0]).upper() if pairs else ""
    right.set(ylabel=units, title=f"{measure} PID of each pair (bars: bootstrap intervals)")
    right.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, metadata={"Software": None})
    plt.close(fig)
