"""Lu (2023)'s separation between multimodal and unimodal learning, with both learners on the same class.

Lu, "A theory of multimodal learning" (NeurIPS 2023), motivating example: modalities x1 and
x2 = theta x1 (the *connection*, a bijection), target z = sin(1 / x2). A two-stage learner fits the
connection on (x1, x2) pairs, then a predictor on (x2, z), and predicts from x1 alone; a unimodal
learner sees (x1, z) only. The theorem is a worst case over distributions: the composite class
{x -> sin(1 / (theta x))} has infinite VC dimension when theta ranges over (0, inf), so no unimodal
learner has vanishing error uniformly, while the two-stage learner's error is O(1 / sqrt(n)) (the
*heterogeneity* between the composite and its parts). Here both learners are exact ERMs over the
same predictor class, so the only difference between them is access to x2 during training.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy.integrate import simpson
from scipy.optimize import minimize_scalar

from ._experiment import Rows, experiment
from ._plotting import log_x, log_y

__all__ = ["lu_separation"]

# Frequency grid step times t_max: the phase c t moves by at most 0.2 rad between grid points.
_PHASE_STEP = 0.4
_CHUNK = 2048


def _profile_rss(freqs: np.ndarray, t: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Residual sum of squares of z ~ a sin(c t) + b with (a, b) at their least-squares values, per c."""
    s = np.sin(np.multiply.outer(freqs, t))
    s -= s.mean(axis=1, keepdims=True)
    zc = z - z.mean()
    den = np.einsum("ij,ij->i", s, s)
    proj = np.divide((s @ zc) ** 2, den, out=np.zeros_like(den), where=den > 0)
    return float(zc @ zc) - proj


def _erm_frequency(t: np.ndarray, z: np.ndarray, low: float, high: float, t_max: float) -> float:
    """Global least-squares frequency over [low, high]: a grid fine enough for t <= t_max, then a bounded refinement."""
    step = _PHASE_STEP / t_max
    grid = np.append(np.arange(low, high, step), high)
    best, best_rss = low, math.inf
    for start in range(0, grid.size, _CHUNK):
        chunk = grid[start : start + _CHUNK]
        rss = _profile_rss(chunk, t, z)
        j = int(np.argmin(rss))
        if rss[j] < best_rss:
            best, best_rss = float(chunk[j]), float(rss[j])
    lo, hi = max(low, best - step), min(high, best + step)
    if hi <= lo:
        return best
    res = minimize_scalar(
        lambda c: _profile_rss(np.array([c]), t, z)[0], bounds=(lo, hi), method="bounded", options={"xatol": 1e-12}
    )
    return float(res.x) if res.fun <= best_rss else best


def _head(feature: np.ndarray, z: np.ndarray) -> tuple[float, float]:
    """Least-squares (a, b) of z ~ a feature + b."""
    coef, *_ = np.linalg.lstsq(np.c_[feature, np.ones_like(feature)], z, rcond=None)
    return float(coef[0]), float(coef[1])


def _excess_risk(freq: float, a: float, b: float, true_freq: float, low: float) -> float:
    """E_x[(a sin(freq / x) + b - sin(true_freq / x))^2] for x ~ U[low, 1], by Simpson's rule in t = 1 / x."""
    t_max = 1.0 / low
    points = 2 * int(8 * max(freq, true_freq) * t_max + 1000) + 1  # >= ~50 points per period
    t = np.linspace(1.0, t_max, points)
    density = 1.0 / ((1.0 - low) * t * t)  # x uniform on [low, 1] <=> t = 1/x has density 1 / ((1 - low) t^2)
    return float(simpson(density * (a * np.sin(freq * t) + b - np.sin(true_freq * t)) ** 2, x=t))


