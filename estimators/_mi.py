"""``mutual_information`` and ``conditional_mutual_information``: one entry point, several estimators."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from theory._validation import log_base

from ._discrete import CORRECTIONS, discrete_cmi_nats, discrete_mi_nats
from ._ksg import ksg_cmi_nats, ksg_mi_nats
from ._mixed import gao_mi_nats, ross_mi_nats
from ._parametric import copula_normal, gaussian_cmi_nats, gaussian_mi_nats
from ._types import AutoChoice
from ._validation import as_labels, as_samples, check_k, check_same_n

__all__ = ["METHODS", "choose_method", "conditional_mutual_information", "mutual_information"]

METHODS = ("ksg", "ksg2", "gaussian", "copula", "discrete", "mixed", "auto")
CMI_METHODS = ("ksg", "gaussian", "copula", "discrete", "auto")
JITTER = 1e-10


def _prepare(a: np.ndarray, name: str, gen: np.random.Generator, jitter: float, mask: np.ndarray | None = None):
    """Scale continuous columns to unit variance and add ``jitter`` noise (KSG 2004; sklearn's rule).

    ``a <- a / sd(a) + jitter * max(1, mean|a / sd(a)|) * N(0, 1)`` per continuous column; ties
    between continuous values then have probability zero. Discrete columns (``mask``) are kept.
    """
    cont = np.ones(a.shape[1], dtype=bool) if mask is None else ~mask
    out = a.copy()
    if not np.any(cont):
        return out
    sd = a[:, cont].std(axis=0)
    if np.any(sd == 0):
        bad = np.flatnonzero(cont)[sd == 0].tolist()
        raise ValueError(f"`{name}` has constant columns {bad}; a continuous estimate needs variation in each")
    scaled = a[:, cont] / sd
    noise = gen.standard_normal(scaled.shape)
    out[:, cont] = scaled + jitter * np.maximum(1.0, np.mean(np.abs(scaled), axis=0)) * noise
    return out


def _mask(spec: object, d: int, name: str) -> np.ndarray:
    if isinstance(spec, (bool, np.bool_)):
        return np.full(d, bool(spec))
    m = np.asarray(spec)
    if m.dtype != bool or m.shape != (d,):
        raise ValueError(f"`{name}` must be a bool or one bool per column ({d}); got {spec!r}")
    return m.copy()


def choose_method(x: object, y: object, *, discrete: object = None) -> AutoChoice:
    """The estimator ``method="auto"`` uses for these data, and why.

    - every column discrete (integer or bool dtype, or ``discrete=True``): ``"discrete"``
      (Miller-Madow);
    - some discrete and some continuous: ``"mixed"`` (Ross 2014 / Gao et al. 2017);
    - all continuous: ``"copula|ksg-copula"``, the larger of the bias-corrected Gaussian-copula
      estimate and KSG-1 on copula-normalised marginals. Both are consistent and biased low in
      their failure modes (the copula estimate where the dependence is not Gaussian after
      monotone maps of the columns, e.g. Student-t or spiral; KSG in many dimensions or at high
      information), so the larger is the better single answer (``bench/bench_mi_accuracy.py``).

    Parameters
    ----------
    x, y : array_like, shape (n,) or (n, d)
        The data.
    discrete : None, bool, or pair of (bool or sequence of bool)
        Which columns are discrete; None infers it from the dtype.

    Returns
    -------
    AutoChoice
    """
    mx, my = _discrete_masks(np.asarray(x), np.asarray(y), discrete)
    if mx.all() and my.all():
        return AutoChoice("discrete", "every column is discrete: plug-in with the Miller-Madow correction")
    if mx.any() or my.any():
        return AutoChoice("mixed", "discrete and continuous columns: Ross (2014) or Gao et al. (2017) kNN")
    return AutoChoice(
        "copula|ksg-copula",
        "continuous columns: the larger of the Gaussian-copula estimate and KSG-1 on copula-normalised marginals",
    )


def _discrete_masks(x: np.ndarray, y: np.ndarray, discrete: object) -> tuple[np.ndarray, np.ndarray]:
    dx = 1 if x.ndim < 2 else x.shape[1]
    dy = 1 if y.ndim < 2 else y.shape[1]
    if discrete is None:
        return np.full(dx, x.dtype.kind in "biuUSO"), np.full(dy, y.dtype.kind in "biuUSO")
    if isinstance(discrete, (bool, np.bool_)):
        return _mask(discrete, dx, "discrete"), _mask(discrete, dy, "discrete")
    if not isinstance(discrete, Sequence) or len(discrete) != 2:
        raise ValueError(f"`discrete` must be None, a bool, or a pair (for x, for y); got {discrete!r}")
    return _mask(discrete[0], dx, "discrete[0]"), _mask(discrete[1], dy, "discrete[1]")


def mutual_information(
    x: object,
    y: object,
    method: str = "ksg",
    *,
    k: int = 3,
    base: float = math.e,
    rng: object = None,
    discrete: object = None,
    correction: str = "miller-madow",
    jitter: float = JITTER,
    clip: bool = False,
) -> float:
    """Estimate the mutual information I(X; Y) from paired samples.

    Methods:

    - ``"ksg"``, ``"ksg2"``: Kraskov, Stoegbauer & Grassberger (2004) estimators 1 and 2 with
      k neighbours in the max-norm (``estimators._ksg``). Columns are scaled to unit variance and
      jittered by ``jitter`` (times max(1, mean |column|)) standard-normal noise drawn from
      ``rng``, the tie rule of the paper and of sklearn; ``jitter=0`` keeps the data as given.
    - ``"gaussian"``: bias-corrected Gaussian estimate from the sample covariance;
      ``"copula"``: the same on rank-normalised columns (Ince et al. 2017).
    - ``"discrete"``: plug-in on labels with ``correction`` "miller-madow", "jackknife" or "none".
    - ``"mixed"``: discrete and continuous columns, with ``discrete`` saying which are discrete;
      Ross (2014) for one discrete side, Gao et al. (2017) otherwise.
    - ``"auto"``: see :func:`choose_method`.

    Parameters
    ----------
    x, y : array_like, shape (n,) or (n, d)
        Paired samples (rows are instances). Labels for ``"discrete"`` may be integers, booleans,
        strings or integral floats.
    method : str, default "ksg"
        One of ``METHODS``.
    k : int, default 3
        Neighbours for the kNN methods (1 <= k < n).
    base : float, default e
        Logarithm base: e gives nats, 2 gives bits.
    rng : None, int, SeedSequence or Generator
        Source of the jitter (kNN methods only).
    discrete : None, bool or pair
        Discrete columns for ``"mixed"`` and ``"auto"`` (see :func:`choose_method`).
    correction : {"miller-madow", "jackknife", "none"}
        Bias correction of ``"discrete"``.
    jitter : float >= 0
        Relative amplitude of the tie-breaking noise of the kNN methods.
    clip : bool, default False
        Return ``max(estimate, 0)``; raw estimates (possibly negative) by default.

    Returns
    -------
    float
        The estimate in the unit of ``base``.

    Raises
    ------
    ValueError
        For NaN/inf, arrays that are not 1-D or 2-D, empty arrays, mismatched sample counts,
        n <= k, k < 1, constant columns (continuous methods), non-integer labels (discrete), an
        unknown method or correction, or a bad ``base``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_normal(2000); y = x + rng.standard_normal(2000)
    >>> round(mutual_information(x, y, method="gaussian"), 2)   # truth 0.5 log 2 = 0.347
    0.35
    """
    if method not in METHODS:
        raise ValueError(f"`method` must be one of {METHODS}; got {method!r}")
    factor = log_base(base)
    value = _mi_nats(x, y, method, k, rng, discrete, correction, jitter)
    value /= factor
    return max(value, 0.0) if clip else value


def _check_correction(correction: object) -> None:
    if correction not in CORRECTIONS:
        raise ValueError(f"`correction` must be one of {CORRECTIONS}; got {correction!r}")


def _check_jitter(jitter: object) -> float:
    if isinstance(jitter, bool) or not isinstance(jitter, (int, float)) or not (0.0 <= float(jitter) < 1e-3):
        raise ValueError(f"`jitter` must be a float in [0, 1e-3); got {jitter!r}")
    return float(jitter)


def _mi_nats(x, y, method, k, rng, discrete, correction, jitter) -> float:
    if method == "auto":
        method = choose_method(x, y, discrete=discrete).method
    if method == "discrete":
        _check_correction(correction)
        cx, cy = as_labels(x, "x"), as_labels(y, "y")
        check_same_n(x=cx, y=cy)
        return discrete_mi_nats(cx, cy, correction)
    xa, ya = as_samples(x, "x"), as_samples(y, "y")
    n = check_same_n(x=xa, y=ya)
    jitter = _check_jitter(jitter)
    gen = np.random.default_rng(rng)
    if method in ("gaussian", "copula"):
        if n <= xa.shape[1] + ya.shape[1] + 1:
            raise ValueError(f"the Gaussian estimate needs n > dx + dy + 1 samples; got n = {n}")
        if method == "copula":
            xa, ya = copula_normal(xa), copula_normal(ya)
        for arr, name in ((xa, "x"), (ya, "y")):
            if np.any(arr.std(axis=0) == 0):
                raise ValueError(f"`{name}` has a constant column; the Gaussian estimate needs variation in each")
        return gaussian_mi_nats(xa, ya)
    k = check_k(k, n)
    if method in ("ksg", "ksg2"):
        return ksg_mi_nats(_prepare(xa, "x", gen, jitter), _prepare(ya, "y", gen, jitter), k, 1 if method == "ksg" else 2)
    if method == "mixed":
        mx, my = _discrete_masks(np.asarray(x), np.asarray(y), discrete if discrete is not None else (False, True))
        xp, yp = _prepare(xa, "x", gen, jitter, mx), _prepare(ya, "y", gen, jitter, my)
        if my.all() and not mx.any():
            return ross_mi_nats(xp, as_labels(ya, "y"), k)
        if mx.all() and not my.any():
            return ross_mi_nats(yp, as_labels(xa, "x"), k)
        return gao_mi_nats(xp, yp, k)
    # auto, continuous: the larger of the copula estimate and KSG-1 on copula-normalised marginals
    if n <= xa.shape[1] + ya.shape[1] + 1:
        raise ValueError(f"the automatic estimate needs n > dx + dy + 1 samples; got n = {n}")
    cx, cy = copula_normal(xa), copula_normal(ya)
    copula = gaussian_mi_nats(cx, cy)
    knn = ksg_mi_nats(_prepare(cx, "x", gen, jitter), _prepare(cy, "y", gen, jitter), k, 1)
    return max(copula, knn)


def conditional_mutual_information(
    x: object,
    y: object,
    z: object,
    method: str = "ksg",
    *,
    k: int = 3,
    base: float = math.e,
    rng: object = None,
    correction: str = "miller-madow",
    jitter: float = JITTER,
    clip: bool = False,
) -> float:
    """Estimate the conditional mutual information I(X; Y | Z).

    - ``"ksg"``: Frenzel & Pompe (2007) / Vejmelka & Palus (2008):
      ``psi(k) - < psi(n_xz + 1) + psi(n_yz + 1) - psi(n_z + 1) >`` (max-norm, strict counts),
      with the scaling and jitter rule of :func:`mutual_information`;
    - ``"gaussian"``, ``"copula"``: ``h(X,Z) + h(Y,Z) - h(X,Y,Z) - h(Z)`` with bias-corrected
      Gaussian entropies (on rank-normalised columns for the copula);
    - ``"discrete"``: the same entropy combination, plug-in with ``correction``;
    - ``"auto"``: discrete if every column is discrete (integer/bool dtype), else the larger of the
      copula and KSG-on-copula estimates.

    Parameters and errors are those of :func:`mutual_information`, with z (n,) or (n, dz) the
    conditioning samples.

    Returns
    -------
    float
        The estimate in the unit of ``base``.
    """
    if method not in CMI_METHODS:
        raise ValueError(f"`method` must be one of {CMI_METHODS}; got {method!r}")
    factor = log_base(base)
    if method == "auto":
        kinds = {np.asarray(a).dtype.kind in "biuUSO" for a in (x, y, z)}
        method = "discrete" if kinds == {True} else "auto"
    if method == "discrete":
        _check_correction(correction)
        cx, cy, cz = as_labels(x, "x"), as_labels(y, "y"), as_labels(z, "z")
        check_same_n(x=cx, y=cy, z=cz)
        value = discrete_cmi_nats(cx, cy, cz, correction)
    else:
        xa, ya, za = as_samples(x, "x"), as_samples(y, "y"), as_samples(z, "z")
        n = check_same_n(x=xa, y=ya, z=za)
        jitter = _check_jitter(jitter)
        gen = np.random.default_rng(rng)
        dims = xa.shape[1] + ya.shape[1] + za.shape[1]
        if method in ("gaussian", "copula", "auto") and n <= dims + 1:
            raise ValueError(f"the Gaussian estimate needs n > dx + dy + dz + 1 samples; got n = {n}")
        if method in ("copula", "auto"):
            xa, ya, za = copula_normal(xa), copula_normal(ya), copula_normal(za)
        if method in ("gaussian", "copula"):
            value = gaussian_cmi_nats(xa, ya, za)
        else:
            k = check_k(k, n)
            prep = [_prepare(a, name, gen, jitter) for a, name in ((xa, "x"), (ya, "y"), (za, "z"))]
            value = ksg_cmi_nats(*prep, k)
            if method == "auto":
                value = max(value, gaussian_cmi_nats(xa, ya, za))
    value /= factor
    return max(value, 0.0) if clip else value
