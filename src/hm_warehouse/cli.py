"""`hm-warehouse` command line."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


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
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