def _separation_figure(plt: Any, ok: Any, suite: Any) -> Any:
    noises = sorted(ok["connection_noise"].unique())
    fig, axes = plt.subplots(1, len(noises), figsize=(4.6 * len(noises), 3.8), sharey=True, squeeze=False)
    widths = sorted(ok["theta_min"].unique(), reverse=True)
    styles = {"two-stage (x1, x2)": "--", "ERM on x1": "-"}
    for ax, noise in zip(axes[0], noises):
        part = ok[ok["connection_noise"] == noise]
        for i, width in enumerate(widths):
            for learner, ls in styles.items():
                rows = part[(part["theta_min"] == width) & (part["learner"] == learner)]
                stats = rows.groupby("n")["excess_risk"].agg(["mean", "sem"])
                label = f"{learner}, theta in [{width:g}, {rows['theta_max'].iloc[0]:g}]" if len(rows) else None
                ax.errorbar(
                    stats.index,
                    stats["mean"],
                    yerr=stats["sem"].fillna(0.0),
                    fmt="o" + ls,
                    ms=3,
                    capsize=2,
                    color=f"C{i}",
                    label=label,
                )
        log_x(ax)
        log_y(ax)
        ax.set(xlabel="training rows n", title=f"connection noise {noise:g}")
    axes[0][0].set_ylabel("excess test risk on x1 (mean, SE)")
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=2, fontsize=7, frameon=False)
    fig.tight_layout(rect=(0, 0.06 + 0.035 * len(widths), 1, 1))
    return fig


@experiment(
    figure=_separation_figure, n=30, theta_min=0.001, theta_max=1.0, low=0.05, noise_sd=0.5, connection_noise=0.0
)
def lu_separation(p: dict[str, Any], rng: np.random.Generator) -> Rows:
    """Lu (2023)'s example with both learners doing exact ERM over one class: only access to x2 differs.

    Data: ``x1 ~ U[low, 1]``, ``x2 = theta x1 exp(connection_noise e)``, ``z = sin(1/(theta x1)) +
    noise_sd e'``, with theta drawn log-uniformly from the class ``[theta_min, theta_max]`` in each
    repetition. The predictor class is ``H = {x -> a sin(1/(theta x)) + b : theta in [theta_min,
    theta_max], a, b real}`` for both learners:

    - ``"two-stage (x1, x2)"`` (Lu's two-stage ERM): the connection by least squares over
      ``G = {x -> theta x}`` on the pairs (clipped to the class), the head (a, b) by least squares
      on ``(sin(1/x2), z)``, prediction ``a sin(1/(theta_hat x1)) + b``;
    - ``"ERM on x1"``: exact least squares over H from (x1, z) alone (a global search over the
      frequency 1/theta on a grid fine for every x in [low, 1], then a bounded refinement).

    Both are tested on x1 alone; the excess risk over the Bayes risk ``noise_sd^2`` is computed by
    quadrature (no test noise). A class with ``theta_min = theta_max`` has no heterogeneity: the
    unimodal learner then knows the connection too.
    """
    n = int(p["n"])
    lo_theta, hi_theta = float(p["theta_min"]), float(p["theta_max"])
    low, noise_sd, conn = float(p["low"]), float(p["noise_sd"]), float(p["connection_noise"])
    if n < 3:
        raise ValueError(f"`n` must be >= 3 (three parameters per learner); got {n}")
    if not 0 < lo_theta <= hi_theta:
        raise ValueError(f"the class needs 0 < theta_min <= theta_max; got [{lo_theta}, {hi_theta}]")
    if not 0 < low < 1:
        raise ValueError(f"`low` must be in (0, 1); got {low}")
    theta = math.exp(rng.uniform(math.log(lo_theta), math.log(hi_theta)))
    x1 = rng.uniform(low, 1.0, n)
    x2 = theta * x1 * np.exp(conn * rng.standard_normal(n))
    z = np.sin(1.0 / (theta * x1)) + noise_sd * rng.standard_normal(n)
    # two-stage: the connection over G, then the head over F = {y -> a sin(1/y) + b} on (x2, z)
    theta_hat = min(max(float(x1 @ x2) / float(x1 @ x1), lo_theta), hi_theta)
    a2, b2 = _head(np.sin(1.0 / x2), z)
    # unimodal: the same class, (x1, z) only
    t = 1.0 / x1
    freq = _erm_frequency(t, z, 1.0 / hi_theta, 1.0 / lo_theta, 1.0 / low)
    a1, b1 = _head(np.sin(freq * t), z)
    bayes = noise_sd**2
    common = {"theta": theta, "bayes_risk": bayes}
    return [
        {
            "learner": "two-stage (x1, x2)",
            "theta_hat": theta_hat,
            **common,
            "excess_risk": _excess_risk(1.0 / theta_hat, a2, b2, 1.0 / theta, low),
        },
        {
            "learner": "ERM on x1",
            "theta_hat": 1.0 / freq,
            **common,
            "excess_risk": _excess_risk(freq, a1, b1, 1.0 / theta, low),
        },
    ]
