"""Latent-structure models with a class label: K classes, any priors, class-dependent latent covariances.

Given the class y = c (prior ``pi_c``) the latents are ``z | y=c ~ N(mu_c, s_c^2 I)`` and the
modalities observe them as in :class:`LatentModel`: ``x_k = L_k z + eps_k``, ``eps_k ~ N(0,
sigma_k^2 I)``. Every block is a Gaussian mixture over the classes, so its information about y
has no closed form in general; it is computed exactly up to a stated quadrature error in the
class-relevant coordinates (:class:`LabelMixture`):

- equal class scales: the class-conditional covariances are equal, so after whitening only the
  span of the class-mean differences (at most K - 1 dimensions) carries class information;
- unequal scales: each observed block is reduced to the range of its loadings, ``w_k = Q_k^T x_k``
  with Q_k an orthonormal basis of range(L_k). The rest, ``(I - Q_k Q_k^T) eps_k``, is isotropic
  noise independent of ``Q_k^T eps_k``, of z and of y, so ``I(Y; x_B) = I(Y; w_B)`` exactly; the
  quadrature then runs in ``sum_k rank(L_k)`` (plus latent) dimensions, at most ``MAX_DIM``.

For two equiprobable classes with equal scales (the default) the information and Bayes error are
one-dimensional in the Mahalanobis distance Delta between the class means (Anderson 1958).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy.linalg import orth
from scipy.special import ndtr

from modalinfo.typing import ArrayLike, BlockNames, SeedLike
from modalinfo.validation import check_covariance, check_disjoint, log_base

from ._gaussian import conditional_mi_nats
from ._latent import _LatentStructure
from ._mixture import MAX_DIM, LabelMixture
from ._types import PIDResult

__all__ = ["LatentClassificationModel"]


class LatentClassificationModel(_LatentStructure):
    """Latent-structure model with a class label that shifts (and may scale) the latents.

    ``y ~ Categorical(priors)``; given y = c the latents are ``z | y=c ~ N(mu_c, s_c^2 I)`` and the
    modalities ``x_k = L_k z + eps_k`` as in :class:`LatentModel`. Every quantity with the class is
    exact up to the quadrature error :meth:`quadrature_error` (below 1e-6 nats for the default
    model; see the module docstring for the reduction that makes it exact). Without y the blocks
    are Gaussian mixtures, whose information is not computed.

    Parameters
    ----------
    obs_dims, shared_dim, private_dims, overlap, noise_var, shared_weights, private_weights, mixing, mixing_seed
        As in :class:`LatentModel` (keyword-only); ``beta = [b_s; b_1; ...; b_K]`` (the target
        weights there) is the direction of the default class means.
    priors : sequence of float, optional
        Class probabilities (K >= 2 of them, positive, summing to 1); default two equiprobable classes.
    class_means : array_like (K, D), optional
        Latent mean of each class (D the latent dimension); default ``(c - (K - 1) / 2) beta``.
    class_scales : sequence of float, optional
        Latent standard deviation s_c of each class (positive); default 1 for every class (equal
        class covariances).

    Raises
    ------
    ValueError
        For an invalid latent structure (as :class:`LatentModel`), priors, means or scales.

    Examples
    --------
    >>> m = LatentClassificationModel(shared_dim=1, private_dims=(1, 1), obs_dims=(3, 3),
    ...                               priors=(0.5, 0.3, 0.2), class_scales=(0.7, 1.0, 1.5))
    >>> i1, i12 = m.mutual_information("x1", "y"), m.mutual_information(["x1", "x2"], "y")
    >>> bool(0 < i1 < i12 < m.label_entropy), m.pid().measure
    (True, 'imin')
    """

    pid_measures = ("imin", "mmi")
    target_kind = "discrete"

    def __init__(
        self,
        *,
        obs_dims: Sequence[int] = (4, 4),
        shared_dim: int = 2,
        private_dims: Sequence[int] = (2, 2),
        overlap: float = 0.5,
        noise_var: float | Sequence[float] = 0.5,
        shared_weights: ArrayLike | None = None,
        private_weights: Sequence[ArrayLike] | None = None,
        mixing: Sequence[ArrayLike] | None = None,
        mixing_seed: SeedLike = 0,
        priors: Sequence[float] | None = None,
        class_means: ArrayLike | None = None,
        class_scales: Sequence[float] | None = None,
    ) -> None:
        super().__init__(
            obs_dims, shared_dim, private_dims, overlap, noise_var, shared_weights, private_weights, mixing, mixing_seed
        )
        self.priors = self._check_priors(priors)
        k, d = len(self.priors), self.latent_dim
        beta = self.target_weights()
        if class_means is None:
            means = np.outer(np.arange(k) - (k - 1) / 2.0, beta)
        else:
            means = np.asarray(class_means, dtype=float)
            if means.shape != (k, d) or not np.all(np.isfinite(means)):
                raise ValueError(f"`class_means` must be finite with shape ({k}, {d}); got {np.shape(class_means)}")
        self.class_means = means
        scales = np.ones(k) if class_scales is None else np.asarray(class_scales, dtype=float)
        if scales.shape != (k,) or not np.all(np.isfinite(scales)) or np.any(scales <= 0):
            raise ValueError(f"`class_scales` must be {k} positive numbers, one per class; got {class_scales!r}")
        self.class_scales = scales
        self._cov = check_covariance(self._observed_covariance(), "within-class covariance")
        self._means = np.hstack([means, means @ self._loadings.T])  # class means of [z, x]

    @staticmethod
    def _check_priors(priors: Sequence[float] | None) -> np.ndarray:
        p = np.array([0.5, 0.5]) if priors is None else np.asarray(priors, dtype=float)
        if p.ndim != 1 or p.size < 2 or not np.all(np.isfinite(p)) or np.any(p <= 0) or abs(p.sum() - 1) > 1e-9:
            raise ValueError(f"`priors` must be K >= 2 positive probabilities summing to 1; got {priors!r}")
        return p / p.sum()

    @property
    def n_classes(self) -> int:
        """K, the number of classes."""
        return int(self.priors.size)

    @property
    def label_entropy(self) -> float:
        """H(Y) in nats."""
        return float(-np.sum(self.priors * np.log(self.priors)))

    def _equal_scales(self) -> bool:
        return bool(np.all(self.class_scales == self.class_scales[0]))

    def covariance(self, cls: int | None = None) -> np.ndarray:
        """Covariance of [z_shared, z1..zK, x1..xK] within class ``cls`` (None: within a class of scale 1)."""
        if cls is None:
            return self._cov.copy()
        return self._class_covariance(int(cls))

    def _class_covariance(self, c: int) -> np.ndarray:
        lo, s2 = self._loadings, self.class_scales[c] ** 2
        d = self.latent_dim
        cov = self._cov.copy()
        cov[:d, :d] *= s2
        cov[d:, :d] *= s2
        cov[:d, d:] *= s2
        cov[d:, d:] = s2 * lo @ lo.T + (self._cov[d:, d:] - lo @ lo.T)
        return cov

    def class_mean_difference(self) -> np.ndarray:
        """E[v | y=1] - E[v | y=0] for the joint vector v of :meth:`covariance` (two classes)."""
        return self._means[1] - self._means[0]

    def discriminability(self, blocks: BlockNames) -> float:
        """Mahalanobis distance Delta_B between the two class-conditional means of the blocks B (equal scales)."""
        if self.n_classes != 2 or not self._equal_scales():
            raise ValueError("the Mahalanobis distance describes two classes with equal covariances")
        idx = self.block_indices(blocks) if (blocks if isinstance(blocks, str) else list(blocks)) else ()
        if not idx:
            return 0.0
        chol = np.linalg.cholesky(self._class_covariance(0)[np.ix_(idx, idx)])
        half = np.linalg.solve(chol, self.class_mean_difference()[list(idx)])
        return float(math.sqrt(half @ half))

    def _mixture(self, idx: tuple[int, ...]) -> LabelMixture:
        """The class-relevant coordinates of the blocks ``idx`` as a :class:`LabelMixture` (cached per blocks)."""
        cache: dict[tuple[int, ...], LabelMixture] = self.__dict__.setdefault("_mixtures", {})
        if idx not in cache:
            cache[idx] = self._reduced(idx)
        return cache[idx]

    def _reduced(self, idx: tuple[int, ...]) -> LabelMixture:
        """The class-relevant coordinates of the blocks ``idx`` (module docstring)."""
        joint = np.diag(self.priors)
        means = self._means[:, idx]
        covs = np.array([self._class_covariance(c)[np.ix_(idx, idx)] for c in range(self.n_classes)])
        if self._equal_scales():
            whiten = np.linalg.inv(np.linalg.cholesky(covs[0])).T
            centred = (means - means.mean(axis=0)) @ whiten
            basis = whiten @ orth(centred.T) if np.any(centred) else whiten[:, :1]
        else:
            basis = self._block_basis(idx)
        if basis.shape[1] > MAX_DIM:
            raise ValueError(
                f"these blocks have {basis.shape[1]} class-relevant dimensions; the exact quadrature takes at most "
                f"{MAX_DIM} (use fewer latent dimensions or equal class scales)"
            )
        return LabelMixture(joint, means, covs).project(basis)

    def _block_basis(self, idx: tuple[int, ...]) -> np.ndarray:
        """Block-diagonal orthonormal basis: the range of each modality's loadings, every latent coordinate."""
        d, lo = self.latent_dim, self._loadings
        columns = []
        position = {i: j for j, i in enumerate(idx)}
        for name in self.block_names:
            block = [i for i in self._blocks[name] if i in position]
            if not block:
                continue
            rows = [position[i] for i in block]
            local = np.eye(len(block)) if block[0] < d else orth(lo[np.array(block) - d])
            full = np.zeros((len(idx), local.shape[1]))
            full[rows] = local
            columns.append(full)
        return np.hstack(columns)

    def _class_information(self, idx: tuple[int, ...]) -> float:
        """I(Y; X_B) in nats for the (joint) blocks with indices ``idx``."""
        return self._mixture(idx).information if idx else 0.0

    def quadrature_error(self, blocks: BlockNames) -> float:
        """The quadrature error estimate of I(Y; blocks), in nats (see :class:`LabelMixture`)."""
        return self._mixture(self.block_indices(blocks)).error

    def bayes_risk(self, modalities: BlockNames) -> float:
        """Bayes 0-1 error of classifying y from a set of modalities (``1 - max(priors)`` if empty).

        Two classes with equal scales: ``pi_0 Phi(-Delta/2 + t/Delta) + pi_1 Phi(-Delta/2 - t/Delta)``
        with ``t = log(pi_0 / pi_1)`` (Anderson 1958); otherwise by quadrature (error about 1e-3).
        """
        idx = self._modality_indices(modalities)
        if not idx:
            return float(1.0 - self.priors.max())
        if self.n_classes == 2 and self._equal_scales():
            delta = self.discriminability(modalities)
            t = math.log(self.priors[0] / self.priors[1])
            if delta == 0:
                return float(self.priors.min())
            return float(self.priors[0] * ndtr(-delta / 2 + t / delta) + self.priors[1] * ndtr(-delta / 2 - t / delta))
        return self._mixture(idx).bayes_error

    def mutual_information(
        self, a: BlockNames, b: BlockNames, given: BlockNames = (), *, base: float = math.e
    ) -> float:
        """Exact I(A; B | C) where the class y is one of the groups.

        - y in ``a`` or ``b``: ``I(Y; B | C) = I(Y; B, C) - I(Y; C)`` (chain rule), each by the
          quadrature of the module docstring;
        - y in ``given``: ``sum_c pi_c I_c(A; B | C)`` with the Gaussian formula on each class's
          covariance.

        Information between blocks without conditioning on y involves a Gaussian mixture, which
        has no closed form; it raises ``ValueError``.
        """
        groups = [[g] if isinstance(g, str) else list(g) for g in (a, b, given)]
        with_y = [("y" in g) for g in groups]
        if not any(with_y):
            raise ValueError(
                "without conditioning on 'y' the blocks are a Gaussian mixture with no closed-form "
                "information; include 'y' in `a`, `b` or `given`"
            )
        for g in groups:
            if g.count("y") > 1:
                raise ValueError(f"'y' is repeated in {g}")
        if sum(with_y) > 1:
            raise ValueError("'y' must appear in only one of `a`, `b` and `given`")
        stripped = [[n for n in g if n != "y"] for g in groups]
        if with_y[2]:
            ia, ib, ic = self._named_groups(stripped[0], stripped[1], stripped[2])
            per_class = [conditional_mi_nats(self._class_covariance(c), ia, ib, ic) for c in range(self.n_classes)]
            nats = float(np.dot(self.priors, per_class))
            return float(nats) / log_base(base)
        other = stripped[1] if with_y[0] else stripped[0]
        if stripped[0 if with_y[0] else 1]:
            raise ValueError("the group holding 'y' must hold only 'y'")
        ib = self.block_indices(other)
        ic = self.block_indices(stripped[2]) if stripped[2] else ()
        check_disjoint(blocks=ib, given=ic)
        nats = self._class_information(ib + ic) - self._class_information(ic)
        return max(nats, 0.0) / log_base(base)

    def specific_information(self, blocks: BlockNames) -> np.ndarray:
        """I(Y = c; X_B) in nats for each class c (Williams & Beer 2010), by quadrature."""
        return self._mixture(self.block_indices(blocks)).specific_information

    def _pid(
        self, source1: BlockNames, source2: BlockNames, target: BlockNames, measure: str, base: float
    ) -> PIDResult:
        """I_min (from the specific informations) or MMI PID of the class, by quadrature."""
        if (target if isinstance(target, str) else list(target)) not in ("y", ["y"]):
            raise ValueError(f"the target of this model's PID is the class 'y'; got {target!r}")
        mi1, mi2 = self.mutual_information(source1, "y"), self.mutual_information(source2, "y")
        mi12 = self.mutual_information(_joined(source1, source2), "y")
        if measure == "mmi":
            redundancy = min(mi1, mi2)
        else:
            spec = np.minimum(self.specific_information(source1), self.specific_information(source2))
            # the specific informations average to I1, I2 up to the quadrature error: clip that much
            redundancy = min(float(np.dot(self.priors, spec)), mi1, mi2)
        return PIDResult.from_redundancy(redundancy, mi1, mi2, mi12, measure=measure, base=base)

    def __repr__(self) -> str:
        return (
            f"LatentClassificationModel(obs_dims={self.obs_dims}, latent_dim={self.latent_dim}, "
            f"priors={np.round(self.priors, 4).tolist()}, class_scales={self.class_scales.tolist()})"
        )


def _joined(a: BlockNames, b: BlockNames) -> list[str]:
    return ([a] if isinstance(a, str) else list(a)) + ([b] if isinstance(b, str) else list(b))
