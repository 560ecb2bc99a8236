"""Every public function of estimators/ and theory/ on bad or extreme input: a ValueError naming the
parameter, or a correct finite number; scale-invariant estimators are scale-invariant in floating point."""

import math
import warnings

import numpy as np
import pytest

from modalinfo import estimators as E
from modalinfo import theory as T

RNG = np.random.default_rng(0)
N = 240
X = RNG.standard_normal((N, 2))
Y = X[:, :1] + RNG.standard_normal((N, 1))
Z = RNG.standard_normal((N, 1))
LABELS = RNG.integers(0, 3, N)
OTHER = (LABELS + RNG.integers(0, 2, N)) % 3

# name -> (function of the array under test, the array, whether the value is invariant to its scale)
ARRAY_CALLS = {
    **{
        f"mutual_information[{m}]": (
            lambda a, m=m: E.mutual_information(
                a, Y, m, rng=0, **({"discrete": (False, False)} if m == "mixed" else {})
            ),
            X,
            True,
        )
        for m in E.MI_METHODS
        if m not in ("discrete", "probe")
    },
    "mutual_information[probe]": (lambda a: E.mutual_information(a, LABELS, "probe", rng=0), X, True),
    "mutual_information[discrete]": (lambda a: E.mutual_information(a, OTHER, "discrete"), LABELS[:, None], False),
    "conditional_mutual_information[ksg]": (lambda a: E.conditional_mutual_information(a, Y, Z, rng=0), X, True),
    "conditional_mutual_information[copula]": (lambda a: E.conditional_mutual_information(a, Y, Z, "copula"), X, True),
    "bootstrap_ci": (lambda a: E.bootstrap_ci(a, Y, "ksg", n_resamples=10, rng=0).high, X, True),
    "bootstrap_ci[gaussianization]": (
        lambda a: E.bootstrap_ci(a, Y, "gaussianization", n_resamples=10, rng=0).high,
        X,
        True,
    ),
    "permutation_null": (lambda a: E.permutation_null(a, Y, "gaussian", n_resamples=10, rng=0).p_value, X, True),
    "pid[gaussian]": (lambda a: E.pid(a, Z, Y, "mmi", method="gaussian").redundancy, X, True),
    "pid[tilde]": (lambda a: E.pid(a, Z, Y, "tilde", method="gaussian", rng=0).redundancy, X, True),
    "pid[copula idep]": (lambda a: E.pid(a, Z, Y, "idep", method="copula", rng=0).redundancy, X, True),
    "pid[discretize]": (lambda a: E.pid(a, Z, Y, method="discretize", bins=3, rng=0).synergy, X, True),
    "modality_report": (
        lambda a: E.modality_report({"a": a, "b": Z}, Y, method="gaussian", rng=0)["value"].sum(),
        X,
        True,
    ),
    "cka": (lambda a: E.cka(a, Y), X, True),
    "cca_similarity": (lambda a: E.cca_similarity(a, Y), X, True),
    "svcca": (lambda a: E.svcca(a, np.hstack([Y, Z])), X, True),
    "mcc": (lambda a: E.mcc(a, np.hstack([Y, Z])), X, True),
    "identifiability_r2": (lambda a: E.identifiability_r2(a, np.hstack([Y, Z]), rng=0), X, True),
    "linear_probe": (lambda a: E.linear_probe(a, Y, rng=0), X, False),
    "knn_probe_accuracy": (lambda a: E.knn_probe_accuracy(a, LABELS, rng=0), X, True),
    "fisher_ratio": (lambda a: E.fisher_ratio(a, LABELS), X, True),
    "silhouette": (lambda a: E.silhouette(a, LABELS), X, True),
    "latent_quality": (lambda a: E.latent_quality(a, Y, a, Y, 0.5), X, False),
    "ols_encoder": (lambda a: E.ols_encoder(a, Y).transform(a).sum(), X, False),
    "pca_encoder": (lambda a: E.pca_encoder(a, 1).transform(a).std(), X, False),
    "RidgeHead.fit": (lambda a: E.RidgeHead.fit(a, Y).predict(a).sum(), X, False),
    "learning_curve": (lambda a: E.learning_curve(np.repeat([10, 20, 40], 80), a, rng=0).mean.sum(), np.abs(Y), False),
    "fit_gaussian_missing": (lambda a: E.fit_gaussian_missing(a).cov.sum(), np.hstack([X, Y]), False),
    "synergy_bounds": (
        lambda a: E.synergy_bounds((a, LABELS), (OTHER, LABELS), (a, OTHER)).upper,
        LABELS[:, None],
        False,
    ),
}


def perturb(a, kind):
    a = np.asarray(a, dtype=float)
    b = a.copy()
    if kind == "nan":
        b[0, 0] = np.nan
    elif kind == "inf":
        b[1, 0] = -np.inf
    elif kind == "huge":
        b = a * 1e160
    elif kind == "tiny":
        b = a * 1e-300
    elif kind == "ties":
        b = np.round(a)
    elif kind == "strings":
        b = a.astype(str)
    elif kind == "complex":
        b = a.astype(complex)
    elif kind == "scalar":
        b = np.float64(1.0)
    elif kind == "3-d":
        b = np.repeat(a[:, :, None], 2, axis=2)
    elif kind == "empty":
        b = a[:0]
    elif kind == "one row short":
        b = a[:-1]
    elif kind == "three rows":
        b = a[:3]
    return b


