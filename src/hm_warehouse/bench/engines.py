"""`hm-warehouse bench-engines`: the whole build on DuckDB and on Spark
(`local[2]`), side by side on the same data, per scale (issue 18).

For each scale (default small and demo: 1% and 10% of the Kaggle data) and
each engine, one measured `hm-warehouse build --engine <engine>` into a
scratch directory, as a user runs it: wall time and peak memory of the
process tree (the JVM and Spark's Python workers included: bench.measure),
per layer the summed node seconds and the tree's peak while one of the
layer's nodes ran (bench.nodes.summarise_layers; on Spark the layers come
from every dbt wave's run_results.json and the jobs' timings,
spark_build.SPARK_JOBS_FILE), and MAP@12 of the submission and of the
strongest baseline from each engine's eval_strategies. The engines run one
after the other on one scale, so their ratio is measured side by side.

Results: benchmarks/engines/results.json and results.md, and README's
section between the `bench:engines` markers with --readme.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from ..spark_build import SPARK_JOBS_FILE
from .measure import measure_command
from .nodes import (
    LAYERS,
    NodeTiming,
    load_run_results,
    manifest_paths,
    parse_run_results,
    summarise_layers,
)
from .render import _gb, update_readme
from .run import _version, ensure_data, input_rows, load_average, machine_info

ENGINES = ("duckdb", "spark")
DEFAULT_SCALES = ("small", "demo")
README_BEGIN = "<!-- bench:engines:begin -->"
README_END = "<!-- bench:engines:end -->"


def spark_nodes(target: Path) -> list[NodeTiming]:
    """The nodes of a Spark build: every wave's run_results (copied per
    wave by spark_build) and the jobs, each job as a model of its file's layer."""
    manifest = target / "manifest.json"
    paths = manifest_paths(json.loads(manifest.read_text())) if manifest.exists() else {}
    nodes: list[NodeTiming] = []
    for wave in sorted(target.glob("run_results_wave-*.json")):
        nodes += parse_run_results(json.loads(wave.read_text()), paths)
    jobs = target / SPARK_JOBS_FILE
    for job in json.loads(jobs.read_text()) if jobs.exists() else []:
        nodes.append(NodeTiming(job["name"], job["unique_id"], "model", "success",
                                float(job["seconds"]), job["started"], job["completed"],
                                job["path"]))
    return nodes


def eval_rows(con, relation: str) -> dict[str, dict[str, float]]:
    """strategy -> eval_week -> MAP@12 (all customers) of an eval_strategies relation."""
    out: dict[str, dict[str, float]] = {}
    for strategy, week, value, kind in con.execute(
            f"select strategy, eval_week, map_at_12, strategy_kind from {relation} "
            "where segment_type = 'all'").fetchall():
        out.setdefault(strategy, {})[week] = round(float(value or 0), 6)
        out[strategy]["kind"] = kind
    return out


def engine_eval(engine: str, work: Path) -> dict | None:
    import duckdb

    con = duckdb.connect()
    try:
        if engine == "duckdb":
            if not (work / "hm.duckdb").exists():
                return None
            con.execute(f"attach '{work / 'hm.duckdb'}' as wh (read_only)")
            return eval_rows(con, "wh.eval.eval_strategies")
        files = work / "spark" / "tables" / "eval.db" / "eval_strategies"
        if not list(files.glob("*.parquet")):
            return None
        return eval_rows(con, f"read_parquet('{files}/*.parquet')")
    except duckdb.Error:
        return None
    finally:
        con.close()


def best_baseline(metrics: dict | None, week: str) -> tuple[str | None, float | None]:
    if not metrics:
        return None, None
    baselines = [(v.get(week, 0.0), s) for s, v in metrics.items() if v.get("kind") == "baseline"]
    if not baselines:
        return None, None
    value, name = max(baselines)
    return name, value


def build_command(engine: str, data_dir: Path, work: Path) -> list[str]:
    exe = Path(sys.executable).with_name("hm-warehouse")
    cmd = [str(exe), "build", "--engine", engine, "--data-dir", str(data_dir),
           "--submission", str(work / "submission.csv")]
    if engine == "duckdb":
        cmd += ["--warehouse", str(work / "hm.duckdb")]
    return cmd + ["--", "--target-path", str(work / "target"), "--log-path",
                  str(work / "logs"), "--no-use-colors"]


def bench_engine(engine: str, scale: str, data_dir: Path, scratch: Path, project_dir: Path,
                 interval: float = 0.5, keep: bool = False) -> dict:
    work = Path(tempfile.mkdtemp(prefix=f"engines-{scale}-{engine}-", dir=scratch))
    env = dict(os.environ, HM_SPARK_DIR=str(work / "spark"),
               HM_TEMP_DIR=str(work / "duckdb_tmp"), DBT_SEND_ANONYMOUS_USAGE_STATS="false",
               DBT_PROFILES_DIR=str(project_dir))
    try:
        cmd = build_command(engine, data_dir, work)
        load_before = load_average()
        measured = measure_command(cmd, cwd=project_dir, env=env, output=work / "build.out",
                                   interval=interval)
        target = work / "target"
        if engine == "spark":
            nodes = spark_nodes(target)
        else:
            nodes = load_run_results(target / "run_results.json") \
                if (target / "run_results.json").exists() else []
        submission = work / "submission.csv"
        result = {
            "engine": engine, "scale": scale, "returncode": measured.returncode,
            "wall_seconds": round(measured.wall_seconds, 2),
            "peak_rss_bytes": measured.peak_rss_bytes,
            "load_average_before": load_before, "load_average_after": load_average(),
            "layers": summarise_layers(nodes, measured.timeline),
            "eval": engine_eval(engine, work),
            "submission_rows": (sum(1 for _ in submission.open()) - 1
                                if submission.exists() else None),
        }
        if measured.returncode != 0:
            result["output_tail"] = (work / "build.out").read_text(errors="replace")[-3000:]
        return result
    finally:
        if keep:
            print(f"  kept scratch files in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f} s" if value >= 10 else f"{value:.1f} s"


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.1f}x" if a and b else "-"


