"""Held-out class posteriors of a probe, and the usable information they give (Xu et al., ICLR 2020).

For a class label Y and features X, any predictor q(y | x) evaluated on rows it was not fitted on
has an expected cross-entropy of at least H(Y | X), so

    I_q(X -> Y) = H(Y) - E[-log q(Y | X)] <= I(X; Y),

with equality when q is the true posterior: the *usable* (predictive) information. The estimate is
cross-fitted: the rows are split into ``folds`` stratified folds, each fold's posteriors come from
a probe fitted on the other folds, and the cross-entropy is averaged over every row; H(Y) is the
plug-in entropy of the labels. The estimate never exceeds that entropy.

The default probe chooses, inside each training part (on a fifth held out from it), among
class-conditional Gaussians (quadratic, linear and a blend: shrunk covariances, Ledoit & Wolf
2004) and k-nearest-neighbour class frequencies (k in {5, 15, 45}) on the leading principal
directions, and multinomial logistic regression on every column; any object with scikit-learn's
``fit(x, y)`` / ``predict_proba(x)`` convention can be used instead.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from scipy.spatial import cKDTree
from scipy.special import logsumexp
from threadpoolctl import threadpool_limits

from modalinfo.estimators.learning._encoders import LogisticHead, clone_model
from modalinfo.typing import ArrayLike, SeedLike
from modalinfo.validation import check_int, check_same_n, log_base, resolve_rng

from ._inputs import label_codes, samples

__all__ = [
    "PROBES",
    "PROBE_FOLDS",
    "Probe",
    "heldout_posteriors",
    "label_entropy",
    "probe_by_name",
    "usable_information",
    "usable_information_nats",
]

#: Folds of the cross-fitting.
PROBE_FOLDS = 5
#: Posteriors are kept at least this far from 0 (a probe's 0 would give an infinite cross-entropy).
FLOOR = 1e-12


class Probe(Protocol):
    """What a probe offers: scikit-learn's classifier convention (labels are codes 0..K-1)."""

    def fit(self, x: np.ndarray, y: np.ndarray) -> Any: ...

    def predict_proba(self, x: np.ndarray) -> np.ndarray: ...


def label_entropy(codes: np.ndarray) -> float:
    """Plug-in entropy of integer codes, in nats."""
    p = np.bincount(codes) / codes.size
    p = p[p > 0]
    return float(-np.sum(p * np.log(p)))


def _shrunk_covariance(x: np.ndarray) -> np.ndarray:
    """Ledoit & Wolf (2004) shrinkage of the sample covariance towards its mean variance times I."""
    n, d = x.shape
    xc = x - x.mean(axis=0)
    s = xc.T @ xc / n
    mu = np.trace(s) / d
    delta = float(np.sum((s - mu * np.eye(d)) ** 2))
    beta = float(np.sum((xc**2).T @ (xc**2)) / n - np.sum(s**2)) / n
    shrink = min(max(beta / delta, 0.0), 1.0) if delta > 0 else 1.0
    return (1.0 - shrink) * s + (shrink * mu + 1e-9 * max(mu, 1e-300)) * np.eye(d)


@dataclass
class GaussianProbe:
    """Class-conditional Gaussians with shrunk covariances: ``blend`` 0 quadratic (per class), 1 linear (pooled)."""

    blend: float = 1.0

    def fit(self, x: np.ndarray, y: np.ndarray) -> GaussianProbe:
        self.scale = x.std(axis=0)
        self.scale[self.scale == 0] = 1.0
        x = x / self.scale  # the shrinkage target is isotropic: put the columns on one scale first
        k = int(y.max()) + 1
        self.log_prior = np.log(np.bincount(y, minlength=k) / y.size)
        self.means = np.array([x[y == c].mean(axis=0) for c in range(k)])
        pooled = _shrunk_covariance(x - self.means[y])
        self.chols = []
        for c in range(k):
            rows = x[y == c]
            own = _shrunk_covariance(rows) if rows.shape[0] > 1 else pooled
            self.chols.append(np.linalg.cholesky((1.0 - self.blend) * own + self.blend * pooled))
        return self

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        x = x / self.scale
        logs = np.empty((x.shape[0], len(self.chols)))
        for c, chol in enumerate(self.chols):
            z = np.linalg.solve(chol, (x - self.means[c]).T)
            logs[:, c] = self.log_prior[c] - 0.5 * np.sum(z * z, axis=0) - np.sum(np.log(np.diag(chol)))
        return np.exp(logs - logsumexp(logs, axis=1, keepdims=True))


