"""Every default of the project, stated once, where dbt needs it, and read
from there by the Python side.

- the data directory: the dbt var `data_dir` in dbt_project.yml (env
  HM_DATA_DIR);
- the four source files: the tables of source `hm` in
  models/staging/hm/_hm__sources.yml (`<table>.csv`);
- the warehouse file, dbt's threads, DuckDB's memory limit and temp
  directory: the `dev` target of profiles.yml (env HM_DUCKDB_PATH,
  HM_THREADS, HM_MEMORY_LIMIT, HM_TEMP_DIR); HM_THREADS also sizes the
  thread pools of implicit (ALS) and LightGBM;
- the submission csv: the dbt var `submission_path` (env HM_SUBMISSION_PATH);
- the generator's scales: hm_warehouse.generator.config.SCALES.

The dbt files hold Jinja (`{{ env_var('HM_X', 'default') }}`); this module
renders it with the process environment, so Python sees what dbt sees.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

import jinja2
import yaml

from .project import dbt_vars, project_dir

PROFILE = "hm_warehouse"
TARGET = "dev"


def _render(text: Any) -> str:
    """A dbt Jinja string rendered with env_var over the current environment."""
    def env_var(name: str, default: str | None = None) -> str:
        value = os.environ.get(name, default)
        if value is None:
            raise KeyError(f"env var {name} is not set and has no default")
        return value

    return jinja2.Template(str(text)).render(env_var=env_var)


def _profile_target(root: Path | None = None, target: str = TARGET) -> dict[str, Any]:
    profile = yaml.safe_load(((root or project_dir()) / "profiles.yml").read_text())
    return profile[PROFILE]["outputs"][target]


def data_dir(root: Path | None = None) -> Path:
    """The data directory dbt reads (var data_dir: $HM_DATA_DIR or its default)."""
    return Path(_render(dbt_vars(root)["data_dir"]))


def submission_path(root: Path | None = None) -> Path:
    return Path(_render(dbt_vars(root)["submission_path"]))


def warehouse_path(root: Path | None = None) -> Path:
    """The published DuckDB file (profiles.yml path: $HM_DUCKDB_PATH or its default)."""
    return Path(_render(_profile_target(root)["path"]))


def threads(root: Path | None = None) -> int:
    """dbt's threads, and the threads of implicit and LightGBM ($HM_THREADS)."""
    return int(_render(_profile_target(root)["threads"]))


def memory_limit(root: Path | None = None) -> str:
    """DuckDB's memory_limit of the build ($HM_MEMORY_LIMIT or its default)."""
    return _render(_profile_target(root)["settings"]["memory_limit"])


def spark_dir(root: Path | None = None) -> Path:
    """The Spark target's folder: tables, metastore, job scratch (profiles.yml
    `spark` target's spark.sql.warehouse.dir, less /tables: $HM_SPARK_DIR)."""
    return Path(spark_conf(root)["spark.sql.warehouse.dir"]).parent


def spark_conf(root: Path | None = None) -> dict[str, str]:
    """The Spark session's settings of the `spark` target (its
    server_side_parameters, rendered): the jobs start the same session dbt-spark would."""
    parameters = _profile_target(root, "spark")["server_side_parameters"]
    return {key: _render(value) for key, value in parameters.items()}


def source_file(table: str, root: Path | None = None) -> str:
    """The file name of one table of source hm (`articles` -> articles.csv)."""
    name = f"{table}.csv"
    if name not in source_files(root):
        raise ValueError(f"source hm has no table {table!r}: {source_files(root)}")
    return name


@functools.cache
def source_files(root: Path | None = None) -> tuple[str, ...]:
    """The csv files of source hm, in the sources yml's order."""
    path = (root or project_dir()) / "models" / "staging" / "hm" / "_hm__sources.yml"
    sources = yaml.safe_load(path.read_text())["sources"]
    hm = next(s for s in sources if s["name"] == "hm")
    return tuple(f"{table['name']}.csv" for table in hm["tables"])


# the formats a source file is read in, in the order they are looked for (the
# same as macro hm_source_formats): a csv wins over a .csv.gz or .parquet file
SOURCE_SUFFIXES = (".csv", ".csv.gz", ".parquet")


def find_source_file(data_dir: Path, csv_name: str) -> Path | None:
    """The file staging reads for `csv_name` (`articles.csv`): that csv, else
    `articles.csv.gz`, else `articles.parquet`; None when none is there."""
    stem = csv_name.removesuffix(".csv")
    for suffix in SOURCE_SUFFIXES:
        if (data_dir / f"{stem}{suffix}").is_file():
            return data_dir / f"{stem}{suffix}"
    return None
