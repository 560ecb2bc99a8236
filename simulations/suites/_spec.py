"""Suite files: a TOML experiment grid parsed into a frozen, validated ``Suite``.

::

    [suite]
    name = "default"                                   # optional, defaults to the file stem
    experiment = "information_vs_overlap"              # built-in, or "package.module:function"
    repetitions = 3                                    # >= 1
    seed = 2026                                        # root seed, int >= 0
    output = "results/default"                         # relative to the working directory

    [grid]                                             # every combination is one cell
    overlap = [0.0, 0.5, 1.0]
    n = [1000]

    [fixed]                                            # optional constants given to every cell
    method = "ksg"

Each cell has an id (the first 16 hex digits of the SHA-256 of its canonical JSON: the experiment's
identity and the parameters, sorted keys) and repetition r of cell c draws from
``SeedSequence(seed, spawn_key=(int(id, 16) % 2**63, r))``, so results depend neither on the order
of the cells nor on the number of workers.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from modalinfo.simulations import get_model, model_names

from ._experiment import Experiment, SuiteError, get_experiment

__all__ = ["Cell", "Suite", "builtin_suites", "load_suite", "suite_header"]

_SECTIONS = {"suite", "grid", "fixed"}
_SUITE_KEYS = {"name", "experiment", "repetitions", "seed", "output"}
_SCALARS = (bool, int, float, str)
BUILTIN = Path(__file__).parent / "builtin"


@dataclass(frozen=True)
class Cell:
    """One grid point: its parameters, id and integer stream key."""

    params: tuple[tuple[str, Any], ...]
    id: str

    @property
    def key(self) -> int:
        """The cell's entry of the spawn key."""
        return int(self.id, 16) % 2**63

    def as_dict(self) -> dict[str, Any]:
        """The cell's parameters as a dict."""
        return dict(self.params)


@dataclass(frozen=True)
class Suite:
    """A parsed suite: experiment, grid, constants, repetitions, root seed, output folder.

    ``experiment_spec`` is the experiment as the file names it (what worker processes resolve);
    ``experiment`` the resolved registry entry.
    """

    name: str
    experiment_spec: str
    experiment: Experiment
    repetitions: int
    seed: int
    output: Path
    grid: tuple[tuple[str, tuple[Any, ...]], ...]
    fixed: tuple[tuple[str, Any], ...]
    path: Path
    sha256: str

    def cells(self) -> list[Cell]:
        """All cells, in grid order."""
        names = [k for k, _ in self.grid]
        out = []
        for combo in itertools.product(*(v for _, v in self.grid)):
            params = dict(self.fixed)
            params.update(zip(names, combo))
            canonical = json.dumps({"experiment": self.experiment.identity, "params": params}, sort_keys=True)
            out.append(Cell(tuple(sorted(params.items())), hashlib.sha256(canonical.encode()).hexdigest()[:16]))
        return out

    @property
    def search_path(self) -> tuple[str, ...]:
        """Folders searched for a user's experiment module after ``sys.path``: the suite's, the working directory."""
        return (str(self.path.parent), str(Path.cwd()))

    @property
    def grid_keys(self) -> tuple[str, ...]:
        """The names of the grid parameters, in file order."""
        return tuple(k for k, _ in self.grid)

    def grid_values(self, key: str) -> tuple[Any, ...]:
        """The values of one grid parameter, in file order."""
        return dict(self.grid)[key]


def _line(text: str, key: str) -> str:
    """' (line N)' of the first ``key =`` or ``[key]`` in the file, or '' when not found."""
    pattern = re.compile(rf"^\s*(\[{re.escape(key)}\]|{re.escape(key)}\s*=)", re.MULTILINE)
    m = pattern.search(text)
    return f" (line {text.count(chr(10), 0, m.start()) + 1})" if m else ""


def builtin_suites() -> dict[str, Path]:
    """Names of the suites shipped with modalinfo, mapped to their files."""
    return {p.stem: p for p in sorted(BUILTIN.glob("*.toml"))}


def suite_header(path: Path) -> tuple[str, str]:
    """The experiment a suite file names and its leading comment, read without importing the experiment.

    For listings (``modalinfo suites``); :func:`load_suite` validates the file.
    """
    text = Path(path).read_text(encoding="utf-8")
    comment = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        comment.append(line.lstrip("# ").strip())
    try:
        named = tomllib.loads(text).get("suite", {}).get("experiment", "?")
    except tomllib.TOMLDecodeError:
        named = "?"
    return str(named), " ".join(comment)


