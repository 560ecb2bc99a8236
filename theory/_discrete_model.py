"""A discrete two-source model ``p[x1, x2, y]`` with exact information, PID and Bayes error."""

from __future__ import annotations

import math

import numpy as np

from modalinfo.typing import ArrayLike, BlockNames
from modalinfo.validation import check_pmf, log_base

from ._canonical import canonical_pmf, noisy_pmf
from ._pid_discrete import discrete_pid
from ._pid_measures import PID_MEASURES
from ._types import ModelBase, PIDResult

__all__ = ["DiscreteModel"]

_AXES = {"x1": 0, "x2": 1, "y": 2}


class DiscreteModel(ModelBase):
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
    >>> m = DiscreteModel.canonical("xor", noise_prob=0.0)
    >>> round(m.mutual_information(["x1", "x2"], "y", base=2), 6)
    1.0
    """

    block_names = ("x1", "x2", "y")
    modality_names = ("x1", "x2")
    pid_measures = tuple(name for name, m in PID_MEASURES.items() if m.discrete is not None)
    target_kind = "discrete"

    def __init__(self, pmf: ArrayLike, *, name: str = "discrete") -> None:
        self._pmf = check_pmf(pmf, ndim=3, name="pmf")
        self.name = str(name)

    @classmethod
    def canonical(cls, name: str, *, noise_prob: float = 0.0) -> DiscreteModel:
        """A canonical distribution (:func:`theory.canonical_pmf`) whose target is resampled uniformly with
        probability ``noise_prob`` (:func:`theory.noisy_pmf`)."""
        label = name if noise_prob == 0 else f"{name}-noisy-{noise_prob:g}"
        return cls(noisy_pmf(canonical_pmf(name), noise_prob), name=label)

    def __repr__(self) -> str:
        return f"DiscreteModel({self.name!r}, shape={self._pmf.shape})"

    @property
    def shape(self) -> tuple[int, int, int]:
        """Alphabet sizes (n1, n2, ny)."""
        n1, n2, ny = self._pmf.shape
        return n1, n2, ny

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

    def _pid(
        self, source1: BlockNames, source2: BlockNames, target: BlockNames, measure: str, base: float
    ) -> PIDResult:
        """Exact PID of y with sources x1, x2 in either order (:func:`theory.discrete_pid`; default BROJA)."""
        order = tuple(self._axes(s, f"source{i}") for i, s in ((1, source1), (2, source2)))
        if sorted(order) != [(0,), (1,)] or self._axes(target, "target") != (2,):
            raise ValueError(
                "the sources must be 'x1' and 'x2' (either order) and the target 'y'; "
                f"got {source1!r}, {source2!r}, {target!r}"
            )
        pmf = self._pmf if order == ((0,), (1,)) else self._pmf.transpose(1, 0, 2)
        return discrete_pid(pmf, measure, base=base)
