"""The paper's numbers and the sentences that describe them, from the stored suite results (used by build.py).

Every number the text quotes is a macro computed here from the suites' stored tables or read from
their parameters (``QUOTED``: grid points; ``_parameter``: fixed values and experiment defaults;
``_default``: defaults of the package's functions). A sentence whose words depend on the numbers
(which estimator is closest, whether a sign changes, which intervals fall below nominal) is
chosen here from those numbers, so that the text cannot contradict them.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from modalinfo.estimators import exchange_rate, fit_ols_curve
from modalinfo.simulations.suites import Suite, iso_ratio_curve, marginal_exchange_rate
from modalinfo.testing import check_mi_estimator
from modalinfo.theory import LatentModel

__all__ = ["QUOTED", "accuracy_table", "coverage_table", "macros"]

#: The grid points the paper quotes: macro -> (suite, grid parameter, position in the suite's list).
QUOTED = {
    "HuangRefM": ("huang", "m", 4),
    "HuangBoundedRefM": ("huang-bounded", "m", 2),
    "HuangBoundedLargestM": ("huang-bounded", "m", -1),
    "SeparationFewN": ("separation", "n", 0),
    "SeparationManyN": ("separation", "n", 3),
    "SeparationWideClass": ("separation", "theta_min", -1),
    "SeparationNoWidth": ("separation", "theta_min", 0),
    "SeparationConnectionNoise": ("separation", "connection_noise", -1),
    "FewLabels": ("colearning", "n_train", 0),
    "SpuriousStrength": ("spurious", "strength", 4),
    "SweepHighOverlap": ("sweep", "overlap", -1),
    "SweepNoOverlap": ("sweep", "overlap", 0),
    "SweepNoMissing": ("sweep", "missing", 0),
    "SweepSomeMissing": ("sweep", "missing", -1),
    "UnpairedOverlap": ("unpaired", "overlap", 1),
    "UnpairedGapN": ("unpaired", "n_paired", 1),
    "UnlabeledMost": ("unlabeled", "n_unlabeled", -1),
    "UnlabeledHighOverlap": ("unlabeled", "overlap", -1),
    "UnlabeledNoOverlap": ("unlabeled", "overlap", 0),
    "MeasuresNoOverlap": ("pid-measures", "overlap", 0),
    "MeasuresHalfOverlap": ("pid-measures", "overlap", 2),
}
#: A mean "agrees" with the exact value when it is within this many standard errors of it.
AGREE_Z = 2.0
#: An interval is "below nominal" when a cell's coverage is more than this many binomial standard errors below.
COVERAGE_Z = 3.0
#: The iso-risk ratio is quoted at this multiple of the fitted unimodal floor.
ISO_TARGET = 1.1


def _ok(table: Any) -> Any:
    return table[table["status"] == "ok"]


def _mean(table: Any, column: str, **where: Any) -> float:
    ok = _ok(table)
    for key, value in where.items():
        ok = ok[ok[key] == value]
    if ok.empty:
        raise ValueError(f"no stored rows for {column} where {where}; run the suite with that grid point")
    return float(ok[column].mean())


def _parameter(suite: Suite, key: str) -> Any:
    """A constant of a suite: its [fixed] value, else the experiment's default."""
    return dict(suite.fixed).get(key, (suite.experiment.parameters or {}).get(key))


def _default(function: Callable[..., Any], name: str) -> Any:
    """The default of a keyword of one of the package's functions (a parameter the text states)."""
    return inspect.signature(function).parameters[name].default


def _count(value: float) -> str:
    """An integer with a thin-space-free TeX thousands separator: 10{,}000."""
    return f"{int(value):,}".replace(",", "{,}")


def _percent(fraction: float) -> str:
    return f"{100 * fraction:.3g}"


