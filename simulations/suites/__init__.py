"""Suites: TOML grids of an experiment, run resumably on any executor, with their report, figures and paper numbers.

- ``builtin/*.toml``: the suites shipped with modalinfo (``builtin_suites()``); ``load_suite``
  parses one (or your own file) into a frozen :class:`Suite`;
- ``EXPERIMENTS``: the registry of experiments (each with its parameters, figure and the models it
  accepts), defined in ``_information``, ``_pid_measures``, ``_learning``, ``_huang``, ``_lu``, ``_coverage``
  and ``_unpaired``
  (``INTERVALS``: the confidence intervals whose coverage it measures);
- ``run_suite``: one atomic Parquet shard per cell on a process pool or a dask cluster;
  ``consolidate`` joins them;
- ``summary`` and ``figures``: the report from the stored results (each experiment declares its
  figure). The paper that assembles them is built by ``paper/build.py`` of a checkout.
"""

from typing import TYPE_CHECKING

from modalinfo.lazy import attach

if TYPE_CHECKING:  # the public names, imported on first use (modalinfo.lazy)
    from ._coverage import INTERVALS, ci_coverage
    from ._experiment import EXPERIMENTS, Experiment, SuiteError, experiment, get_experiment
    from ._huang import huang_bounded, huang_gap
    from ._information import canonical_pid, estimator_accuracy, information_vs_overlap
    from ._learning import colearning_sweep, iso_ratio_curve, learning_curves, spurious_trend
    from ._lu import lu_separation
    from ._pid_measures import pid_measures
    from ._report import figure_path, figures, summary
    from ._runner import RunReport, consolidate, default_executor, pending_cells, run_cell, run_suite
    from ._shards import cell_states, shard_identity
    from ._spec import Cell, Suite, builtin_suites, load_suite, suite_header
    from ._unpaired import marginal_exchange_rate, synergy_bounds_sweep, unlabeled_value, unpaired_value

__all__ = [
    "EXPERIMENTS",
    "INTERVALS",
    "Cell",
    "Experiment",
    "RunReport",
    "Suite",
    "SuiteError",
    "builtin_suites",
    "canonical_pid",
    "ci_coverage",
    "cell_states",
    "colearning_sweep",
    "consolidate",
    "default_executor",
    "estimator_accuracy",
    "experiment",
    "figure_path",
    "figures",
    "get_experiment",
    "huang_bounded",
    "huang_gap",
    "information_vs_overlap",
    "iso_ratio_curve",
    "learning_curves",
    "load_suite",
    "lu_separation",
    "marginal_exchange_rate",
    "pending_cells",
    "pid_measures",
    "run_cell",
    "run_suite",
    "shard_identity",
    "spurious_trend",
    "suite_header",
    "summary",
    "synergy_bounds_sweep",
    "unlabeled_value",
    "unpaired_value",
]

__getattr__, __dir__ = attach(__name__, __file__)
