"""The paper's builder (`modalinfo figures`, `modalinfo paper`, `make -C paper`): every figure and number of paper/.

It lives beside the paper, outside the installed package, and uses modalinfo's public API only.

The paper's suites run (only their missing cells; ``size="small"`` caps the repetitions at 2, the
mode CI runs end to end) into ``output/<suite>``; figures are written as PNG and PDF with fixed
metadata; ``macros.tex`` holds every number the text quotes, computed from the stored tables, and
``formulas.tex`` the sympy formulas of :func:`theory.two_modality_latex`. The grid points the text
quotes are read from the suite files (``QUOTED``) and written as macros too, so that the text, the
numbers and the suites cannot disagree.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np

from modalinfo.estimators import exchange_rate
from modalinfo.simulations.suites import Suite, default_executor, figures, iso_ratio_curve, load_suite, run_suite

__all__ = ["LATEX_HINT", "PAPER_SUITES", "build_figures", "build_paper", "coverage_table"]

PAPER_SUITES = (
    "default",
    "canonical",
    "pid-measures",
    "accuracy",
    "huang",
    "huang-bounded",
    "curves",
    "colearning",
    "separation",
    "sweep",
    "spurious",
    "synergy",
    "unpaired",
    "unlabeled",
    "coverage",
)
SIZES = {"small": 2, "full": None}
LATEX_HINT = (
    "latexmk is not installed, so the PDF was not built (figures and macros are ready). Install a TeX "
    "distribution with latexmk, e.g. `sudo apt-get install latexmk texlive-latex-recommended` (Debian/Ubuntu) "
    "or `brew install --cask mactex` (macOS), then rerun `modalinfo paper`."
)
#: The grid points the paper quotes: macro -> (suite, grid parameter, position in the suite's list).
QUOTED = {
    "HuangSmallM": ("huang", "m", 0),
    "HuangRefM": ("huang", "m", 4),
    "HuangBoundedSmallM": ("huang-bounded", "m", 0),
    "HuangBoundedRefM": ("huang-bounded", "m", 2),
    "HuangBoundedLargestM": ("huang-bounded", "m", -1),
    "SeparationFewN": ("separation", "n", 0),
    "SeparationManyN": ("separation", "n", 3),
    "SeparationWideClass": ("separation", "theta_min", -1),
    "SeparationConnectionNoise": ("separation", "connection_noise", -1),
    "FewLabels": ("colearning", "n_train", 0),
    "SpuriousStrength": ("spurious", "strength", 4),
    "SweepHighOverlap": ("sweep", "overlap", -1),
    "SweepNoOverlap": ("sweep", "overlap", 0),
    "SweepNoMissing": ("sweep", "missing", 0),
    "UnpairedOverlap": ("unpaired", "overlap", 1),
    "UnlabeledMost": ("unlabeled", "n_unlabeled", -1),
    "UnlabeledHighOverlap": ("unlabeled", "overlap", -1),
    "UnlabeledNoOverlap": ("unlabeled", "overlap", 0),
    "MeasuresNoOverlap": ("pid-measures", "overlap", 0),
    "MeasuresHalfOverlap": ("pid-measures", "overlap", 2),
}


def _mean(table: Any, column: str, **where: Any) -> float:
    ok = table[table["status"] == "ok"]
    for key, value in where.items():
        ok = ok[ok[key] == value]
    if ok.empty:
        raise ValueError(f"no stored rows for {column} where {where}; run the suite with that grid point")
    return float(ok[column].mean())


def _parameter(suite: Suite, key: str) -> Any:
    """A constant of a suite: its [fixed] value, else the experiment's default."""
    return dict(suite.fixed).get(key, (suite.experiment.parameters or {}).get(key))


