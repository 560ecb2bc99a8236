"""Experiments after two papers: Lu (2023)'s separation example and Huang et al. (2021)'s Theorems 1 and 2."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy.spatial import cKDTree
from scipy.stats import chi2, norm

from modalinfo.theory import (
    huang_latent_quality_bound,
    huang_risk_gap_bound,
    linear_latent_quality,
    linear_rademacher_bound,
)

from ._experiment import Rows, experiment
from ._plotting import errorbars, log_x, log_y

__all__ = ["huang_gap", "lu_separation"]


def _separation_figure(plt: Any, ok: Any, suite: Any) -> Any:
    fig, ax = plt.subplots(figsize=(6, 3.6))
    errorbars(ax, ok, "learner", "n", "test_mse")
    ax.axhline(ok["bayes_risk"].iloc[0], color="k", ls=":", lw=0.8, label="Bayes risk")
    log_x(ax)
    log_y(ax)
    ax.set_xlabel("training pairs n")
    ax.set_ylabel("test MSE from x1 alone")
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig


@experiment(figure=_separation_figure, n=100, theta=1.0, low=0.01, noise_sd=0.1, k=5, n_test=5000)
def lu_separation(p: dict[str, Any], rng: np.random.Generator) -> Rows:
    """Lu (2023)'s motivating example: connection plus heterogeneity separate the learners.

    x1 ~ U[low, 1], second modality x2 = theta x1 (a bijective connection), label
    ``z = sin(1 / x2) + N(0, noise_sd^2)``. The two-stage learner estimates theta from the pairs
    (median of x2 / x1), fits ``z ~ a sin(1 / x2) + b`` on (x2, z), and predicts from x1 alone as
    ``a sin(1 / (theta_hat x1)) + b``; the unimodal learner is k-nearest-neighbour regression of z
    on x1 (the function oscillates without bound as x1 -> 0, so it needs many samples). Test MSE on
    x1 only; the Bayes risk is noise_sd^2. (Our parameters; Lu's are not published in the text.)
    """
    n, n_test = int(p["n"]), int(p["n_test"])
    theta, low, noise_sd = float(p["theta"]), float(p["low"]), float(p["noise_sd"])
    x = rng.uniform(low, 1.0, n)
    x2 = theta * x
    z = np.sin(1.0 / x2) + noise_sd * rng.standard_normal(n)
    xt = rng.uniform(low, 1.0, n_test)
    zt = np.sin(1.0 / (theta * xt)) + noise_sd * rng.standard_normal(n_test)
    theta_hat = float(np.median(x2 / x))
    coef, *_ = np.linalg.lstsq(np.c_[np.sin(1.0 / x2), np.ones(n)], z, rcond=None)
    two_stage = float(np.mean((zt - (coef[0] * np.sin(1.0 / (theta_hat * xt)) + coef[1])) ** 2))
    k = min(int(p["k"]), n)
    _, idx = cKDTree(x[:, None]).query(xt[:, None], k=k)
    knn = float(np.mean((zt - z[np.asarray(idx).reshape(n_test, -1)].mean(axis=1)) ** 2))
    bayes = noise_sd**2
    return [
        {"learner": "two-stage", "test_mse": two_stage, "bayes_risk": bayes},
        {"learner": "unimodal-knn", "test_mse": knn, "bayes_risk": bayes},
    ]


def _huang_figure(plt: Any, ok: Any, suite: Any) -> Any:
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6))
    long = ok.melt(id_vars=["m"], value_vars=["gap", "gamma"], var_name="quantity", value_name="value")
    names = {"gap": "risk gap r(M) - r(N)", "gamma": "latent-quality gap gamma_S"}
    errorbars(left, long, "quantity", "m", "value", label=lambda key: names[key])
    left.axhline(0.0, color="k", lw=0.8)
    log_x(left)
    left.set_xlabel("training samples m")
    left.set_ylabel("M = {x1, x2} minus N = {x1}")
    left.legend(fontsize=7)
    stats = ok.groupby("m")[["bound", "complexity", "concentration"]].mean()
    for i, col in enumerate(stats.columns):
        right.plot(stats.index, stats[col], "o-", color=f"C{i + 2}", ms=3.5, label=col)
    log_x(right)
    log_y(right)
    right.set(xlabel="training samples m", title="Theorem 1 bound terms (mean)")
    right.legend(fontsize=7)
    fig.tight_layout()
    return fig


@experiment(figure=_huang_figure, m=100, p1=5, p2=5, w1=0.6, w2=0.3, noise_var=1.0, delta=0.05, coverage=0.999)
def huang_gap(p: dict[str, Any], rng: np.random.Generator) -> Rows:
    """Huang et al. (2021) Theorem 1 in the linear case: measured risk gap of M = {1, 2} over N = {1}.

    x ~ N(0, I_{p1+p2}), y = w.x + e (w = w1 on modality 1's coordinates, w2 on modality 2's),
    ERM = OLS on each subset (encoder: the OLS direction, head: its scale). Returns the exact
    population risk gap ``r(h_M g_M) - r(h_N g_N)`` (isotropic: sigma^2 + ||w_hat - w||^2 each),
    the latent-quality difference gamma = eta(g_M) - eta(g_N) (theory.linear_latent_quality) and
    the theorem's bound terms; and for Theorem 2 the measured eta(g_M) against its bound (empirical
    excess risk of the ERM over the true predictor on the training sample, plus complexity terms).
    The theorem needs a bounded, Lipschitz loss: here the squared loss on
    |y|, |y_hat| <= B with B the ``coverage`` quantile of |y| (C = 4 B^2, L = 4 B), and the
    Rademacher bound W X / sqrt(m) with W = 2 ||w|| and X the ``coverage`` quantile of ||x||:
    assumptions of this illustration, stated so that the numbers can be reproduced.
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
