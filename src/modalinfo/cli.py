"""The ``modalinfo`` command line, at the top of the house: it may use every layer.

``modalinfo run SUITE`` runs a suite (a TOML file or a built-in name such as ``default``) and
writes its results, manifest and figure; ``modalinfo list SUITE`` shows its cells and which are
done; ``modalinfo suites`` lists the built-in suites; ``modalinfo info`` prints the exact
information quantities of a model; ``modalinfo models`` lists the registered models;
``modalinfo formulas`` prints the symbolic two-modality formulas in LaTeX; ``modalinfo figures``
and ``modalinfo paper`` regenerate the paper of a checkout (its builder lives in ``paper/``).
Exit status: 0 ok, 1 failed cells, 2 usage error, 130 interrupted.

The parser is built from the standard library alone: a layer is imported inside the command that
needs it, so ``modalinfo --version`` and ``--help`` load neither numba nor matplotlib.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, NoReturn

import modalinfo

if TYPE_CHECKING:
    from modalinfo.theory import ExactModel


class _Failed(Exception):
    """A run that finished with failed repetitions (exit status 1); the message is the report."""


def _cell(compute: Any, notes: dict[str, int], width: int, digits: int = 4) -> str:
    """One table entry: the value, or a footnote mark whose note says why the model cannot give it."""
    try:
        return f"{compute():>{width}.{digits}f}"
    except ValueError as err:
        mark = notes.setdefault(str(err), len(notes) + 1)
        return f"{'n/a [' + str(mark) + ']':>{width}}"


def _model_table(model: ExactModel, base: float, units: str) -> list[str]:
    """Exact information, Bayes risk and PID of every subset and pair; what a model cannot give is explained."""
    names = model.modality_names
    risk = "mean squared error" if model.target_kind == "continuous" else "0-1 error"
    # eta*: Huang et al. (2021)'s latent quality, for models with linear-Gaussian heads
    quality = getattr(model, "latent_quality", None)
    notes: dict[str, int] = {}
    lines = [f"exact quantities; information in {units}, Bayes risk as {risk}", ""]
    lines.append(f"{'modalities':<12}{'I(y; x_S)':>12}{'Bayes risk':>12}" + (f"{'eta*':>12}" if quality else ""))
    for r in range(1, len(names) + 1):
        for subset in itertools.combinations(names, r):
            row = _cell(lambda s=subset: model.mutual_information(list(s), "y", base=base), notes, 12)
            row += _cell(lambda s=subset: model.bayes_risk(s), notes, 12)
            if quality:
                row += _cell(lambda s=subset: quality(s), notes, 12)
            lines.append(f"{','.join(subset):<12}{row}")
    measure = model.pid_measures[0]
    lines += [
        "",
        f"{'pair':<12}{'I(xi; xj)':>12}{'R':>10}{'U_i':>10}{'U_j':>10}{'S':>10}   ({measure.upper()} PID of y)",
    ]
    for a, b in itertools.combinations(names, 2):
        row = _cell(lambda a=a, b=b: model.mutual_information(a, b, base=base), notes, 12)
        try:
            pid = model.pid(a, b, base=base)
        except ValueError as err:
            mark = notes.setdefault(str(err), len(notes) + 1)
            row += f"{'n/a [' + str(mark) + ']':>10}" * 4
        else:
            row += "".join(f"{v:>10.4f}" for v in (pid.redundancy, pid.unique1, pid.unique2, pid.synergy))
        lines.append(f"{a + ',' + b:<12}{row}")
    if notes:
        lines += ["", *(f"[{mark}] {reason}" for reason, mark in notes.items())]
    from modalinfo.theory import ExactModel

    for split in ("train", "test"):  # a model exact per split (a planted spurious trend) shows each split
        view = getattr(model, split, None)
        if isinstance(view, ExactModel):
            lines += ["", f"the {split} split:", *_model_table(view, base, units)[2:]]
    return lines


def _info(args: argparse.Namespace) -> str:
    from modalinfo.theory import LatentModel, get_model, model_description

    flags = {"overlap": args.overlap, "noise_var": args.noise_var, "target_noise_var": args.target_noise_var}
    flags["mixing_seed"] = args.mixing_seed
    given = {k: v for k, v in flags.items() if v is not None}
    if args.model is not None:
        if given:
            names = ", ".join(f"--{k.replace('_', '-')}" for k in given)
            raise ValueError(f"{names} describe the default model; they cannot be combined with --model")
        model = get_model(args.model)
        supports = f"{model.target_kind} target, PID {'/'.join(model.pid_measures)}"
        title = f"modalinfo info: registered model {args.model!r} ({model_description(args.model)}) [{supports}]"
    else:
        model = LatentModel(**given)  # the flags not given keep LatentModel's defaults
        title = (
            f"modalinfo info: LatentModel(obs_dims={model.obs_dims}, shared_dim={model.shared_dim}, "
            f"private_dims={model.private_dims}, overlap={model.overlap:g}, noise_var={model.noise_var[0]:g}, "
            f"target_noise_var={model.target_noise_var:g}, mixing_seed={given.get('mixing_seed', 0)})"
        )
    units = args.units or ("bits" if model.target_kind == "discrete" else "nats")
    return "\n".join([title, *_model_table(model, 2.0 if units == "bits" else math.e, units)])


def _formulas(args: argparse.Namespace) -> str:
    from modalinfo.theory import two_modality_latex

    header = "% two-modality scalar model (theory): omega overlap, gamma SNR, sigma^2 target noise variance; nats"
    return "\n".join([header] + [f"{name} = {tex}" for name, tex in two_modality_latex().items()])


def _paper_builder(folder: str) -> ModuleType:
    """The paper's builder, ``<folder>/build.py`` of a checkout of the repository (it is not installed)."""
    path = Path(folder) / "build.py"
    if not path.is_file():
        raise ValueError(
            f"no {path}: the paper and its builder live in a checkout of the modalinfo repository; run this "
            "command from its root (or pass --paper PAPER_FOLDER)"
        )
    spec = importlib.util.spec_from_file_location("modalinfo_paper_build", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _figures(args: argparse.Namespace) -> str:
    written = _paper_builder(args.paper).build_figures(Path(args.output), args.size, args.workers)
    return "\n".join([f"modalinfo figures ({args.size}): {len(written)} files under {args.output}", *map(str, written)])


def _paper(args: argparse.Namespace) -> str:
    return str(_paper_builder(args.paper).build_paper(Path(args.paper), args.size, args.workers))


def _models(args: argparse.Namespace) -> str:
    from modalinfo.theory import model_description, model_names

    width = max(map(len, model_names()))  # names and descriptions only: nothing is built (`info` builds one)
    return "\n".join(f"{name:<{width}}  {model_description(name)}" for name in model_names())


def _suites(args: argparse.Namespace) -> str:
    from modalinfo.simulations.suites import builtin_suites, suite_header

    found = builtin_suites()
    width = max(map(len, found))
    lines = []
    for name, path in found.items():  # the files' own words: no experiment is imported
        experiment_name, description = suite_header(path)
        lines.append(f"{name:<{width}}  {experiment_name}: {description}")
    return "\n".join(lines)


def _run(args: argparse.Namespace) -> str:
    from modalinfo.simulations.suites import figures, load_suite, run_suite, summary

    suite = load_suite(args.suite)
    out = Path(args.output) if args.output is not None else suite.output
    executor, client = None, None
    if args.scheduler:
        try:
            from dask.distributed import Client
        except ImportError:
            raise ValueError('--scheduler needs dask.distributed: pip install "modalinfo[distributed]"') from None
        try:
            client = Client(args.scheduler, timeout=args.scheduler_timeout)
        except (OSError, TimeoutError) as err:
            raise ValueError(
                f"--scheduler {args.scheduler!r} did not answer within {args.scheduler_timeout:g} s ({err})"
            ) from None
        executor = client.get_executor()
    try:
        report = run_suite(
            suite, executor=executor, workers=args.workers, output=out, force=args.force, threads=args.threads
        )
    finally:
        if client is not None:
            client.close()
    table = report.table
    lines = [
        f"modalinfo run {suite.name}: {report.ran} cells run, {report.skipped} already done, "
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
            lines.append('figures:  matplotlib is not installed; pip install "modalinfo[figures]"')
        except ValueError as err:
            lines.append(f"figure:   not drawn: {err}")
        else:
            lines += [f"figure:   {p}" for p in paths]
    if int((table["status"] == "error").sum()):
        raise _Failed("\n".join(lines))
    return "\n".join(lines)


def _list(args: argparse.Namespace) -> str:
    from modalinfo.simulations.suites import cell_states, load_suite

    suite = load_suite(args.suite)
    out = Path(args.output) if args.output is not None else suite.output
    states = cell_states(suite, out)
    counts = {
        s: sum(state == s for state, _ in states.values()) for s in ("done", "failed", "todo", "stale", "corrupt")
    }
    lines = [
        f"suite {suite.name} ({suite.path}): experiment {suite.experiment.name}, {suite.repetitions} repetitions, "
        f"seed {suite.seed}, output {out}",
        f"{len(states)} cells: " + ", ".join(f"{n} {s}" for s, n in counts.items() if n or s in ("done", "todo")),
    ]
    for cell in suite.cells():
        params = ", ".join(f"{k}={v}" for k, v in cell.params if k in suite.grid_keys)
        state, reason = states[cell.id]
        lines.append(f"  {cell.id}  {state:<7}  {params}" + (f"  ({reason})" if reason else ""))
    return "\n".join(lines)


def _analyze(args: argparse.Namespace) -> str:
    from modalinfo.analysis import analyze, load_modalities, write_analysis

    specs = {}
    for spec in args.modality or []:
        name, sep, columns = spec.partition("=")
        if not sep or not name.strip() or not columns.strip():
            raise ValueError(f"--modality must be NAME=COLUMNS (or NAME=ARRAY for an npz); got {spec!r}")
        specs[name.strip()] = columns.strip()
    blocks, y = load_modalities(args.file, args.target, specs or None)
    table = analyze(blocks, y, method=args.method, measure=args.measure, n_resamples=args.resamples, rng=args.seed)
    paths = write_analysis(table, args.output, Path(args.file).stem)
    shown = table[["subset", "quantity", "value", "low", "high", "note"]].copy()
    shown["note"] = shown["note"].str.slice(0, 60)
    dims = ", ".join(f"{k} ({v.shape[1] if v.ndim == 2 else 1} columns)" for k, v in blocks.items())
    return "\n".join(
        [
            f"modalinfo analyze {args.file}: {len(y)} rows; modalities {dims}; target {args.target!r}",
            f"estimator family: {table['estimator'].iloc[0]}; information in {table['units'].iloc[0]}",
            "",
            shown.to_string(index=False, float_format=lambda v: f"{v:.4f}", na_rep=""),
            "",
            *(f"written:  {p}" for p in paths),
        ]
    )


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an integer >= 1; got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be an integer >= 1; got {value}")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an integer >= 0; got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be an integer >= 0; got {value}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number of seconds > 0; got {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a number of seconds > 0; got {text!r}")
    return value


def _text(what: str) -> Any:
    """An argparse type: a non-empty string (an empty path or name is a mistake, not a default)."""

    def parse(text: str) -> str:
        if not text.strip():
            raise argparse.ArgumentTypeError(f"must be a non-empty {what}; got {text!r}")
        return text

    parse.__name__ = what  # argparse names the type in its messages
    return parse


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line (``modalinfo run: error: ...``), exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


_DESCRIPTION = """\
modalinfo: how much information each modality of a multimodal learning problem carries, exact
(theory) and estimated from simulated data, and the theory of multimodal learning checked against
simulation. `modalinfo COMMAND --help` describes each command's options.

exit status: 0 ok, 1 failed repetitions, 2 usage error, 130 interrupted (rerun to resume)."""


def _builtin_suite_names() -> str:
    """The built-in suites, read from their folder without importing the simulations layer."""
    spec = importlib.util.find_spec("modalinfo.simulations")  # imports nothing of modalinfo.simulations
    folders = spec.submodule_search_locations if spec is not None else None
    names = sorted(p.stem for f in (folders or []) for p in (Path(f) / "suites" / "builtin").glob("*.toml"))
    return ", ".join(names)


def _parser() -> argparse.ArgumentParser:
    suites = _builtin_suite_names()
    parser = _Parser(prog="modalinfo", description=_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"modalinfo {modalinfo.__version__}")
    sub = parser.add_subparsers(dest="command", required=True, title="commands", metavar="COMMAND")
    info = sub.add_parser("info", help="exact information, PID and Bayes risk of the default or a registered model")
    info.add_argument(
        "--overlap", type=float, help="shared fraction of signal variance, in [0, 1] (LatentModel's default)"
    )
    info.add_argument(
        "--noise-var", type=float, help="observation noise variance of each modality (LatentModel's default)"
    )
    info.add_argument("--target-noise-var", type=float, help="noise variance of the target (LatentModel's default)")
    info.add_argument(
        "--units", choices=("nats", "bits"), help="default: bits for discrete models, nats for the others"
    )
    info.add_argument("--mixing-seed", type=int, help="seed of the random orthogonal mixing (LatentModel's default, 0)")
    info.add_argument(
        "--model",
        type=_text("model name"),
        help="a registered model instead of the flags above (see `modalinfo models`)",
    )
    info.set_defaults(run=_info)
    formulas = sub.add_parser("formulas", help="LaTeX of the symbolic two-modality formulas")
    formulas.set_defaults(run=_formulas)
    models = sub.add_parser("models", help="the registered canonical models, with descriptions")
    models.set_defaults(run=_models)
    listing_suites = sub.add_parser("suites", help="the built-in suites, with their experiments")
    listing_suites.set_defaults(run=_suites)
    run = sub.add_parser("run", help="run a suite (TOML file or built-in name) and write results and figures")
    run.add_argument("suite", type=_text("suite"), help=f"suite file, or a built-in suite: {suites}")
    run.add_argument("--workers", type=_positive, default=2, help="local worker processes (default 2)")
    run.add_argument(
        "--scheduler", type=_text("address"), help="address of a dask.distributed scheduler to run the cells on"
    )
    run.add_argument(
        "--scheduler-timeout", type=_seconds, default=10.0, help="seconds to wait for the scheduler (default 10)"
    )
    run.add_argument("--threads", type=_positive, default=1, help="numba and sampler threads per cell (default 1)")
    run.add_argument("--output", type=_text("folder"), help="output folder (default: the suite's `output`)")
    run.add_argument("--force", action="store_true", help="recompute finished cells")
    run.add_argument("--no-figures", action="store_true", help="skip the figures")
    run.set_defaults(run=_run)
    figs = sub.add_parser("figures", help="run the paper's missing suite cells and write its figures and TeX macros")
    figs.add_argument(
        "--output", type=_text("folder"), default="results/paper", help="folder for results, figures and macros"
    )
    paper = sub.add_parser("paper", help="figures and macros into paper/generated, then the PDF with latexmk")
    for command, run_it in ((figs, _figures), (paper, _paper)):
        command.add_argument("--size", choices=("small", "full"), default="full", help="small: at most 2 repetitions")
        command.add_argument("--workers", type=_positive, default=2, help="local worker processes (default 2)")
        command.add_argument(
            "--paper", type=_text("folder"), default="paper", help="the paper folder of a checkout (default: ./paper)"
        )
        command.set_defaults(run=run_it)
    analysis = sub.add_parser(
        "analyze", help="what each modality of your own file carries about a target: report, figure, table"
    )
    analysis.add_argument("file", type=_text("file"), help="an .npz of arrays, or a .parquet / .csv table")
    analysis.add_argument("--target", type=_text("column or array"), required=True, help="the target's column or array")
    analysis.add_argument(
        "--modality",
        action="append",
        metavar="NAME=COLUMNS",
        help="a modality: comma-separated columns or patterns (tables), or an array (npz); repeat per modality "
        "(default for an npz: every other array)",
    )
    analysis.add_argument(
        "--method", default="auto", choices=("auto", "probe", "discrete", "gaussian", "copula"), help="estimator family"
    )
    analysis.add_argument(
        "--measure", choices=("broja", "imin", "mmi", "tilde", "idep"), help="PID measure (default: the family's)"
    )
    analysis.add_argument("--resamples", type=_count, default=100, help="bootstrap resamples of the PIDs (default 100)")
    analysis.add_argument("--seed", type=_count, default=0, help="random seed (default 0)")
    analysis.add_argument("--output", type=_text("folder"), default="results/analysis", help="folder for the outputs")
    analysis.set_defaults(run=_analyze)
    listing = sub.add_parser("list", help="the cells of a suite and which are done (a dry run)")
    listing.add_argument("suite", type=_text("suite"), help=f"suite file, or a built-in suite: {suites}")
    listing.add_argument("--output", type=_text("folder"), help="output folder (default: the suite's `output`)")
    listing.set_defaults(run=_list)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``modalinfo`` command line; returns the exit status (0 ok, 1 failed cells, 2 usage, 130 interrupted)."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        print(args.run(args), flush=True)
    except _Failed as report:
        print(report, flush=True)
        print("modalinfo: some repetitions failed (see above); rerun after fixing them", file=sys.stderr)
        return 1
    except ValueError as err:
        parser.exit(2, f"modalinfo: error: {err}\n")
    except BrokenPipeError:  # the reader went away (`modalinfo models | head`): nothing failed
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as err:  # a bad output location: a file, a read-only folder, a full disk
        where = f"cannot write {err.filename}: " if err.filename else ""
        parser.exit(2, f"modalinfo: error: {where}{err.strerror or err}\n")
    except KeyboardInterrupt:
        print("modalinfo: interrupted; rerun to resume", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
