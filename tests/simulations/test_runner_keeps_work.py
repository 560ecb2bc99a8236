"""The runner keeps every result it can: unstorable rows, a killed parent, user modules, the manifest, `info`."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from modalinfo.cli import main
from modalinfo.simulations.suites import load_suite

EXPERIMENTS = '''
import os, time


def kinds(params, rng):
    """A column that is a string in one cell and a float in another."""
    return [{"value": "text" if params["rep_text"] else 1.5}]


def flaky(params, rng):
    """An experiment of the user's, beside the suite file."""
    return [{"x": float(rng.random()), "size": params["size"]}]


def sleepy(params, rng):
    """Records its process id, then works for a long time."""
    with open(os.path.join(params["out"], f"worker-{os.getpid()}.pid"), "w") as handle:
        handle.write(str(os.getpid()))
    time.sleep(60)
    return [{"done": 1}]
'''


def _suite(tmp_path: Path, experiment: str, grid: str, reps: int = 1, fixed: str = "", name: str = "s") -> Path:
    pkg = tmp_path / "mypkg"
    pkg.mkdir(exist_ok=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "exps.py").write_text(EXPERIMENTS)
    path = tmp_path / f"{name}.toml"
    path.write_text(
        f'[suite]\nexperiment = "mypkg.exps:{experiment}"\nrepetitions = {reps}\noutput = "{tmp_path / "out"}"\n'
        f"[grid]\n{grid}\n[fixed]\n{fixed}\n"
    )
    return path


def test_rows_that_cannot_be_stored_fail_their_cell_and_the_others_are_kept(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path.parent)  # the module is found beside the suite file, not through the cwd
    mixed = tmp_path / "mixed.py"
    mixed.write_text(
        "def f(params, rng):\n    return [{'value': 'text' if params['cell'] == 0 or (params['cell'] == 1 and "
        "rng.random() < 0.5) else 0.5}]\n"
    )
    path = tmp_path / "m.toml"
    path.write_text(
        f'[suite]\nexperiment = "mixed:f"\nrepetitions = 6\noutput = "{tmp_path / "m"}"\n[grid]\ncell = [1, 2]\n'
    )
    assert main(["run", str(path), "--workers", "1", "--no-figures"]) == 1
    out = capsys.readouterr().out
    assert "cannot be stored as Parquet" in out and "column 'value' holds" in out and "str" in out and "float" in out
    table = pd.read_parquet(tmp_path / "m" / "results.parquet")
    assert (table.loc[table["status"] == "ok", "value"] == 0.5).all() and (table["status"] == "ok").sum() == 6
    assert set(table.loc[table["status"] == "error", "rep"]) == set(range(6))  # every repetition of the bad cell


def test_a_column_whose_type_differs_between_cells_is_stored_as_text(tmp_path, capsys):
    path = _suite(tmp_path, "kinds", "rep_text = [true, false]", reps=2)
    assert main(["run", str(path), "--workers", "1", "--no-figures"]) == 0
    captured = capsys.readouterr()
    assert "column 'value' differs in type between cells" in captured.err and "stored as text" in captured.err
    table = pd.read_parquet(tmp_path / "out" / "results.parquet")
    assert sorted(table["value"]) == ["1.5", "1.5", "text", "text"] and (table["status"] == "ok").all()


def test_experiment_modules_are_found_beside_the_suite_and_in_the_working_directory(tmp_path, monkeypatch):
    path = _suite(tmp_path, "flaky", "size = [1, 2]")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert main(["run", str(path), "--workers", "1", "--no-figures"]) == 0  # beside the suite file
    moved = elsewhere / "suite.toml"
    moved.write_text(path.read_text())
    monkeypatch.chdir(tmp_path)
    assert load_suite(moved).experiment.name == "flaky"  # in the working directory
    # a fresh process (this one has imported mypkg by now), in a folder without it
    listing = [sys.executable, "-m", "modalinfo.cli", "list", str(moved)]
    found = subprocess.run(listing, cwd=elsewhere, capture_output=True, text=True)
    assert found.returncode == 2 and len(found.stderr.strip().splitlines()) == 1
    assert "No module named 'mypkg'" in found.stderr and "PYTHONPATH" in found.stderr


def test_the_manifest_describes_exactly_the_suites_cells(tmp_path):
    path = _suite(tmp_path, "flaky", "size = [1, 2, 3, 4]")
    assert main(["run", str(path), "--workers", "1", "--no-figures"]) == 0
    _suite(tmp_path, "flaky", "size = [1, 2]")
    assert main(["run", str(path), "--workers", "1", "--no-figures"]) == 0
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    ids = {cell.id for cell in load_suite(path).cells()}
    assert manifest["cells"] == 2 and set(manifest["timings"]) == ids


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def test_workers_end_within_seconds_when_their_parent_is_killed(tmp_path):
    path = _suite(tmp_path, "sleepy", "size = [1, 2]", fixed=f'out = "{tmp_path}"')
    run = [sys.executable, "-m", "modalinfo.cli", "run", str(path), "--workers", "2", "--no-figures"]
    proc = subprocess.Popen(run, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and len(list(tmp_path.glob("worker-*.pid"))) < 2:
        time.sleep(0.05)
    workers = [int(p.read_text()) for p in tmp_path.glob("worker-*.pid")]
    assert len(workers) == 2 and all(_alive(pid) for pid in workers)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 5
    while time.time() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers), "a worker outlived its killed parent by 5 s"
    assert not list((tmp_path / "out" / "shards").glob("*.parquet"))


def test_info_explains_each_missing_entry_and_shows_what_the_model_can_compute(capsys):
    assert main(["info", "--model", "class-2mod-overlap0.5"]) == 0
    out = capsys.readouterr().out
    pair = next(line for line in out.splitlines() if line.startswith("x1,x2 ") and "n/a" in line)
    assert pair.split()[1] == "n/a" and len([v for v in pair.split()[3:] if v.replace(".", "").isdigit()]) == 4
    assert "Gaussian mixture with no closed-form information" in out and "per split" not in out
    assert main(["info", "--model", "spurious-0.8"]) == 0
    out = capsys.readouterr().out
    assert "exact per split only" in out and "the train split:" in out and "the test split:" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["run", ""],
        ["run", "default", "--output", ""],
        ["list", "default", "--output", " "],
        ["info", "--model", ""],
        ["run", "default", "--scheduler", ""],
        ["run", "default", "--workers", "x"],
        ["frobnicate"],
        ["run"],
    ],
)
def test_usage_errors_are_one_line(capsys, argv):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    err = capsys.readouterr().err
    assert stop.value.code == 2 and len(err.strip().splitlines()) == 1 and "--help" in err, err


def test_the_top_level_help_says_what_the_command_is_for(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "how much information each modality" in out and "exit status" in out and "run" in out


def test_the_runner_sees_the_kernels_numba_cached():
    """A first run is told apart from later ones by the cached kernels in the layers' subpackages."""
    from modalinfo.estimators import mutual_information
    from modalinfo.simulations.suites._runner import _kernels_cold

    x = np.random.default_rng(0).standard_normal((200, 2))
    mutual_information(x[:, :1], x[:, 1:], "ksg", rng=0)  # compiled and cached (cache=True) if it was not
    assert not _kernels_cold()
