"""Samplers of the models of theory/, the named-model registry, suites and the ``modalinfo`` command.

``sample(model, n, rng)`` draws any model (or a registry name) as a mapping of block names to
arrays (n, d); the same seed gives bit-identical samples whatever the number of threads. The
wrappers ``NonlinearMixing`` and ``MissingModalities`` forward the :class:`theory.ExactModel`
contract of the model they wrap. Suites, experiments and figures live in
:mod:`modalinfo.simulations.suites`; the command line in :mod:`modalinfo.simulations.cli`.
"""

from ._models import get_model, model_description, model_names, register_model
from ._sample import register_sampler, sample
from ._transforms import MissingModalities, NonlinearMixing

__all__ = [
    "MissingModalities",
    "NonlinearMixing",
    "get_model",
    "model_description",
    "model_names",
    "register_model",
    "register_sampler",
    "sample",
]
