"""The suite runner: parsing errors, failing cells, resume, SIGKILL, determinism across executors."""

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import pandas as pd
import pytest

from modalinfo.cli import main
from modalinfo.simulations.suites import (
    SuiteError,
    builtin_suites,
    consolidate,
    figures,
    load_suite,
    pending_cells,
    run_suite,
)

CURVES = """
[suite]
name = "tiny"
experiment = "learning_curves"
repetitions = {reps}
seed = 7
output = "{out}"

[grid]
n_train = {sizes}
modalities = ["x1", "x1+x2"]

[fixed]
n_test = {n_test}
"""


def write_suite(tmp_path, reps=2, sizes="[3, 20, 40]", n_test=500, name="suite.toml"):
    path = tmp_path / name
    path.write_text(CURVES.format(reps=reps, out=(tmp_path / "out").as_posix(), sizes=sizes, n_test=n_test))
    return path


def test_builtin_suites_parse():
    assert {"default", "accuracy", "curves"} <= set(builtin_suites())
    for name in builtin_suites():
        suite = load_suite(name)
        assert suite.cells() and len({c.id for c in suite.cells()}) == len(suite.cells())


def test_failing_cells_are_recorded_and_the_rest_complete(tmp_path):
    suite = load_suite(write_suite(tmp_path))  # n_train = 3 cannot fit OLS on 4 or 8 features
    report = run_suite(suite, executor=ProcessPoolExecutor(1, mp_context=get_context("spawn")), progress=False)
    table = pd.read_parquet(report.results)
    bad = table[table["n_train"] == 3]
    assert (bad["status"] == "error").all() and bad["error"].str.contains("ValueError").all()
    good = table[table["n_train"] > 3]
    assert (good["status"] == "ok").all() and good["test_risk"].notna().all()
    assert report.error_rows == 4 and report.ran == 6
    assert not table.duplicated(["cell", "rep", "row"]).any()


def test_rerun_skips_finished_cells_and_force_recomputes(tmp_path):
    suite = load_suite(write_suite(tmp_path, reps=1, sizes="[20]"))
    pool = ProcessPoolExecutor(1, mp_context=get_context("spawn"))
    first = run_suite(suite, executor=pool, progress=False)
    again = run_suite(suite, executor=pool, progress=False)
    assert (first.ran, again.ran, again.skipped) == (2, 0, 2)
    assert run_suite(suite, executor=pool, force=True, progress=False).ran == 2
    pool.shutdown()
    todo, done = pending_cells(suite, suite.output)
    assert not todo and len(done) == 2
    manifest = (suite.output / "manifest.json").read_text()
    for key in ("git_commit", "git_dirty", "suite_sha256", "versions", "timings", "seed"):
        assert f'"{key}"' in manifest


def test_bit_identical_with_one_two_workers_and_dask(tmp_path):
    distributed = pytest.importorskip("distributed")
    path = write_suite(tmp_path, reps=2, sizes="[20, 40]")
    suite = load_suite(path)
    tables = []
    for label, make in (
        ("one", lambda: ProcessPoolExecutor(1, mp_context=get_context("spawn"))),
        ("two", lambda: ProcessPoolExecutor(2, mp_context=get_context("spawn"))),
    ):
        with make() as pool:
            run_suite(suite, executor=pool, output=tmp_path / label, progress=False)
        tables.append(pd.read_parquet(tmp_path / label / "results.parquet"))
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")
    with cluster, distributed.Client(cluster) as client:
        run_suite(suite, executor=client.get_executor(), output=tmp_path / "dask", progress=False)
    tables.append(pd.read_parquet(tmp_path / "dask" / "results.parquet"))
    for other in tables[1:]:
        pd.testing.assert_frame_equal(tables[0], other, check_exact=True)


