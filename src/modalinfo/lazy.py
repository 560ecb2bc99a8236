"""Lazy public names of a package (the scientific-Python SPEC 1 pattern): loaded on first access.

A package lists its public names once, as the imports of an ``if TYPE_CHECKING:`` block in its
``__init__`` (what type checkers and readers see); :func:`attach` reads that block and returns
the module ``__getattr__`` and ``__dir__`` that import each name's module when the name is first
used, so that ``import modalinfo.estimators`` costs milliseconds and a call loads only what it needs.
"""

from __future__ import annotations

import ast
import importlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["attach"]


def _exports(init_file: str) -> dict[str, tuple[str, str]]:
    """name -> (relative module, attribute) from the ``if TYPE_CHECKING:`` imports of a package's ``__init__``."""
    tree = ast.parse(Path(init_file).read_text(encoding="utf-8"))
    out: dict[str, tuple[str, str]] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for statement in node.body:
                if isinstance(statement, ast.ImportFrom):
                    module = "." * statement.level + (statement.module or "")
                    out.update({(a.asname or a.name): (module, a.name) for a in statement.names})
    return out


def attach(package: str, init_file: str) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for the package ``package`` whose ``__init__`` is ``init_file``."""
    exports = _exports(init_file)

    def __getattr__(name: str) -> Any:
        if name not in exports:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module, attribute = exports[name]
        value = getattr(importlib.import_module(module, package), attribute)
        setattr(sys.modules[package], name, value)  # later lookups skip __getattr__
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *exports})

    return __getattr__, __dir__