def render(report: dict) -> str:
    """Markdown: per scale, time and peak memory per layer on both engines,
    and MAP@12 of each engine's submission beside the strongest baseline."""
    lines = [
        (f"`hm-warehouse bench-engines` of {report['started_at']} (git "
        f"{(report['machine'].get('git_commit') or '?')[:7]}, "
        f"{report['machine']['cores']} cores): `hm-warehouse build --engine duckdb` "
        "against `--engine spark` (local[2], driver "
        f"{report['settings']['spark_driver_memory']}), one after the other on the same "
        "data; times are summed node seconds per layer (the waves' dbt nodes and the "
        "Spark jobs), peaks the whole process tree's (JVM and Python workers included) "
        "while one of the layer's nodes ran."), ""]
    for scale in report["scales_requested"]:
        runs = {r["engine"]: r for r in report["runs"] if r["scale"] == scale}
        if not runs:
            continue
        rows = next(iter(runs.values())).get("input_rows", {}).get("transactions_train")
        lines += [f"**{scale}** ({rows:,} transactions)" if rows else f"**{scale}**", "",
                  "| layer | DuckDB | Spark | Spark / DuckDB | DuckDB peak | Spark peak |",
                  "|---|---:|---:|---:|---:|---:|"]
        duck, spark = runs.get("duckdb", {}), runs.get("spark", {})
        for layer in LAYERS:
            d, s = duck.get("layers", {}).get(layer), spark.get("layers", {}).get(layer)
            if not d and not s:
                continue
            ds, ss = (d or {}).get("seconds"), (s or {}).get("seconds")
            lines.append(f"| {layer} | {_seconds(ds)} | {_seconds(ss)} | {_ratio(ss, ds)} | "
                         f"{_gb((d or {}).get('peak_rss_bytes'))} | "
                         f"{_gb((s or {}).get('peak_rss_bytes'))} |")
        dw, sw = duck.get("wall_seconds"), spark.get("wall_seconds")
        lines.append(f"| **whole build (wall)** | {_seconds(dw)} | {_seconds(sw)} | "
                     f"{_ratio(sw, dw)} | {_gb(duck.get('peak_rss_bytes'))} | "
                     f"{_gb(spark.get('peak_rss_bytes'))} |")
        for engine, run in runs.items():
            if run["returncode"] != 0:
                lines.append(f"\n{engine} failed (exit {run['returncode']}): see results.json")
        lines.append("")
        for week in ("valid", "hidden"):
            parts = []
            for engine, run in runs.items():
                metrics = run.get("eval") or {}
                name, value = best_baseline(metrics, week)
                # the submission is scored in the hidden week; the ranker in both
                model = "submission" if week in (metrics.get("submission") or {}) else "ranker"
                sub = (metrics.get(model) or {}).get(week)
                if sub is None or not value:
                    continue
                oracle = (metrics.get("oracle") or {}).get(week)
                parts.append(f"{engine} {model} {sub:.4f} (strongest baseline {name} "
                             f"{value:.4f}, {sub / value:.2f}x"
                             + (f"; oracle {oracle:.4f}" if oracle else "") + ")")
            if parts:
                lines.append(f"- MAP@12, {week} week: " + "; ".join(parts))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def run(scales: Sequence[str], project_dir: Path, data_root: Path, out_dir: Path,
        scratch: Path, readme: Path | None = None, engines: Sequence[str] = ENGINES,
        keep: bool = False, log: Callable[[str], None] = print) -> dict:
    scratch.mkdir(parents=True, exist_ok=True)
    report = {
        "started_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "machine": {**machine_info(project_dir),
                    "pyspark": _version("pyspark"), "dbt_spark": _version("dbt-spark")},
        "settings": {"spark_master": os.environ.get("HM_SPARK_MASTER", "local[2]"),
                     "spark_driver_memory": os.environ.get("HM_SPARK_DRIVER_MEMORY", "2g")},
        "scales_requested": list(scales), "runs": [],
    }
    for scale in scales:
        data_dir = (data_root / scale).resolve()
        ensure_data(scale, data_dir, root=project_dir)
        rows = input_rows(data_dir, project_dir)
        for engine in engines:
            log(f"bench-engines {scale} {engine} ...")
            result = bench_engine(engine, scale, data_dir, scratch, project_dir, keep=keep)
            result["input_rows"] = rows
            report["runs"].append(result)
            log(f"bench-engines {scale} {engine}: exit {result['returncode']}, "
                f"{result['wall_seconds']:.0f} s, peak {_gb(result['peak_rss_bytes'])}")
            write(report, out_dir, readme)
    return report


def write(report: dict, out_dir: Path, readme: Path | None = None,
          finished: bool = True) -> None:
    if finished:
        report["finished_at"] = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "results.json").write_text(json.dumps(report, indent=2) + "\n")
    text = render(report)
    (out_dir / "results.md").write_text("# DuckDB and Spark, side by side\n\n" + text)
    if readme is not None:
        update_readme(readme, "\n" + text, README_BEGIN, README_END)