# Functions that read strings as labels (documented), so a string array is valid input for them.
LABELS_OK = {"mutual_information[discrete]", "pid[discretize]", "synergy_bounds"}
# Functions for which NaN marks a missing entry (documented).
NAN_OK = {"fit_gaussian_missing"}
KINDS = [
    "nan",
    "inf",
    "huge",
    "tiny",
    "ties",
    "strings",
    "complex",
    "scalar",
    "3-d",
    "empty",
    "one row short",
    "three rows",
]


@pytest.mark.parametrize("name", sorted(ARRAY_CALLS))
def test_bad_and_extreme_arrays(name):
    call, base, invariant = ARRAY_CALLS[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the plug-in bias warning of pid
        reference = float(call(base))
    assert math.isfinite(reference)
    for kind in KINDS:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # the plug-in bias warning of pid
            try:
                value = float(call(perturb(base, kind)))
            except ValueError as err:
                assert "`" in str(err) or "n =" in str(err), (name, kind, str(err))  # names what is wrong
                continue
        assert math.isfinite(value), (name, kind)
        if invariant and kind in ("huge", "tiny"):
            assert value == pytest.approx(reference, rel=1e-9, abs=1e-12), (name, kind)
        if kind in ("inf", "complex", "scalar", "3-d", "empty") or (kind == "nan" and name not in NAN_OK):
            pytest.fail(f"{name} accepted {kind} input and returned {value}")
        if kind == "strings" and name not in LABELS_OK:
            pytest.fail(f"{name} accepted {kind} input and returned {value}")


COV = np.array([[2.0, 0.6, 0.9], [0.6, 1.0, 0.5], [0.9, 0.5, 1.5]])
PMF = T.canonical_pmf("and")
MATRIX_CALLS = {
    "gaussian_mutual_information": (lambda c: T.gaussian_mutual_information(c, [0], [1], [2]), COV, True),
    "gaussian_entropy": (lambda c: T.gaussian_entropy(c), COV, False),
    "gaussian_total_correlation": (lambda c: T.gaussian_total_correlation(c, [[0], [1], [2]]), COV, True),
    "gaussian_pid": (lambda c: T.gaussian_pid(c, [0], [1], [2]).synergy, COV, True),
    "student_t_mutual_information": (lambda c: T.student_t_mutual_information(c, [0], [1], df=3.0), COV, True),
    "discrete_pid": (lambda p: T.discrete_pid(p).redundancy, PMF, False),
    "discrete_mutual_information": (
        lambda p: T.discrete_mutual_information(np.reshape(p, (-1, np.shape(p)[-1]))),
        PMF,
        False,
    ),
    "noisy_pmf": (lambda p: T.noisy_pmf(p, 0.1).sum(), PMF, False),
    "synergy_bounds": (lambda p: T.synergy_bounds(p).upper, PMF, False),
    "unpaired_exchange_rate": (lambda c: T.unpaired_exchange_rate(c, [0], [1], 2)["lambda"], COV, True),
}


@pytest.mark.parametrize("name", sorted(MATRIX_CALLS))
def test_bad_and_extreme_tables(name):
    call, base, invariant = MATRIX_CALLS[name]
    reference = float(call(base))
    bad = {
        "nan": np.where(
            np.eye(*base.shape[:2], dtype=bool)[..., None] if base.ndim == 3 else np.eye(3, dtype=bool), np.nan, base
        ),
        "inf": np.where(base > 0, np.inf, base),
        "strings": base.astype(str),
        "complex": base.astype(complex),
        "negative": -base,
        "wrong shape": base[..., :1].squeeze(-1) if base.ndim == 3 else base[:2],
    }
    for _kind, arg in bad.items():
        with pytest.raises(ValueError, match="`"):
            call(arg)
    for scale in (1e160, 1e-300):
        try:
            value = float(call(base * scale))
        except ValueError as err:
            assert "`" in str(err)
            continue
        assert math.isfinite(value)
        if invariant:
            assert value == pytest.approx(reference, rel=1e-9)


@pytest.mark.parametrize("rng", ["abc", -1, 1.5, [1, 2]])
def test_a_bad_rng_names_the_parameter(rng):
    for call in (
        lambda: E.mutual_information(X, Y, rng=rng),
        lambda: E.bootstrap_ci(X, Y, "gaussian", n_resamples=10, rng=rng),
        lambda: E.pid(X, Z, Y, method="discretize", rng=rng),
        lambda: E.identifiability_r2(X, Y, rng=rng),
        lambda: T.LatentModel(mixing_seed=rng),
    ):
        with pytest.raises(ValueError, match="rng|mixing_seed"):
            call()


def test_limits_of_k_bins_and_resampling_name_the_parameter():
    with pytest.raises(ValueError, match="`k`"):
        E.mutual_information(X, Y, k=N - 1, rng=0)
    with pytest.raises(ValueError, match="`bins`"):
        E.pid(X, Z, Y, method="discretize", bins=N)
    with pytest.raises(ValueError, match="n = 5 rows"):
        E.bootstrap_ci(X[:5], Y[:5], "ksg", k=1, rng=0)
    estimate, low, high = E.bootstrap_ci(X, Y, "gaussian", n_resamples=20, rng=0)  # unpacks as documented
    assert low <= estimate <= high
