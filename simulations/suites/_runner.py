"""Run a suite: cells on any ``concurrent.futures.Executor``, one atomic Parquet shard per cell.

- A cell runs all its repetitions in one task (``run_cell``), each repetition from
  ``SeedSequence(seed, spawn_key=(cell.key, rep))``; a repetition that raises is recorded as a row
  with ``status="error"`` and its message, and the others go on.
- The task writes ``shards/<cell id>.parquet`` through a temporary file and ``os.replace``, so a
  killed run leaves only whole shards; a rerun skips cells whose shard holds the same identity
  (``_shards``: experiment, parameters, seed, repetitions, version) and recomputes stale or corrupt
  ones, saying so (``force`` redoes every cell). One run at a time per output folder.
- ``consolidate`` joins the shards of the suite's cells into ``results.parquet`` and
  ``results.csv`` (rows ordered by cell, repetition, row); timings live in ``manifest.json`` only,
  so the results do not depend on the machine, the order or the number of workers.
"""

from __future__ import annotations

import json
import os
import platform
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed, wait
from dataclasses import dataclass, field
from importlib import metadata
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np

import modalinfo

from ._experiment import get_experiment
from ._shards import cell_states, output_lock, shard_identity, shard_path, write_shard
from ._spec import Cell, Suite

__all__ = ["RunReport", "consolidate", "pending_cells", "run_cell", "run_suite", "unstorable_columns"]

# Shards whose rows are valid results (a failed repetition is a valid record of its error); only
# "done" ones are skipped by a rerun: a cell with failed repetitions is run again (after a fix).
_VALID = ("done", "failed")


@dataclass(frozen=True)
class RunReport:
    """What a run did: cells run and skipped, rows and errors, where the outputs are, and the results table."""

    ran: int
    skipped: int
    error_rows: int
    results: Path
    manifest: Path
    seconds: float
    table: Any = field(repr=False)


def pending_cells(
    suite: Suite, out: Path, force: bool = False, states: dict[str, tuple[str, str]] | None = None
) -> tuple[list[Cell], list[Cell]]:
    """(cells to run, cells whose shard is reused) for the output folder ``out`` (``states``: already read)."""
    cells = suite.cells()
    if force:
        return cells, []
    states = cell_states(suite, out) if states is None else states
    return [c for c in cells if states[c.id][0] != "done"], [c for c in cells if states[c.id][0] == "done"]


