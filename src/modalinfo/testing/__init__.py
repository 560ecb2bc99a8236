"""The laws of information as checks anyone can run on any estimator (needs hypothesis: ``modalinfo[test]``).

``check_mi_estimator(f)`` and ``check_pid_estimator(f)`` search each law (``MI_LAWS``,
``PID_LAWS``: records of the law, whether it is exact or statistical, the kinds of estimator it
binds, its cases and its check) with hypothesis and return a :class:`CheckReport`: per law, ok,
FAILED or n/a (a law the estimator's kind is not built to keep), the smallest counterexample
found, the tolerance and where it comes from; ``report.raise_if_failed()`` fails a pytest test
with that table, on the applicable laws only, so it can go into your test suite. The strategies behind
them are public in
:mod:`modalinfo.testing.strategies`, to compose your own properties.
"""

try:
    import hypothesis  # noqa: F401 - the checkers search with it
except ImportError:  # pragma: no cover - depends on the installation
    raise ImportError('modalinfo.testing needs hypothesis: pip install "modalinfo[testing]"') from None

from ._mi_laws import KINDS, MI_LAWS, Law, check_mi_estimator
from ._pid_laws import PID_LAWS, check_pid_estimator
from ._report import CheckReport, LawResult

__all__ = [
    "KINDS",
    "MI_LAWS",
    "PID_LAWS",
    "CheckReport",
    "Law",
    "LawResult",
    "check_mi_estimator",
    "check_pid_estimator",
]
