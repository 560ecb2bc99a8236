"""Symbolic derivation of the two-modality scalar model (sympy), for the paper's formulas.

The model: independent standard normal latents z_s (shared), z_1, z_2 (private); modality
signals ``s_k = sqrt(omega) z_s + sqrt(1 - omega) z_k`` with unit variance and overlap omega
(the fraction of each signal's variance that is shared); observations ``x_k = s_k + n_k`` with
``Var n_k = 1/gamma`` (gamma is the signal-to-noise ratio); target ``y = s_1 + s_2 + e`` with
``Var e = sigma^2``. At omega = 0 and gamma -> infinity it is the Barrett (2015) example
``y = x_1 + x_2 + e``. It is the :class:`theory.LatentModel` with one latent and one
observed dimension per block, mixing ``[1, 1] / sqrt(2)``, shared weight ``2 sqrt(omega)`` and
private weights ``sqrt(1 - omega)``.

Everything is derived from the loading matrix: covariances, log-determinant mutual
informations, the MMI atoms and the Bayes mean squared errors.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import sympy as sp

__all__ = ["OVERLAP", "SNR", "TARGET_NOISE", "two_modality_formulas", "two_modality_latex", "two_modality_numeric"]

OVERLAP = sp.Symbol("omega", nonnegative=True)
SNR = sp.Symbol("gamma", positive=True)
TARGET_NOISE = sp.Symbol("sigma2", positive=True)


def _mi(cov: sp.Matrix, a: list[int], b: list[int]) -> sp.Expr:
    det = lambda idx: cov.extract(idx, idx).det()  # noqa: E731
    return sp.log(det(a) * det(b) / det(a + b)) / 2


@functools.cache
def two_modality_formulas() -> dict[str, sp.Expr]:
    """Closed forms of the two-modality scalar model, in nats.

    Returns
    -------
    dict of str to sympy.Expr
        ``"I(Y;X1)"`` (= I(Y;X2) by symmetry), ``"I(Y;X1,X2)"``, ``"I(X1;X2)"``, the MMI atoms
        ``"redundancy"``, ``"unique"`` (both sources) and ``"synergy"``, and the Bayes mean squared
        errors ``"risk()"``, ``"risk(X1)"``, ``"risk(X1,X2)"``; functions of the symbols
        :data:`OVERLAP` (omega), :data:`SNR` (gamma) and :data:`TARGET_NOISE` (sigma^2).
    """
    w, g = OVERLAP, SNR
    a, c = sp.sqrt(w), sp.sqrt(1 - w)
    # Rows x1, x2, y; columns z_s, z_1, z_2, n_1, n_2, e (all standard normal).
    load = sp.Matrix(
        [
            [a, c, 0, 1 / sp.sqrt(g), 0, 0],
            [a, 0, c, 0, 1 / sp.sqrt(g), 0],
            [2 * a, c, c, 0, 0, sp.sqrt(TARGET_NOISE)],
        ]
    )
    cov = sp.simplify(load * load.T)
    i1 = sp.simplify(_mi(cov, [2], [0]))
    i12 = sp.simplify(_mi(cov, [2], [0, 1]))
    ixx = sp.simplify(_mi(cov, [0], [1]))

    def risk(idx: list[int]) -> sp.Expr:
        if not idx:
            return cov[2, 2]
        s = cov.extract(idx, idx)
        cross = cov.extract(idx, [2])
        return sp.simplify(cov[2, 2] - (cross.T * s.inv() * cross)[0, 0])

    return {
        "I(Y;X1)": i1,
        "I(Y;X1,X2)": i12,
        "I(X1;X2)": ixx,
        "redundancy": i1,
        "unique": sp.Integer(0),
        "synergy": sp.simplify(i12 - i1),
        "risk()": sp.simplify(cov[2, 2]),
        "risk(X1)": risk([0]),
        "risk(X1,X2)": risk([0, 1]),
    }


def two_modality_latex() -> dict[str, str]:
    """The formulas of :func:`two_modality_formulas` as LaTeX strings (for the paper)."""
    names = {TARGET_NOISE: r"\sigma^2"}
    return {name: sp.latex(expr, symbol_names=names) for name, expr in two_modality_formulas().items()}


def two_modality_numeric() -> dict[str, Callable[..., object]]:
    """The formulas as numpy functions ``f(overlap, snr, target_noise)`` (lambdified)."""
    syms = (OVERLAP, SNR, TARGET_NOISE)
    return {name: sp.lambdify(syms, expr, "numpy") for name, expr in two_modality_formulas().items()}
