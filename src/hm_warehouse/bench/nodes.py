"""dbt's run_results.json as node timings, summed per layer of the project.

A node's layer is its folder in the project (the node's `original_file_path`
in the run's target/manifest.json, beside run_results.json):
models/staging/... is staging, models/marts marts, models/features features,
models/ml/<stage>/ and python_models/ml/<stage>/ the ML stage (spine,
candidates, abt, ranker, submission), models/eval eval; data tests and unit
tests are "tests", anything else "other". Runs recorded without a manifest
fall back to LEGACY_NAME_LAYERS, a model's name prefix.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .peers import peer_ratios

SLOWEST_N = 10


@dataclass
class NodeTiming:
    name: str
    unique_id: str
    resource_type: str
    status: str
    seconds: float
    started: float | None = None  # unix time of the node's execute step
    completed: float | None = None
    path: str | None = None  # original_file_path in the run's manifest, when known

    @property
    def layer(self) -> str:
        return layer_of(self.name, self.resource_type, self.path)


def _unix(timestamp: str | None) -> float | None:
    if not timestamp:
        return None
    return dt.datetime.fromisoformat(timestamp).timestamp()


def parse_run_results(data: dict, paths: Mapping[str, str] | None = None) -> list[NodeTiming]:
    """One NodeTiming per result of a dbt run_results.json (parsed); `paths`
    (unique_id -> original_file_path, see manifest_paths) places each node in
    its layer."""
    paths = paths or {}
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
            path=paths.get(unique_id),
        ))
    return nodes


def manifest_paths(manifest: dict) -> dict[str, str]:
    """unique_id -> original_file_path of every node of a dbt manifest.json."""
    paths = {}
    for key in ("nodes", "unit_tests", "exposures", "sources"):
        for unique_id, node in (manifest.get(key) or {}).items():
            if node.get("original_file_path"):
                paths[unique_id] = str(node["original_file_path"])
    return paths


def load_run_results(run_results: Path) -> list[NodeTiming]:
    """The nodes of a run_results.json file, with their paths from the
    manifest.json beside it (dbt writes both into the run's target dir); a
    run kept without its manifest falls back to the legacy name table."""
    manifest = run_results.with_name("manifest.json")
    paths = manifest_paths(json.loads(manifest.read_text())) if manifest.exists() else None
    return parse_run_results(json.loads(run_results.read_text()), paths)


# ------------------------------------------------------------------- layers

# The layers of the scaling study, in DAG order: the folders of the project
# (model-paths of dbt_project.yml), the ML half by stage.
MODEL_PATHS = ("models", "python_models")
FOLDER_LAYERS = ("staging", "marts", "features", "eval")
ML_STAGES = ("spine", "candidates", "abt", "ranker", "submission")
LAYERS = ("staging", "marts", "features", *ML_STAGES, "eval", "tests", "other")
OK_STATUSES = frozenset({"success", "pass"})

# Legacy: the layer of a model by its name prefix, only for nodes whose path
# is not known (run_results.json recorded without its manifest.json, e.g. the
# kept runs of benchmarks/ merged with bench-merge). The names follow the
# project's naming rules (pytests/test_project_rules); ml_submission_rows is
# the submission fill's name in runs recorded before 2026-11-23. ALS
# (cand_als) is a candidate source, as its folder says.
LEGACY_NAME_LAYERS = (
    ("base_", "staging"), ("stg_", "staging"),
    ("dim_", "marts"), ("fct_", "marts"),
    ("feat_", "features"),
    ("spine_", "spine"), ("cand_", "candidates"), ("abt_", "abt"), ("ranker_", "ranker"),
    ("ml_submission", "submission"), ("submission", "submission"),
    ("eval_", "eval"),
)


def layer_of_path(path: str) -> str:
    """The layer of a file of the project: its folder under a model path
    (models/ml/<stage>/ and python_models/ml/<stage>/: the stage), else "other"."""
    parts = PurePosixPath(path.replace("\\", "/")).parts
    if len(parts) < 3 or parts[0] not in MODEL_PATHS:
        return "other"
    if parts[1] == "ml":
        return parts[2] if len(parts) >= 4 and parts[2] in ML_STAGES else "other"
    return parts[1] if parts[1] in FOLDER_LAYERS else "other"


def layer_of(name: str, resource_type: str = "model", path: str | None = None) -> str:
    """The layer of a dbt node: data tests and unit tests are "tests"; a node
    by its folder (`path`, its original_file_path); a model of a run without
    a manifest by the legacy name table; anything else "other"."""
    if resource_type in ("test", "unit_test"):
        return "tests"
    if path is not None:
        return layer_of_path(path)
    if resource_type == "model":
        for prefix, layer in LEGACY_NAME_LAYERS:
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
