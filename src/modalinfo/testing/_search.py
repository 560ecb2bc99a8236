"""The search both checkers share: the smallest case hypothesis finds that violates a law."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from hypothesis import HealthCheck, find, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

__all__ = ["smallest_violation"]

T = TypeVar("T")


def smallest_violation(strategy: st.SearchStrategy[T], violates: Callable[[T], bool], max_examples: int) -> T | None:
    """The smallest value of ``strategy`` (shrunk) for which ``violates`` holds, or None if none was found.

    Derandomized and without a database, so the same call gives the same answer; an estimator that
    raises on a case violates the law there.
    """

    def guarded(value: T) -> bool:
        try:
            return violates(value)
        except Exception:  # an estimator that raises on valid data violates the law
            return True

    config = settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    try:
        found: Any = find(strategy, guarded, settings=config)
    except NoSuchExample:
        return None
    return found