@dataclass
class LogisticProbe:
    """Multinomial logistic regression (:class:`LogisticHead`) on standardised columns, L2 ``penalty``."""

    penalty: float = 1e-2

    def fit(self, x: np.ndarray, y: np.ndarray) -> LogisticProbe:
        self.mean, self.scale = x.mean(axis=0), x.std(axis=0)
        self.scale[self.scale == 0] = 1.0
        self.head = LogisticHead.fit((x - self.mean) / self.scale, y, alpha=self.penalty)
        return self

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        return self.head.predict_proba((x - self.mean) / self.scale)


@dataclass
class NeighbourProbe:
    """Class frequencies among the k nearest training rows (standardised, Euclidean), smoothed by the prior."""

    k: int = 15

    def fit(self, x: np.ndarray, y: np.ndarray) -> NeighbourProbe:
        self.scale = x.std(axis=0)
        self.scale[self.scale == 0] = 1.0
        self.tree = cKDTree(x / self.scale)
        self.labels = y
        self.prior = np.bincount(y) / y.size
        return self

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        k = min(self.k, self.labels.size)
        _, idx = self.tree.query(x / self.scale, k=k)
        idx = idx.reshape(x.shape[0], k)
        counts = np.zeros((x.shape[0], self.prior.size))
        np.add.at(counts, (np.repeat(np.arange(x.shape[0]), k), self.labels[idx].ravel()), 1.0)
        return (counts + self.prior) / (k + 1.0)


def top_directions(z: np.ndarray, rank: int) -> np.ndarray:
    """The top ``rank`` right singular vectors of z (n, d) as columns (d, rank), from the smaller Gram matrix."""
    n, d = z.shape
    if d <= n:
        _, vectors = np.linalg.eigh(z.T @ z)
        return vectors[:, ::-1][:, :rank]
    values, left = np.linalg.eigh(z @ z.T)
    left, values = left[:, ::-1][:, :rank], values[::-1][:rank]
    return (z.T @ left) / np.sqrt(np.maximum(values, 1e-300))


@dataclass
class ReducedProbe:
    """Standardised columns projected on their top ``rank`` principal directions (None: all), then a probe."""

    rank: int | None
    inner: Callable[[], Probe]

    def fit(self, x: np.ndarray, y: np.ndarray) -> ReducedProbe:
        self.mean, self.scale = x.mean(axis=0), x.std(axis=0)
        self.scale[self.scale == 0] = 1.0
        z = (x - self.mean) / self.scale
        self.basis = None if self.rank is None else top_directions(z, self.rank)
        self.probe = self.inner().fit(z if self.basis is None else z @ self.basis, y)
        return self

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        z = (x - self.mean) / self.scale
        return self.probe.predict_proba(z if self.basis is None else z @ self.basis)


#: The default probe's linear candidates: multinomial logistic regression on every column, up to this
#: many columns, with these L2 penalties (on standardised columns, per row of the mean log-loss).
LOGISTIC_MAX_COLUMNS = 256
PENALTIES = (1e-3, 1e-2, 1e-1)
#: Principal directions tried by the default probe on many columns (at most min(d, n / 10)).
RANKS = (2, 4, 8, 16, 32, 64)


