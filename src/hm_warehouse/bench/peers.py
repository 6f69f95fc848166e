"""The benchmark's peers, run on the same files as the warehouse build.

- `scan`: the limits. The time DuckDB takes just to read
  transactions_train.csv (count(*) and sum(price)): nothing that reads the
  file can be faster; then, in the same process, a bare typed load of it
  into a DuckDB file (`create table as select * from read_csv(...)`, types
  sniffed, no check, checkpointed as a dbt model's table is):
  the cost of parsing every field and writing the rows, which staging of
  transactions is reported against (the issue's target: at most 3x).
- `pandas`: the way public notebooks of the competition work, in plain
  pandas: read the four csv files (article_id as text, t_dat parsed), the
  popular-last-week submission for every customer of sample_submission.csv,
  and the weekly aggregates per customer (units, spend) and per article
  (units, distinct buyers, revenue) over Wednesday-Tuesday weeks.

Each runs in its own process (`python -m hm_warehouse.bench.peers KIND
DATA_DIR --result FILE`, started by `run_peer`) so the benchmark measures
its wall time and peak memory the way it measures the dbt build; the
process writes its own step timings and a few output figures (which tests
compare with the warehouse) to FILE. `peer_ratios` sets the warehouse's
figures against them.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .measure import CommandMeasurement, measure_command

if TYPE_CHECKING:  # run.py imports this module
    from .run import BenchSettings

CLI = "hm_warehouse.bench.peers"  # python -m CLI: this module's main()
WEEK0_START = "2018-09-19"  # a Wednesday: weeks run Wednesday -> Tuesday
TOP_N = 12


class Steps:
    """Wall time of named steps, in order."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.monotonic()

    def done(self, name: str) -> None:
        now = time.monotonic()
        self.seconds[name] = round(now - self._last, 3)
        self._last = now


def scan_transactions(data_dir: Path, *, memory_limit: str | None = None,
                      threads: int | None = None) -> dict:
    """count(*) and sum(price) of transactions_train.csv with DuckDB, then
    the bare typed load of the same file into a table of a DuckDB file (the
    connection's own database, in a scratch directory: staging writes one)."""
    import duckdb

    path = str(Path(data_dir) / "transactions_train.csv")
    with tempfile.TemporaryDirectory(prefix="hm-typed-load-") as scratch:
        steps = Steps()
        con = duckdb.connect(str(Path(scratch) / "load.duckdb"))
        if memory_limit:
            con.execute(f"set memory_limit = '{memory_limit}'")
        if threads:
            con.execute(f"set threads = {int(threads)}")
        n_rows, price_sum = con.execute(
            "select count(*), sum(price) from read_csv(?, header = true)", [path]).fetchone()
        steps.done("scan")
        con.execute("create table transactions as select * from read_csv(?, header = true)",
                    [path])
        con.execute("checkpoint")
        steps.done("typed_load")
        (loaded,) = con.execute("select count(*) from transactions").fetchone()
        con.close()
    return {"kind": "scan", "transactions": int(n_rows), "price_sum": float(price_sum),
            "typed_load_rows": int(loaded), "steps": steps.seconds}


def pandas_notebook(data_dir: Path, out_dir: Path) -> dict:
    """The public notebooks' pandas pipeline; writes out_dir/submission.csv."""
    import pandas as pd

    data_dir = Path(data_dir)
    steps = Steps()
    transactions = pd.read_csv(data_dir / "transactions_train.csv",
                               dtype={"article_id": str}, parse_dates=["t_dat"])
    customers = pd.read_csv(data_dir / "customers.csv")
    articles = pd.read_csv(data_dir / "articles.csv", dtype={"article_id": str})
    submission = pd.read_csv(data_dir / "sample_submission.csv")
    steps.done("read_csv")

    last_date = transactions["t_dat"].max()
    last_week = transactions[transactions["t_dat"] > last_date - pd.Timedelta(days=7)]
    counts = last_week["article_id"].value_counts()
    top = counts.head(TOP_N)
    submission["prediction"] = " ".join(top.index)
    submission.to_csv(Path(out_dir) / "submission.csv", index=False)
    steps.done("popular_last_week_submission")

    transactions["week"] = (transactions["t_dat"] - pd.Timestamp(WEEK0_START)).dt.days // 7
    customer_weeks = transactions.groupby(["customer_id", "week"]).agg(
        n_units=("article_id", "size"), spend=("price", "sum"))
    steps.done("customer_weeks")
    article_weeks = transactions.groupby(["article_id", "week"]).agg(
        n_units=("customer_id", "size"), n_distinct_buyers=("customer_id", "nunique"),
        revenue=("price", "sum"))
    steps.done("article_weeks")
    return {
        "kind": "pandas",
        "transactions": len(transactions),
        "customers": len(customers),
        "articles": len(articles),
        "submission_rows": len(submission),
        "popular_last_week_counts": [int(c) for c in top.to_numpy()],
        "customer_weeks": len(customer_weeks),
        "article_weeks": len(article_weeks),
        "units_total": int(article_weeks["n_units"].sum()),
        "steps": steps.seconds,
    }