def _macros(tables: dict[str, Any], suites: dict[str, Suite]) -> dict[str, str]:
    """The numbers the paper quotes, from the stored results and the suite files (names: letters only, for TeX)."""
    at = {name: suites[s].grid_values(key)[i] for name, (s, key, i) in QUOTED.items()}
    d, h, s, c, q = tables["default"], tables["huang"], tables["separation"], tables["curves"], tables["colearning"]
    hb = tables["huang-bounded"]
    canon, sweep, spur = tables["canonical"], tables["sweep"], tables["spurious"]
    canon_err = (canon["estimate"] - canon["exact"])[canon["status"] == "ok"]
    red = d[(d["status"] == "ok") & (d["quantity"] == "redundancy")].groupby("overlap")["exact"].mean()
    joint = d[(d["status"] == "ok") & (d["quantity"] == "I(y;x1,x2)")]
    bias = joint.assign(err=joint["estimate"] - joint["exact"]).groupby("method")["err"].mean()
    uni = c[(c["status"] == "ok") & (c["modalities"] == "x1")].groupby("n_train")["test_risk"].mean()
    both = c[(c["status"] == "ok") & (c["modalities"] == "x1+x2")].groupby("n_train")["test_risk"].mean()
    better = both.index[(both < uni).to_numpy()]
    _, ratio, low, high = iso_ratio_curve(c[(c["status"] == "ok") & (c["learner"] == "ols")], [1.1])
    strength, few = at["SpuriousStrength"], at["FewLabels"]
    hi, none, full = at["SweepHighOverlap"], at["SweepNoOverlap"], at["SweepNoMissing"]
    out = {name: f"{value:g}" for name, value in at.items()}
    out |= {
        "CanonicalN": f"{_parameter(suites['canonical'], 'n'):,}".replace(",", "{,}"),
        "CoverageReps": f"{suites['coverage'].repetitions}",
        "SweepLabels": f"{_parameter(suites['sweep'], 'n_labels')}",
        "SweepUnlabeled": f"{_parameter(suites['sweep'], 'n_unlabeled'):,}".replace(",", "{,}"),
        "CanonicalMaxError": f"{canon_err.abs().groupby([canon['model'], canon['quantity']]).mean().max():.4f}",
        "RedundancyMax": f"{red.max():.3f}",
        "RedundancyArgmax": f"{red.idxmax():g}",
        "KsgJointBias": f"{bias.get('ksg', np.nan):.3f}",
        "GaussianJointBias": f"{bias.get('gaussian', np.nan):.3f}",
        "HuangGapSmall": f"{_mean(h, 'gap', m=at['HuangSmallM']):.2f}",
        "HuangGapRef": f"{_mean(h, 'gap', m=at['HuangRefM']):.3f}",
        "HuangBoundRef": f"{_mean(h, 'bound', m=at['HuangRefM']):.0f}",
        "HuangBoundedGapSmall": f"{_mean(hb, 'gap', m=at['HuangBoundedSmallM']):.3f}",
        "HuangBoundedGapRef": f"{_mean(hb, 'gap', m=at['HuangBoundedRefM']):.3f}",
        "HuangBoundedBoundRef": f"{_mean(hb, 'bound', m=at['HuangBoundedRefM']):.0f}",
        "HuangBoundedBoundLargest": f"{_mean(hb, 'bound', m=at['HuangBoundedLargestM']):.0f}",
        "HuangBoundedHeld": f"{100 * _mean(hb, 'held'):.0f}",
        **_separation_macros(s, at),
        **_unpaired_macros(tables, suites, at),
        **_measures_macros(tables["pid-measures"], at),
        "CurvesCrossoverN": f"{int(better.min())}" if len(better) else "none",
        "IsoRatioTenPercent": _number(ratio[0]),
        "IsoRatioTenPercentLow": _number(low[0]),
        "IsoRatioTenPercentHigh": _number(high[0]),
        "SweepEnrichHigh": f"{_mean(sweep, 'test_risk', overlap=hi, missing=full, learner='enrichment'):.2f}",
        "SweepUniHigh": f"{_mean(sweep, 'test_risk', overlap=hi, missing=full, learner='unimodal'):.2f}",
        "SweepEnrichNone": f"{_mean(sweep, 'test_risk', overlap=none, missing=full, learner='enrichment'):.2f}",
        "SweepUniNone": f"{_mean(sweep, 'test_risk', overlap=none, missing=full, learner='unimodal'):.2f}",
        "SpuriousOne": f"{_mean(spur, 'test_risk', strength=strength, learner='x1'):.2f}",
        "SpuriousBoth": f"{_mean(spur, 'test_risk', strength=strength, learner='x1+x2'):.2f}",
        "SpuriousClean": f"{_mean(spur, 'test_risk', strength=strength, learner='x1-clean'):.2f}",
        "SpuriousOneBayes": f"{_mean(spur, 'test_bayes_risk', strength=strength, learner='x1'):.2f}",
        "SpuriousBothBayes": f"{_mean(spur, 'test_bayes_risk', strength=strength, learner='x1+x2'):.2f}",
        "EnrichmentFew": f"{_mean(q, 'test_risk', n_train=few, learner='enrichment'):.2f}",
        "OlsFew": f"{_mean(q, 'test_risk', n_train=few, learner='ols'):.2f}",
    }
    return out


