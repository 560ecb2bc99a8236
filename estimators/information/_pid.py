"""Partial information decomposition of I(Y; X1, X2) from samples: the registry ``PID_METHODS`` and ``pid``.

- ``"discrete"``: the plug-in pmf of the label triples, decomposed exactly by
  :func:`theory.discrete_pid` (BROJA with a certified optimum, I_min, MMI) (``_pid_counts``);
- ``"posterior"``: continuous modalities and a class label: the PID of the cross-fitted class
  posteriors, sufficient statistics of each modality for the label; totals are the usable
  informations of the same call, the redundancy from BROJA on coarse-grained posteriors, I_min's
  specific informations, or MMI (``_pid_posterior``);
- ``"gaussian"``: the estimate of :func:`theory.gaussian_pid` (MMI, ~G or I_dep, any block
  dimensions) for Gaussian data: bias-corrected informations and, for ~G and I_dep, a redundancy
  whose bias is removed by a parametric bootstrap (``_pid_gaussian``);
- ``"copula"``: the same on normal scores of every column (rank-based, for non-Gaussian
  marginals: embeddings, rates);
- ``"discretize"``: each continuous block clustered into ``bins`` groups (k-means++, as Liang et
  al. 2023 do), then the plug-in (``_pid_counts``);
- ``"auto"``: ``"discrete"`` when every input is a label, ``"posterior"`` for a class label with
  continuous modalities, ``"gaussian"`` for a continuous target and a Gaussian measure,
  ``"discretize"`` otherwise.
"""

from __future__ import annotations

import copy
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from types import MappingProxyType

import numpy as np

from modalinfo.estimators._resample import centred_interval, resample_rows
from modalinfo.estimators._types import Decomposition, PIDEstimate, PIDMethod
from modalinfo.theory import PID_ATOMS, PID_MEASURES, PID_TOTALS, PIDResult
from modalinfo.typing import ArrayLike, SeedLike
from modalinfo.validation import check_level, check_n_resamples, check_same_n, log_base, resolve_rng

from ._inputs import looks_like_labels
from ._pid_counts import clustered_pid, plugin_pid
from ._pid_gaussian import gaussian_decomposition
from ._pid_posterior import cells, posterior_decomposition, posteriors

__all__ = ["PID_METHODS", "pid"]

_DISCRETE = tuple(name for name, m in PID_MEASURES.items() if m.discrete is not None)
_GAUSSIAN = tuple(name for name, m in PID_MEASURES.items() if m.gaussian is not None)
_NAMES = ("x1", "x2", "y")
#: Clusters per continuous block of ``"discretize"`` when ``bins`` is not given.
CLUSTERS = 8


@dataclass(frozen=True)
class _Options:
    """What a method's implementation receives besides the data and the measure."""

    bins: int | None
    bias_draws: int
    gen: np.random.Generator
    probe: object


def _resampled(fn: Callable[[tuple[np.ndarray, ...], str, _Options], PIDResult]) -> Callable[..., Decomposition]:
    """A method whose resamples are decomposed afresh from the resampled rows (no bias correction there)."""

    def decompose(arrays: tuple[np.ndarray, ...], measure: str, options: _Options) -> Decomposition:
        plain = replace(options, bias_draws=0)  # resamples give the spread only
        return Decomposition(
            fn(arrays, measure, options), lambda rows: fn(tuple(a[rows] for a in arrays), measure, plain)
        )

    return decompose


def _bins(options: _Options, default: int) -> int:
    bins = default if options.bins is None else options.bins
    if not isinstance(bins, (int, np.integer)) or isinstance(bins, bool) or bins < 2:
        raise ValueError(f"`bins` must be an integer >= 2; got {bins!r}")
    return int(bins)


@_resampled
def _discrete(arrays: tuple[np.ndarray, ...], measure: str, options: _Options) -> PIDResult:
    return plugin_pid(arrays, measure, CLUSTERS, options.gen)


@_resampled
def _discretize(arrays: tuple[np.ndarray, ...], measure: str, options: _Options) -> PIDResult:
    return clustered_pid(arrays, measure, _bins(options, CLUSTERS), options.gen)


def _gaussian(copula: bool) -> Callable[..., Decomposition]:
    @_resampled
    def decompose(arrays: tuple[np.ndarray, ...], measure: str, options: _Options) -> PIDResult:
        x1, x2, y = arrays
        return gaussian_decomposition(x1, x2, y, measure, copula=copula, bias_draws=options.bias_draws, gen=options.gen)

    return decompose


def _posterior(arrays: tuple[np.ndarray, ...], measure: str, options: _Options) -> Decomposition:
    """The PID of cross-fitted posteriors; resamples reuse the posteriors and cells (the second stage only)."""
    x1, x2, y = arrays
    post = posteriors(x1, x2, y, options.probe, options.gen)
    if measure != "broja":
        return Decomposition(
            posterior_decomposition(post, measure), lambda rows: posterior_decomposition(post.take(rows), measure)
        )
    bins = None if options.bins is None else _bins(options, 2)
    (c1, kept1), (c2, kept2) = (cells(p, bins, copy.deepcopy(options.gen)) for p in (post.p1, post.p2))
    details = {"cells": (int(c1.max()) + 1, int(c2.max()) + 1), "kept": (round(kept1, 4), round(kept2, 4))}
    return Decomposition(
        posterior_decomposition(post, measure, (c1, c2)),
        lambda rows: posterior_decomposition(post.take(rows), measure, (c1[rows], c2[rows])),
        details,
    )


