"""Shards: one Parquet file per cell that records what it holds, checked before it is reused.

A shard's schema metadata holds its identity: the experiment's identity, the cell id and
parameters, the root seed, the number of repetitions and the modalinfo version. A shard is reused
only when that identity equals the one the suite asks for and the file reads back whole, with
every repetition present; otherwise the cell is computed again (and the runner says why). One run
at a time writes to an output folder: an advisory ``fcntl`` lock on ``.lock`` there, which the
operating system releases when the run ends or is killed, so a stale lock cannot block a rerun.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import modalinfo

from ._experiment import SuiteError
from ._spec import Cell, Suite

__all__ = ["CellState", "cell_states", "output_lock", "shard_identity", "shard_path", "write_shard"]

_KEY = b"modalinfo"
#: The states of a cell in an output folder; "done" shards are reused, the others computed again.
CellState = str  # "done", "failed" (some repetition raised), "todo", "stale" (other identity), "corrupt"


def shard_path(out: Path, cell: Cell) -> Path:
    """Where a cell's shard lives under the output folder."""
    return out / "shards" / f"{cell.id}.parquet"


def shard_identity(suite: Suite, cell: Cell) -> dict[str, Any]:
    """Everything that determines a cell's rows: experiment, parameters, seed, repetitions, version."""
    return {
        "experiment": suite.experiment.identity,
        "cell": cell.id,
        "params": json.dumps(cell.as_dict(), sort_keys=True),
        "seed": suite.seed,
        "repetitions": suite.repetitions,
        "version": modalinfo.__version__,
    }


def write_shard(rows: list[dict[str, Any]], identity: dict[str, Any], target: Path) -> None:
    """Write the rows with their identity atomically (a temporary file, then ``os.replace``)."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(pd.DataFrame(rows), preserve_index=False)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), _KEY: json.dumps(identity).encode()})
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, target)


def _state(path: Path, identity: dict[str, Any]) -> tuple[CellState, str]:
    import pyarrow.parquet as pq

    if not path.is_file():
        return "todo", ""
    try:
        with pq.ParquetFile(path) as shard:
            meta = shard.schema_arrow.metadata or {}
            stored = json.loads(meta[_KEY]) if _KEY in meta else None
            columns = shard.read(columns=["rep", "status"]).to_pydict() if stored == identity else {}
    except Exception as err:
        return "corrupt", f"unreadable ({type(err).__name__})"
    if stored != identity:
        if not isinstance(stored, dict):
            return "stale", "written without an identity (an older modalinfo)"
        diff = [f"{k} {stored.get(k)!r} -> {v!r}" for k, v in identity.items() if stored.get(k) != v]
        return "stale", ", ".join(diff)
    if set(columns["rep"]) != set(range(identity["repetitions"])):
        return "corrupt", "repetitions missing"
    return ("failed", "a repetition raised an error") if "error" in columns["status"] else ("done", "")


def cell_states(suite: Suite, out: Path) -> dict[str, tuple[CellState, str]]:
    """Each cell's state in the output folder, with the reason for "stale" and "corrupt"."""
    return {c.id: _state(shard_path(out, c), shard_identity(suite, c)) for c in suite.cells()}


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold the output folder's advisory lock, or raise SuiteError naming the run that holds it."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / ".lock"
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise SuiteError(
                f"another modalinfo run ({holder}) is writing to {out}; wait for it or choose another --output"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
