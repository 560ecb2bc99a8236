"""Estimators: data in, numbers out.

Mutual information and conditional mutual information from samples (KSG-1/2, Gaussian,
Gaussian-copula, discrete plug-in with bias corrections, mixed discrete-continuous, and an
automatic choice), with resampling confidence intervals and permutation nulls; partial information
decomposition from samples and a per-modality information report. Units are nats
unless ``base`` says otherwise; arrays are (n_samples, n_features).
"""

from ._mi import METHODS, choose_method, conditional_mutual_information, mutual_information
from ._modality import modality_report
from ._pid import pid
from ._resampling import bootstrap_ci, permutation_null
from ._types import AutoChoice, ConfidenceInterval, PermutationNull, PIDEstimate

__all__ = [
    "METHODS",
    "AutoChoice",
    "ConfidenceInterval",
    "PIDEstimate",
    "PermutationNull",
    "bootstrap_ci",
    "choose_method",
    "conditional_mutual_information",
    "modality_report",
    "mutual_information",
    "permutation_null",
    "pid",
]
