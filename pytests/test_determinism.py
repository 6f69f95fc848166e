"""A fixed seed reproduces the machine learning exactly.

The tiny warehouse (fixtures_warehouse) is copied and everything from ALS
onwards is rebuilt in the copy: ALS candidates, the ABTs that read them, both
LightGBM rankers, their scores, the submission and the evaluation. Every
table, and the exported submission.csv, must be identical to the first run,
so the margins the README reports are reproducible to the last digit.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import duckdb

pytest_plugins = ["fixtures_warehouse"]

# (schema.table, ordering-free comparison) rebuilt by `dbt run -s cand_als+`
RERUN_TABLES = [
    "ml.cand_als",
    "ml.abt_train",
    "ml.ranker_models",
    "ml.ranker_scores",
    "ml.ranker_feature_importance",
    "ml.submission",
    "eval.eval_strategy_predictions",
    "eval.eval_strategies",
]


def table_differences(con: duckdb.DuckDBPyConnection, left: str, right: str) -> int:
    """Rows of `left` not in `right` plus rows of `right` not in `left`,
    counting duplicates (EXCEPT ALL both ways)."""
    return con.execute(
        f"""
        select
            (select count(*) from (select * from {left} except all select * from {right}))
            + (select count(*) from (select * from {right} except all select * from {left}))
        """
    ).fetchone()[0]


def test_table_differences_detects_one_changed_value() -> None:
    """The comparison itself can fail: one changed score is two differing rows."""
    con = duckdb.connect()
    con.execute("create table a as select range as i, range * 0.5::double as score from range(100)")
    con.execute("create table b as select * from a")
    assert table_differences(con, "a", "b") == 0
    con.execute("update b set score = score + 1e-12 where i = 7")
    assert table_differences(con, "a", "b") == 2
    con.execute("insert into b select * from a where i = 3")
    assert table_differences(con, "a", "b") == 3


def test_rebuilding_the_ml_reproduces_every_table(
    tiny_warehouse, tmp_path: Path
) -> None:
    tiny_warehouse.require("cand_als", "ranker_scores", "submission_csv", "eval_strategies")
    first_csv = Path(tiny_warehouse.env["HM_SUBMISSION_PATH"])

    copy_dir = tmp_path / "rerun"
    copy_dir.mkdir()
    shutil.copy(tiny_warehouse.db_path, copy_dir / "hm.duckdb")
    env = dict(tiny_warehouse.env)
    env.update(
        HM_DUCKDB_PATH=str(copy_dir / "hm.duckdb"),
        HM_TEMP_DIR=str(copy_dir / "duckdb_tmp"),
        HM_SUBMISSION_PATH=str(copy_dir / "submission.csv"),
    )
    copy = dataclasses.replace(tiny_warehouse, work_dir=copy_dir, env=env, built=set())
    rerun = copy.dbt("run", "--select", "cand_als+")
    assert rerun.returncode == 0, rerun.stdout[-4000:] + rerun.stderr

    con = duckdb.connect(str(copy_dir / "hm.duckdb"), read_only=True)
    con.execute(f"attach '{tiny_warehouse.db_path}' as first_run (read_only)")
    differing = {
        table: n
        for table in RERUN_TABLES
        if (n := table_differences(con, table, f"first_run.{table}"))
    }
    n_rows = con.execute("select count(*) from ml.submission").fetchone()[0]
    con.close()
    assert n_rows > 0
    assert not differing, f"tables that changed on an identical rerun: {differing}"
    assert (copy_dir / "submission.csv").read_bytes() == first_csv.read_bytes()
