"""The modalinfo command line."""

import math
import subprocess
import sys

import pytest

from modalinfo.cli import main
from modalinfo.theory import LatentModel


def test_info_prints_the_exact_table(capsys):
    assert main(["info", "--units", "bits"]) == 0
    out = capsys.readouterr().out
    m = LatentModel()
    assert f"{m.mutual_information(['x1', 'x2'], 'y', base=2):.4f}" in out
    assert f"{m.bayes_risk(['x1']):.4f}" in out
    assert f"{m.mutual_information('x1', 'x2', base=2):.4f}" in out
    assert "MMI PID" in out


def test_info_follows_the_overlap(capsys):
    main(["info", "--overlap", "0"])
    out = capsys.readouterr().out
    assert "x1,x2             0.0000" in out  # I(x1; x2) = 0 without shared latents
    assert math.isclose(LatentModel(overlap=0).mutual_information("x1", "x2"), 0.0, abs_tol=1e-12)


def test_info_rejects_bad_input(capsys):
    with pytest.raises(SystemExit) as err:
        main(["info", "--overlap", "1.5"])
    assert err.value.code == 2
    assert "overlap" in capsys.readouterr().err


def test_formulas_prints_latex(capsys):
    assert main(["formulas"]) == 0
    assert r"\omega" in capsys.readouterr().out


def test_info_on_a_registered_model_and_the_model_list(capsys):
    assert main(["models"]) == 0
    assert "gauss-3mod-overlap0.5" in capsys.readouterr().out.split()
    assert main(["info", "--model", "gauss-3mod-overlap0.5"]) == 0
    out = capsys.readouterr().out
    assert "x1,x2,x3" in out and "registered model" in out and "[continuous target, PID mmi/" in out
    assert main(["info", "--model", "xor", "--units", "bits"]) == 0  # every registered model has an exact table
    assert "x1,x2             1.0000" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["info", "--model", "nope"])
    assert "unknown model" in capsys.readouterr().err


def test_info_works_for_every_listed_model(capsys):
    from modalinfo.simulations import model_names

    assert main(["models"]) == 0
    listing = capsys.readouterr().out
    for name in model_names():
        assert name in listing
        assert main(["info", "--model", name]) == 0
        out = capsys.readouterr().out
        assert "registered model" in out and "Traceback" not in out
    assert main(["info", "--model", "xor"]) == 0
    assert "information in bits" in capsys.readouterr().out  # discrete models default to bits


@pytest.mark.parametrize("command", ["models", "suites", "--version"])
def test_listings_load_neither_scipy_nor_numba(command):
    """Commands that compute nothing start in milliseconds: they import no numerical library but numpy."""
    code = (
        "import sys, contextlib, io\n"
        "from modalinfo.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        f"    main([{command!r}])\n"
        "print(sorted(m for m in ('scipy', 'numba', 'pandas', 'sklearn', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
