"""One import root, one command, and stored results that survive the rename."""

import subprocess
import sys
from importlib import metadata

import numpy as np

import modalinfo
from modalinfo.simulations.suites import load_suite


def test_the_distribution_installs_one_top_level_name():
    dist = metadata.distribution("modalinfo")
    top = dist.read_text("top_level.txt")
    if top is not None:  # wheels built by setuptools record it
        assert top.split() == ["modalinfo"]
    assert any(ep.name == "modalinfo" for ep in dist.entry_points if ep.group == "console_scripts")


def test_importing_the_root_is_light_and_the_layers_are_lazy():
    code = (
        "import sys, modalinfo; "
        "print(sorted(m for m in sys.modules if m.startswith('modalinfo')), 'numba' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split("]")[0].count("modalinfo.") == 0 and out.strip().endswith("False")
    assert modalinfo.theory.__name__ == "modalinfo.theory"
    assert {"theory", "estimators", "simulations"} <= set(dir(modalinfo))


def test_the_command_reports_its_version():
    out = subprocess.run([sys.executable, "-m", "modalinfo.cli", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == f"modalinfo {modalinfo.__version__}"


def test_cell_ids_and_streams_are_those_of_version_0_1():
    # Pinned from modinfo 0.1: the default suite's first cell, and the first draw of its first repetition.
    cell = load_suite("default").cells()[0]
    assert cell.id == "89b87a8176660b3e"
    gen = np.random.default_rng(np.random.SeedSequence(20261128, spawn_key=(cell.key, 0)))
    assert gen.integers(0, 2**32) == 396538430


def test_every_public_name_of_every_layer_resolves():
    from modalinfo import estimators, simulations, theory

    for layer in (theory, estimators, simulations):
        for name in layer.__all__:
            assert getattr(layer, name) is not None, f"{layer.__name__}.{name}"
        assert set(layer.__all__) <= set(dir(layer))
