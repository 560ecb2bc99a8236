"""Information of continuous blocks about a class label, and the PID with a label, against exact truth.

Models (theory, exact by quadrature or the discrete PID): ``LatentClassificationModel`` with three
classes (priors 0.4/0.35/0.25, equal class covariances, so the class information reduces to two
dimensions whatever the block size) observed in 4 to 500 columns per modality, the
``class-3-unequal`` model (unequal class covariances), and symbols embedded as clusters
(``clusters-*``: separated ones have the discrete PID exactly, overlapping ones a numerical one).

Part 1 prints, per model, block and n, the truth, the estimates and the seconds of: modalinfo's
``"probe"`` (usable information of a cross-fitted probe) and ``"mixed"`` (Ross 2014 kNN), and the
peers that import here: frites' ``gcmi_model_cd`` (Gaussian-copula MI between continuous columns
and a discrete variable) and scikit-learn's ``mutual_info_classif`` summed over the columns (a
per-feature kNN estimate: the sum is not the block information, shown because users reach for it).
Then the share of cases within max(0.05 nats, 10 %) of the truth and the share above H(Y).

Part 2 (``--pid``): the PID of two continuous modalities and a class label by ``pid`` with the
``"posterior"`` method against the exact atoms of the cluster and class models, its spread over
five seeds and over the BROJA cells (12, 24, 48), and the ``"discretize"`` method (k-means, plug-in)
at 4, 8, 16 and 32 clusters for comparison.

    python bench/bench_label_mi.py [--quick] [--pid]
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np

from modalinfo.estimators import mutual_information, pid
from modalinfo.simulations import sample
from modalinfo.theory import LatentClassificationModel, get_model

TOLERANCE = (0.05, 0.10)  # within max(0.05 nats, 10 %) of the truth


def _within(estimate: float, truth: float) -> bool:
    return abs(estimate - truth) <= max(TOLERANCE[0], TOLERANCE[1] * truth)


def _peers() -> dict:
    out = {}
    try:
        from frites.core import gcmi_model_cd

        out["frites-gcmi"] = lambda x, y: float(gcmi_model_cd(x.T, y, y.max() + 1)) * np.log(2)  # bits -> nats
    except ImportError:
        pass
    try:
        from sklearn.feature_selection import mutual_info_classif

        out["sklearn-sum"] = lambda x, y: float(mutual_info_classif(x, y, random_state=0).sum())
    except ImportError:
        pass
    return out


def _models(quick: bool) -> list[tuple[str, object]]:
    means = np.random.default_rng(1).normal(size=(3, 6)) * 0.8
    dims = (4, 10, 50) if quick else (4, 10, 50, 200, 500)
    models = [
        (
            f"class-3 {d}+{d} cols",
            LatentClassificationModel(
                obs_dims=(d, d),
                shared_dim=2,
                private_dims=(2, 2),
                priors=(0.4, 0.35, 0.25),
                noise_var=1.0,
                class_means=means,
            ),
        )
        for d in dims
    ]
    models += [(name, get_model(name)) for name in ("class-3-unequal", "clusters-copy", "clusters-rdn+unq+xor-overlap")]
    return models


def mi_table(quick: bool) -> None:
    peers = _peers()
    methods = {"probe": None, "mixed": None, **peers}
    scores = {m: [] for m in methods}
    above = {m: 0 for m in methods}
    print(f"{'model':<32}{'block':<7}{'n':>6}{'truth':>8}" + "".join(f"{m:>22}" for m in methods))
    for name, model in _models(quick):
        bound = model.label_entropy
        for n in (500, 2000) if quick else (500, 2000, 8000):
            data = sample(model, n, rng=1)
            y = data["y"][:, 0]
            for blocks in (["x1"], ["x1", "x2"]):
                x = np.hstack([data[b] for b in blocks])
                if x.shape[1] > 2 * n:
                    continue
                truth = model.mutual_information(blocks, "y")
                cells = []
                for method, fn in methods.items():
                    start = time.perf_counter()
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        value = mutual_information(x, y, method, rng=0) if fn is None else fn(x, y)
                    seconds = time.perf_counter() - start
                    scores[method].append(_within(value, truth))
                    above[method] += value > bound + 1e-9
                    cells.append(f"{value:8.3f} {'ok' if _within(value, truth) else '--'} {seconds:6.2f}s")
                print(f"{name:<32}{'+'.join(blocks):<7}{n:>6}{truth:>8.3f}" + "".join(f"{c:>22}" for c in cells))
    print("\nshare within max(0.05 nats, 10 %) of the truth, and cases above H(Y):")
    for method, hits in scores.items():
        print(f"  {method:<14} {np.mean(hits):5.2f} of {len(hits)}   above H(Y): {above[method]}")


def pid_table() -> None:
    atoms = ("redundancy", "unique1", "unique2", "synergy")
    names = (
        "clusters-and",
        "clusters-copy",
        "clusters-rdn+unq+xor",
        "clusters-copy-overlap",
        "clusters-rdn+unq+xor-overlap",
        "class-3-unequal",
    )
    print(f"\n{'model':<30}{'measure':<8}{'n':>6}  exact R/U1/U2/S -> estimate (spread over 5 seeds), seconds")
    for name in names:
        model = get_model(name)
        for measure in model.pid_measures:
            exact = model.pid(measure=measure)
            for n in (1000, 4000):
                runs, seconds = [], []
                for seed in range(5):
                    data = sample(model, n, rng=seed)
                    start = time.perf_counter()
                    est = pid(data["x1"], data["x2"], data["y"], measure, method="posterior", rng=seed)
                    seconds.append(time.perf_counter() - start)
                    runs.append([getattr(est, a) for a in atoms])
                runs = np.array(runs)
                cells = " ".join(
                    f"{getattr(exact, a):.3f}->{m:.3f}({s:.3f})" for a, m, s in zip(atoms, runs.mean(0), runs.std(0))
                )
                worst = float(np.max(np.abs(runs.mean(0) - [getattr(exact, a) for a in atoms])))
                print(f"{name:<30}{measure:<8}{n:>6}  {cells}  worst {worst:.3f}  {np.median(seconds):.2f}s")
    print("\nBROJA redundancy against the cells (posterior) and the clusters (discretize), digits-free models:")
    for name in ("clusters-copy-overlap", "clusters-rdn+unq+xor-overlap"):
        model = get_model(name)
        data = sample(model, 4000, rng=0)
        truth = model.pid(measure="broja").redundancy
        posterior = [
            pid(data["x1"], data["x2"], data["y"], method="posterior", bins=b, rng=0).redundancy for b in (12, 24, 48)
        ]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            clustered = [
                pid(data["x1"], data["x2"], data["y"], method="discretize", bins=b, rng=0).redundancy
                for b in (4, 8, 16, 32)
            ]
        print(
            f"  {name:<30} exact {truth:.3f}; posterior cells 12/24/48: "
            + " ".join(f"{v:.3f}" for v in posterior)
            + "; discretize 4/8/16/32: "
            + " ".join(f"{v:.3f}" for v in clustered)
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer block sizes and n")
    parser.add_argument("--pid", action="store_true", help="also the PID with a class label")
    args = parser.parse_args()
    mi_table(args.quick)
    if args.pid:
        pid_table()


if __name__ == "__main__":
    main()
