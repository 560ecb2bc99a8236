"""How useful is a learned representation (an array (n, d) of n instances)?

Against true latents: held-out linear R^2 (block identifiability, von Kuegelgen et al. 2021).
Usefulness: linear and kNN probes, Huang et al.'s latent quality (excess risk of the best linear
head), Fisher ratio and silhouette of classes.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

from modalinfo.typing import ArrayLike, SeedLike
from modalinfo.validation import as_labels, as_samples, check_same_n, resolve_rng

from ._similarity import MAX_PAIRWISE, _pair

__all__ = ["fisher_ratio", "identifiability_r2", "knn_probe_accuracy", "latent_quality", "linear_probe", "silhouette"]


def _split(n: int, test_fraction: float, rng: SeedLike) -> tuple[np.ndarray, np.ndarray]:
    if not 0.0 < float(test_fraction) < 1.0:
        raise ValueError(f"`test_fraction` must be in (0, 1); got {test_fraction!r}")
    perm = resolve_rng(rng).permutation(n)
    n_test = min(max(int(round(test_fraction * n)), 1), n - 1)
    return perm[n_test:], perm[:n_test]


def _ridge(x: np.ndarray, y: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    mx, my = x.mean(axis=0), y.mean(axis=0)
    xc = x - mx
    w = np.linalg.solve(xc.T @ xc + alpha * np.eye(x.shape[1]), xc.T @ (y - my))
    return w, my - mx @ w


def identifiability_r2(
    latents: ArrayLike, estimate: ArrayLike, *, test_fraction: float = 0.5, rng: SeedLike = None
) -> float:
    """Held-out R^2 of a linear regression of the true latents on the representation.

    ``1 - sum SSE / sum SST`` over the latent columns, fitted on a random train split and scored on
    the rest: 1 when the latents are a linear function of the representation (block
    identifiability up to linear maps), about 0 when independent. Needs more train rows than
    representation columns.
    """
    z, zh = _pair(latents, estimate, ("latents", "estimate"))
    train, test = _split(z.shape[0], test_fraction, rng)
    if len(train) <= zh.shape[1] + 1:
        raise ValueError(f"too few training rows ({len(train)}) for a {zh.shape[1]}-dimensional representation")
    w, b = _ridge(zh[train], z[train], 0.0)
    resid = z[test] - (zh[test] @ w + b)
    total = z[test] - z[test].mean(axis=0)
    return float(1.0 - np.sum(resid**2) / np.sum(total**2))


def linear_probe(
    representation: ArrayLike,
    target: ArrayLike,
    *,
    task: str = "regression",
    alpha: float = 1e-6,
    test_fraction: float = 0.5,
    rng: SeedLike = None,
) -> float:
    """Held-out score of a linear head on a frozen representation.

    ``task="regression"``: ridge regression, returns R^2. ``task="classification"``: a least-squares
    (one-hot ridge) linear classifier, returns accuracy. ``alpha`` is the ridge penalty.
    """
    z = as_samples(representation, "representation", min_rows=4)
    if task == "regression":
        y = as_samples(target, "target", min_rows=4)
    elif task == "classification":
        codes = as_labels(target, "target")
        y = np.eye(int(codes.max()) + 1)[codes]
    else:
        raise ValueError(f"`task` must be 'regression' or 'classification'; got {task!r}")
    check_same_n(representation=z, target=y)
    if alpha < 0:
        raise ValueError(f"`alpha` must be >= 0; got {alpha!r}")
    train, test = _split(z.shape[0], test_fraction, rng)
    w, b = _ridge(z[train], y[train], alpha)
    pred = z[test] @ w + b
    if task == "classification":
        return float(np.mean(pred.argmax(axis=1) == y[test].argmax(axis=1)))
    return float(1.0 - np.sum((y[test] - pred) ** 2) / np.sum((y[test] - y[test].mean(axis=0)) ** 2))


def knn_probe_accuracy(
    representation: ArrayLike, labels: ArrayLike, *, k: int = 5, test_fraction: float = 0.5, rng: SeedLike = None
) -> float:
    """Held-out accuracy of a k-nearest-neighbour (Euclidean, majority vote, ties to the smallest label) classifier."""
    z = as_samples(representation, "representation", min_rows=4, unit_scale=True)
    codes = as_labels(labels, "labels")
    check_same_n(representation=z, labels=codes)
    train, test = _split(z.shape[0], test_fraction, rng)
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= len(train):
        raise ValueError(f"`k` must be an integer in [1, {len(train)}]; got {k!r}")
    _, idx = cKDTree(z[train]).query(z[test], k=k)
    votes = codes[train][np.asarray(idx).reshape(len(test), -1)]
    n_classes = int(codes.max()) + 1
    counts = np.zeros((len(test), n_classes), dtype=np.int64)
    np.add.at(counts, (np.repeat(np.arange(len(test)), votes.shape[1]), votes.ravel()), 1)
    return float(np.mean(counts.argmax(axis=1) == codes[test]))


def latent_quality(
    train_representation: ArrayLike,
    train_target: ArrayLike,
    test_representation: ArrayLike,
    test_target: ArrayLike,
    reference_risk: float,
) -> float:
    """Huang et al. (2021, Def. 1) latent quality of a frozen encoder, estimated on held-out data.

    The best linear head (least squares with intercept) is fitted on the train representation, its
    test mean squared error measured, and the ``reference_risk`` (the risk of the best predictor
    on all modalities, e.g. ``LatentModel.bayes_risk(all)``) subtracted:
    ``eta_hat = R_test(h_hat o g) - R*``. Its sampling error is that of a test MSE.
    """
    ztr, ytr = _pair(train_representation, train_target, ("train_representation", "train_target"), unit_scale=False)
    zte, yte = _pair(
        test_representation, test_target, ("test_representation", "test_target"), min_rows=2, unit_scale=False
    )
    if ztr.shape[1] != zte.shape[1] or ytr.shape[1] != 1 or yte.shape[1] != 1:
        raise ValueError("train and test representations must have the same width, and targets one column")
    if ztr.shape[0] <= ztr.shape[1] + 1:
        raise ValueError(f"too few training rows ({ztr.shape[0]}) for a {ztr.shape[1]}-dimensional representation")
    if not np.isfinite(reference_risk) or reference_risk < 0:
        raise ValueError(f"`reference_risk` must be finite and >= 0; got {reference_risk!r}")
    w, b = _ridge(ztr, ytr, 0.0)
    return float(np.mean((yte - (zte @ w + b)) ** 2) - reference_risk)


def _classes(representation: ArrayLike, labels: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    z = as_samples(representation, "representation", unit_scale=True)
    codes = as_labels(labels, "labels")
    check_same_n(representation=z, labels=codes)
    counts = np.bincount(codes)
    if counts.size < 2 or counts.min() < 2:
        raise ValueError("`labels` must have at least two classes with at least two members each")
    return z, codes


def fisher_ratio(representation: ArrayLike, labels: ArrayLike) -> float:
    """Fisher's class separability ``tr(S_W^-1 S_B)``.

    S_W: pooled within-class covariance; S_B = sum_c p_c (mu_c - mu)(mu_c - mu)^T. For two equally
    likely Gaussian classes with a shared covariance this is ``Delta^2 / 4`` (Delta: Mahalanobis
    distance of the means); invariant to invertible linear maps of the representation.
    """
    z, codes = _classes(representation, labels)
    mu = z.mean(axis=0)
    d = z.shape[1]
    s_w, s_b = np.zeros((d, d)), np.zeros((d, d))
    for c in range(int(codes.max()) + 1):
        zc = z[codes == c]
        p = zc.shape[0] / z.shape[0]
        diff = zc.mean(axis=0) - mu
        s_b += p * np.outer(diff, diff)
        s_w += p * np.cov(zc, rowvar=False, bias=True).reshape(d, d)
    try:
        return float(np.trace(np.linalg.solve(s_w, s_b)))
    except np.linalg.LinAlgError:
        raise ValueError("the within-class scatter is singular: a column is constant within every class") from None


def silhouette(representation: ArrayLike, labels: ArrayLike) -> float:
    """Mean silhouette coefficient (Rousseeuw 1987) with Euclidean distances, in [-1, 1].

    ``s_i = (b_i - a_i) / max(a_i, b_i)``: a_i the mean distance to the other members of i's class,
    b_i the smallest mean distance to another class. O(n^2) time in row blocks, O(n) memory.
    """
    z, codes = _classes(representation, labels)
    n = z.shape[0]
    if n > MAX_PAIRWISE:
        raise ValueError(f"the silhouette needs n^2 distances; n = {n} > {MAX_PAIRWISE}: subsample the rows")
    k = int(codes.max()) + 1
    counts = np.bincount(codes, minlength=k).astype(float)
    onehot = np.eye(k)[codes]
    sq = np.sum(z**2, axis=1)
    scores = np.empty(n)
    for start in range(0, n, 1024):
        stop = min(n, start + 1024)
        dist = np.sqrt(np.maximum(sq[start:stop, None] + sq[None, :] - 2 * z[start:stop] @ z.T, 0.0))
        sums = dist @ onehot  # (block, k): summed distance to each class
        own = codes[start:stop]
        rows = np.arange(stop - start)
        a = sums[rows, own] / np.maximum(counts[own] - 1, 1)
        mean_other = sums / counts
        mean_other[rows, own] = np.inf
        b = mean_other.min(axis=1)
        scores[start:stop] = np.where(counts[own] > 1, (b - a) / np.maximum(a, b), 0.0)
    return float(scores.mean())
