"""What each modality brings: one tidy table of information, conditional information and PID atoms, one family."""

from __future__ import annotations

import copy
import itertools
import math
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np

from modalinfo.theory import PID_ATOMS
from modalinfo.typing import ArrayLike, SeedLike
from modalinfo.validation import check_same_n, log_base, resolve_rng, unit_name

from ._inputs import label_codes, looks_like_labels
from ._mi import conditional_mutual_information, mutual_information
from ._pid import pid
from ._probe import label_entropy, usable_information

__all__ = ["FAMILIES", "modality_report"]

#: The estimator families of a report: the MI method of every information row, the PID method of
#: every pair and the measure a pair gets by default.
FAMILIES = {
    "probe": ("probe", "posterior", "imin"),
    "discrete": ("discrete", "discrete", "broja"),
    "gaussian": ("gaussian", "gaussian", "tilde"),
    "copula": ("copula", "copula", "tilde"),
}
#: Chain-rule and consistency residuals above this many nats get a note (rounding is far below it).
RESIDUAL_NOTE = 1e-6


def _stack(blocks: list[np.ndarray]) -> np.ndarray:
    return np.column_stack([b.reshape(b.shape[0], -1) for b in blocks])


def _family(method: str, blocks: dict[str, np.ndarray], y: ArrayLike) -> str:
    if method != "auto":
        if method not in FAMILIES:
            raise ValueError(
                f"`method` must be 'auto' or a family of estimators for every row, one of {tuple(FAMILIES)}; "
                f"got {method!r}"
            )
        return method
    if looks_like_labels(y):
        return "discrete" if all(looks_like_labels(b) for b in blocks.values()) else "probe"
    return "copula"


