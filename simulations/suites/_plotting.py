"""Helpers the figure functions of the experiments share (matplotlib is imported by the caller)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["errorbars", "log_x"]


def log_x(ax: Any) -> None:
    """Log-scaled x axis with plain-number labels on the ticks (no "6x10^0" minor labels)."""
    from matplotlib.ticker import NullFormatter, ScalarFormatter

    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(ScalarFormatter())
    ax.xaxis.set_minor_formatter(NullFormatter())


def errorbars(ax: Any, frame: Any, by: Any, x: str, y: str, fmt: str = "o-", label: Callable[[Any], str] = str) -> None:
    """One mean +- sd series of y against x per group of ``by``, coloured C0, C1, ..."""
    for i, (key, part) in enumerate(frame.groupby(by, sort=True)):
        stats = part.groupby(x)[y].agg(["mean", "std"])
        ax.errorbar(
            stats.index,
            stats["mean"],
            yerr=stats["std"].fillna(0.0),
            fmt=fmt,
            color=f"C{i % 10}",
            ms=3.5,
            capsize=2,
            label=label(key),
        )
