"""``mutual_information`` and ``conditional_mutual_information``: one entry point over the registry ``MI_METHODS``."""

from __future__ import annotations

import math
import warnings

import numpy as np

from modalinfo.estimators._types import AutoChoice, MIMethod
from modalinfo.typing import ArrayLike, DiscreteSpec, SeedLike
from modalinfo.validation import log_base, resolve_rng

from ._continuous import KSG_MAX_DIMS
from ._elliptical import HEAVY_TAILS_LR, elliptical_mi
from ._gaussianization import gaussianization_mi
from ._inputs import Options, continuous_scores, discrete_masks, integral_floats, label_codes, looks_like_labels
from ._methods import MI_METHODS
from ._probe import label_entropy

__all__ = ["choose_method", "conditional_mutual_information", "mutual_information", "options", "resolve_method"]

JITTER = 1e-10


def _describe(a: ArrayLike, mask: np.ndarray, name: str) -> str:
    """'`y`: 10 class labels (int64)' or '`x`: 32 continuous columns', for the reasons of ``choose_method``."""
    dtype = getattr(a, "dtype", np.asarray(a).dtype)
    if mask.all():
        try:
            levels = f"{int(label_codes(a, name).max()) + 1} class labels"
        except ValueError as err:
            raise ValueError(f"`{name}` looks like labels but cannot be read as them: {err}") from None
        return f"`{name}`: {levels} ({dtype})"
    if mask.any():
        return f"`{name}`: {int(mask.sum())} discrete and {int((~mask).sum())} continuous columns"
    return f"`{name}`: {mask.size} continuous column{'s' * (mask.size > 1)}"


def _auto(x: ArrayLike, y: ArrayLike, discrete: DiscreteSpec) -> tuple[str, str, str]:
    """(method ``"auto"`` uses, what each side was read as, the rule) from the kinds of the columns."""
    mx, my = discrete_masks(x, y, discrete)
    sides = f"{_describe(x, mx, 'x')}; {_describe(y, my, 'y')}"
    if mx.all() and my.all():
        return "discrete", sides, "plug-in with the Miller-Madow correction"
    if (mx.all() and not my.any()) or (my.all() and not mx.any()):
        return "probe", sides, MI_METHODS["probe"].description
    if mx.any() or my.any():
        return "mixed", sides, "Gao et al. (2017) kNN for a mixture of discrete and continuous columns"
    return "copula-ksg", sides, MI_METHODS["copula-ksg"].description


