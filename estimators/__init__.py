"""Estimators: data in, numbers out.

Mutual information and conditional mutual information from samples (KSG-1/2, Gaussian,
Gaussian-copula, discrete plug-in with bias corrections, mixed discrete-continuous, and an
automatic choice), with resampling confidence intervals and permutation nulls; partial information
decomposition from samples and a per-modality information report; representation quality and
similarity (CKA, CCA, SVCCA, MCC, identifiability R^2, probes, latent quality, class separability);
learning curves, curve fits and sample-complexity ratios with bootstrap CIs. Units are nats
unless ``base`` says otherwise; arrays are (n_samples, n_features).
"""

from ._curves import (
    CurveFit,
    LearningCurve,
    effective_sample_multiplier,
    exchange_rate,
    fit_ols_curve,
    fit_power_law,
    iso_risk_ratio,
    learning_curve,
)
from ._mi import METHODS, choose_method, conditional_mutual_information, mutual_information
from ._modality import modality_report
from ._pid import pid
from ._representation import (
    cca_similarity,
    cka,
    fisher_ratio,
    identifiability_r2,
    knn_probe_accuracy,
    latent_quality,
    linear_probe,
    mcc,
    silhouette,
    svcca,
)
from ._resampling import bootstrap_ci, permutation_null
from ._types import AutoChoice, ConfidenceInterval, PermutationNull, PIDEstimate

__all__ = [
    "AutoChoice",
    "ConfidenceInterval",
    "CurveFit",
    "LearningCurve",
    "METHODS",
    "PIDEstimate",
    "PermutationNull",
    "bootstrap_ci",
    "cca_similarity",
    "choose_method",
    "cka",
    "conditional_mutual_information",
    "effective_sample_multiplier",
    "exchange_rate",
    "fisher_ratio",
    "fit_ols_curve",
    "fit_power_law",
    "identifiability_r2",
    "iso_risk_ratio",
    "knn_probe_accuracy",
    "latent_quality",
    "learning_curve",
    "linear_probe",
    "mcc",
    "modality_report",
    "mutual_information",
    "permutation_null",
    "pid",
    "silhouette",
    "svcca",
]
