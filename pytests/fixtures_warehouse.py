"""Shared session fixtures: one warehouse built on tiny generated data, and
its dbt docs, for the analyses, docs-coverage and docs-browser tests.

Use it from a test module with

    pytest_plugins = ["fixtures_warehouse"]

(not `from fixtures_warehouse import ...`: an imported session fixture is
registered once per importing module and would build twice; a plugin is
registered once per session).

`tiny_warehouse` runs `dbt seed` and `dbt run` over the whole DAG on the tiny data of
conftest's `tiny_data` fixture, in its own DuckDB file, target path and
submission path, and records which models built. A model that fails does
not fail the fixture: each test states the models it needs
(`TinyWarehouse.require`) and fails with the dbt error when one of them did
not build, so the rest of the suite still runs while part of the DAG is
broken. `tiny_docs` adds `dbt docs generate --static` (index.html,
static_index.html, manifest.json and catalog.json in the target path).
"""

from __future__ import annotations

import json
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from staging_helpers import DBT, REPO_ROOT, dbt_env


@dataclass
class TinyWarehouse:
    data_dir: Path
    work_dir: Path
    env: dict[str, str]
    built: set[str] = field(default_factory=set)
    failed: dict[str, str] = field(default_factory=dict)
    skipped: set[str] = field(default_factory=set)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def db_path(self) -> Path:
        return self.work_dir / "hm.duckdb"

    @property
    def target_dir(self) -> Path:
        return self.work_dir / "target"

    def dbt(self, *args: str, target_dir: Path | None = None) -> subprocess.CompletedProcess:
        """Run a dbt command on this warehouse (own target and log paths)."""
        target = target_dir or self.target_dir
        cmd = [
            str(DBT),
            *args,
            "--target-path",
            str(target),
            "--log-path",
            str(self.work_dir / "logs"),
            "--no-use-colors",
        ]
        return subprocess.run(
            cmd,
            check=False,
            cwd=REPO_ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=1800,
        )

    def query(self, sql: str) -> tuple[list[str], list[tuple]]:
        """Column names and rows of `sql`, read-only."""
        con = duckdb.connect(str(self.db_path), read_only=True)
        try:
            result = con.execute(sql)
            columns = [d[0] for d in result.description]
            return columns, result.fetchall()
        finally:
            con.close()

    def require(self, *models: str) -> None:
        """Fail (with dbt's error) unless every model in `models` built."""
        missing = [m for m in models if m not in self.built]
        if missing:
            lines = [f"models needed by this test did not build on tiny data: {missing}"]
            for name, message in self.failed.items():
                lines.append(f"  failed: {name}: {message.strip()[:800]}")
            if self.skipped:
                lines.append(f"  skipped (upstream failure): {sorted(self.skipped)}")
            pytest.fail("\n".join(lines))


def _read_run_results(wh: TinyWarehouse) -> None:
    results = json.loads((wh.target_dir / "run_results.json").read_text())
    for row in results["results"]:
        unique_id: str = row["unique_id"]
        if not unique_id.startswith("model."):
            continue
        name = unique_id.split(".")[-1]
        if row["status"] == "success":
            wh.built.add(name)
        elif row["status"] == "skipped":
            wh.skipped.add(name)
        else:
            wh.failed[name] = row.get("message") or row["status"]


@pytest.fixture(scope="session")
def tiny_warehouse(tiny_data: Path, tmp_path_factory) -> TinyWarehouse:
    """The whole DAG run (`dbt run`) on tiny data, in a tmp warehouse."""
    work_dir = tmp_path_factory.mktemp("tiny_warehouse")
    env = dbt_env(tiny_data, work_dir)
    # never overwrite the repository's warehouse/submission.csv
    env["HM_SUBMISSION_PATH"] = str(work_dir / "submission.csv")
    wh = TinyWarehouse(data_dir=tiny_data, work_dir=work_dir, env=env)
    started = time.monotonic()
    seed = wh.dbt("seed")  # the registry seeds the models read
    if seed.returncode != 0:
        pytest.fail(f"dbt seed on tiny data failed:\n{seed.stdout[-4000:]}{seed.stderr}")
    run = wh.dbt("run")
    wh.timings["dbt run"] = time.monotonic() - started
    (work_dir / "dbt_run.out").write_text(run.stdout + run.stderr)
    if not (wh.target_dir / "run_results.json").exists():
        pytest.fail(f"dbt run on tiny data did not start:\n{run.stdout[-4000:]}{run.stderr}")
    _read_run_results(wh)
    (work_dir / "dbt_run_summary.json").write_text(
        json.dumps(
            {
                "built": sorted(wh.built),
                "failed": wh.failed,
                "skipped": sorted(wh.skipped),
                "seconds": wh.timings["dbt run"],
            },
            indent=2,
        )
    )
    if not wh.built:
        pytest.fail(f"dbt run on tiny data built no model:\n{run.stdout[-4000:]}")
    return wh


@pytest.fixture(scope="session")
def tiny_docs(tiny_warehouse: TinyWarehouse) -> TinyWarehouse:
    """tiny_warehouse plus its dbt docs site (`dbt docs generate --static`)."""
    started = time.monotonic()
    docs = tiny_warehouse.dbt("docs", "generate", "--static")
    tiny_warehouse.timings["dbt docs generate"] = time.monotonic() - started
    target = tiny_warehouse.target_dir
    missing = [
        name
        for name in ("index.html", "static_index.html", "manifest.json", "catalog.json")
        if not (target / name).exists()
    ]
    if docs.returncode != 0 or missing:
        pytest.fail(
            f"dbt docs generate failed (rc={docs.returncode}, missing {missing}):\n"
            f"{docs.stdout[-4000:]}{docs.stderr}"
        )
    return tiny_warehouse
