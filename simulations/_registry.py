"""One registry of named canonical models, shared by tests, suites and the paper."""

from __future__ import annotations

from collections.abc import Callable

from theory import (
    DiscreteModel,
    GroupAlignedModel,
    LatentClassificationModel,
    LatentModel,
    SpuriousTrendModel,
    StudentTLatentModel,
    mixture_pmf,
)

from ._transforms import MissingModalities, NonlinearMixing

__all__ = ["get_model", "model_names", "register_model"]


def _gauss(overlap: float, k: int = 2) -> LatentModel:
    return LatentModel(obs_dims=(4,) * k, shared_dim=2, private_dims=(2,) * k, overlap=overlap, rng=0)


_REGISTRY: dict[str, Callable[[], object]] = {
    **{f"gauss-2mod-overlap{w}": (lambda w=w: _gauss(float(w))) for w in ("0.0", "0.25", "0.5", "0.75", "1.0")},
    "gauss-3mod-overlap0.5": lambda: _gauss(0.5, k=3),
    "class-2mod-overlap0.5": lambda: LatentClassificationModel(overlap=0.5, rng=0),
    "student-t3-2mod-overlap0.5": lambda: StudentTLatentModel(df=3.0, overlap=0.5, rng=0),
    "asinh-2mod-overlap0.5": lambda: NonlinearMixing(_gauss(0.5), "asinh"),
    "network-2mod-overlap0.5": lambda: NonlinearMixing(_gauss(0.5), "network", rng=0),
    **{name: (lambda name=name: DiscreteModel.canonical(name)) for name in ("xor", "and", "or", "rdn", "unq", "copy")},
    **{f"{name}-noisy-0.1": (lambda name=name: DiscreteModel.canonical(name, 0.1)) for name in ("xor", "and", "or")},
    "mixture-rdn-unq-xor": lambda: DiscreteModel(mixture_pmf({"rdn": 1, "unq": 1, "xor": 1}), "mixture-rdn-unq-xor"),
    "missing-x2-0.3": lambda: MissingModalities(_gauss(0.5), {"x2": 0.3}),
    "spurious-0.8": lambda: SpuriousTrendModel(_gauss(0.5), strength=0.8),
    "aligned-group4-share0.5": lambda: GroupAlignedModel(_gauss(0.5), group_size=4, group_share=0.5),
}


def model_names() -> tuple[str, ...]:
    """Names of the registered canonical models, sorted."""
    return tuple(sorted(_REGISTRY))


def get_model(name: str) -> object:
    """A fresh instance of the registered model ``name`` (e.g. ``"gauss-2mod-overlap0.5"``, ``"xor-noisy-0.1"``).

    Raises
    ------
    ValueError
        If ``name`` is not registered; the message lists the names.
    """
    if name not in _REGISTRY:
        raise ValueError(f"unknown model {name!r}; registered models: {', '.join(model_names())}")
    return _REGISTRY[name]()


def register_model(name: str, factory: Callable[[], object], *, replace: bool = False) -> None:
    """Register ``factory`` (a callable returning a model) under ``name``.

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
    _REGISTRY[name] = factory
