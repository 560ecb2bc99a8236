"""Representation measures: similarity (CKA, CCA, SVCCA, MCC) and usefulness (probes, latent quality,
class separability). Public names live in :mod:`modalinfo.estimators`."""
