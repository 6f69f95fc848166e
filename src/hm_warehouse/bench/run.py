"""`hm-warehouse bench`'s run: wall time and peak memory of the dbt build, per scale.

For each requested scale (default tiny and demo) the benchmark reuses
`data/<scale>` (or generates it, seed 42), runs `dbt build` -- the main job's
command, see publish.run_dbt -- into a fresh DuckDB file in a scratch
directory, and measures

- the wall time of the dbt process;
- its peak resident memory: the sum of VmRSS over the dbt process and its
  descendants, sampled from /proc every `interval` seconds, and the kernel's
  exact peak of the largest single process (ru_maxrss from wait4); the
  reported peak is the larger of the two;
- each node's execution time, from the run's target/run_results.json;
- the input rows of the four csv files.

The figures go to benchmarks/results.json and benchmarks/results.md, with
the ratios between the scales of the same run (the machine is shared and
noisy: only figures measured side by side are compared). Nothing here is a
pass/fail check: tests never assert timings.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .. import settings as project_settings
from ..generator.config import SCALES as GENERATOR_SCALES
from ..publish import build_env, dbt_executable
from .measure import CommandMeasurement, measure_command
from .nodes import last_runs, load_run_results, merge_resumed, summarise_layers, summarise_nodes
from .peers import peer_ratios, run_peer
from .render import (
    _gb,
    check_readme,
    render_markdown,
    render_summary,
    resumed_runs,
    scale_ratios,
    scaling_chart,
    update_readme,
)

SCALES = tuple(GENERATOR_SCALES)  # the generator's: tiny, then small / demo / full (1/10/100%)
DEFAULT_SCALES = ("tiny", "demo")
SCHEMA_VERSION = 2


# ------------------------------------------------------------------- inputs

def count_rows(path: Path) -> int:
    """Data rows of a csv (lines after the header; a last line without a
    newline counts)."""
    lines, last = 0, b"\n"
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 24):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    if last != b"\n":
        lines += 1
    return max(lines - 1, 0)


def input_rows(data_dir: Path, root: Path | None = None) -> dict[str, int]:
    """Data rows of each source file (settings.source_files of project `root`)."""
    return {Path(f).stem: count_rows(data_dir / f)
            for f in project_settings.source_files(root)}


def has_data(data_dir: Path, root: Path | None = None) -> bool:
    return all((data_dir / f).exists() for f in project_settings.source_files(root))


def ensure_data(scale: str, data_dir: Path, seed: int = 42,
                root: Path | None = None) -> float | None:
    """Generate `scale` into data_dir unless its four files are there;
    the seconds it took, or None when reused."""
    if has_data(data_dir, root):
        return None
    from ..generator import generate

    started = time.monotonic()
    generate(scale, data_dir, seed=seed, progress=False)
    return round(time.monotonic() - started, 1)


# ------------------------------------------------------------------ machine

def _meminfo_bytes(key: str = "MemTotal") -> int | None:
    try:
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith(f"{key}:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def _git(project_dir: Path, *args: str) -> str | None:
    try:
        out = subprocess.run(["git", *args], cwd=project_dir, capture_output=True, text=True,
                             check=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip()


def _version(module: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(module)
    except metadata.PackageNotFoundError:
        return None


def machine_info(project_dir: Path) -> dict:
    status = _git(project_dir, "status", "--porcelain", "--untracked-files=no")
    return {
        "cores": os.cpu_count(),
        "cores_available": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "ram_bytes": _meminfo_bytes(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "dbt_core": _version("dbt-core"),
        "dbt_duckdb": _version("dbt-duckdb"),
        "duckdb": _version("duckdb"),
        "git_commit": _git(project_dir, "rev-parse", "HEAD"),
        "git_dirty": bool(status) if status is not None else None,
    }


def load_average() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


# ---------------------------------------------------------------- one scale

@dataclass
class BenchSettings:
    project_dir: Path
    data_root: Path
    scratch: Path
    dbt_command: str = "build"
    select: tuple[str, ...] = ()
    interval: float = 0.5
    keep: bool = False
    dbt: str = ""
    peers: bool = True  # the raw scan always runs; the pandas peer unless False
    # build into this existing warehouse instead of a fresh one: resumes a
    # failed run (with --select for the models it did not build)
    warehouse: Path | None = None
    # the raw scan's DuckDB cap: the build's (profiles.yml, or HM_MEMORY_LIMIT)
    memory_limit: str = field(default_factory=project_settings.memory_limit)


def dbt_env(base: dict[str, str], *, project_dir: Path, data_dir: Path, work: Path,
            warehouse: Path | None = None) -> dict:
    """The build's environment, every path pointing into the scratch dir
    (the warehouse too, unless given); threads and memory limit stay the
    profile's (or the caller's HM_*)."""
    env = build_env(base, project_dir=project_dir, warehouse=warehouse or work / "hm.duckdb",
                    submission=work / "submission.csv", data_dir=data_dir)
    env.update(HM_TEMP_DIR=str(work / "duckdb_tmp"), DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    return env


def dbt_command(settings: BenchSettings, work: Path) -> list[str]:
    cmd = [settings.dbt, settings.dbt_command]
    if settings.select:
        cmd += ["--select", *settings.select]
    cmd += ["--target-path", str(work / "target"), "--log-path", str(work / "logs"),
            "--no-use-colors"]
    return cmd


def eval_metrics(warehouse: Path) -> dict[str, dict[str, dict]] | None:
    """MAP@12 and recall@12 of every strategy on the validation and hidden
    weeks (eval_strategies, all customers), or None when not built."""
    if not warehouse.exists():
        return None
    import duckdb

    try:
        con = duckdb.connect(str(warehouse), read_only=True)
        try:
            rows = con.execute(
                "select strategy, eval_week, map_at_12, recall_at_12, n_customers "
                "from eval.eval_strategies where segment_type = 'all' "
                "order by strategy, eval_week").fetchall()
        finally:
            con.close()
    except duckdb.Error:
        return None
    metrics: dict[str, dict[str, dict]] = {}
    for strategy, week, map12, recall12, n in rows:
        metrics.setdefault(strategy, {})[week] = {
            "map_at_12": round(float(map12), 6), "recall_at_12": round(float(recall12), 6),
            "n_customers": int(n)}
    return metrics


def bench_scale(scale: str, settings: BenchSettings,
                measure: Callable[..., CommandMeasurement] = measure_command) -> dict:
    """Generate-if-missing; the raw scan and the pandas peer; then one
    measured dbt run of `scale` and its evaluation metrics."""
    data_dir = (settings.data_root / scale).resolve()
    generated = ensure_data(scale, data_dir, root=settings.project_dir)
    rows = input_rows(data_dir, settings.project_dir)
    work = Path(tempfile.mkdtemp(prefix=f"bench-{scale}-", dir=settings.scratch))
    try:
        # the scan first: it also warms the page cache for everything after it
        peers = {kind: run_peer(kind, data_dir, work, settings, measure)
                 for kind in (("scan", "pandas") if settings.peers else ("scan",))}
        env = dbt_env(dict(os.environ), project_dir=settings.project_dir, data_dir=data_dir,
                      work=work, warehouse=settings.warehouse)
        cmd = dbt_command(settings, work)
        load_before = load_average()
        measured = measure(cmd, cwd=settings.project_dir, env=env, output=work / "dbt.out",
                           interval=settings.interval)
        run_results = work / "target" / "run_results.json"
        nodes = load_run_results(run_results) if run_results.exists() else []
        warehouse = settings.warehouse or work / "hm.duckdb"
        result = {
            "scale": scale,
            "resumed_warehouse": str(settings.warehouse) if settings.warehouse else None,
            "date": dt.date.today().isoformat(),
            "data_dir": str(data_dir),
            "generated_seconds": generated,
            "input_rows": rows,
            "command": " ".join(cmd[1:2] + (["--select", *settings.select]
                                             if settings.select else [])),
            "returncode": measured.returncode,
            "wall_seconds": round(measured.wall_seconds, 2),
            "peak_rss_bytes": measured.peak_rss_bytes,
            "peak_rss_sampled_bytes": measured.peak_rss_sampled_bytes,
            "max_rss_single_process_bytes": measured.max_rss_single_process_bytes,
            "rss_samples": measured.n_samples,
            "seconds_per_million_transactions": round(
                measured.wall_seconds / (rows["transactions_train"] / 1e6), 2
            ) if rows["transactions_train"] else None,
            "warehouse_bytes": warehouse.stat().st_size if warehouse.exists() else None,
            "load_average_before": load_before,
            "load_average_after": load_average(),
            "layers": summarise_layers(nodes, measured.timeline),
            "eval": eval_metrics(warehouse),
            "peers": peers,
            **summarise_nodes(nodes),
        }
        result["peer_ratios"] = peer_ratios(result)
        if measured.returncode != 0:
            result["output_tail"] = (work / "dbt.out").read_text(errors="replace")[-3000:]
        return result
    finally:
        if settings.keep:
            print(f"  kept scratch files in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


# ---------------------------------------------------------------------- run

def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def _profile_setting(env_var: str, value: object) -> str:
    """A setting of the build as recorded: the value, marked as the profile's
    default unless the environment set it."""
    return str(value) if env_var in os.environ else f"{value} (profiles.yml)"


def run_bench(scales: Iterable[str], settings: BenchSettings, out_dir: Path,
              log: Callable[[str], None] = print, readme: Path | None = None) -> dict:
    """Benchmark each scale in turn, writing the results after each."""
    if readme is not None:
        check_readme(readme)  # before an hour of building, not after
    settings.scratch.mkdir(parents=True, exist_ok=True)
    report = {
        "schema_version": SCHEMA_VERSION,
        "started_at": _now(),
        "machine": machine_info(settings.project_dir),
        "settings": {
            "dbt_command": settings.dbt_command,
            "select": list(settings.select),
            "threads": _profile_setting(
                "HM_THREADS", project_settings.threads(settings.project_dir)),
            "memory_limit": _profile_setting(
                "HM_MEMORY_LIMIT", project_settings.memory_limit(settings.project_dir)),
            "interval": settings.interval,
            "peers": settings.peers,
        },
        "scales": [],
    }
    report["scales_requested"] = scales = list(scales)
    for scale in scales:
        log(f"bench {scale}: dbt {settings.dbt_command} on {settings.data_root / scale} ...")
        result = bench_scale(scale, settings)
        report["scales"].append(result)
        log(f"bench {scale}: exit {result['returncode']}, {result['wall_seconds']:.1f} s, "
            f"peak {_gb(result['peak_rss_bytes'])}, "
            f"{result['input_rows']['transactions_train']:,} transactions")
        # written after every scale: a run stopped during a long scale keeps the others
        write_report(report, out_dir, readme)
    return report


def write_report(report: dict, out_dir: Path, readme: Path | None = None) -> None:
    """(Re)write the run's results.json, results.md and scaling.png, and one
    results/<scale>-<date>.json per scale, with the scales measured so far;
    and README's summary section when `readme` is given."""
    report["finished_at"] = _now()
    report["ratios"] = scale_ratios(report["scales"])
    out_dir.mkdir(parents=True, exist_ok=True)
    report["chart"] = "scaling.png" if scaling_chart(report, out_dir / "scaling.png") else None
    (out_dir / "results.json").write_text(json.dumps(report, indent=2) + "\n")
    (out_dir / "results.md").write_text(render_markdown(report))
    per_scale = out_dir / "results"
    per_scale.mkdir(exist_ok=True)
    for s in report["scales"]:
        record = {"schema_version": SCHEMA_VERSION, "machine": report["machine"],
                  "settings": report["settings"], **s}
        (per_scale / f"{s['scale']}-{s['date']}.json").write_text(
            json.dumps(record, indent=2) + "\n")
    if readme is not None:
        chart = None
        if report["chart"]:
            chart = os.path.relpath(out_dir / "scaling.png", readme.parent)
        update_readme(readme, render_summary(report, chart))


