"""`hm-warehouse build`: build into a private file, publish with an atomic
rename. The concurrency tests use a fake dbt (`run=`) that writes a DuckDB
file with a marker table; the slow test runs the real build on tiny data."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from hm_warehouse.publish import (
    BuildRequest,
    EvalRow,
    PublishError,
    build_lock,
    format_eval,
    publish_build,
)

REPO = Path(__file__).resolve().parents[1]
CLI = Path(sys.executable).parent / "hm-warehouse"

# A reader process: connects read-only, reads the marker, disconnects, again
# and again until the stop file appears (touching the ready file after its
# first read); prints every (version, complete) seen.
READER = """
import json, sys, time
from pathlib import Path
import duckdb
path, stop, ready = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
seen, errors = [], []
while not stop.exists():
    try:
        con = duckdb.connect(path, read_only=True)
        seen.append(list(con.execute("select version, complete from marker").fetchone()))
        con.close()
    except Exception as exc:  # a lock-out or a half-built file
        errors.append(repr(exc))
    ready.touch()
    time.sleep(0.01)
print(json.dumps({"seen": seen, "errors": errors}))
"""


def write_version(path: Path, version: int, *, complete: bool = True) -> None:
    con = duckdb.connect(str(path))
    con.execute("create or replace table marker (version integer, complete boolean)")
    con.execute("insert into marker values (?, ?)", [version, complete])
    con.close()


def fake_build(version: int, *, code: int = 0, midway: Callable[[], None] | None = None,
               ) -> Callable[[BuildRequest], int]:
    """Writes like dbt would: to HM_DUCKDB_PATH, first half-built, then complete."""

    def run(request: BuildRequest) -> int:
        path = Path(request.env["HM_DUCKDB_PATH"])
        assert path == request.warehouse and path.parent.name.startswith(".building-")
        write_version(path, version, complete=False)
        if midway is not None:
            midway()
        write_version(path, version, complete=code == 0)
        return code

    return run


def read_version(path: Path) -> tuple[int, bool]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        row = con.execute("select version, complete from marker").fetchone()
    finally:
        con.close()
    assert row is not None
    return int(row[0]), bool(row[1])


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith(".building-")
                  or p.name.endswith((".wal", ".tmp")))


@pytest.fixture()
def published(tmp_path: Path) -> Path:
    """A warehouse already published once (version 1)."""
    wh = tmp_path / "wh" / "hm.duckdb"
    result = publish_build(warehouse=wh, submission=tmp_path / "wh" / "submission.csv",
                           project_dir=tmp_path, run=fake_build(1))
    assert result.ok and read_version(wh) == (1, True)
    return wh


def test_open_reader_keeps_old_version_and_never_sees_half_built(published: Path,
                                                                 tmp_path: Path) -> None:
    stop, ready = tmp_path / "stop", tmp_path / "ready"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(published), str(stop), str(ready)],
        stdout=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not ready.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ready.exists(), "the reader process did not start"
    open_reader = duckdb.connect(str(published), read_only=True)  # opened before the build
    half_built, proceed = threading.Event(), threading.Event()

    def midway() -> None:
        half_built.set()
        assert proceed.wait(30)

    outcome: dict[str, object] = {}
    builder = threading.Thread(target=lambda: outcome.update(result=publish_build(
        warehouse=published, submission=published.with_name("submission.csv"),
        project_dir=tmp_path, run=fake_build(2, midway=midway))))
    builder.start()
    try:
        assert half_built.wait(30)
        time.sleep(0.5)  # the reader process polls while version 2 is half-built
        # (b) no lock-out: a new read-only connection from another process works now
        assert read_version_in_subprocess(published) == [1, True]
        assert open_reader.execute("select version from marker").fetchone() == (1,)
    finally:
        proceed.set()
        builder.join(30)
    assert outcome["result"].ok  # type: ignore[attr-defined]
    time.sleep(0.3)  # the reader process sees the new version too
    stop.touch()
    out, _ = reader.communicate(timeout=30)
    report = json.loads(out)

    # (a) the open connection still reads the old inode until it reconnects
    assert open_reader.execute("select version, complete from marker").fetchone() == (1, True)
    open_reader.close()
    assert read_version(published) == (2, True)
    # every poll saw a complete version, 1 then 2, and none failed
    assert report["errors"] == []
    assert all(complete for _, complete in report["seen"])
    versions = [v for v, _ in report["seen"]]
    assert versions == sorted(versions) and versions[0] == 1 and versions[-1] == 2
    assert leftovers(published.parent) == []


def read_version_in_subprocess(path: Path) -> list[object]:
    code = ("import duckdb, json, sys; con = duckdb.connect(sys.argv[1], read_only=True); "
            "print(json.dumps(list(con.execute('select version, complete from marker')"
            ".fetchone())))")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                         text=True, check=True, timeout=60)
    return json.loads(out.stdout)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_failed_build_leaves_published_file_identical(published: Path, tmp_path: Path) -> None:
    submission = published.with_name("submission.csv")
    submission.write_text("customer_id,prediction\nold,1\n")
    before, csv_before = digest(published), digest(submission)

    def failing(request: BuildRequest) -> int:
        write_version(request.warehouse, 2, complete=False)
        Path(f"{request.warehouse}.wal").write_bytes(b"junk")
        Path(f"{request.warehouse}.tmp").mkdir()
        request.submission.write_text("customer_id,prediction\nnew,2\n")
        return 1

    result = publish_build(warehouse=published, submission=submission, project_dir=tmp_path,
                           run=failing)
    assert result.returncode == 1 and not result.ok
    assert digest(published) == before and digest(submission) == csv_before
    assert leftovers(published.parent) == []


def test_crashing_runner_cleans_up(published: Path, tmp_path: Path) -> None:
    before = digest(published)

    def crashing(request: BuildRequest) -> int:
        write_version(request.warehouse, 2, complete=False)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        publish_build(warehouse=published, submission=published.with_name("s.csv"),
                      project_dir=tmp_path, run=crashing)
    assert digest(published) == before and leftovers(published.parent) == []


def test_leftovers_of_a_crashed_build_are_removed(published: Path, tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    stale = published.parent / f".building-{dead.stdout.strip()}"
    stale.mkdir()
    write_version(stale / published.name, 99, complete=False)
    (stale / f"{published.name}.tmp").mkdir()
    # the lock file of the crashed build is still there; its flock died with it
    assert (published.parent / f".{published.name}.build.lock").exists()
    result = publish_build(warehouse=published, submission=published.with_name("s.csv"),
                           project_dir=tmp_path, run=fake_build(3))
    assert result.ok and read_version(published) == (3, True)
    assert leftovers(published.parent) == []


def test_second_concurrent_build_is_refused(published: Path, tmp_path: Path) -> None:
    with build_lock(published), pytest.raises(PublishError, match="another build"):
        publish_build(warehouse=published, submission=published.with_name("s.csv"),
                      project_dir=tmp_path, run=fake_build(4))
    assert read_version(published) == (1, True)


def csv_build(customer: str) -> Callable[[BuildRequest], int]:
    """A fake build writing the submission csv and, like the external
    submission_csv model, a commented view reading it."""

    def run(request: BuildRequest) -> int:
        staged = request.env["HM_SUBMISSION_PATH"]
        con = duckdb.connect(str(request.warehouse))
        con.execute(f"copy (select '{customer}' as customer_id, '0108775015' as prediction) "
                    f"to '{staged}' (header, format csv)")
        con.execute(f"create schema ml; create view ml.submission_csv as "
                    f"(select * from read_csv('{staged}', auto_detect=True))")
        con.execute("comment on view ml.submission_csv is 'submission.csv, for Kaggle'")
        con.execute("comment on column ml.submission_csv.prediction is '12 article ids'")
        con.execute("create schema eval; create table eval.eval_strategies as "
                    "select * from (values ('ranker', 'valid', 'all', 'all', 0.03, 0.1, 0.01, "
                    "0.2, 10, 'model', 'rebuy', 0.5), ('popular_last_week', 'valid', 'all', "
                    "'all', 0.01, 0.05, 0.005, 0.1, 10, 'baseline', 'rebuy', -1.0), "
                    "('rebuy', 'valid', 'all', 'all', 0.02, 0.05, 0.005, 0.1, 10, 'baseline', "
                    "'rebuy', 0.0), ('oracle', 'valid', 'all', 'all', 0.04, 0.05, 0.005, 0.1, "
                    "10, 'oracle', 'rebuy', 1.0)) as t(strategy, eval_week, segment_type, "
                    "segment, map_at_12, recall_at_12, precision_at_12, hit_rate_at_12, "
                    "n_customers, strategy_kind, best_baseline, oracle_gap_share)")
        con.close()
        return 0

    return run


def test_submission_csv_and_its_view_are_published(tmp_path: Path) -> None:
    wh, submission = tmp_path / "hm.duckdb", tmp_path / "out" / "submission.csv"
    result = publish_build(warehouse=wh, submission=submission, project_dir=tmp_path,
                           run=csv_build("c1"))
    assert result.ok and result.submission == submission.resolve()
    assert submission.read_text().splitlines() == ["customer_id,prediction", "c1,0108775015"]
    con = duckdb.connect(str(wh), read_only=True)
    assert con.execute("select * from ml.submission_csv").fetchall() == [("c1", "0108775015")]
    # the published warehouse holds the rows and the docs, and reads no file
    assert con.execute("select comment from duckdb_tables() where table_name = "
                       "'submission_csv'").fetchall() == [("submission.csv, for Kaggle",)]
    assert con.execute("select comment from duckdb_columns() where table_name = "
                       "'submission_csv' and column_name = 'prediction'").fetchall() == [
        ("12 article ids",)]
    assert con.execute("select count(*) from duckdb_views() where not internal").fetchall() \
        == [(0,)]
    con.close()
    assert [r.strategy for r in result.eval_rows] == [
        "oracle", "ranker", "rebuy", "popular_last_week"]
    text = format_eval(result.eval_rows)
    # stated against the strongest baseline (rebuy), never the weaker popular list
    assert "ranker = 1.50x the best baseline (rebuy 0.02000)" in text
    assert "50% of the gap from it to the oracle (0.04000)" in text
    assert leftovers(tmp_path) == [] and leftovers(submission.parent) == []


def test_a_reader_of_the_old_warehouse_keeps_its_own_submission(tmp_path: Path) -> None:
    """Before: the published view read submission.csv by path, so a
    connection opened before a build saw the new build's csv beside the old
    build's tables, and moving the csv broke the warehouse."""
    wh, submission = tmp_path / "hm.duckdb", tmp_path / "out" / "submission.csv"
    assert publish_build(warehouse=wh, submission=submission, project_dir=tmp_path,
                         run=csv_build("c1")).ok
    reader = duckdb.connect(str(wh), read_only=True)
    assert publish_build(warehouse=wh, submission=submission, project_dir=tmp_path,
                         run=csv_build("c2")).ok
    assert "c2,0108775015" in submission.read_text()
    assert reader.execute("select customer_id from ml.submission_csv").fetchall() == [("c1",)]
    reader.close()
    submission.rename(tmp_path / "moved.csv")
    con = duckdb.connect(str(wh), read_only=True)
    assert con.execute("select customer_id from ml.submission_csv").fetchall() == [("c2",)]
    con.close()