def test_sigkill_mid_run_then_rerun_equals_an_uninterrupted_run(tmp_path):
    path = write_suite(tmp_path, reps=4, sizes="[20, 24, 28, 32, 36, 40]", n_test=60_000)
    suite = load_suite(path)
    run = [sys.executable, "-m", "modalinfo.cli", "run", str(path), "--workers", "1", "--no-figures"]
    proc = subprocess.Popen(run, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    shards = tmp_path / "out" / "shards"
    deadline = time.time() + 120
    while time.time() < deadline and len(list(shards.glob("*.parquet"))) < 2:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    finished = len(list(shards.glob("*.parquet")))
    assert 2 <= finished < len(suite.cells()), "the kill should land mid-run"
    subprocess.run(run, check=True, capture_output=True)
    resumed = pd.read_parquet(tmp_path / "out" / "results.parquet")
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        run_suite(suite, executor=pool, output=tmp_path / "clean", progress=False)
    pd.testing.assert_frame_equal(resumed, pd.read_parquet(tmp_path / "clean" / "results.parquet"), check_exact=True)
    assert not resumed.duplicated(["cell", "rep", "row"]).any()
    assert not list(shards.glob(".*.tmp"))


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("[suite\nexperiment = 1", "invalid TOML"),
        ('[suite]\nexperiment = "simulations.experiments:nope"\n[grid]\nn = [1]', "cannot be imported"),
        ('[suite]\nexperiment = "no_such_module:f"\n[grid]\nn = [1]', "cannot be imported"),
        ('[suite]\nexperiment = "learning_curves"\n[grid]\nwidth = [1]', r"line 4.*`grid.width` is not a parameter"),
        ('[suite]\nexperiment = "learning_curves"\nrepetitions = -1\n[grid]\nn_train = [20]', r"line 3.*repetitions"),
        ('[suite]\nexperiment = "learning_curves"\n[grid]\nn_train = []', "non-empty list"),
        ('[suite]\nexperiment = "learning_curves"\n[grid]', r"\[grid\] section"),
        (
            '[suite]\nexperiment = "learning_curves"\ncolour = 1\n[grid]\nn_train = [20]',
            "`suite.colour` is not a known key",
        ),
        ("[suites]\nx = 1", "not a known section"),
        ('[suite]\nexperiment = "learning_curves"\nseed = "a"\n[grid]\nn_train = [20]', "seed"),
        ("[suite]\nexperiment = 3\n[grid]\nn_train = [20]", "package.module:function"),
        ('[suite]\nexperiment = "learning_curves"\n[grid]\nn_train = [20]\n[fixed]\nn_train = 5', "also in \\[grid\\]"),
    ],
)
def test_bad_suite_files_give_one_line_errors(tmp_path, text, match):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(SuiteError, match=match) as info:
        load_suite(path)
    assert "\n" not in str(info.value)


def test_cli_list_run_and_errors(tmp_path, capsys):
    path = write_suite(tmp_path, reps=1, sizes="[20]")
    assert main(["list", str(path)]) == 0
    assert "2 cells: 0 done, 2 todo" in capsys.readouterr().out
    assert main(["run", str(path), "--workers", "1"]) == 0
    out = capsys.readouterr().out
    assert "2 cells run" in out and "results.parquet" in out and "-learning_curves.png" in out
    assert main(["list", str(path)]) == 0
    assert "2 cells: 2 done, 0 todo" in capsys.readouterr().out
    with pytest.raises(SystemExit) as info:
        main(["run", str(tmp_path / "missing.toml")])
    assert info.value.code == 2
    assert "no suite file" in capsys.readouterr().err


def test_figures_are_byte_identical_across_runs(tmp_path):
    suite = load_suite(write_suite(tmp_path, reps=2, sizes="[20, 40]"))
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        run_suite(suite, executor=pool, progress=False)
    table = consolidate(suite, suite.output)
    first = [p.read_bytes() for p in figures(table, suite, tmp_path / "a")]
    second = [p.read_bytes() for p in figures(table, suite, tmp_path / "b")]
    assert first and first == second
    assert (tmp_path / "a" / "figures" / f"{suite.name}-learning_curves.png").is_file()