def merge_resumed_run(first_dir: Path, first_run_results: Path,
                      resumed: Sequence[tuple[Path, Path]], out_dir: Path,
                      scale: str = "full", readme: Path | None = None) -> dict:
    """Rewrite a run's results with one scale's failed build completed by
    one or more resumed runs, in order (results directory, run_results.json
    each; merge_resumed folds them in one at a time, each node counting its
    last run); the other scales stay as measured."""
    report = json.loads((first_dir / "results.json").read_text())
    index = next(i for i, x in enumerate(report["scales"]) if x["scale"] == scale)
    merged = report["scales"][index]
    nodes = load_run_results(first_run_results)
    runs = resumed_runs(report)
    for resumed_dir, resumed_run_results in resumed:
        resumed_report = json.loads((resumed_dir / "results.json").read_text())
        run = next(x for x in resumed_report["scales"] if x["scale"] == scale)
        run_nodes = load_run_results(resumed_run_results)
        merged = merge_resumed(merged, nodes, run, run_nodes)
        nodes = last_runs(nodes, run_nodes)
        runs.append({
            "scale": scale, "command": run["command"],
            "started_at": resumed_report["started_at"],
            "finished_at": resumed_report.get("finished_at"),
            "git_commit": resumed_report["machine"]["git_commit"],
        })
    report["scales"][index] = merged
    report.pop("resumed_run", None)
    report["resumed_runs"] = runs
    write_report(report, out_dir, readme)
    return report


def default_settings(project_dir: Path, *, data_root: Path | None = None,
                     scratch: Path | None = None, **kwargs: object) -> BenchSettings:
    project_dir = project_dir.resolve()
    return BenchSettings(
        project_dir=project_dir,
        data_root=(data_root or project_dir / "data").resolve(),
        scratch=(scratch or Path(tempfile.gettempdir()) / "hm-bench").resolve(),
        dbt=dbt_executable(),
        memory_limit=project_settings.memory_limit(project_dir),
        **kwargs,  # type: ignore[arg-type]
    )
