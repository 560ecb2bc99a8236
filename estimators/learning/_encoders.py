"""Linear encoders g(x) = (x - mean) W and heads h(z) fitted on samples (closed form or Newton).

Encoders: OLS/ridge direction, PCA, CCA with another modality, PLS-SVD. Heads: ridge regression
(closed form) and binary logistic regression (Newton / IRLS with an L2 penalty).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from modalinfo.typing import ArrayLike
from modalinfo.validation import as_labels, as_samples, check_same_n

__all__ = [
    "LinearEncoder",
    "LogisticHead",
    "RidgeHead",
    "cca_encoder",
    "ols_encoder",
    "pca_encoder",
    "pls_encoder",
]


@dataclass(frozen=True)
class LinearEncoder:
    """``g(x) = (x - mean) @ weights``: weights (d, r), mean (d,)."""

    weights: np.ndarray
    mean: np.ndarray
    kind: str

    def transform(self, x: ArrayLike) -> np.ndarray:
        """The representation (n, r) of samples x (n, d)."""
        a = as_samples(x, "x", min_rows=1)
        if a.shape[1] != self.weights.shape[0]:
            raise ValueError(f"`x` must have {self.weights.shape[0]} columns for this encoder; got {a.shape[1]}")
        return (a - self.mean) @ self.weights


def _check_rank(r: ArrayLike, limit: int, name: str = "n_components") -> int:
    if isinstance(r, bool) or not isinstance(r, (int, np.integer)) or not 1 <= r <= limit:
        raise ValueError(f"`{name}` must be an integer in [1, {limit}]; got {r!r}")
    return int(r)


def _need_rows(n: int, d: int, what: str) -> None:
    if n <= d:
        raise ValueError(f"{what} needs more samples than dimensions: n = {n}, d = {d}")


def ols_encoder(x: ArrayLike, y: ArrayLike, alpha: float = 0.0) -> LinearEncoder:
    """The (ridge) least-squares coefficient as a one-dimensional encoder per target column.

    ``W = (X_c^T X_c + alpha I)^-1 X_c^T y_c``; with ``alpha=0`` this is Huang et al.'s ERM encoder
    of latent dimension 1 in the linear case (Huang et al. 2021, "What makes multi-modal learning
    better than single (provably)", Sec. 3).
    """
    a, t = as_samples(x, "x", min_rows=2), as_samples(y, "y")
    check_same_n(x=a, y=t)
    if alpha < 0:
        raise ValueError(f"`alpha` must be >= 0; got {alpha!r}")
    if alpha == 0:
        _need_rows(a.shape[0], a.shape[1] + 1, "ordinary least squares")
    mean = a.mean(axis=0)
    ac = a - mean
    w = np.linalg.solve(ac.T @ ac + alpha * np.eye(a.shape[1]), ac.T @ (t - t.mean(axis=0)))
    return LinearEncoder(w, mean, "ols")


def pca_encoder(x: ArrayLike, n_components: int) -> LinearEncoder:
    """Projection on the top principal directions (orthonormal columns, by decreasing variance)."""
    a = as_samples(x, "x", min_rows=2)
    r = _check_rank(n_components, a.shape[1])
    mean = a.mean(axis=0)
    _, _, vt = np.linalg.svd(a - mean, full_matrices=False)
    return LinearEncoder(vt[:r].T.copy(), mean, "pca")


def cca_encoder(x: ArrayLike, other: ArrayLike, n_components: int, alpha: float = 1e-8) -> LinearEncoder:
    """x's side of the top canonical directions with another modality (unlabeled pairs suffice).

    ``W = S_xx^-1/2 U_r`` with ``U`` the left singular vectors of ``S_xx^-1/2 S_xo S_oo^-1/2``
    (covariances regularised by ``alpha`` times their trace / d): the projections of x most
    correlated with the other modality; with shared latents, the shared subspace of x.
    """
    a, b = as_samples(x, "x", min_rows=2), as_samples(other, "other", min_rows=2)
    check_same_n(x=a, other=b)
    r = _check_rank(n_components, min(a.shape[1], b.shape[1]))
    _need_rows(a.shape[0], a.shape[1] + b.shape[1], "CCA")
    ma, mb = a.mean(axis=0), b.mean(axis=0)
    ac, bc = a - ma, b - mb
    n = a.shape[0]

    def inv_sqrt(s: np.ndarray) -> np.ndarray:
        s = s + alpha * np.trace(s) / s.shape[0] * np.eye(s.shape[0])
        vals, vecs = np.linalg.eigh(s)
        return (vecs / np.sqrt(vals)) @ vecs.T

    wa, wb = inv_sqrt(ac.T @ ac / n), inv_sqrt(bc.T @ bc / n)
    u, _, _ = np.linalg.svd(wa @ (ac.T @ bc / n) @ wb)
    return LinearEncoder(wa @ u[:, :r], ma, "cca")


def pls_encoder(x: ArrayLike, y: ArrayLike, n_components: int) -> LinearEncoder:
    """PLS-SVD (Wegelin 2000): the top left singular vectors of the cross-covariance X_c^T Y_c."""
    a, t = as_samples(x, "x", min_rows=2), as_samples(y, "y")
    check_same_n(x=a, y=t)
    r = _check_rank(n_components, min(a.shape[1], t.shape[1]))
    mean = a.mean(axis=0)
    u, _, _ = np.linalg.svd((a - mean).T @ (t - t.mean(axis=0)), full_matrices=False)
    return LinearEncoder(u[:, :r].copy(), mean, "pls")


@dataclass(frozen=True)
class RidgeHead:
    """``h(z) = z @ coef + intercept`` fitted by ridge regression (closed form)."""

    coef: np.ndarray
    intercept: np.ndarray

    @classmethod
    def fit(cls, z: ArrayLike, y: ArrayLike, alpha: float = 0.0) -> RidgeHead:
        a, t = as_samples(z, "z", min_rows=2), as_samples(y, "y", min_rows=2)
        check_same_n(z=a, y=t)
        if alpha < 0:
            raise ValueError(f"`alpha` must be >= 0; got {alpha!r}")
        if alpha == 0:
            _need_rows(a.shape[0], a.shape[1] + 1, "an unpenalised linear head")
        mz, my = a.mean(axis=0), t.mean(axis=0)
        zc = a - mz
        coef = np.linalg.solve(zc.T @ zc + alpha * np.eye(a.shape[1]), zc.T @ (t - my))
        return cls(coef, my - mz @ coef)

    def predict(self, z: ArrayLike) -> np.ndarray:
        return as_samples(z, "z", min_rows=1) @ self.coef + self.intercept


@dataclass(frozen=True)
class LogisticHead:
    """Binary logistic regression ``P(y = 1 | z) = sigmoid(z @ coef + intercept)`` by Newton (IRLS).

    Minimises the mean log-loss plus ``alpha / 2 ||coef||^2``; stops when the Newton step is below
    1e-10 or after 100 steps.
    """

    coef: np.ndarray
    intercept: float

    @classmethod
    def fit(cls, z: ArrayLike, y: ArrayLike, alpha: float = 1e-6) -> LogisticHead:
        a = as_samples(z, "z", min_rows=2)
        codes = as_labels(y, "y")
        check_same_n(z=a, y=codes)
        if int(codes.max()) != 1:
            raise ValueError("LogisticHead is binary: `y` must have exactly two classes")
        if alpha <= 0:
            raise ValueError(f"`alpha` must be > 0 (separable data have no finite optimum otherwise); got {alpha!r}")
        design = np.hstack([a, np.ones((a.shape[0], 1))])
        theta = np.zeros(design.shape[1])
        penalty = np.r_[np.full(a.shape[1], alpha), 0.0]
        n = a.shape[0]
        for _ in range(100):
            p = 1.0 / (1.0 + np.exp(-design @ theta))
            grad = design.T @ (p - codes) / n + penalty * theta
            hess = (design.T * (p * (1 - p))) @ design / n + np.diag(penalty) + 1e-12 * np.eye(design.shape[1])
            step = np.linalg.solve(hess, grad)
            theta -= step
            if np.max(np.abs(step)) < 1e-10:
                break
        return cls(theta[:-1], float(theta[-1]))

    def predict_proba(self, z: ArrayLike) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(as_samples(z, "z", min_rows=1) @ self.coef + self.intercept)))

    def predict(self, z: ArrayLike) -> np.ndarray:
        return (self.predict_proba(z) >= 0.5).astype(np.int64)
