"""Samplers of the models of theory/, the named-model registry and the ``modinfo`` command line.

``sample(model, n, rng)`` draws any model (or a registry name) as a mapping of block names to
arrays (n, d); the same seed gives bit-identical samples whatever the number of threads.
"""

from ._registry import get_model, model_names, register_model
from ._sample import sample
from ._transforms import MissingModalities, NonlinearMixing

__all__ = ["MissingModalities", "NonlinearMixing", "get_model", "model_names", "register_model", "sample"]