def run_peer(kind: str, data_dir: Path, work: Path, settings: BenchSettings,
             measure: Callable[..., CommandMeasurement] = measure_command) -> dict:
    """One measured `python -m hm_warehouse.bench.peers KIND` process."""
    result_file = work / f"peer_{kind}.json"
    cmd = [sys.executable, "-m", CLI, kind, str(data_dir), "--result", str(result_file)]
    if kind == "scan":
        cmd += ["--memory-limit", settings.memory_limit]
    measured = measure(cmd, output=work / f"peer_{kind}.out", interval=settings.interval)
    out = {
        "returncode": measured.returncode,
        "wall_seconds": round(measured.wall_seconds, 2),
        "peak_rss_bytes": measured.peak_rss_bytes,
    }
    if measured.returncode == 0 and result_file.exists():
        out.update(json.loads(result_file.read_text()))
    else:
        out["output_tail"] = (work / f"peer_{kind}.out").read_text(errors="replace")[-2000:]
    return out


# the models that stage transactions_train.csv: the parse (base) and its two splits
STAGING_TRANSACTIONS = ("base_hm__transactions", "stg_hm__transactions",
                        "stg_hm__transactions_rejected")


def staging_transactions_seconds(models: dict) -> float | None:
    """Summed execution time of the models that stage transactions (None
    when none of them ran)."""
    seconds = [models[name] for name in STAGING_TRANSACTIONS if name in models]
    return round(sum(seconds), 3) if seconds else None


def peer_ratios(result: dict) -> dict:
    """The warehouse against its peers of the same run.

    - staging_vs_scan, staging_vs_typed_load: the execution time of staging
      transactions (every model of STAGING_TRANSACTIONS that ran: the parse
      and both splits of it) / the raw scan's, / the bare typed load's (the
      issue's target: at most 3x the typed load);
    - build_vs_pandas: the whole build's wall time and peak memory / the
      pandas notebook's (the build does far more: quarantine, features, ML);
    - marts_vs_pandas: staging + marts (what yields the same weekly
      aggregates, with quarantine and tests) / the pandas notebook's time."""
    models, layers, peers = result.get("models", {}), result.get("layers", {}), \
        result.get("peers", {})
    scan, pandas = peers.get("scan") or {}, peers.get("pandas") or {}

    def div(a: float | None, b: float | None) -> float | None:
        return round(a / b, 3) if a is not None and b else None

    scan_steps = scan.get("steps") or {}
    staging = staging_transactions_seconds(models)
    staging_marts = sum(layers.get(k, {}).get("seconds", 0.0) for k in ("staging", "marts"))
    ok = pandas.get("returncode") == 0
    return {
        "staging_vs_scan": div(staging, scan_steps.get("scan")),
        "staging_vs_typed_load": div(staging, scan_steps.get("typed_load")),
        "build_vs_pandas_wall": div(result["wall_seconds"], pandas.get("wall_seconds")) if ok
        else None,
        "build_vs_pandas_peak_rss": div(result["peak_rss_bytes"], pandas.get("peak_rss_bytes"))
        if ok else None,
        "marts_vs_pandas_seconds": div(staging_marts or None, pandas.get("wall_seconds")) if ok
        else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=f"python -m {CLI}",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=("scan", "pandas"))
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--result", type=Path, required=True, help="json file to write")
    parser.add_argument("--memory-limit", help="DuckDB memory_limit of the scan")
    parser.add_argument("--threads", type=int, help="DuckDB threads of the scan")
    args = parser.parse_args(argv)
    run: Callable[[], dict]
    if args.kind == "scan":
        def run() -> dict:
            return scan_transactions(args.data_dir, memory_limit=args.memory_limit,
                                     threads=args.threads)
    else:
        def run() -> dict:
            with tempfile.TemporaryDirectory(prefix="hm-pandas-peer-") as out:
                return pandas_notebook(args.data_dir, Path(out))
    args.result.write_text(json.dumps(run(), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
