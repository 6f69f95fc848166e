"""`hm-warehouse` command line."""

from __future__ import annotations

import argparse
import json
import signal
import sys
from pathlib import Path
from types import FrameType

from . import settings


def _generate(args: argparse.Namespace) -> int:
    from .generator import generate
    from .settings import data_dir, find_source_file, source_files

    out = Path(args.out) if args.out else data_dir()
    if args.if_missing and all(find_source_file(out, f) for f in source_files()):
        print(f"data already present in {out}; nothing to do")
        return 0
    foreign = _user_files(out)
    if foreign:
        print(f"error: {out} holds files the generator did not write ({', '.join(foreign)}); "
              "generate writes synthetic data and would replace them. Choose another "
              "--out (an empty or new directory)", file=sys.stderr)
        return 2
    summary = generate(args.scale, out, seed=args.seed, progress=not args.quiet,
                       score=not args.no_score)
    print(json.dumps(summary, indent=2))
    if not args.no_score:
        scores = summary["map12"]
        best = max((n for n in scores if n != "oracle"), key=scores.get)
        lines = [f"  {name:24s} {value:.4f}" for name, value in scores.items()]
        print(f"MAP@12 on the hidden week ({summary['hidden_week_buyers']} buyers), "
              "the same SQL as the warehouse's eval_strategies rows:\n" + "\n".join(lines)
              + f"\noracle / best baseline ({best}): {scores['oracle'] / scores[best]:.2f}x"
              " (real leaderboard: popular 0.0056-0.0071, own purchases then popular "
              "0.020-0.021, tuned re-buys 0.022-0.023)")
    return 0


def _user_files(directory: Path) -> list[str]:
    """Files in `directory` that a generator run did not write: any file there
    when it holds no generation_summary.json (the generator writes it last)."""
    from .generator import SUMMARY_FILE

    if not directory.is_dir() or (directory / SUMMARY_FILE).exists():
        return []
    return sorted(p.name for p in directory.iterdir() if p.is_file())


def _registry(args: argparse.Namespace) -> int:
    from .registry import MIRROR, mirror_is_current, write_mirror

    if args.check:
        if mirror_is_current():
            print(f"{MIRROR} matches seeds/hm_*.csv")
            return 0
        print(f"error: {MIRROR} is stale: run `hm-warehouse registry`", file=sys.stderr)
        return 1
    print(f"wrote {write_mirror()}")
    return 0


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds through the build's cleanup


def _project_dir(args: argparse.Namespace) -> Path | None:
    """--project-dir, resolved; None (after saying why) unless it holds a dbt project."""
    project_dir = Path(args.project_dir).resolve()
    if not (project_dir / "dbt_project.yml").exists():
        print(f"error: no dbt_project.yml in {project_dir}", file=sys.stderr)
        return None
    return project_dir


def _build(args: argparse.Namespace) -> int:
    from .publish import PublishError, format_result, publish_build
    from .settings import find_source_file, source_files

    data_dir = Path(args.data_dir or settings.data_dir()).resolve()
    missing = [f for f in source_files() if find_source_file(data_dir, f) is None]
    if missing:
        present = _user_files(data_dir)
        hint = (f"it holds {', '.join(present)}: put the four Kaggle files there (their "
                "names as above, each as .csv, .csv.gz or .parquet), or build synthetic "
                "data in another directory "
                "with `hm-warehouse generate --out NEW_DIR` and `--data-dir NEW_DIR`"
                if present else f"make synthetic data with `hm-warehouse generate --out "
                f"{data_dir}`")
        print(f"error: {data_dir} lacks {', '.join(missing)}; {hint}", file=sys.stderr)
        return 2
    project_dir = _project_dir(args)
    if project_dir is None:
        return 2
    dbt_args = [*(["--select", *args.select] if args.select else []), *args.dbt_args]
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    if args.engine == "spark":  # it refuses a selection (it plans the whole DAG)
        from .spark_build import main_build

        submission = Path(args.submission or project_dir / settings.spark_dir(project_dir)
                          / "submission.csv")
        return main_build(project_dir=project_dir, data_dir=data_dir,
                          submission=submission.resolve(), dbt_args=dbt_args,
                          from_step=args.from_step)
    try:
        result = publish_build(
            warehouse=Path(args.warehouse),
            submission=Path(args.submission or settings.submission_path()),
            data_dir=data_dir, project_dir=project_dir, dbt_args=dbt_args,
            start_from=args.start_from,
        )
    except PublishError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(format_result(result), file=sys.stdout if result.ok else sys.stderr)
    return result.returncode