#: How ``pid`` turns samples into a decomposition, by name (read-only); ``"auto"`` picks one of them.
PID_METHODS = MappingProxyType(
    {
        m.name: m
        for m in (
            PIDMethod("discrete", _DISCRETE, "plug-in pmf of the label triples, decomposed exactly", _discrete),
            PIDMethod(
                "posterior",
                _DISCRETE,
                "class posteriors of cross-fitted probes (sufficient statistics for the label): totals their usable "
                "information, BROJA on coarse-grained posteriors, I_min's specific informations",
                _posterior,
            ),
            PIDMethod("gaussian", _GAUSSIAN, "Gaussian PID of the sample covariance, bias-corrected", _gaussian(False)),
            PIDMethod(
                "copula",
                _GAUSSIAN,
                "Gaussian PID of the normal scores of every column, bias-corrected",
                _gaussian(True),
            ),
            PIDMethod(
                "discretize", _DISCRETE, "k-means++ clusters of each continuous block, then the plug-in", _discretize
            ),
        )
    }
)


def _choose(arrays: tuple[np.ndarray, ...], measure: str) -> str:
    """The method ``"auto"`` uses (module docstring)."""
    labels = [looks_like_labels(a) for a in arrays]
    if all(labels):
        return "discrete"
    if labels[2] and not (labels[0] or labels[1]):
        if measure not in PID_METHODS["posterior"].measures:
            allowed = PID_METHODS["posterior"].measures
            raise ValueError(f"measure {measure!r} is a Gaussian PID; for a class label `y` use one of {allowed}")
        return "posterior"
    return "gaussian" if measure in PID_METHODS["gaussian"].measures else "discretize"


def _decompose(arrays: tuple[np.ndarray, ...], measure: str, method: str, options: _Options) -> Decomposition:
    """The raw PID in nats by a registered method (input already checked for shape), and its resampling."""
    entry = PID_METHODS[method]
    if measure not in entry.measures:
        raise ValueError(f"method={method!r} supports measure in {entry.measures}; got {measure!r}")
    return entry.decompose(arrays, measure, options)