def modality_report(
    modalities: Mapping[str, Any],
    y: ArrayLike,
    *,
    method: str = "auto",
    measure: str | None = None,
    probe: object = "auto",
    n_resamples: int = 0,
    level: float = 0.95,
    base: float = math.e,
    rng: SeedLike = None,
) -> Any:
    """Per modality and per pair: how much information about y each carries, alone and beyond the rest.

    Every row comes from one family of estimators (column ``estimator``), so the rows agree with
    each other:

    - ``"probe"`` (a class label with continuous modalities): informations are the usable
      information of cross-fitted probes, the PID that of the class posteriors
      (``pid(method="posterior")``) on the same folds; its totals are the information rows;
    - ``"discrete"`` (every input a label): plug-in with the Miller-Madow correction, exact PID of
      the plug-in pmf;
    - ``"gaussian"``, ``"copula"`` (a continuous target): bias-corrected Gaussian (or Gaussian-
      copula) informations and the Gaussian PID of the same covariance.

    ``"auto"`` picks ``"probe"`` for a class label (recognised by type, as in
    :func:`choose_method`), ``"discrete"`` when every input is a label, ``"copula"`` otherwise.
    Each quantity draws from a fresh copy of the seed's generator, so the probes of every row use
    the same folds and a modality's rows do not change when another modality is added.

    Rows (``subset``, ``quantity``, ``value``, ``units``, ``estimator``, ``measure`` (of the pairs'
    PIDs), ``note``, ``low``, ``high``):

    - each modality k: ``I(Y;X)`` = I(Y; X_k), ``I(Y;X|rest)`` = I(Y; X_k | the others) (what only
      X_k adds: U_k + S for two modalities), and ``chain-rule residual`` = I(Y; all) - I(Y; rest)
      - I(Y; X_k | rest) (0 up to rounding: the conditional term is the chain rule of the family);
    - ``all``: ``I(Y;X)`` = I(Y; X_1, ..., X_K) and, for a label, ``H(Y)`` (every information
      row is at most it);
    - each pair ``"a,b"``: ``I(Y;X)`` = I(Y; X_a, X_b) (the same row as ``all`` for two
      modalities), the PID atoms ``redundancy``, ``unique:a``, ``unique:b``, ``synergy`` and the
      ``coinformation`` R - S, and ``consistency residual``: the largest difference between the
      atoms' totals (R + U_a, R + U_b, R + U_a + U_b + S) and the information rows; it is the
      amount by which atoms below zero were clipped (``pid`` never reports negative atoms).

    ``note`` says where an assumption fails: a label read as a number (a Gaussian family with a
    label target), an estimate above H(Y), a residual above rounding.

    Parameters
    ----------
    modalities : mapping of str to array_like (n,) or (n, d)
        At least two named modalities with the same n.
    y : array_like (n,) or (n, dy)
        The target: a class label (integers with few values, bool, strings, categories) or
        continuous (a vector only for the Gaussian families).
    method : {"auto", "probe", "discrete", "gaussian", "copula"}, default "auto"
        The family of every row.
    measure : str, optional
        The pairs' PID measure: ``"imin"`` (default for the probe family: exact from the held-out
        posteriors, no discretisation, intervals in seconds), ``"broja"`` (coarse-grained
        posteriors, slower with many classes) or ``"mmi"`` for the probe family; ``"broja"``
        (default), ``"imin"`` or ``"mmi"`` for the discrete one; ``"tilde"`` (default), ``"idep"``
        or ``"mmi"`` for the Gaussian ones.
    probe : str or classifier, default "auto"
        The probe of the ``"probe"`` family (see :func:`usable_information`).
    n_resamples : int, default 0
        Bootstrap resamples of each pair's PID (:func:`pid`): its atoms' intervals at ``level`` fill
        ``low`` and ``high`` (NaN elsewhere, and everywhere with 0).
    level : float in (0, 1), default 0.95
        Coverage of the intervals.
    base : float, default e
        Logarithm base of every value.
    rng : None, int, SeedSequence or Generator
        Randomness of the estimators; reproducible.

    Returns
    -------
    pandas.DataFrame
        The tidy table described above.

    Raises
    ------
    ValueError
        Fewer than two modalities, a non-string name, an unknown family, or any estimator error.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> label = rng.integers(0, 3, 1200)
    >>> views = {"image": label[:, None] + rng.standard_normal((1200, 5)), "text": rng.standard_normal((1200, 3))}
    >>> table = modality_report(views, label, rng=0)
    >>> residuals = table["value"][table["quantity"] == "chain-rule residual"]
    >>> table["estimator"].unique().tolist(), float(residuals.abs().max())
    (['probe'], 0.0)
    """
    import pandas as pd

    if not isinstance(modalities, Mapping) or len(modalities) < 2:
        raise ValueError(f"`modalities` must map at least two names to arrays; got {type(modalities).__name__}")
    names = list(modalities)
    if not all(isinstance(k, str) and k for k in names):
        raise ValueError(f"modality names must be non-empty strings; got {names}")
    blocks = {k: np.asarray(v) for k, v in modalities.items()}
    for k, b in blocks.items():
        if b.ndim not in (1, 2) or b.size == 0:
            raise ValueError(f"modality `{k}` must be a non-empty 1-D or 2-D array (n, d); got shape {b.shape}")
    check_same_n(y=np.asarray(y), **{f"modalities[{k!r}]": b for k, b in blocks.items()})
    family = _family(method, blocks, y)
    mi_method, pid_method, default_measure = FAMILIES[family]
    measure = default_measure if measure is None else measure
    root = resolve_rng(rng)
    factor = log_base(base)

    def fresh() -> np.random.Generator:
        return copy.deepcopy(root)

    known: dict[tuple[str, ...], float] = {}

    def information(subset: list[str]) -> float:
        """I(Y; the modalities in ``subset``), each subset estimated once."""
        key = tuple(subset)
        if key not in known:
            x = _stack([blocks[k] for k in subset])
            if family == "probe":
                known[key] = usable_information(x, y, probe=probe, base=base, rng=fresh())
            else:
                known[key] = mutual_information(x, y, mi_method, base=base, rng=fresh())
        return known[key]

    rows: list[tuple[str, str, float, str]] = []
    intervals: dict[tuple[str, str], tuple[float, float]] = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        total = information(names)
        alone = {k: information([k]) for k in names}
        for k in names:
            rest = [o for o in names if o != k]
            without = information(rest)
            given = (
                total - without
                if family == "probe"
                else conditional_mutual_information(
                    blocks[k], y, _stack([blocks[o] for o in rest]), mi_method, base=base, rng=fresh()
                )
            )
            residual = total - without - given
            rows += [
                (k, "I(Y;X)", alone[k], ""),
                (k, "I(Y;X|rest)", given, ""),
                (k, "chain-rule residual", residual, _residual_note(residual)),
            ]
        rows.append(("all", "I(Y;X)", total, ""))
        bound = label_entropy(label_codes(y, "y")) / factor if looks_like_labels(y) else math.inf
        if math.isfinite(bound):
            rows.append(("all", "H(Y)", bound, ""))
        for first, second in itertools.combinations(names, 2):
            joint = information([first, second])
            est = pid(
                blocks[first],
                blocks[second],
                y,
                measure,
                method=pid_method,
                probe=probe,
                n_resamples=n_resamples,
                level=level,
                base=base,
                rng=fresh(),
            )
            rows += _pair_rows(first, second, (alone[first], alone[second], joint), est)
            intervals.update(
                {
                    (f"{first},{second}", q): est.ci[atom]
                    for atom, q in zip(PID_ATOMS, ("redundancy", f"unique:{first}", f"unique:{second}", "synergy"))
                    if atom in est.ci
                }
            )
    messages = list(dict.fromkeys(str(w.message) for w in caught))
    for message in messages:  # said once, after the table is complete
        warnings.warn(message, UserWarning, stacklevel=2)
    notes = _notes(messages, rows, bound)
    nan = (math.nan, math.nan)
    return pd.DataFrame(
        [
            (
                s,
                q,
                float(v),
                unit_name(base),
                family,
                measure if "," in s else "",
                notes.get(i, note),
                *intervals.get((s, q), nan),
            )
            for i, (s, q, v, note) in enumerate(rows)
        ],
        columns=["subset", "quantity", "value", "units", "estimator", "measure", "note", "low", "high"],
    )