def _report(args: argparse.Namespace) -> int:
    from .report import DEFAULT_OUT, ReportError, write_report

    out = Path(args.out) if args.out else DEFAULT_OUT
    options = {"memory_limit": args.memory_limit} if args.memory_limit else {}
    try:
        report = write_report(Path(args.db), out,
                              Path(args.png_dir) if args.png_dir else None, **options)
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {out}: {len(report.charts)} charts, {len(report.tables)} tables "
          f"from {args.db} in {report.seconds:.1f} s")
    return 0


def _results_paths(args: argparse.Namespace, project_dir: Path) -> tuple[Path, Path | None]:
    """A results command's --out (relative to the project) and README (with --readme)."""
    out = Path(args.out) if Path(args.out).is_absolute() else project_dir / args.out
    return out, project_dir / "README.md" if args.readme else None


def _ablation(args: argparse.Namespace) -> int:
    import tempfile

    from .bench import ablation
    from .settings import find_source_file

    project_dir = _project_dir(args)
    if project_dir is None:
        return 2
    out, readme = _results_paths(args, project_dir)
    data_dirs = [Path(d).resolve() for d in args.data_dirs]
    missing = [str(d) for d in data_dirs if find_source_file(d, "transactions_train.csv") is None]
    if missing:
        print(f"ablation: no transactions_train (.csv, .csv.gz or .parquet) in "
              f"{', '.join(missing)}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="hm-ablation-") as work:
        ablation.run(data_dirs, out, Path(args.scratch or work), readme)
    print(f"wrote {out / 'results.md'}")
    return 0


def _bench(args: argparse.Namespace) -> int:
    from .bench import default_settings, run_bench

    project_dir = _project_dir(args)
    if project_dir is None:
        return 2
    settings = default_settings(
        project_dir,
        data_root=Path(args.data_root) if args.data_root else None,
        scratch=Path(args.scratch) if args.scratch else None,
        dbt_command=args.dbt_command,
        select=tuple(args.select or ()),
        interval=args.interval,
        keep=args.keep,
        peers=not args.no_peers,
        warehouse=Path(args.warehouse).resolve() if args.warehouse else None,
    )
    out, readme = _results_paths(args, project_dir)
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        report = run_bench(args.scales, settings, out, readme=readme)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print((out / "results.md").read_text())
    print(f"wrote {out / 'results.md'} and {out / 'results.json'}")
    return 0 if all(s["returncode"] == 0 for s in report["scales"]) else 1


def _bench_engines(args: argparse.Namespace) -> int:
    import tempfile

    from .bench.engines import run

    project_dir = _project_dir(args)
    if project_dir is None:
        return 2
    out, readme = _results_paths(args, project_dir)
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    report = run(args.scales, project_dir,
                 Path(args.data_root).resolve() if args.data_root else project_dir / "data",
                 out, Path(args.scratch or Path(tempfile.gettempdir()) / "hm-bench").resolve(),
                 readme=readme, engines=args.engines, keep=args.keep)
    print((out / "results.md").read_text())
    print(f"wrote {out / 'results.md'} and {out / 'results.json'}")
    return 0 if all(r["returncode"] == 0 for r in report["runs"]) else 1


def _bench_merge(args: argparse.Namespace) -> int:
    from .bench import merge_resumed_run

    project_dir = _project_dir(args)
    if project_dir is None:
        return 2
    if len(args.resumed) != len(args.resumed_run_results):
        print("bench-merge: give one --resumed-run-results per --resumed, in the same order",
              file=sys.stderr)
        return 2
    report = merge_resumed_run(
        Path(args.first), Path(args.first_run_results),
        [(Path(d), Path(r)) for d, r in zip(args.resumed, args.resumed_run_results)],
        Path(args.out), scale=args.scale,
        readme=project_dir / "README.md" if args.readme else None)
    merged = next(x for x in report["scales"] if x["scale"] == args.scale)
    print(f"wrote {args.out}: {args.scale} exit {merged['returncode']}, "
          f"{merged['wall_seconds']:.0f} s over {len(args.resumed) + 1} runs")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hm-warehouse",
        description="H&M personalised fashion recommendations warehouse (dbt + DuckDB).",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    gen = sub.add_parser(
        "generate",
        help="write H&M-shaped csv files (Kaggle formats) plus the hidden next week",
        description="Write articles.csv, customers.csv, transactions_train.csv, "
        "sample_submission.csv and hidden/transactions_test_week.csv into OUT, "
        "then print the MAP@12 of the two public heuristics on the hidden week.",
    )
    from .bench import SCALES

    gen.add_argument("--scale", choices=SCALES, default="demo",
                     help="tiny: tests (seconds); small: 1%% of Kaggle customers; demo: 10%% "
                     "(~1 min); full: Kaggle size (minutes)")
    gen.add_argument("--out", help="output directory (default: the dbt var data_dir, "
                     f"$HM_DATA_DIR or {settings.data_dir()})")
    gen.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    gen.add_argument("--if-missing", action="store_true",
                     help="do nothing when the four files already exist in OUT")
    gen.add_argument("--no-score", action="store_true",
                     help="skip scoring the heuristics on the hidden week")
    gen.add_argument("--quiet", action="store_true", help="no progress bar")
    gen.set_defaults(func=_generate)

    build = sub.add_parser(
        "build",
        help="dbt build into a new file, then atomically publish it (readers never blocked)",
        description="Run `dbt build` into a private copy next to the warehouse and, only if "
        "it succeeds, atomically replace the published warehouse and submission csv "
        "(os.replace). Open connections keep reading the previous version until they "
        "reconnect; a failed build leaves the published files untouched. "
        "Arguments after `--` go to dbt unchanged.",
        usage="%(prog)s [options] [-- dbt build arguments]",
    )
    build.add_argument("--data-dir", help="directory of the H&M csv files "
                       f"(default: $HM_DATA_DIR or {settings.data_dir()})")
    build.add_argument("--warehouse", default=str(settings.warehouse_path()),
                       help="published DuckDB file (default: $HM_DUCKDB_PATH or %(default)s)")
    build.add_argument("--submission",
                       help="published submission csv (default: $HM_SUBMISSION_PATH or "
                       f"{settings.submission_path()}; with --engine spark, submission.csv "
                       "in the Spark folder, $HM_SPARK_DIR)")
    build.add_argument("--select", nargs="+", metavar="SELECTOR",
                       help="dbt selection; a selective build updates a copy of the published "
                       "warehouse")
    build.add_argument("--start-from", choices=("auto", "empty", "published"), default="auto",
                       help="auto (default): empty file for a full build, a copy of the "
                       "published one when a selection is given")
    build.add_argument("--project-dir", default=".", help="dbt project directory (default: .)")
    build.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb",
                       help="duckdb (default): the published DuckDB warehouse; spark: the "
                       "`spark` target of profiles.yml (tables under $HM_SPARK_DIR), dbt "
                       "waves with the ML as Spark jobs between them, then the submission csv")
    build.add_argument("--from-step", metavar="STEP",
                       help="--engine spark: resume a stopped build at this step (wave-N or a "
                       "job's model name, as the build prints them); earlier tables are kept")
    build.add_argument("dbt_args", nargs="*", metavar="-- DBT_ARGS",
                       help="extra `dbt build` arguments, e.g. -- --target-path /tmp/t")
    build.set_defaults(func=_build)

    registry = sub.add_parser(
        "registry",
        help="regenerate the registry's parse-time copy from seeds/hm_*.csv",
        description="The registry (candidate sources, strategies, feature families) is "
        "declared once, as the dbt seeds seeds/hm_*.csv. dbt builds its DAG before any "
        "query can read a seed, so the models read a generated copy, "
        "macros/registry/hm_registry_rows.sql: run this after editing a registry seed "
        "(every dbt run checks the copy is current).",
    )
    registry.add_argument("--check", action="store_true",
                          help="only check the copy is current (exit 1 if stale)")
    registry.set_defaults(func=_registry)

    report = sub.add_parser(
        "report",
        help="write the exploratory data analysis report (one self-contained HTML file)",
        description="Render the EDA report from the warehouse (opened read-only): charts and "
        "tables from SQL over the marts, eval and staging tables, aggregated in DuckDB, "
        "PNGs embedded in one HTML file. Fails naming any table the report needs that the "
        "warehouse lacks.",
    )
    report.add_argument("--db", default=str(settings.warehouse_path()),
                        help="DuckDB warehouse (default: $HM_DUCKDB_PATH or %(default)s)")
    report.add_argument("--out", help="HTML file to write (default: the report's, "
                        "eda_report.html under reports/)")
    report.add_argument("--png-dir", help="also write every chart as DIR/<chart id>.png")
    report.add_argument("--memory-limit",
                        help="DuckDB memory limit; larger aggregations spill to a temporary "
                        "directory (default: the report's, 4GB)")
    report.set_defaults(func=_report)

    engines = sub.add_parser(
        "bench-engines",
        help="the whole build on DuckDB and on Spark local[2], side by side per scale",
        description="For each scale (data in DATA_ROOT/<scale>, generated if missing) run "
        "`hm-warehouse build --engine duckdb` and then `--engine spark` into scratch "
        "directories, measuring wall time and the peak memory of the process tree (JVM "
        "included) per layer, and MAP@12 of each engine's submission against the strongest "
        "baseline. Writes OUT/results.json and OUT/results.md.")
    engines.add_argument("--scales", nargs="+", choices=SCALES, default=["small", "demo"],
                         help="scales, in order (default: small demo: 1%% and 10%%)")
    engines.add_argument("--engines", nargs="+", choices=("duckdb", "spark"),
                         default=["duckdb", "spark"], help="engines, in order (default: both)")
    engines.add_argument("--data-root", help="where the data of each scale lives "
                         "(default: PROJECT_DIR/data)")
    engines.add_argument("--out", default="benchmarks/engines",
                         help="directory of the results files (default: %(default)s)")
    engines.add_argument("--scratch", help="where the throw-away builds go "
                         "(default: $TMPDIR/hm-bench)")
    engines.add_argument("--keep", action="store_true", help="keep the scratch builds")
    engines.add_argument("--readme", action="store_true",
                         help="also rewrite README.md's engine comparison section")
    engines.add_argument("--project-dir", default=".", help="dbt project directory")
    engines.set_defaults(func=_bench_engines)

    bench = sub.add_parser(
        "bench",
        help="measure the dbt build per data scale: wall time, peak memory, slowest models",
        description="For each scale: reuse DATA_ROOT/<scale> (generate it, seed 42, if "
        "missing); time DuckDB's raw scan of transactions_train.csv and the pandas "
        "notebook peer on the same files; run `dbt build` into a fresh DuckDB file in a "
        "scratch directory while sampling the memory of the dbt process tree; read the "
        "per-model times from run_results.json (summed per layer) and the MAP@12 of "
        "every strategy. Writes OUT/results.json, OUT/results.md, OUT/scaling.png (2+ "
        "scales) and OUT/results/<scale>-<date>.json, with the ratios between the scales "
        "of this run. Never touches the published warehouse.",
    )
    from .bench import DEFAULT_SCALES

    bench.add_argument("--scales", nargs="+", choices=SCALES, default=list(DEFAULT_SCALES),
                       help=f"scales, in order (default: {' '.join(DEFAULT_SCALES)})")
    bench.add_argument("--select", nargs="+", metavar="SELECTOR",
                       help="benchmark part of the DAG only, e.g. --select +marts +features")
    bench.add_argument("--dbt-command", choices=("build", "run"), default="build",
                       help="dbt build (default: models and tests, as the main job) or run")
    bench.add_argument("--data-root", help="where the data of each scale lives "
                       "(default: PROJECT_DIR/data, i.e. data/tiny, data/demo, data/full)")
    bench.add_argument("--out", default="benchmarks",
                       help="directory of the results files (default: %(default)s)")
    bench.add_argument("--scratch", help="where the throw-away warehouses are built "
                       "(default: $TMPDIR/hm-bench)")
    bench.add_argument("--interval", type=float, default=0.5,
                       help="memory sampling interval in seconds (default: %(default)s)")
    bench.add_argument("--no-peers", action="store_true",
                       help="skip the pandas-notebook peer (the raw DuckDB scan always runs)")
    bench.add_argument("--readme", action="store_true",
                       help="also rewrite README.md's benchmark summary section")
    bench.add_argument("--warehouse",
                       help="build into this existing DuckDB file instead of a fresh one, "
                       "e.g. a kept (--keep) full-scale warehouse whose build failed, with "
                       "--select for the models still to build")
    bench.add_argument("--keep", action="store_true",
                       help="keep each scale's scratch warehouse, target and logs")
    bench.add_argument("--project-dir", default=".", help="dbt project directory (default: .)")
    bench.set_defaults(func=_bench)

    abl = sub.add_parser(
        "ablation",
        help="the ranker without each feature family and candidate source, on several seeds",
        description="For each data directory (a generator seed): build the whole project "
        "with var ranker_ablation true into a scratch warehouse, read eval_ablation, "
        "eval_candidate_recall, eval_strategies and each family's build time, and write "
        "OUT/results.json, OUT/results.md and OUT/ablation.png. Never touches the "
        "published warehouse.",
    )
    abl.add_argument("--data-dirs", nargs="+", default=["data/demo", "data/demo43"],
                     help="data directories, one per seed (default: %(default)s)")
    abl.add_argument("--out", default="benchmarks/ablation",
                     help="directory of the results files (default: %(default)s)")
    abl.add_argument("--scratch", help="where the throw-away warehouses are built "
                     "(default: a temporary directory)")
    abl.add_argument("--readme", action="store_true",
                     help="also rewrite README.md's ablation section")
    abl.add_argument("--project-dir", default=".", help="dbt project directory (default: .)")
    abl.set_defaults(func=_ablation)

    merge = sub.add_parser(
        "bench-merge",
        help="complete a bench run whose build failed with the run that resumed it",
        description="Rewrite the results of a bench run (FIRST) in which one scale's build "
        "failed, with the bench run that resumed that build in its kept warehouse "
        "(`bench --warehouse ... --select ...`, RESUMED): each node counts its last run, "
        "wall time is the sum of both runs, peak memory the larger. Needs both runs' "
        "target/run_results.json (kept with --keep).",
    )
    merge.add_argument("--first", required=True, help="results directory of the first run")
    merge.add_argument("--first-run-results", required=True,
                       help="run_results.json of the first run's failed build")
    merge.add_argument("--resumed", required=True, action="append",
                       help="results directory of a resumed run (repeat for a chain of "
                       "resumed runs, oldest first)")
    merge.add_argument("--resumed-run-results", required=True, action="append",
                       help="run_results.json of that resumed build (one per --resumed, "
                       "same order)")
    merge.add_argument("--scale", default="full", help="the resumed scale (default: full)")
    merge.add_argument("--out", required=True, help="where to write the merged results")
    merge.add_argument("--readme", action="store_true",
                       help="also rewrite README.md's benchmark summary section")
    merge.add_argument("--project-dir", default=".", help="dbt project directory (default: .)")
    merge.set_defaults(func=_bench_merge)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
