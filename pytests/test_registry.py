"""The registry (seeds/hm_*.csv) is the one list of candidate sources,
strategies and feature families: its parse-time copy is current, every row
names a model where its stage keeps it, every model of those stages is
registered, the docs of cand_union and the ABTs follow it, and adding a
candidate source is one model file plus one registry row (a dummy source
added in a scratch copy reaches the union, the ABT, the recall table and
the report)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from hm_warehouse import registry
from staging_helpers import DBT, REPO_ROOT

pytest_plugins = ["fixtures_warehouse"]
PROJECT = "hm_warehouse"


@pytest.fixture(scope="module")
def manifest(tmp_path_factory) -> dict:
    work = tmp_path_factory.mktemp("registry_parse")
    env = {**os.environ, "DBT_PROFILES_DIR": str(REPO_ROOT), "HM_DUCKDB_PATH": ":memory:",
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    result = subprocess.run([str(DBT), "parse", "--target-path", str(work / "target"),
                             "--log-path", str(work / "logs"), "--no-use-colors"],
                            check=False, cwd=REPO_ROOT, env=env, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:]
    return json.loads((work / "target" / "manifest.json").read_text())


def _models(manifest: dict) -> dict[str, dict]:
    return {n["name"]: n for n in manifest["nodes"].values()
            if n["resource_type"] == "model" and n["package_name"] == PROJECT}


def test_parse_time_copy_is_current():
    assert registry.mirror_is_current(), (
        f"{registry.MIRROR} differs from seeds/hm_*.csv: run `hm-warehouse registry`")


def test_candidate_sources_are_models_of_the_candidates_stage(manifest):
    models = _models(manifest)
    folder = {"sql": "models/ml/candidates/", "python": "python_models/ml/candidates/"}
    rows = registry.load("hm_candidate_sources")
    for row in rows:
        node = models.get(row["model"])
        assert node is not None, f"registry source {row['source']}: no model {row['model']}"
        assert node["original_file_path"].startswith(folder[row["engine"]]), (
            row, node["original_file_path"])
        assert node["language"] == row["engine"], row
    registered = {row["model"] for row in rows} | {"cand_union"}
    stray = sorted(name for name, node in models.items()
                   if "/ml/candidates/" in node["original_file_path"] and name not in registered)
    assert not stray, f"candidate models without a registry row (left out of the union): {stray}"


def test_every_strategy_has_its_list_model(manifest):
    models = _models(manifest)
    names = [row["strategy"] for row in registry.strategies()]
    missing = [n for n in names if f"eval_list_{n}" not in models]
    assert not missing
    lists = sorted(n.removeprefix("eval_list_") for n in models if n.startswith("eval_list_"))
    assert lists == sorted(names), "an eval_list_ model without a registry row is never scored"


def test_feature_columns_are_declared_by_their_models(manifest):
    models = _models(manifest)
    families = {row["family"]: row for row in registry.load("hm_feature_families")}
    for column in registry.load("hm_feature_columns"):
        family = families[column["family"]]
        if column["expression"]:
            assert not column["source_column"], column
            continue
        node = models[family["model"]]
        assert column["source_column"] in node["columns"], (
            f"{column['feature']}: {family['model']} declares no column "
            f"{column['source_column']!r} in its yml")
    for family in families.values():
        if family["model"]:
            assert family["model"] in models, family
            for key in family["join_keys"].split():
                assert key in models[family["model"]]["columns"], (family, key)


def test_union_and_abt_docs_follow_the_registry(manifest):
    """The yml docs of cand_union and the ABTs list exactly the registry's
    columns: a source or feature added to the registry must be documented."""
    models = _models(manifest)
    sources = registry.candidate_sources()
    per_source = [f"{kind}_{s}" for s in sources for kind in ("rank", "score")]
    union = set(models["cand_union"]["columns"])
    assert union == {"customer_key", "week_index", "article_key", *per_source, "n_sources",
                     "best_rank"}
    features = [c["feature"] for c in registry.load("hm_feature_columns")]
    expected = {"customer_key", "week_index", "article_key", "ml_split", *per_source,
                "n_sources", "best_rank", *features, "label"}
    for abt in ("abt_train", "abt_valid", "abt_predict"):
        assert set(models[abt]["columns"]) == expected, abt


def test_abt_columns_are_the_registry_in_order(tiny_warehouse):
    """Built on tiny data: the ABT's columns are the registry's, in order."""
    tiny_warehouse.require("abt_valid")
    columns, _ = tiny_warehouse.query("select * from ml.abt_valid limit 0")
    sources = registry.union_sources()
    assert sources != registry.candidate_sources()  # the default leaves some out
    features = [c["feature"] for c in registry.load("hm_feature_columns")]
    assert columns == ["customer_key", "week_index", "article_key", "ml_split",
                       *[f"{k}_{s}" for s in sources for k in ("rank", "score")],
                       "n_sources", "best_rank", *features, "label"]


def test_built_tables_key_on_32_bit_integers(tiny_warehouse):
    """Built on tiny data: every customer_key and article_key column is a
    32-bit INTEGER, and past staging no table but the dimensions and the
    submission's has a customer_id or article_id column (documented or not)."""
    tiny_warehouse.require("abt_predict", "ranker_scores", "submission_rows", "eval_labels")
    _, rows = tiny_warehouse.query(
        "select table_schema, table_name, column_name, data_type "
        "from information_schema.columns "
        "where column_name in ('customer_key', 'article_key', 'customer_id', 'article_id') "
        "and table_schema in ('marts', 'features', 'ml', 'eval')")
    keys = [r for r in rows if r[2].endswith("_key")]
    assert {r[1] for r in keys} >= {"fct_transactions", "cand_union", "abt_predict",
                                    "ranker_scores", "eval_labels"}
    assert [r for r in keys if r[3] != "INTEGER"] == []
    readable = {"dim_customers", "dim_articles", "submission_rows", "submission",
                "submission_csv"}
    assert [r for r in rows if r[2].endswith("_id") and r[1] not in readable] == []


