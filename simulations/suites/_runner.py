"""Run a suite: cells on any ``concurrent.futures.Executor``, one atomic Parquet shard per cell.

- A cell runs all its repetitions in one task (``run_cell``), each repetition from
  ``SeedSequence(seed, spawn_key=(cell.key, rep))``; a repetition that raises is recorded as a row
  with ``status="error"`` and its message, and the others go on.
- The task writes ``shards/<cell id>.parquet`` through a temporary file and ``os.replace``, so a
  killed run leaves only whole shards; a rerun skips cells whose shard exists (``force`` redoes them).
- ``consolidate`` joins the shards of the suite's cells into ``results.parquet`` and
  ``results.csv`` (rows ordered by cell, repetition, row); timings live in ``manifest.json`` only,
  so the results do not depend on the machine, the order or the number of workers.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from importlib import metadata
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np

from ._experiment import get_experiment
from ._spec import Cell, Suite

__all__ = ["RunReport", "consolidate", "pending_cells", "run_cell", "run_suite"]


@dataclass(frozen=True)
class RunReport:
    """What a run did: cells run and skipped, rows and errors, where the outputs are."""

    ran: int
    skipped: int
    error_rows: int
    results: Path
    manifest: Path
    seconds: float


def shard_path(out: Path, cell: Cell) -> Path:
    return out / "shards" / f"{cell.id}.parquet"


def pending_cells(suite: Suite, out: Path, force: bool = False) -> tuple[list[Cell], list[Cell]]:
    """(cells to run, cells already done) for the output folder ``out``."""
    cells = suite.cells()
    if force:
        return cells, []
    done = [c for c in cells if shard_path(out, c).is_file()]
    done_ids = {c.id for c in done}
    return [c for c in cells if c.id not in done_ids], done


def run_cell(experiment: str, cell: Cell, repetitions: int, seed: int, out: str, threads: int = 1) -> dict[str, Any]:
    """Run every repetition of one cell and write its shard atomically; returns its timing summary."""
    import numba
    import pandas as pd

    numba.set_num_threads(max(1, min(threads, numba.config.NUMBA_NUM_THREADS)))  # type: ignore[attr-defined]
    os.environ["MODALINFO_SAMPLER_THREADS"] = str(threads)
    fn = get_experiment(experiment)
    # every row records the full parameters: the experiment's defaults, then the cell's values
    params = {**(fn.parameters or {}), **cell.as_dict()}
    rows, seconds = [], []
    for rep in range(repetitions):
        gen = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(cell.key, rep)))
        start = time.perf_counter()
        try:
            result = fn(dict(params), gen)
            for i, row in enumerate(result):
                rows.append({"cell": cell.id, "rep": rep, "row": i, "status": "ok", "error": "", **params, **row})
        except Exception as err:
            error = f"{type(err).__name__}: {err}"
            rows.append({"cell": cell.id, "rep": rep, "row": 0, "status": "error", "error": error, **params})
        seconds.append(time.perf_counter() - start)
    target = shard_path(Path(out), cell)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    pd.DataFrame(rows).to_parquet(tmp, index=False)
    os.replace(tmp, target)
    return {"cell": cell.id, "seconds": seconds, "errors": sum(r["status"] == "error" for r in rows)}


def consolidate(suite: Suite, out: Path) -> Any:
    """Join the shards of the suite's cells into one long table; write results.parquet and .csv."""
    import pandas as pd

    cells = suite.cells()
    frames = []
    for order, cell in enumerate(cells):
        path = shard_path(out, cell)
        if path.is_file():
            frame = pd.read_parquet(path)
            frame.insert(0, "cell_order", order)
            frames.append(frame)
    if not frames:
        raise ValueError(f"no finished cells under {out}; run the suite first")
    table = pd.concat(frames, ignore_index=True).sort_values(["cell_order", "rep", "row"], kind="stable")
    table = table.drop(columns="cell_order").reset_index(drop=True)
    table.to_parquet(out / "results.parquet", index=False)
    table.to_csv(out / "results.csv", index=False)
    return table


def _git(*args: str) -> str | None:
    try:
        res = subprocess.run(["git", *args], cwd=Path(__file__).parent, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return res.stdout.strip() if res.returncode == 0 else None


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for pkg in ("modalinfo", "numpy", "scipy", "numba", "pandas", "pyarrow", "dask", "distributed"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            pass
    return out


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True, default=str))
    os.replace(tmp, path)


def default_executor(workers: int) -> Executor:
    """A process pool (spawned workers: safe with numba's threads) of ``workers`` processes."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))


def run_suite(
    suite: Suite,
    *,
    executor: Executor | None = None,
    workers: int = 1,
    output: Path | None = None,
    force: bool = False,
    threads: int = 1,
    progress: bool | None = None,
) -> RunReport:
    """Run the suite's pending cells on ``executor`` (default: ``workers`` local processes) and consolidate.

    ``threads`` numba / sampler threads per task (1 avoids oversubscription when cells run in
    parallel). ``progress`` shows a tqdm bar (default: when stderr is a terminal).
    """
    out = Path(output) if output is not None else suite.output
    (out / "shards").mkdir(parents=True, exist_ok=True)
    for stale in (out / "shards").glob(".*.tmp"):  # left by a killed run; never read
        stale.unlink()
    todo, done = pending_cells(suite, out, force)
    commit, dirty = _git("rev-parse", "HEAD"), _git("status", "--porcelain")
    timings: dict[str, list[float]] = {}
    manifest: dict[str, Any] = {
        "suite": suite.name,
        "suite_file": str(suite.path),
        "suite_sha256": suite.sha256,
        "experiment": suite.experiment_spec,
        "seed": suite.seed,
        "repetitions": suite.repetitions,
        "cells": len(todo) + len(done),
        "git_commit": commit,
        "git_dirty": None if dirty is None else bool(dirty),
        "versions": _versions(),
        "argv": sys.argv,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "timings": timings,
    }
    manifest_path = out / "manifest.json"
    if manifest_path.is_file():
        try:
            timings.update(json.loads(manifest_path.read_text()).get("timings", {}))
        except json.JSONDecodeError:
            pass
    start = time.perf_counter()
    errors = 0
    own = executor is None and bool(todo)
    pool = default_executor(workers) if own else executor
    show = sys.stderr.isatty() if progress is None else progress
    try:
        if todo:
            assert pool is not None  # a pool of our own when no executor was given
            futures = [
                pool.submit(run_cell, suite.experiment_spec, c, suite.repetitions, suite.seed, str(out), threads)
                for c in todo
            ]
            bar = None
            if show:
                from tqdm import tqdm

                bar = tqdm(total=len(futures), desc=f"modalinfo run {suite.name}", unit="cell")
            for fut in as_completed(futures):
                info = fut.result()
                errors += info["errors"]
                timings[info["cell"]] = info["seconds"]
                if bar is not None:
                    bar.update()
            if bar is not None:
                bar.close()
    finally:
        if own and pool is not None:
            pool.shutdown()
    consolidate(suite, out)
    manifest["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    seconds = manifest["seconds"] = time.perf_counter() - start
    _write_json(manifest_path, manifest)
    return RunReport(len(todo), len(done), errors, out / "results.parquet", manifest_path, seconds)
