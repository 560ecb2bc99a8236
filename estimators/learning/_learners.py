"""The learners co-learning studies, on dicts of (n, d) arrays (samples of ``simulations.sample``, or your data).

Each fits on ``train`` and reports train and test risk, the encoder it uses and the test
predictions. The task follows the target ``"y"``: a class label (recognised by type: integers with
few values, bool, strings, categories) makes a classification whose risk is the error rate (and
``extra`` holds the cross-entropies), anything else a regression whose risk is the mean squared
error. Heads are linear and closed-form or convex (ridge regression, multinomial logistic
regression with penalty ``alpha``), or any model you pass as ``model`` with scikit-learn's
``fit``/``predict`` (and ``predict_proba`` for classification) convention, cloned for each fit:

- ``unimodal``: a head on one modality; ``early_fusion``: on the concatenation;
  ``late_fusion``: per-modality predictors averaged or stacked (weights fitted on train);
- ``enrichment``: an encoder of x1 learned with x2 (CCA on unlabeled pairs), a head fitted on x1's
  projection with few labels, tested on x1 alone;
- ``translation``: a ridge map x1 -> x2 learned on pairs; at test x2 is hallucinated from x1 and
  the fused predictor applied;
- ``missing_modality``: x2 missing for some training rows (the sample's ``mask``), completed by
  imputation (the observed mean) or translation from x1, or used as they are by Gaussian maximum
  likelihood (``"ml"``, regression); tested with and without x2.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from modalinfo.estimators.information._inputs import looks_like_labels

from ._encoders import LinearEncoder, LogisticHead, RidgeHead, cca_encoder, clone_model
from ._missing import fit_gaussian_missing

__all__ = ["LearnerResult", "early_fusion", "enrichment", "late_fusion", "missing_modality", "translation", "unimodal"]

Data = Mapping[str, Any]
#: The smallest logistic penalty (``alpha=0`` asks for it: separable classes have no unpenalised optimum).
MIN_LOGISTIC_ALPHA = 1e-6


@dataclass(frozen=True)
class LearnerResult:
    """A learner's train and test risk (MSE, or error rate for a class label), encoder, test predictions, extras.

    ``predictions`` are the test predictions: values (n_test, dy) for a regression, class
    probabilities (n_test, K) for a classification (columns in the order of ``extra["classes"]``).
    """

    name: str
    train_risk: float
    test_risk: float
    encoder: LinearEncoder | None = None
    extra: dict = field(default_factory=dict)
    task: str = "regression"
    predictions: np.ndarray | None = field(default=None, repr=False)


def _blocks(data: Data, names: Sequence[str], role: str) -> np.ndarray:
    for name in names:
        if name not in data:
            raise ValueError(f"`{role}` has no block {name!r}; it has {sorted(data)}")
    return np.hstack([np.asarray(data[name], dtype=float).reshape(np.shape(data[name])[0], -1) for name in names])


def _labels(data: Data, role: str) -> np.ndarray:
    """The class labels of ``data["y"]`` as one column of sortable values (objects as strings)."""
    if "y" not in data:
        raise ValueError(f"`{role}` needs a target block 'y'; it has {sorted(data)}")
    y = np.asarray(data["y"])
    labels = y.reshape(-1) if y.ndim == 2 and y.shape[1] == 1 else y
    if labels.ndim != 1:
        raise ValueError(f"a class label `{role}['y']` must be one column; got shape {y.shape}")
    return labels.astype(str) if labels.dtype.kind == "O" else labels


@dataclass(frozen=True)
class _Task:
    """Regression or classification of ``y``, with the class labels seen in training."""

    kind: str
    classes: np.ndarray

    @classmethod
    def of(cls, train: Data) -> _Task:
        if "y" not in train:
            raise ValueError(f"`train` needs a target block 'y'; it has {sorted(train)}")
        if looks_like_labels(train["y"]):
            return cls("classification", np.unique(_labels(train, "train")))
        return cls("regression", np.empty(0))

    def target(self, data: Data, role: str) -> np.ndarray:
        return _blocks(data, ["y"], role) if self.kind == "regression" else _labels(data, role)

    def fit(self, x: np.ndarray, y: np.ndarray, alpha: float, model: object = None) -> Any:
        if model is not None:
            fitted = clone_model(model)
            fitted.fit(x, y if self.kind == "classification" or y.shape[1] > 1 else y[:, 0])  # type: ignore[attr-defined]
            return fitted
        if self.kind == "classification":
            return LogisticHead.fit(x, y, alpha=max(alpha, MIN_LOGISTIC_ALPHA))
        return RidgeHead.fit(x, y, alpha)

    def output(self, head: Any, x: np.ndarray) -> np.ndarray:
        """Predictions (n, dy), or class probabilities (n, K) over ``classes``."""
        if self.kind == "regression":
            return np.asarray(head.predict(x), dtype=float).reshape(x.shape[0], -1)
        if not callable(getattr(head, "predict_proba", None)):
            raise ValueError("a model for a class label needs predict_proba (for the cross-entropy)")
        proba = np.asarray(head.predict_proba(x), dtype=float)
        seen = np.asarray(getattr(head, "classes", getattr(head, "classes_", self.classes)))
        full = np.zeros((x.shape[0], self.classes.size))
        full[:, np.searchsorted(self.classes, seen)] = proba
        return full

    def risks(self, out: np.ndarray, y: np.ndarray) -> tuple[float, dict]:
        """(MSE or error rate, extras: the cross-entropy for a class label)."""
        if self.kind == "regression":
            return float(np.mean((y - out) ** 2)), {}
        codes = np.searchsorted(self.classes, y)
        known = (codes < self.classes.size) & (self.classes[np.minimum(codes, self.classes.size - 1)] == y)
        hit = np.where(known, out[np.arange(y.size), np.minimum(codes, self.classes.size - 1)], 0.0)
        error = float(np.mean(~known | (np.argmax(out, axis=1) != codes)))
        return error, {"cross_entropy": float(-np.mean(np.log(np.maximum(hit, 1e-12))))}


def _run(
    name: str,
    task: _Task,
    head: Any,
    fit_x: np.ndarray,
    y: np.ndarray,
    test_x: np.ndarray,
    yt: np.ndarray,
    **extra: Any,
) -> LearnerResult:
    """The result of a fitted head: risks on train and test, the test predictions."""
    train_risk, train_more = task.risks(task.output(head, fit_x), y)
    out = task.output(head, test_x)
    test_risk, test_more = task.risks(out, yt)
    extra.update({f"train_{k}": v for k, v in train_more.items()})
    extra.update({f"test_{k}": v for k, v in test_more.items()})
    if task.kind == "classification":
        extra["classes"] = task.classes
    return LearnerResult(name, train_risk, test_risk, extra.pop("encoder", None), extra, task.kind, out)


def unimodal(
    train: Data, test: Data, *, modality: str = "x1", alpha: float = 0.0, model: object = None
) -> LearnerResult:
    """A head on one modality (ridge or multinomial logistic with penalty ``alpha``, or ``model``)."""
    return early_fusion(train, test, [modality], alpha=alpha, name=f"unimodal:{modality}", model=model)


def early_fusion(
    train: Data,
    test: Data,
    modalities: Sequence[str] = ("x1", "x2"),
    *,
    alpha: float = 0.0,
    name: str = "early",
    model: object = None,
) -> LearnerResult:
    """A head on the concatenated modalities."""
    task = _Task.of(train)
    x, y = _blocks(train, modalities, "train"), task.target(train, "train")
    xt, yt = _blocks(test, modalities, "test"), task.target(test, "test")
    return _run(name, task, task.fit(x, y, alpha, model), x, y, xt, yt)


def late_fusion(
    train: Data,
    test: Data,
    modalities: Sequence[str] = ("x1", "x2"),
    *,
    combine: str = "average",
    alpha: float = 0.0,
    model: object = None,
) -> LearnerResult:
    """Per-modality predictors combined by their mean (of values, or of class probabilities) or by stacking.

    Stacking fits a second head on the per-modality outputs of the training rows (values, or log
    class probabilities).
    """
    if combine not in ("average", "stack"):
        raise ValueError(f"`combine` must be 'average' or 'stack'; got {combine!r}")
    task = _Task.of(train)
    y, yt = task.target(train, "train"), task.target(test, "test")
    parts = [(_blocks(train, [m], "train"), _blocks(test, [m], "test")) for m in modalities]
    heads = [task.fit(x, y, alpha, model) for x, _ in parts]
    outs = [task.output(h, x) for h, (x, _) in zip(heads, parts)]
    outs_t = [task.output(h, xt) for h, (_, xt) in zip(heads, parts)]
    if combine == "average":  # per column: every modality's prediction of the same target column (or class)
        train_out, test_out = np.mean(outs, axis=0), np.mean(outs_t, axis=0)
        train_risk, more = task.risks(train_out, y)
        test_risk, more_t = task.risks(test_out, yt)
        extra = {**{f"train_{k}": v for k, v in more.items()}, **{f"test_{k}": v for k, v in more_t.items()}}
        if task.kind == "classification":
            extra["classes"] = task.classes
        return LearnerResult("late:average", train_risk, test_risk, None, extra, task.kind, test_out)

    def features(out: list[np.ndarray]) -> np.ndarray:
        return np.hstack([np.log(np.maximum(o, 1e-12)) if task.kind == "classification" else o for o in out])

    stack = task.fit(features(outs), y, alpha=1e-6 if task.kind == "regression" else alpha)
    return _run("late:stack", task, stack, features(outs), y, features(outs_t), yt)


def enrichment(
    unlabeled: Data,
    labeled: Data,
    test: Data,
    *,
    modality: str = "x1",
    auxiliary: str = "x2",
    n_components: int = 2,
    alpha: float = 0.0,
    model: object = None,
) -> LearnerResult:
    """Encoder of ``modality`` from CCA with ``auxiliary`` on unlabeled pairs, a head on few labels.

    Tested on ``modality`` alone.
    """
    enc = cca_encoder(
        _blocks(unlabeled, [modality], "unlabeled"), _blocks(unlabeled, [auxiliary], "unlabeled"), n_components
    )
    task = _Task.of(labeled)
    z, y = enc.transform(_blocks(labeled, [modality], "labeled")), task.target(labeled, "labeled")
    zt = enc.transform(_blocks(test, [modality], "test"))
    return _run("enrichment", task, task.fit(z, y, alpha, model), z, y, zt, task.target(test, "test"), encoder=enc)


def translation(
    train: Data, test: Data, *, source: str = "x1", target: str = "x2", alpha: float = 1e-6, model: object = None
) -> LearnerResult:
    """Fused predictor on (source, target) learned on pairs; at test the target modality is translated from source."""
    task = _Task.of(train)
    xs, xa, y = _blocks(train, [source], "train"), _blocks(train, [target], "train"), task.target(train, "train")
    translate = RidgeHead.fit(xs, xa, alpha)
    fused = task.fit(np.hstack([xs, xa]), y, alpha, model)
    ts = _blocks(test, [source], "test")
    return _run(
        "translation",
        task,
        fused,
        np.hstack([xs, xa]),
        y,
        np.hstack([ts, translate.predict(ts)]),
        task.target(test, "test"),
    )


def missing_modality(
    train: Data,
    test: Data,
    strategy: str = "impute",
    *,
    modality: str = "x2",
    source: str = "x1",
    alpha: float = 1e-6,
    model: object = None,
) -> LearnerResult:
    """Fused predictor trained with ``modality`` missing where ``train["mask"]`` says so.

    Strategies: ``"impute"`` completes the missing rows by the observed mean, ``"translate"`` by a
    ridge translation from ``source`` fitted on complete rows, and both then fit the fused head.
    ``"ml"`` (regression) completes nothing: it fits the joint Gaussian of (source, modality, y) by
    maximum likelihood from every row, each with what it observes (:func:`fit_gaussian_missing`:
    closed form, the pattern is monotone), and predicts with the plug-in Bayes predictor
    ``E[y | source, modality]`` (and ``E[y | source]`` without the modality), so that the rows
    without the modality still sharpen the (source, y) part of the fit. ``test_risk`` uses the
    true test ``modality``; ``extra["test_risk_without"]`` predicts without it (``"ml"``) or
    completes it for every test row as in training.
    """
    if strategy not in ("impute", "translate", "ml"):
        raise ValueError(f"`strategy` must be 'impute', 'translate' or 'ml'; got {strategy!r}")
    if "mask" not in train:
        raise ValueError("`train` needs a 'mask' block: sample a theory.MissingModalities model")
    names = sorted(k for k in train if k.startswith("x"))
    column = names.index(modality) if modality in names else -1
    if column < 0:
        raise ValueError(f"`modality` must be one of {names}; got {modality!r}")
    seen = np.asarray(train["mask"])[:, column]
    if seen.sum() < 2:
        raise ValueError("fewer than two training rows observe the modality; nothing to learn from")
    task = _Task.of(train)
    xs, xa, y = _blocks(train, [source], "train"), _blocks(train, [modality], "train"), task.target(train, "train")
    ts, ta, yt = _blocks(test, [source], "test"), _blocks(test, [modality], "test"), task.target(test, "test")
    if strategy == "ml":
        if task.kind == "classification":
            raise ValueError("strategy='ml' fits a joint Gaussian of a continuous target; use 'impute' or 'translate'")
        return _maximum_likelihood(xs, xa, y, seen, ts, ta, yt)
    if strategy == "impute":
        fill_mean = xa[seen].mean(axis=0)

        def complete(s: np.ndarray) -> np.ndarray:
            return np.broadcast_to(fill_mean, (s.shape[0], xa.shape[1]))
    else:
        mapping = RidgeHead.fit(xs[seen], xa[seen], alpha)

        def complete(s: np.ndarray) -> np.ndarray:
            return mapping.predict(s)

    filled = np.where(seen[:, None], xa, complete(xs))
    fused = task.fit(np.hstack([xs, filled]), y, alpha, model)
    without, _ = task.risks(task.output(fused, np.hstack([ts, complete(ts)])), yt)
    return _run(
        f"missing:{strategy}",
        task,
        fused,
        np.hstack([xs, filled]),
        y,
        np.hstack([ts, ta]),
        yt,
        test_risk_without=without,
        seen_fraction=float(seen.mean()),
    )


def _maximum_likelihood(
    xs: np.ndarray, xa: np.ndarray, y: np.ndarray, seen: np.ndarray, ts: np.ndarray, ta: np.ndarray, yt: np.ndarray
) -> LearnerResult:
    """The plug-in Bayes predictors of the Gaussian ML fit of (source, modality, y) with the modality missing."""
    ds, da = xs.shape[1], xa.shape[1]
    fit = fit_gaussian_missing(np.hstack([xs, np.where(seen[:, None], xa, np.nan), y]))
    target, both = list(range(ds + da, fit.cov.shape[0])), list(range(ds + da))
    fused, alone = fit.predictor(target, both), fit.predictor(target, list(range(ds)))
    out = fused(np.hstack([ts, ta]))
    return LearnerResult(
        "missing:ml",
        float(np.mean((fused(np.hstack([xs[seen], xa[seen]])) - y[seen]) ** 2)),
        float(np.mean((out - yt) ** 2)),
        extra={
            "test_risk_without": float(np.mean((alone(ts) - yt) ** 2)),
            "seen_fraction": float(seen.mean()),
            "fit": fit.method,
        },
        predictions=out,
    )
