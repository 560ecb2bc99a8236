"""What each modality brings: one tidy table of information, conditional information and PID atoms."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping

import numpy as np

from modalinfo.typing import ArrayLike, SeedLike
from modalinfo.validation import resolve_rng, unit_name

from ._methods import MI_METHODS
from ._mi import conditional_mutual_information, mutual_information, resolve_method
from ._pid import pid

__all__ = ["modality_report"]


def _stack(blocks: list[np.ndarray]) -> np.ndarray:
    return np.column_stack([b.reshape(b.shape[0], -1) for b in blocks])


def modality_report(
    modalities: Mapping[str, object],
    y: ArrayLike,
    *,
    method: str = "auto",
    measure: str = "mmi",
    pid_method: str = "auto",
    base: float = math.e,
    rng: SeedLike = None,
):
    """Per modality and per pair: how much information about y each carries, alone and beyond the rest.

    Rows (``subset``, ``quantity``, ``value``, ``units``):

    - each modality k: ``I(Y;X)`` = I(Y; X_k) and ``I(Y;X|rest)`` = I(Y; X_k | the others)
      (what only X_k adds: U_k + S for two modalities);
    - ``all``: ``I(Y;X)`` = I(Y; X_1, ..., X_K);
    - each pair ``"a,b"``: the PID atoms ``redundancy``, ``unique:a``, ``unique:b``, ``synergy`` of
      I(Y; X_a, X_b) and the ``coinformation`` R - S.

    Parameters
    ----------
    modalities : mapping of str to array_like (n,) or (n, d)
        At least two named modalities with the same n.
    y : array_like (n,) or (n, dy)
        The target (a vector only where the estimators take one: Gaussian, copula, kNN).
    method : str, default "auto"
        Estimator of the (conditional) informations (:func:`mutual_information`); the
        conditional terms use ``"auto"`` when the method has no conditional form.
    measure, pid_method : str
        Redundancy measure and method of :func:`pid`: for continuous modalities ``"mmi"``,
        ``"tilde"`` (~G) or ``"idep"`` with the Gaussian or copula method (a vector ``y`` is
        decomposed as a whole; ~G and I_dep tell which information each modality carries, MMI
        does not), for labels ``"broja"``, ``"imin"`` or ``"mmi"``.
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
        Fewer than two modalities, a non-string name, or any estimator error.
    """
    import pandas as pd

    if not isinstance(modalities, Mapping) or len(modalities) < 2:
        raise ValueError(f"`modalities` must map at least two names to arrays; got {type(modalities).__name__}")
    names = list(modalities)
    if not all(isinstance(k, str) and k for k in names):
        raise ValueError(f"modality names must be non-empty strings; got {names}")
    blocks = {k: np.asarray(v) for k, v in modalities.items()}
    resolve_method(method, blocks[names[0]], y)  # an unknown method fails before any estimate
    gen = resolve_rng(rng)
    units = unit_name(base)
    rows = []
    for k in names:
        rows.append((k, "I(Y;X)", mutual_information(blocks[k], y, method, base=base, rng=gen)))
        rest = _stack([blocks[o] for o in names if o != k])
        cmi_method = method if method == "auto" or MI_METHODS[method].conditional else "auto"
        rows.append(
            (k, "I(Y;X|rest)", conditional_mutual_information(blocks[k], y, rest, cmi_method, base=base, rng=gen))
        )
    rows.append(("all", "I(Y;X)", mutual_information(_stack(list(blocks.values())), y, method, base=base, rng=gen)))
    for a, b in itertools.combinations(names, 2):
        est = pid(blocks[a], blocks[b], y, measure, method=pid_method, base=base, rng=gen)
        pair = f"{a},{b}"
        rows += [
            (pair, "redundancy", est.redundancy),
            (pair, f"unique:{a}", est.unique1),
            (pair, f"unique:{b}", est.unique2),
            (pair, "synergy", est.synergy),
            (pair, "coinformation", est.coinformation),
        ]
    return pd.DataFrame([(s, q, float(v), units) for s, q, v in rows], columns=["subset", "quantity", "value", "units"])