DUMMY_MODEL = """{#- A test-only candidate source: the three articles with the
    smallest keys, for every customer-week. -#}
with

customer_weeks as (

    select * from {{ ref('spine_customer_weeks') }}

),

articles as (

    select article_key from {{ ref('dim_articles') }}
    order by article_key
    limit 3

),

final as (

    select
        customer_weeks.customer_key,
        customer_weeks.week_index,
        articles.article_key,
        'dummy' as source,
        1.0 as score,
        row_number() over (
            partition by customer_weeks.customer_key, customer_weeks.week_index
            order by articles.article_key
        ) as source_rank
    from customer_weeks
    cross join articles

)

select * from final
"""


@pytest.mark.slow
def test_a_new_source_is_one_model_file_plus_one_registry_row(tiny_warehouse, tmp_path):
    """In a scratch copy of the project: one model file and one registry
    row (then `hm-warehouse registry`), and the new source is in the union,
    the ABT, the recall table and the report. Only the new model and what
    reads it are built, over a copy of the tiny warehouse."""
    tiny_warehouse.require("cand_union", "eval_candidate_recall", "fct_data_description")
    copy = tmp_path / "project"
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=REPO_ROOT,
                           capture_output=True, text=True, check=True).stdout.split()
    for name in files:
        if name.startswith(("benchmarks/", "data/")) or not (REPO_ROOT / name).is_file():
            continue
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO_ROOT / name, copy / name)
    (copy / "models/ml/candidates/cand_dummy.sql").write_text(DUMMY_MODEL)
    with (copy / "seeds/hm_candidate_sources.csv").open("a") as seed:
        seed.write('dummy,cand_dummy,sql,true,"Test only: the three smallest article ids."\n')
    work = tmp_path / "work"
    work.mkdir()
    shutil.copy2(tiny_warehouse.db_path, work / "hm.duckdb")
    env = {**os.environ, "HM_PROJECT_DIR": str(copy), "DBT_PROFILES_DIR": str(copy),
           "HM_DATA_DIR": str(tiny_warehouse.data_dir), "HM_DUCKDB_PATH": str(work / "hm.duckdb"),
           "HM_SUBMISSION_PATH": str(work / "submission.csv"), "HM_MEMORY_LIMIT": "2GB",
           "HM_TEMP_DIR": str(work / "tmp"), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    cli = Path(os.sys.executable).parent / "hm-warehouse"

    def run(*cmd: str) -> None:
        out = subprocess.run(list(cmd), check=False, cwd=copy, env=env, capture_output=True,
                             text=True, timeout=1800)
        assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]

    run(str(cli), "registry")
    run(str(DBT), "run", "--select", "cand_dummy+", "--target-path", str(work / "target"),
        "--log-path", str(work / "logs"))
    con = duckdb.connect(str(work / "hm.duckdb"), read_only=True)
    try:
        assert con.execute("select count(rank_dummy) from ml.cand_union").fetchone()[0] > 0
        assert con.execute("select count(rank_dummy) from ml.abt_valid").fetchone()[0] > 0
        assert con.execute("select count(*) from eval.eval_candidate_recall "
                           "where source = 'dummy'").fetchone()[0] > 0
    finally:
        con.close()
    run(str(cli), "report", "--db", str(work / "hm.duckdb"), "--out", str(work / "r.html"),
        "--png-dir", str(work / "png"))
    assert "dummy" in (work / "r.html").read_text()
