"""Partial information decomposition of I(Y; X1, X2) from samples.

- ``"discrete"``: the plug-in pmf of the label triples, decomposed exactly by
  :func:`theory.discrete_pid` (BROJA with a certified optimum, I_min, MMI);
- ``"gaussian"``: the estimate of :func:`theory.gaussian_pid` (MMI, ~G or I_dep, any block
  dimensions) for Gaussian data: bias-corrected informations and, for ~G and I_dep, a redundancy
  whose bias is removed by a parametric bootstrap (:mod:`._pid_gaussian`);
- ``"copula"``: the same on normal scores of every column (rank-based, for non-Gaussian
  marginals: embeddings, rates);
- ``"discretize"``: each continuous block is clustered into ``bins`` groups (k-means++ seeded by
  ``rng``, as Liang et al. 2023 do for continuous modalities), then ``"discrete"``. Clustering can
  only lose information (data processing), so the totals are biased low by the discretisation
  (measured in the tests) and high by the plug-in (shown in the warning below);
- ``"auto"``: discrete when every column is an integer, boolean or string label, else Gaussian for
  the Gaussian measures (MMI, ~G, I_dep) and discretize for the others.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
from scipy.cluster.vq import kmeans2

from modalinfo.estimators._resample import centred_interval, resample_rows
from modalinfo.estimators._types import PIDEstimate, PIDMethod
from modalinfo.theory import PID_ATOMS, PID_MEASURES, PID_TOTALS, PIDResult, discrete_pid
from modalinfo.typing import ArrayLike, SeedLike
from modalinfo.validation import (
    LABEL_KINDS,
    as_samples,
    check_level,
    check_n_resamples,
    check_same_n,
    log_base,
    resolve_rng,
)

from ._discrete import _codes
from ._inputs import check_levels, label_codes
from ._pid_gaussian import gaussian_decomposition

__all__ = ["PID_METHODS", "pid"]

_DISCRETE = tuple(name for name, m in PID_MEASURES.items() if m.discrete is not None)
_GAUSSIAN = tuple(name for name, m in PID_MEASURES.items() if m.gaussian is not None)
# Expected plug-in bias of I(Y; X1, X2) above which ``pid`` warns, in nats.
BIAS_WARNING = 0.01


@dataclass(frozen=True)
class _Options:
    """What a method's implementation receives besides the data and the measure."""

    bins: int
    bias_draws: int
    gen: np.random.Generator


def _is_label(a: np.ndarray) -> bool:
    return a.dtype.kind in LABEL_KINDS


def _count_table(codes: list[np.ndarray]) -> np.ndarray:
    """Counts of the triples of compact codes 0..m-1, table[c1, c2, cy]."""
    check_same_n(x1=codes[0], x2=codes[1], y=codes[2])
    shape = tuple(int(c.max()) + 1 for c in codes)
    flat = np.ravel_multi_index(tuple(codes), shape)
    return np.bincount(flat, minlength=int(np.prod(shape))).reshape(shape)


def _small_int_table(arrays: tuple[np.ndarray, ...]) -> np.ndarray | None:
    """Counts of small non-negative integer labels straight from the data, without encoding each array.

    The table over 0..max of each variable, with the values that never occur dropped, is the table
    of the compact codes (same order); None when a variable is not one column of integers in
    ``[0, 4n)`` or the table would exceed ``4n + 64`` cells (then the labels are encoded first).
    """
    cols = [a.reshape(a.shape[0], -1) for a in arrays]
    if any(c.shape[1] != 1 or c.dtype.kind not in "iu" for c in cols):
        return None
    cols = [c[:, 0] for c in cols]
    n = cols[0].shape[0]
    if any(int(c.min()) < 0 for c in cols):
        return None
    shape = tuple(int(c.max()) + 1 for c in cols)
    if max(shape) > 4 * n or math.prod(shape) > 4 * n + 64:
        return None
    table = np.bincount(np.ravel_multi_index(tuple(cols), shape), minlength=math.prod(shape)).reshape(shape)
    seen = [table.sum(axis=axes) > 0 for axes in ((1, 2), (0, 2), (0, 1))]
    return table[np.ix_(*seen)] if not all(k.all() for k in seen) else table


def _plugin(table: np.ndarray, measure: str) -> PIDResult:
    """The exact PID of the frequencies of a count table, with a warning where the plug-in bias is large."""
    n = int(table.sum())
    for size, name in zip(table.shape, ("x1", "x2", "y")):
        check_levels(size, n, name)
    s1, s2, sy = table.shape
    bias = (s1 * s2 - 1) * (sy - 1) / (2.0 * n)
    if bias > BIAS_WARNING:
        warnings.warn(
            f"{s1 * s2} source cells x {sy} target values for {n} samples: the plug-in "
            f"I(Y; X1, X2) is biased up by about {bias:.3g} nats ((m12 - 1)(my - 1) / 2n)",
            UserWarning,
            stacklevel=4,
        )
    return discrete_pid(table / n, measure=measure)


def _discrete(arrays: tuple[np.ndarray, ...], measure: str, options: _Options) -> PIDResult:
    small = _small_int_table(arrays)
    if small is not None and small.sum() >= 2:
        return _plugin(small, measure)
    return _plugin(_count_table([label_codes(a, name) for a, name in zip(arrays, _NAMES)]), measure)


