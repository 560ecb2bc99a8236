"""The law checker: laws as records with the kinds they bind, tolerances a noisy estimator cannot widen,
every built-in estimator passing the laws its kind keeps, and discrete-data laws for label estimators.

The n/a sets below are the table of README.md ("The laws of information as checks").
"""

import math

import numpy as np
import pytest

from modalinfo.estimators import MI_METHODS, mutual_information, pid
from modalinfo.testing import KINDS, MI_LAWS, PID_LAWS, check_mi_estimator, check_pid_estimator

# laws each kind is not built to keep, with the reason
NOT_KEPT = {
    "gaussian": {"monotone maps", "registered models"},  # a Gaussian model: linear maps only, Gaussian dependence
    "rank": {"linear mixing", "registered models"},  # ranks per column; elliptical copulas only
    "knn": {"linear mixing", "monotone maps", "additivity", "exact truth"},  # max-norm; biased low in 3+ dims
    # rank scores tie, and the jitter that breaks the ties moves with the rows: in distribution only
    "hybrid": {"symmetry", "row permutation", "column scaling", "linear mixing", "monotone maps"},
}
LABEL_LAWS = {"entropy bound", "relabelling", "label independence", "label truth", "lower bound"}


@pytest.mark.parametrize("method", sorted(MI_METHODS))
def test_every_builtin_estimator_keeps_the_laws_of_its_kind(method):
    report = check_mi_estimator(method)
    kind = MI_METHODS[method].kind
    report.raise_if_failed()
    if kind in NOT_KEPT:
        assert set(report.not_applicable()) == NOT_KEPT[kind] | LABEL_LAWS, report.table()
    else:  # label kinds keep the label laws and the generic exact ones, no continuous-data law
        assert not set(report.not_applicable()) & {"symmetry", "base", "determinism", "entropy bound"}
    for result in report.results:
        assert result.status in ("ok", "n/a") and result.own_spread == result.own_spread


def test_a_noisy_biased_estimator_cannot_widen_its_own_tolerance():
    def wobbly(x, y):  # a biased estimator with a huge spread of its own
        value = mutual_information(x, y, "gaussian")
        return 1.3 * value + 0.5 * math.sin(1000 * value)

    report = check_mi_estimator(wobbly, kind="gaussian", laws=["exact truth", "independence", "symmetry"])
    assert set(report.failed()) == {"exact truth", "independence"}
    assert report.results[0].tolerance < 0.2 < report.results[0].own_spread
    with pytest.raises(AssertionError, match="FAILED exact truth"):
        report.raise_if_failed()


def test_discrete_laws_catch_estimators_that_read_labels_as_numbers():
    def counts_rows(x, y):  # every row its own label: log n, above every entropy
        return math.log(len(np.asarray(x)))

    def numeric(x, y):  # a Gaussian estimate of the label's codes: renaming three classes moves it
        codes = np.unique(np.asarray(y), return_inverse=True)[1]
        return mutual_information(x, codes.astype(float), "gaussian")

    assert "entropy bound" in check_mi_estimator(counts_rows, kind="discrete", laws=["entropy bound"]).failed()
    assert check_mi_estimator(numeric, kind="mixed", laws=["relabelling"]).failed() == ("relabelling",)


def test_the_registries_of_laws_are_records():
    assert set(KINDS) == {entry.kind for entry in MI_METHODS.values()}
    for law in (*MI_LAWS.values(), *PID_LAWS.values()):
        assert law.statement and isinstance(law.exact, bool)
    assert all(law.kinds <= set(KINDS) for law in MI_LAWS.values())


@pytest.mark.parametrize("measure", ["broja", "imin", "mmi"])
def test_pid_from_samples_satisfies_every_law(measure):
    report = check_pid_estimator(lambda a, b, y: pid(a, b, y, measure), measure=measure, name=measure)
    assert {r.law for r in report.results} == set(PID_LAWS)
    report.raise_if_failed()


def test_the_checker_finds_a_planted_violation_and_says_where():
    def asymmetric(x, y):  # a biased estimator: the Gaussian estimate plus a term in x alone
        return mutual_information(x, y, "gaussian") + 0.01 * float(abs(x).mean())

    report = check_mi_estimator(asymmetric, laws=["symmetry", "independence"], name="asymmetric")
    assert report.failed() == ("symmetry",)
    assert "I(X;Y) =" in report.results[0].counterexample


def test_bad_arguments_name_the_parameter():
    f = lambda x, y: mutual_information(x, y, "gaussian")  # noqa: E731
    for kwargs, match in (
        ({"laws": ["nope"]}, "laws"),
        ({"laws": ["chain rule"]}, "cmi"),
        ({"n": 5}, "`n`"),
        ({"max_dim": 0}, "max_dim"),
        ({"z": -1.0}, "`z`"),
        ({"kind": "neural"}, "`kind`"),
    ):
        with pytest.raises(ValueError, match=match):
            check_mi_estimator(f, **kwargs)
    with pytest.raises(ValueError, match="MI_METHODS"):
        check_mi_estimator("nope")
    with pytest.raises(ValueError, match="callable"):
        check_pid_estimator("pid")
