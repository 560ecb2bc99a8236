"""modalinfo: how much information each modality of a multimodal learning problem carries.

Three layers, with dependencies in one direction (theory <- estimators <- simulations):

- :mod:`modalinfo.theory`: exact quantities of known distributions (closed forms, never sampling),
  the wrapper models and the registry of named models;
- :mod:`modalinfo.estimators`: data in, numbers out (information, representation, learning);
- :mod:`modalinfo.simulations`: samplers, and the suites (experiments, runner, report, figures).

Beneath them the root's shared modules (:mod:`modalinfo.validation`, :mod:`modalinfo.typing`,
:mod:`modalinfo.lazy`); above them the command line (:mod:`modalinfo.cli`) and the laws as checks
(:mod:`modalinfo.testing`). The layers and their public names are imported on first access
(``import modalinfo`` stays light)::

    from modalinfo import theory, estimators, simulations
"""

from __future__ import annotations

import importlib
from importlib import metadata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from . import estimators, simulations, theory

try:
    __version__ = metadata.version("modalinfo")
except metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

_LAYERS = ("theory", "estimators", "simulations")
__all__ = ["__version__", "estimators", "simulations", "theory"]


def __getattr__(name: str) -> object:
    if name in _LAYERS:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'modalinfo' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAYERS])
