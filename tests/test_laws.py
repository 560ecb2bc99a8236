"""Every built-in estimator through the public law checker: what holds and what does not, and why.

The expectations below are the table of README.md ("The laws of information as checks"); a change
in an estimator that breaks or mends a law fails here.
"""

import pytest

from modalinfo.estimators import MI_METHODS, conditional_mutual_information, mutual_information, pid
from modalinfo.testing import MI_LAWS, PID_LAWS, check_mi_estimator, check_pid_estimator

# laws each built-in MI estimator violates on Gaussian data, with the reason
MI_FAILS = {
    "gaussian": {"monotone maps"},  # a Gaussian model of the data: invariant to linear maps only
    "copula": {"linear mixing"},  # ranks per column: invariant to monotone maps, not to mixing columns
    "gaussianization": {"linear mixing"},  # starts from the ranks of each column, as the copula
    # max-norm neighbours: not invariant to mixing or to nonlinear maps; biased low in 3+ joint
    # dimensions at high information (Kraskov et al. 2004), which breaks additivity and the truth
    "ksg": {"linear mixing", "monotone maps", "additivity", "exact truth"},
    "ksg2": {"linear mixing", "monotone maps", "additivity", "exact truth"},
    # rank scores repeat the same values in every column, so max-norm distances tie and the jitter
    # that breaks the ties moves with the rows: the laws hold in distribution, not exactly
    "copula-ksg": {"symmetry", "row permutation", "column scaling", "linear mixing"},
    "mixed": {"linear mixing", "monotone maps", "additivity", "exact truth"},  # Gao et al. = KSG here
}


def _mi(method):
    extra = {"discrete": (False, False)} if method == "mixed" else {}

    def f(x, y, rng=None, base=2.718281828459045):
        return mutual_information(x, y, method, rng=rng, base=base, **extra)

    return f


def _cmi(method):
    return lambda x, y, z, rng=None: conditional_mutual_information(x, y, z, method, rng=rng)


@pytest.mark.parametrize("method", sorted(MI_FAILS))
def test_mi_estimators_satisfy_exactly_the_laws_they_claim(method):
    conditional = MI_METHODS[method].conditional
    report = check_mi_estimator(_mi(method), cmi=_cmi(method) if conditional else None, name=method)
    checked = {r.law for r in report.results}
    assert checked == set(MI_LAWS) - (set() if conditional else {"chain rule"})
    assert set(report.failed()) == MI_FAILS[method], report.table()
    for result in report.results:
        assert result.passed or result.counterexample  # every failure names its smallest case


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
    with pytest.raises(AssertionError, match="FAILED symmetry"):
        report.raise_if_failed()


def test_bad_arguments_name_the_parameter():
    f = _mi("gaussian")
    for kwargs, match in (
        ({"laws": ["nope"]}, "laws"),
        ({"laws": ["chain rule"]}, "cmi"),
        ({"n": 5}, "`n`"),
        ({"max_dim": 0}, "max_dim"),
        ({"z": -1.0}, "`z`"),
    ):
        with pytest.raises(ValueError, match=match):
            check_mi_estimator(f, **kwargs)
    with pytest.raises(ValueError, match="callable"):
        check_pid_estimator("pid")