def run_cell(
    experiment: str, cell: Cell, identity: dict[str, Any], out: str, threads: int = 1, search: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Run every repetition of one cell and write its shard atomically; returns its timing summary.

    ``search``: folders where the experiment's module is looked for besides ``sys.path``. Rows that
    cannot be stored (a column whose values change type between repetitions) make every repetition
    of the cell an error that names the column and the types.
    """
    import numba

    numba.set_num_threads(max(1, min(threads, numba.config.NUMBA_NUM_THREADS)))  # type: ignore[attr-defined]
    os.environ["MODALINFO_SAMPLER_THREADS"] = str(threads)
    fn = get_experiment(experiment, search)
    # every row records the full parameters: the experiment's defaults, then the cell's values
    params = {**(fn.parameters or {}), **cell.as_dict()}
    rows, seconds = [], []
    for rep in range(identity["repetitions"]):
        gen = np.random.default_rng(np.random.SeedSequence(identity["seed"], spawn_key=(cell.key, rep)))
        start = time.perf_counter()
        try:
            result = fn(dict(params), gen)
            for i, row in enumerate(result):
                rows.append({"cell": cell.id, "rep": rep, "row": i, "status": "ok", "error": "", **params, **row})
        except Exception as err:
            error = f"{type(err).__name__}: {err}"
            rows.append({"cell": cell.id, "rep": rep, "row": 0, "status": "error", "error": error, **params})
        seconds.append(time.perf_counter() - start)
    problem = unstorable_columns(rows)
    if problem:
        error = f"ValueError: the rows cannot be stored as Parquet: {problem}"
        rows = [
            {"cell": cell.id, "rep": rep, "row": 0, "status": "error", "error": error, **params}
            for rep in range(identity["repetitions"])
        ]
    write_shard(rows, identity, shard_path(Path(out), cell))
    return {"cell": cell.id, "seconds": seconds, "errors": sum(r["status"] == "error" for r in rows)}


def _kinds(values: Any) -> list[str]:
    """The Python types of the non-missing values of a column, in order of appearance."""
    return list(dict.fromkeys(type(v).__name__ for v in values if v is not None and not _is_nan(v)))


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and value != value


def _storable(values: Any) -> bool:
    import pyarrow as pa

    try:
        pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError, ValueError, OverflowError):
        return False
    return True


def unstorable_columns(rows: list[dict[str, Any]]) -> str:
    """'' when Parquet can hold the rows, else which columns it cannot and the types they mix (with repetitions)."""
    import pandas as pd

    frame = pd.DataFrame(rows)
    problems = []
    for column in frame.columns:
        values = frame[column].tolist()
        if frame[column].dtype == object and not _storable(values):
            reps: dict[str, int] = {}
            for rep, value in zip(frame["rep"], values):
                if value is not None and not _is_nan(value):
                    reps.setdefault(type(value).__name__, int(rep))
            kinds = ", ".join(f"{kind} (repetition {rep})" for kind, rep in reps.items())
            problems.append(f"column {column!r} holds {kinds}")
    return "; ".join(problems)


def consolidate(suite: Suite, out: Path, valid: set[str] | None = None) -> Any:
    """Join the suite's valid shards (its identity, read back whole) into one table; write results.parquet and .csv.

    ``valid``: the ids of the cells whose shards are known to be valid (checked when None). A column
    whose values have one type in some cells and another in others (each shard alone is valid) is
    stored as text in the joined table, with a note on stderr naming the column, the types and the
    cells; nothing is dropped.
    """
    import pandas as pd

    if valid is None:
        valid = {cell for cell, (state, _) in cell_states(suite, out).items() if state in _VALID}
    frames = []
    for order, cell in enumerate(suite.cells()):
        path = shard_path(out, cell)
        if cell.id in valid:
            frame = pd.read_parquet(path)
            frame.insert(0, "cell_order", order)
            frames.append(frame)
    if not frames:
        raise ValueError(f"no finished cells of suite {suite.name!r} under {out}; run the suite first")
    table = pd.concat(frames, ignore_index=True).sort_values(["cell_order", "rep", "row"], kind="stable")
    table = table.drop(columns="cell_order").reset_index(drop=True)
    for note in _as_text_where_mixed(table):
        _note(f"modalinfo: {note}")
    table.to_parquet(out / "results.parquet", index=False)
    table.to_csv(out / "results.csv", index=False)
    return table


def _as_text_where_mixed(table: Any) -> list[str]:
    """Store as text (in place) each object column Parquet cannot hold; one note per column."""
    notes = []
    for column in table.columns:
        values = table[column].tolist()
        if table[column].dtype != object or _storable(values):
            continue
        cells: dict[str, list[str]] = {}
        for cell, value in zip(table["cell"], values):
            if value is not None and not _is_nan(value):
                cells.setdefault(type(value).__name__, [])
                if cell not in cells[type(value).__name__]:
                    cells[type(value).__name__].append(cell)
        kinds = "; ".join(
            f"{kind} in cells {', '.join(ids[:3])}{' ...' if len(ids) > 3 else ''}" for kind, ids in cells.items()
        )
        table[column] = [None if v is None or _is_nan(v) else str(v) for v in values]
        notes.append(f"column {column!r} differs in type between cells ({kinds}): stored as text in the results")
    return notes


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


#: Seconds between a worker's checks that the process that started it is still alive.
PARENT_POLL = 0.5


def _exit_with(parent: int) -> None:
    """Poll the parent; end this worker at once when it is gone (killed: nobody will read the results)."""
    while True:
        time.sleep(PARENT_POLL)
        if os.getppid() != parent:
            os._exit(1)


def _start_worker(parent: int) -> None:
    """Worker start-up: Ctrl-C is the parent's to handle (it cancels the queued cells and says so), and the
    worker ends within ``PARENT_POLL`` seconds of its parent's death (``kill -9``), so that it neither
    writes shards after the output folder's lock is released nor lingers holding memory."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with, args=(parent,), daemon=True, name="modalinfo-parent-watch").start()


def default_executor(workers: int) -> Executor:
    """A process pool (spawned workers: safe with numba's threads) of ``workers`` processes."""
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=get_context("spawn"), initializer=_start_worker, initargs=(os.getpid(),)
    )


