"""The pure parts of `hm-warehouse bench`: the memory sampler, run_results
parsing, the ratios and the markdown. No timing is asserted anywhere: the
benchmark measures, tests only check that it measures the right thing."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from hm_warehouse.bench import (
    LAYERS,
    README_BEGIN,
    README_END,
    TreeRssSampler,
    count_rows,
    layer_growth,
    layer_of,
    load_run_results,
    loglog_slope,
    measure_command,
    merge_resumed,
    parse_run_results,
    peak_between,
    peer_ratios,
    process_tree,
    render_markdown,
    render_summary,
    rss_bytes,
    run_bench,
    scale_ratios,
    scaling_chart,
    summarise_layers,
    summarise_nodes,
    targets,
    update_readme,
)
from hm_warehouse.bench.peers import pandas_notebook, scan_transactions
from hm_warehouse.cli import build_parser

MIB = 2**20

# A child that starts a grandchild holding `mib` MiB (every page written),
# prints "ready" once the grandchild holds it, and exits when stdin closes.
HOLDER = textwrap.dedent("""
    import subprocess, sys
    grandchild = subprocess.Popen(
        [sys.executable, "-c",
         "import sys; data = b'x' * ({mib} * 2**20); print('held', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert grandchild.stdout.readline().strip() == "held"
    print(grandchild.pid, flush=True)
    sys.stdin.read()
    grandchild.stdin.close()
    grandchild.wait()
""")


def _start_holder(mib: int) -> tuple[subprocess.Popen, int]:
    child = subprocess.Popen([sys.executable, "-c", HOLDER.format(mib=mib)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    grandchild = int(child.stdout.readline())
    return child, grandchild


def test_sampler_sees_the_memory_of_a_grandchild() -> None:
    child, grandchild = _start_holder(150)
    try:
        assert grandchild in process_tree(child.pid)
        assert rss_bytes(grandchild) >= 150 * MIB
        sampler = TreeRssSampler(child.pid, interval=0.05)
        with sampler:
            first = sampler.n_samples
            while sampler.n_samples < first + 3:  # a few samples while it is held
                time.sleep(0.05)
    finally:
        child.stdin.close()
        child.wait(timeout=60)
    assert sampler.peak_bytes >= 150 * MIB
    assert sampler.peak_processes >= 2
    assert rss_bytes(child.pid) == 0  # gone: counts nothing


def test_measure_command_reports_exit_code_and_peak(tmp_path: Path) -> None:
    script = "import sys; data = b'x' * (120 * 2**20); print('done'); sys.exit(3)"
    out = tmp_path / "out.txt"
    measured = measure_command([sys.executable, "-c", script], output=out, interval=0.05)
    assert measured.returncode == 3
    assert out.read_text().strip() == "done"
    # the kernel's exact peak of the process, whatever the sampler caught
    assert measured.max_rss_single_process_bytes >= 120 * MIB
    assert measured.peak_rss_bytes >= measured.peak_rss_sampled_bytes
    assert measured.n_samples >= 1 and measured.wall_seconds > 0


RUN_RESULTS = {
    "metadata": {"dbt_version": "1.11.0"},
    "results": [
        {"unique_id": "model.hm_warehouse.fct_transactions", "status": "success",
         "execution_time": 6.0},
        {"unique_id": "model.hm_warehouse.ranker_models", "status": "success",
         "execution_time": 10.0},
        {"unique_id": "model.hm_warehouse.dim_weeks", "status": "error",
         "execution_time": 0.5},
        {"unique_id": "test.hm_warehouse.not_null_dim_weeks_week_index.abc123",
         "status": "pass", "execution_time": 3.0},
        {"unique_id": "unit_test.hm_warehouse.cand_popular.cand_popular_top_k_per_week",
         "status": "pass", "execution_time": 0.5},
        {"unique_id": "model.hm_warehouse.submission", "status": "skipped",
         "execution_time": None},
    ],
}


def test_parse_run_results() -> None:
    nodes = parse_run_results(json.loads(json.dumps(RUN_RESULTS)))
    assert [(n.name, n.resource_type, n.status, n.seconds) for n in nodes] == [
        ("fct_transactions", "model", "success", 6.0),
        ("ranker_models", "model", "success", 10.0),
        ("dim_weeks", "model", "error", 0.5),
        ("not_null_dim_weeks_week_index.abc123", "test", "pass", 3.0),
        ("cand_popular.cand_popular_top_k_per_week", "unit_test", "pass", 0.5),
        ("submission", "model", "skipped", 0.0),
    ]
    summary = summarise_nodes(nodes, slowest=3)
    assert summary["node_seconds_total"] == 20.0
    assert summary["model_seconds_total"] == 16.5
    assert summary["nodes_by_type"] == {"model": 4, "test": 1, "unit_test": 1}
    assert summary["nodes_by_status"] == {"error": 1, "pass": 2, "skipped": 1, "success": 2}
    assert summary["slowest_models"] == [
        {"name": "ranker_models", "seconds": 10.0, "share": 0.5, "status": "success"},
        {"name": "fct_transactions", "seconds": 6.0, "share": 0.3, "status": "success"},
        {"name": "dim_weeks", "seconds": 0.5, "share": 0.025, "status": "error"},
    ]
    assert summary["models"]["submission"] == 0.0
    assert summarise_nodes([])["slowest_models"] == []


def test_count_rows(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("h1,h2\n1,2\n3,4\n")
    (tmp_path / "b.csv").write_text("h1,h2\n1,2\n3,4")  # no final newline
    (tmp_path / "c.csv").write_text("h1,h2\n")
    assert [count_rows(tmp_path / f"{n}.csv") for n in "abc"] == [2, 2, 0]


def _scale(name: str, transactions: int, wall: float, rss_gib: float, code: int = 0) -> dict:
    return {
        "scale": name,
        "input_rows": {"articles": 12_000, "customers": 8_000,
                       "transactions_train": transactions, "sample_submission": 8_000},
        "returncode": code,
        "wall_seconds": wall,
        "peak_rss_bytes": int(rss_gib * 2**30),
        "seconds_per_million_transactions": round(wall / (transactions / 1e6), 2),
        "warehouse_bytes": 300 * MIB,
        "load_average_before": [1.0, 1.0, 1.0],
        "load_average_after": [2.5, 1.5, 1.0],
        "node_seconds_total": 120.0,
        "model_seconds_total": 100.0,
        "nodes_by_type": {"model": 50, "test": 200},
        "slowest_models": [
            {"name": "ranker_models", "seconds": 48.0, "share": 0.4, "status": "success"},
            {"name": "cand_als", "seconds": 12.5, "share": 0.104, "status": "error"},
        ],
    }


def test_scale_ratios_from_one_run() -> None:
    scales = [_scale("demo", 3_000_000, 600.0, 4.0), _scale("tiny", 150_000, 60.0, 1.0),
              _scale("full", 30_000_000, 9000.0, 16.0, code=1)]
    # a failed scale has no ratio; the others are ordered smaller -> larger
    assert scale_ratios(scales) == [{
        "larger": "demo", "smaller": "tiny", "transactions_ratio": 20.0,
        "wall_time_ratio": 10.0, "peak_rss_ratio": 4.0, "wall_ratio_per_row_ratio": 0.5,
    }]


def test_render_markdown() -> None:
    scales = [_scale("tiny", 150_000, 60.0, 1.0), _scale("demo", 3_000_000, 600.0, 4.0)]
    scales[1]["returncode"], scales[1]["output_tail"] = 2, "Database Error in model x"
    report = {
        "started_at": "2025-01-01T10:00:00+00:00", "finished_at": "2025-01-01T10:12:00+00:00",
        "machine": {"cores": 2, "cores_available": 2, "ram_bytes": 24 * 2**30,
                    "platform": "Linux-x86_64", "python": "3.11.7", "dbt_core": "1.11.0",
                    "dbt_duckdb": "1.11.1", "duckdb": "1.4.1",
                    "git_commit": "0123456789abcdef", "git_dirty": True},
        "settings": {"dbt_command": "build", "select": ["+marts", "+features"],
                     "threads": "2", "memory_limit": "12GB", "interval": 0.5},
        "scales": scales,
        "ratios": scale_ratios([scales[0], {**scales[1], "returncode": 0}]),
    }
    text = render_markdown(report)
    lines = text.splitlines()
    assert lines[0] == "# Benchmarks"
    assert "- machine: 2 cores (2 available), 24.00 GB RAM, Linux-x86_64" in lines
    assert "- code: git 0123456789ab (with uncommitted changes)" in lines
    assert any(line.startswith("- command: `dbt build --select +marts +features`")
               for line in lines)
    assert ("| tiny | 150,000 | 8,000 | 12,000 | 60.0 s | 1.00 GB | 400.0 | 0.29 GB "
            "| 1.0 → 2.5 | ok |") in lines
    assert "| demo | 3,000,000 | 8,000 | 12,000 | 600 s | 4.00 GB | 200.0 | 0.29 GB " \
        "| 1.0 → 2.5 | FAILED (exit 2) |" in lines
    assert "| demo / tiny | 20.00x | 10.00x | 4.00x | 0.50 |" in lines
    assert "## tiny: slowest models" in lines and "## demo: slowest models" in lines
    assert "| `ranker_models` | 48.0 | 40.0% |" in lines
    assert "| `cand_als` (error) | 12.5 | 10.4% |" in lines
    assert "Database Error in model x" in text
    # every table row has as many cells as its header
    for header_start in ("| scale |", "| larger / smaller |", "| model |"):
        start = next(i for i, line in enumerate(lines) if line.startswith(header_start))
        width = lines[start].count("|")
        table = [line for line in lines[start:] if line.startswith("|")]
        table = table[: next((i for i, line in enumerate(table[1:], 1)
                              if line.count("|") != width), len(table))]
        assert len(table) >= 3 and {line.count("|") for line in table} == {width}


def test_cli_parses_bench_options() -> None:
    args = build_parser().parse_args(
        ["bench", "--scales", "full", "--select", "+marts", "+features", "--dbt-command", "run"])
    assert (args.scales, args.select, args.dbt_command) == (["full"], ["+marts", "+features"],
                                                            "run")
    defaults = build_parser().parse_args(["bench"])
    assert defaults.scales == ["tiny", "demo"] and defaults.select is None
    with pytest.raises(SystemExit):
        build_parser().parse_args(["bench", "--scales", "huge"])


# ------------------------------------------------------------ layers and growth

def test_layer_of_follows_the_project_folders() -> None:
    cases = {
        ("base_hm__transactions", "model", "models/staging/hm/base/base_hm__transactions.sql"):
            "staging",
        ("stg_hm__customers", "model", "models/staging/hm/stg_hm__customers.sql"): "staging",
        ("dim_customers", "model", "models/marts/dim_customers.sql"): "marts",
        ("feat_customer_weekly", "model", "models/features/feat_customer_weekly.sql"):
            "features",
        ("spine_customer_weeks", "model", "models/ml/spine/spine_customer_weeks.sql"): "spine",
        ("cand_union", "model", "models/ml/candidates/cand_union.sql"): "candidates",
        ("cand_als", "model", "python_models/ml/candidates/cand_als.py"): "candidates",
        ("abt_predict", "model", "models/ml/abt/abt_predict.sql"): "abt",
        ("ranker_scores", "model", "python_models/ml/ranker/ranker_scores.py"): "ranker",
        ("submission_csv", "model", "models/ml/submission/submission_csv.sql"): "submission",
        ("eval_strategies", "model", "models/eval/eval_strategies.sql"): "eval",
        # the folder decides, not the name
        ("stg_like_name", "model", "models/eval/stg_like_name.sql"): "eval",
        ("misplaced", "model", "models/ml/misplaced.sql"): "other",
        ("x", "model", "models/ml/new_stage/x.sql"): "other",
        ("something_new", "model", "models/something_new.sql"): "other",
        ("hm_strategies", "seed", "seeds/hm_strategies.csv"): "other",
        ("not_null_x", "test", "models/marts/_marts__models.yml"): "tests",
        ("assert_x", "test", "tests/ml/assert_x.sql"): "tests",
        ("cand_popular.k", "unit_test", "models/ml/candidates/_candidates.yml"): "tests",
        ("dashboard", "exposure", "models/exposures/_exposures.yml"): "other",
    }
    assert {key: layer_of(*key) for key in cases} == cases


def test_layer_of_without_a_manifest_uses_the_legacy_names() -> None:
    cases = {
        ("base_hm__transactions", "model"): "staging", ("stg_hm__customers", "model"): "staging",
        ("dim_customers", "model"): "marts", ("fct_article_weeks", "model"): "marts",
        ("feat_customer_weekly", "model"): "features",
        ("spine_customer_weeks", "model"): "spine", ("cand_als", "model"): "candidates",
        ("cand_union", "model"): "candidates", ("abt_predict", "model"): "abt",
        ("ranker_models", "model"): "ranker", ("ranker_scores", "model"): "ranker",
        ("submission_rows", "model"): "submission", ("submission_csv", "model"): "submission",
        ("ml_submission_rows", "model"): "submission",  # its name in the recorded runs
        ("eval_strategies", "model"): "eval", ("not_null_x", "test"): "tests",
        ("cand_popular.k", "unit_test"): "tests", ("something_new", "model"): "other",
        ("dashboard", "exposure"): "other",
    }
    assert {key: layer_of(*key) for key in cases} == cases


def test_every_model_of_the_project_has_a_layer() -> None:
    """Every model file is in a layer's folder, and the legacy name table
    (for runs recorded without a manifest) agrees with the folders."""
    repo = Path(__file__).resolve().parents[1]
    files = [p.relative_to(repo).as_posix() for folder in ("models", "python_models")
             for p in (repo / folder).rglob("*") if p.suffix in (".sql", ".py")]
    assert len(files) > 30
    layers = {f: layer_of(Path(f).stem, "model", f) for f in files}
    assert [f for f, layer in layers.items() if layer == "other"] == []
    assert {f: layer_of(Path(f).stem) for f in files} == layers


def test_load_run_results_reads_the_layers_from_the_manifest(tmp_path: Path) -> None:
    (tmp_path / "run_results.json").write_text(json.dumps(RUN_RESULTS))
    legacy = load_run_results(tmp_path / "run_results.json")
    assert [n.path for n in legacy] == [None] * 6
    assert [n.layer for n in legacy] == ["marts", "ranker", "marts", "tests", "tests",
                                         "submission"]
    manifest = {
        "nodes": {
            "model.hm_warehouse.fct_transactions": {
                "original_file_path": "models/marts/fct_transactions.sql"},
            "model.hm_warehouse.ranker_models": {
                "original_file_path": "python_models/ml/ranker/ranker_models.py"},
            # a model moved to another folder: the folder wins over the name
            "model.hm_warehouse.dim_weeks": {"original_file_path": "models/ml/spine/dim_weeks.sql"},
            "test.hm_warehouse.not_null_dim_weeks_week_index.abc123": {
                "original_file_path": "models/marts/_marts__models.yml"},
            "model.hm_warehouse.submission": {
                "original_file_path": "models/ml/submission/submission.sql"},
        },
        "unit_tests": {
            "unit_test.hm_warehouse.cand_popular.cand_popular_top_k_per_week": {
                "original_file_path": "models/ml/candidates/_candidates.yml"}},
    }
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    nodes = load_run_results(tmp_path / "run_results.json")
    assert nodes[1].path == "python_models/ml/ranker/ranker_models.py"
    assert [n.layer for n in nodes] == ["marts", "ranker", "spine", "tests", "tests",
                                        "submission"]
    assert list(summarise_layers(nodes)) == ["marts", "spine", "ranker", "submission", "tests"]


def test_runs_recorded_with_the_old_layers_still_render() -> None:
    """A run recorded before the layers followed the folders has an `als`
    layer (and no spine): it renders, als after candidates."""
    old = _layered("full", 30_000_000, {"staging": 300.0, "candidates": 90.0, "als": 40.0,
                                        "abt": 20.0}, 12.0)
    new = _layered("small", 300_000, {"staging": 3.0, "spine": 0.5, "candidates": 2.0,
                                      "abt": 0.2}, 1.0)
    growth = layer_growth([old, new])
    assert list(growth) == ["staging", "spine", "candidates", "als", "abt"]
    assert growth["als"]["seconds"] == {"small": None, "full": 40.0}
    report = {"started_at": "2026-01-01T00:00:00+00:00", "finished_at": "2026-01-01T01:00:00",
              "machine": {"git_commit": None}, "scales": [new, old]}
    assert "| als | n/a | 40.0 s |" in render_summary(report)


def _node(name: str, kind: str, seconds: float, start: float | None, end: float | None):
    from hm_warehouse.bench import NodeTiming

    return NodeTiming(name=name, unique_id=f"{kind}.p.{name}", resource_type=kind,
                      status="success", seconds=seconds, started=start, completed=end)


def test_run_results_timestamps_become_unix_times() -> None:
    data = {"results": [{"unique_id": "model.p.stg_x", "status": "success",
                         "execution_time": 2.0, "timing": [
                             {"name": "compile", "started_at": "2026-01-01T00:00:00Z",
                              "completed_at": "2026-01-01T00:00:01Z"},
                             {"name": "execute", "started_at": "2026-01-01T00:00:01.500000Z",
                              "completed_at": "2026-01-01T00:00:03.500000Z"}]}]}
    node = parse_run_results(data)[0]
    assert node.completed - node.started == pytest.approx(2.0)
    assert node.started == pytest.approx(1767225601.5)
    assert parse_run_results(RUN_RESULTS)[0].started is None


def test_summarise_layers_attributes_time_and_memory() -> None:
    nodes = [
        _node("stg_a", "model", 4.0, 100.0, 104.0),
        _node("stg_b", "model", 1.0, 104.0, 105.0),
        _node("feat_c", "model", 3.0, 105.0, 108.0),
        _node("not_null_x", "test", 0.5, 108.0, 108.2),  # shorter than the sampling interval
        _node("dashboard", "exposure", 0.0, None, None),
    ]
    timeline = [(99.0, 10), (101.0, 50), (103.0, 70), (105.5, 30), (107.0, 90), (108.5, 5)]
    layers = summarise_layers(nodes, timeline)
    assert list(layers) == ["staging", "features", "tests"]
    assert layers["staging"] == {"nodes": 2, "seconds": 5.0, "span_seconds": 5.0,
                                 "peak_rss_bytes": 70, "complete": True}
    nodes[1].status = "error"
    assert not summarise_layers(nodes)["staging"]["complete"]
    nodes[1].status = "success"
    assert layers["features"]["peak_rss_bytes"] == 90
    assert layers["tests"]["peak_rss_bytes"] == 90  # the last sample before it started
    assert peak_between([], 1.0, 2.0) == 0
    assert summarise_layers(nodes)["staging"]["peak_rss_bytes"] is None


def test_loglog_slope() -> None:
    assert loglog_slope([1e5, 1e6, 1e7], [2.0, 20.0, 200.0]) == pytest.approx(1.0)
    assert loglog_slope([1e5, 1e6], [1.0, 100.0]) == pytest.approx(2.0)
    assert loglog_slope([1e5], [1.0]) is None
    assert loglog_slope([1e5, 1e5], [1.0, 2.0]) is None


def _layered(name: str, transactions: int, secs: dict[str, float], peak_gib: float) -> dict:
    s = _scale(name, transactions, sum(secs.values()), peak_gib)
    s["date"] = "2026-01-01"
    s["layers"] = {k: {"nodes": 1, "seconds": v, "span_seconds": v,
                       "peak_rss_bytes": int(peak_gib * 2**30)} for k, v in secs.items()}
    return s


def test_layer_growth_and_targets() -> None:
    small = _layered("small", 300_000, {"staging": 3.0, "ranker": 10.0}, 1.0)
    full = _layered("full", 30_000_000, {"staging": 300.0, "ranker": 100_000.0}, 16.0)
    growth = layer_growth([full, small])
    assert growth["staging"]["time_slope"] == pytest.approx(1.0)
    assert growth["ranker"]["time_slope"] == pytest.approx(2.0)
    assert growth["ranker"]["memory_slope"] == pytest.approx(math.log(16) / math.log(100),
                                                             abs=1e-3)
    assert growth["staging"]["seconds"] == {"small": 3.0, "full": 300.0}
    # staging of transactions: the parse and both splits, summed
    full["models"] = {"base_hm__transactions": 20.0, "stg_hm__transactions": 6.0,
                      "stg_hm__transactions_rejected": 4.0, "dim_customers": 99.0}
    full["peers"] = {"scan": {"returncode": 0, "steps": {"scan": 10.0, "typed_load": 12.0}},
                     "pandas": {"returncode": 0, "wall_seconds": 150.0,
                                "peak_rss_bytes": 8 * 2**30}}
    full["peer_ratios"] = peer_ratios(full)
    assert full["peer_ratios"] == {
        "staging_vs_scan": 3.0, "staging_vs_typed_load": 2.5,
        "build_vs_pandas_wall": round(100_300 / 150, 3),
        "build_vs_pandas_peak_rss": 2.0, "marts_vs_pandas_seconds": 2.0}
    met = {t["target"]: t["met"] for t in targets(full)}
    # 16 GiB exactly is "at most 16 GiB"; one byte more is not
    assert met == {"whole DAG at most 30 minutes": False, "peak memory at most 16 GiB": True,
                   "staging of transactions at most 3x the bare typed load": True}
    assert targets({**full, "peak_rss_bytes": 16 * 2**30 + 1})[1]["met"] is False
    fast = {**full, "wall_seconds": 1000.0, "peak_rss_bytes": 9 * 2**30,
            "peer_ratios": {"staging_vs_typed_load": 3.5}}
    assert [t["met"] for t in targets(fast)] == [True, True, False]
    failed = targets({**fast, "returncode": 1})
    assert failed[0]["met"] is False  # a failed build misses the time target
    assert failed[1]["met"] is None  # and its peak memory proves nothing
    # the demo build has its own time target; a small scale only the staging one
    demo = {**fast, "scale": "demo", "wall_seconds": 241.0}
    assert [(t["target"], t["met"]) for t in targets(demo)] == [
        ("demo build at most 4 minutes", False),
        ("staging of transactions at most 3x the bare typed load", False)]
    assert [t["target"] for t in targets({**fast, "scale": "small"})] == [
        "staging of transactions at most 3x the bare typed load"]


def test_a_failed_build_keeps_its_finished_layers() -> None:
    small = _layered("small", 300_000, {"staging": 3.0, "ranker": 10.0}, 1.0)
    full = _layered("full", 30_000_000, {"staging": 300.0, "ranker": 5.0}, 12.0)
    full["returncode"] = 1
    full["layers"]["staging"]["complete"] = True
    full["layers"]["ranker"]["complete"] = False
    growth = layer_growth([small, full])
    assert growth["staging"]["seconds"] == {"small": 3.0, "full": 300.0}
    assert growth["staging"]["time_slope"] == pytest.approx(1.0)
    assert growth["ranker"]["seconds"] == {"small": 10.0, "full": None}
    assert growth["ranker"]["time_slope"] is None


def test_merge_resumed_counts_each_nodes_last_run() -> None:
    first = [_node("stg_a", "model", 100.0, 0, 100), _node("cand_pairs", "model", 50.0, 100, 150),
             _node("abt_train", "model", 0.0, None, None)]
    first[1].status, first[2].status = "error", "skipped"
    second = [_node("cand_pairs", "model", 20.0, 0, 20), _node("abt_train", "model", 30.0, 20, 50),
              _node("kaggle_submission", "exposure", 0.0, 50, 50)]
    second[2].status = "no-op"  # dbt build's status of an exposure: not a failure
    original = {**_layered("full", 30_000_000, {"staging": 100.0, "candidates": 50.0}, 15.0),
                "returncode": 1, "output_tail": "No space left on device"}
    original["layers"]["abt"] = {"nodes": 1, "seconds": 0.0, "peak_rss_bytes": None}
    resumed = {**_layered("full", 30_000_000, {"candidates": 20.0, "abt": 30.0}, 9.0),
               "command": "build --select cand_pairs+", "wall_seconds": 60.0}
    merged = merge_resumed(original, first, resumed, second)
    assert merged["returncode"] == 0 and "output_tail" not in merged
    assert merged["wall_seconds"] == original["wall_seconds"] + 60.0
    assert merged["peak_rss_bytes"] == int(15.0 * 2**30)
    assert {k: v["seconds"] for k, v in merged["layers"].items()} == {
        "staging": 100.0, "candidates": 20.0, "abt": 30.0}
    assert all(v["complete"] for v in merged["layers"].values())
    assert merged["layers"]["abt"]["peak_rss_bytes"] == int(9.0 * 2**30)
    assert merged["resumed"]["rebuilt_nodes"] == 3
    assert merged["resumed"]["first_run"]["output_tail"] == "No space left on device"
    still_failing = [_node("cand_pairs", "model", 20.0, 0, 20)]
    still_failing[0].status = "error"
    assert merge_resumed(original, first, resumed, still_failing)["returncode"] == 1


def test_summary_chart_and_readme_section(tmp_path: Path) -> None:
    small = _layered("small", 300_000, {"staging": 3.0, "ranker": 10.0}, 1.0)
    full = _layered("full", 30_000_000, {"staging": 300.0, "ranker": 1000.0}, 12.0)
    for s in (small, full):
        s["eval"] = {"ranker": {"valid": {"map_at_12": 0.03}, "hidden": {"map_at_12": 0.031}}}
        s["peers"], s["peer_ratios"], s["models"] = {}, {}, {}
    report = {"started_at": "2026-01-01T00:00:00+00:00", "finished_at": "2026-01-01T01:00:00",
              "machine": {"git_commit": "abcdef1234567890"}, "scales": [small, full]}
    assert scaling_chart(report, tmp_path / "scaling.png")
    assert (tmp_path / "scaling.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not scaling_chart({**report, "scales": [small]}, tmp_path / "one.png")
    summary = render_summary(report, "benchmarks/scaling.png")
    assert "| full | 30,000,000 | 1300 s | 12.00 GB | 0.29 GB | ok |" in summary
    assert "| full | whole DAG at most 30 minutes | 1300 s | yes |" in summary
    assert "| ranker | 10.0 s | 1000 s | 1.00 GB | 12.00 GB | 1.00 | 0.54 |" in summary
    assert "| ranker | 0.0300 | 0.0310 | 0.0300 | 0.0310 |" in summary
    assert "![time and memory per layer against transactions](benchmarks/scaling.png)" in summary
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\nbefore\n{README_BEGIN}\nold\n{README_END}\nafter\n")
    update_readme(readme, summary)
    update_readme(readme, summary)  # idempotent
    text = readme.read_text()
    assert text.startswith("# x\n\nbefore\n") and text.endswith(f"{README_END}\nafter\n")
    assert "old" not in text and text.count(summary) == 1
    readme.write_text("no markers\n")
    with pytest.raises(ValueError, match="bench:summary"):
        update_readme(readme, summary)
    with pytest.raises(ValueError, match="bench:summary"):  # fails before building anything
        run_bench(["tiny"], None, tmp_path / "out", readme=readme)  # type: ignore[arg-type]


# ------------------------------------------------------------------- peers

def test_peers_compute_what_they_claim(tiny_data: Path, tmp_path: Path) -> None:
    import duckdb

    scan = scan_transactions(tiny_data, memory_limit="1GB", threads=1)
    notebook = pandas_notebook(tiny_data, tmp_path)
    csv = str(tiny_data / "transactions_train.csv")
    con = duckdb.connect()
    n, total = con.execute("select count(*), sum(price) from read_csv(?)", [csv]).fetchone()
    assert scan["transactions"] == n and scan["price_sum"] == pytest.approx(total)
    top = [c for (c,) in con.execute(
        "select count(*) from read_csv(?) where t_dat > (select max(t_dat) from read_csv(?)) "
        "- interval 7 day group by article_id order by 1 desc limit 12", [csv, csv]).fetchall()]
    assert notebook["popular_last_week_counts"] == top
    (customer_weeks,) = con.execute(
        "select count(*) from (select distinct customer_id, "
        "(t_dat - date '2018-09-19') // 7 from read_csv(?))", [csv]).fetchone()
    assert notebook["customer_weeks"] == customer_weeks
    assert notebook["transactions"] == notebook["units_total"] == n
    submission = (tmp_path / "submission.csv").read_text().splitlines()
    assert len(submission) - 1 == notebook["submission_rows"] > 0
    assert len(submission[1].split(",")[1].split()) == 12
    assert set(scan["steps"]) == {"scan", "typed_load"}
    assert scan["typed_load_rows"] == n
    assert set(notebook["steps"]) == {"read_csv", "popular_last_week_submission",
                                      "customer_weeks", "article_weeks"}


# ------------------------------------------------------- the whole bench, tiny

def test_bench_on_tiny_data_records_every_field(tiny_data: Path, tmp_path: Path) -> None:
    """`hm-warehouse bench --scales tiny`, for real: the dbt build, the peers,
    the layers, the evaluation and the files. No figure is compared with a
    time: only that each is measured."""
    from hm_warehouse.bench import default_settings

    repo = Path(__file__).resolve().parents[1]
    root = tmp_path / "data"
    root.mkdir()
    (root / "tiny").symlink_to(tiny_data)
    readme = tmp_path / "README.md"
    readme.write_text(f"# r\n{README_BEGIN}\n{README_END}\n")
    settings = default_settings(repo, data_root=root, scratch=tmp_path / "scratch",
                                interval=0.2)
    report = run_bench(["tiny"], settings, tmp_path / "out", log=lambda _: None, readme=readme)
    (result,) = report["scales"]
    assert result["returncode"] == 0, result.get("output_tail")
    assert result["input_rows"]["transactions_train"] > 0
    assert result["wall_seconds"] > 0 and result["peak_rss_bytes"] > 0
    assert result["warehouse_bytes"] > 0
    assert result["nodes_by_status"].get("error", 0) == 0
    # every folder of the project is a layer (seeds and hooks are "other")
    assert set(result["layers"]) >= {"staging", "marts", "features", "spine", "candidates",
                                     "abt", "ranker", "submission", "eval", "tests"}
    assert set(result["layers"]) <= set(LAYERS)
    for layer, figures in result["layers"].items():
        assert figures["nodes"] > 0 and figures["span_seconds"] is not None, layer
        assert figures["peak_rss_bytes"] > 0, layer
    assert set(result["eval"]) >= {"ranker", "als", "popular_last_week",
                                   "own_recent_then_popular"}
    assert 0 < result["eval"]["ranker"]["hidden"]["map_at_12"] < 1
    scan, notebook = result["peers"]["scan"], result["peers"]["pandas"]
    assert scan["returncode"] == notebook["returncode"] == 0
    assert scan["transactions"] == notebook["transactions"] \
        == result["input_rows"]["transactions_train"]
    assert notebook["peak_rss_bytes"] > 0 and scan["wall_seconds"] > 0
    assert all(v is not None for v in result["peer_ratios"].values()), result["peer_ratios"]
    files = {p.relative_to(tmp_path / "out").as_posix()
             for p in (tmp_path / "out").rglob("*") if p.is_file()}
    assert files == {"results.json", "results.md", f"results/tiny-{result['date']}.json"}
    saved = json.loads((tmp_path / "out" / f"results/tiny-{result['date']}.json").read_text())
    assert saved["layers"] == result["layers"] and saved["machine"]["cores"]
    md = (tmp_path / "out" / "results.md").read_text()
    for section in ("## Per layer", "## Peers", "## MAP@12 per scale", "## tiny: slowest"):
        assert section in md
    assert "| tiny | " in readme.read_text()
    assert not list((tmp_path / "scratch").iterdir())  # scratch removed


def test_bench_merge_command_rewrites_the_run(tmp_path: Path) -> None:
    """`hm-warehouse bench-merge`: the failed scale gets the resumed runs'
    nodes (a chain of two: the first resumed run fails again, the second
    completes it), the other scales stay as measured, README's section
    follows."""
    from hm_warehouse.cli import main

    def run_results(rows: list[tuple[str, str, float]]) -> dict:
        return {"results": [{"unique_id": f"model.p.{name}", "status": status,
                             "execution_time": secs} for name, status, secs in rows]}

    small = _layered("small", 300_000, {"staging": 3.0, "candidates": 1.0}, 1.0)
    full = {**_layered("full", 30_000_000, {"staging": 300.0, "candidates": 90.0}, 12.0),
            "returncode": 1, "peers": {}}
    machine = {"cores": 2, "cores_available": 2, "ram_bytes": 24 * 2**30, "platform": "Linux",
               "python": "3.11", "dbt_core": "1.11", "dbt_duckdb": "1.11", "duckdb": "1.5"}
    first = {"started_at": "2026-01-01T00:00:00+00:00",
             "machine": {**machine, "git_commit": "a" * 40},
             "settings": {"dbt_command": "build", "select": [], "threads": "2",
                          "memory_limit": "9GB", "interval": 0.5}, "scales": [full, small]}
    resumed = {**first, "machine": {**machine, "git_commit": "b" * 40},
               "scales": [{**_layered("full", 30_000_000, {"candidates": 40.0}, 9.0),
                           "command": "build --select cand_pairs+", "wall_seconds": 40.0,
                           "returncode": 1}]}
    again = {**first, "machine": {**machine, "git_commit": "c" * 40},
             "scales": [{**_layered("full", 30_000_000, {"candidates": 25.0}, 10.0),
                         "command": "build --select cand_union+", "wall_seconds": 25.0}]}
    for name, report, rows in (
            ("first", first, [("stg_a", "success", 300.0), ("cand_pairs", "error", 90.0)]),
            ("resumed", resumed, [("cand_pairs", "success", 15.0),
                                  ("cand_union", "error", 25.0)]),
            ("again", again, [("cand_union", "success", 25.0)])):
        (tmp_path / name).mkdir()
        (tmp_path / name / "results.json").write_text(json.dumps(report))
        (tmp_path / f"{name}_run_results.json").write_text(json.dumps(run_results(rows)))
    (tmp_path / "dbt_project.yml").write_text("name: p\n")
    (tmp_path / "README.md").write_text(f"{README_BEGIN}\n{README_END}\n")
    code = main(["bench-merge", "--first", str(tmp_path / "first"),
                 "--first-run-results", str(tmp_path / "first_run_results.json"),
                 "--resumed", str(tmp_path / "resumed"),
                 "--resumed-run-results", str(tmp_path / "resumed_run_results.json"),
                 "--resumed", str(tmp_path / "again"),
                 "--resumed-run-results", str(tmp_path / "again_run_results.json"),
                 "--out", str(tmp_path / "out"), "--readme", "--project-dir", str(tmp_path)])
    assert code == 0
    merged = json.loads((tmp_path / "out" / "results.json").read_text())
    by_scale = {s["scale"]: s for s in merged["scales"]}
    assert by_scale["small"] == small
    assert by_scale["full"]["returncode"] == 0
    assert by_scale["full"]["layers"]["candidates"]["seconds"] == 15.0 + 25.0
    assert by_scale["full"]["wall_seconds"] == full["wall_seconds"] + 40.0 + 25.0
    assert [r["git_commit"] for r in merged["resumed_runs"]] == ["b" * 40, "c" * 40]
    resumed_info = by_scale["full"]["resumed"]
    assert resumed_info["first_run"]["returncode"] == 1
    assert [r["command"] for r in resumed_info["earlier_resumed_runs"]] == [
        "build --select cand_pairs+"]
    assert resumed_info["resumed_run"]["command"] == "build --select cand_union+"
    md = (tmp_path / "out" / "results.md").read_text()
    assert md.count("- resumed: the full build failed") == 2
    assert "| full | 30,000,000 |" in (tmp_path / "README.md").read_text()
    assert (tmp_path / "out" / "scaling.png").exists()
