"""The coverage experiment: every interval runs against its exact truth; the paper's table reads the results."""

import numpy as np
import pytest

from modalinfo.simulations.suites import INTERVALS, ci_coverage


@pytest.mark.parametrize("name", sorted(INTERVALS))
def test_every_interval_runs_and_reports_its_truth(name):
    rows = ci_coverage({"interval": name, "n": 200, "level": 0.9, "n_resamples": 20}, np.random.default_rng(0))
    assert rows
    for r in rows:
        assert np.isfinite(r["truth"]) and r["low"] <= r["high"]
        assert r["covered"] == (r["low"] <= r["truth"] <= r["high"])
        assert r["width"] == pytest.approx(r["high"] - r["low"])


def test_an_unknown_interval_is_refused():
    with pytest.raises(ValueError, match="`interval` must be one of"):
        ci_coverage({"interval": "nope"}, np.random.default_rng(0))
