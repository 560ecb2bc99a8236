"""PID of a class label from two continuous modalities, through cross-fitted class posteriors.

The posterior ``T_k = p(y | x_k)`` is a sufficient statistic of modality k for the label: y and
x_k are independent given T_k. The PIDs whose redundancy depends on the pair channels alone
(BROJA, I_min, MMI) are therefore those of (T1, T2; Y) - for BROJA, any coupling of the pairs
(X_k, Y) maps to one of (T_k, Y) without raising the information, and any coupling of the (T_k,
Y) extends to the X's by drawing x_k from p(x_k | t_k) (Bertschinger et al. 2014; the argument
of :class:`theory.SymbolClusterModel`). So the estimate works with held-out posteriors instead of
the raw columns:

1. ``P1``, ``P2`` and ``P12``: cross-fitted class posteriors from x1, x2 and (x1, x2), by the same
   probe on the same folds (:mod:`._probe`);
2. the totals are their usable informations (H(Y) minus the held-out cross-entropy), the same
   numbers ``mutual_information(..., method="probe")`` reports with the same seed;
3. the redundancy:

   - ``"mmi"``: ``min(I1, I2)``;
   - ``"imin"``: ``sum_y p(y) min_k I(Y=y; X_k)`` with the specific informations
     ``I(Y=y; X_k) = mean over rows of class y of log(P_k[y] / p(y))``, which average to the totals
     exactly;
   - ``"broja"``: the BROJA redundancy of the channels y -> cell of T_k: the posteriors of each
     modality are grouped into cells by Kullback-Leibler k-means (which minimises the
     information the grouping loses), and ``p(cell, y)`` is the cell's share of rows times the
     mean posterior in the cell. For a calibrated probe that mean is p(y | cell) exactly, so the
     tables carry no label-count noise (unlike clustering the raw columns and counting labels,
     whose plug-in bias grows with the cells): grouping only coarse-grains T_k, and finer cells
     converge to the redundancy of (T1, T2; Y). The cells keep ``KEEP`` of each posterior's
     information where ``MAX_CELLS`` suffice: with two or three classes the posteriors are one-
     or two-dimensional and a few dozen cells keep nearly all of it; with ten classes (a
     nine-dimensional simplex) 48 cells keep about 93-95 % (digits halves), and the redundancy
     lost with the rest makes the synergy come out low (clipped at 0; ``PIDEstimate.raw`` and
     ``details["kept"]`` show how much).

Atoms follow from the redundancy and the totals (consistency equations exact); they are then
clipped at zero (``PIDEstimate.raw`` keeps them unclipped).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np

from modalinfo.theory import PIDResult, discrete_pid
from modalinfo.validation import check_same_n

from ._inputs import label_codes, samples
from ._probe import FLOOR, heldout_posteriors, probe_by_name, usable_information_nats

__all__ = ["KEEP", "MAX_CELLS", "Posteriors", "cells", "posterior_decomposition", "posteriors"]

#: The BROJA redundancy's cells keep at least this share of each posterior's information, with at most
#: ``MAX_CELLS`` cells (K classes: 2K, 3K, 4K or 6K cells; two or three classes need few).
KEEP = 0.95
MAX_CELLS = 48


@dataclass(frozen=True)
class Posteriors:
    """Held-out class posteriors of each modality and of both, with the label codes (rows aligned)."""

    p1: np.ndarray
    p2: np.ndarray
    p12: np.ndarray
    codes: np.ndarray

    def take(self, rows: np.ndarray) -> Posteriors:
        """The same rows resampled (for bootstrap intervals of the second stage)."""
        return Posteriors(self.p1[rows], self.p2[rows], self.p12[rows], self.codes[rows])


def posteriors(x1: np.ndarray, x2: np.ndarray, y: np.ndarray, probe: object, gen: np.random.Generator) -> Posteriors:
    """Cross-fitted posteriors from x1, x2 and both, each from a copy of ``gen`` (the folds and probe choices of
    ``usable_information`` with that seed, so the totals are its numbers)."""
    (a, b), _ = samples((x1, "x1"), (x2, "x2"))
    codes = label_codes(y, "y")
    check_same_n(x1=a, y=codes)
    if int(codes.max()) == 0:
        raise ValueError("`y` has a single class: there is no information to decompose")
    fits = []
    for block in (a, b, np.hstack([a, b])):
        g = copy.deepcopy(gen)
        fits.append(heldout_posteriors(block, codes, probe_by_name(probe, g), g))
    return Posteriors(fits[0], fits[1], fits[2], codes)


def _specific(post: np.ndarray, codes: np.ndarray, prior: np.ndarray) -> np.ndarray:
    """I(Y = y; X) per class: the mean of log(P[y] / p(y)) over the rows of class y."""
    k = prior.size
    logs = np.log(np.maximum(post[np.arange(codes.size), codes], FLOOR)) - np.log(prior[codes])
    return np.bincount(codes, weights=logs, minlength=k) / np.maximum(np.bincount(codes, minlength=k), 1)


def _kl_means(post: np.ndarray, m: int, gen: np.random.Generator, iterations: int = 100) -> np.ndarray:
    """m cells of the posteriors minimising the information they lose, ``sum_i KL(P_i || mean of its cell)``.

    Bregman k-means with the Kullback-Leibler divergence (Banerjee et al. 2005): the loss is
    exactly ``I(Y; T) - I(Y; cell)`` for calibrated posteriors, so each step raises the cells'
    information. Seeded like k-means++, with KL in place of the squared distance.
    """
    n = post.shape[0]
    log_post = np.log(post)
    centres = [post[gen.integers(n)]]
    loss = np.sum(post * (log_post - np.log(centres[0])), axis=1)
    for _ in range(1, min(m, n)):
        total = float(loss.sum())
        pick = int(gen.choice(n, p=loss / total)) if total > 0 else int(gen.integers(n))
        centres.append(post[pick])
        loss = np.minimum(loss, np.sum(post * (log_post - np.log(post[pick])), axis=1))
    mu = np.array(centres)
    assign = np.argmax(post @ np.log(mu).T, axis=1)
    for _ in range(iterations):
        counts = np.bincount(assign, minlength=mu.shape[0])
        sums = np.zeros_like(mu)
        np.add.at(sums, assign, post)
        mu = np.where(counts[:, None] > 0, sums / np.maximum(counts, 1)[:, None], mu)
        new = np.argmax(post @ np.log(mu).T, axis=1)
        if np.array_equal(new, assign):
            break
        assign = new
    return np.unique(assign, return_inverse=True)[1].reshape(-1)


def _information(table: np.ndarray) -> float:
    """I(Y; cell) in nats of a table p(cell, y)."""
    py, pc = table.sum(axis=0), table.sum(axis=1)
    mask = table > 0
    return float(np.sum(table[mask] * np.log(table[mask] / np.outer(pc, py)[mask])))


def cells(post: np.ndarray, bins: int | None, gen: np.random.Generator) -> tuple[np.ndarray, float]:
    """(cell of each row, share of the posteriors' information the cells keep).

    ``bins`` cells, or (None) the fewest of 2K, 3K, 4K, 6K and ``MAX_CELLS`` cells (K classes,
    at most n / 5) that keep ``KEEP`` of the information ``H(mean P) - mean H(P)`` of the
    posteriors.
    """
    k = post.shape[1]
    whole = _information(post / post.shape[0])  # every row its own cell: I(Y; T) of calibrated posteriors
    sizes = [bins] if bins is not None else sorted({min(c * k, MAX_CELLS) for c in (2, 3, 4, 6)})
    for m in sizes:
        assign = _kl_means(post, min(m, max(post.shape[0] // 5, 2)), gen)
        kept = _information(_channel(post, assign)) / whole if whole > 0 else 1.0
        if kept >= KEEP:
            break
    return assign, kept


def _channel(post: np.ndarray, cell: np.ndarray) -> np.ndarray:
    """p(cell, y): the cell's share of rows times its mean posterior."""
    table = np.zeros((int(cell.max()) + 1, post.shape[1]))
    np.add.at(table, cell, post)
    return table / post.shape[0]


def broja_redundancy(post: Posteriors, cell1: np.ndarray, cell2: np.ndarray) -> float:
    """BROJA redundancy (nats) of the channels y -> cell of each modality's posterior."""
    p1, p2 = _channel(post.p1, cell1), _channel(post.p2, cell2)
    py = 0.5 * (p1.sum(axis=0) + p2.sum(axis=0))  # equal up to rounding for calibrated posteriors
    p1 *= np.divide(py, p1.sum(axis=0), out=np.zeros_like(py), where=p1.sum(axis=0) > 0)
    p2 *= np.divide(py, p2.sum(axis=0), out=np.zeros_like(py), where=p2.sum(axis=0) > 0)
    # any coupling with these pair marginals has the same BROJA redundancy: take the conditionally independent one
    joint = np.einsum("iy,jy->ijy", p1, p2) / np.where(py > 0, py, 1.0)
    return discrete_pid(joint / joint.sum(), "broja").redundancy


def posterior_decomposition(
    post: Posteriors, measure: str, cell_pair: tuple[np.ndarray, np.ndarray] | None = None
) -> PIDResult:
    """The PID in nats from held-out posteriors (module docstring); ``cell_pair`` for ``"broja"``."""
    codes = post.codes
    mi1, mi2, mi12 = (usable_information_nats(p, codes) for p in (post.p1, post.p2, post.p12))
    if measure == "mmi":
        redundancy = min(mi1, mi2)
    elif measure == "imin":
        prior = np.bincount(codes, minlength=post.p1.shape[1]) / codes.size
        spec = np.minimum(_specific(post.p1, codes, prior), _specific(post.p2, codes, prior))
        redundancy = min(float(prior @ spec), mi1, mi2)
    else:
        assert cell_pair is not None
        redundancy = broja_redundancy(post, *cell_pair)
    return PIDResult.from_redundancy(redundancy, mi1, mi2, mi12, measure=measure)
