"""Models that wrap another: what a sample looks like changes, the exact quantities are those of the wrapped model.

- :class:`NonlinearMixing`: each modality passes through an invertible map after its noise, so
  every mutual information involving it, and the Bayes risk of y given it, are unchanged.
- :class:`MissingModalities`: each modality is missing completely at random with a given
  probability; the sample gains a ``"mask"`` and the unseen rows are zero-filled.

The classes hold the exact side (the :class:`ExactModel` contract, forwarded) and the fixed
parameters of the wrapper (the maps and the network weights, drawn once from ``network_seed``);
``simulations.sample`` draws them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from modalinfo.typing import BlockNames, SeedLike
from modalinfo.validation import resolve_rng

from ._alignment import GroupAlignedModel
from ._classification import LatentClassificationModel
from ._latent import LatentModel
from ._types import ExactModel, ModelBase, PIDResult

__all__ = ["ELEMENTWISE_MAPS", "MissingModalities", "NonlinearMixing"]

#: The elementwise invertible maps of :class:`NonlinearMixing`, in the order of the sampler's kernel codes.
ELEMENTWISE_MAPS = ("asinh", "halfcube", "cube", "wiggly")
MAPS = (*ELEMENTWISE_MAPS, "network")


class _Wrapper(ModelBase):
    """Forwards the :class:`theory.ExactModel` contract (and ``latent_quality``) to the wrapped model."""

    def __init__(self, model: ExactModel) -> None:
        if not isinstance(model, ExactModel):
            raise ValueError(f"`model` must meet theory.ExactModel; got {type(model).__name__}")
        self.model = model
        self.pid_measures = model.pid_measures

    @property
    def block_names(self) -> tuple[str, ...]:
        """The wrapped model's blocks."""
        return self.model.block_names

    @property
    def modality_names(self) -> tuple[str, ...]:
        """The wrapped model's modalities."""
        return self.model.modality_names

    @property
    def target_kind(self) -> str:
        """The wrapped model's kind of target."""
        return self.model.target_kind

    def mutual_information(
        self, a: BlockNames, b: BlockNames, given: BlockNames = (), *, base: float = math.e
    ) -> float:
        """Exact I(A; B | C) of the wrapped model (unchanged by the wrapper)."""
        return self.model.mutual_information(a, b, given, base=base)

    def bayes_risk(self, modalities: BlockNames) -> float:
        """Bayes risk of the wrapped model (unchanged by the wrapper)."""
        return self.model.bayes_risk(modalities)

    def _pid(
        self, source1: BlockNames, source2: BlockNames, target: BlockNames, measure: str, base: float
    ) -> PIDResult:
        """Exact PID of the wrapped model (unchanged by the wrapper)."""
        return self.model.pid(source1, source2, target, measure=measure, base=base)

    def __getattr__(self, name: str) -> object:
        if name == "latent_quality" and hasattr(self.model, name):
            return getattr(self.model, name)
        raise AttributeError(f"{type(self).__name__!r} has no attribute {name!r}")


