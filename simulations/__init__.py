"""Samplers of the models of theory/, and the simulation suites.

``sample(model, n, rng)`` draws any model of :mod:`modalinfo.theory` (or a registry name) as a
mapping of block names to arrays (n, d); the same seed gives bit-identical samples whatever the
number of threads. ``register_sampler`` teaches it a new model type. Suites (experiments with
their figures, the spec, the resumable runner and the report) live in
:mod:`modalinfo.simulations.suites`.

The named-model registry and the wrapper models moved to :mod:`modalinfo.theory` (they are exact
quantities, not samplers); ``get_model``, ``model_names``, ``model_description``,
``register_model``, ``NonlinearMixing`` and ``MissingModalities`` are re-exported here for one
release.
"""

from typing import TYPE_CHECKING

from modalinfo.lazy import attach

if TYPE_CHECKING:  # the public names, imported on first use (modalinfo.lazy)
    from modalinfo.theory import (
        MissingModalities,
        NonlinearMixing,
        get_model,
        model_description,
        model_names,
        register_model,
    )

    from ._sample import register_sampler, sample

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

__getattr__, __dir__ = attach(__name__, __file__)
