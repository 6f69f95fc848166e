"""`hm-warehouse` command line."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from pathlib import Path
from types import FrameType


def _generate(args: argparse.Namespace) -> int:
    from .generator import generate

    out = Path(args.out)
    if args.if_missing and all((out / f).exists() for f in (
            "articles.csv", "customers.csv", "transactions_train.csv", "sample_submission.csv")):
        print(f"data already present in {out}; nothing to do")
        return 0
    summary = generate(args.scale, out, seed=args.seed, progress=not args.quiet,
                       score=not args.no_score)
    print(json.dumps(summary, indent=2))
    if not args.no_score:
        print(
            f"difficulty on the hidden week ({summary['hidden_week_buyers']} buyers): "
            f"MAP@12 popular last week = {summary['map12_popular_last_week']:.4f}, "
            f"own recent purchases then popular = {summary['map12_own_recent_then_popular']:.4f} "
            "(real leaderboard: 0.0056-0.0071 and 0.0195-0.0211)"
        )
    return 0


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds through the build's cleanup


def _build(args: argparse.Namespace) -> int:
    from .publish import SOURCE_FILES, PublishError, format_result, publish_build

    data_dir = Path(args.data_dir or os.environ.get("HM_DATA_DIR", "data/demo")).resolve()
    missing = [f for f in SOURCE_FILES if not (data_dir / f).exists()]
    if missing:
        print(f"error: {data_dir} lacks {', '.join(missing)}; "
              f"make it with `hm-warehouse generate --out {data_dir}`", file=sys.stderr)
        return 2
    project_dir = Path(args.project_dir).resolve()
    if not (project_dir / "dbt_project.yml").exists():
        print(f"error: no dbt_project.yml in {project_dir}", file=sys.stderr)
        return 2
    dbt_args = [*(["--select", *args.select] if args.select else []), *args.dbt_args]
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        result = publish_build(
            warehouse=Path(args.warehouse), submission=Path(args.submission),
            data_dir=data_dir, project_dir=project_dir, dbt_args=dbt_args,
            start_from=args.start_from,
        )
    except PublishError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(format_result(result), file=sys.stdout if result.ok else sys.stderr)
    return result.returncode


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
    gen.add_argument("--scale", choices=("tiny", "demo", "full"), default="demo",
                     help="tiny: tests (seconds); demo: 10%% of Kaggle customers (~1 min); "
                     "full: Kaggle size (minutes)")
    gen.add_argument("--out", required=True, help="output directory")
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
                       "(default: $HM_DATA_DIR or data/demo)")
    build.add_argument("--warehouse", default=os.environ.get("HM_DUCKDB_PATH", "warehouse/hm.duckdb"),
                       help="published DuckDB file (default: $HM_DUCKDB_PATH or %(default)s)")
    build.add_argument("--submission",
                       default=os.environ.get("HM_SUBMISSION_PATH", "warehouse/submission.csv"),
                       help="published submission csv (default: $HM_SUBMISSION_PATH or "
                       "%(default)s)")
    build.add_argument("--select", nargs="+", metavar="SELECTOR",
                       help="dbt selection; a selective build updates a copy of the published "
                       "warehouse")
    build.add_argument("--start-from", choices=("auto", "empty", "published"), default="auto",
                       help="auto (default): empty file for a full build, a copy of the "
                       "published one when a selection is given")
    build.add_argument("--project-dir", default=".", help="dbt project directory (default: .)")
    build.add_argument("dbt_args", nargs="*", metavar="-- DBT_ARGS",
                       help="extra `dbt build` arguments, e.g. -- --target-path /tmp/t")
    build.set_defaults(func=_build)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
