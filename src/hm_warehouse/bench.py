"""`hm-warehouse bench`: wall time and peak memory of the dbt build, per scale.

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
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

from .publish import build_env, dbt_executable

SOURCE_FILES = ("articles.csv", "customers.csv", "transactions_train.csv", "sample_submission.csv")
SCALES = ("tiny", "small", "demo", "full")  # small / demo / full: 1% / 10% / 100%
DEFAULT_SCALES = ("tiny", "demo")
SLOWEST_N = 10
SCHEMA_VERSION = 2


# ------------------------------------------------------------ memory sampling

def _read_ppid(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read()
    except OSError:
        return None
    # "pid (comm) state ppid ...": comm may hold spaces and parentheses
    fields = stat[stat.rfind(b")") + 2:].split()
    return int(fields[1]) if len(fields) > 1 else None


def process_tree(root: int) -> list[int]:
    """`root` and all its live descendants (from /proc/<pid>/stat)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            ppid = _read_ppid(int(entry))
            if ppid is not None:
                children.setdefault(ppid, []).append(int(entry))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def rss_bytes(pid: int) -> int:
    """VmRSS of one process (0 when gone or a zombie)."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class TreeRssSampler:
    """Samples the summed VmRSS of a process tree in a background thread and
    keeps the peak. Use as a context manager around the process's life."""

    def __init__(self, pid: int, interval: float = 0.5) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_bytes = 0
        self.peak_processes = 0
        self.n_samples = 0
        # (unix time, summed VmRSS): attributes memory to the dbt nodes running then
        self.timeline: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="rss-sampler", daemon=True)

    def sample(self) -> int:
        tree = process_tree(self.pid)
        total = sum(rss_bytes(pid) for pid in tree)
        self.timeline.append((time.time(), total))
        if total > self.peak_bytes:
            self.peak_bytes, self.peak_processes = total, len(tree)
        self.n_samples += 1
        return total

    def _loop(self) -> None:
        while True:
            self.sample()
            if self._stop.wait(self.interval):
                return

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class CommandMeasurement:
    returncode: int
    wall_seconds: float
    peak_rss_sampled_bytes: int
    max_rss_single_process_bytes: int
    n_samples: int
    timeline: list[tuple[float, int]] = field(default_factory=list)

    @property
    def peak_rss_bytes(self) -> int:
        return max(self.peak_rss_sampled_bytes, self.max_rss_single_process_bytes)