def _cluster(a: np.ndarray, bins: int, gen: np.random.Generator) -> np.ndarray:
    """k-means++ labels of the standardised rows of a (n, d) block (k = bins)."""
    z = (a - a.mean(axis=0)) / a.std(axis=0)
    _, labels = kmeans2(z, bins, minit="++", seed=gen)
    return _codes(labels.astype(np.int64))


def _discretize(arrays: tuple[np.ndarray, ...], measure: str, options: _Options) -> PIDResult:
    bins, n = options.bins, arrays[0].shape[0]
    if not isinstance(bins, (int, np.integer)) or isinstance(bins, bool) or bins < 2:
        raise ValueError(f"`bins` must be an integer >= 2; got {bins!r}")
    if n < 5 * bins:
        raise ValueError(f"`bins` = {bins} needs at least 5 samples per cluster, n >= {5 * bins}; got n = {n}")
    codes = []
    for a, name in zip(arrays, _NAMES):
        if _is_label(a):
            codes.append(label_codes(a, name))
        else:
            arr = as_samples(a, name, unit_scale="columns")
            if np.any(arr.std(axis=0) == 0):
                raise ValueError(f"`{name}` has a constant column; it cannot be clustered")
            codes.append(_cluster(arr, int(bins), options.gen))
    return _plugin(_count_table(codes), measure)


def _gaussian(copula: bool) -> Callable[..., PIDResult]:
    def decompose(arrays: tuple[np.ndarray, ...], measure: str, options: _Options) -> PIDResult:
        x1, x2, y = arrays
        return gaussian_decomposition(x1, x2, y, measure, copula=copula, bias_draws=options.bias_draws, gen=options.gen)

    return decompose


_NAMES = ("x1", "x2", "y")
#: How ``pid`` turns samples into a decomposition, by name (read-only); ``"auto"`` picks one of them.
PID_METHODS = MappingProxyType(
    {
        m.name: m
        for m in (
            PIDMethod("discrete", _DISCRETE, "plug-in pmf of the label triples, decomposed exactly", _discrete),
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
    """The method ``"auto"`` uses: discrete for labels, else Gaussian for the Gaussian measures, else discretize."""
    if all(_is_label(a) for a in arrays):
        return "discrete"
    return "gaussian" if measure in PID_METHODS["gaussian"].measures else "discretize"


def _decompose(arrays: tuple[np.ndarray, ...], measure: str, method: str, options: _Options) -> PIDResult:
    """The raw PID in nats by a registered method (input already checked for shape)."""
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
    bins: int = 8,
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
        lists (discrete: broja, imin, mmi; Gaussian and copula: mmi, tilde, idep).
    method : {"auto", "discrete", "gaussian", "copula", "discretize"}
        A key of ``PID_METHODS`` or ``"auto"``; see the module docstring.
    bins : int, default 8
        Clusters per continuous block for ``"discretize"``, at most n / 5.
    bias_draws : int, default 20
        Gaussian and copula methods with ``"tilde"`` or ``"idep"``: Wishart draws of the
        parametric bootstrap that removes the redundancy's bias (0: the plug-in redundancy, with
        only the three informations bias-corrected). Measured in ``bench/bench_gaussian_pid_bias.py``.
    n_resamples : int, default 0
        Bootstrap resamples for CIs of every atom and total (0: none; else >= 10): the estimate
        plus the centred bootstrap quantiles, as in :func:`bootstrap_ci`, floored at 0 (resamples
        use the plug-in redundancy: only the spread is taken from them). Measured coverage
        (coverage suite, nominal 0.95, n = 200 to 800): 0.88-0.92 for the Gaussian MMI atoms of a
        model whose two modalities carry equal information (the minimum is not smooth there),
        0.89-0.95 for the plug-in BROJA atoms of the noisy AND; for the corrected ~G atoms on the
        sample-convergence protocol (``bench/bench_gaussian_pid_bias.py``, n = 300 and 1000), 34
        of 40 cells within 3 SE of 0.95, short only where a unique atom is exactly 0 on the
        boundary (fully redundant sources: 0.61-0.75).
    level : float in (0, 1), default 0.95
        CI coverage.
    base : float, default e
        Logarithm base: e gives nats, 2 gives bits.
    rng : None, int, SeedSequence or Generator
        Source of the clustering seeds and the bootstrap.

    Returns
    -------
    PIDEstimate
        Atoms and totals (consistency equations exact), the method used, n and the CIs.

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
    raw = _decompose(arrays, measure, used, _Options(bins, int(bias_draws), gen))
    ci = {}
    if n_resamples:
        n_resamples = check_n_resamples(n_resamples)
        keys = (*PID_ATOMS, *PID_TOTALS)
        draws = np.empty((n_resamples, len(keys)))
        plain = _Options(bins, 0, gen)  # resamples use the plug-in redundancy: only their spread is used
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            for b in range(n_resamples):
                idx = resample_rows(n, "bootstrap", gen)
                boot = _decompose(tuple(a[idx] for a in arrays), measure, used, plain)
                draws[b] = [getattr(boot, k) for k in keys]
        point = [getattr(raw, k) for k in keys]
        lows, highs = centred_interval(point, draws, level, floor=0.0)
        ci = {k: (float(lo) / factor, float(hi) / factor) for k, lo, hi in zip(keys, lows, highs)}
    return PIDEstimate(raw.clipped().to_base(base), used, n, ci, float(level), raw.to_base(base))