def _listing(items: Iterable[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``; ``none`` for no items."""
    items = list(items)
    if not items:
        return "none"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _number(value: float, digits: int = 1) -> str:
    """A decimal, or the infinity sign (a ratio beyond the unimodal floor, a deviation with zero spread)."""
    return f"{value:.{digits}f}" if np.isfinite(value) else "$\\infty$"


def _agreement(ok: Any, by: list[str], what: str, estimate: str = "estimate", exact: str = "exact") -> str:
    """How many group means of ``estimate - exact`` lie within AGREE_Z standard errors of 0, and the largest |z|."""
    rows = ok[ok[exact].notna()]
    error = (rows[estimate] - rows[exact]).groupby([rows[b] for b in by])
    mean, se = error.mean(), error.std() / np.sqrt(error.count())
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, mean.abs() / se, np.where(mean == 0, 0.0, np.inf))
    outside = [" ".join(map(str, k)) if isinstance(k, tuple) else str(k) for k, v in zip(mean.index, z) if v > AGREE_Z]
    named = f"; outside: {_listing(outside)}" if 0 < len(outside) <= 4 else ""
    return (
        f"{len(z) - len(outside)} of {len(z)} {what} within {AGREE_Z:g} standard errors of the exact value "
        f"(largest deviation {_number(float(np.max(z)))} standard errors{named})"
    )


def macros(tables: dict[str, Any], suites: dict[str, Suite]) -> dict[str, str]:
    """The numbers and sentences the paper quotes (names: letters only, for TeX)."""
    at = {name: suites[s].grid_values(key)[i] for name, (s, key, i) in QUOTED.items()}
    out = {name: f"{value:g}" for name, value in at.items()}
    for part in (
        _information_macros(tables, suites),
        _huang_macros(tables, suites, at),
        _learning_macros(tables, suites, at),
        _separation_macros(tables["separation"], suites["separation"], at),
        _unpaired_macros(tables, suites, at),
        _coverage_macros(tables["coverage"], suites["coverage"]),
        _measures_macros(tables["pid-measures"], at),
    ):
        out |= part
    out["AgreeZ"] = f"{AGREE_Z:g}"
    out["LawsN"] = f"{_default(check_mi_estimator, 'n')}"
    out["LawsZ"] = f"{_default(check_mi_estimator, 'z'):g}"
    return out


def _information_macros(tables: dict[str, Any], suites: dict[str, Suite]) -> dict[str, str]:
    """The plotted model's dimensions, its redundancy peak, the estimators' agreement and accuracy, canonical PIDs."""
    default, canon, accuracy = _ok(tables["default"]), _ok(tables["canonical"]), _ok(tables["accuracy"])
    suite = suites["default"]
    model = LatentModel(**{k: _parameter(suite, k) for k in ("noise_var", "target_noise_var", "mixing_seed")})
    red = default[default["quantity"] == "redundancy"].groupby("overlap")["exact"].mean()
    peak, where = float(red.max()), float(red.idxmax())
    if red.index.min() < where < red.index.max():
        peak_sentence = (
            f"peaks at {peak:.3f} nats at overlap {where:g}: when the target also depends on private latents, "
            "more overlap first adds shared signal, then removes private signal"
        )
    else:
        peak_sentence = f"is largest at overlap {where:g} ({peak:.3f} nats)"
    joint = default[default["quantity"] == "I(y;x1,x2)"]
    bias = joint.assign(err=joint["estimate"] - joint["exact"]).groupby("method")["err"].mean()
    largest_n = int(accuracy["n"].max())
    canon_err = (canon["estimate"] - canon["exact"]).abs().groupby([canon["model"], canon["quantity"]]).mean()
    return {
        "OverlapObsDim": f"{model.obs_dims[0]}",
        "OverlapSharedDim": f"{model.shared_dim}",
        "OverlapPrivateDim": f"{model.private_dims[0]}",
        "OverlapJointDim": f"{sum(model.obs_dims)}",
        "OverlapNoiseVar": f"{model.noise_var[0]:g}",
        "OverlapWeightNorm": f"{np.linalg.norm(model.target_weights()):g}",
        "OverlapTargetNoise": f"{model.target_noise_var:g}",
        "OverlapN": _count(_parameter(suite, "n")),
        "OverlapReps": f"{suite.repetitions}",
        "OverlapAgreement": _agreement(
            default[default["method"] == "gaussian"], ["quantity"], "quantities (pooled over the overlaps)"
        ),
        "RedundancySentence": peak_sentence,
        "KsgJointBias": f"{bias.get('ksg', np.nan):.3f}",
        "GaussianJointBias": f"{bias.get('gaussian', np.nan):.3f}",
        "AccuracyMethods": _listing(sorted(accuracy["method"].unique())),
        "AccuracyLargestN": _count(largest_n),
        "AccuracySentence": _accuracy_sentence(accuracy[accuracy["n"] == largest_n]),
        "CanonicalN": _count(_parameter(suites["canonical"], "n")),
        "CanonicalMaxError": f"{canon_err.max():.4f}",
        "CanonicalAgreement": _agreement(canon, ["model", "quantity"], "atoms"),
    }


def _accuracy_errors(rows: Any) -> Any:
    """Mean estimate - exact (nats) per model (rows) and method (columns), pooled over the informations."""
    return (rows["estimate"] - rows["exact"]).groupby([rows["model"], rows["method"]]).mean().unstack("method")


def _accuracy_sentence(rows: Any) -> str:
    """Which estimator has the smallest absolute mean error on each model."""
    errors = _accuracy_errors(rows)
    best = errors.abs().idxmin(axis=1)
    parts = [f"{best[m]} on \\texttt{{{m}}} ({errors.loc[m, best[m]]:.3f})" for m in errors.index]
    return "the smallest absolute mean error is that of " + _listing(parts) + " nats"


def accuracy_table(table: Any) -> str:
    """A LaTeX tabular of the mean error (nats) per model and method at the largest n, the smallest in bold."""
    ok = _ok(table)
    errors = _accuracy_errors(ok[ok["n"] == ok["n"].max()])
    lines = ["\\begin{tabular}{l" + "r" * errors.shape[1] + "}", "\\toprule"]
    lines.append("model & " + " & ".join(errors.columns) + " \\\\")
    lines.append("\\midrule")
    for model, row in errors.iterrows():
        best = row.abs().idxmin()
        cells = [f"\\textbf{{{v:.3f}}}" if k == best else f"{v:.3f}" for k, v in row.items()]
        lines.append(f"\\texttt{{{model}}} & " + " & ".join(cells) + " \\\\")
    lines += ["\\bottomrule", "\\end{tabular}"]
    return "\n".join(lines) + "\n"


def _huang_macros(tables: dict[str, Any], suites: dict[str, Suite], at: dict[str, Any]) -> dict[str, str]:
    """Theorems 1 and 2 where they apply (how often they held, how loose) and the Gaussian illustration."""
    h, hb = _ok(tables["huang"]), _ok(tables["huang-bounded"])
    bounded, gaussian = suites["huang-bounded"], suites["huang"]
    delta = float(_parameter(bounded, "delta"))
    looseness = hb.groupby("m")["bound"].mean() / hb.assign(size=hb["gap"].abs()).groupby("m")["size"].max()
    gap = h.groupby("m")["gap"].mean()
    small, ref = min(gaussian.grid_values("m")), at["HuangRefM"]
    out = {
        f"Huang{tag}{name}": f"{_parameter(suite, key):g}"
        for tag, suite in (("", gaussian), ("Bounded", bounded))
        for name, key in (("POne", "p1"), ("PTwo", "p2"), ("WOne", "w1"), ("WTwo", "w2"), ("NoiseVar", "noise_var"))
    }
    out |= {
        "HuangCoverage": _percent(_parameter(gaussian, "coverage")),
        "HuangCrossoverSentence": _crossover_sentence(gap, small, ref),
        "HuangBoundRef": f"{_mean(h, 'bound', m=ref):.0f}",
        "HuangBoundedSignSentence": _bounded_sign_sentence(
            hb.groupby("m")["gap"].mean(), min(bounded.grid_values("m"))
        ),
        "HuangBoundedDelta": f"{delta:g}",
        "HuangBoundedRuns": _count(len(hb)),
        "HuangBoundedHeld": _percent(float(hb["held"].mean())),
        "HuangBoundedGuarantee": _percent(1 - delta / 2),
        "HuangBoundedLooseness": f"{looseness.min():.0f}",
        "HuangBoundedGapRef": f"{_mean(hb, 'gap', m=at['HuangBoundedRefM']):.3f}",
        "HuangBoundedBoundRef": f"{_mean(hb, 'bound', m=at['HuangBoundedRefM']):.0f}",
        "HuangBoundedBoundLargest": f"{_mean(hb, 'bound', m=at['HuangBoundedLargestM']):.0f}",
        "HuangBoundedThmTwoHeld": _percent(float((hb["eta_M"] <= hb["eta_M_bound"]).mean())),
        "HuangBoundedThmTwoGuarantee": _percent(1 - delta),
        "HuangBoundedEtaRef": f"{_mean(hb, 'eta_M', m=at['HuangBoundedRefM']):.3f}",
        "HuangBoundedEtaBoundRef": f"{_mean(hb, 'eta_M_bound', m=at['HuangBoundedRefM']):.0f}",
    }
    return out


def _negative_from(gap: Any) -> Any:
    """The smallest index (m or n) from which a series stays negative (None if its last value is not)."""
    first = None
    for m, value in gap.sort_index(ascending=False).items():
        if value >= 0:
            break
        first = m
    return first


def _crossover_sentence(gap: Any, small: Any, ref: Any) -> str:
    """The sign of the mean risk gap at the smallest m, and from where it stays negative."""
    word = "higher" if gap[small] > 0 else "lower"
    sentence = f"a {word} population risk than on $x_1$ alone at $m={small:g}$ (gap {gap[small]:.2f})"
    first = _negative_from(gap)
    if gap[small] > 0 and first is not None:
        sentence += f", and a lower one from $m={first:g}$ on (gap {gap[ref]:.3f} at $m={ref:g}$)"
    else:
        sentence += f"; the gap is {gap[ref]:.3f} at $m={ref:g}$"
    return sentence


def _bounded_sign_sentence(gap: Any, small: Any) -> str:
    first = _negative_from(gap)
    if gap[small] > 0 and first is not None:
        return (
            f"The bounded setting shows the same sign change (gap {gap[small]:.3f} at $m={small:g}$, "
            f"negative from $m={first:g}$ on)."
        )
    return f"The bounded setting has no such sign change here: the mean gap is {gap[small]:.3f} at $m={small:g}$."


def _learning_macros(tables: dict[str, Any], suites: dict[str, Suite], at: dict[str, Any]) -> dict[str, str]:
    """Learning curves and the iso-risk ratio, co-learning, the sweep and the planted trend."""
    c, q, sweep, spur = (_ok(tables[s]) for s in ("curves", "colearning", "sweep", "spurious"))
    uni = c[c["modalities"] == "x1"].groupby("n_train")["test_risk"].mean()
    both = c[c["modalities"] == "x1+x2"].groupby("n_train")["test_risk"].mean()
    crossover = _negative_from(both - uni)
    _, ratio, low, high = iso_ratio_curve(c[c["learner"] == "ols"], [ISO_TARGET])
    hi, none, full, some = (at[k] for k in ("SweepHighOverlap", "SweepNoOverlap", "SweepNoMissing", "SweepSomeMissing"))
    strength, few = at["SpuriousStrength"], at["FewLabels"]
    sweep_mean = lambda overlap, learner: _mean(sweep, "test_risk", overlap=overlap, missing=full, learner=learner)  # noqa: E731
    missing = sweep[sweep["missing"] == some].groupby("learner")["test_risk"].mean()
    spur_excess = ((spur["test_risk"] - spur["shifted_risk"]) / spur["shifted_risk"]).mean()
    return {
        "CurvesCrossoverSentence": (
            "does not stay below that on $x_1$ alone over the sizes measured"
            if crossover is None
            else f"beats $x_1$ alone from $n={crossover:g}$ labels on"
        ),
        "CurvesAgreement": _agreement(
            c[c["learner"] == "ols"], ["modalities", "n_train"], "(subset, $n$) means", "test_risk", "expected_risk"
        ),
        "IsoRatioTarget": _percent(ISO_TARGET - 1),
        "IsoRatioLevel": _percent(_default(fit_ols_curve, "level")),
        "IsoRatioTenPercent": _number(ratio[0]),
        "IsoRatioTenPercentLow": _number(low[0]),
        "IsoRatioTenPercentHigh": _number(high[0]),
        "IsoRatioCoverage": _interval_coverage(tables["coverage"], "iso-risk ratio"),
        "EnrichmentFew": f"{_mean(q, 'test_risk', n_train=few, learner='enrichment'):.2f}",
        "OlsFew": f"{_mean(q, 'test_risk', n_train=few, learner='ols'):.2f}",
        "SweepLabels": f"{_parameter(suites['sweep'], 'n_labels')}",
        "SweepUnlabeled": _count(_parameter(suites["sweep"], "n_unlabeled")),
        "SweepEnrichHigh": f"{sweep_mean(hi, 'enrichment'):.2f}",
        "SweepUniHigh": f"{sweep_mean(hi, 'unimodal'):.2f}",
        "SweepEnrichNone": f"{sweep_mean(none, 'enrichment'):.2f}",
        "SweepUniNone": f"{sweep_mean(none, 'unimodal'):.2f}",
        "SweepTranslateMissing": f"{missing['translate']:.2f}",
        "SweepImputeMissing": f"{missing['impute']:.2f}",
        "SweepUniMissing": f"{missing['unimodal']:.2f}",
        "SpuriousN": f"{_parameter(suites['spurious'], 'n_train')}",
        "SpuriousExcess": f"{_percent(abs(float(spur_excess)))}\\% {'above' if spur_excess > 0 else 'below'}",
        "SpuriousOne": f"{_mean(spur, 'test_risk', strength=strength, learner='x1'):.2f}",
        "SpuriousBoth": f"{_mean(spur, 'test_risk', strength=strength, learner='x1+x2'):.2f}",
        "SpuriousClean": f"{_mean(spur, 'test_risk', strength=strength, learner='x1-clean'):.2f}",
        "SpuriousOneBayes": f"{_mean(spur, 'test_bayes_risk', strength=strength, learner='x1'):.2f}",
        "SpuriousBothBayes": f"{_mean(spur, 'test_bayes_risk', strength=strength, learner='x1+x2'):.2f}",
    }


def _interval_coverage(table: Any, interval: str) -> str:
    """The range of one interval's measured coverage in the coverage table, at its nominal levels."""
    rows = _ok(table)
    rows = rows[rows["interval"] == interval]
    if rows.empty:
        return "its interval's coverage is not in Table~\\ref{tab:coverage}"
    cells = rows.groupby(["level", "n"])["covered"].mean()
    levels = _listing(f"{_percent(level)}\\%" for level in sorted(rows["level"].unique()))
    span = f"{cells.min():.2f}" if cells.min() == cells.max() else f"{cells.min():.2f} to {cells.max():.2f}"
    return (
        f"its interval covered the exact ratio in a fraction {span} of the repetitions at nominal {levels} "
        "(Table~\\ref{tab:coverage})"
    )


def _separation_macros(table: Any, suite: Suite, at: dict[str, Any]) -> dict[str, str]:
    """Excess risks of the two learners (few and many rows, exact and noisy connection), their ratio and decay."""
    wide, noisy = at["SeparationWideClass"], at["SeparationConnectionNoise"]
    ok = _ok(table)
    risk = {}
    for tag, n, noise in (
        ("Few", "SeparationFewN", 0.0),
        ("Many", "SeparationManyN", 0.0),
        ("Noisy", "SeparationManyN", noisy),
    ):
        for short, learner in (("Two", "two-stage (x1, x2)"), ("Uni", "ERM on x1")):
            risk[short + tag] = _mean(
                ok, "excess_risk", n=at[n], theta_min=wide, connection_noise=noise, learner=learner
            )
    curve = (
        ok[(ok["theta_min"] == wide) & (ok["connection_noise"] == 0.0)].groupby(["learner", "n"])["excess_risk"].mean()
    )
    sizes = sorted(ok["n"].unique())[-3:]
    slope = {
        short: np.polyfit(np.log(sizes), np.log([curve[(learner, n)] for n in sizes]), 1)[0]
        for short, learner in (("Two", "two-stage (x1, x2)"), ("Uni", "ERM on x1"))
    }
    if risk["TwoNoisy"] > risk["UniNoisy"]:
        noisy_sentence = (
            "the head fitted on $x_2$ loses the phase at high frequencies and the two-stage learner is the worse one"
        )
    else:
        noisy_sentence = "the two-stage learner remains the better one"
    return {
        **{f"Separation{k}": f"{v:.3f}" for k, v in risk.items()},
        "SeparationRatioFew": f"{risk['UniFew'] / risk['TwoFew']:.1f}",
        "SeparationRatioMany": f"{risk['UniMany'] / risk['TwoMany']:.2f}",
        "SeparationSlopeUni": f"{slope['Uni']:.2f}",
        "SeparationSlopeTwo": f"{slope['Two']:.2f}",
        "SeparationLargestNs": _listing(f"{n:g}" for n in sizes),
        "SeparationNoisySentence": noisy_sentence,
        "SeparationThetaMax": f"{_parameter(suite, 'theta_max'):g}",
        "SeparationNoiseSd": f"{_parameter(suite, 'noise_sd'):g}",
        "SeparationLow": f"{_parameter(suite, 'low'):g}",
    }


def _measures_macros(table: Any, at: dict[str, Any]) -> dict[str, str]:
    """Exact redundancy of each measure at no and half overlap, the estimates' worst mean error, the largest ~G gap."""
    ok = _ok(table)
    redundancy = ok[ok["quantity"] == "redundancy"]
    out = {
        f"Measures{measure.capitalize()}{tag}": f"{_mean(redundancy, 'exact', measure=measure, overlap=at[key]):.2f}"
        for measure in ("mmi", "tilde", "idep")
        for tag, key in (("None", "MeasuresNoOverlap"), ("Half", "MeasuresHalfOverlap"))
    }
    error = (ok["estimate"] - ok["exact"]).groupby([ok["measure"], ok["quantity"], ok["overlap"]]).mean().abs()
    out["MeasuresWorstBias"] = f"{error.max():.3f}"
    out["MeasuresAgreement"] = _agreement(ok, ["measure", "quantity", "overlap"], "(measure, atom, overlap) means")
    mantissa, exponent = f"{max(ok['gap'].max(), 1e-300):.1e}".split("e")
    out["MeasuresLargestGap"] = rf"{mantissa}\times 10^{{{int(exponent)}}}"
    out["MeasuresN"] = _count(ok["n"].iloc[0])
    return out


def _unpaired_macros(tables: dict[str, Any], suites: dict[str, Suite], at: dict[str, Any]) -> dict[str, str]:
    """Synergy bounds (AND, XOR, their tightness), the exchange rate and its finite-sample gap, unlabeled pairs."""
    syn, unp, unl = _ok(tables["synergy"]), _ok(tables["unpaired"]), _ok(tables["unlabeled"])
    exact = syn.groupby(["mixture", "weight", "noise_prob", "quantity"])["exact"].mean().unstack("quantity")
    pure = {"And": ("and-xor", 0.0, 0.0), "Xor": ("and-xor", 1.0, 0.0)}
    bounds = {
        f"Synergy{name}{q.capitalize()}": f"{exact.loc[key, q]:.3f}"
        for name, key in pure.items()
        for q in exact.columns
    }
    zero = int((exact["lower"] <= 1e-9).sum())
    tightness = (
        f"on the {len(exact)} tables of Figure~\\ref{{fig:synergy}} the lower bound is 0 on {zero} of them, and its "
        f"mean is {exact['lower'].mean():.3f} bits against a mean synergy of {exact['synergy'].mean():.3f} bits "
        f"and a mean upper bound of {exact['upper'].mean():.3f} bits"
    )
    estimated = syn[syn["quantity"] != "synergy"]
    ml = unp[(unp["learner"] == "ml, all rows") & (unp["overlap"] == at["UnpairedOverlap"])]
    level = _default(exchange_rate, "level")
    fit = exchange_rate(ml["n_paired"], ml["n_unpaired"], ml["excess_risk"], model="parametric", n_resamples=200, rng=0)
    most, hi, none = at["UnlabeledMost"], at["UnlabeledHighOverlap"], at["UnlabeledNoOverlap"]
    enrich = {
        f"Unlabeled{tag}{short}": f"{_mean(unl, 'excess_risk', n_unlabeled=most, overlap=o, learner=learner):.3f}"
        for tag, o in (("High", hi), ("None", none))
        for short, learner in (("Enrich", "enrichment"), ("Ols", "least squares on x1"))
    }
    return {
        **bounds,
        "SynergyTightness": tightness,
        "SynergyEstimateError": f"{(estimated['estimate'] - estimated['exact']).abs().mean():.3f}",
        "SynergyAgreement": _agreement(estimated, ["mixture", "weight", "noise_prob", "quantity"], "bounds"),
        "SynergyPairs": _count(_parameter(suites["synergy"], "n_pairs")),
        "LambdaTheory": f"{float(ml['lambda_theory'].mean()):.2f}",
        "LambdaFit": f"{fit['lambda']:.2f}",
        "LambdaFitLow": f"{fit.get('lambda_low', float('nan')):.2f}",
        "LambdaFitHigh": f"{fit.get('lambda_high', float('nan')):.2f}",
        "LambdaLevel": _percent(level),
        "UnpairedGapSentence": _rate_gap_sentence(unp[unp["n_paired"] == at["UnpairedGapN"]]),
        "UnlabeledLabels": f"{_parameter(suites['unlabeled'], 'n_labeled')}",
        **enrich,
    }


def _rate_gap_sentence(rows: Any) -> str:
    """The simulated exchange rate at one number of paired rows against the first-order one, per overlap."""
    overlaps, rates, ses, theory = [], [], [], []
    for overlap, part in rows.groupby("overlap"):
        rate, se = marginal_exchange_rate(part)
        overlaps.append(f"{overlap:g}")
        rates.append(rate)
        ses.append(se)
        theory.append(float(part["lambda_theory"].mean()))
    gaps = [100 * (r / t - 1) for r, t in zip(rates, theory)]
    if max(gaps) < 0:
        where = f"{-max(gaps):.1f}\\% to {-min(gaps):.1f}\\% below it"
    elif min(gaps) > 0:
        where = f"{min(gaps):.1f}\\% to {max(gaps):.1f}\\% above it"
    else:
        where = f"between {-min(gaps):.1f}\\% below and {max(gaps):.1f}\\% above it"
    return (
        f"{_listing(f'{r:.3f}' for r in rates)} at overlaps {_listing(overlaps)} (standard errors up to "
        f"{max(ses):.3f}), against the first-order {_listing(f'{t:.3f}' for t in theory)}: {where}"
    )


def _coverage_macros(table: Any, suite: Suite) -> dict[str, str]:
    """What the coverage table covers and which of its intervals fall below nominal."""
    ok = _ok(table)
    cells = ok.groupby(["interval", "quantity", "level", "n"])["covered"].agg(["mean", "count"]).reset_index()
    level = cells["level"]
    cells["low"] = cells["mean"] < level - COVERAGE_Z * np.sqrt(level * (1 - level) / cells["count"])
    rows = cells.groupby(["interval", "quantity"], sort=True)["low"].any()
    name = lambda key: key[0] if key[0] == key[1] else f"{key[0]} ({key[1]})"  # noqa: E731
    below = [name(k) for k, low in rows.items() if low]
    near = [name(k) for k, low in rows.items() if not low]
    reps = suite.repetitions
    return {
        "CoverageReps": f"{reps}",
        "CoverageSE": f"{float(np.sqrt(level * (1 - level) / reps).max()):.3f}",
        "CoverageZ": f"{COVERAGE_Z:g}",
        "CoverageIntervalCount": f"{ok['interval'].nunique()}",
        "CoverageIntervals": _listing(sorted(ok["interval"].unique())),
        "CoverageRowCount": f"{len(rows)}",
        "CoverageNear": _listing(near),
        "CoverageBelow": _listing(below),
    }


def coverage_table(table: Any) -> str:
    """A LaTeX tabular of measured coverage: interval and quantity by (level, n), with the repetitions."""
    ok = _ok(table)
    cells = ok.groupby(["interval", "quantity", "level", "n"])["covered"].agg(["mean", "count"]).reset_index()
    columns = sorted({(float(lv), int(n)) for lv, n in zip(cells["level"], cells["n"])})
    head = " & ".join(f"{lv:.0%} n={n}".replace("%", "\\%") for lv, n in columns)
    lines = [
        "\\begin{tabular}{ll" + "r" * len(columns) + "}",
        "\\toprule",
        f"interval & quantity & {head} \\\\",
        "\\midrule",
    ]
    for (interval, quantity), rows in cells.groupby(["interval", "quantity"], sort=False):
        values = {(float(lv), int(n)): m for lv, n, m in zip(rows["level"], rows["n"], rows["mean"])}
        row = " & ".join(f"{values[c]:.3f}" if c in values else "--" for c in columns)
        lines.append(f"{interval} & {quantity} & {row} \\\\")
    reps = int(cells["count"].min()) if len(cells) else 0
    lines += ["\\bottomrule", "\\end{tabular}", f"% repetitions per cell: at least {reps}"]
    return "\n".join(lines) + "\n"