def measure_command(cmd: Sequence[str], *, cwd: Path | None = None,
                    env: dict[str, str] | None = None, output: Path | None = None,
                    interval: float = 0.5) -> CommandMeasurement:
    """Run `cmd` to completion, measuring wall time and peak memory."""
    out = open(output, "w") if output is not None else subprocess.DEVNULL  # noqa: SIM115
    try:
        started = time.monotonic()
        proc = subprocess.Popen(list(cmd), cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            with TreeRssSampler(proc.pid, interval) as sampler:
                _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:  # Ctrl-C: stop the child before unwinding
            proc.kill()
            proc.wait()
            raise
        wall = time.monotonic() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if output is not None:
            out.close()
    return CommandMeasurement(
        returncode=proc.returncode,
        wall_seconds=wall,
        peak_rss_sampled_bytes=sampler.peak_bytes,
        max_rss_single_process_bytes=usage.ru_maxrss * 1024,  # kB on Linux
        n_samples=sampler.n_samples,
        timeline=sampler.timeline,
    )


# ------------------------------------------------------------- run_results

@dataclass
class NodeTiming:
    name: str
    unique_id: str
    resource_type: str
    status: str
    seconds: float
    started: float | None = None  # unix time of the node's execute step
    completed: float | None = None

    @property
    def layer(self) -> str:
        return layer_of(self.name, self.resource_type)


def _unix(timestamp: str | None) -> float | None:
    if not timestamp:
        return None
    return dt.datetime.fromisoformat(timestamp).timestamp()


def parse_run_results(data: dict) -> list[NodeTiming]:
    """One NodeTiming per result of a dbt run_results.json (parsed)."""
    nodes = []
    for row in data.get("results", []):
        unique_id = str(row["unique_id"])
        execute = next((t for t in row.get("timing") or [] if t.get("name") == "execute"), {})
        nodes.append(NodeTiming(
            name=unique_id.split(".")[-1] if unique_id.startswith("model.") else
            unique_id.split(".", 2)[-1],
            unique_id=unique_id,
            resource_type=unique_id.split(".", 1)[0],
            status=str(row.get("status")),
            seconds=float(row.get("execution_time") or 0.0),
            started=_unix(execute.get("started_at")),
            completed=_unix(execute.get("completed_at")),
        ))
    return nodes


# ------------------------------------------------------------------- layers

# The layers of the scaling study, in DAG order, from the models' name
# prefixes (the project's naming rules, checked by pytests/test_project_rules).
LAYER_PREFIXES = (
    ("base_", "staging"), ("stg_", "staging"),
    ("dim_", "marts"), ("fct_", "marts"),
    ("feat_", "features"),
    ("cand_als", "als"), ("cand_", "candidates"), ("abt_", "abt"),
    ("ranker_models", "ranker"), ("ranker_feature_importance", "ranker"),
    # ml_submission_rows: the submission fill's name in runs recorded before 2026-11-23
    ("ml_submission", "submission"), ("submission", "submission"),
    ("eval_", "eval"),
)
OK_STATUSES = frozenset({"success", "pass"})
LAYERS = ("staging", "marts", "features", "candidates", "als", "abt", "ranker", "submission",
          "eval", "tests", "other")


def layer_of(name: str, resource_type: str = "model") -> str:
    """The layer of a dbt node: data tests and unit tests are "tests"; a
    model by its name prefix; anything else "other"."""
    if resource_type in ("test", "unit_test"):
        return "tests"
    if resource_type == "model":
        for prefix, layer in LAYER_PREFIXES:
            if name.startswith(prefix):
                return layer
    return "other"


def peak_between(timeline: Sequence[tuple[float, int]], start: float, end: float) -> int:
    """The largest sample taken while [start, end] ran (or the last sample
    before it, for nodes shorter than the sampling interval)."""
    inside = [rss for t, rss in timeline if start <= t <= end]
    if inside:
        return max(inside)
    before = [rss for t, rss in timeline if t <= start]
    return before[-1] if before else 0


def summarise_layers(nodes: Sequence[NodeTiming],
                     timeline: Sequence[tuple[float, int]] = ()) -> dict[str, dict]:
    """Per layer: its nodes, their summed execution time, the wall-clock span
    from its first start to its last end, and the peak memory of the process
    tree while one of its nodes ran (with 2 dbt threads a node of another
    layer may run at the same time: the peak is the tree's, not the node's)."""
    out: dict[str, dict] = {}
    for layer in LAYERS:
        # exposures are documentation: no execution time, no layer
        members = [n for n in nodes if n.layer == layer and n.resource_type != "exposure"]
        if not members:
            continue
        timed = [n for n in members if n.started is not None and n.completed is not None]
        span = (max(n.completed for n in timed) - min(n.started for n in timed)) if timed else None
        peak = max((peak_between(timeline, n.started, n.completed) for n in timed),
                   default=None) if timeline else None
        out[layer] = {
            "nodes": len(members),
            "seconds": round(sum(n.seconds for n in members), 3),
            "span_seconds": round(span, 3) if span is not None else None,
            "peak_rss_bytes": peak,
            # every node built or passed: a failed build's finished layers still count
            "complete": all(n.status in OK_STATUSES for n in members),
        }
    return out


def last_runs(original_nodes: Sequence[NodeTiming],
              resumed_nodes: Sequence[NodeTiming]) -> list[NodeTiming]:
    """The nodes of a build and of the run that resumed it, each by its last
    run (a node the resumed run rebuilt drops its earlier run)."""
    rebuilt = {n.unique_id for n in resumed_nodes}
    return [n for n in original_nodes if n.unique_id not in rebuilt] + list(resumed_nodes)


def merge_resumed(original: dict, original_nodes: Sequence[NodeTiming], resumed: dict,
                  resumed_nodes: Sequence[NodeTiming]) -> dict:
    """One scale's result from a build that failed and was resumed in its
    kept warehouse (bench --warehouse --select ...): each node's last run
    counts (a node the resumed run rebuilt drops its failed or skipped first
    run); a layer's peak memory is the larger of the two runs'; wall time is
    the sum of both runs, failed work included. Marked with `resumed`."""
    nodes = last_runs(original_nodes, resumed_nodes)
    layers = summarise_layers(nodes)
    for layer, figures in layers.items():
        peaks = [run.get("layers", {}).get(layer, {}).get("peak_rss_bytes")
                 for run in (original, resumed)]
        figures["peak_rss_bytes"] = max((p for p in peaks if p), default=None)
        figures["span_seconds"] = None  # two runs: no single span
    merged = {
        **original,
        **summarise_nodes(nodes),
        "returncode": resumed["returncode"] if all(
            # dbt build reports exposures as no-op
            n.status in OK_STATUSES | {"skipped", "no-op"} for n in nodes) else 1,
        "wall_seconds": round(original["wall_seconds"] + resumed["wall_seconds"], 2),
        "peak_rss_bytes": max(original["peak_rss_bytes"], resumed["peak_rss_bytes"]),
        "warehouse_bytes": resumed.get("warehouse_bytes") or original.get("warehouse_bytes"),
        "layers": layers,
        "eval": resumed.get("eval") or original.get("eval"),
        "resumed": {
            # a chain of resumed runs keeps the first run and every resumed one
            "first_run": original["resumed"]["first_run"] if "resumed" in original else {
                k: original.get(k) for k in (
                    "returncode", "wall_seconds", "peak_rss_bytes", "output_tail")},
            "earlier_resumed_runs": [
                *original.get("resumed", {}).get("earlier_resumed_runs", []),
                *([original["resumed"]["resumed_run"]] if "resumed" in original else [])],
            "resumed_run": {k: resumed.get(k) for k in (
                "command", "returncode", "wall_seconds", "peak_rss_bytes", "output_tail")},
            "rebuilt_nodes": len({n.unique_id for n in resumed_nodes}),
        },
    }
    rows = merged["input_rows"]["transactions_train"]
    merged["seconds_per_million_transactions"] = round(merged["wall_seconds"] / (rows / 1e6), 2)
    merged["peer_ratios"] = peer_ratios(merged)
    if merged["returncode"] == 0:
        merged.pop("output_tail", None)
    return merged


def summarise_nodes(nodes: Sequence[NodeTiming], slowest: int = SLOWEST_N) -> dict:
    """Counts by resource type and status, the summed execution time, and the
    slowest models with their share of the summed time of all nodes (with
    several dbt threads nodes overlap, so shares are of work, not of wall)."""
    total = sum(n.seconds for n in nodes)
    by_type: dict[str, int] = {}
    by_status: dict[str, int] = {}
    for node in nodes:
        by_type[node.resource_type] = by_type.get(node.resource_type, 0) + 1
        by_status[node.status] = by_status.get(node.status, 0) + 1
    models = sorted((n for n in nodes if n.resource_type == "model"),
                    key=lambda n: (-n.seconds, n.name))
    return {
        "node_seconds_total": round(total, 3),
        "model_seconds_total": round(sum(n.seconds for n in models), 3),
        "nodes_by_type": dict(sorted(by_type.items())),
        "nodes_by_status": dict(sorted(by_status.items())),
        "slowest_models": [
            {"name": n.name, "seconds": round(n.seconds, 3),
             "share": round(n.seconds / total, 4) if total else 0.0, "status": n.status}
            for n in models[:slowest]
        ],
        "models": {n.name: round(n.seconds, 3) for n in sorted(models, key=lambda n: n.name)},
    }


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


def input_rows(data_dir: Path) -> dict[str, int]:
    return {Path(f).stem: count_rows(data_dir / f) for f in SOURCE_FILES}


def has_data(data_dir: Path) -> bool:
    return all((data_dir / f).exists() for f in SOURCE_FILES)


def ensure_data(scale: str, data_dir: Path, seed: int = 42) -> float | None:
    """Generate `scale` into data_dir unless its four files are there;
    the seconds it took, or None when reused."""
    if has_data(data_dir):
        return None
    from .generator import generate

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
    memory_limit: str = "12GB"  # the profile's default; HM_MEMORY_LIMIT overrides both


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


def run_peer(kind: str, data_dir: Path, work: Path, settings: BenchSettings,
             measure: Callable[..., CommandMeasurement] = measure_command) -> dict:
    """One measured `python -m hm_warehouse.peers KIND` process."""
    result_file = work / f"peer_{kind}.json"
    cmd = [sys.executable, "-m", "hm_warehouse.peers", kind, str(data_dir),
           "--result", str(result_file)]
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


def peer_ratios(result: dict) -> dict:
    """The warehouse against its peers of the same run.

    - staging_vs_scan: stg_hm__transactions' execution time / the scan's
      (the issue's target: within 2x);
    - build_vs_pandas: the whole build's wall time and peak memory / the
      pandas notebook's (the build does far more: quarantine, features, ML);
    - marts_vs_pandas: staging + marts (what yields the same weekly
      aggregates, with quarantine and tests) / the pandas notebook's time."""
    models, layers, peers = result.get("models", {}), result.get("layers", {}), \
        result.get("peers", {})
    scan, pandas = peers.get("scan") or {}, peers.get("pandas") or {}

    def div(a: float | None, b: float | None) -> float | None:
        return round(a / b, 3) if a is not None and b else None

    scan_seconds = (scan.get("steps") or {}).get("scan")
    staging_marts = sum(layers.get(k, {}).get("seconds", 0.0) for k in ("staging", "marts"))
    ok = pandas.get("returncode") == 0
    return {
        "staging_vs_scan": div(models.get("stg_hm__transactions"), scan_seconds),
        "build_vs_pandas_wall": div(result["wall_seconds"], pandas.get("wall_seconds")) if ok
        else None,
        "build_vs_pandas_peak_rss": div(result["peak_rss_bytes"], pandas.get("peak_rss_bytes"))
        if ok else None,
        "marts_vs_pandas_seconds": div(staging_marts or None, pandas.get("wall_seconds")) if ok
        else None,
    }


def bench_scale(scale: str, settings: BenchSettings,
                measure: Callable[..., CommandMeasurement] = measure_command) -> dict:
    """Generate-if-missing; the raw scan and the pandas peer; then one
    measured dbt run of `scale` and its evaluation metrics."""
    data_dir = (settings.data_root / scale).resolve()
    generated = ensure_data(scale, data_dir)
    rows = input_rows(data_dir)
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
        nodes = parse_run_results(json.loads(run_results.read_text())) \
            if run_results.exists() else []
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


# ------------------------------------------------------------------- ratios

def _measured(scales: Sequence[dict]) -> list[dict]:
    """Scales with input rows, smaller first; failed builds included (their
    complete layers count)."""
    return sorted((s for s in scales if s["input_rows"]["transactions_train"]),
                  key=lambda s: s["input_rows"]["transactions_train"])


def _ok(scales: Sequence[dict]) -> list[dict]:
    """The measured scales whose build succeeded."""
    return [s for s in _measured(scales) if s["returncode"] == 0]


def scale_ratios(scales: Sequence[dict]) -> list[dict]:
    """For each pair of scales of the run (larger input / smaller input): the
    ratios of rows, wall time and peak memory, and wall-time ratio / row
    ratio (1 = linear; below 1 = fixed costs dominate the smaller scale)."""
    ok = _ok(scales)
    pairs = []
    for i, small in enumerate(ok):
        for large in ok[i + 1:]:
            rows = large["input_rows"]["transactions_train"] / small["input_rows"][
                "transactions_train"]
            wall = large["wall_seconds"] / small["wall_seconds"] if small["wall_seconds"] else None
            rss = (large["peak_rss_bytes"] / small["peak_rss_bytes"]
                   if small["peak_rss_bytes"] else None)
            pairs.append({
                "larger": large["scale"],
                "smaller": small["scale"],
                "transactions_ratio": round(rows, 3),
                "wall_time_ratio": round(wall, 3) if wall is not None else None,
                "peak_rss_ratio": round(rss, 3) if rss is not None else None,
                "wall_ratio_per_row_ratio": round(wall / rows, 3) if wall is not None else None,
            })
    return pairs


# ----------------------------------------------------------------- rendering

def _gb(value: int | None) -> str:
    return "n/a" if value is None else f"{value / 2**30:.2f} GB"


def _seconds(value: float | None) -> str:
    if value is None:
        return "n/a"
    return f"{value:.0f} s" if value >= 100 else f"{value:.1f} s"


def _ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}x"


