"""Every docstring example of the installed package runs and prints what it says."""

import doctest
import importlib
import pkgutil

import pytest

from modalinfo import estimators, simulations, testing, theory

PACKAGES = (theory, estimators, simulations, testing)
MODULES = sorted(
    {"modalinfo", "modalinfo.typing", "modalinfo.validation"}
    | {package.__name__ for package in PACKAGES}
    | {
        name
        for package in PACKAGES
        for _, name, _ in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}.")
    }
)


def test_the_examples_cover_every_layer():
    examples = {name.split(".")[1] for name in MODULES if _examples(name)}
    assert {"theory", "estimators", "simulations", "testing"} <= examples


def _examples(name: str) -> int:
    finder = doctest.DocTestFinder(exclude_empty=True)
    return sum(len(t.examples) for t in finder.find(importlib.import_module(name)))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed (output above)"
