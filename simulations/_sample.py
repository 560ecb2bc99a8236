"""``sample(model, n, rng)``: draw n instances of any model of theory/ (or a wrapper of one).

Gaussian blocks are drawn by numpy's generators, one spawned stream per fixed chunk of rows,
filled from a thread pool and mixed by BLAS; numba kernels do the rest (discrete draws, masks,
group pairing, the spurious column, invertible maps). See ``_streams`` for the reproducibility
rule: the same seed gives bit-identical samples whatever the number of threads.
"""

from __future__ import annotations

import math
from functools import partial, singledispatch

import numpy as np

from modalinfo.theory import (
    DiscreteModel,
    ExactModel,
    GroupAlignedModel,
    LatentClassificationModel,
    LatentModel,
    MissingModalities,
    NonlinearMixing,
    SpuriousTrendModel,
    StudentTLatentModel,
    SymbolClusterModel,
    get_model,
)
from modalinfo.typing import SeedLike
from modalinfo.validation import check_int, resolve_rng

from ._kernels import (
    MAP_CODES,
    bias_leaky_relu,
    categorical_triples,
    elementwise_map,
    group_shift,
    mask_rows,
    spurious_column,
)
from ._streams import for_chunks, run_chunks

__all__ = ["sample"]

Samples = dict[str, np.ndarray]


def sample(model: ExactModel | str, n: int, rng: SeedLike = None) -> Samples:
    """Draw ``n`` independent instances of a model (groups of instances for group alignment).

    Parameters
    ----------
    model : theory model or simulations wrapper
        :class:`theory.LatentModel`, :class:`theory.StudentTLatentModel`,
        :class:`theory.LatentClassificationModel`, :class:`theory.DiscreteModel`,
        :class:`theory.GroupAlignedModel`, :class:`theory.SpuriousTrendModel`,
        :class:`theory.NonlinearMixing` or :class:`theory.MissingModalities` (wrappers nest), or a
        registry name (:func:`theory.get_model`).
    n : int
        Number of rows, >= 1 (a multiple of the group size for group alignment; >= 2 for a
        spurious trend, which needs a train and a test row).
    rng : None, int, SeedSequence or Generator
        Source of randomness, resolved with ``numpy.random.default_rng``; a Generator is advanced.

    Returns
    -------
    dict of str to ndarray
        Block name to an array of shape (n, d): ``"z_shared"``, ``"z1".."zK"`` (latents of
        positive dimension), ``"x1".."xK"``, ``"y"`` (float; int64 labels for classification and
        discrete models), plus ``"mask"`` (bool (n, K), True = observed) for missing modalities and
        ``"test"`` (bool (n, 1)) for a spurious trend.

    Raises
    ------
    ValueError
        If the model is not supported or ``n`` is invalid for it.

    Examples
    --------
    >>> from modalinfo.theory import LatentModel
    >>> s = sample(LatentModel(overlap=0.5), 1000, rng=0)
    >>> sorted(s), s["x1"].shape
    (['x1', 'x2', 'y', 'z1', 'z2', 'z_shared'], (1000, 4))
    """
    if isinstance(model, str):
        model = get_model(model)
    n = check_int(n, "n", 1)
    return _sample(model, n, resolve_rng(rng))


@singledispatch
def _sample(model: object, n: int, gen: np.random.Generator) -> Samples:
    supported = ", ".join(sorted(t.__name__ for t in _sample.registry if t is not object))
    raise ValueError(f"`model` must be one of {supported} or a registry name; got {type(model).__name__}")


#: ``@register_sampler(ModelType)`` on ``f(model, n, gen) -> dict of (n, d) arrays`` teaches
#: :func:`sample` a new model type (a :class:`theory.ExactModel`).
register_sampler = _sample.register


