"""Helpers the figure functions of the experiments share (matplotlib is imported by the caller)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["SPREADS", "errorbars", "log_x", "log_y"]


def _plain_log(axis: Any) -> None:
    """Plain numbers (2, 30, 0.05) on a log axis, minor ticks labelled only where the axis spans little."""
    from matplotlib.ticker import LogFormatter

    axis.set_major_formatter(LogFormatter(labelOnlyBase=False))
    axis.set_minor_formatter(LogFormatter(labelOnlyBase=False, minor_thresholds=(1.2, 0.5)))


def log_x(ax: Any) -> None:
    """Log-scaled x axis with plain-number labels (no "6x10^0")."""
    ax.set_xscale("log")
    _plain_log(ax.xaxis)


def log_y(ax: Any) -> None:
    """Log-scaled y axis with plain-number labels (no "6x10^0")."""
    ax.set_yscale("log")
    _plain_log(ax.yaxis)


#: What an error bar spans: the standard deviation over repetitions, or the standard error of the mean.
SPREADS = {"sd": "std", "sem": "sem"}


def errorbars(
    ax: Any,
    frame: Any,
    by: Any,
    x: str,
    y: str,
    fmt: str = "o-",
    label: Callable[[Any], str] = str,
    spread: str = "sd",
    shift: float = 0.0,
) -> None:
    """One mean +- ``spread`` (``"sd"`` or ``"sem"`` over repetitions) series of y against x per group of ``by``.

    Series are coloured C0, C1, ...; ``shift`` adds to x (to separate overlapping series); the
    figure's text should say which spread the bars show.
    """
    for i, (key, part) in enumerate(frame.groupby(by, sort=True)):
        stats = part.groupby(x)[y].agg(["mean", SPREADS[spread]])
        ax.errorbar(
            stats.index + shift,
            stats["mean"],
            yerr=stats[SPREADS[spread]].fillna(0.0),
            fmt=fmt,
            color=f"C{i % 10}",
            ms=3.5,
            capsize=2,
            label=label(key),
        )