def _separation_macros(table: Any, at: dict[str, Any]) -> dict[str, str]:
    """Excess risks of the two learners at few and many rows, in the widest class, exact and noisy connection."""
    wide, noisy, out = at["SeparationWideClass"], at["SeparationConnectionNoise"], {}
    for tag, n, noise in (
        ("Few", "SeparationFewN", 0.0),
        ("Many", "SeparationManyN", 0.0),
        ("Noisy", "SeparationManyN", noisy),
    ):
        for short, learner in (("Two", "two-stage (x1, x2)"), ("Uni", "ERM on x1")):
            value = _mean(table, "excess_risk", n=at[n], theta_min=wide, connection_noise=noise, learner=learner)
            out[f"Separation{short}{tag}"] = f"{value:.3f}"
    return out


def _measures_macros(table: Any, at: dict[str, Any]) -> dict[str, str]:
    """Exact redundancy of each measure at no and half overlap, the estimates' worst mean error, the largest ~G gap."""
    ok = table[table["status"] == "ok"]
    redundancy = ok[ok["quantity"] == "redundancy"]
    out = {
        f"Measures{measure.capitalize()}{tag}": f"{_mean(redundancy, 'exact', measure=measure, overlap=at[key]):.2f}"
        for measure in ("mmi", "tilde", "idep")
        for tag, key in (("None", "MeasuresNoOverlap"), ("Half", "MeasuresHalfOverlap"))
    }
    error = (ok["estimate"] - ok["exact"]).groupby([ok["measure"], ok["quantity"], ok["overlap"]]).mean().abs()
    out["MeasuresWorstBias"] = f"{error.max():.3f}"
    mantissa, exponent = f"{max(ok['gap'].max(), 1e-300):.1e}".split("e")
    out["MeasuresLargestGap"] = rf"{mantissa}\times 10^{{{int(exponent)}}}"
    out["MeasuresN"] = f"{int(ok['n'].iloc[0]):,}".replace(",", "{,}")
    return out


def _unpaired_macros(tables: dict[str, Any], suites: dict[str, Suite], at: dict[str, Any]) -> dict[str, str]:
    """Synergy bounds of AND and XOR, the exchange rate at one overlap, and enrichment with many unlabeled pairs."""
    syn, unp, unl = tables["synergy"], tables["unpaired"], tables["unlabeled"]
    ok = syn[syn["status"] == "ok"]
    err = (ok["estimate"] - ok["exact"]).abs()[ok["quantity"] != "synergy"]
    exact = {"mixture": "and-xor", "noise_prob": 0.0}
    bounds = {
        f"Synergy{name}{q.capitalize()}": f"{_mean(syn, 'exact', weight=w, quantity=q, **exact):.3f}"
        for name, w in (("And", 0.0), ("Xor", 1.0))
        for q in ("lower", "upper")
    }
    ml = unp[(unp["status"] == "ok") & (unp["learner"] == "ml, all rows") & (unp["overlap"] == at["UnpairedOverlap"])]
    fit = exchange_rate(ml["n_paired"], ml["n_unpaired"], ml["excess_risk"], model="parametric", n_resamples=200, rng=0)
    most, hi, none = at["UnlabeledMost"], at["UnlabeledHighOverlap"], at["UnlabeledNoOverlap"]
    enrich = {
        f"Unlabeled{tag}{short}": f"{_mean(unl, 'excess_risk', n_unlabeled=most, overlap=o, learner=learner):.3f}"
        for tag, o in (("High", hi), ("None", none))
        for short, learner in (("Enrich", "enrichment"), ("Ols", "least squares on x1"))
    }
    return {
        **bounds,
        "SynergyEstimateError": f"{err.mean():.3f}",
        "SynergyPairs": f"{_parameter(suites['synergy'], 'n_pairs'):,}".replace(",", "{,}"),
        "LambdaTheory": f"{float(ml['lambda_theory'].mean()):.2f}",
        "LambdaFit": f"{fit['lambda']:.2f}",
        "LambdaFitLow": f"{fit.get('lambda_low', float('nan')):.2f}",
        "LambdaFitHigh": f"{fit.get('lambda_high', float('nan')):.2f}",
        "UnlabeledLabels": f"{_parameter(suites['unlabeled'], 'n_labeled')}",
        **enrich,
    }


