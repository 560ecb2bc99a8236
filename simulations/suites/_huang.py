"""Huang et al. (2021)'s Theorems 1 and 2 in the linear case: an illustration, and a setting where they apply.

Huang, Du, Xue, Chen, Zhao & Huang (NeurIPS 2021), "What makes multi-modal learning better than
single (provably)". Theorem 1 bounds the population-risk gap of ERMs on modality sets M and N by
the latent-quality gap plus complexity and concentration terms, for an L-Lipschitz loss bounded in
[0, C]; Theorem 2 bounds the latent quality of the ERM encoder.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy.optimize import brentq
from scipy.stats import chi2, norm

from modalinfo.theory import (
    huang_latent_quality_bound,
    huang_risk_gap_bound,
    linear_latent_quality,
    linear_rademacher_bound,
)

from ._experiment import Rows, experiment
from ._plotting import errorbars, log_x, log_y

__all__ = ["huang_bounded", "huang_gap"]


_FIGURE_TITLES = {
    "huang_gap": "Gaussian data, OLS: an illustration (loss unbounded, class unconstrained)",
    "huang_bounded": "bounded data and loss, norm-constrained ERM: the assumptions of Theorems 1 and 2 hold",
}


def _huang_figure(plt: Any, ok: Any, suite: Any) -> Any:
    fig, (left, middle, right) = plt.subplots(1, 3, figsize=(13, 3.9))
    long = ok.melt(id_vars=["m"], value_vars=["gap", "gamma"], var_name="quantity", value_name="value")
    names = {"gap": "risk gap r(M) - r(N)", "gamma": "latent-quality gap gamma_S"}
    errorbars(left, long, "quantity", "m", "value", label=lambda key: f"{names[key]} (mean, sd)")
    left.axhline(0.0, color="k", lw=0.8)
    log_x(left)
    left.set_xlabel("training samples m")
    left.set_ylabel("M = {x1, x2} minus N = {x1}")
    left.legend(fontsize=7)
    stats = ok.groupby("m")[["bound", "complexity", "concentration"]].mean()
    for i, col in enumerate(stats.columns):
        middle.plot(stats.index, stats[col], "o-", color=f"C{i + 2}", ms=3.5, label=f"{col} (mean)")
    worst = ok.assign(size=ok["gap"].abs()).groupby("m")["size"].max()
    middle.plot(worst.index, worst, "k^:", ms=3.5, label="largest measured |gap|")
    middle.set(xlabel="training samples m", title="Theorem 1: the bound and its terms")
    eta = ok.groupby("m")[["eta_M_bound", "eta_M"]].mean()
    right.plot(eta.index, eta["eta_M_bound"], "o-", color="C5", ms=3.5, label="bound on eta(g_M) (mean)")
    right.plot(eta.index, eta["eta_M"], "ks:", ms=3.5, label="measured eta(g_M) (mean)")
    right.set(xlabel="training samples m", title="Theorem 2: latent quality of the ERM on M")
    for ax in (middle, right):
        log_x(ax)
        log_y(ax)
        ax.legend(fontsize=7)
    fig.suptitle(_FIGURE_TITLES.get(suite.experiment.name, ""), fontsize=9)
    fig.tight_layout()
    return fig


@experiment(figure=_huang_figure, m=100, p1=5, p2=5, w1=0.6, w2=0.3, noise_var=1.0, delta=0.05, coverage=0.999)
def huang_gap(p: dict[str, Any], rng: np.random.Generator) -> Rows:
    """Huang et al. (2021) Theorem 1 on Gaussian data with OLS: an illustration, outside the theorem's assumptions.

    x ~ N(0, I_{p1+p2}), y = w.x + e (w = w1 on modality 1's coordinates, w2 on modality 2's),
    ERM = OLS on each subset (encoder: the OLS direction, head: its scale). Returns the exact
    population risk gap ``r(h_M g_M) - r(h_N g_N)`` (isotropic: sigma^2 + ||w_hat - w||^2 each),
    the latent-quality difference gamma = eta(g_M) - eta(g_N) (theory.linear_latent_quality) and
    the theorem's bound terms; and for Theorem 2 the measured eta(g_M) against its bound (empirical
    excess risk of the ERM over the true predictor on the training sample, plus complexity terms).
    The theorem needs a bounded, Lipschitz loss: here the squared loss on
    |y|, |y_hat| <= B with B the ``coverage`` quantile of |y| (C = 4 B^2, L = 4 B), and the
    Rademacher bound W X / sqrt(m) with W = 2 ||w|| and X the ``coverage`` quantile of ||x||.
    These do not hold here: the squared loss on Gaussian data is unbounded and OLS is not
    norm-constrained (it leaves ``||w|| <= 2 ||w*||`` in a few per cent of fits at small m). So the
    bound column is evaluated outside its assumptions, and the sign change of the gap across m (the
    crossover) is this package's illustration of Huang et al.'s small-sample finding, not a
    prediction of the theorem: an upper bound predicts no sign. :func:`huang_bounded` is the
    setting where the assumptions hold.
    """
    m, p1, p2 = int(p["m"]), int(p["p1"]), int(p["p2"])
    d = p1 + p2
    w = np.r_[np.full(p1, float(p["w1"])), np.full(p2, float(p["w2"]))]
    s2 = float(p["noise_var"])
    x = rng.standard_normal((m, d))
    y = x @ w + math.sqrt(s2) * rng.standard_normal(m)
    w_m, *_ = np.linalg.lstsq(x, y, rcond=None)
    w_n, *_ = np.linalg.lstsq(x[:, :p1], y, rcond=None)
    risk_m = s2 + float(np.sum((w_m - w) ** 2))
    risk_n = s2 + float(np.sum((np.r_[w_n, np.zeros(p2)] - w) ** 2))
    eye = np.eye(d)
    gamma = linear_latent_quality(eye, w, list(range(d)), w_m[:, None]) - linear_latent_quality(
        eye, w, list(range(p1)), w_n[:, None]
    )
    q = float(p["coverage"])
    b = float(norm.ppf(0.5 + q / 2) * math.sqrt(w @ w + s2))
    rad = linear_rademacher_bound(m, 2 * math.sqrt(w @ w), math.sqrt(chi2.ppf(q, d)))
    bound = huang_risk_gap_bound(m, gamma, rad, lipschitz=4 * b, loss_bound=4 * b * b, delta=float(p["delta"]))
    empirical_excess = float(np.mean((y - x @ w_m) ** 2) - np.mean((y - x @ w) ** 2))
    thm2 = huang_latent_quality_bound(
        m, empirical_excess, rad, rad, lipschitz=4 * b, loss_bound=4 * b * b, delta=float(p["delta"])
    )
    return [
        {
            "gap": risk_m - risk_n,
            "gamma": float(gamma),
            "bound": float(bound.total),
            "complexity": float(bound.complexity),
            "concentration": float(bound.concentration),
            "eta_M": float(linear_latent_quality(eye, w, list(range(d)), w_m[:, None])),
            "eta_M_bound": float(thm2.total),
        }
    ]


def _norm_constrained_least_squares(x: np.ndarray, y: np.ndarray, radius: float) -> np.ndarray:
    """Exact ``argmin ||y - x v||^2`` subject to ``||v|| <= radius`` (the minimum-norm one when not unique).

    Inside the ball it is the minimum-norm least-squares solution; on the boundary it is the ridge
    solution ``(x'x + lam I)^-1 x'y`` whose norm equals the radius (the norm decreases in lam).
    """
    u, s, vt = np.linalg.svd(x, full_matrices=False)
    keep = s > s[0] * max(x.shape) * np.finfo(float).eps
    s, uy, vt = s[keep], (u.T @ y)[keep], vt[keep]
    norm_at = lambda lam: float(np.linalg.norm(s * uy / (s * s + lam)))  # noqa: E731
    if norm_at(0.0) <= radius:
        return vt.T @ (uy / s)
    lam = brentq(lambda v: norm_at(v) - radius, 0.0, float(np.linalg.norm(s * uy)) / radius, xtol=1e-14, rtol=1e-14)
    return vt.T @ (s * uy / (s * s + lam))


@experiment(figure=_huang_figure, m=100, p1=5, p2=5, w1=0.6, w2=0.3, noise_var=1.0, delta=0.05)
def huang_bounded(p: dict[str, Any], rng: np.random.Generator) -> Rows:
    """Huang et al. (2021) Theorems 1 and 2 where their assumptions hold: bounded data and loss, constrained ERM.

    ``x ~ U[-1, 1]^(p1 + p2)`` (covariance I/3), ``y = w.x + e`` with ``e ~ U[-a, a]``,
    ``a = sqrt(3 noise_var)`` (w = w1 on modality 1's coordinates, w2 on modality 2's). The class
    on modality set M is ``{x -> v.x_M : ||v|| <= ||w||}`` (encoder: the direction of v, head: its
    scale), so N = {1} is nested in M = {1, 2} by zero padding; the true predictor is in M's class
    (in N's only when w2 = 0) and the ERM is exact (norm-constrained least squares). On this support
    ``||x|| <= X = sqrt(p1 + p2)``, ``|v.x| <= P = ||w|| X`` and ``|y| <= Y = ||w||_1 + a``, so the
    squared loss restricted to the class is bounded by ``C = (P + Y)^2`` and ``L = 2 (P + Y)``-
    Lipschitz in the prediction, and ``R_m(H o G_M) <= ||w|| X_M / sqrt(m)`` with
    ``X_M = sqrt(|M| coordinates)``. Returns the exact population risk gap
    ``r(M) - r(N)`` (``r(v) = a^2/3 + (v - w)'(v - w)/3``), the latent-quality gap gamma
    (:func:`modalinfo.theory.linear_latent_quality` with covariance I/3; the best head on a direction
    stays inside the norm ball, so the constrained and unconstrained infima agree), Theorem 1's bound
    at ``delta``, whether it held, and Theorem 2's bound on eta(g_M). The theorem holds with
    probability >= 1 - delta/2 in every run of this setting; it is loose by orders of magnitude.
    """
    m, p1, p2 = int(p["m"]), int(p["p1"]), int(p["p2"])
    d = p1 + p2
    w = np.r_[np.full(p1, float(p["w1"])), np.full(p2, float(p["w2"]))]
    a = math.sqrt(3.0 * float(p["noise_var"]))
    radius = float(np.linalg.norm(w))
    x = rng.uniform(-1.0, 1.0, (m, d))
    y = x @ w + rng.uniform(-a, a, m)
    v_m = _norm_constrained_least_squares(x, y, radius)
    v_n = np.r_[_norm_constrained_least_squares(x[:, :p1], y, radius), np.zeros(p2)]
    risk = lambda v: a * a / 3.0 + float((v - w) @ (v - w)) / 3.0  # noqa: E731
    cov = np.eye(d) / 3.0
    eta_m = linear_latent_quality(cov, w, list(range(d)), v_m[:, None])
    eta_n = linear_latent_quality(cov, w, list(range(p1)), v_n[:p1, None])
    bound_x = math.sqrt(d)
    reach = radius * bound_x + float(np.abs(w).sum()) + a
    lip, c, delta = 2.0 * reach, reach * reach, float(p["delta"])
    rad_m = linear_rademacher_bound(m, radius, bound_x)
    gap, gamma = risk(v_m) - risk(v_n), float(eta_m - eta_n)
    bound = huang_risk_gap_bound(m, gamma, rad_m, lipschitz=lip, loss_bound=c, delta=delta)
    empirical_excess = float(np.mean((y - x @ v_m) ** 2) - np.mean((y - x @ w) ** 2))
    thm2 = huang_latent_quality_bound(m, empirical_excess, rad_m, rad_m, lipschitz=lip, loss_bound=c, delta=delta)
    return [
        {
            "gap": gap,
            "gamma": gamma,
            "bound": float(bound.total),
            "complexity": float(bound.complexity),
            "concentration": float(bound.concentration),
            "held": bool(gap <= bound.total),
            "eta_M": float(eta_m),
            "eta_M_bound": float(thm2.total),
        }
    ]
