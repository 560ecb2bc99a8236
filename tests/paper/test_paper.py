"""The paper's builder (paper/build.py, outside the package): end to end at small size, deterministic bytes,
the LaTeX step, the generated tables; `modalinfo figures` / `modalinfo paper` find it in a checkout only.
The text quotes no number that is not generated, and cites only works in its bibliography."""

import importlib.util
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from modalinfo.cli import main

PAPER = Path(__file__).resolve().parents[2] / "paper"
PAPER_TEX = PAPER / "paper.tex"
#: What the paper folder holds besides generated/ (copied to build a paper elsewhere).
SOURCES = ("paper.tex", "build.py", "macros.py", "references.bib")


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
    generated = (out / "macros.tex").read_text()
    defined = set(re.findall(r"\\newcommand\{\\([A-Za-z]+)\}", generated))
    assert len(defined) > 40
    text = PAPER_TEX.read_text()
    # every generated number is quoted, and every CamelCase macro the text uses is generated (\Sigma is TeX's)
    assert not sorted(name for name in defined if not re.search(rf"\\{name}(?![A-Za-z])", text))
    assert not set(re.findall(r"\\([A-Z][a-z]+[A-Z][A-Za-z]*)", text)) - defined
    # the generated tables are written and read by the text
    assert "\\input{generated/accuracy.tex}" in text and (out / "accuracy.tex").is_file()


def test_the_paper_command_regenerates_identical_bytes_and_builds_or_says_how(built, tmp_path, capsys):
    # from stored results nothing re-simulates, and every figure and macro comes out byte for byte the same
    out, files = built
    paper = tmp_path / "paper"
    paper.mkdir()
    for name in SOURCES:
        shutil.copy(PAPER / name, paper / name)
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
    tex = BUILD.paper_macros.coverage_table(table)
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


# Arguments that name things rather than quote numbers: cross-references, citations (with their
# optional page or theorem notes), files and the bibliography.
_NAMING = re.compile(
    r"\\(?:ref|label|input|fig|includegraphics|bibliography|bibliographystyle|begin|end|"
    r"cite|citet|citep|citealp|nocite)(?:\[[^\]]*\])*\{[^}]*\}"
)
#: Numbers the text may state in words of its own, each with the reason.
_ALLOWED = {
    r"\bTheorems?~\d+(?: and~\d+)?": "the theorem numbers of the cited paper",
}
_MATH = re.compile(r"\$(.+?)\$|\\\[(.+?)\\\]", re.DOTALL)
_NUMBER = r"\d+(?:\.\d+)?"
# Inside mathematics: sub- and superscripts are indices and powers; a formula's integer constants
# ((n-1)/(n-p-1), 1/2, 8L) are mathematics; a decimal, or a number standing alone after a relation
# ($m=30$, $\theta \le 1$), is a quoted value.
_SCRIPT = re.compile(r"[_^](?:\{[^{}]*\}|\\?[A-Za-z0-9])")
_VALUE = re.compile(rf"\d+\.\d+|(?:=|<|>|\\le|\\ge|\\leq|\\geq|\\approx)\s*-?{_NUMBER}\s*(?=$|[,;.)\]]|\\q?quad)")


def quoted_numbers(tex: str) -> list[str]:
    """The numbers the body of a LaTeX document states that are not generated macros or allowed (see above)."""
    body = tex.split("\\begin{document}", 1)[-1].split("\\end{document}", 1)[0]
    body = re.sub(r"(?<!\\)%.*", "", body)
    body = _NAMING.sub(" ", body)
    for pattern in _ALLOWED:
        body = re.sub(pattern, " ", body)
    found = []
    for match in _MATH.finditer(body):
        formula = _SCRIPT.sub(" ", match.group(1) or match.group(2))
        found += [m.group(0).strip() for m in _VALUE.finditer(formula)]
    found += re.findall(rf"{_NUMBER}", _MATH.sub(" ", body))
    return found


@pytest.mark.parametrize(
    ("snippet", "numbers"),
    [
        ("biased by 0.07 nats, and by \\KsgJointBias{} nats", ["0.07"]),
        ("held in 100\\% of the runs, as it must", ["100"]),
        ("a parameter $m=30$ and $\\theta_{\\min}=1$, a weight $0.6$", ["=30", "=1", "0.6"]),
        ("noise sd $\\sigma = 0.5$; (95\\% CI \\LambdaFitLow--\\LambdaFitHigh)", ["= 0.5", "95"]),
        ("three parameters to two, about $n^{-1}$ and $\\tfrac12 \\log \\det \\Sigma_{S \\cup y}$", []),
        ("$\\sigma^2 (n-1)/(n-p-1)$, $\\ge 1-\\delta/2$, $8L\\,\\mathfrak R_m + 2C\\sqrt{2\\ln(2/\\delta)}$", []),
        ("Theorems~1 and~2 of \\citet{huang2021}, \\citep[Theorem 8.4.1]{cover2006}, Figure~\\ref{fig:2}", []),
        ("% a comment with 12 in it\nno number here, but 5\\% after the comment", ["5"]),
    ],
)
def test_the_number_checker_finds_typed_numbers_and_only_those(snippet, numbers):
    assert quoted_numbers(f"\\begin{{document}}{snippet}\\end{{document}}") == numbers


def test_the_paper_quotes_no_number_that_is_not_generated():
    assert quoted_numbers(PAPER_TEX.read_text()) == []


def test_every_citation_is_in_the_bibliography_once():
    text = PAPER_TEX.read_text()
    keys = re.findall(r"@\w+\{([^,\s]+),", (PAPER / "references.bib").read_text())
    assert len(keys) == len(set(keys))
    cited = {k.strip() for group in re.findall(r"\\cite\w*(?:\[[^\]]*\])*\{([^}]*)\}", text) for k in group.split(",")}
    assert cited - {"*"} <= set(keys)
    assert {"huang2021", "lu2023", "kraskov2004", "czyz2023"} <= cited
