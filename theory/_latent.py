"""Linear-Gaussian latent-structure models of K modalities with a tunable overlap.

Latent blocks: a shared ``z_shared`` in R^{d_s} seen by every modality and a private ``z_k`` in
R^{d_k} per modality, all independent N(0, I). Modality k observes

    x_k = W_k [z_shared; z_k] + eps_k,    eps_k ~ N(0, sigma_k^2 I_{p_k}),
    W_k = [a_k S_k | c_k P_k],

where ``A_k = [S_k | P_k]`` is a mixing matrix (random with orthonormal columns, or given) and
the scales put a fraction ``overlap`` of the modality's signal variance on the shared latents:
``a_k^2 ||S_k||_F^2 = overlap T_k`` and ``c_k^2 ||P_k||_F^2 = (1 - overlap) T_k`` with
``T_k = ||A_k||_F^2``. Overlap 0 makes the modalities independent; overlap 1 makes them noisy
views of the same latents.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from modalinfo.typing import ArrayLike, BlockNames, SeedLike
from modalinfo.validation import check_covariance, check_disjoint, check_int, check_positive, log_base, resolve_rng

from ._gaussian import conditional_mi_nats
from ._pid_gaussian import gaussian_pid
from ._pid_measures import PID_MEASURES
from ._types import ModelBase, PIDResult

__all__ = ["GaussianView", "LatentModel"]


class _Blocks(ModelBase):
    """Named blocks of a joint vector: ``_blocks`` maps names to indices, ``modality_names`` lists x1..xK."""

    _blocks: dict[str, tuple[int, ...]]
    modality_names: tuple[str, ...]

    @property
    def block_names(self) -> tuple[str, ...]:
        """All block names in the order of :meth:`covariance`."""
        return tuple(self._blocks)

    def block_indices(self, blocks: BlockNames) -> tuple[int, ...]:
        """Indices into :meth:`covariance` of one block name or a sequence of them."""
        names = [blocks] if isinstance(blocks, str) else list(blocks)
        out: list[int] = []
        for name in names:
            if name not in self._blocks:
                raise ValueError(f"unknown block {name!r}; the blocks are {list(self._blocks)}")
            if not self._blocks[name]:
                raise ValueError(f"block {name!r} has dimension 0 in this model")
            out.extend(self._blocks[name])
        return tuple(out)

    def _modality_indices(self, modalities: BlockNames) -> tuple[int, ...]:
        names = [modalities] if isinstance(modalities, str) else list(modalities)
        for name in names:
            if name not in self.modality_names:
                raise ValueError(f"`modalities` must be among {self.modality_names}; got {name!r}")
        if len(set(names)) != len(names):
            raise ValueError(f"`modalities` has repeated names: {names}")
        return self.block_indices(names) if names else ()

    def _named_groups(self, a: BlockNames, b: BlockNames, given: BlockNames) -> tuple[tuple[int, ...], ...]:
        ia, ib = self.block_indices(a), self.block_indices(b)
        ic = self.block_indices(given) if (given if isinstance(given, str) else list(given)) else ()
        check_disjoint(a=ia, b=ib, given=ic)
        return ia, ib, ic


class _GaussianBlocks(_Blocks):
    """Exact quantities of a jointly Gaussian vector with named blocks and a scalar target ``y``.

    Subclasses set ``_cov`` (the joint covariance), ``_blocks`` and ``modality_names``.
    """

    _cov: np.ndarray

    def covariance(self) -> np.ndarray:
        """Covariance of the joint vector [z_shared, z1..zK, x1..xK, y] (see :attr:`block_names`)."""
        return self._cov.copy()

    def mutual_information(
        self, a: BlockNames, b: BlockNames, given: BlockNames = (), *, base: float = math.e
    ) -> float:
        """Exact I(A; B | C) between named blocks, e.g. ``("x1", "x2")`` and ``"y"``.

        Gaussian formula of :func:`theory.gaussian_mutual_information` on the model covariance.
        Block names: ``"x1".."xK"``, ``"y"``, ``"z_shared"``, ``"z1".."zK"``; the three groups must
        be disjoint and ``a``, ``b`` non-empty. In the unit of ``base`` (nats by default).
        """
        ia, ib, ic = self._named_groups(a, b, given)
        return conditional_mi_nats(self._cov, ia, ib, ic) / log_base(base)

    def bayes_risk(self, modalities: BlockNames) -> float:
        """Bayes (minimum) mean squared error of predicting y from a set of modalities.

        ``Var(y | x_M) = Var(y) - S_yM S_MM^-1 S_My`` (Gaussian conditioning); ``Var(y)`` for
        the empty set. Never increases as modalities are added.
        """
        im = self._modality_indices(modalities)
        iy = self._blocks["y"][0]
        var_y = self._cov[iy, iy]
        if not im:
            return float(var_y)
        s_mm = self._cov[np.ix_(im, im)]
        s_my = self._cov[list(im), iy]
        chol = np.linalg.cholesky(s_mm)
        half = np.linalg.solve(chol, s_my)
        return float(var_y - half @ half)

    def latent_quality(self, modalities: BlockNames) -> float:
        """Huang et al. (2021, Def. 1) population latent quality of the best encoder on M.

        With linear heads and squared loss, ``eta*_M = Var(y | x_M) - Var(y | x_all)``: the excess
        risk of the best predictor on the modalities in M over the best on all of them.
        """
        return self.bayes_risk(modalities) - self.bayes_risk(self.modality_names)

    pid_measures = tuple(name for name, m in PID_MEASURES.items() if m.gaussian is not None)
    target_kind = "continuous"

    def _pid(
        self, source1: BlockNames, source2: BlockNames, target: BlockNames, measure: str, base: float
    ) -> PIDResult:
        """Exact Gaussian PID of a scalar target (:func:`theory.gaussian_pid`); MMI is exact here for every
        pairwise-marginal PID (Barrett 2015)."""
        return gaussian_pid(
            self._cov,
            self.block_indices(source1),
            self.block_indices(source2),
            self.block_indices(target),
            measure,
            base=base,
        )


class GaussianView(_GaussianBlocks):
    """Exact quantities of a given joint Gaussian covariance with named blocks (a derived model).

    Parameters
    ----------
    cov : ndarray, shape (d, d)
        Joint covariance, validated here.
    blocks : mapping of str to tuple of int
        Block name to its indices in ``cov``; must contain ``"y"``.
    modality_names : tuple of str
        The observed modality blocks, ``("x1", ..., "xK")``.
    """

    def __init__(self, cov: ArrayLike, blocks: dict[str, tuple[int, ...]], modality_names: tuple[str, ...]) -> None:
        self._cov = check_covariance(cov, "derived covariance")
        self._blocks = dict(blocks)
        self.modality_names = tuple(modality_names)


class _LatentStructure(_Blocks):
    """Latent blocks, mixing and loadings shared by the regression and classification models."""

    def __init__(
        self,
        obs_dims: Sequence[int],
        shared_dim: int,
        private_dims: Sequence[int],
        overlap: float,
        noise_var: float | Sequence[float],
        shared_weights: ArrayLike | None,
        private_weights: Sequence[ArrayLike] | None,
        mixing: Sequence[ArrayLike] | None,
        mixing_seed: SeedLike,
    ) -> None:
        if isinstance(obs_dims, (str, bytes)) or not isinstance(obs_dims, Sequence) or len(obs_dims) < 2:
            raise ValueError(f"`obs_dims` must list the dimension of each of K >= 2 modalities; got {obs_dims!r}")
        self.n_modalities = k = len(obs_dims)
        self.modality_names = tuple(f"x{i + 1}" for i in range(k))
        self.obs_dims = tuple(check_int(p, f"obs_dims[{i}]", 1) for i, p in enumerate(obs_dims))
        self.shared_dim = check_int(shared_dim, "shared_dim", 0)
        if isinstance(private_dims, (str, bytes)) or not isinstance(private_dims, Sequence) or len(private_dims) != k:
            raise ValueError(f"`private_dims` must have one entry per modality ({k}); got {private_dims!r}")
        self.private_dims = tuple(check_int(d, f"private_dims[{i}]", 0) for i, d in enumerate(private_dims))
        self.overlap = check_positive(overlap, "overlap", allow_zero=True)
        if self.overlap > 1.0:
            raise ValueError(f"`overlap` must be in [0, 1]; got {overlap!r}")
        if self.overlap > 0 and self.shared_dim == 0:
            raise ValueError(f"`overlap` = {overlap} > 0 needs shared latents; `shared_dim` is 0")
        for i, d in enumerate(self.private_dims):
            if self.overlap < 1 and d == 0:
                raise ValueError(f"`overlap` = {overlap} < 1 needs private latents; `private_dims[{i}]` is 0")
        noise_seq = [noise_var] * k if np.ndim(noise_var) == 0 else list(noise_var)  # type: ignore[arg-type]
        if len(noise_seq) != k:
            raise ValueError(f"`noise_var` must be one variance or one per modality ({k}); got {noise_var!r}")
        self.noise_var = tuple(check_positive(s, f"noise_var[{i}]") for i, s in enumerate(noise_seq))
        self.shared_weights, self.private_weights = self._check_weights(shared_weights, private_weights)
        self.mixing = self._check_mixing(mixing, mixing_seed)
        self._loadings = self._build_loadings()
        # Block layout of the joint vector: z_shared, z1..zK, x1..xK, then y (in subclasses).
        sizes = [("z_shared", self.shared_dim)]
        sizes += [(f"z{i + 1}", d) for i, d in enumerate(self.private_dims)]
        sizes += [(f"x{i + 1}", p) for i, p in enumerate(self.obs_dims)]
        self._blocks: dict[str, tuple[int, ...]] = {}
        start = 0
        for name, size in sizes:
            self._blocks[name] = tuple(range(start, start + size))
            start += size

    @property
    def latent_dim(self) -> int:
        """Total latent dimension D = d_s + sum_k d_k."""
        return self.shared_dim + sum(self.private_dims)

    def loadings(self) -> np.ndarray:
        """The matrix L (sum_k p_k, D) with x = L z + eps, z = [z_shared; z_1; ...; z_K]."""
        return self._loadings.copy()

    def target_weights(self) -> np.ndarray:
        """The target weights beta (D,) = [b_shared; b_1; ...; b_K] on the latent vector."""
        return np.concatenate([self.shared_weights, *self.private_weights])

    def _observed_covariance(self) -> np.ndarray:
        """Covariance of (z, x) given the latents' identity covariance (within a class)."""
        lo = self._loadings
        d = self.latent_dim
        noise = np.concatenate([np.full(p, s) for p, s in zip(self.obs_dims, self.noise_var)])
        cov = np.zeros((d + lo.shape[0],) * 2)
        cov[:d, :d] = np.eye(d)
        cov[d:, :d] = lo
        cov[:d, d:] = lo.T
        cov[d:, d:] = lo @ lo.T + np.diag(noise)
        return cov

    def _check_weights(
        self, shared: ArrayLike | None, private: Sequence[ArrayLike] | None
    ) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
        scale = 1.0 / math.sqrt(max(self.latent_dim, 1))
        b_s = np.full(self.shared_dim, scale) if shared is None else np.asarray(shared, dtype=float)
        if b_s.shape != (self.shared_dim,) or not np.all(np.isfinite(b_s)):
            raise ValueError(f"`shared_weights` must be finite with shape ({self.shared_dim},); got {shared!r}")
        if private is None:
            b_p = tuple(np.full(d, scale) for d in self.private_dims)
        else:
            if not isinstance(private, Sequence) or len(private) != self.n_modalities:
                raise ValueError(f"`private_weights` must have one vector per modality; got {private!r}")
            b_p = tuple(np.asarray(w, dtype=float) for w in private)
            for i, (w, d) in enumerate(zip(b_p, self.private_dims)):
                if w.shape != (d,) or not np.all(np.isfinite(w)):
                    raise ValueError(f"`private_weights[{i}]` must be finite with shape ({d},); got {w!r}")
        return b_s, b_p

    def _check_mixing(self, mixing: Sequence[ArrayLike] | None, seed: SeedLike) -> tuple[np.ndarray, ...]:
        shapes = [(p, self.shared_dim + d) for p, d in zip(self.obs_dims, self.private_dims)]
        if mixing is None:
            gen = resolve_rng(seed, "mixing_seed")
            out = []
            for i, (p, q) in enumerate(shapes):
                if p < q:
                    raise ValueError(
                        f"random orthogonal mixing needs obs_dims[{i}] >= shared_dim + private_dims[{i}] "
                        f"= {q}; got {p}. Pass `mixing` to use a non-square map"
                    )
                qm, r = np.linalg.qr(gen.standard_normal((p, q)))
                out.append(qm * np.sign(np.diag(r)))  # Haar-distributed orthonormal columns
            return tuple(out)
        if isinstance(mixing, (str, bytes)) or not isinstance(mixing, Sequence) or len(mixing) != self.n_modalities:
            raise ValueError(f"`mixing` must be None or one matrix per modality; got {mixing!r}")
        out = []
        for i, (m, shape) in enumerate(zip(mixing, shapes)):
            a = np.asarray(m, dtype=float)
            if a.shape != shape or not np.all(np.isfinite(a)):
                raise ValueError(f"`mixing[{i}]` must be a finite matrix of shape {shape}; got shape {a.shape}")
            if self.overlap > 0 and not np.any(a[:, : self.shared_dim]):
                raise ValueError(f"`mixing[{i}]` has zero shared columns, so `overlap` > 0 cannot be met")
            if self.overlap < 1 and not np.any(a[:, self.shared_dim :]):
                raise ValueError(f"`mixing[{i}]` has zero private columns, so `overlap` < 1 cannot be met")
            out.append(a)
        return tuple(out)

    def _build_loadings(self) -> np.ndarray:
        ds = self.shared_dim
        lo = np.zeros((sum(self.obs_dims), self.latent_dim))
        row, col = 0, ds
        for a, p, d in zip(self.mixing, self.obs_dims, self.private_dims):
            shared, private = a[:, :ds], a[:, ds:]
            total = float(np.sum(a**2))
            if self.overlap > 0:
                lo[row : row + p, :ds] = shared * math.sqrt(self.overlap * total / np.sum(shared**2))
            if self.overlap < 1:
                lo[row : row + p, col : col + d] = private * math.sqrt((1 - self.overlap) * total / np.sum(private**2))
            row, col = row + p, col + d
        return lo


