"""The paper's builder (paper/build.py, outside the package): end to end at small size, deterministic bytes,
the LaTeX step, the coverage table; `modalinfo figures` / `modalinfo paper` find it in a checkout only."""

import importlib.util
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from modalinfo.cli import main

PAPER = Path(__file__).resolve().parents[2] / "paper"
PAPER_TEX = PAPER / "paper.tex"


def _builder():
    spec = importlib.util.spec_from_file_location("paper_build", PAPER / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BUILD = _builder()
LATEX_HINT, PAPER_SUITES, build_figures, build_paper = (
    BUILD.LATEX_HINT,
    BUILD.PAPER_SUITES,
    BUILD.build_figures,
    BUILD.build_paper,
)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("paper") / "generated"
    written = build_figures(out, "small", workers=2)
    return out, {p: p.read_bytes() for p in written}


def test_small_size_end_to_end_writes_every_figure_and_macro(built):
    out, files = built
    for name in PAPER_SUITES:
        assert (out / name / "results.parquet").is_file()
    assert sum(p.suffix == ".pdf" for p in files) == sum(p.suffix == ".png" for p in files) >= len(PAPER_SUITES)
    generated = (out / "macros.tex").read_text() + (out / "formulas.tex").read_text()
    defined = set(re.findall(r"\\newcommand\{\\([A-Za-z]+)\}", generated))
    assert len(defined) > 40
    text = PAPER_TEX.read_text()
    # every generated number is quoted, and every capitalised macro the text uses is generated
    unquoted = sorted(name for name in defined if f"\\{name}" not in text and not name.startswith("Formula"))
    assert not unquoted
    assert not set(re.findall(r"\\([A-Z][A-Za-z]*)", text)) - defined
    assert "FormulaIYXOne" in defined


def test_the_paper_command_regenerates_identical_bytes_and_builds_or_says_how(built, tmp_path, capsys):
    # from stored results nothing re-simulates, and every figure and macro comes out byte for byte the same
    out, files = built
    paper = tmp_path / "paper"
    paper.mkdir()
    shutil.copy(PAPER_TEX, paper / "paper.tex")
    shutil.copy(PAPER / "build.py", paper / "build.py")
    shutil.copytree(out, paper / "generated")
    assert main(["paper", "--paper", str(paper), "--size", "small", "--workers", "1"]) == 0
    report = capsys.readouterr().out
    assert {p: (paper / "generated" / p.relative_to(out)).read_bytes() for p in files} == files
    if shutil.which("latexmk") is None:
        assert LATEX_HINT in report
    else:
        assert (paper / "paper.pdf").is_file() and "paper.pdf" in report


def test_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="size"):
        build_figures(tmp_path, "huge")
    with pytest.raises(ValueError, match="repository root"):
        build_paper(tmp_path)


def test_coverage_table_lists_each_cell():
    table = pd.DataFrame(
        {
            "status": ["ok"] * 4 + ["error"],
            "interval": ["a"] * 5,
            "quantity": ["q"] * 5,
            "level": [0.9, 0.9, 0.95, 0.95, 0.95],
            "n": [100] * 5,
            "covered": [True, False, True, True, False],
        }
    )
    tex = BUILD.coverage_table(table)
    assert "90\\% n=100 & 95\\% n=100" in tex
    assert "a & q & 0.500 & 1.000 \\\\" in tex
    assert "at least 2" in tex


def test_the_paper_commands_outside_a_checkout_say_so_in_one_line(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for argv in (["paper"], ["figures", "--size", "small"]):
        with pytest.raises(SystemExit) as stop:
            main(argv)
        err = capsys.readouterr().err
        assert stop.value.code == 2 and len(err.strip().splitlines()) == 1 and "checkout" in err