def test_format_eval_without_baselines() -> None:
    rows = [EvalRow("als", "valid", 0.02, 0.1, 0.01, 0.2, 5)]
    text = format_eval(rows)
    assert "als" in text and "best model:" not in text
    assert format_eval([]) == ""


def test_cli_build_help() -> None:
    out = subprocess.run([str(CLI), "build", "--help"], check=False, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0
    assert "--warehouse" in out.stdout and "--data-dir" in out.stdout


# ------------------------------------------------------------------ end to end

def csv_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.slow
def test_real_build_publishes_warehouse_submission_and_eval(tiny_data: Path,
                                                            tmp_path: Path) -> None:
    wh, submission = tmp_path / "wh.duckdb", tmp_path / "submission.csv"
    env = {k: v for k, v in os.environ.items() if not k.startswith("HM_")}
    env["DBT_PROFILES_DIR"] = str(REPO)
    started = time.monotonic()
    out = subprocess.run(
        [str(CLI), "build", "--data-dir", str(tiny_data), "--warehouse", str(wh),
         "--submission", str(submission), "--",
         "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")],
        check=False, cwd=REPO, env=env, capture_output=True, text=True, timeout=1800,
    )
    print(f"tiny build: {time.monotonic() - started:.0f}s")
    assert out.returncode == 0, out.stdout[-5000:] + out.stderr[-5000:]
    assert f"published warehouse: {wh}" in out.stdout
    assert leftovers(tmp_path) == []

    expected = [r["customer_id"] for r in csv_rows(tiny_data / "sample_submission.csv")]
    articles = {r["article_id"].zfill(10) for r in csv_rows(tiny_data / "articles.csv")}
    con = duckdb.connect(str(wh), read_only=True)
    try:
        rows = con.execute("select customer_id, prediction from ml.submission").fetchall()
        strategies = {s for (s,) in con.execute(
            "select distinct strategy from eval.eval_strategies where eval_week = 'valid'"
        ).fetchall()}
    finally:
        con.close()
    assert len(rows) == len(expected) and {c for c, _ in rows} == set(expected)
    for _, prediction in rows:
        ids = prediction.split(" ")
        assert len(ids) == 12 and len(set(ids)) == 12
        assert all(len(i) == 10 and i.isdigit() and i in articles for i in ids)
    assert {"popular_last_week", "own_recent_then_popular", "als", "ranker"} <= strategies

    with open(submission, newline="") as handle:
        header = handle.readline().strip()
    assert header == "customer_id,prediction"
    assert len(csv_rows(submission)) == len(expected)

    # the published file holds everything its readers see: a copy under
    # another name, away from the data and the csv, reads every view
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copyfile(wh, elsewhere / "copied_warehouse.duckdb")
    con = duckdb.connect(str(elsewhere / "copied_warehouse.duckdb"), read_only=True)
    try:
        views = con.execute("select schema_name, view_name from duckdb_views() "
                            "where not internal").fetchall()
        counts = {f"{s}.{v}": con.execute(f'select count(*) from "{s}"."{v}"').fetchone()[0]
                  for s, v in views}
    finally:
        con.close()
    assert "staging.stg_hm__transactions" in counts and all(counts.values()), counts
