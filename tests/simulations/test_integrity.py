"""Suites you can trust: stored results are reused only when identical, failures are loud, no tracebacks."""

import json
import signal
import subprocess
import sys

import pandas as pd
import pytest

from modalinfo.cli import main
from modalinfo.simulations.suites import SuiteError, cell_states, consolidate, default_executor, load_suite, run_suite
from modalinfo.simulations.suites._shards import output_lock

SUITE = """
[suite]
name = "tiny"
experiment = "learning_curves"
repetitions = {reps}
seed = {seed}
output = "{out}"

[grid]
n_train = [20, 24]
overlap = {overlaps}

[fixed]
n_test = 200
"""


@pytest.fixture(scope="module")
def pool():
    executor = default_executor(1)  # one worker for the module: it starts (and imports) once
    yield executor
    executor.shutdown()


def write(tmp_path, reps=2, seed=1, overlaps="[0.5]", name="suite.toml"):
    path = tmp_path / name
    path.write_text(SUITE.format(reps=reps, seed=seed, out=tmp_path / "out", overlaps=overlaps))
    return path


def test_a_changed_seed_or_repetition_count_recomputes_and_the_manifest_agrees(pool, tmp_path, capsys):
    run_suite(load_suite(write(tmp_path)), progress=False, executor=pool)
    first = consolidate(load_suite(write(tmp_path)), tmp_path / "out")
    for reps, seed in ((2, 9), (3, 9)):
        suite = load_suite(write(tmp_path, reps=reps, seed=seed))
        report = run_suite(suite, progress=False, executor=pool)
        assert report.ran == 2 and report.skipped == 0
        assert "stale shard" in capsys.readouterr().err
        table = consolidate(suite, tmp_path / "out")
        assert sorted(table["rep"].unique()) == list(range(reps))
        manifest = json.loads(report.manifest.read_text())
        assert (manifest["seed"], manifest["repetitions"]) == (seed, reps)
    assert not table["test_risk"].isin(first["test_risk"]).any()  # nothing of the old seed is kept
    again = run_suite(load_suite(write(tmp_path, reps=3, seed=9)), progress=False, executor=pool)
    assert again.ran == 0 and again.skipped == 2


@pytest.mark.parametrize("damage", ["truncate", "empty", "drop_rep"])
def test_a_corrupt_shard_is_recomputed_with_a_note(pool, tmp_path, capsys, damage):
    suite = load_suite(write(tmp_path))
    run_suite(suite, progress=False, executor=pool)
    shard = next((tmp_path / "out" / "shards").glob("*.parquet"))
    if damage == "truncate":
        shard.write_bytes(shard.read_bytes()[:100])
    elif damage == "empty":
        shard.write_bytes(b"")
    else:
        import pyarrow.parquet as pq

        table = pq.read_table(shard)
        keep = pd.Series(table.column("rep").to_pylist()).eq(0).to_numpy()
        pq.write_table(table.filter(keep).replace_schema_metadata(table.schema.metadata), shard)
    assert "corrupt" in {state for state, _ in cell_states(suite, tmp_path / "out").values()}
    report = run_suite(suite, progress=False, executor=pool)
    assert report.ran == 1 and "corrupt shard" in capsys.readouterr().err
    assert {state for state, _ in cell_states(suite, tmp_path / "out").values()} == {"done"}


def test_one_run_per_output_folder(pool, tmp_path):
    suite = load_suite(write(tmp_path))
    with output_lock(tmp_path / "out"):
        with pytest.raises(SuiteError, match="another modalinfo run"):
            run_suite(suite, progress=False, executor=pool)
    # the lock file of a finished (or killed) run does not block the next one
    assert (tmp_path / "out" / ".lock").exists()
    assert run_suite(suite, progress=False, executor=pool).ran == 2


def test_a_failing_suite_exits_1_names_the_cells_and_still_draws(tmp_path, capsys):
    path = write(tmp_path, overlaps="[0.5, 1.5]")
    assert main(["run", str(path), "--workers", "1"]) == 1
    captured = capsys.readouterr()
    assert "2 cells:" in captured.out.split("failed, in")[1] and "overlap=1.5" in captured.out
    assert "`overlap` must be in [0, 1]" in captured.out and "Traceback" not in captured.out + captured.err
    assert "figure:   " in captured.out and (tmp_path / "out" / "figures" / "tiny-learning_curves.png").is_file()
    assert main(["list", str(path)]) == 0
    listing = capsys.readouterr().out
    assert "2 done" in listing and "2 failed" in listing
    assert main(["run", str(write(tmp_path, overlaps="[1.5]")), "--workers", "1"]) == 1  # nothing to draw
    assert "Traceback" not in "".join(capsys.readouterr())


@pytest.mark.parametrize(
    ("argv", "status"),
    [
        (["run", "nope"], 2),
        (["run", "default", "--workers", "0"], 2),
        (["run", "default", "--threads", "-3"], 2),
        (["run", "default", "--scheduler-timeout", "0"], 2),
        (["info", "--model", "xor", "--overlap", "0.3"], 2),
        (["info", "--model", "nope"], 2),
        (["info", "--overlap", "1.5"], 2),
        (["list", "default", "--output", "{file}"], 0),
        (["run", "default", "--output", "{file}", "--no-figures"], 2),
        (["run", "default", "--scheduler", "tcp://127.0.0.1:9", "--scheduler-timeout", "1"], 2),
        (["frobnicate"], 2),
    ],
)
def test_bad_invocations_get_one_line_and_a_status(tmp_path, capsys, argv, status):
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    argv = [a.replace("{file}", str(a_file)) for a in argv]
    try:
        code = main(argv)
    except SystemExit as stop:
        code = stop.code
    captured = capsys.readouterr()
    assert code == status
    assert "Traceback" not in captured.out + captured.err
    if status == 2:
        assert captured.err.strip().splitlines()[-1].startswith("modalinfo")


def _cli(*args):
    return [sys.executable, "-m", "modalinfo.cli", *args]


def test_ctrl_c_and_a_closed_pipe_end_cleanly(tmp_path):
    path = tmp_path / "slow.toml"
    path.write_text(SUITE.format(reps=30, seed=1, out=tmp_path / "out", overlaps="[0.1, 0.2, 0.3, 0.4]"))
    proc = subprocess.Popen(_cli("run", str(path), "--workers", "1", "--no-figures"), stderr=subprocess.PIPE, text=True)
    seen = []
    while not any("cells," in line for line in seen):  # a progress line per cell: stderr is not a terminal
        line = proc.stderr.readline()
        assert line, f"the run ended before any progress line: {seen}"
        seen.append(line)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130 and "interrupted; rerun to resume" in err and "Traceback" not in err
    piped = subprocess.run(f"{' '.join(_cli('models'))} | head -1", shell=True, capture_output=True, text=True)
    assert piped.stdout.count("\n") == 1 and "Traceback" not in piped.stderr and "Error" not in piped.stderr


@pytest.mark.parametrize(
    ("model", "match"),
    [
        ("no-such-model", "unregistered model 'no-such-model'"),
        ("spurious-0.8", "not a model estimator_accuracy accepts"),
    ],
)
def test_a_suite_naming_a_model_its_experiment_cannot_run_is_refused_at_load(tmp_path, model, match):
    path = tmp_path / "models.toml"
    path.write_text(
        f'[suite]\nexperiment = "estimator_accuracy"\n[grid]\nmodel = ["gauss-2mod-overlap0.5", "{model}"]\n'
    )
    with pytest.raises(SuiteError, match=rf"line 4.*{match}"):
        load_suite(path)