def _residual_note(residual: float) -> str:
    return f"residual {residual:.2g} above rounding" if abs(residual) > RESIDUAL_NOTE else ""


def _pair_rows(a: str, b: str, informations: tuple[float, float, float], est: Any) -> list:
    """The pair's rows; the residual compares the atoms' totals with the report's information rows."""
    pair = f"{a},{b}"
    totals = (est.redundancy + est.unique1, est.redundancy + est.unique2, est.mi_joint)
    residual = max(abs(t - i) for t, i in zip(totals, informations))
    clipped = "atoms below 0 clipped: their totals moved by this much" if residual > RESIDUAL_NOTE else ""
    return [
        (pair, "I(Y;X)", informations[2], ""),
        (pair, "redundancy", est.redundancy, ""),
        (pair, f"unique:{a}", est.unique1, ""),
        (pair, f"unique:{b}", est.unique2, ""),
        (pair, "synergy", est.synergy, ""),
        (pair, "coinformation", est.coinformation, ""),
        (pair, "consistency residual", residual, clipped),
    ]


def _notes(messages: list[str], rows: list[tuple[str, str, float, str]], bound: float) -> dict[int, str]:
    """Notes by row: an information above H(Y); the first warning of the estimators on the first row."""
    notes = {}
    for i, (_, quantity, value, _) in enumerate(rows):
        if quantity.startswith("I(Y;X") and value > bound + 1e-12:
            notes[i] = f"above H(Y) = {bound:.4g}: the target is read as a number"
    if messages:
        notes[0] = "; ".join(messages)
    return notes