def choose_method(x: ArrayLike, y: ArrayLike, *, discrete: DiscreteSpec = None) -> AutoChoice:
    """The estimator ``method="auto"`` uses for these data, and why.

    Class labels are recognised by their type (:func:`looks_like_labels`): categorical, string,
    object or boolean data, and integers with few distinct values (at most ``max(min(64, n // 2),
    n // 5)``; more look like counts or pixel values, read as continuous); floats are continuous
    (a float column of a few integral values gets a warning from the estimators naming
    ``discrete=``); ``discrete=`` overrides the types.

    - every column discrete: ``"discrete"`` (plug-in, Miller-Madow);
    - a class label on one side and continuous columns on the other: ``"probe"``, the usable
      information of a cross-fitted probe (Xu et al. 2020): a lower bound on I(X; Y) that never
      exceeds H(Y), accurate from 2 to hundreds of columns (``bench/bench_label_mi.py``);
    - other mixtures of discrete and continuous columns: ``"mixed"`` (Gao et al. 2017);
    - all continuous: ``"copula-ksg"``, the larger of an elliptical-copula estimate and KSG-1 on
      copula-normalised marginals. The elliptical part is the bias-corrected Gaussian-copula
      information plus, when a likelihood-ratio test finds heavy joint tails, a t copula's excess
      over it (``estimators._elliptical``; in many columns measured on the leading canonical
      pairs). Both parts are consistent for their families and biased low outside them (the
      copula where the dependence is not elliptical after monotone maps of the columns, e.g. a
      spiral; KSG in many dimensions or at high information), so the larger is the better single
      answer (``bench/bench_mi_accuracy.py``). Up to 20 columns a third candidate joins when the
      data call for it: when iterative Gaussianization of each block (RBIG, method
      ``"gaussianization"``) finds a block non-Gaussian after the copula (its Kolmogorov-Smirnov
      test re-maps a column), its Gaussian estimate of the Gaussianized blocks, a lower bound that
      recovers dependence seen through invertible networks. For continuous data the reason reports
      the tests: the fitted degrees of freedom, the statistic and the excess added, and what RBIG
      re-mapped.

    Parameters
    ----------
    x, y : array_like, shape (n,) or (n, d)
        The data.
    discrete : None, bool, or pair of (bool or sequence of bool)
        Which columns are discrete; None reads it from the types.

    Returns
    -------
    AutoChoice
        The method (a key of ``MI_METHODS``) and the reason, which names what each side was read as.

    Raises
    ------
    ValueError
        Data the chosen estimator rejects (NaN, constant blocks, too few rows, labels that cannot be
        read).

    Examples
    --------
    >>> import numpy as np
    >>> choose_method(np.arange(10) % 3, np.arange(10) % 2).method
    'discrete'
    >>> rng = np.random.default_rng(0)
    >>> print(choose_method(rng.standard_normal((100, 3)), np.repeat(["cat", "dog"], 50)).reason[:60])
    `x`: 3 continuous columns; `y`: 2 class labels (<U3): usable
    >>> v = rng.standard_normal((2000, 2)) @ [[1, 0.6], [0, 0.8]] / np.sqrt(rng.chisquare(2, (2000, 1)) / 2)
    >>> print(choose_method(v[:, :1], v[:, 1:]).reason)  # doctest: +ELLIPSIS
    `x`: 1 continuous column; `y`: 1 continuous column: heavy joint tails: a t copula (nu = 2...) ...
    """
    method, sides, rule = _auto(x, y, discrete)
    if method != "copula-ksg":
        return AutoChoice(method, f"{sides}: {rule}")
    cx, cy = continuous_scores(x, y)
    est = elliptical_mi(cx, cy)
    where = "" if est.directions is None else f" on the {est.directions} leading canonical pairs"
    lr = est.fit.likelihood_ratio
    if lr >= HEAVY_TAILS_LR:
        why = (
            f"heavy joint tails: a t copula (nu = {est.fit.df:.3g}) beats the Gaussian copula{where} "
            f"(likelihood ratio {lr:.1f} >= {HEAVY_TAILS_LR}); its excess {est.excess:.3g} nats is added"
        )
    else:
        why = f"no heavy joint tails{where} (likelihood ratio {lr:.1f} < {HEAVY_TAILS_LR}): the Gaussian copula"
    if cx.shape[1] + cy.shape[1] > KSG_MAX_DIMS:
        return AutoChoice(method, f"{sides}: {why}; KSG and RBIG left out above {KSG_MAX_DIMS} columns")
    rbig = gaussianization_mi(cx, cy)
    if sum(rbig.remapped):
        rx, ry = rbig.remapped
        also = f", and RBIG of each block (it re-mapped {rx} + {ry} columns; Gaussian estimate {rbig.value:.3g} nats)"
    else:
        also = " (RBIG finds each block Gaussian)"
    return AutoChoice(method, f"{sides}: {why}; then the larger of that and KSG-1 on copula-normalised marginals{also}")