class LatentModel(_LatentStructure, _GaussianBlocks):
    """Linear-Gaussian latent-structure model with a regression target.

    ``y = b_s . z_shared + sum_k b_k . z_k + e``, ``e ~ N(0, target_noise_var)``; the modalities are
    as in the module docstring. Every quantity is exact (closed form from the covariance).

    Parameters
    ----------
    obs_dims : sequence of int
        Dimension p_k of each of the K >= 2 modalities.
    shared_dim : int
        Dimension d_s of the shared latent block (0 only with ``overlap=0``).
    private_dims : sequence of int
        Dimension d_k of each private block (0 only with ``overlap=1``).
    overlap : float in [0, 1]
        Fraction of each modality's signal variance carried by the shared latents.
    noise_var : float or sequence of float
        Observation noise variance sigma_k^2 > 0, one for all or one per modality.
    shared_weights, private_weights : array_like, optional
        Target weights b_s (d_s,) and b_k (d_k,); default ``1/sqrt(D)`` each, so Var(signal) = 1.
    target_noise_var : float
        Variance of e, > 0.
    mixing : sequence of array_like, optional
        Matrices A_k of shape (p_k, d_s + d_k); default random with orthonormal columns.
    mixing_seed : None, int, SeedSequence or Generator, default 0
        Seed of the random mixing (ignored when ``mixing`` is given): it fixes the model, so a
        fixed default keeps ``LatentModel()`` one model.

    All parameters are keyword-only.

    Raises
    ------
    ValueError
        If a dimension, variance, weight or mixing matrix is invalid or inconsistent with the
        overlap.
    """

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
        target_noise_var: float = 0.5,
        mixing: Sequence[ArrayLike] | None = None,
        mixing_seed: SeedLike = 0,
    ) -> None:
        super().__init__(
            obs_dims, shared_dim, private_dims, overlap, noise_var, shared_weights, private_weights, mixing, mixing_seed
        )
        self.target_noise_var = check_positive(target_noise_var, "target_noise_var")
        beta = self.target_weights()
        inner = self._observed_covariance()
        d = inner.shape[0]
        cov = np.zeros((d + 1, d + 1))
        cov[:d, :d] = inner
        cross = np.concatenate([beta, self._loadings @ beta])
        cov[d, :d] = cov[:d, d] = cross
        cov[d, d] = beta @ beta + self.target_noise_var
        self._cov = check_covariance(cov)
        self._blocks["y"] = (d,)
