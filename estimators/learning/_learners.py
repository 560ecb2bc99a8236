"""The learners co-learning studies, on samples from ``simulations.sample`` (dicts of (n, d) arrays).

All are linear and closed-form (least squares), regression with squared loss, and report the
train and test mean squared error and the encoder they use:

- ``unimodal``: a head on one modality; ``early_fusion``: on the concatenation;
  ``late_fusion``: per-modality predictors averaged or stacked (weights fitted on train);
- ``enrichment``: an encoder of x1 learned with x2 (CCA on unlabeled pairs), a head fitted on x1's
  projection with few labels, tested on x1 alone;
- ``translation``: a ridge map x1 -> x2 learned on pairs; at test x2 is hallucinated from x1 and
  the fused predictor applied;
- ``missing_modality``: x2 missing for some training rows (the sample's ``mask``), completed by
  imputation (the observed mean) or translation from x1, or used as they are by Gaussian maximum
  likelihood (``"ml"``); tested with and without x2.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from ._encoders import LinearEncoder, RidgeHead, cca_encoder
from ._missing import fit_gaussian_missing

__all__ = ["LearnerResult", "early_fusion", "enrichment", "late_fusion", "missing_modality", "translation", "unimodal"]

Data = Mapping[str, np.ndarray]


@dataclass(frozen=True)
class LearnerResult:
    """Train and test MSE of a learner, its encoder (None when it uses the raw modalities) and extras."""

    name: str
    train_risk: float
    test_risk: float
    encoder: LinearEncoder | None = None
    extra: dict = field(default_factory=dict)


def _blocks(data: Data, names: Sequence[str], role: str) -> np.ndarray:
    for name in names:
        if name not in data:
            raise ValueError(f"`{role}` has no block {name!r}; it has {sorted(data)}")
    return np.hstack([np.asarray(data[name], dtype=float) for name in names])


def _target(data: Data, role: str) -> np.ndarray:
    return _blocks(data, ["y"], role)


def _mse(pred: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean((y - pred) ** 2))


def unimodal(train: Data, test: Data, *, modality: str = "x1", alpha: float = 0.0) -> LearnerResult:
    """Least-squares head on one modality."""
    return early_fusion(train, test, [modality], alpha=alpha, name=f"unimodal:{modality}")


def early_fusion(
    train: Data, test: Data, modalities: Sequence[str] = ("x1", "x2"), *, alpha: float = 0.0, name: str = "early"
) -> LearnerResult:
    """Least-squares head on the concatenated modalities."""
    x, y = _blocks(train, modalities, "train"), _target(train, "train")
    head = RidgeHead.fit(x, y, alpha)
    xt, yt = _blocks(test, modalities, "test"), _target(test, "test")
    return LearnerResult(name, _mse(head.predict(x), y), _mse(head.predict(xt), yt))


def late_fusion(
    train: Data, test: Data, modalities: Sequence[str] = ("x1", "x2"), *, combine: str = "average", alpha: float = 0.0
) -> LearnerResult:
    """Per-modality least-squares predictors combined by their mean or by least-squares stacking."""
    if combine not in ("average", "stack"):
        raise ValueError(f"`combine` must be 'average' or 'stack'; got {combine!r}")
    y, yt = _target(train, "train"), _target(test, "test")
    heads = [RidgeHead.fit(_blocks(train, [m], "train"), y, alpha) for m in modalities]
    preds = np.hstack([h.predict(_blocks(train, [m], "train")) for h, m in zip(heads, modalities)])
    preds_t = np.hstack([h.predict(_blocks(test, [m], "test")) for h, m in zip(heads, modalities)])
    if combine == "average":
        return LearnerResult(
            "late:average", _mse(preds.mean(axis=1, keepdims=True), y), _mse(preds_t.mean(axis=1, keepdims=True), yt)
        )
    stack = RidgeHead.fit(preds, y)
    return LearnerResult("late:stack", _mse(stack.predict(preds), y), _mse(stack.predict(preds_t), yt))


def enrichment(
    unlabeled: Data,
    labeled: Data,
    test: Data,
    *,
    modality: str = "x1",
    auxiliary: str = "x2",
    n_components: int = 2,
    alpha: float = 0.0,
) -> LearnerResult:
    """Encoder of ``modality`` from CCA with ``auxiliary`` on unlabeled pairs, a head on few labels.

    Tested on ``modality`` alone.
    """
    enc = cca_encoder(
        _blocks(unlabeled, [modality], "unlabeled"), _blocks(unlabeled, [auxiliary], "unlabeled"), n_components
    )
    z, y = enc.transform(_blocks(labeled, [modality], "labeled")), _target(labeled, "labeled")
    head = RidgeHead.fit(z, y, alpha)
    zt = enc.transform(_blocks(test, [modality], "test"))
    return LearnerResult("enrichment", _mse(head.predict(z), y), _mse(head.predict(zt), _target(test, "test")), enc)


def translation(
    train: Data, test: Data, *, source: str = "x1", target: str = "x2", alpha: float = 1e-6
) -> LearnerResult:
    """Fused predictor on (source, target) learned on pairs; at test the target modality is translated from source."""
    xs, xa, y = _blocks(train, [source], "train"), _blocks(train, [target], "train"), _target(train, "train")
    translate = RidgeHead.fit(xs, xa, alpha)
    fused = RidgeHead.fit(np.hstack([xs, xa]), y, alpha)
    ts = _blocks(test, [source], "test")
    pred = fused.predict(np.hstack([ts, translate.predict(ts)]))
    return LearnerResult("translation", _mse(fused.predict(np.hstack([xs, xa])), y), _mse(pred, _target(test, "test")))


def missing_modality(
    train: Data, test: Data, strategy: str = "impute", *, modality: str = "x2", source: str = "x1", alpha: float = 1e-6
) -> LearnerResult:
    """Fused predictor trained with ``modality`` missing where ``train["mask"]`` says so.

    Strategies: ``"impute"`` completes the missing rows by the observed mean, ``"translate"`` by a
    ridge translation from ``source`` fitted on complete rows, and both then fit the fused ridge
    head. ``"ml"`` completes nothing: it fits the joint Gaussian of (source, modality, y) by
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
        raise ValueError("`train` needs a 'mask' block: sample a simulations.MissingModalities model")
    names = sorted(k for k in train if k.startswith("x"))
    column = names.index(modality) if modality in names else -1
    if column < 0:
        raise ValueError(f"`modality` must be one of {names}; got {modality!r}")
    seen = np.asarray(train["mask"])[:, column]
    if seen.sum() < 2:
        raise ValueError("fewer than two training rows observe the modality; nothing to learn from")
    xs, xa, y = _blocks(train, [source], "train"), _blocks(train, [modality], "train"), _target(train, "train")
    ts, ta, yt = _blocks(test, [source], "test"), _blocks(test, [modality], "test"), _target(test, "test")
    if strategy == "ml":
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
    fused = RidgeHead.fit(np.hstack([xs, filled]), y, alpha)
    return LearnerResult(
        f"missing:{strategy}",
        _mse(fused.predict(np.hstack([xs, filled])), y),
        _mse(fused.predict(np.hstack([ts, ta])), yt),
        extra={
            "test_risk_without": _mse(fused.predict(np.hstack([ts, complete(ts)])), yt),
            "seen_fraction": float(seen.mean()),
        },
    )


def _maximum_likelihood(
    xs: np.ndarray, xa: np.ndarray, y: np.ndarray, seen: np.ndarray, ts: np.ndarray, ta: np.ndarray, yt: np.ndarray
) -> LearnerResult:
    """The plug-in Bayes predictors of the Gaussian ML fit of (source, modality, y) with the modality missing."""
    ds, da = xs.shape[1], xa.shape[1]
    fit = fit_gaussian_missing(np.hstack([xs, np.where(seen[:, None], xa, np.nan), y]))
    target, both = list(range(ds + da, fit.cov.shape[0])), list(range(ds + da))
    fused, alone = fit.predictor(target, both), fit.predictor(target, list(range(ds)))
    return LearnerResult(
        "missing:ml",
        _mse(fused(np.hstack([xs[seen], xa[seen]])), y[seen]),
        _mse(fused(np.hstack([ts, ta])), yt),
        extra={"test_risk_without": _mse(alone(ts), yt), "seen_fraction": float(seen.mean()), "fit": fit.method},
    )