def _incomplete(report: dict) -> list[str]:
    requested = report.get("scales_requested") or []
    done = [s["scale"] for s in report["scales"]]
    if len(done) >= len(requested):
        return []
    missing = " ".join(requested[len(done):])
    return [(f"- incomplete: no result yet for {missing} (still running, or the run was "
             "stopped; results are written after each scale)")]


def _header(report: dict) -> list[str]:
    machine, settings = report["machine"], report["settings"]
    select = f" --select {' '.join(settings['select'])}" if settings["select"] else ""
    commit = (machine["git_commit"] or "unknown")[:12]
    dirty = " (with uncommitted changes)" if machine.get("git_dirty") else ""
    return [
        "# Benchmarks",
        "",
        "Written by `hm-warehouse bench` (`make bench`); do not edit by hand. The",
        "figures of one run, measured one scale after the other on a shared machine:",
        "compare the ratios of a run, not single figures across runs.",
        "",
        f"- run: {report['started_at']} to {report['finished_at']} (UTC)",
        *_incomplete(report),
        (f"- machine: {machine['cores']} cores ({machine['cores_available']} available), "
         f"{_gb(machine['ram_bytes'])} RAM, {machine['platform']}"),
        (f"- software: Python {machine['python']}, dbt-core {machine['dbt_core']}, "
         f"dbt-duckdb {machine['dbt_duckdb']}, DuckDB {machine['duckdb']}"),
        f"- code: git {commit}{dirty}",
        (f"- command: `dbt {settings['dbt_command']}{select}` into "
         + ("the kept warehouse of a failed build (resumed)" if any(
             s.get("resumed_warehouse") for s in report["scales"]) else "a fresh DuckDB file")
         + "; "
         f"dbt threads {settings['threads']}, DuckDB memory_limit {settings['memory_limit']}"),
        *[(f"- resumed: the {run['scale']} build failed and "
           f"`dbt {run['command']}` resumed it in its kept warehouse "
           f"({run['started_at']}, git {(run['git_commit'] or 'unknown')[:12]}); that "
           "scale's figures add the runs: wall time summed, peak memory the largest, each "
           "node's last run") for run in resumed_runs(report)],
        (f"- peak memory: summed VmRSS of the dbt process tree, sampled every "
         f"{settings['interval']} s (or the kernel's peak of its largest process, if higher)"),
    ]


