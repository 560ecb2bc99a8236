"""The report of a law check: one row per law, with the smallest counterexample found and the tolerance used."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CheckReport", "LawResult"]


@dataclass(frozen=True)
class LawResult:
    """One law checked on one estimator.

    Attributes
    ----------
    law : str
        The law's name (see ``MI_LAWS`` and ``PID_LAWS``).
    passed : bool
        No counterexample was found within the examples tried.
    counterexample : str
        The smallest failing case hypothesis found (shrunk), with the values compared; "" if passed.
    tolerance : float
        The largest violation accepted, in nats.
    tolerance_source : str
        Where the tolerance comes from (floating-point rounding, or the estimator's measured spread).
    """

    law: str
    passed: bool
    counterexample: str
    tolerance: float
    tolerance_source: str


@dataclass(frozen=True)
class CheckReport:
    """The laws an estimator was checked against and what was found; ``raise_if_failed`` for tests."""

    estimator: str
    results: tuple[LawResult, ...]

    @property
    def passed(self) -> bool:
        """Whether every law held."""
        return all(r.passed for r in self.results)

    def failed(self) -> tuple[str, ...]:
        """The names of the laws that were violated."""
        return tuple(r.law for r in self.results if not r.passed)

    def table(self) -> str:
        """One line per law: passed or failed, the tolerance and the counterexample."""
        lines = [f"laws of information checked on {self.estimator}"]
        for r in self.results:
            status = "ok    " if r.passed else "FAILED"
            lines.append(f"  {status} {r.law:<24} tol {r.tolerance:.3g} ({r.tolerance_source})")
            if r.counterexample:
                lines.append(f"         counterexample: {r.counterexample}")
        return "\n".join(lines)

    def raise_if_failed(self) -> None:
        """Raise ``AssertionError`` with the table when a law failed (pytest shows it as the reason)."""
        if not self.passed:
            raise AssertionError(self.table())

    def __str__(self) -> str:
        return self.table()
