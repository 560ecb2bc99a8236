"""Mutual information between data with discrete and continuous columns.

- Continuous X, discrete Y (or the reverse): Ross (2014, PLoS ONE 9:e87357). For sample i with
  label y_i, d_i is the distance to its k-th neighbour among the N_{y_i} samples of that label and
  m_i the number of samples of any label strictly within d_i (i included):
  ``I = psi(N) + <psi(k_i)> - <psi(N_{y_i})> - <psi(m_i)>``, k_i = min(k, N_{y_i} - 1); samples whose
  label occurs once are dropped (as in sklearn).
- Any mixture of discrete and continuous columns: Gao, Kannan, Oh & Viswanath (2017, NeurIPS),
  ``I = < psi(k~_i) + log N - psi(n_x,i) - psi(n_y,i) >``: rho_i is the joint k-th neighbour
  distance; if rho_i > 0, k~_i = k and n_x,i, n_y,i count samples strictly within rho_i (i
  included); if rho_i = 0 (a discrete atom), k~_i is the number of joint ties and n_x,i, n_y,i
  the numbers of ties in X and Y.

Distances are max-norms. Continuous columns are jittered by the caller, discrete ones are not, so
ties mean atoms.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.spatial import cKDTree
from scipy.special import digamma

from ._ksg import within_counts

__all__ = ["gao_mi_nats", "ross_mi_nats"]


def ross_mi_nats(x: np.ndarray, labels: np.ndarray, k: int) -> float:
    """Ross (2014) I(X; Y) in nats for continuous x (n, d) and integer labels (n,)."""
    n = x.shape[0]
    radius = np.zeros(n)
    k_all = np.zeros(n, dtype=np.int64)
    label_counts = np.bincount(labels)[labels]
    for label in np.unique(labels):
        mask = labels == label
        count = int(mask.sum())
        if count > 1:
            kk = min(k, count - 1)
            dist, _ = cKDTree(x[mask]).query(x[mask], k=kk + 1, p=np.inf, workers=-1)
            radius[mask] = dist[:, kk] if dist.ndim == 2 else dist
            k_all[mask] = kk
    keep = label_counts > 1
    if keep.sum() < 2:
        raise ValueError("the mixed (Ross) estimate needs at least two labels that occur more than once")
    m_all = within_counts(x[keep], radius[keep], strict=True) + 1
    return float(
        digamma(keep.sum())
        + np.mean(digamma(k_all[keep]))
        - np.mean(digamma(label_counts[keep]))
        - np.mean(digamma(m_all))
    )


def gao_mi_nats(x: np.ndarray, y: np.ndarray, k: int) -> float:
    """Gao et al. (2017) mixed KSG I(X; Y) in nats."""
    n = x.shape[0]
    joint = np.concatenate([x, y], axis=1)
    tree = cKDTree(joint)
    rho = tree.query(joint, k=k + 1, p=np.inf, workers=-1)[0][:, k]
    atom = rho == 0
    k_tilde = np.full(n, float(k))
    nx = within_counts(x, rho, strict=True) + 1
    ny = within_counts(y, rho, strict=True) + 1
    if np.any(atom):
        k_tilde[atom] = within_counts(joint, rho, strict=False)[atom] + 1
        nx[atom] = within_counts(x, rho, strict=False)[atom] + 1
        ny[atom] = within_counts(y, rho, strict=False)[atom] + 1
    return float(np.mean(digamma(k_tilde) + math.log(n) - digamma(nx) - digamma(ny)))