def _scale_row(s: dict) -> str:
    rows = s["input_rows"]
    before, after = s.get("load_average_before"), s.get("load_average_after")
    load = f"{before[0]:.1f} → {after[0]:.1f}" if before and after else "n/a"
    per_m = s["seconds_per_million_transactions"]
    result = "ok" if s["returncode"] == 0 else f"FAILED (exit {s['returncode']})"
    cells = [
        s["scale"], f"{rows['transactions_train']:,}", f"{rows['customers']:,}",
        f"{rows['articles']:,}", _seconds(s["wall_seconds"]), _gb(s["peak_rss_bytes"]),
        "n/a" if per_m is None else f"{per_m:,.1f}", _gb(s["warehouse_bytes"]), load, result,
    ]
    return "| " + " | ".join(cells) + " |"


def _ratio_row(r: dict) -> str:
    per_row = r["wall_ratio_per_row_ratio"]
    cells = [
        f"{r['larger']} / {r['smaller']}", _ratio(r["transactions_ratio"]),
        _ratio(r["wall_time_ratio"]), _ratio(r["peak_rss_ratio"]),
        "n/a" if per_row is None else f"{per_row:.2f}",
    ]
    return "| " + " | ".join(cells) + " |"


def _slowest(s: dict) -> list[str]:
    kinds = ", ".join(f"{n} {t}s" for t, n in s["nodes_by_type"].items()) or "no nodes"
    lines = [
        "",
        f"## {s['scale']}: slowest models",
        "",
        (f"{kinds}; summed execution time {_seconds(s['node_seconds_total'])} "
         f"(models {_seconds(s['model_seconds_total'])}) in {_seconds(s['wall_seconds'])} "
         "of wall time. Share: the model's execution time / the summed time of all nodes."),
        "",
        "| model | seconds | share |",
        "|---|---:|---:|",
    ]
    for m in s["slowest_models"]:
        flag = "" if m["status"] == "success" else f" ({m['status']})"
        lines.append(f"| `{m['name']}`{flag} | {m['seconds']:.1f} | {m['share']:.1%} |")
    if s["returncode"] != 0:
        lines += ["", "The build failed; its last output:", "", "```",
                  s.get("output_tail", "").strip(), "```"]
    return lines


