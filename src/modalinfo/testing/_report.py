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
        Where the tolerance comes from (floating-point rounding, or the reference estimator's spread).
    status : {"ok", "FAILED", "n/a"}
        ``"n/a"``: a law the estimator's kind is not built to keep (not checked, never a failure).
    own_spread : float
        The checked estimator's standard deviation on the reference case at the same n (reported
        beside the tolerance, which never depends on it).
    """

    law: str
    passed: bool
    counterexample: str
    tolerance: float
    tolerance_source: str
    status: str = ""
    own_spread: float = float("nan")

    def __post_init__(self) -> None:
        if not self.status:
            object.__setattr__(self, "status", "ok" if self.passed else "FAILED")


@dataclass(frozen=True)
class CheckReport:
    """The laws an estimator was checked against and what was found; ``raise_if_failed`` for tests."""

    estimator: str
    results: tuple[LawResult, ...]

    @property
    def passed(self) -> bool:
        """Whether every applicable law held."""
        return all(r.passed for r in self.results)

    def failed(self) -> tuple[str, ...]:
        """The names of the laws that were violated."""
        return tuple(r.law for r in self.results if not r.passed)

    def not_applicable(self) -> tuple[str, ...]:
        """The laws the estimator's kind is not built to keep (reported, not checked)."""
        return tuple(r.law for r in self.results if r.status == "n/a")

    def table(self) -> str:
        """One line per law: ok, FAILED or n/a, the tolerance and the counterexample; the estimator's own spread."""
        spreads = [r.own_spread for r in self.results if r.own_spread == r.own_spread]
        own = f" (its own sd on the reference case: {spreads[0]:.3g} nats)" if spreads else ""
        lines = [f"laws of information checked on {self.estimator}{own}"]
        for r in self.results:
            lines.append(f"  {r.status:<6} {r.law:<24} tol {r.tolerance:.3g} ({r.tolerance_source})")
            if r.counterexample:
                lines.append(f"         counterexample: {r.counterexample}")
        return "\n".join(lines)

    def raise_if_failed(self) -> None:
        """Raise ``AssertionError`` with the table when a law failed (pytest shows it as the reason)."""
        if not self.passed:
            raise AssertionError(self.table())

    def __str__(self) -> str:
        return self.table()
