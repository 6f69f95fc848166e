"""Project rules, checked on the manifest the way dbt-project-evaluator
checks them (its package needs dbt Hub, so the rules STYLE.md adopts are
re-implemented here), plus two maintained linters: dbt-score (thresholds in
pyproject.toml [tool.dbt-score]) and dbt-coverage (documentation coverage
of every built table and column, 100%).

Each rule is its own test and lists every offending node, so a failure says
what to fix. Exceptions are explicit, with their reason, in the dicts below;
add to them only with a reason a reviewer can check.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections import defaultdict
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import pytest

from hm_warehouse import registry
from staging_helpers import DBT, REPO_ROOT

if TYPE_CHECKING:  # the plugin is loaded by pytest_plugins, not imported
    from fixtures_warehouse import TinyWarehouse

pytest_plugins = ["fixtures_warehouse"]

PROJECT = "hm_warehouse"
VENV_BIN = REPO_ROOT / ".venv" / "bin"

# ---------------------------------------------------------------- the rules
# model folder -> allowed name prefixes (the longest matching folder counts);
# the ML half is laid out by stage, with the same stage folder names under
# models/ml/ (SQL) and python_models/ml/ (Python)
ML_STAGES: dict[str, tuple[str, ...]] = {
    "spine": ("spine_",),
    "candidates": ("cand_",),
    "abt": ("abt_",),
    "ranker": ("ranker_",),
    "submission": ("submission",),
}
FOLDER_PREFIXES: dict[str, tuple[str, ...]] = {
    "models/staging": ("stg_", "base_"),
    "models/marts": ("dim_", "fct_"),
    "models/features": ("feat_",),
    "python_models/features": ("feat_",),
    "models/eval": ("eval_",),
    **{f"{root}/ml/{stage}": prefixes
       for root in ("models", "python_models") for stage, prefixes in ML_STAGES.items()},
}
# the models yml of a folder: `_<folder>__models.yml`, except these
MODELS_YML_NAMES: dict[str, str] = {}
# folders whose models are documented in another folder's yml
MODELS_YML_ELSEWHERE: dict[str, tuple[str, str]] = {
    "models/staging/hm/base": (
        "models/staging/hm/_hm__models.yml",
        (
            "base models are the private first step of one source's staging "
            "(dbt's base/ convention): they are documented with that source's "
            "staging models so one file describes the whole source"
        ),
    ),
}
# models with no primary key, and why
NO_PRIMARY_KEY: dict[str, str] = {
    "stg_hm__transactions": (
        "one row per unit bought: identical rows are several units of one "
        "purchase and are all kept (fct_transactions numbers them: unit_number)"
    ),
    "stg_hm__hidden_transactions": "the hidden week's units, same grain as stg_hm__transactions",
    "base_hm__transactions": "every raw row of transactions_train.csv, identical rows included",
    "base_hm__articles": "every raw row of articles.csv, duplicate article_ids included",
    "base_hm__customers": "every raw row of customers.csv, duplicate customer_ids included",
    "base_hm__sample_submission": (
        "every raw row of sample_submission.csv, duplicate customer_ids included"
    ),
    "stg_hm__transactions_rejected": "quarantined raw rows: the same bad line can occur twice",
    "stg_hm__articles_rejected": "quarantined raw rows: duplicates are rejected here, by design",
    "stg_hm__customers_rejected": "quarantined raw rows: duplicates are rejected here, by design",
    "stg_hm__sample_submission_rejected": (
        "quarantined raw rows: duplicates are rejected here, by design"
    ),
}
MAX_FANOUT = 3  # dbt-project-evaluator models_fanout_threshold
MAX_JOINS = 6  # dbt-project-evaluator too_many_joins_threshold: fewer than 7
# the ABTs are the feature store's one join: the candidates, their labels and
# one left join per registered feature family (issue 17: 10 families), so
# their budget grows with the registry, not with hand-written SQL
JOINS_PER_FAMILY_MODELS = {"abt_train", "abt_valid", "abt_predict"}


# ----------------------------------------------------------------- fixtures
def _run(cmd: list[str], env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        cmd, check=False, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def _dbt_env(work_dir: Path, data_dir: Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DBT_PROFILES_DIR=str(REPO_ROOT),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        # no warehouse file needed (and none locked): parse/compile only
        HM_DUCKDB_PATH=":memory:",
        HM_TEMP_DIR=str(work_dir / "duckdb_tmp"),
    )
    if data_dir is not None:
        env["HM_DATA_DIR"] = str(data_dir)
    return env


@pytest.fixture(scope="module")
def manifest_path(tmp_path_factory) -> Path:
    """target/manifest.json of `dbt parse` (no data, no warehouse)."""
    work = tmp_path_factory.mktemp("rules_parse")
    result = _run(
        [
            str(DBT),
            "parse",
            "--target-path",
            str(work / "target"),
            "--log-path",
            str(work / "logs"),
            "--no-use-colors",
        ],
        _dbt_env(work),
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr
    return work / "target" / "manifest.json"


@pytest.fixture(scope="module")
def manifest(manifest_path: Path) -> dict:
    return json.loads(manifest_path.read_text())


@pytest.fixture(scope="module")
def models(manifest: dict) -> dict[str, dict]:
    """unique_id -> node, the project's models."""
    return {
        uid: node
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["package_name"] == PROJECT
    }


