"""Alignment resolution: modalities paired per instance or only per group of instances."""

from __future__ import annotations

import numpy as np

from modalinfo.validation import check_int, check_positive

from ._latent import GaussianView, LatentModel

__all__ = ["GroupAlignedModel"]


class GroupAlignedModel(GaussianView):
    """A :class:`LatentModel` observed in groups whose modality ``moved`` is paired within the group.

    Instances come in groups of ``g``. Each latent is hierarchical,
    ``z_i = sqrt(rho) a_G + sqrt(1 - rho) e_i`` with ``a_G, e_i ~ N(0, I)``, so every instance keeps
    the model's distribution while two members of a group share a fraction ``rho`` (the
    ``group_share``) of their latent variance: ``Cov(z_i, z_j) = rho I``. With ``g >= 2`` the block
    ``moved`` of instance i is taken from another member j of its group (a derangement), and the
    misaligned tuple ``(z_i, x_{-moved, i}, y_i, x_{moved, j})`` is jointly Gaussian with the
    model's covariance except that every cross-covariance of ``moved`` is multiplied by ``rho``:

        Cov(x_moved_j, v_i) = rho Cov(x_moved, v)   for every other block v.

    ``g = 1`` is instance-level alignment (the model itself). The information lost by pairing only
    per group is exact: e.g. ``I(x1; x2)`` falls from the model's value to that of the scaled
    covariance, and to 0 when ``rho = 0``.

    Parameters
    ----------
    model : LatentModel
        The linear-Gaussian model of one instance.
    group_size : int, default 1
        Instances per group g >= 1.
    group_share : float in [0, 1], default 0
        Fraction rho of each latent's variance shared by the members of a group.
    moved : str, default "x2"
        The modality paired only within groups.

    Raises
    ------
    ValueError
        If ``model`` is not a (Gaussian) :class:`LatentModel`, ``group_size < 1``, ``group_share``
        is outside [0, 1] or ``moved`` is not a modality of the model.
    """

    def __init__(self, model: LatentModel, *, group_size: int = 1, group_share: float = 0.0, moved: str = "x2") -> None:
        if type(model) is not LatentModel:
            raise ValueError(f"`model` must be a theory.LatentModel; got {type(model).__name__}")
        self.model = model
        self.group_size = check_int(group_size, "group_size", 1)
        self.group_share = check_positive(group_share, "group_share", allow_zero=True)
        if self.group_share > 1:
            raise ValueError(f"`group_share` must be in [0, 1]; got {group_share!r}")
        if moved not in model.modality_names:
            raise ValueError(f"`moved` must be one of {model.modality_names}; got {moved!r}")
        self.moved = moved
        cov = model.covariance()
        if self.group_size > 1:
            idx = list(model.block_indices(moved))
            rest = [i for i in range(cov.shape[0]) if i not in set(idx)]
            cov[np.ix_(idx, rest)] *= self.group_share
            cov[np.ix_(rest, idx)] *= self.group_share
        super().__init__(cov, model._blocks, model.modality_names)