def coverage_table(table: Any) -> str:
    """A LaTeX tabular of measured coverage: interval and quantity by (level, n), with the repetitions."""
    ok = table[table["status"] == "ok"]
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


def _number(value: float) -> str:
    """One decimal, or the infinity sign (a ratio beyond the unimodal floor)."""
    return f"{value:.1f}" if np.isfinite(value) else "$\\infty$"


def _tex_name(name: str) -> str:
    words = "".join(ch if ch.isalpha() else " " for ch in name.replace("1", " One ").replace("2", " Two ")).split()
    return "Formula" + "".join(w[:1].upper() + w[1:] for w in words)


def build_figures(output: Path, size: str = "small", workers: int = 2, progress: bool | None = None) -> list[Path]:
    """Run the paper's missing suite cells, then write figures (PNG, PDF), macros.tex and formulas.tex.

    Progress goes to stderr: a line per suite, and ``run_suite``'s per-cell progress (``progress``).
    """
    if size not in SIZES:
        raise ValueError(f"`size` must be one of {sorted(SIZES)}; got {size!r}")
    output.mkdir(parents=True, exist_ok=True)
    tables: dict[str, Any] = {}
    suites: dict[str, Suite] = {}
    written: list[Path] = []
    pool = default_executor(workers)  # one pool for every suite: workers start (and import) once
    try:
        for number, name in enumerate(PAPER_SUITES, start=1):
            print(f"modalinfo figures: suite {name} ({number}/{len(PAPER_SUITES)})", file=sys.stderr, flush=True)
            suite = load_suite(name)
            cap = SIZES[size]
            if cap is not None:
                suite = dataclasses.replace(suite, repetitions=min(suite.repetitions, cap))
            report = run_suite(suite, executor=pool, output=output / name, progress=progress)
            suites[name], tables[name] = suite, report.table
            written += figures(tables[name], suite, output / name, formats=("png", "pdf"))
    finally:
        pool.shutdown()
    macros = "".join(f"\\newcommand{{\\{k}}}{{{v}}}\n" for k, v in _macros(tables, suites).items())
    (output / "macros.tex").write_text("% generated by `modalinfo figures` from the stored suite results\n" + macros)
    (output / "coverage.tex").write_text(coverage_table(tables["coverage"]))
    from modalinfo.theory import two_modality_latex  # loads sympy: only here

    formulas = "".join(f"\\newcommand{{\\{_tex_name(k)}}}{{{v}}}\n" for k, v in two_modality_latex().items())
    (output / "formulas.tex").write_text(
        "% generated by `modalinfo figures` from theory.two_modality_latex()\n" + formulas
    )
    return written + [output / "macros.tex", output / "coverage.tex", output / "formulas.tex"]


def build_paper(paper_dir: Path, size: str = "small", workers: int = 2) -> str:
    """Figures and macros into ``paper_dir/generated``, then latexmk when installed; returns a report."""
    tex = paper_dir / "paper.tex"
    if not tex.is_file():
        raise ValueError(f"no {tex}: run `modalinfo paper` from the repository root (the folder holding paper/)")
    written = build_figures(paper_dir / "generated", size, workers)
    lines = [f"{len(written)} generated files under {paper_dir / 'generated'}"]
    if shutil.which("latexmk") is None:
        return "\n".join([*lines, LATEX_HINT])
    subprocess.run(["latexmk", "-pdf", "-interaction=nonstopmode", "-quiet", "paper.tex"], cwd=paper_dir, check=True)
    return "\n".join([*lines, f"paper: {paper_dir / 'paper.pdf'}"])


if __name__ == "__main__":  # `python paper/build.py [small|full]` from anywhere: the same as `modalinfo paper`
    here = Path(__file__).resolve().parent
    print(build_paper(here, sys.argv[1] if len(sys.argv) > 1 else "full"))