def _latent_sampler(model, n, gen, *, df=None, adjust=None) -> Samples:
    """Gaussian (or Student-t) latent-structure sample; ``adjust(out, a, b)`` edits chunk latents."""
    classify = isinstance(model, LatentClassificationModel)
    latent = [("z_shared", model.shared_dim)] + [(f"z{k + 1}", d) for k, d in enumerate(model.private_dims)]
    offsets = np.cumsum([0] + [d for _, d in latent])
    beta, lo = model.target_weights(), model.loadings()
    out = {name: np.empty((n, d)) for name, d in latent if d > 0}
    rows = np.cumsum([0, *model.obs_dims])
    mixes = []  # per modality: (name, noise sd, [(latent name, (d, p) matrix)])
    for k, name in enumerate(model.modality_names):
        out[name] = np.empty((n, model.obs_dims[k]))
        parts = []
        for (zname, d), c0 in zip(latent, offsets):
            block = lo[rows[k] : rows[k + 1], c0 : c0 + d]
            if d > 0 and np.any(block):
                parts.append((zname, np.ascontiguousarray(block.T)))
        mixes.append((name, math.sqrt(model.noise_var[k]), parts))
    weights = [(zname, beta[c0 : c0 + d]) for (zname, d), c0 in zip(latent, offsets) if d > 0]
    out["y"] = np.empty((n, 1), dtype=np.int64 if classify else float)

    scales = np.empty(n) if df is not None else None

    if classify:  # the class's latent mean and scale, per latent block
        cdf = np.cumsum(model.priors)
        shifts = {zname: model.class_means[:, c0 : c0 + d] for (zname, d), c0 in zip(latent, offsets) if d > 0}

    def draw(a: int, b: int, g: np.random.Generator) -> None:
        """Random phase (threads): labels, latents, scaled noise, t scales."""
        if classify:
            labels = np.minimum(np.searchsorted(cdf, g.random(b - a), side="right"), cdf.size - 1)
            out["y"][a:b, 0] = labels
        for zname, _ in weights:
            g.standard_normal(out=out[zname][a:b])
        if adjust is not None:
            adjust(out, a, b)
        if classify:
            for zname, _ in weights:
                out[zname][a:b] *= model.class_scales[labels, None]
                out[zname][a:b] += shifts[zname][labels]
        for name, sd, _ in mixes:
            g.standard_normal(out=out[name][a:b])
            out[name][a:b] *= sd
        if not classify:
            g.standard_normal(out=out["y"][a:b, 0])
            out["y"][a:b] *= math.sqrt(model.target_noise_var)
        if scales is not None:
            scales[a:b] = np.sqrt(df / g.chisquare(df, size=b - a))

    def mix(a: int, b: int) -> None:
        """Deterministic phase (serial chunks, BLAS threads): mixing, target, t scaling."""
        for name, _, parts in mixes:
            for zname, mat in parts:
                out[name][a:b] += out[zname][a:b] @ mat
        if not classify:
            for zname, w in weights:
                out["y"][a:b, 0] += out[zname][a:b] @ w
        if scales is not None:
            for arr in out.values():
                arr[a:b] *= scales[a:b, None]

    # Random draws run on a thread pool; the matrix products run on the calling thread so that
    # BLAS threads and sampler threads never oversubscribe the cores.
    run_chunks(gen, n, draw)
    for_chunks(n, lambda a, b, _c: mix(a, b), threads=1)
    return out


@_sample.register
def _(model: LatentModel, n: int, gen: np.random.Generator) -> Samples:
    return _latent_sampler(model, n, gen, df=model.df if isinstance(model, StudentTLatentModel) else None)


@_sample.register
def _(model: LatentClassificationModel, n: int, gen: np.random.Generator) -> Samples:
    return _latent_sampler(model, n, gen)


@_sample.register
def _(model: GroupAlignedModel, n: int, gen: np.random.Generator) -> Samples:
    g = model.group_size
    if g == 1:
        return _sample(model.model, n, gen)
    if n % g:
        raise ValueError(f"`n` must be a multiple of the group size {g}; got {n}")
    base, rho = model.model, model.group_share
    groups = n // g
    group_gen, shift_gen = gen.spawn(2)
    group_latents = {
        name: group_gen.standard_normal((groups, d))
        for name, d in [("z_shared", base.shared_dim)] + [(f"z{k + 1}", d) for k, d in enumerate(base.private_dims)]
        if d > 0
    }

    def adjust(out: Samples, a: int, b: int) -> None:
        member_of = np.arange(a, b) // g
        for name, shared in group_latents.items():
            z = out[name][a:b]
            z *= math.sqrt(1.0 - rho)
            z += math.sqrt(rho) * shared[member_of]

    out = _latent_sampler(base, n, gen, adjust=adjust)
    offsets = shift_gen.integers(1, g, size=groups)
    out[model.moved] = group_shift(out[model.moved], offsets, g)
    return out


