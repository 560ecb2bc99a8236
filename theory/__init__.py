"""Exact information, partial information decomposition and risk of known multimodal models.

Everything here is a closed form (or a certified convex optimum) of a known distribution;
nothing samples. Every model meets the :class:`ExactModel` protocol, wrappers included
(:class:`NonlinearMixing`, :class:`MissingModalities`); the named canonical models live in one
registry (:func:`get_model`, :func:`model_names`, :func:`register_model`) and the PID measures in
another, ``PID_MEASURES``. Units are nats unless ``base`` says otherwise (``base=2`` for bits).
"""

from typing import TYPE_CHECKING

from modalinfo.lazy import attach

if TYPE_CHECKING:  # the public names, imported on first use (modalinfo.lazy)
    from ._alignment import GroupAlignedModel
    from ._bounds import HuangBound, huang_latent_quality_bound, huang_risk_gap_bound, linear_rademacher_bound
    from ._canonical import CANONICAL_PMFS, canonical_pmf, mixture_pmf, noisy_pmf
    from ._classification import LatentClassificationModel
    from ._clusters import SymbolClusterModel
    from ._discrete_model import DiscreteModel
    from ._gaussian import gaussian_entropy, gaussian_mutual_information, gaussian_total_correlation
    from ._latent import GaussianView, LatentModel
    from ._pid_discrete import discrete_mutual_information, discrete_pid
    from ._pid_gaussian import gaussian_pid
    from ._pid_measures import PID_MEASURES
    from ._registry import get_model, model_description, model_names, register_model
    from ._risk import (
        effective_noise,
        iso_risk_ratio,
        linear_latent_quality,
        ols_encoder_latent_quality,
        ols_excess_risk,
        ols_test_risk,
        samples_to_epsilon,
    )
    from ._spurious import SpuriousTrendModel
    from ._student import StudentTLatentModel, student_t_mutual_information
    from ._symbolic import OVERLAP, SNR, TARGET_NOISE, two_modality_formulas, two_modality_latex, two_modality_numeric
    from ._synergy_bounds import synergy_bounds
    from ._types import PID_ATOMS, PID_TOTALS, ExactModel, ModelBase, PIDMeasure, PIDResult, SynergyBounds
    from ._unpaired import unpaired_exchange_rate
    from ._wrappers import ELEMENTWISE_MAPS, MissingModalities, NonlinearMixing

__all__ = [
    "CANONICAL_PMFS",
    "ELEMENTWISE_MAPS",
    "DiscreteModel",
    "ExactModel",
    "GaussianView",
    "GroupAlignedModel",
    "HuangBound",
    "LatentClassificationModel",
    "LatentModel",
    "MissingModalities",
    "ModelBase",
    "NonlinearMixing",
    "OVERLAP",
    "PIDMeasure",
    "PIDResult",
    "PID_ATOMS",
    "PID_MEASURES",
    "PID_TOTALS",
    "SNR",
    "SpuriousTrendModel",
    "StudentTLatentModel",
    "SymbolClusterModel",
    "SynergyBounds",
    "TARGET_NOISE",
    "canonical_pmf",
    "discrete_mutual_information",
    "discrete_pid",
    "effective_noise",
    "gaussian_entropy",
    "gaussian_mutual_information",
    "gaussian_pid",
    "gaussian_total_correlation",
    "get_model",
    "huang_latent_quality_bound",
    "huang_risk_gap_bound",
    "iso_risk_ratio",
    "linear_latent_quality",
    "linear_rademacher_bound",
    "mixture_pmf",
    "model_description",
    "model_names",
    "noisy_pmf",
    "ols_encoder_latent_quality",
    "ols_excess_risk",
    "ols_test_risk",
    "register_model",
    "samples_to_epsilon",
    "student_t_mutual_information",
    "synergy_bounds",
    "two_modality_formulas",
    "two_modality_latex",
    "two_modality_numeric",
    "unpaired_exchange_rate",
]

__getattr__, __dir__ = attach(__name__, __file__)
