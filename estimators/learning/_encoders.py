"""Linear encoders g(x) = (x - mean) W and heads h(z) fitted on samples (closed form or Newton).

Encoders: OLS/ridge direction, PCA, CCA with another modality, PLS-SVD. Heads: ridge regression
(closed form) and multinomial logistic regression (L-BFGS with an L2 penalty).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize
from scipy.special import logsumexp

from modalinfo.typing import ArrayLike
from modalinfo.validation import as_labels, as_samples, check_same_n

__all__ = [
    "LinearEncoder",
    "clone_model",
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
        raise ValueError(f"{what} needs more samples than dimensions: n = {n}, d = {d} (use a penalty, alpha > 0)")


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
        if alpha == 0:  # least squares; linearly dependent columns (constant pixels) get the minimum-norm solution
            coef = np.linalg.lstsq(zc, t - my, rcond=None)[0]
        else:
            coef = np.linalg.solve(zc.T @ zc + alpha * np.eye(a.shape[1]), zc.T @ (t - my))
        return cls(coef, my - mz @ coef)

    def predict(self, z: ArrayLike) -> np.ndarray:
        return as_samples(z, "z", min_rows=1) @ self.coef + self.intercept


@dataclass(frozen=True)
class LogisticHead:
    """Multinomial logistic regression ``P(y = c | z) = softmax(z @ coef + intercept)_c`` (two or more classes).

    Minimises the mean log-loss plus ``alpha / 2 ||coef||^2`` (intercepts unpenalised) by L-BFGS
    with the exact gradient. With two classes it is binary logistic regression, ``P(y = 1 | z) =
    sigmoid(z @ (coef[:, 1] - coef[:, 0]) + ...)``. ``classes`` holds the labels in code order
    (``predict`` returns them).
    """

    coef: np.ndarray
    intercept: np.ndarray
    classes: np.ndarray

    @classmethod
    def fit(cls, z: ArrayLike, y: ArrayLike, alpha: float = 1e-6) -> LogisticHead:
        a = as_samples(z, "z", min_rows=2)
        labels = np.asarray(y).reshape(-1) if np.ndim(y) == 2 and np.shape(y)[1] == 1 else np.asarray(y)
        codes = as_labels(labels, "y")
        check_same_n(z=a, y=codes)
        k = int(codes.max()) + 1
        if k < 2:
            raise ValueError("`y` must hold at least two classes for a classifier")
        if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or not alpha > 0:
            raise ValueError(f"`alpha` must be > 0 (separable data have no finite optimum otherwise); got {alpha!r}")
        design = np.hstack([a, np.ones((a.shape[0], 1))])
        onehot = np.eye(k)[codes]
        penalty = np.ones((design.shape[1], k))
        penalty[-1] = 0.0

        def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
            w = theta.reshape(design.shape[1], k)
            logits = design @ w
            log_p = logits - logsumexp(logits, axis=1, keepdims=True)
            grad = design.T @ (np.exp(log_p) - onehot) / a.shape[0] + alpha * penalty * w
            value = -float(np.sum(onehot * log_p)) / a.shape[0] + 0.5 * alpha * float(np.sum(penalty * w * w))
            return value, grad.ravel()

        theta = minimize(loss, np.zeros(design.shape[1] * k), jac=True, method="L-BFGS-B", options={"maxiter": 1000})
        w = theta.x.reshape(design.shape[1], k)
        _, first = np.unique(codes, return_index=True)
        return cls(w[:-1], w[-1], labels[first] if labels.ndim == 1 else np.arange(k))

    def predict_proba(self, z: ArrayLike) -> np.ndarray:
        """Class probabilities (n, K), columns in the order of ``classes``."""
        logits = as_samples(z, "z", min_rows=1) @ self.coef + self.intercept
        return np.exp(logits - logsumexp(logits, axis=1, keepdims=True))

    def predict(self, z: ArrayLike) -> np.ndarray:
        """The most probable class of each row (labels of ``classes``)."""
        return self.classes[np.argmax(self.predict_proba(z), axis=1)]


def clone_model(model: object) -> object:
    """A fresh, unfitted copy of a user's model (scikit-learn's ``clone`` when it applies, else a deep copy)."""
    try:
        from sklearn.base import clone

        return clone(model)
    except (ImportError, TypeError):
        import copy

        return copy.deepcopy(model)