@_sample.register
def _(model: SpuriousTrendModel, n: int, gen: np.random.Generator) -> Samples:
    if n < 2:
        raise ValueError(f"`n` must be >= 2 for a spurious trend (one train and one test row); got {n}")
    n_test = min(max(round(model.test_fraction * n), 1), n - 1)
    out = _sample(model.model, n, gen)
    noise = gen.spawn(1)[0].standard_normal(n)
    x = out[model.modality]
    column = np.empty(n)
    scale = math.sqrt(model.model.covariance()[-1, -1])
    spurious_column(out["y"][:, 0], noise, model.strength, scale, n - n_test, column)
    out[model.modality] = np.concatenate([x, column[:, None]], axis=1)
    test = np.zeros((n, 1), dtype=bool)
    test[n - n_test :] = True
    out["test"] = test
    return out


@_sample.register
def _(model: DiscreteModel, n: int, gen: np.random.Generator) -> Samples:
    _, n2, ny = model.shape
    cdf = np.cumsum(model.pmf().ravel())
    cdf /= cdf[-1]
    out = {name: np.empty((n, 1), dtype=np.int64) for name in ("x1", "x2", "y")}

    def fill(a: int, b: int, g: np.random.Generator) -> None:
        categorical_triples(g.random(b - a), cdf, n2, ny, out["x1"][a:b, 0], out["x2"][a:b, 0], out["y"][a:b, 0])

    run_chunks(gen, n, fill)
    return out


@_sample.register
def _(model: SymbolClusterModel, n: int, gen: np.random.Generator) -> Samples:
    pmf = model.pmf()
    _, n2, ny = pmf.shape
    cdf = np.cumsum(pmf.ravel())
    cdf /= cdf[-1]
    symbols = [np.empty(n, dtype=np.int64) for _ in range(2)]
    out = {"x1": np.empty((n, model.dims[0])), "x2": np.empty((n, model.dims[1])), "y": np.empty((n, 1), np.int64)}

    def fill(a: int, b: int, g: np.random.Generator) -> None:
        categorical_triples(g.random(b - a), cdf, n2, ny, symbols[0][a:b], symbols[1][a:b], out["y"][a:b, 0])
        for k, name in enumerate(("x1", "x2")):
            noise = g.standard_normal((b - a, model.dims[k]))
            if model.noise == "ball":  # uniform in the ball: a uniform direction, radius r U^(1/d)
                radius = model.noise_scale * g.random(b - a) ** (1.0 / model.dims[k])
                noise *= (radius / np.linalg.norm(noise, axis=1))[:, None]
            else:
                noise *= model.noise_scale
            out[name][a:b] = model.centres[k][symbols[k][a:b]] + noise

    run_chunks(gen, n, fill)
    return out


@_sample.register
def _(model: NonlinearMixing, n: int, gen: np.random.Generator) -> Samples:
    out = _sample(model.model, n, gen)
    for name, kind in model.maps.items():
        x = out[name]
        if kind in MAP_CODES:
            for_chunks(n, partial(_elementwise, x, MAP_CODES[kind]))
        elif kind == "network":
            for_chunks(n, partial(_network, x, model.layers[name], model.slope))
    return out


def _elementwise(x: np.ndarray, code: int, a: int, b: int, _chunk: int) -> None:
    elementwise_map(x[a:b], code)


def _network(
    x: np.ndarray, layers: list[tuple[np.ndarray, np.ndarray]], slope: float, a: int, b: int, _chunk: int
) -> None:
    h = x[a:b]
    for w, bias in layers:
        h = h @ w.T
        bias_leaky_relu(h, bias, slope)
    x[a:b] = h


@_sample.register
def _(model: MissingModalities, n: int, gen: np.random.Generator) -> Samples:
    out = _sample(model.model, n, gen)
    names = model.model.modality_names
    mask = np.ones((n, len(names)), dtype=bool)
    keep = [(k, name, 1.0 - model.missing[name]) for k, name in enumerate(names) if model.missing[name] > 0]

    def fill(a: int, b: int, g: np.random.Generator) -> None:
        for k, name, p in keep:
            mask[a:b, k] = mask_rows(g.random(b - a), p, out[name][a:b])

    if keep:
        run_chunks(gen, n, fill)
    out["mask"] = mask
    return out
