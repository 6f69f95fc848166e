"""`hm-warehouse bench`: wall time and peak memory of the dbt build, per scale
(see run.py), split by job:

- measure: the peak memory of a process tree (/proc sampling) and one
  measured command;
- nodes: dbt's run_results.json as node timings, summed per layer (a
  node's folder in the project, from the run's manifest.json);
- peers: the raw DuckDB scan and the pandas notebook the build is compared
  with, each a `python -m hm_warehouse.bench.peers` process;
- render: results.md, README's summary section, the scaling chart, the
  ratios, slopes and targets;
- run: the settings, one measured scale, the whole run and its files, and
  the merge of a failed build with the runs that resumed it.

The names below are importable from the package. They load on first use
(PEP 562), so the peer processes (`python -m hm_warehouse.bench.peers`),
whose wall time and memory are measured, import only what they run.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "measure": ("CommandMeasurement", "TreeRssSampler", "measure_command", "process_tree",
                "rss_bytes"),
    "nodes": ("LAYERS", "LEGACY_NAME_LAYERS", "ML_STAGES", "NodeTiming", "OK_STATUSES",
              "SLOWEST_N", "last_runs", "layer_of", "layer_of_path", "load_run_results",
              "manifest_paths", "merge_resumed", "parse_run_results", "peak_between",
              "summarise_layers", "summarise_nodes"),
    "peers": ("pandas_notebook", "peer_ratios", "run_peer", "scan_transactions"),
    "render": ("README_BEGIN", "README_END", "TARGET_PEAK_RSS_BYTES", "TARGET_STAGING_VS_SCAN",
               "TARGET_WALL_SECONDS", "check_readme", "layer_growth", "layer_names",
               "loglog_slope", "render_markdown", "render_summary", "resumed_runs",
               "scale_ratios", "scaling_chart", "targets", "update_readme"),
    "run": ("DEFAULT_SCALES", "SCALES", "SCHEMA_VERSION", "BenchSettings", "bench_scale",
            "count_rows", "dbt_command", "dbt_env", "default_settings", "ensure_data",
            "eval_metrics", "has_data", "input_rows", "load_average", "machine_info",
            "merge_resumed_run", "run_bench", "write_report"),
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_MODULE_OF})