@pytest.fixture(scope="module")
def compiled_models(tiny_data: Path, tmp_path_factory) -> dict[str, dict]:
    """name -> node of `dbt compile` on tiny data (compiled SQL)."""
    work = tmp_path_factory.mktemp("rules_compile")
    result = _run(
        [
            str(DBT),
            "compile",
            "--select",
            "resource_type:model",
            "--target-path",
            str(work / "target"),
            "--log-path",
            str(work / "logs"),
            "--no-use-colors",
        ],
        _dbt_env(work, tiny_data),
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr
    manifest = json.loads((work / "target" / "manifest.json").read_text())
    return {
        node["name"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["package_name"] == PROJECT
    }


def _folder(node: dict) -> str:
    return str(PurePosixPath(node["original_file_path"]).parent)


def _top_folder(node: dict) -> str:
    """The longest folder of FOLDER_PREFIXES holding the model (else its own)."""
    folder = _folder(node)
    matches = [f for f in FOLDER_PREFIXES if folder == f or folder.startswith(f + "/")]
    return max(matches, key=len) if matches else folder


def _fail_on(violations: list[str], rule: str) -> None:
    if violations:
        pytest.fail(
            f"{rule}: {len(violations)} violation(s)\n  " + "\n  ".join(violations), pytrace=False
        )


# -------------------------------------------------------------------- DAG
def test_only_staging_reads_sources(models: dict[str, dict]) -> None:
    violations = [
        f"{node['name']} ({node['original_file_path']}) reads "
        + ", ".join(p for p in node["depends_on"]["nodes"] if p.startswith("source."))
        for node in models.values()
        if any(p.startswith("source.") for p in node["depends_on"]["nodes"])
        and not node["original_file_path"].startswith("models/staging/")
    ]
    _fail_on(violations, "only staging models read sources")


def test_no_staging_to_staging_edges(models: dict[str, dict]) -> None:
    """stg_ models read sources or base_ models, never other stg_ models."""
    violations = [
        f"{node['name']} reads {models[parent]['name']}"
        for node in models.values()
        if node["name"].startswith("stg_")
        for parent in node["depends_on"]["nodes"]
        if parent in models and models[parent]["name"].startswith("stg_")
    ]
    _fail_on(violations, "no staging -> staging edges")


# the models past staging that may carry the readable ids (issue 16: the
# 64-character customer_id and the article_id key nothing downstream)
READABLE_ID_MODELS = {"dim_customers", "dim_articles", "submission_rows", "submission",
                      "submission_csv"}


def test_only_dimensions_and_submission_carry_the_text_ids(models: dict[str, dict]) -> None:
    """Past staging every join, sort and aggregate runs on the integer
    customer_key and article_key: a documented customer_id or article_id
    column elsewhere means a model went back to the text ids."""
    violations = [
        f"{node['name']} ({node['original_file_path']}) has column {column}"
        for node in models.values()
        if not node["original_file_path"].startswith("models/staging/")
        and node["name"] not in READABLE_ID_MODELS
        for column in node["columns"]
        if column in ("customer_id", "article_id")
    ]
    _fail_on(violations, "only the dimensions and the submission carry the text ids")


def test_base_models_feed_only_staging(models: dict[str, dict]) -> None:
    """base_ models are private to staging: only base_/stg_ models read them."""
    violations = [
        f"{node['name']} reads {models[parent]['name']}"
        for node in models.values()
        if not node["name"].startswith(("stg_", "base_"))
        for parent in node["depends_on"]["nodes"]
        if parent in models and models[parent]["name"].startswith("base_")
    ]
    _fail_on(violations, "base models feed only staging models")


def test_staging_parses_each_file_once(models: dict[str, dict]) -> None:
    """The base models, which read and parse the csv files, are tables: as
    views, every model reading them (the clean and rejected splits, the id
    checks) would parse the file again."""
    base = {node["name"]: node["config"]["materialized"]
            for node in models.values() if node["name"].startswith("base_")}
    assert base and set(base.values()) == {"table"}, base


def test_ranker_training_waits_for_abt_predict(models: dict[str, dict]) -> None:
    """Memory plan: LightGBM's training (ranker_models) never runs beside
    abt_predict, the largest DuckDB join: the ref orders them in the DAG."""
    ranker = next(node for node in models.values() if node["name"] == "ranker_models")
    assert "model.hm_warehouse.abt_predict" in ranker["depends_on"]["nodes"]


def test_folder_matches_prefix(models: dict[str, dict]) -> None:
    violations = []
    for node in models.values():
        top = _top_folder(node)
        allowed = FOLDER_PREFIXES.get(top)
        if allowed is None:
            violations.append(f"{node['name']}: unknown model folder {top}")
        elif not node["name"].startswith(allowed):
            violations.append(f"{node['name']} in {top}: expected a prefix in {allowed}")
        elif node["name"].startswith("base_") and not _folder(node).endswith("/base"):
            violations.append(f"{node['name']}: base models live in a base/ folder")
    _fail_on(violations, "a model's folder matches its prefix")


def test_one_models_yml_per_folder(models: dict[str, dict]) -> None:
    """Every model is described in `_<folder>__models.yml` of its own folder
    (exceptions: MODELS_YML_NAMES, MODELS_YML_ELSEWHERE), one per folder."""
    violations = []
    files_per_folder: dict[str, set[str]] = defaultdict(set)
    for node in models.values():
        folder = _folder(node)
        patch = node.get("patch_path")
        if not patch:
            violations.append(f"{node['name']} ({node['original_file_path']}): in no models yml")
            continue
        patch = patch.split("://", 1)[-1]
        if folder in MODELS_YML_ELSEWHERE:
            expected = MODELS_YML_ELSEWHERE[folder][0]
        else:
            name = MODELS_YML_NAMES.get(folder, f"_{PurePosixPath(folder).name}__models.yml")
            expected = f"{folder}/{name}"
        if patch != expected:
            violations.append(f"{node['name']}: described in {patch}, expected {expected}")
        files_per_folder[folder].add(patch)
    for folder, files in files_per_folder.items():
        if len(files) > 1:
            violations.append(f"{folder}: models described in {len(files)} files {sorted(files)}")
    _fail_on(violations, "one _<folder>__models.yml per model folder")


def _primary_key_tests(manifest: dict) -> dict[str, set[str]]:
    """model unique_id -> names of its primary-key tests."""
    found: dict[str, set[str]] = defaultdict(set)
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test" or not node.get("test_metadata"):
            continue
        name = node["test_metadata"]["name"]
        if name in ("unique", "unique_combination_of_columns") and node.get("attached_node"):
            found[node["attached_node"]].add(name)
    return found


def test_every_model_has_a_primary_key_test(manifest: dict, models: dict[str, dict]) -> None:
    tested = _primary_key_tests(manifest)
    for uid, node in models.items():  # a primary_key constraint counts too
        if any(c.get("type") == "primary_key" for c in node.get("constraints", [])) or any(
            c.get("type") == "primary_key"
            for column in node["columns"].values()
            for c in column.get("constraints", [])
        ):
            tested[uid].add("primary_key constraint")
    names = {node["name"] for node in models.values()}
    stale = sorted(set(NO_PRIMARY_KEY) - names)
    violations = [
        f"{node['name']} ({node['original_file_path']}): no unique / "
        "unique_combination_of_columns test"
        for uid, node in sorted(models.items())
        if uid not in tested and node["name"] not in NO_PRIMARY_KEY
    ]
    violations += [
        f"{node['name']} is listed in NO_PRIMARY_KEY but has {sorted(tested[uid])}: unlist it"
        for uid, node in models.items()
        if uid in tested and node["name"] in NO_PRIMARY_KEY
    ]
    violations += [f"NO_PRIMARY_KEY lists {name}, which is not a model" for name in stale]
    _fail_on(violations, "every model has a primary-key test")


def _model_children(models: dict[str, dict]) -> dict[str, set[str]]:
    children: dict[str, set[str]] = defaultdict(set)
    for uid, node in models.items():
        for parent in node["depends_on"]["nodes"]:
            if parent in models:
                children[parent].add(uid)
    return children


def test_model_fanout_leaf_children(models: dict[str, dict]) -> None:
    """dbt-project-evaluator's fct_model_fanout: at most MAX_FANOUT direct
    children that are leaves (models nothing else reads). This is the rule
    the project adopts: counting every direct child would flag the facts and
    the as-of-week spine, which every layer above is meant to read."""
    children = _model_children(models)
    violations = []
    for uid, kids in children.items():
        leaves = sorted(models[k]["name"] for k in kids if not children.get(k))
        if len(leaves) > MAX_FANOUT:
            violations.append(f"{models[uid]['name']}: {len(leaves)} leaf children {leaves}")
    _fail_on(violations, f"fan-out: at most {MAX_FANOUT} direct leaf children")


def _count_joins(sql: str) -> int:
    sql = re.sub(r"/\*.*?\*/", " ", sql, flags=re.DOTALL)
    sql = re.sub(r"--[^\n]*", " ", sql)
    sql = re.sub(r"'(?:[^']|'')*'", "''", sql)
    return len(re.findall(r"\bjoin\b", sql, flags=re.IGNORECASE))


def test_fewer_than_7_joins_per_model(compiled_models: dict[str, dict]) -> None:
    violations = []
    for name, node in sorted(compiled_models.items()):
        if node["language"] != "sql":
            continue
        assert node.get("compiled_code"), f"{name}: not compiled"
        joins = _count_joins(node["compiled_code"])
        if name in JOINS_PER_FAMILY_MODELS:
            joins -= sum(1 for row in registry.load("hm_feature_families") if row["model"])
        if joins > MAX_JOINS:
            violations.append(f"{name}: {joins} joins in its compiled SQL")
    _fail_on(violations, f"fewer than {MAX_JOINS + 1} joins per model")


# ---------------------------------------------------------------- documentation
def test_every_model_source_and_column_is_described(manifest: dict) -> None:
    violations = []
    for node in manifest["nodes"].values():
        if node["package_name"] != PROJECT or node["resource_type"] not in (
            "model",
            "seed",
            "analysis",
            "snapshot",
        ):
            continue
        label = f"{node['resource_type']} {node['name']}"
        if not node["description"].strip():
            violations.append(f"{label}: no description")
        for column in node["columns"].values():
            if not column["description"].strip():
                violations.append(f"{label}.{column['name']}: no description")
    sources_seen = set()
    for node in manifest["sources"].values():
        if node["package_name"] != PROJECT:
            continue
        if node["source_name"] not in sources_seen and not node["source_description"].strip():
            violations.append(f"source {node['source_name']}: no description")
        sources_seen.add(node["source_name"])
        label = f"source {node['source_name']}.{node['name']}"
        if not node["description"].strip():
            violations.append(f"{label}: no description")
        if not node["columns"]:
            violations.append(f"{label}: no columns listed")
        for column in node["columns"].values():
            if not column["description"].strip():
                violations.append(f"{label}.{column['name']}: no description")
    for node in manifest["exposures"].values():
        if not node["description"].strip():
            violations.append(f"exposure {node['name']}: no description")
    _fail_on(violations, "every model, source, column, analysis and exposure is described")


def test_every_macro_is_described(manifest: dict) -> None:
    undocumented = sorted(
        node["name"]
        for node in manifest["macros"].values()
        if node["package_name"] == PROJECT and not node["description"].strip()
    )
    _fail_on(undocumented, "every project macro has a yml description")


def test_exposures_cover_submission_and_eda(manifest: dict) -> None:
    exposures = {node["name"]: node for node in manifest["exposures"].values()}
    assert set(exposures) >= {"kaggle_submission", "eda_report"}
    assert set(exposures["kaggle_submission"]["depends_on"]["nodes"]) == {
        f"model.{PROJECT}.submission_csv",
        f"model.{PROJECT}.submission",
    }
    assert {
        f"model.{PROJECT}.{name}"
        for name in (
            "fct_data_description",
            "dim_customers",
            "dim_articles",
            "fct_article_weeks",
            "eval_strategies",
        )
    } <= set(exposures["eda_report"]["depends_on"]["nodes"])
    for node in exposures.values():
        assert node["owner"].get("name") or node["owner"].get("email"), node["name"]


# ------------------------------------------------------------ maintained linters
def test_dbt_score(manifest_path: Path) -> None:
    """dbt-score lint with the thresholds of pyproject.toml [tool.dbt-score]."""
    result = _run(
        [
            str(VENV_BIN / "dbt-score"),
            "lint",
            "--manifest",
            str(manifest_path),
            "--show",
            "failing-items",
        ],
        dict(os.environ, NO_COLOR="1"),
    )
    assert result.returncode == 0, (
        "dbt-score below the minimum in pyproject.toml [tool.dbt-score]:\n"
        + result.stdout[-6000:]
        + result.stderr[-2000:]
    )


@pytest.mark.slow
def test_doc_coverage_is_complete(tiny_docs: TinyWarehouse) -> None:
    """dbt-coverage: every column of every built table is documented (needs
    the catalog of a built warehouse: the tiny one). Tables that did not
    build are not in the catalog; the check covers every built model."""
    report = tiny_docs.work_dir / "doc_coverage.json"
    result = _run(
        [
            str(VENV_BIN / "dbt-coverage"),
            "compute",
            "doc",
            "--project-dir",
            str(REPO_ROOT),
            "--run-artifacts-dir",
            str(tiny_docs.target_dir),
            "--cov-report",
            str(report),
            "--cov-fail-under",
            "1.0",
        ],
        dict(os.environ),
    )
    coverage = json.loads(report.read_text()) if report.exists() else {}
    tables = {t["name"].split(".")[-1].lower() for t in coverage.get("tables", [])}
    undocumented = [
        f"{t['name']}.{c['name']}"
        for t in coverage.get("tables", [])
        for c in t.get("columns", [])
        if not c.get("covered")
    ]
    assert result.returncode == 0, (
        f"doc coverage {coverage.get('coverage')} < 100%; undocumented columns:\n  "
        + "\n  ".join(undocumented)
        + "\n"
        + result.stdout[-3000:]
        + result.stderr[-2000:]
    )
    not_covered = sorted(tiny_docs.built - tables)
    assert not not_covered, f"built models missing from the coverage report: {not_covered}"


@pytest.mark.slow
def test_no_hugeint_columns(tiny_warehouse: TinyWarehouse) -> None:
    """DuckDB's sum() of integers is HUGEINT, which reads about 50x slower
    than BIGINT into Arrow and numpy (2.5 s per column per 9M ABT rows,
    measured on demo): counts are cast back to bigint, so no built table
    has a HUGEINT column."""
    tiny_warehouse.require("abt_predict", "feat_customer_weekly", "feat_article_weekly")
    _, rows = tiny_warehouse.query(
        "select table_schema || '.' || table_name || '.' || column_name "
        "from information_schema.columns where data_type = 'HUGEINT' order by 1"
    )
    assert not rows, f"HUGEINT columns: {[r[0] for r in rows]}"
