"""The house's arrows, checked on the installed package: root <- theory <- estimators <- simulations <- command line.

Every module of the installed package is parsed (nothing of it is run) and each of its imports of
modalinfo is placed on a floor: the root (``modalinfo``, ``validation``, ``typing``, ``lazy``) at the bottom,
then ``theory``, ``estimators``, ``simulations``, and the command line and the law checker
(``cli``, ``__main__``, ``testing``) at the top. A module may import its own floor and the floors
below it; no module imports another layer's private (``_``) modules; nothing imports the paper's
builder; the command line imports the layers only inside the commands that need them.
"""

import ast
import subprocess
import sys
from pathlib import Path

import modalinfo
from modalinfo import estimators, simulations, testing, theory

FLOORS = {"root": 0, "theory": 1, "estimators": 2, "simulations": 3, "top": 4}
LAYERS = {"theory": theory, "estimators": estimators, "simulations": simulations, "testing": testing}
TESTS = Path(__file__).resolve().parent
# Re-exports of an old import path for one release: the only arrows allowed to point up.
SHIMS = {"modalinfo.simulations.cli": "the command line's old path (moved to modalinfo.cli)"}


def _modules() -> dict[str, Path]:
    """Every module of the installed package by its dotted name."""
    out = {}
    root = Path(modalinfo.__file__).parent
    for path in root.glob("*.py"):
        out["modalinfo" if path.stem == "__init__" else f"modalinfo.{path.stem}"] = path
    for name, package in LAYERS.items():
        base = Path(package.__path__[0])
        for path in base.rglob("*.py"):
            parts = path.relative_to(base).with_suffix("").parts
            dotted = ".".join(("modalinfo", name, *parts))
            out[dotted.removesuffix(".__init__")] = path
    return out


def _floor(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in ("validation", "typing", "lazy"):
        return "root"
    if parts[1] in ("theory", "estimators", "simulations"):
        return parts[1]
    return "top"  # cli, __main__, testing


def _imports(name: str, path: Path) -> list[tuple[str, int, bool]]:
    """(imported module, line, at module level) for every import of the module, relative ones resolved."""
    tree = ast.parse(path.read_text())
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    top_level = {id(node) for node in tree.body}
    typing_only = {  # imports under `if TYPE_CHECKING:` never run
        id(inner)
        for node in tree.body
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for inner in ast.walk(node)
    }
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno, id(node) in top_level) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((module, node.lineno, id(node) in top_level))
            found += [(f"{module}.{alias.name}", node.lineno, id(node) in top_level) for alias in node.names]
    return found


def _private_of_another_layer(importer: str, imported: str) -> bool:
    parts = imported.split(".")
    private = any(p.startswith("_") and p != "__init__" for p in parts[1:])
    return private and _floor(importer) != _floor(imported)


def test_every_import_points_down_and_no_private_module_crosses_a_layer():
    modules = _modules()
    assert len(modules) > 60 and {"modalinfo.cli", "modalinfo.theory", "modalinfo.estimators.information._mi"} <= set(
        modules
    )
    wrong = []
    for name, path in modules.items():
        for imported, line, _ in _imports(name, path):
            head = imported.split(".")[0]
            if head in ("theory", "estimators", "simulations", "paper"):
                wrong.append(f"{path}:{line} imports the bare name {imported!r} (or the paper)")
            if head != "modalinfo" or imported not in modules and imported.rpartition(".")[0] not in modules:
                continue
            target = imported if imported in modules else imported.rpartition(".")[0]
            if FLOORS[_floor(target)] > FLOORS[_floor(name)] and name not in SHIMS:
                wrong.append(f"{path}:{line}: {name} ({_floor(name)}) imports {target} ({_floor(target)}), a floor up")
            if _private_of_another_layer(name, target):
                wrong.append(f"{path}:{line}: {name} imports {target}, a private module of another layer")
    assert not wrong, "\n".join(wrong)


def test_the_command_line_imports_layers_only_inside_its_commands():
    modules = _modules()
    for name in ("modalinfo.cli", "modalinfo.__main__"):
        for imported, line, top in _imports(name, modules[name]):
            if top and imported.startswith("modalinfo.") and imported not in ("modalinfo.cli", "modalinfo.cli.main"):
                raise AssertionError(f"{name}:{line} imports {imported} at module level")
    code = "import sys; from modalinfo.cli import main; sys.argv = ['modalinfo', '--version']\n"
    code += "try:\n    main()\nexcept SystemExit:\n    pass\n"
    code += "print(sorted(m for m in sys.modules if m.startswith(('modalinfo.', 'numba', 'matplotlib', 'scipy'))))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip().endswith("['modalinfo.cli']"), loaded


def test_every_test_imports_the_installed_package():
    bad = []
    for path in TESTS.rglob("*.py"):
        text = path.read_text()
        if "sys.path" in text and path.name != Path(__file__).name:
            bad.append(f"{path}: changes sys.path")
        for node in ast.walk(ast.parse(text)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            if isinstance(node, ast.ImportFrom) and node.level:
                names = ["(relative import)"]
            bad += [f"{path}: {n}" for n in names if n.split(".")[0] in ("theory", "estimators", "simulations", "src")]
            bad += [f"{path}: {n}" for n in names if n == "(relative import)"]
    assert not bad, "\n".join(bad)
