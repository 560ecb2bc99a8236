"""Samplers of the models of theory/, the named-model registry, co-learning learners, suites and the CLI.

``sample(model, n, rng)`` draws any model (or a registry name) as a mapping of block names to
arrays (n, d); the same seed gives bit-identical samples whatever the number of threads.
"""

from ._encoders import LinearEncoder, LogisticHead, RidgeHead, cca_encoder, ols_encoder, pca_encoder, pls_encoder
from ._learners import (
    LearnerResult,
    early_fusion,
    enrichment,
    late_fusion,
    missing_modality,
    translation,
    unimodal,
)
from ._registry import get_model, model_names, register_model
from ._sample import sample
from ._transforms import MissingModalities, NonlinearMixing

__all__ = [
    "LearnerResult",
    "LinearEncoder",
    "LogisticHead",
    "MissingModalities",
    "NonlinearMixing",
    "RidgeHead",
    "cca_encoder",
    "early_fusion",
    "enrichment",
    "get_model",
    "late_fusion",
    "missing_modality",
    "model_names",
    "ols_encoder",
    "pca_encoder",
    "pls_encoder",
    "register_model",
    "sample",
    "translation",
    "unimodal",
]
