"""The ``modinfo`` command line.

``modinfo run SUITE`` runs a suite (a TOML file or a built-in name such as ``default``) and
writes its results, manifest and figures; ``modinfo list SUITE`` shows its cells and which are
done; ``modinfo info`` prints the exact information quantities of a latent-structure model;
``modinfo formulas`` prints the symbolic two-modality formulas in LaTeX; ``modinfo models`` lists
the registered models (``modinfo info --model NAME`` tabulates one of them).
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
from collections.abc import Sequence

from theory import LatentModel


def _info(args: argparse.Namespace) -> str:
    base = 2.0 if args.units == "bits" else math.e
    if args.model:
        from ._registry import get_model

        model = get_model(args.model)
        if not all(hasattr(model, a) for a in ("latent_quality", "modality_names")) or not hasattr(model, "pid"):
            raise ValueError(f"`--model` must name a Gaussian latent model (regression target) for `info`; got {args.model!r}")
        title = f"modinfo info: registered model {args.model!r}"
    else:
        model = LatentModel(overlap=args.overlap, noise=args.noise, target_noise=args.target_noise, rng=args.seed)
        title = (
            f"modinfo info: LatentModel(obs_dims={model.obs_dims}, shared_dim={model.shared_dim}, "
            f"private_dims={model.private_dims}, overlap={model.overlap:g}, noise={model.noise[0]:g}, "
            f"target_noise={model.target_noise:g}, rng={args.seed})"
        )
    names = model.modality_names
    lines = [
        title,
        f"exact quantities; information in {args.units}, risk as mean squared error",
        "",
        f"{'modalities':<12}{'I(y; x_S)':>12}{'Bayes MSE':>12}{'eta*':>12}",
    ]
    lines.append(f"{'(none)':<12}{0.0:>12.4f}{model.bayes_risk(()):>12.4f}{model.latent_quality(()):>12.4f}")
    for r in range(1, len(names) + 1):
        for subset in itertools.combinations(names, r):
            mi = model.mutual_information(list(subset), "y", base=base)
            lines.append(
                f"{','.join(subset):<12}{mi:>12.4f}{model.bayes_risk(subset):>12.4f}{model.latent_quality(subset):>12.4f}"
            )
    lines += ["", f"{'pair':<12}{'I(xi; xj)':>12}{'R':>10}{'U_i':>10}{'U_j':>10}{'S':>10}   (MMI PID of y)"]
    for a, b in itertools.combinations(names, 2):
        pid = model.pid(a, b, base=base)
        lines.append(
            f"{a + ',' + b:<12}{model.mutual_information(a, b, base=base):>12.4f}{pid.redundancy:>10.4f}"
            f"{pid.unique1:>10.4f}{pid.unique2:>10.4f}{pid.synergy:>10.4f}"
        )
    return "\n".join(lines)


def _formulas(args: argparse.Namespace) -> str:
    from theory import two_modality_latex

    header = "% two-modality scalar model (theory._symbolic): omega overlap, gamma SNR, sigma^2 target noise; nats"
    return "\n".join([header] + [f"{name} = {tex}" for name, tex in two_modality_latex().items()])


def _figures(args: argparse.Namespace) -> str:
    from pathlib import Path

    from ._paper import build_figures

    written = build_figures(Path(args.output), args.size, args.workers)
    return "\n".join([f"modinfo figures ({args.size}): {len(written)} files under {args.output}", *map(str, written)])


def _paper(args: argparse.Namespace) -> str:
    from pathlib import Path

    from ._paper import build_paper

    return build_paper(Path(args.paper), args.size, args.workers)


def _models(args: argparse.Namespace) -> str:
    from ._registry import model_names

    return "\n".join(model_names())


def _run(args: argparse.Namespace) -> str:
    from pathlib import Path

    from ._report import figures, summary
    from ._runner import consolidate, run_suite
    from ._suite import load_suite

    suite = load_suite(args.suite)
    out = Path(args.output) if args.output else suite.output
    if args.workers < 1:
        raise ValueError(f"--workers must be >= 1; got {args.workers}")
    executor, client = None, None
    if args.scheduler:
        from dask.distributed import Client

        client = Client(args.scheduler)
        executor = client.get_executor()
    try:
        report = run_suite(suite, executor=executor, workers=args.workers, output=out, force=args.force, threads=args.threads)
    finally:
        if client is not None:
            client.close()
    table = consolidate(suite, out)
    lines = [
        f"modinfo run {suite.name}: {report.ran} cells run, {report.skipped} already done, "
        f"{report.error_rows} failed repetitions, {report.seconds:.1f} s",
        "",
        summary(table, suite),
        "",
        f"results:  {report.results} (and results.csv)",
        f"manifest: {report.manifest}",
    ]
    if not args.no_figures:
        try:
            paths = figures(table, suite, out)
        except ImportError:
            lines.append('figures:  matplotlib is not installed; pip install "modinfo[figures]"')
        else:
            lines += [f"figure:   {p}" for p in paths]
    return "\n".join(lines)


def _list(args: argparse.Namespace) -> str:
    from pathlib import Path

    from ._runner import pending_cells
    from ._suite import load_suite

    suite = load_suite(args.suite)
    out = Path(args.output) if args.output else suite.output
    todo, done = pending_cells(suite, out)
    done_ids = {c.id for c in done}
    lines = [
        f"suite {suite.name} ({suite.path}): experiment {suite.experiment}, {suite.repetitions} repetitions, "
        f"seed {suite.seed}, output {out}",
        f"{len(todo) + len(done)} cells: {len(done)} done, {len(todo)} remaining",
    ]
    for cell in suite.cells():
        params = ", ".join(f"{k}={v}" for k, v in cell.params if k in suite.grid_keys)
        lines.append(f"  {cell.id}  {'done' if cell.id in done_ids else 'todo'}  {params}")
    return "\n".join(lines)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="modinfo", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    info = sub.add_parser("info", help="exact information, PID and Bayes risk of the default model")
    info.add_argument("--overlap", type=float, default=0.5, help="shared fraction of signal variance, in [0, 1]")
    info.add_argument("--noise", type=float, default=0.5, help="observation noise variance of each modality")
    info.add_argument("--target-noise", type=float, default=0.5, help="noise variance of the target")
    info.add_argument("--units", choices=("nats", "bits"), default="nats")
    info.add_argument("--seed", type=int, default=0, help="seed of the random orthogonal mixing")
    info.add_argument("--model", help="a registered model name instead of the flags above (see `modinfo models`)")
    info.set_defaults(run=_info)
    formulas = sub.add_parser("formulas", help="LaTeX of the symbolic two-modality formulas")
    formulas.set_defaults(run=_formulas)
    models = sub.add_parser("models", help="names of the registered canonical models")
    models.set_defaults(run=_models)
    run = sub.add_parser("run", help="run a suite (TOML file or built-in name) and write results and figures")
    run.add_argument("suite", help="suite file, or a built-in suite: default, accuracy, curves")
    run.add_argument("--workers", type=int, default=2, help="local worker processes (default 2)")
    run.add_argument("--scheduler", help="address of a dask.distributed scheduler to run the cells on")
    run.add_argument("--threads", type=int, default=1, help="numba and sampler threads per cell (default 1)")
    run.add_argument("--output", help="output folder (default: the suite's `output`)")
    run.add_argument("--force", action="store_true", help="recompute finished cells")
    run.add_argument("--no-figures", action="store_true", help="skip the figures")
    run.set_defaults(run=_run)
    figs = sub.add_parser("figures", help="run the paper's missing suite cells and write its figures and TeX macros")
    figs.add_argument("--size", choices=("small", "full"), default="full", help="small: at most 2 repetitions")
    figs.add_argument("--output", default="results/paper", help="folder for results, figures and macros")
    figs.add_argument("--workers", type=int, default=2)
    figs.set_defaults(run=_figures)
    paper = sub.add_parser("paper", help="figures and macros into paper/generated, then the PDF with latexmk")
    paper.add_argument("--size", choices=("small", "full"), default="full", help="small: at most 2 repetitions")
    paper.add_argument("--paper", default="paper", help="the paper folder (default: ./paper)")
    paper.add_argument("--workers", type=int, default=2)
    paper.set_defaults(run=_paper)
    listing = sub.add_parser("list", help="the cells of a suite and which are done (a dry run)")
    listing.add_argument("suite", help="suite file, or a built-in suite name")
    listing.add_argument("--output", help="output folder (default: the suite's `output`)")
    listing.set_defaults(run=_list)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``modinfo`` command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        print(args.run(args))
    except ValueError as err:
        parser.exit(2, f"modinfo: error: {err}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
