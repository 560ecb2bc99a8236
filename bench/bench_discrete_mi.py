"""Discrete (plug-in) mutual information: modalinfo against scikit-learn's ``mutual_info_score``.

Labels of 8 x 8 (and 64 x 64) values, n = 1e5 and 1e6; best of ``--repeat`` seconds per call for
modalinfo's ``mutual_information(x, y, "discrete")`` (Miller-Madow; its validation included),
sklearn's ``mutual_info_score`` (plug-in, no correction) and a bare numpy ``bincount`` plug-in, the
ratio modalinfo / sklearn, and the largest difference of the plug-in values (``correction="none"``).
Run in the bench environment (``bench/requirements.txt``).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from sklearn.metrics import mutual_info_score

from modalinfo.estimators import mutual_information


def numpy_plugin(x: np.ndarray, y: np.ndarray) -> float:
    """I(X; Y) in nats from one bincount of the joint codes of small non-negative labels."""
    my = int(y.max()) + 1
    joint = np.bincount(x * my + y, minlength=(int(x.max()) + 1) * my).reshape(-1, my) / x.size
    px, py = joint.sum(axis=1, keepdims=True), joint.sum(axis=0, keepdims=True)
    nz = joint > 0
    return float(np.sum(joint[nz] * np.log(joint[nz] / (px * py)[nz])))


def best(fn, repeat: int, *args) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    print(f"{'labels':<8}{'n':>9}{'modalinfo s':>13}{'sklearn s':>11}{'numpy s':>10}{'ratio':>8}{'max |dI|':>10}")
    for m in (8, 64):
        for n in (100_000, 1_000_000):
            x = rng.integers(0, m, n)
            y = (x + rng.integers(0, 3, n)) % m
            ours = best(mutual_information, args.repeat, x, y, "discrete")
            peer = best(mutual_info_score, args.repeat, x, y)
            bare = best(numpy_plugin, args.repeat, x, y)
            diff = abs(mutual_information(x, y, "discrete", correction="none") - mutual_info_score(x, y))
            print(f"{m}x{m:<6}{n:>9}{ours:>13.4f}{peer:>11.4f}{bare:>10.4f}{ours / peer:>8.2f}{diff:>10.1e}")


if __name__ == "__main__":
    main()