def resolve_method(
    method: object, x: ArrayLike, y: ArrayLike, z: ArrayLike | None = None, *, discrete: DiscreteSpec = None
) -> MIMethod:
    """The registry entry ``method`` names, with ``"auto"`` resolved for these data (and ``z`` if conditional).

    Conditional ``"auto"``: ``"discrete"`` when x, y and z all hold labels, ``"probe"`` when x or y
    is a class label and the rest continuous, else ``"copula-ksg"`` (z holding labels is refused).
    """
    names = (*MI_METHODS, "auto")
    if not isinstance(method, str) or method not in names:
        raise ValueError(f"`method` must be one of {names}; got {method!r}")
    if method == "auto":
        if z is None:
            method = _auto(x, y, discrete)[0]
        else:
            labels = [looks_like_labels(a) for a in (x, y, z)]
            if all(labels):
                method = "discrete"
            elif labels[2]:
                raise ValueError(
                    "`z` holds class labels and x or y continuous columns: estimate I(X; Y) within each class and "
                    "average it with the class frequencies (sum_c p(c) I(X; Y | Z = c))"
                )
            else:
                method = "probe" if labels[0] != labels[1] else "copula-ksg"
    entry = MI_METHODS[method]
    if z is not None and entry.cmi is None:
        conditional = tuple(m for m, e in MI_METHODS.items() if e.conditional) + ("auto",)
        raise ValueError(f"`method` {method!r} has no conditional form; use one of {conditional}")
    return entry


def _warn_about_labels(x: ArrayLike, y: ArrayLike, entry: MIMethod, value_nats: float | None) -> None:
    """Say so where a label is read as a number, or a few integral floats as continuous (labels are never silent)."""
    for a, name in ((x, "x"), (y, "y")):
        if not entry.reads_labels and looks_like_labels(a):
            over = ""
            if value_nats is not None:
                bound = label_entropy(label_codes(a, name))
                if value_nats > bound:
                    over = f"; its estimate {value_nats:.4g} nats exceeds H({name}) = {bound:.4g} nats"
            warnings.warn(
                f"`{name}` holds class labels ({np.asarray(a).dtype}) but method={entry.name!r} reads them as numbers"
                f"{over}; method='auto' (or 'probe', 'mixed', 'discrete') reads them as labels",
                UserWarning,
                stacklevel=3,
            )
        levels = integral_floats(a)
        if levels and not entry.reads_labels:
            spec = (False, True) if name == "y" else (True, False)
            warnings.warn(
                f"`{name}` holds {levels} distinct integral float values and is read as continuous; if it is a class "
                f"label, pass it as integers or strings, or `discrete=` (e.g. discrete={spec})",
                UserWarning,
                stacklevel=3,
            )


def options(
    *,
    k: object = 3,
    rng: SeedLike = None,
    discrete: DiscreteSpec = None,
    correction: str = "miller-madow",
    jitter: object = JITTER,
) -> Options:
    """The validated options of an estimator call (the keywords of :func:`mutual_information`)."""
    if isinstance(jitter, bool) or not isinstance(jitter, (int, float)) or not (0.0 <= float(jitter) < 1e-3):
        raise ValueError(f"`jitter` must be a float in [0, 1e-3); got {jitter!r}")
    return Options(k=k, gen=resolve_rng(rng), discrete=discrete, correction=correction, jitter=float(jitter))  # type: ignore[arg-type]