def _families(n: int, width: int) -> list[Callable[[], Probe]]:
    """The probes tried on ``width`` reduced columns of n rows."""
    families: list[Callable[[], Probe]] = [lambda: GaussianProbe(1.0), lambda: GaussianProbe(0.5)]
    if n >= 10 * width:  # per-class covariances need rows
        families.append(lambda: GaussianProbe(0.0))
    return families + [lambda kk=kk: NeighbourProbe(kk) for kk in (5, 15, 45) if kk < n // 4]


def _ranks(n: int, d: int) -> list[int | None]:
    """Every column up to 8 of them; beyond, the top principal directions (``RANKS`` up to n / 10)."""
    return [None] if d <= 8 else [r for r in RANKS if r < d and r <= max(n // 10, 2)]


def _cross_entropy(posteriors: np.ndarray, codes: np.ndarray) -> float:
    return float(-np.mean(np.log(np.maximum(posteriors[np.arange(codes.size), codes], FLOOR))))


@dataclass
class SelectedProbe:
    """The default probe: the (rank, family) with the lowest cross-entropy on a fifth held out of the fit rows.

    Up to 8 columns the candidates see every column; beyond, the top principal directions of the
    standardised columns (``RANKS`` up to n / 10): class structure in many noisy columns (as in
    embeddings) lives in few directions, where class-conditional covariances can be estimated.
    Families: class-conditional Gaussians (linear, blended, quadratic) and k-nearest neighbours,
    plus multinomial logistic regression on every column (up to ``LOGISTIC_MAX_COLUMNS``).
    """

    gen: np.random.Generator
    chosen: Probe | None = None

    def fit(self, x: np.ndarray, y: np.ndarray) -> SelectedProbe:
        inner, outer = _split(y, 5, self.gen)[0]
        scale = x[inner].std(axis=0)
        scale[scale == 0] = 1.0
        z = (x - x[inner].mean(axis=0)) / scale
        ranks = _ranks(inner.size, x.shape[1])
        top = max((r for r in ranks if r is not None), default=None)
        basis = None if top is None else top_directions(z[inner], top)
        k, scores = int(y.max()) + 1, []
        for r in ranks:
            coords = z if basis is None or r is None else z @ basis[:, :r]
            for make in _families(inner.size, coords.shape[1]):
                post = _proba(make().fit(coords[inner], y[inner]), coords[outer], k)
                scores.append((_cross_entropy(post, y[outer]), r, make))
        if x.shape[1] <= LOGISTIC_MAX_COLUMNS:  # a linear probe on every column
            for penalty in PENALTIES:
                post = _proba(LogisticProbe(penalty).fit(z[inner], y[inner]), z[outer], k)
                scores.append((_cross_entropy(post, y[outer]), None, functools.partial(LogisticProbe, penalty)))
        _, rank, make = min(scores, key=lambda s: s[0])
        self.chosen = ReducedProbe(rank, make).fit(x, y)
        return self

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        assert self.chosen is not None
        return self.chosen.predict_proba(x)


PROBES: dict[str, Callable[[np.random.Generator], Probe]] = {
    "auto": lambda gen: SelectedProbe(gen),
    "gaussian": lambda gen: GaussianProbe(1.0),
    "quadratic": lambda gen: GaussianProbe(0.0),
    "knn": lambda gen: NeighbourProbe(15),
    "logistic": lambda gen: LogisticProbe(1e-2),
}


def probe_by_name(probe: object, gen: np.random.Generator) -> Callable[[], Probe]:
    """A factory of fresh probes: a built-in name (``PROBES``), or an object with ``fit``/``predict_proba``."""
    if isinstance(probe, str):
        if probe not in PROBES:
            raise ValueError(f"`probe` must be one of {tuple(PROBES)} or have fit/predict_proba; got {probe!r}")
        return lambda: PROBES[probe](gen)
    if not (callable(getattr(probe, "fit", None)) and callable(getattr(probe, "predict_proba", None))):
        raise ValueError(f"`probe` must be a name or have fit(x, y) and predict_proba(x); got {type(probe).__name__}")
    return lambda: clone_model(probe)  # type: ignore[return-value]


def _split(codes: np.ndarray, folds: int, gen: np.random.Generator) -> list[tuple[np.ndarray, np.ndarray]]:
    """Stratified folds: (fit rows, held-out rows) for each fold; every class spread over the folds."""
    assignment = np.empty(codes.size, dtype=np.int64)
    for c in np.unique(codes):
        rows = np.flatnonzero(codes == c)
        assignment[gen.permutation(rows)] = np.arange(rows.size) % folds
    order = gen.permutation(folds)  # which fold a class's first row lands in does not favour fold 0
    assignment = order[assignment]
    return [(np.flatnonzero(assignment != f), np.flatnonzero(assignment == f)) for f in range(folds)]


def _proba(probe: Probe, x: np.ndarray, k: int) -> np.ndarray:
    """Posteriors (n, k) of a fitted probe, columns of classes it did not see filled with 0 (then floored)."""
    post = np.asarray(probe.predict_proba(x), dtype=float)
    classes = getattr(probe, "classes_", None)
    if classes is not None and post.shape[1] != k:  # a scikit-learn probe that saw a subset of the classes
        full = np.zeros((x.shape[0], k))
        full[:, np.asarray(classes, dtype=np.int64)] = post
        post = full
    if post.shape != (x.shape[0], k) or not np.all(np.isfinite(post)):
        raise ValueError(f"the probe's predict_proba must return finite probabilities of shape {(x.shape[0], k)}")
    post = np.maximum(post, FLOOR)
    return post / post.sum(axis=1, keepdims=True)


def heldout_posteriors(
    x: np.ndarray, codes: np.ndarray, make: Callable[[], Probe], gen: np.random.Generator, folds: int = PROBE_FOLDS
) -> np.ndarray:
    """Cross-fitted posteriors (n, K): each row's from a probe fitted on the other folds (same folds per seed)."""
    k = int(codes.max()) + 1
    smallest = int(np.bincount(codes).min())
    if smallest < 2:
        raise ValueError(f"every class needs at least 2 rows for a held-out posterior; one class has {smallest}")
    out = np.empty((codes.size, k))
    # small dense problems: one BLAS thread (several spin and stall when the other cores are busy: 100x at 400 x 400)
    with threadpool_limits(1, user_api="blas"):
        for fit_rows, held in _split(codes, min(folds, max(2, smallest)), gen):
            out[held] = _proba(make().fit(x[fit_rows], codes[fit_rows]), x[held], k)
    return out


def usable_information_nats(posteriors: np.ndarray, codes: np.ndarray) -> float:
    """``H(Y) - CE``: the plug-in label entropy minus the held-out cross-entropy, in nats."""
    return label_entropy(codes) - _cross_entropy(posteriors, codes)


def usable_information(
    x: ArrayLike,
    y: ArrayLike,
    *,
    probe: object = "auto",
    folds: int = PROBE_FOLDS,
    base: float = math.e,
    rng: SeedLike = None,
) -> float:
    """The usable information of a probe about a class label: ``H(Y) - held-out cross-entropy`` (Xu et al. 2020).

    For any predictor q(y | x) evaluated on rows it was not fitted on, ``E[-log q(Y | X)] >=
    H(Y | X)``, so ``H(Y) - CE`` is a lower bound on I(X; Y), reached when q is the true
    posterior, and it never exceeds H(Y). The rows are split into ``folds`` stratified folds; each
    fold's posteriors come from a probe fitted on the others (cross-fitting), and the cross-entropy
    averages every row's; H(Y) is the labels' plug-in entropy. ``mutual_information(x, y,
    method="probe")`` is this with the default probe.

    Parameters
    ----------
    x : array_like, shape (n,) or (n, d)
        Continuous features (an embedding, a modality); constant columns are dropped.
    y : array_like, shape (n,)
        Class labels: integers, booleans, strings, categories (each class in at least 2 rows).
    probe : str or classifier, default "auto"
        ``"auto"`` (per fold, the best on a held-out fifth of the fit rows among class-conditional
        Gaussians and nearest neighbours on the leading principal directions, and multinomial
        logistic regression), ``"gaussian"``, ``"quadratic"``, ``"knn"``, ``"logistic"``, or any
        object with scikit-learn's ``fit(x, y)`` and ``predict_proba(x)`` (cloned for each fold).
    folds : int, default 5
        Folds of the cross-fitting (>= 2; fewer when a class has fewer rows).
    base : float, default e
        Logarithm base: e gives nats, 2 gives bits.
    rng : None, int, SeedSequence or Generator
        Source of the folds and of the default probe's inner split; the same seed gives the same
        folds whatever the features, so estimates from one seed obey the chain rule exactly.

    Returns
    -------
    float
        The estimate in the unit of ``base`` (negative when the probe predicts worse than the
        class frequencies).

    Raises
    ------
    ValueError
        For non-numeric or non-finite features, unreadable labels, mismatched rows, a class with a
        single row, a bad ``probe``, ``folds``, ``base`` or ``rng``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 4000)
    >>> x = 2.0 * (y - 0.5)[:, None] + rng.standard_normal((4000, 1))
    >>> round(usable_information(x, y, rng=0), 2)   # truth 0.337 nats; a lower bound in expectation
    0.35
    """
    factor = log_base(base)
    folds = check_int(folds, "folds", 2)
    gen = resolve_rng(rng)
    (features,), _ = samples((x, "x"))
    codes = label_codes(y, "y")
    check_same_n(x=features, y=codes)
    if int(codes.max()) == 0:
        return 0.0
    post = heldout_posteriors(features, codes, probe_by_name(probe, gen), gen, folds)
    return usable_information_nats(post, codes) / factor
