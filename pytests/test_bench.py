"""The pure parts of `hm-warehouse bench`: the memory sampler, run_results
parsing, the ratios and the markdown. No timing is asserted anywhere: the
benchmark measures, tests only check that it measures the right thing."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from hm_warehouse.bench import (
    TreeRssSampler,
    count_rows,
    measure_command,
    parse_run_results,
    process_tree,
    render_markdown,
    rss_bytes,
    scale_ratios,
    summarise_nodes,
)
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
        {"unique_id": "model.hm_warehouse.ml_ranker", "status": "success",
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
        ("ml_ranker", "model", "success", 10.0),
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
        {"name": "ml_ranker", "seconds": 10.0, "share": 0.5, "status": "success"},
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
            {"name": "ml_ranker", "seconds": 48.0, "share": 0.4, "status": "success"},
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
    assert "| `ml_ranker` | 48.0 | 40.0% |" in lines
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