class NonlinearMixing(_Wrapper):
    """Modalities observed through invertible maps: ``x_k -> f_k(x_k)`` after the noise.

    Because ``f_k`` is invertible (a bijection of R^{p_k}), ``I(f(X); B) = I(X; B)`` for every
    block B and ``E[y | f(x)] = E[y | x]``: the wrapped model's exact information, PID and Bayes
    risk are the truth (Kraskov et al. 2004, eq. 1; Czyz et al. 2023 use the same construction).
    Maps (Czyz et al. 2023, "bmi" transforms):

    - ``"asinh"``, ``"halfcube"`` (``t |t|^{1/2}``), ``"cube"``, ``"wiggly"`` (``t + 0.4 sin t``):
      elementwise;
    - ``"network"``: ``depth`` layers ``h <- leaky_relu(W h + b)`` with slope ``slope``, W square
      with singular values in [0.5, 1.5] (condition number <= 3) and ``b ~ N(0, 0.1^2)``.

    Parameters
    ----------
    model : LatentModel, StudentTLatentModel, LatentClassificationModel or GroupAlignedModel
        The model whose modalities are transformed.
    maps : str or sequence of str
        One map for every modality or one per modality (``"identity"`` leaves one unchanged).
    depth : int, default 2
        Layers of the ``"network"`` map.
    slope : float in (0, 1), default 0.2
        Negative slope of the leaky ReLU.
    network_seed : None, int, SeedSequence or Generator, default 0
        Seed of the network weights (ignored for elementwise maps); it fixes the maps.

    Raises
    ------
    ValueError
        For an unsupported model, an unknown map, a wrong number of maps, depth < 1 or a slope
        outside (0, 1).
    """

    def __init__(
        self,
        model: ExactModel,
        maps: str | Sequence[str] = "asinh",
        *,
        depth: int = 2,
        slope: float = 0.2,
        network_seed: SeedLike = 0,
    ) -> None:
        if not isinstance(model, (LatentModel, LatentClassificationModel, GroupAlignedModel)):
            raise ValueError(
                "`model` must be a LatentModel, StudentTLatentModel, LatentClassificationModel or "
                f"GroupAlignedModel; got {type(model).__name__}"
            )
        super().__init__(model)
        names = model.modality_names
        seq = [maps] * len(names) if isinstance(maps, str) else list(maps)
        if len(seq) != len(names):
            raise ValueError(f"`maps` must be one name or one per modality ({len(names)}); got {maps!r}")
        for m in seq:
            if m not in (*MAPS, "identity"):
                raise ValueError(f"`maps` entries must be among {(*MAPS, 'identity')}; got {m!r}")
        if isinstance(depth, bool) or not isinstance(depth, (int, np.integer)) or depth < 1:
            raise ValueError(f"`depth` must be an integer >= 1; got {depth!r}")
        if not 0.0 < float(slope) < 1.0:
            raise ValueError(f"`slope` must be in (0, 1); got {slope!r}")
        self.maps = dict(zip(names, seq))
        self.depth, self.slope = int(depth), float(slope)
        gen = resolve_rng(network_seed, "network_seed")
        obs_dims = model.model.obs_dims if isinstance(model, GroupAlignedModel) else model.obs_dims
        dims = dict(zip(names, obs_dims))
        self.layers = {name: self._network(dims[name], gen) for name, m in self.maps.items() if m == "network"}

    def _network(self, p: int, gen: np.random.Generator) -> list[tuple[np.ndarray, np.ndarray]]:
        layers = []
        for _ in range(self.depth):
            u, _r = np.linalg.qr(gen.standard_normal((p, p)))
            v, _r = np.linalg.qr(gen.standard_normal((p, p)))
            w = (u * gen.uniform(0.5, 1.5, p)) @ v.T
            layers.append((w, 0.1 * gen.standard_normal(p)))
        return layers

    def __repr__(self) -> str:
        return f"NonlinearMixing({self.model!r}, maps={self.maps})"


class MissingModalities(_Wrapper):
    """Modalities missing completely at random (MCAR), independently per modality and instance.

    A sample gains ``"mask"``, a boolean array (n, K) whose column k says whether ``x_k`` was
    observed; the rows of an unobserved modality are set to 0, so no array holds NaN and a learner
    that ignores the mask cannot see the hidden values. Rows may miss every modality. The exact
    quantities forwarded from the wrapped model describe the complete data; the observed values
    equal those of ``sample(model, n, rng)`` with the same seed.

    Parameters
    ----------
    model : a theory model
        The model of the complete data.
    missing : mapping of str to float
        Missing probability in [0, 1) per modality name; modalities not listed are always seen.

    Raises
    ------
    ValueError
        If a name is not a modality of the model or a probability is outside [0, 1).
    """

    def __init__(self, model: ExactModel, missing: Mapping[str, float]) -> None:
        super().__init__(model)
        names = model.modality_names
        if not isinstance(missing, Mapping):
            raise ValueError(f"`missing` must map modality names to probabilities; got {missing!r}")
        for name, frac in missing.items():
            if name not in names:
                raise ValueError(f"`missing` keys must be modalities {names}; got {name!r}")
            if not (isinstance(frac, (int, float, np.floating)) and 0.0 <= float(frac) < 1.0):
                raise ValueError(f"`missing[{name!r}]` must be a probability in [0, 1); got {frac!r}")
        self.missing = {name: float(missing.get(name, 0.0)) for name in names}

    def __repr__(self) -> str:
        return f"MissingModalities({self.model!r}, missing={self.missing})"
