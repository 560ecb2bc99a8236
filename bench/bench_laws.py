"""The law checker on peers' mutual-information estimators: which laws of information each respects.

Runs ``modalinfo.testing.check_mi_estimator`` on scikit-learn's ``mutual_info_regression`` (one
feature, one target: it estimates per feature, so blocks have one column), infomeasure's and frites'
estimators where they import, and modalinfo's KSG and copula estimators for reference, all on the
same laws, n and tolerances, and prints one table: "ok", or "FAIL" with the law's counterexample
below. Peers live in the bench environment (``bench/requirements.txt``), never in modalinfo's.

    python bench/bench_laws.py [--n 400]
"""

from __future__ import annotations

import argparse
import importlib.util

import numpy as np

from modalinfo.estimators import mutual_information
from modalinfo.testing import MI_LAWS, check_mi_estimator

# estimators of one feature against one target: the laws on blocks of several columns do not apply
ONE_COLUMN = {"sklearn mutual_info_regression"}
MULTI_COLUMN_LAWS = ("additivity", "registered models")


# the kind of each estimator (``modalinfo.testing.KINDS``): which laws it is built to keep
KIND = {
    "modalinfo ksg": "knn",
    "modalinfo copula": "rank",
    "sklearn mutual_info_regression": "knn",
    "infomeasure ksg": "knn",
    "frites gcmi": "rank",
}


def peers() -> dict:
    found = {
        "modalinfo ksg": lambda x, y, rng=None: mutual_information(x, y, "ksg", rng=rng),
        "modalinfo copula": lambda x, y: mutual_information(x, y, "copula"),
    }
    if importlib.util.find_spec("sklearn"):
        from sklearn.feature_selection import mutual_info_regression

        found["sklearn mutual_info_regression"] = lambda x, y: float(
            mutual_info_regression(x, y[:, 0], n_neighbors=3, random_state=0)[0]
        )
    if importlib.util.find_spec("infomeasure"):
        import infomeasure as im

        found["infomeasure ksg"] = lambda x, y: float(im.mutual_information(x, y, approach="ksg", k=3, base="e"))
    if importlib.util.find_spec("frites"):
        from frites.core import gcmi_nd_cc  # Gaussian-copula MI, in bits

        found["frites gcmi"] = lambda x, y: float(gcmi_nd_cc(x.T, y.T, mvaxis=0, traxis=-1)) * np.log(2)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=400)
    args = parser.parse_args()
    laws = [
        law for law, record in MI_LAWS.items() if record.kinds & {"knn", "rank"} and law not in ("chain rule", "base")
    ]
    reports = {
        name: check_mi_estimator(
            f,
            kind=KIND[name],
            laws=[law for law in laws if name not in ONE_COLUMN or law not in MULTI_COLUMN_LAWS],
            n=args.n,
            max_dim=1,
            name=name,
        )
        for name, f in peers().items()
    }
    width = max(map(len, reports)) + 2
    print(
        f"laws of information on Gaussian pairs (1 column each, n = {args.n}); n/a: not a law of the estimator's kind"
    )
    print(f"{'law':<18}" + "".join(f"{name:>{width}}" for name in reports))
    for law in laws:
        cells = []
        for report in reports.values():
            found = [r for r in report.results if r.law == law]
            cells.append("-" if not found else found[0].status)
        print(f"{law:<18}" + "".join(f"{c:>{width}}" for c in cells))
    print()
    for name, report in reports.items():
        for result in report.results:
            if not result.passed:
                print(f"{name}, {result.law}: {result.counterexample}")


if __name__ == "__main__":
    main()