def pid(
    x1: ArrayLike,
    x2: ArrayLike,
    y: ArrayLike,
    measure: str = "broja",
    *,
    method: str = "auto",
    bins: int | None = None,
    probe: object = "auto",
    bias_draws: int = 20,
    n_resamples: int = 0,
    level: float = 0.95,
    base: float = math.e,
    rng: SeedLike = None,
) -> PIDEstimate:
    """Estimate the partial information decomposition of I(Y; X1, X2) from paired samples.

    Parameters
    ----------
    x1, x2 : array_like, shape (n,) or (n, d)
        The two sources (modalities).
    y : array_like, shape (n,) or (n, dy)
        The target (a vector target only for the Gaussian and copula methods).
    measure : {"broja", "imin", "mmi", "tilde", "idep"}, default "broja"
        Redundancy measure, a key of ``theory.PID_MEASURES`` (see :func:`theory.discrete_pid` and
        :func:`theory.gaussian_pid`); each method supports the measures its ``PID_METHODS`` entry
        lists (discrete, posterior, discretize: broja, imin, mmi; Gaussian and copula: mmi, tilde,
        idep).
    method : {"auto", "discrete", "posterior", "gaussian", "copula", "discretize"}
        A key of ``PID_METHODS`` or ``"auto"``; see the module docstring.
    bins : int, optional
        Cells per modality: of the class posteriors for ``"posterior"`` with BROJA (default 12), of
        each continuous block for ``"discretize"`` (default 8, at most n / 5).
    probe : str or classifier, default "auto"
        The probe of ``"posterior"``: a name of the built-in probes (``"auto"`` chooses per fold
        among Gaussian, nearest-neighbour and logistic probes; ``"gaussian"``, ``"quadratic"``,
        ``"knn"``, ``"logistic"``) or any object with scikit-learn's ``fit``/``predict_proba``.
    bias_draws : int, default 20
        Gaussian and copula methods with ``"tilde"`` or ``"idep"``: Wishart draws of the
        parametric bootstrap that removes the redundancy's bias (0: the plug-in redundancy, with
        only the three informations bias-corrected). Measured in ``bench/bench_gaussian_pid_bias.py``.
    n_resamples : int, default 0
        Bootstrap resamples for CIs of every atom and total (0: none; else >= 10): the estimate
        plus the centred bootstrap quantiles, as in :func:`bootstrap_ci`, floored at 0 (resamples
        use the plug-in redundancy: only the spread is taken from them; ``"posterior"`` resamples
        the held-out posteriors, so its interval leaves out the probes' fitting variability;
        ``"discretize"`` refuses an interval: its clusters move its estimand).
        Measured coverage: see the coverage suite (``modalinfo run coverage``) and the paper's
        table.
    level : float in (0, 1), default 0.95
        CI coverage.
    base : float, default e
        Logarithm base: e gives nats, 2 gives bits.
    rng : None, int, SeedSequence or Generator
        Source of the clustering seeds and the bootstrap.

    Returns
    -------
    PIDEstimate
        Atoms and totals (consistency equations exact), never negative: an atom that comes out
        below 0 by sampling noise is clipped at 0 and the totals are summed from the clipped atoms
        (``.raw`` keeps the unclipped decomposition, whose totals are the information estimates
        themselves); the method used, n and the CIs.

    Raises
    ------
    ValueError
        Mismatched lengths, NaN/inf, continuous data passed as discrete (too many distinct values),
        a constant continuous column, too few samples for the Gaussian PID (n <= d1 + d2 + dy + 2),
        an unknown measure or method, bad ``bins``, ``bias_draws``, ``n_resamples`` or ``level``.

    Warns
    -----
    UserWarning
        When the alphabets are large for n: the expected plug-in bias (m12 - 1)(my - 1) / 2n of
        I(Y; X1, X2) exceeds 0.01 nats.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> a, b = rng.integers(0, 2, 10_000), rng.integers(0, 2, 10_000)
    >>> round(pid(a, b, a ^ b, base=2).synergy, 2)   # XOR: one bit of synergy
    1.0

    Two embeddings that each see a different half of a 4-dimensional target: MMI calls the
    weaker one's information redundant, ~G (bias-corrected) finds it unique.

    >>> z = rng.standard_normal((4000, 4))
    >>> e1 = z[:, :2] + rng.standard_normal((4000, 2))
    >>> e2 = z[:, 2:] + rng.standard_normal((4000, 2))
    >>> [round(pid(e1, e2, z, m, method="gaussian", rng=0).redundancy, 1) for m in ("mmi", "tilde")]
    [0.7, 0.0]

    Two continuous modalities and a class label (strings): the PID of the class posteriors.

    >>> label = rng.integers(0, 3, 1500)
    >>> v1, v2 = label[:, None] + rng.standard_normal((1500, 4)), (label == 2)[:, None] + rng.standard_normal((1500, 4))
    >>> est = pid(v1, v2, np.array(["a", "b", "c"])[label], rng=0)
    >>> est.method, bool(est.unique1 > est.unique2)
    ('posterior', True)
    """
    if not isinstance(measure, str) or measure not in PID_MEASURES:
        raise ValueError(f"`measure` must be one of {tuple(PID_MEASURES)}; got {measure!r}")
    methods = (*PID_METHODS, "auto")
    if not isinstance(method, str) or method not in methods:
        raise ValueError(f"`method` must be one of {methods}; got {method!r}")
    level = check_level(level)
    if isinstance(bias_draws, bool) or not isinstance(bias_draws, (int, np.integer)) or bias_draws < 0:
        raise ValueError(f"`bias_draws` must be an integer >= 0; got {bias_draws!r}")
    factor = log_base(base)
    gen = resolve_rng(rng)
    arrays = tuple(np.asarray(a) for a in (x1, x2, y))
    for a, name in zip(arrays, _NAMES):
        if a.ndim not in (1, 2):
            raise ValueError(f"`{name}` must be a 1-D or 2-D array (n_samples, n_features); got {a.ndim} dimensions")
        if a.size == 0:
            raise ValueError(f"`{name}` must not be empty; got shape {a.shape}")
    n = check_same_n(x1=arrays[0], x2=arrays[1], y=arrays[2])
    used = _choose(arrays, measure) if method == "auto" else method
    found = _decompose(arrays, measure, used, _Options(bins, int(bias_draws), gen, probe))
    raw, ci = found.result, {}
    if n_resamples:
        n_resamples = check_n_resamples(n_resamples)
        if used == "discretize":
            raise ValueError(
                "method='discretize' has no interval it can give: it estimates the PID of its clusters, which moves "
                "with `bins` and the seed, not the PID of the data; use method='posterior' (a class label), "
                "'gaussian' or 'copula' (a continuous target), or 'discrete' (labels)"
            )
        keys = (*PID_ATOMS, *PID_TOTALS)
        draws = np.empty((n_resamples, len(keys)))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # the plug-in bias warning, said once above
            for b in range(n_resamples):
                boot = found.resample(resample_rows(n, "bootstrap", gen))
                draws[b] = [getattr(boot, k) for k in keys]
        point = [getattr(raw, k) for k in keys]
        lows, highs = centred_interval(point, draws, level, floor=0.0)
        ci = {k: (float(lo) / factor, float(hi) / factor) for k, lo, hi in zip(keys, lows, highs)}
    return PIDEstimate(raw.clipped().to_base(base), used, n, ci, float(level), raw.to_base(base), found.details)
