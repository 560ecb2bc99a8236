"""`modalinfo figures` / `modalinfo paper`: end to end at small size, deterministic bytes, the LaTeX step."""

import re
import shutil
from pathlib import Path

import pytest

from modalinfo.simulations.cli import main
from modalinfo.simulations.suites import LATEX_HINT, PAPER_SUITES, build_figures, build_paper

PAPER_TEX = Path(__file__).resolve().parents[2] / "paper" / "paper.tex"


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


def test_regenerating_from_stored_results_gives_identical_bytes(built):
    out, files = built
    again = build_figures(out, "small", workers=1)  # every cell is stored: nothing re-simulates
    assert {p: p.read_bytes() for p in again} == files


def test_paper_builds_with_latexmk_or_says_how_to_install_it(built, tmp_path, capsys):
    out, _ = built
    paper = tmp_path / "paper"
    paper.mkdir()
    shutil.copy(PAPER_TEX, paper / "paper.tex")
    shutil.copytree(out, paper / "generated")
    assert main(["paper", "--paper", str(paper), "--size", "small", "--workers", "1"]) == 0
    report = capsys.readouterr().out
    if shutil.which("latexmk") is None:
        assert LATEX_HINT in report
    else:
        assert (paper / "paper.pdf").is_file() and "paper.pdf" in report


def test_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="size"):
        build_figures(tmp_path, "huge")
    with pytest.raises(ValueError, match="repository root"):
        build_paper(tmp_path)