def _note(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _kernels_cold() -> bool:
    """Whether numba has cached no kernel of the package yet (the first run compiles them)."""
    layers = (modalinfo.estimators, modalinfo.simulations, modalinfo.theory)
    places = [Path(str(m.__file__)).parent for m in layers]  # each __pycache__ of the layer's subpackages
    if os.environ.get("NUMBA_CACHE_DIR"):
        places.append(Path(os.environ["NUMBA_CACHE_DIR"]))
    return not any(any(place.rglob("*.nbi")) for place in places if place.is_dir())


def _explain(states: dict[str, tuple[str, str]], out: Path, force: bool) -> None:
    """One line per kind of shard that is not reused, and why."""
    if force:
        return
    groups: dict[tuple[str, str], int] = {}
    for state, reason in states.values():
        if state in ("stale", "corrupt", "failed"):
            groups[state, reason] = groups.get((state, reason), 0) + 1
    for (state, reason), count in groups.items():
        _note(f"modalinfo: {count} {state} shard(s) under {out} ({reason}): computing those cells again")


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
    parallel). ``progress``: a tqdm bar on a terminal, else one line per finished cell with the time
    left (None: whichever fits stderr; False: none). Stale or corrupt shards, and a first run that
    compiles the kernels, are reported on stderr. Holds the output folder's lock while it runs.
    """
    out = Path(output) if output is not None else suite.output
    with output_lock(out):
        (out / "shards").mkdir(parents=True, exist_ok=True)
        for leftover in (out / "shards").glob(".*.tmp"):  # left by a killed run; never read
            leftover.unlink()
        states = cell_states(suite, out)
        _explain(states, out, force)
        todo, done = pending_cells(suite, out, force, states)
        cold = bool(todo) and _kernels_cold()
        if cold:
            _note("modalinfo: compiling the numba kernels on first use (cached for later runs)")
        return _run(suite, out, todo, done, executor, workers, threads, progress, cold)


def _run(
    suite: Suite,
    out: Path,
    todo: list[Cell],
    done: list[Cell],
    executor: Executor | None,
    workers: int,
    threads: int,
    progress: bool | None,
    cold: bool = False,
) -> RunReport:
    """Run ``todo`` and consolidate. ``cold``: numba has no cached kernel yet, so the first cell runs
    alone and compiles its kernels once; the workers of the other cells load them from the cache
    instead of each compiling them again (the first run of the default suite on 2 cores, one busy:
    see bench/README.md)."""
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
    if manifest_path.is_file():  # the timings of reused cells; those of cells no longer in the suite are dropped
        try:
            kept = json.loads(manifest_path.read_text()).get("timings", {})
        except (json.JSONDecodeError, AttributeError):
            kept = {}
        if isinstance(kept, dict):
            timings.update({cell.id: kept[cell.id] for cell in done if cell.id in kept})
    start = time.perf_counter()
    errors = 0
    own = executor is None and bool(todo)
    pool = default_executor(workers) if own else executor
    bar_wanted = sys.stderr.isatty() if progress is None else progress
    lines = progress is None and not sys.stderr.isatty()
    try:
        if todo:
            assert pool is not None  # a pool of our own when no executor was given

            def submit(c: Cell) -> Future:
                return pool.submit(
                    run_cell, suite.experiment_spec, c, shard_identity(suite, c), str(out), threads, suite.search_path
                )

            futures = [submit(todo[0])]
            if cold:
                wait(futures)
            futures += [submit(c) for c in todo[1:]]
            bar = None
            if bar_wanted:
                from tqdm import tqdm

                bar = tqdm(total=len(futures), desc=f"modalinfo run {suite.name}", unit="cell")
            for finished, fut in enumerate(as_completed(futures), start=1):
                info = fut.result()
                errors += info["errors"]
                timings[info["cell"]] = info["seconds"]
                if bar is not None:
                    bar.update()
                elif lines:
                    elapsed = time.perf_counter() - start
                    left = elapsed / finished * (len(futures) - finished)
                    _note(
                        f"modalinfo run {suite.name}: {finished}/{len(futures)} cells, {elapsed:.0f} s, "
                        f"about {left:.0f} s left"
                    )
            if bar is not None:
                bar.close()
    except KeyboardInterrupt:
        # queued cells are cancelled; cells already running finish and keep their shards
        if own and pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        if own and pool is not None:
            pool.shutdown()
    table = consolidate(suite, out, {c.id for c in (*todo, *done)})
    manifest["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    seconds = manifest["seconds"] = time.perf_counter() - start
    _write_json(manifest_path, manifest)
    return RunReport(len(todo), len(done), errors, out / "results.parquet", manifest_path, seconds, table)
