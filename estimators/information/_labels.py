"""The estimators of I(X; Y) where a side is discrete: plug-in on labels, mixed kNN, and a cross-fitted probe.

- ``"discrete"``: every column discrete; plug-in entropies with a bias correction (``_discrete``);
- ``"mixed"``: Ross (2014) for continuous features and a label, Gao et al. (2017) for any mixture of
  discrete and continuous columns (``_mixed``);
- ``"probe"``: the usable information of a cross-fitted probe for continuous features and a
  label (``_probe``; Xu et al. 2020): a lower bound on I(X; Y), and never above H(Y).

Estimates with a label side are capped at that side's plug-in entropy (I(X; Y) <= H(Y)); the
conditional forms with a label in x or y are the chain rule within the family,
``I(L; A | Z) = I(L; A, Z) - I(L; Z)``, both terms drawn with the same randomness.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from modalinfo.typing import ArrayLike
from modalinfo.validation import check_k, check_same_n

from ._discrete import CORRECTIONS, discrete_cmi_nats, discrete_mi_nats
from ._inputs import Options, check_finite_information, discrete_masks, jittered, label_codes, samples
from ._mixed import gao_mi_nats, ross_mi_nats
from ._probe import FLOOR, heldout_posteriors, label_entropy, probe_by_name

__all__ = [
    "discrete_cmi",
    "discrete_mi",
    "label_side",
    "mixed_cmi",
    "mixed_mi",
    "probe_cmi",
    "probe_heldout",
    "probe_mi",
]


def _codes(*named: tuple[ArrayLike, str], correction: str) -> list[np.ndarray]:
    if correction not in CORRECTIONS:
        raise ValueError(f"`correction` must be one of {CORRECTIONS}; got {correction!r}")
    codes = [label_codes(a, name) for a, name in named]
    check_same_n(**{name: c for c, (_, name) in zip(codes, named)})
    return codes


def discrete_mi(x: ArrayLike, y: ArrayLike, opts: Options) -> float:
    cx, cy = _codes((x, "x"), (y, "y"), correction=opts.correction)
    return min(discrete_mi_nats(cx, cy, opts.correction), label_entropy(cx), label_entropy(cy))


def discrete_cmi(x: ArrayLike, y: ArrayLike, z: ArrayLike, opts: Options) -> float:
    cx, cy, cz = _codes((x, "x"), (y, "y"), (z, "z"), correction=opts.correction)
    return discrete_cmi_nats(cx, cy, cz, opts.correction)


def label_side(x: ArrayLike, y: ArrayLike, opts: Options, method: str) -> str:
    """``"y"`` or ``"x"``: the side that holds a class label (the other continuous), or a ValueError."""
    mx, my = discrete_masks(x, y, opts.discrete)
    if my.all() and not mx.any():
        return "y"
    if mx.all() and not my.any():
        return "x"
    raise ValueError(
        f"method={method!r} needs a class label on one side and continuous columns on the other (labels are "
        "recognised by type: integers with few values, bool, strings, categories; or pass `discrete=`); "
        "use 'auto', or 'mixed' for a mixture of columns"
    )


def _split_label(x: ArrayLike, y: ArrayLike, opts: Options, method: str) -> tuple[np.ndarray, np.ndarray, str]:
    """(continuous features, label codes, name of the label side)."""
    side = label_side(x, y, opts, method)
    features, label = (x, y) if side == "y" else (y, x)
    (arr,), n = samples((features, "x" if side == "y" else "y"))
    codes = label_codes(label, side)
    check_same_n(features=arr, label=codes)
    return arr, codes, side


def _ross(x: np.ndarray, codes: np.ndarray, opts: Options) -> float:
    return min(
        ross_mi_nats(jittered(x, "x", opts.jitter, opts.gen), codes, check_k(opts.k, x.shape[0])), label_entropy(codes)
    )


def mixed_mi(x: ArrayLike, y: ArrayLike, opts: Options) -> float:
    """Ross (2014) for a label and continuous columns, Gao et al. (2017) for any mixture."""
    mx, my = discrete_masks(x, y, opts.discrete)
    if opts.discrete is None and not (mx.any() or my.any()):  # an explicit all-continuous spec runs Gao (= KSG)
        raise ValueError(
            "method='mixed' needs a discrete side: `x` or `y` with class labels (integers with few values, bool, "
            "strings, categories) or `discrete=` naming the discrete columns; both are continuous here (use 'ksg' "
            "or 'auto')"
        )
    if (mx.all() and not my.any()) or (my.all() and not mx.any()):
        features, codes, _ = _split_label(x, y, opts, "mixed")
        return _ross(features, codes, opts)
    (xa, ya), n = samples((x, "x"), (y, "y"))
    k = check_k(opts.k, n)
    check_finite_information(xa[:, ~mx[: xa.shape[1]]], ya[:, ~my[: ya.shape[1]]])
    return gao_mi_nats(jittered(xa, "x", opts.jitter, opts.gen, mx), jittered(ya, "y", opts.jitter, opts.gen, my), k)


def _heldout_losses(x: ArrayLike, y: ArrayLike, opts: Options) -> tuple[np.ndarray, np.ndarray]:
    """(label codes, held-out log-loss of each row) of the default probe between continuous columns and a label."""
    features, codes, _ = _split_label(x, y, opts, "probe")
    if int(codes.max()) == 0:  # one class: nothing to predict, every loss 0
        return codes, np.zeros(codes.size)
    post = heldout_posteriors(features, codes, probe_by_name("auto", opts.gen), opts.gen)
    return codes, -np.log(np.maximum(post[np.arange(codes.size), codes], FLOOR))


def probe_mi(x: ArrayLike, y: ArrayLike, opts: Options) -> float:
    """Usable information of the default cross-fitted probe (``_probe``), between continuous columns and a label."""
    codes, loss = _heldout_losses(x, y, opts)
    return label_entropy(codes) - float(loss.mean())


def probe_heldout(
    x: ArrayLike, y: ArrayLike, z: ArrayLike | None, opts: Options
) -> tuple[float, Callable[[np.ndarray], float]]:
    """The probe's estimate and its value on resampled rows of the held-out losses (the probes are fitted once).

    ``I = H(Y) - mean loss``; conditional, ``I(L; A | Z) = mean(loss given Z - loss given A, Z)``.
    """
    if z is None:
        codes, loss = _heldout_losses(x, y, opts)
        return label_entropy(codes) - float(
            loss.mean()
        ), lambda rows: label_entropy(codes[rows]) - float(loss[rows].mean())
    label, joint = _conditioned(x, y, z, opts, "probe")
    _, with_both = _heldout_losses(joint, label, opts.fresh())
    _, with_z = _heldout_losses(z, label, opts.fresh())
    gain = with_z - with_both
    return float(gain.mean()), lambda rows: float(gain[rows].mean())


def _chain(
    estimate: Callable[[ArrayLike, ArrayLike, Options], float], method: str
) -> Callable[[ArrayLike, ArrayLike, ArrayLike, Options], float]:
    """``I(L; A | Z) = I(L; A, Z) - I(L; Z)`` for a label L in x or y, both terms from the same randomness."""

    def cmi(x: ArrayLike, y: ArrayLike, z: ArrayLike, opts: Options) -> float:
        label, joint = _conditioned(x, y, z, opts, method)
        return estimate(joint, label, opts.fresh()) - estimate(z, label, opts.fresh())

    return cmi


def _conditioned(x: ArrayLike, y: ArrayLike, z: ArrayLike, opts: Options, method: str) -> tuple[ArrayLike, np.ndarray]:
    """(the label among x and y, the other side stacked with z), for the chain rule with a label."""
    side = label_side(x, y, opts, method)
    label, other = (y, x) if side == "y" else (x, y)
    if label_side(z, label, opts.fresh(), method) != "y":
        raise ValueError(f"method={method!r} conditions on continuous columns only; `z` holds labels")
    return label, np.column_stack([np.reshape(other, (np.shape(other)[0], -1)), np.reshape(z, (np.shape(z)[0], -1))])


mixed_cmi = _chain(mixed_mi, "mixed")
probe_cmi = _chain(probe_mi, "probe")