def mutual_information(
    x: ArrayLike,
    y: ArrayLike,
    method: str = "auto",
    *,
    k: int = 3,
    base: float = math.e,
    rng: SeedLike = None,
    discrete: DiscreteSpec = None,
    correction: str = "miller-madow",
    jitter: float = JITTER,
    clip: bool = False,
) -> float:
    """Estimate the mutual information I(X; Y) from paired samples.

    Methods (the registry ``MI_METHODS`` lists them with their kind and resampling scheme):

    - ``"ksg"``, ``"ksg2"``: Kraskov, Stoegbauer & Grassberger (2004) estimators 1 and 2 with
      k neighbours in the max-norm. The max-norm estimate is not invariant to the scale of a
      column (on columns with standard deviations 1 and 10 it moves by about 0.1 nats), so every
      continuous column is always divided by its standard deviation, whatever ``jitter`` is, then
      jittered by ``jitter`` (times max(1, mean |column|)) standard-normal noise drawn from
      ``rng`` (the tie rule of the paper and of sklearn); ``jitter=0`` only skips the noise.
    - ``"gaussian"``: bias-corrected Gaussian estimate from the sample covariance;
      ``"copula"``: the same on rank-normalised columns (Ince et al. 2017).
    - ``"discrete"``: plug-in on labels with ``correction`` "miller-madow", "jackknife" or "none".
    - ``"mixed"``: discrete and continuous columns, with ``discrete`` saying which are discrete;
      Ross (2014) for one discrete side, Gao et al. (2017) otherwise.
    - ``"t-copula"``: a Student-t copula fitted to the rank-normalised columns (pseudo maximum
      likelihood), its information in closed form; exact for heavy-tailed elliptical dependence
      (the Gaussian copula is its nu -> inf limit). Each EM step costs O(n d^2): seconds up to a
      few dozen columns, a minute at 400.
    - ``"gaussianization"``: the bias-corrected Gaussian estimate after rotation-based iterative
      Gaussianization of each block (RBIG, Laparra et al. 2011); a lower bound when the blocks end
      Gaussian, exact for Gaussian copulas; blind to dependence that leaves each block Gaussian
      (the bmi spiral).
    - ``"copula-ksg"``: the larger of the Gaussian copula plus a t copula's heavy-tail excess
      (when a likelihood-ratio test finds heavy tails; on the leading canonical pairs above 20
      columns), KSG-1 on copula-normalised columns and, when a block is not Gaussian, RBIG (both
      up to 20 columns); see :func:`choose_method`.
    - ``"auto"``: see :func:`choose_method`.

    Parameters
    ----------
    x, y : array_like, shape (n,) or (n, d)
        Paired samples (rows are instances). Labels for ``"discrete"`` may be integers, booleans,
        strings or integral floats.
    method : str, default "ksg"
        A key of ``MI_METHODS`` or ``"auto"``.
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
    jitter : float in [0, 1e-3)
        Relative amplitude of the tie-breaking noise of the kNN methods; 0 skips the noise (the
        columns are still scaled to unit variance).
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
        unknown method or correction, or a bad ``base`` or ``rng``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_normal(2000); y = x + rng.standard_normal(2000)
    >>> round(mutual_information(x, y, method="gaussian"), 2)   # truth 0.5 log 2 = 0.347
    0.34
    """
    entry = resolve_method(method, x, y, discrete=discrete)
    factor = log_base(base)
    nats = entry.mi(x, y, options(k=k, rng=rng, discrete=discrete, correction=correction, jitter=jitter))
    if discrete is None:
        _warn_about_labels(x, y, entry, nats)
    value = nats / factor
    return max(value, 0.0) if clip else value


def conditional_mutual_information(
    x: ArrayLike,
    y: ArrayLike,
    z: ArrayLike,
    method: str = "auto",
    *,
    k: int = 3,
    base: float = math.e,
    rng: SeedLike = None,
    discrete: DiscreteSpec = None,
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
    - ``"copula-ksg"``: the larger of the copula and KSG-on-copula estimates;
    - ``"auto"``: ``"discrete"`` if every column is discrete (integer, bool or string dtype),
      else ``"copula-ksg"``.

    Parameters and errors are those of :func:`mutual_information`, with z (n,) or (n, dz) the
    conditioning samples; methods without a conditional form (``MI_METHODS[m].conditional`` is
    False) raise ``ValueError``.

    Returns
    -------
    float
        The estimate in the unit of ``base``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> z = rng.standard_normal(4000); x = z + rng.standard_normal(4000); y = z + rng.standard_normal(4000)
    >>> abs(conditional_mutual_information(x, y, z, "gaussian")) < 0.01   # X and Y independent given Z
    True
    """
    entry = resolve_method(method, x, y, z, discrete=discrete)
    factor = log_base(base)
    assert entry.cmi is not None  # resolve_method checked it
    if discrete is None:
        _warn_about_labels(x, y, entry, None)
    value = entry.cmi(x, y, z, options(k=k, rng=rng, discrete=discrete, correction=correction, jitter=jitter)) / factor
    return max(value, 0.0) if clip else value
