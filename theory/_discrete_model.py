"""A discrete two-source model ``p[x1, x2, y]`` with exact information, PID and Bayes error."""

from __future__ import annotations

import math

import numpy as np

from ._canonical import canonical_pmf, noisy_pmf
from ._latent import BlockNames
from ._pid_discrete import discrete_pid
from ._types import PIDResult
from ._validation import check_pmf, log_base

__all__ = ["DiscreteModel"]

_AXES = {"x1": 0, "x2": 1, "y": 2}


class DiscreteModel:
    """Two discrete modalities and a discrete target with a known joint pmf.

    Blocks ``"x1"``, ``"x2"``, ``"y"`` are the three axes of ``p[x1, x2, y]``; every quantity is
    an exact functional of the table.

    Parameters
    ----------
    pmf : array_like, shape (n1, n2, ny)
        Joint probability table (non-negative, summing to 1).
    name : str, optional
        A label (e.g. the canonical name) shown in ``repr``.

    Raises
    ------
    ValueError
        If ``pmf`` is not a 3-D probability table.

    Examples
    --------
    >>> m = DiscreteModel.canonical("xor", noise=0.0)
    >>> round(m.mutual_information(["x1", "x2"], "y", base=2), 6)
    1.0
    """

    block_names = ("x1", "x2", "y")
    modality_names = ("x1", "x2")

    def __init__(self, pmf: object, name: str = "discrete") -> None:
        self._pmf = check_pmf(pmf, ndim=3, name="pmf")
        self.name = str(name)

    @classmethod
    def canonical(cls, name: str, noise: float = 0.0) -> DiscreteModel:
        """A canonical distribution (:func:`theory.canonical_pmf`) with target noise (:func:`theory.noisy_pmf`)."""
        label = name if noise == 0 else f"{name}-noisy-{noise:g}"
        return cls(noisy_pmf(canonical_pmf(name), noise), name=label)

    def __repr__(self) -> str:
        return f"DiscreteModel({self.name!r}, shape={self._pmf.shape})"

    @property
    def shape(self) -> tuple[int, int, int]:
        """Alphabet sizes (n1, n2, ny)."""
        return self._pmf.shape  # type: ignore[return-value]

    def pmf(self) -> np.ndarray:
        """The joint probability table ``p[x1, x2, y]``."""
        return self._pmf.copy()

    def _axes(self, blocks: BlockNames, name: str, allow_empty: bool = False) -> tuple[int, ...]:
        names = [blocks] if isinstance(blocks, str) else list(blocks)
        if not names and not allow_empty:
            raise ValueError(f"`{name}` must name at least one block of {self.block_names}")
        for b in names:
            if b not in _AXES:
                raise ValueError(f"`{name}` must be among {self.block_names}; got {b!r}")
        return tuple(sorted({_AXES[b] for b in names}))

    def _entropy(self, axes: tuple[int, ...]) -> float:
        if not axes:
            return 0.0
        marg = self._pmf.sum(axis=tuple(i for i in range(3) if i not in axes)).ravel()
        marg = marg[marg > 0]
        return float(-np.sum(marg * np.log(marg)))

    def mutual_information(
        self, a: BlockNames, b: BlockNames, given: BlockNames = (), *, base: float = math.e
    ) -> float:
        """Exact ``I(A; B | C) = H(A,C) + H(B,C) - H(A,B,C) - H(C)`` over the named blocks, in ``base`` units."""
        ia, ib = self._axes(a, "a"), self._axes(b, "b")
        ic = self._axes(given, "given", allow_empty=True)
        for x, y, nx, ny in ((ia, ib, "a", "b"), (ia, ic, "a", "given"), (ib, ic, "b", "given")):
            if set(x) & set(y):
                raise ValueError(f"`{nx}` and `{ny}` must be disjoint blocks")
        h = self._entropy
        value = h(ia + ic) + h(ib + ic) - h(tuple(sorted(ia + ib + ic))) - h(ic)
        return max(value, 0.0) / log_base(base)

    def bayes_risk(self, modalities: BlockNames) -> float:
        """Bayes (0-1) error of predicting y from the modalities: ``1 - sum_x max_y p(x, y)``."""
        axes = self._axes(modalities, "modalities", allow_empty=True)
        if 2 in axes:
            raise ValueError(f"`modalities` must be among {self.modality_names}; got {modalities!r}")
        drop = tuple(i for i in (0, 1) if i not in axes)
        joint = self._pmf.sum(axis=drop) if drop else self._pmf
        return float(1.0 - joint.reshape(-1, self._pmf.shape[2]).max(axis=1).sum())

    def pid(self, measure: str = "broja", *, base: float = math.e) -> PIDResult:
        """Exact PID of y with sources x1, x2 (:func:`theory.discrete_pid`)."""
        return discrete_pid(self._pmf, measure=measure, base=base)
