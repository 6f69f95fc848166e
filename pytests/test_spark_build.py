"""The Spark build's plan and its pure helpers (hm_warehouse.spark_build,
hm_warehouse.spark_jobs): waves from a manifest-shaped DAG, the dbt
selection of a wave, the ALS job's top-N scoring. No Spark here; the build
itself is tested in test_spark_parity.py."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from hm_warehouse.spark_build import Node, plan_waves, selection
from hm_warehouse.spark_jobs import model_result_table, top_n_scores


def _dag() -> dict[str, Node]:
    nodes = [
        Node("seed.p.reg", "reg", "seed", ()),
        Node("model.p.stg", "stg", "model", ("source.p.raw",), fqn=("p", "staging", "stg")),
        Node("model.p.fct", "fct", "model", ("model.p.stg",), fqn=("p", "marts", "fct")),
        Node("model.p.als", "als", "model", ("model.p.fct",), job=True),
        Node("model.p.seg", "seg", "model", ("model.p.fct",), job=True),
        Node("model.p.seg_use", "seg_use", "model", ("model.p.seg",), job=True),
        Node("model.p.union", "union", "model", ("model.p.als", "model.p.fct", "seed.p.reg")),
        Node("model.p.scores", "scores", "model", ("model.p.union",), job=True),
        Node("model.p.sub", "sub", "model", ("model.p.scores", "model.p.seg_use")),
        Node("test.p.not_null_fct", "not_null_fct", "test", ("model.p.fct",)),
        Node("test.p.als_rows", "als_rows", "test", ("model.p.als",)),
        Node("test.p.rel_sub_fct", "rel_sub_fct", "test", ("model.p.sub", "model.p.fct")),
        Node("unit_test.p.fct.ut", "ut", "unit_test", ("model.p.fct",)),
    ]
    return {n.unique_id: n for n in nodes}


def test_waves_split_the_dag_at_the_jobs():
    waves = plan_waves(_dag())
    assert [sorted(w.dbt_nodes) for w in waves] == [
        ["model.p.fct", "model.p.stg", "seed.p.reg", "test.p.not_null_fct",
         "unit_test.p.fct.ut"],
        ["model.p.union", "test.p.als_rows"],
        ["model.p.sub", "test.p.rel_sub_fct"],
    ]
    # a job that reads another job runs after it, in the same wave
    assert [w.jobs for w in waves] == [
        ["model.p.als", "model.p.seg", "model.p.seg_use"], ["model.p.scores"], []]


def test_every_node_is_planned_once():
    dag = _dag()
    waves = plan_waves(dag)
    planned = [uid for w in waves for uid in (*w.dbt_nodes, *w.jobs)]
    assert sorted(planned) == sorted(dag)


def test_a_cycle_is_refused():
    dag = {
        "model.p.a": Node("model.p.a", "a", "model", ("model.p.b",)),
        "model.p.b": Node("model.p.b", "b", "model", ("model.p.a",), job=True),
    }
    with pytest.raises(ValueError, match="model.p.a"):
        plan_waves(dag)


def test_selection_names_nodes_by_their_full_path():
    dag = _dag()
    assert selection(dag, ["model.p.fct", "seed.p.reg"]) == ["fqn:p.marts.fct", "fqn:reg"]


def test_top_n_scores_ranks_by_dot_product_ties_by_item():
    users = np.array([7, 3])
    user_factors = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    items = np.array([30, 10, 20])  # any order
    item_factors = np.array([[2.0, 0.0], [2.0, 5.0], [1.0, 1.0]], dtype=np.float32)
    top = pd.DataFrame(top_n_scores(users, user_factors, items, item_factors, n=2))
    assert top.to_dict("list") == {
        # user 7: items 10 and 30 tie at 2.0 (10 first), user 3: 10 (5.0), 20 (1.0)
        "customer_key": [7, 7, 3, 3],
        "article_key": [10, 30, 10, 20],
        "score": [2.0, 2.0, 5.0, 1.0],
        "source_rank": [1, 2, 1, 2],
    }


def test_top_n_scores_caps_n_and_batches():
    rng = np.random.default_rng(0)
    users, items = np.arange(50), np.arange(4)
    uf, itf = rng.normal(size=(50, 3)), rng.normal(size=(4, 3))
    one = top_n_scores(users, uf, items, itf, n=10, batch=7)
    assert len(one["customer_key"]) == 50 * 4  # n capped at the 4 items
    whole = top_n_scores(users, uf, items, itf, n=10, batch=1000)
    for key in one:
        np.testing.assert_array_equal(one[key], whole[key])
    empty = top_n_scores(users, uf, items[:0], itf[:0], n=10)
    assert all(len(v) == 0 for v in empty.values())


def test_model_results_become_arrow_tables():
    frame = pd.DataFrame({"a": [1, 2]})
    assert model_result_table(frame).column("a").to_pylist() == [1, 2]
    table = pa.table({"a": [3]})
    assert model_result_table(table) is table
    reader = pa.RecordBatchReader.from_batches(table.schema, table.to_batches())
    assert model_result_table(reader).equals(table)


def _run_results(*rows: tuple[str, str, float, float]) -> dict:
    return {"results": [
        {"unique_id": uid, "status": status, "execution_time": seconds,
         "timing": [{"name": "execute",
                     "started_at": f"2026-12-03T10:00:{int(start):02d}+00:00",
                     "completed_at": f"2026-12-03T10:00:{int(start + seconds):02d}+00:00"}]}
        for uid, status, seconds, start in rows]}


def test_engine_bench_reads_every_wave_and_the_jobs(tmp_path):
    import json

    from hm_warehouse.bench.engines import spark_nodes
    from hm_warehouse.bench.nodes import summarise_layers

    (tmp_path / "manifest.json").write_text(json.dumps({"nodes": {
        "model.p.stg": {"original_file_path": "models/staging/stg.sql"},
        "model.p.abt": {"original_file_path": "models/ml/abt/abt.sql"}}}))
    (tmp_path / "run_results_wave-1.json").write_text(json.dumps(
        _run_results(("model.p.stg", "success", 2.0, 0))))
    (tmp_path / "run_results_wave-2.json").write_text(json.dumps(
        _run_results(("model.p.abt", "success", 3.0, 10))))
    (tmp_path / "run_results.json").write_text("{}")  # the last wave's: not read twice
    (tmp_path / "spark_jobs.json").write_text(json.dumps([{
        "unique_id": "model.p.cand_als", "name": "cand_als", "rows": 5,
        "path": "python_models/ml/candidates/cand_als.py", "started": 1.0, "completed": 5.0,
        "seconds": 4.0}]))
    nodes = spark_nodes(tmp_path)
    layers = summarise_layers(nodes)
    assert {k: v["seconds"] for k, v in layers.items()} == {
        "staging": 2.0, "candidates": 4.0, "abt": 3.0}


def test_engine_report_puts_both_engines_side_by_side():
    from hm_warehouse.bench.engines import best_baseline, render

    def run(engine, seconds, sub):
        return {"engine": engine, "scale": "small", "returncode": 0, "wall_seconds": seconds,
                "peak_rss_bytes": 2 * 1024**3,
                "layers": {"staging": {"seconds": seconds / 2, "peak_rss_bytes": 1024**3}},
                "input_rows": {"transactions_train": 1000},
                "eval": {"submission": {"valid": sub, "kind": "submission"},
                         "popular": {"valid": 0.01, "kind": "baseline"},
                         "rebuy": {"valid": 0.02, "kind": "baseline"}}}

    report = {"started_at": "2026-12-03T10:00:00+00:00",
              "machine": {"git_commit": "abcdef0", "cores": 2},
              "settings": {"spark_driver_memory": "2g"}, "scales_requested": ["small"],
              "runs": [run("duckdb", 100.0, 0.03), run("spark", 400.0, 0.028)]}
    text = render(report)
    assert "| staging | 50 s | 200 s | 4.0x |" in text
    assert "| **whole build (wall)** | 100 s | 400 s | 4.0x |" in text
    assert "duckdb submission 0.0300 (strongest baseline rebuy 0.0200, 1.50x)" in text
    assert best_baseline(report["runs"][1]["eval"], "valid") == ("rebuy", 0.02)


def _node(uid, kind, parents=(), language="sql", materialized="table", enabled=True):
    from types import SimpleNamespace as NS

    return NS(name=uid.split(".")[-1], resource_type=NS(value=kind),
              depends_on=NS(nodes=list(parents)), language=language, fqn=["p", uid],
              config=NS(materialized=materialized, enabled=enabled))


def test_manifest_nodes_marks_jobs_and_drops_disabled_tests():
    from types import SimpleNamespace as NS

    from hm_warehouse.spark_build import manifest_nodes

    manifest = NS(nodes={
        "model.p.sql": _node("model.p.sql", "model"),
        "model.p.py": _node("model.p.py", "model", ["model.p.sql"], language="python"),
        "model.p.csv": _node("model.p.csv", "model", materialized="external"),
        "test.p.off": _node("test.p.off", "test", enabled=False),
        "analysis.p.a": _node("analysis.p.a", "analysis"),
    }, unit_tests={"unit_test.p.sql.ut": _node("unit_test.p.sql.ut", "unit_test",
                                               ["model.p.sql"])})
    nodes = manifest_nodes(manifest)
    assert sorted(nodes) == ["model.p.csv", "model.p.py", "model.p.sql", "unit_test.p.sql.ut"]
    assert [uid for uid, n in sorted(nodes.items()) if n.job] == ["model.p.csv", "model.p.py"]


def test_parse_gets_only_the_flags_it_takes():
    from hm_warehouse.spark_build import _target_path, parse_args

    args = ["--full-refresh", "--target-path", "/t", "--vars", '{"a": 1}', "--fail-fast",
            "--log-path=/l", "--no-use-colors"]
    assert parse_args(args) == ["--target-path", "/t", "--vars", '{"a": 1}', "--log-path=/l",
                                "--no-use-colors"]
    assert str(_target_path(Path("/p"), ["--target-path=/x"])) == "/x"
    assert str(_target_path(Path("/p"), ["--target-path", "rel"])) == "/p/rel"


def test_a_selection_among_the_dbt_arguments_is_refused(tmp_path):
    from hm_warehouse.spark_build import run_spark_build

    result = run_spark_build(project_dir=tmp_path, data_dir=tmp_path,
                             submission=tmp_path / "s.csv", dbt_args=["--exclude", "marts"])
    assert result.returncode == 2 and "--exclude" in result.failed