def load_suite(spec: str | Path) -> Suite:
    """Parse a suite file, or a built-in suite by name (``"default"``), into a :class:`Suite`.

    Raises
    ------
    SuiteError
        For a missing file, invalid TOML, an unknown section or key, a wrong type, an empty grid or
        grid list, repetitions < 1, a negative seed, or an experiment that does not import; the
        message names the file and the key (with its line when it can be found).
    """
    path = Path(spec)
    builtins = builtin_suites()
    if not path.suffix and str(spec) in builtins:
        path = builtins[str(spec)]
    if not path.is_file():
        raise SuiteError(f"no suite file {str(spec)!r}; built-in suites: {', '.join(builtins)}")
    raw = path.read_bytes()
    text = raw.decode("utf-8", errors="replace")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise SuiteError(f"{path}: invalid TOML: {err}") from None

    def fail(key: str, message: str) -> SuiteError:
        return SuiteError(f"{path}{_line(text, key.split('.')[-1])}: `{key}` {message}")

    for section in data:
        if section not in _SECTIONS:
            raise fail(section, f"is not a known section; use {sorted(_SECTIONS)}")
    head = data.get("suite")
    if not isinstance(head, dict):
        raise SuiteError(f"{path}: a [suite] section with `experiment` is required")
    for key in head:
        if key not in _SUITE_KEYS:
            raise fail(f"suite.{key}", f"is not a known key; use {sorted(_SUITE_KEYS)}")
    named = head.get("experiment")
    if not isinstance(named, str) or not named:
        raise fail("suite.experiment", "must be a built-in experiment name or 'package.module:function'")
    try:
        experiment = get_experiment(named, search=(str(path.parent), "."))
    except SuiteError as err:
        raise fail("suite.experiment", str(err)) from None
    reps = head.get("repetitions", 1)
    if isinstance(reps, bool) or not isinstance(reps, int) or reps < 1:
        raise fail("suite.repetitions", f"must be an integer >= 1; got {reps!r}")
    seed = head.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise fail("suite.seed", f"must be an integer >= 0; got {seed!r}")
    name = head.get("name", path.stem)
    output = head.get("output", f"results/{name}")
    for key, value in (("suite.name", name), ("suite.output", output)):
        if not isinstance(value, str) or not value:
            raise fail(key, f"must be a non-empty string; got {value!r}")
    grid = data.get("grid", {})
    if not isinstance(grid, dict) or not grid:
        raise SuiteError(f"{path}: the [grid] section must list at least one parameter with its values")
    grid_items = []
    for key, values in grid.items():
        if not isinstance(values, list) or not values:
            raise fail(f"grid.{key}", f"must be a non-empty list of values; got {values!r}")
        if not all(isinstance(v, _SCALARS) for v in values):
            raise fail(f"grid.{key}", "values must be numbers, strings or booleans")
        grid_items.append((key, tuple(values)))
    fixed = data.get("fixed", {})
    if not isinstance(fixed, dict):
        raise SuiteError(f"{path}: [fixed] must be a table of constants")
    for key, value in fixed.items():
        if key in grid:
            raise fail(f"fixed.{key}", "is also in [grid]; give each parameter once")
        if not isinstance(value, (*_SCALARS, list)):
            raise fail(f"fixed.{key}", "must be a number, string, boolean or list")
    known = experiment.parameters
    if known is not None:
        for key in (*grid, *fixed):
            if key not in known:
                section = "grid" if key in grid else "fixed"
                raise fail(f"{section}.{key}", f"is not a parameter of {experiment.name}; it takes {sorted(known)}")
    if experiment.accepts is not None:  # the registered models it names, checked before anything runs
        section, models = ("grid", grid["model"]) if "model" in grid else ("fixed", [fixed.get("model")])
        for model in models:
            if model is None:
                continue
            if not isinstance(model, str) or model not in model_names():
                raise fail(f"{section}.model", f"names an unregistered model {model!r}; see `modalinfo models`")
            if not experiment.accepts(get_model(model)):
                raise fail(f"{section}.model", f"{model!r} is not a model {experiment.name} accepts")
    return Suite(
        name=name,
        experiment_spec=named,
        experiment=experiment,
        repetitions=reps,
        seed=seed,
        output=Path(output),
        grid=tuple(grid_items),
        fixed=tuple(sorted(fixed.items())),
        path=path.resolve(),
        sha256=hashlib.sha256(raw).hexdigest(),
    )