# ------------------------------------------------- layers, peers, targets

TARGET_WALL_SECONDS = 30 * 60  # the whole DAG at full scale
TARGET_PEAK_RSS_BYTES = 16 * 2**30
TARGET_STAGING_VS_SCAN = 2.0


def loglog_slope(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Least-squares slope of log(y) on log(x): 1 = linear growth, 2 =
    quadratic, below 1 = fixed costs still weigh. None with < 2 points."""
    import math

    points = [(math.log(x), math.log(y)) for x, y in zip(xs, ys, strict=True) if x > 0 and y > 0]
    if len(points) < 2:
        return None
    mx = sum(p[0] for p in points) / len(points)
    my = sum(p[1] for p in points) / len(points)
    sxx = sum((p[0] - mx) ** 2 for p in points)
    if sxx == 0:
        return None
    return round(sum((p[0] - mx) * (p[1] - my) for p in points) / sxx, 3)




def _layer_figure(scale: dict, layer: str, key: str) -> float | None:
    figures = scale.get("layers", {}).get(layer)
    if not figures:
        return None
    if scale["returncode"] != 0 and not figures.get("complete", False):
        return None  # a layer the failed build did not finish: no figure
    return figures.get(key)


def layer_growth(scales: Sequence[dict]) -> dict[str, dict]:
    """Per layer, over the scales of a run: its seconds and peak memory per
    scale (None where a failed build did not finish the layer) and the
    log-log slopes against transactions."""
    measured = _measured(scales)
    rows = [s["input_rows"]["transactions_train"] for s in measured]
    out = {}
    for layer in LAYERS:
        if not any(layer in s.get("layers", {}) for s in measured):
            continue
        seconds = [_layer_figure(s, layer, "seconds") for s in measured]
        peaks = [_layer_figure(s, layer, "peak_rss_bytes") for s in measured]

        def slope(values: list) -> float | None:
            pairs = [(r, v) for r, v in zip(rows, values, strict=True) if v]
            return loglog_slope(*zip(*pairs, strict=True)) if len(pairs) >= 2 else None

        out[layer] = {
            "seconds": dict(zip([s["scale"] for s in measured], seconds, strict=True)),
            "peak_rss_bytes": dict(zip([s["scale"] for s in measured], peaks, strict=True)),
            "time_slope": slope(seconds),
            "memory_slope": slope(peaks),
        }
    return out


def targets(result: dict) -> list[dict]:
    """The issue's full-scale targets, checked against one scale's figures."""
    ratio = (result.get("peer_ratios") or {}).get("staging_vs_scan")
    return [
        {"target": "whole DAG under 30 minutes", "value": _seconds(result["wall_seconds"]),
         "met": result["returncode"] == 0 and result["wall_seconds"] < TARGET_WALL_SECONDS},
        {"target": "peak memory under 16 GiB", "value": _gb(result["peak_rss_bytes"]),
         # a failed build did not run every model: its peak proves nothing
         "met": result["peak_rss_bytes"] < TARGET_PEAK_RSS_BYTES if result["returncode"] == 0
         else None},
        {"target": "staging of transactions within 2x the raw scan",
         "value": _ratio(ratio), "met": ratio is not None and ratio <= TARGET_STAGING_VS_SCAN},
    ]


def _layers_table(scales: Sequence[dict]) -> list[str]:
    measured = _measured(scales)
    if not measured:
        return []
    growth = layer_growth(scales)
    names = [s["scale"] for s in measured]
    lines = [
        "| layer | " + " | ".join(f"{n} seconds" for n in names) + " | "
        + " | ".join(f"{n} peak memory" for n in names) + " | time slope | memory slope |",
        "|---|" + "---:|" * (2 * len(names) + 2),
    ]
    for layer, g in growth.items():
        cells = [layer]
        cells += [_seconds(g["seconds"][n]) if g["seconds"][n] is not None else "n/a"
                  for n in names]
        cells += [_gb(g["peak_rss_bytes"][n]) for n in names]
        cells += ["n/a" if g["time_slope"] is None else f"{g['time_slope']:.2f}",
                  "n/a" if g["memory_slope"] is None else f"{g['memory_slope']:.2f}"]
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "Seconds: the summed execution time of the layer's nodes (dbt runs 2 at a time,",
        "so layers overlap). Peak memory: the process tree's while one of the layer's",
        "nodes ran. Slope: of log(time or memory) on log(transactions) over the scales",
        "of this run; 1 = linear, above 1 = grows faster than the data. n/a: a failed",
        "build did not finish the layer.",
    ]
    return lines


def _peers_table(scales: Sequence[dict]) -> list[str]:
    rows = []
    for s in scales:
        peers, ratios = s.get("peers") or {}, s.get("peer_ratios") or {}
        scan, pandas = peers.get("scan") or {}, peers.get("pandas") or {}
        scan_s = (scan.get("steps") or {}).get("scan")
        stg = s.get("models", {}).get("stg_hm__transactions")
        pandas_ok = pandas.get("returncode") == 0
        rows.append("| " + " | ".join([
            s["scale"],
            _seconds(scan_s), _seconds(stg), _ratio(ratios.get("staging_vs_scan")),
            _seconds(pandas.get("wall_seconds")) if pandas_ok else
            ("not run" if not pandas else "FAILED"),
            _gb(pandas.get("peak_rss_bytes")) if pandas_ok else "n/a",
            _ratio(ratios.get("marts_vs_pandas_seconds")),
            _ratio(ratios.get("build_vs_pandas_wall")),
            _ratio(ratios.get("build_vs_pandas_peak_rss")),
        ]) + " |")
    return [
        ("| scale | raw scan | staging of transactions | staging / scan | pandas notebook "
         "| pandas peak memory | staging + marts / pandas | whole build / pandas "
         "| build peak / pandas peak |"),
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        *rows,
        "",
        "Raw scan: DuckDB's count(*) and sum(price) over transactions_train.csv, the",
        "floor for anything that reads it. Pandas notebook: read the csv files, the",
        "popular-last-week submission and the weekly per-customer and per-article",
        "aggregates, as public notebooks do (hm_warehouse/peers.py). The warehouse does",
        "more than the notebook: quarantine, tests, features, ML.",
    ]


def _eval_table(scales: Sequence[dict]) -> list[str]:
    with_eval = [s for s in scales if s.get("eval")]
    if not with_eval:
        return []
    strategies = sorted({k for s in with_eval for k in s["eval"]})
    header = "| strategy | " + " | ".join(
        f"{s['scale']} {w}" for s in with_eval for w in ("valid", "hidden")) + " |"
    lines = [header, "|---|" + "---:|" * (2 * len(with_eval))]
    for strategy in strategies:
        cells = [strategy]
        for s in with_eval:
            for week in ("valid", "hidden"):
                m = s["eval"].get(strategy, {}).get(week)
                cells.append(f"{m['map_at_12']:.4f}" if m else "n/a")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _targets_table(scales: Sequence[dict]) -> list[str]:
    full = [s for s in scales if s["scale"] == "full"]
    if not full:
        return []
    lines = ["| target | full scale | met |", "|---|---:|---|"]
    for t in targets(full[-1]):
        met = "not known: the build failed" if t["met"] is None else "yes" if t["met"] else "NO"
        lines.append(f"| {t['target']} | {t['value']} | {met} |")
    return lines


def _sections(scales: Sequence[dict]) -> list[tuple[str, list[str]]]:
    """The tables results.md and README's summary share, the empty ones left out."""
    parts = (("Targets at full scale", _targets_table(scales)),
             ("Per layer", _layers_table(scales)),
             ("Peers: raw scan and pandas notebook (same files, same run)",
              _peers_table(scales)),
             ("MAP@12 per scale (eval_strategies, all customers)", _eval_table(scales)))
    return [(title, part) for title, part in parts if part]


def render_summary(report: dict, chart: str | None = None) -> str:
    """The compact summary of a run: README's benchmark section."""
    scales = report["scales"]
    lines = [
        "| scale | transactions | wall time | peak memory | warehouse file | result |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for s in scales:
        result = "ok" if s["returncode"] == 0 else f"FAILED (exit {s['returncode']})"
        lines.append(f"| {s['scale']} | {s['input_rows']['transactions_train']:,} | "
                     f"{_seconds(s['wall_seconds'])} | {_gb(s['peak_rss_bytes'])} | "
                     f"{_gb(s['warehouse_bytes'])} | {result} |")
    for title, part in _sections(scales):
        lines += ["", f"**{title}**", "", *part]
    if chart:
        lines += ["", f"![time and memory per layer against transactions]({chart})"]
    commit = (report["machine"]["git_commit"] or "unknown")[:12]
    lines += ["", f"Run {report['started_at']} to {report['finished_at']} (UTC), git {commit}."]
    return "\n".join(lines) + "\n"


def scaling_chart(report: dict, path: Path) -> bool:
    """Log-log chart of each layer's time and peak memory against the
    transactions of the run's scales (a failed build's finished layers
    included; the whole-build line only where the build succeeded); False
    with fewer than 2 scales."""
    measured = _measured(report["scales"])
    if len(measured) < 2:
        return False
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    growth = layer_growth(report["scales"])
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 5), constrained_layout=True)

    def points(values: dict) -> tuple[list, list]:
        pairs = [(s["input_rows"]["transactions_train"], values[s["scale"]]) for s in measured
                 if values[s["scale"]]]
        return [p[0] for p in pairs], [p[1] for p in pairs]

    for layer, g in growth.items():
        xs, secs = points(g["seconds"])
        slope = "n/a" if g["time_slope"] is None else f"{g['time_slope']:.2f}"
        if xs:
            left.plot(xs, secs, marker="o", label=f"{layer} (slope {slope})")
        xs, peaks = points(g["peak_rss_bytes"])
        if xs:
            right.plot(xs, [p / 2**30 for p in peaks], marker="o", label=layer)
    ok = _ok(report["scales"])
    rows = [s["input_rows"]["transactions_train"] for s in ok]
    left.plot(rows, [s["wall_seconds"] for s in ok], color="black", linestyle="--",
              marker="s", label="whole build, wall")
    right.plot(rows, [s["peak_rss_bytes"] / 2**30 for s in ok], color="black",
               linestyle="--", marker="s", label="whole build")
    for ax, ylabel, title in (
            (left, "seconds (summed node execution time)", "Time per layer"),
            (right, "peak memory of the process tree, GiB", "Peak memory while the layer ran")):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("transactions in transactions_train.csv")
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.suptitle(f"hm-warehouse dbt build, scales {', '.join(s['scale'] for s in measured)} "
                 f"({report['started_at'][:10]})")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


