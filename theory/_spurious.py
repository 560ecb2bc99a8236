"""A planted spurious trend: a feature of one modality that tracks y in training only."""

from __future__ import annotations

import math

import numpy as np

from modalinfo.typing import BlockNames
from modalinfo.validation import check_positive

from ._latent import GaussianView, LatentModel
from ._types import ModelBase, PIDResult

__all__ = ["SpuriousTrendModel"]


class SpuriousTrendModel(ModelBase):
    """A :class:`LatentModel` whose ``modality`` gains one spurious column s.

    ``s = r y / sd(y) + sqrt(1 - r^2) u`` in training and ``s = u`` at test, with
    ``u ~ N(0, 1)`` independent of everything else and ``r`` the ``strength``: s is a shortcut
    that predicts y at train time and carries nothing at test time (the lecture's data-curation
    probe). The other modalities carry the genuine signal, so a predictor that also sees them
    leans less on s. Both splits are jointly Gaussian; :attr:`train` and :attr:`test` give their
    exact information and Bayes risk (s is the last column of ``modality``), and
    :meth:`shifted_risk` the test risk of the train-optimal linear predictor.

    A sample holds both splits, so its distribution is a mixture wherever ``modality`` is involved.
    The :class:`theory.ExactModel` quantities (:meth:`mutual_information`, :meth:`bayes_risk`,
    :meth:`pid`) are therefore exact for blocks that exclude ``modality`` (identical in both splits)
    and raise ``ValueError`` otherwise, pointing to :attr:`train` and :attr:`test`.

    Parameters
    ----------
    model : LatentModel
        The linear-Gaussian model without the trend.
    strength : float in [0, 1)
        Train-time correlation r between s and y.
    modality : str, default "x1"
        The modality that carries s.
    test_fraction : float in (0, 1), default 0.5
        Share of the rows of a sample that come from the test distribution (the last rows).

    Raises
    ------
    ValueError
        If ``model`` is not a (Gaussian) :class:`LatentModel`, ``strength`` is outside [0, 1),
        ``modality`` is not a modality of the model or ``test_fraction`` is outside (0, 1).
    """

    pid_measures = ("mmi",)
    target_kind = "continuous"

    def __init__(
        self, model: LatentModel, *, strength: float, modality: str = "x1", test_fraction: float = 0.5
    ) -> None:
        if type(model) is not LatentModel:
            raise ValueError(f"`model` must be a theory.LatentModel; got {type(model).__name__}")
        self.model = model
        self.strength = check_positive(strength, "strength", allow_zero=True)
        if self.strength >= 1:
            raise ValueError(f"`strength` must be in [0, 1); got {strength!r}")
        if modality not in model.modality_names:
            raise ValueError(f"`modality` must be one of {model.modality_names}; got {modality!r}")
        self.modality = modality
        self.test_fraction = check_positive(test_fraction, "test_fraction")
        if self.test_fraction >= 1:
            raise ValueError(f"`test_fraction` must be in (0, 1); got {test_fraction!r}")
        self.modality_names = model.modality_names
        self.train = self._view(self.strength)
        self.test = self._view(0.0)

    @property
    def block_names(self) -> tuple[str, ...]:
        """The blocks of the model (the trend column is the last column of ``modality``)."""
        return self.train.block_names

    def _pooled(self, *groups: BlockNames) -> GaussianView:
        """The view that is exact for the pooled sample: the train view, when no group holds ``modality``."""
        for g in groups:
            if self.modality in ([g] if isinstance(g, str) else list(g)):
                raise ValueError(
                    f"a sample of this model mixes training rows (where the last column of {self.modality!r} tracks y) "
                    f"and test rows (where it does not), so quantities involving {self.modality!r} are exact per split "
                    "only: use `model.train` or `model.test`"
                )
        return self.train

    def mutual_information(
        self, a: BlockNames, b: BlockNames, given: BlockNames = (), *, base: float = math.e
    ) -> float:
        """Exact I(A; B | C) of the pooled sample, for blocks without ``modality`` (else ``ValueError``)."""
        return self._pooled(a, b, given).mutual_information(a, b, given, base=base)

    def bayes_risk(self, modalities: BlockNames) -> float:
        """Bayes mean squared error from modalities without ``modality`` (else ``ValueError``).

        See :meth:`shifted_risk` for the test risk of the train-optimal predictor.
        """
        return self._pooled(modalities).bayes_risk(modalities)

    def _pid(
        self, source1: BlockNames, source2: BlockNames, target: BlockNames, measure: str, base: float
    ) -> PIDResult:
        """Gaussian MMI PID of the pooled sample, for sources without ``modality`` (else ``ValueError``)."""
        return self._pooled(source1, source2, target).pid(source1, source2, target, measure=measure, base=base)

    def _view(self, r: float) -> GaussianView:
        base = self.model.covariance()
        at = self.model.block_indices(self.modality)[-1] + 1  # s goes right after the modality's columns
        iy = self.model.block_indices("y")[0]
        cross = r * base[iy] / math.sqrt(base[iy, iy])
        cov = np.insert(np.insert(base, at, cross, axis=0), at, np.insert(cross, at, 1.0), axis=1)
        blocks = {}
        for name, idx in self.model._blocks.items():
            shifted = tuple(i + (i >= at) for i in idx)
            blocks[name] = shifted + ((at,) if name == self.modality else ())
        return GaussianView(cov, blocks, self.modality_names)

    def shifted_risk(self, modalities: BlockNames) -> float:
        """Test mean squared error of the train-Bayes (linear) predictor on the modalities.

        With ``w = S_MM^-1 S_My`` from the train covariance,
        ``R = Var_test(y) - 2 w . C_My + w^T C_MM w`` under the test covariance C. It exceeds the
        test Bayes risk whenever the predictor leans on s.
        """
        im = list(self.train._modality_indices(modalities))
        iy = self.train._blocks["y"][0]
        s, c = self.train.covariance(), self.test.covariance()
        if not im:
            return float(c[iy, iy])
        w = np.linalg.solve(s[np.ix_(im, im)], s[im, iy])
        return float(c[iy, iy] - 2 * w @ c[im, iy] + w @ c[np.ix_(im, im)] @ w)
