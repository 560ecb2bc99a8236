"""The registry of experiments: what a suite runs, with its parameters, the models it accepts and its figure.

An experiment is ``f(params, rng) -> rows``: it draws from a model with known truth, applies
estimators or learners, and returns tidy rows holding both the exact value (from theory/) and the
measured one. ``params`` come from a suite cell with the declared defaults filled in; ``rng`` is the
cell-repetition's Generator. The :func:`experiment` decorator registers it under its function name
with its figure (drawn from stored results by the report) and, for experiments with a ``model``
parameter, the registered models it accepts.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType, ModuleType
from typing import Any

import numpy as np

from modalinfo.theory import ExactModel

__all__ = ["EXPERIMENTS", "Experiment", "Rows", "SuiteError", "experiment", "get_experiment"]

Rows = list[dict[str, Any]]

# The identity of a built-in experiment in cell ids: its 0.1 import path, kept through the rename
# to modalinfo so that every cell id, random stream and stored result stays the same.
_BUILTIN_IDENTITY = "simulations.experiments:{}"


class SuiteError(ValueError):
    """A suite file or experiment that cannot be run; the message names the file, the key and its line when known."""


@dataclass(frozen=True)
class Experiment:
    """A registered experiment.

    Attributes
    ----------
    name : str
        Its name in suite files (``experiment = "information_vs_overlap"``).
    function : callable
        ``function(params, rng) -> rows`` with every declared parameter present.
    parameters : mapping or None
        The declared parameters and their defaults; a suite may set no other (None: undeclared,
        for a plain function of your own).
    identity : str
        The string hashed (with a cell's parameters) into the cell id.
    figure : callable or None
        ``figure(plt, ok_rows, suite) -> matplotlib Figure`` drawn from the successful rows.
    accepts : callable or None
        ``accepts(model) -> bool`` for experiments with a ``model`` parameter: which registered
        models the experiment can run on.
    """

    name: str
    function: Callable[[dict[str, Any], np.random.Generator], Rows] = field(repr=False)
    parameters: Mapping[str, Any] | None
    identity: str
    figure: Callable[..., Any] | None = field(default=None, repr=False)
    accepts: Callable[[ExactModel], bool] | None = field(default=None, repr=False)

    def __call__(self, params: Mapping[str, Any], rng: np.random.Generator) -> Rows:
        declared = self.parameters if self.parameters is not None else params
        unknown = set(params) - set(declared)
        if unknown:
            raise ValueError(f"unknown parameters {sorted(unknown)}; {self.name} takes {sorted(declared)}")
        return self.function({**declared, **params}, rng)

    @property
    def description(self) -> str:
        """The first line of the experiment's docstring."""
        return (self.function.__doc__ or "").strip().splitlines()[0] if self.function.__doc__ else ""


_EXPERIMENTS: dict[str, Experiment] = {}
#: The modules of this package that define the built-in experiments.
_BUILTIN_MODULES = ("_coverage", "_huang", "_information", "_learning", "_lu", "_pid_measures", "_unpaired")


class _Registry(Mapping[str, Experiment]):
    """The experiments by name (read-only); the built-in modules are imported on first use."""

    def _entries(self) -> dict[str, Experiment]:
        for name in _BUILTIN_MODULES:
            importlib.import_module(f"{__package__}.{name}")
        return _EXPERIMENTS

    def __getitem__(self, name: str) -> Experiment:
        return self._entries()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries())

    def __len__(self) -> int:
        return len(self._entries())


#: Built-in experiments (and those registered with :func:`experiment`) by name (read-only).
EXPERIMENTS: Mapping[str, Experiment] = _Registry()


def experiment(
    *, figure: Callable[..., Any] | None = None, accepts: Callable[[ExactModel], bool] | None = None, **defaults: Any
) -> Callable[[Callable[[dict[str, Any], np.random.Generator], Rows]], Experiment]:
    """Register a built-in experiment with its parameters and defaults, its figure and the models it accepts."""

    def wrap(fn: Callable[[dict[str, Any], np.random.Generator], Rows]) -> Experiment:
        identity = _BUILTIN_IDENTITY.format(fn.__name__)
        entry = Experiment(fn.__name__, fn, MappingProxyType(dict(defaults)), identity, figure, accepts)
        _EXPERIMENTS[entry.name] = entry
        return entry

    return wrap


def _import(module: str, search: Sequence[str]) -> ModuleType:
    """Import ``module``; if its top-level package is not found, look for it in the ``search`` folders too."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as err:
        top = module.partition(".")[0]
        extra = [str(Path(folder).resolve()) for folder in search if str(Path(folder).resolve()) not in sys.path]
        if err.name != top or not extra:
            raise
        sys.path[:0] = extra  # kept for the rest of the process: the module may import its siblings later
        return importlib.import_module(module)


def get_experiment(spec: str, search: Sequence[str] = ()) -> Experiment:
    """The experiment a suite names: a built-in name, or ``"package.module:function"`` for one of yours.

    A function of your own may be decorated with :func:`experiment` or be a plain
    ``f(params, rng) -> rows`` (then it declares no parameters and has no figure). Its module is
    imported from ``sys.path`` or, failing that, from the ``search`` folders (the suite file's
    folder and the working directory, when a suite names it).

    Raises
    ------
    SuiteError
        If the name is not built in and the spec does not import to a callable; the message says
        where the module was looked for.
    """
    if not isinstance(spec, str) or not spec:
        raise SuiteError(f"an experiment is a built-in name or 'package.module:function'; got {spec!r}")
    if spec in EXPERIMENTS:
        return EXPERIMENTS[spec]
    module, _, attr = spec.partition(":")
    if not attr:
        raise SuiteError(f"unknown experiment {spec!r}; built-in experiments: {', '.join(sorted(EXPERIMENTS))}")
    try:
        fn = getattr(_import(module, search), attr)
    except (ImportError, AttributeError) as err:
        where = ", ".join(dict.fromkeys(str(Path(f).resolve()) for f in search))
        hint = (
            f" (looked on sys.path and in {where}: put the module in one of these folders or add its folder to "
            "PYTHONPATH)"
            if isinstance(err, ModuleNotFoundError)
            else ""
        )
        raise SuiteError(f"experiment {spec!r} cannot be imported: {err}{hint}") from None
    if isinstance(fn, Experiment):
        return fn
    if not callable(fn):
        raise SuiteError(f"experiment {spec!r} must name a function as 'package.module:function'")
    return Experiment(attr, fn, None, spec)