README_BEGIN = "<!-- bench:summary:begin -->"
README_END = "<!-- bench:summary:end -->"


def check_readme(readme: Path) -> str:
    """README's text; ValueError when it lacks the bench summary markers."""
    text = readme.read_text()
    if README_BEGIN not in text or README_END not in text:
        raise ValueError(f"{readme} has no {README_BEGIN} ... {README_END} section")
    return text


def update_readme(readme: Path, summary: str) -> None:
    """Replace the text between the README's bench markers with `summary`."""
    text = check_readme(readme)
    head, rest = text.split(README_BEGIN, 1)
    _, tail = rest.split(README_END, 1)
    readme.write_text(f"{head}{README_BEGIN}\n{summary}{README_END}{tail}")


def render_markdown(report: dict) -> str:
    """benchmarks/results.md from the report (the content of results.json)."""
    lines = _header(report) + [
        "",
        ("| scale | transactions | customers | articles | wall time | peak memory "
         "| s per M transactions | warehouse file | load avg before → after | result |"),
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
        *(_scale_row(s) for s in report["scales"]),
    ]
    if report["ratios"]:
        lines += [
            "",
            "## Ratios between scales (same run)",
            "",
            ("| larger / smaller | transactions | wall time | peak memory "
             "| wall-time ratio / row ratio |"),
            "|---|---:|---:|---:|---:|",
            *(_ratio_row(r) for r in report["ratios"]),
            "",
            "A wall-time ratio / row ratio of 1: the build time grows like the data;",
            "below 1: fixed costs (dbt start-up and parsing, small models, tests) weigh",
            "on the smaller scale; above 1: something grows faster than the data.",
        ]
    for title, part in _sections(report["scales"]):
        lines += ["", f"## {title}", "", *part]
    if report.get("chart"):
        lines += ["", f"![time and memory per layer]({report['chart']})"]
    for s in report["scales"]:
        lines += _slowest(s)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------- run

def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


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
            "threads": os.environ.get("HM_THREADS", "2 (profiles.yml)"),
            "memory_limit": os.environ.get("HM_MEMORY_LIMIT", "12GB (profiles.yml)"),
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


def resumed_runs(report: dict) -> list[dict]:
    """The runs that resumed a failed build of the report, oldest first
    (reports merged before chains were possible have one `resumed_run`)."""
    if report.get("resumed_runs"):
        return list(report["resumed_runs"])
    return [report["resumed_run"]] if report.get("resumed_run") else []


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
    nodes = parse_run_results(json.loads(first_run_results.read_text()))
    runs = resumed_runs(report)
    for resumed_dir, resumed_run_results in resumed:
        resumed_report = json.loads((resumed_dir / "results.json").read_text())
        run = next(x for x in resumed_report["scales"] if x["scale"] == scale)
        run_nodes = parse_run_results(json.loads(resumed_run_results.read_text()))
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
        memory_limit=os.environ.get("HM_MEMORY_LIMIT", "12GB"),
        **kwargs,  # type: ignore[arg-type]
    )
