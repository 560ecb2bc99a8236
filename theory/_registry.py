"""One registry of named canonical models, shared by tests, suites and the paper.

Each factory imports its model class when called, so that listing the names and descriptions
(``modalinfo models``) loads neither scipy nor numba.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._latent import LatentModel
    from ._types import ExactModel

__all__ = ["get_model", "model_description", "model_names", "register_model"]


def _gauss(overlap: float, k: int = 2) -> LatentModel:
    from ._latent import LatentModel

    return LatentModel(obs_dims=(4,) * k, shared_dim=2, private_dims=(2,) * k, overlap=overlap, mixing_seed=0)


def _class(**kwargs: Any) -> ExactModel:
    from ._classification import LatentClassificationModel

    return LatentClassificationModel(**kwargs)


def _student() -> ExactModel:
    from ._student import StudentTLatentModel

    return StudentTLatentModel(df=3.0, overlap=0.5, mixing_seed=0)


def _mixing(kind: str) -> ExactModel:
    from ._wrappers import NonlinearMixing

    return NonlinearMixing(_gauss(0.5), kind)


def _canonical(name: str, **kwargs: Any) -> ExactModel:
    from ._discrete_model import DiscreteModel

    return DiscreteModel.canonical(name, **kwargs)


def _mixture() -> ExactModel:
    from ._canonical import mixture_pmf
    from ._discrete_model import DiscreteModel

    return DiscreteModel(mixture_pmf({"rdn": 1, "unq": 1, "xor": 1}), name="mixture-rdn-unq-xor")


def _clusters(name: str, **kwargs: Any) -> ExactModel:
    from ._clusters import SymbolClusterModel

    return SymbolClusterModel.canonical(name, **kwargs)


def _missing() -> ExactModel:
    from ._wrappers import MissingModalities

    return MissingModalities(_gauss(0.5), {"x2": 0.3})


def _spurious() -> ExactModel:
    from ._spurious import SpuriousTrendModel

    return SpuriousTrendModel(_gauss(0.5), strength=0.8)


def _aligned() -> ExactModel:
    from ._alignment import GroupAlignedModel

    return GroupAlignedModel(_gauss(0.5), group_size=4, group_share=0.5)


_GAUSS = "linear-Gaussian latent model, 2 shared + 2 private latents per modality, 4 dims each"
_REGISTRY: dict[str, tuple[Callable[[], ExactModel], str]] = {
    **{
        f"gauss-2mod-overlap{w}": (partial(_gauss, float(w)), f"{_GAUSS}, overlap {w}")
        for w in ("0.0", "0.25", "0.5", "0.75", "1.0")
    },
    "gauss-3mod-overlap0.5": (lambda: _gauss(0.5, k=3), f"three modalities: {_GAUSS}, overlap 0.5"),
    "class-2mod-overlap0.5": (
        partial(_class, overlap=0.5, mixing_seed=0),
        "binary class shifting the latent means; 0-1 Bayes error, exact class information",
    ),
    "student-t3-2mod-overlap0.5": (
        _student,
        "the Gaussian model with multivariate Student-t tails (df 3)",
    ),
    "asinh-2mod-overlap0.5": (
        partial(_mixing, "asinh"),
        "the Gaussian model seen through elementwise asinh (information unchanged)",
    ),
    "network-2mod-overlap0.5": (
        partial(_mixing, "network"),
        "the Gaussian model seen through an invertible leaky-ReLU network (information unchanged)",
    ),
    **{
        name: (partial(_canonical, name), f"canonical PID distribution {name.upper()}")
        for name in ("xor", "and", "or", "rdn", "unq", "copy")
    },
    **{
        f"{name}-noisy-0.1": (
            partial(_canonical, name, noise_prob=0.1),
            f"{name.upper()} with the target resampled uniformly with probability 0.1",
        )
        for name in ("xor", "and", "or")
    },
    "mixture-rdn-unq-xor": (
        _mixture,
        "equal mixture of RDN, UNQ and XOR: every PID atom present",
    ),
    **{
        f"clusters-{name}": (
            partial(_clusters, name),
            f"{name.upper()} symbols as separated clusters in 8 + 8 dimensions: the discrete PID, exactly",
        )
        for name in ("and", "copy", "rdn+unq+xor")
    },
    **{
        f"clusters-{name}-overlap": (
            partial(_clusters, name, noise="gaussian", separation=2.0, noise_scale=1.0),
            f"{name.upper()} symbols as overlapping Gaussian clusters (separation 2 sd): PID computed numerically",
        )
        for name in ("and", "copy", "rdn+unq+xor")
    },
    "class-3-unequal": (
        partial(
            _class,
            obs_dims=(6, 6),
            shared_dim=1,
            private_dims=(1, 1),
            priors=(0.5, 0.3, 0.2),
            class_means=[[0.0, 1.6, 0.0], [0.0, 0.0, 1.6], [1.6, 0.0, 0.0]],  # class 0 in z1, 1 in z2, 2 in z_shared
            class_scales=(0.7, 1.0, 1.4),
        ),
        "three classes (priors 0.5/0.3/0.2, latent scales 0.7/1/1.4), each modality telling a different pair apart: "
        "exact information by quadrature, I_min below MMI",
    ),
    "missing-x2-0.3": (
        _missing,
        "the Gaussian model with x2 missing completely at random in 30% of rows",
    ),
    "spurious-0.8": (
        _spurious,
        "a feature of x1 tracking y (r = 0.8) in training rows only; exact per split",
    ),
    "aligned-group4-share0.5": (
        _aligned,
        "x2 paired within groups of 4 sharing half their latent variance",
    ),
}


def model_names() -> tuple[str, ...]:
    """Names of the registered canonical models, sorted."""
    return tuple(sorted(_REGISTRY))


def _check_name(name: str) -> None:
    if name not in _REGISTRY:
        raise ValueError(f"unknown model {name!r}; registered models: {', '.join(model_names())}")


def get_model(name: str) -> ExactModel:
    """A fresh instance of the registered model ``name`` (e.g. ``"gauss-2mod-overlap0.5"``, ``"xor-noisy-0.1"``).

    Raises
    ------
    ValueError
        If ``name`` is not registered; the message lists the names.

    Examples
    --------
    >>> round(get_model("xor").mutual_information(["x1", "x2"], "y", base=2), 6)
    1.0
    """
    _check_name(name)
    return _REGISTRY[name][0]()


def model_description(name: str) -> str:
    """The one-line description of the registered model ``name``."""
    _check_name(name)
    return _REGISTRY[name][1]


def register_model(
    name: str, factory: Callable[[], ExactModel], *, description: str = "", replace: bool = False
) -> None:
    """Register ``factory`` (a callable returning an :class:`ExactModel`) under ``name``.

    Raises
    ------
    ValueError
        If ``name`` is not a non-empty string, ``factory`` is not callable, or the name is taken
        and ``replace`` is False.
    """
    if not isinstance(name, str) or not name:
        raise ValueError(f"`name` must be a non-empty string; got {name!r}")
    if not callable(factory):
        raise ValueError(f"`factory` must be callable; got {factory!r}")
    if name in _REGISTRY and not replace:
        raise ValueError(f"model {name!r} is already registered; pass replace=True to replace it")
    _REGISTRY[name] = (factory, str(description))
