"""Build the warehouse into a new DuckDB file, then publish it atomically.

A DuckDB file has one writer, so `dbt build` never writes the published
warehouse. It builds into a private staging directory next to it,
`<dir>/.building-<pid>/<name>.duckdb` (same file name, so the same catalog
name, so views that name it keep working), and only when dbt succeeds:

1. the new file is opened once more: a view that reads the staged submission
   csv (the external `ml.submission_csv` model) becomes a table of the rows
   it reads, with its comments, so the published warehouse reads no file
   (it stays consistent when the csv is replaced, moved or deleted, and a
   copy of it works anywhere); the evaluation table is read, a checkpoint
   leaves no write-ahead log, and the connection is closed;
2. the file is fsynced and `os.replace`d onto the published path: the one
   step in which readers of the warehouse see all of the new build;
3. the submission csv, written to `<csv dir>/.building-<pid>/<name>.csv`, is
   moved onto its published path the same way (a second file, for upload:
   it holds the rows of the new warehouse's ml.submission_csv).

A rename is atomic on one file system: a reader opening the path gets either
the old file or the new one, never a half-built one, and connections opened
before the swap keep reading the old inode until they reconnect. A failed
build removes its staging directories and leaves the published files as they
were. One build per published file runs at a time (an `flock` on a lock file,
released by the kernel when a build dies, so a stale lock file is harmless);
staging directories of builds whose process is gone are removed first.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal

import duckdb

EVAL_TABLE = "eval.eval_strategies"
SELECTION_FLAGS = frozenset(
    {"-s", "--select", "-m", "--models", "--model", "--exclude", "--selector",
     "--resource-type", "--resource-types"}
)
_STAGING_DIR = re.compile(r"^\.building-(\d+)$")

StartFrom = Literal["auto", "empty", "published"]


class PublishError(RuntimeError):
    """The build cannot start or its result cannot be published."""


@dataclass(frozen=True)
class BuildRequest:
    """What the dbt runner must build: everything points at staging paths."""

    project_dir: Path
    warehouse: Path
    submission: Path
    env: dict[str, str]
    dbt_args: tuple[str, ...]


Runner = Callable[[BuildRequest], int]


@dataclass(frozen=True)
class EvalRow:
    strategy: str
    eval_week: str
    map_at_12: float
    recall_at_12: float
    precision_at_12: float
    hit_rate_at_12: float
    n_customers: int
    strategy_kind: str = ""
    best_baseline: str = ""
    oracle_gap_share: float | None = None


@dataclass
class BuildResult:
    returncode: int
    warehouse: Path
    submission: Path | None
    seconds: float
    eval_rows: list[EvalRow] = field(default_factory=list)
    submission_rebuilt: bool = False

    @property
    def ok(self) -> bool:
        return self.returncode == 0


# ---------------------------------------------------------------- running dbt

def dbt_executable() -> str:
    """The dbt next to this interpreter (the project venv), else the one on PATH."""
    local = Path(sys.executable).parent / "dbt"
    if local.exists():
        return str(local)
    found = shutil.which("dbt")
    if found is None:
        raise PublishError("dbt not found: run `make setup` first")
    return found


def run_dbt(request: BuildRequest) -> int:
    """`dbt build` in a child process: when it exits, all its connections are closed."""
    command = [dbt_executable(), "build", *request.dbt_args]
    with subprocess.Popen(command, cwd=request.project_dir, env=request.env) as proc:
        try:
            return proc.wait()
        except BaseException:  # Ctrl-C / SIGTERM: stop dbt before the cleanup
            proc.terminate()
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
            raise


# ------------------------------------------------------------- paths & locks

def staging_dir(published: Path, pid: int) -> Path:
    return published.parent / f".building-{pid}"


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_staging(directory: Path) -> list[Path]:
    """Remove staging directories left by builds whose process is gone."""
    removed: list[Path] = []
    if not directory.is_dir():
        return removed
    for entry in directory.iterdir():
        match = _STAGING_DIR.match(entry.name)
        if match and entry.is_dir() and not _pid_alive(int(match.group(1))):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


@contextlib.contextmanager
def build_lock(published: Path) -> Iterator[None]:
    """Exclusive, non-blocking: a second build of the same file fails fast."""
    lock_path = published.parent / f".{published.name}.build.lock"
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PublishError(
                f"another build of {published} is running ({_lock_owner(handle)})"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _lock_owner(handle: IO[str]) -> str:
    handle.seek(0)
    pid = handle.read().strip()
    return f"pid {pid}" if pid else "unknown pid"


def checkpoint_published_wal(published: Path) -> None:
    """A write-ahead log next to the published file belongs to its current
    inode; after the swap it would be replayed into the new file. Fold it in
    first, or refuse when someone has the file open for writing."""
    wal = Path(f"{published}.wal")
    if not wal.exists():
        return
    try:
        duckdb.connect(str(published)).close()
    except duckdb.Error as exc:
        raise PublishError(
            f"{wal} exists and {published} is in use ({exc}); readers should connect "
            "with read_only=True. Close the writer and build again."
        ) from exc
    if wal.exists():
        raise PublishError(f"could not checkpoint {wal}")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_replace(source: Path, target: Path) -> None:
    """Durable atomic rename: the data, then the name."""
    _fsync(source)
    os.replace(source, target)
    _fsync(target.parent)


# --------------------------------------------------------------- finalising

def _sql_literal(text: str) -> str:
    return text.replace("'", "''")


def materialise_file_views(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    """Turn each view whose SQL reads `path` into a table of its rows, with
    the view's table and column comments: the warehouse then holds the rows
    itself instead of reading a file that is swapped separately."""
    rows = con.execute(
        "select schema_name, view_name, comment from duckdb_views() "
        "where not internal and contains(sql, ?)",
        [_sql_literal(str(path))],
    ).fetchall()
    moved = []
    for schema, name, comment in rows:
        columns = con.execute(
            "select column_name, comment from duckdb_columns() "
            "where schema_name = ? and table_name = ? and comment is not null",
            [schema, name],
        ).fetchall()
        view, staged = f'"{schema}"."{name}"', f'"{schema}"."{name}__hm_rows"'
        con.execute(f"create table {staged} as select * from {view}")
        con.execute(f"drop view {view}")
        con.execute(f'alter table {staged} rename to "{name}"')
        if comment:
            con.execute(f"comment on table {view} is '{_sql_literal(comment)}'")
        for column, text in columns:
            con.execute(f'comment on column {view}."{column}" is \'{_sql_literal(text)}\'')
        moved.append(f"{schema}.{name}")
    return moved


def read_eval_rows(con: duckdb.DuckDBPyConnection) -> list[EvalRow]:
    """`segment_type = 'all'` rows of eval.eval_strategies; none when the table
    is not (yet) in this build."""
    schema, table = EVAL_TABLE.split(".")
    exists = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    if not exists or not exists[0]:
        return []
    try:
        rows = con.execute(
            f"select strategy, eval_week, map_at_12, recall_at_12, precision_at_12, "
            f"hit_rate_at_12, n_customers, strategy_kind, best_baseline, oracle_gap_share "
            f"from {EVAL_TABLE} where segment_type = 'all' "
            f"order by eval_week, map_at_12 desc nulls last, strategy"
        ).fetchall()
    except duckdb.Error as exc:
        print(f"warning: cannot read {EVAL_TABLE}: {exc}", file=sys.stderr)
        return []
    return [
        EvalRow(str(s), str(w), float(m or 0), float(r or 0), float(p or 0), float(h or 0),
                int(n or 0), str(kind or ""), str(best or ""),
                None if gap is None else float(gap))
        for s, w, m, r, p, h, n, kind, best, gap in rows
    ]


def finalise(built: Path, staged_csv: Path | None) -> list[EvalRow]:
    """Last write to the new file: csv views to tables, read the evaluation,
    checkpoint."""
    con = duckdb.connect(str(built))
    try:
        if staged_csv is not None:
            materialise_file_views(con, staged_csv)
        rows = read_eval_rows(con)
        con.execute("checkpoint")
    finally:
        con.close()
    if Path(f"{built}.wal").exists():
        raise PublishError(f"{built}.wal still exists after the checkpoint")
    return rows


# ------------------------------------------------------------------ the build

def has_selection(dbt_args: Sequence[str]) -> bool:
    return any(arg.split("=", 1)[0] in SELECTION_FLAGS for arg in dbt_args)


def build_env(base: dict[str, str], *, project_dir: Path, warehouse: Path, submission: Path,
              data_dir: Path | None) -> dict[str, str]:
    env = dict(base)
    env["HM_DUCKDB_PATH"] = str(warehouse)
    env["HM_SUBMISSION_PATH"] = str(submission)
    if data_dir is not None:
        env["HM_DATA_DIR"] = str(data_dir)
    env.setdefault("DBT_PROFILES_DIR", str(project_dir))
    return env


def _seed_from_published(published: Path, built: Path, start_from: StartFrom,
                         dbt_args: Sequence[str]) -> None:
    """A selective build (`--select ...`) updates a copy of the published file;
    a full build starts from an empty file."""
    wanted = start_from == "published" or (start_from == "auto" and has_selection(dbt_args))
    if wanted and published.exists():
        shutil.copyfile(published, built)


def publish_build(
    *,
    warehouse: Path,
    submission: Path,
    data_dir: Path | None = None,
    project_dir: Path | None = None,
    dbt_args: Sequence[str] = (),
    run: Runner = run_dbt,
    start_from: StartFrom = "auto",
) -> BuildResult:
    """Build into staging paths with `run`; publish only if it returns 0."""
    started = time.monotonic()
    published, published_csv = warehouse.resolve(), submission.resolve()
    project = (project_dir or Path.cwd()).resolve()
    for directory in {published.parent, published_csv.parent}:
        directory.mkdir(parents=True, exist_ok=True)

    with build_lock(published):
        for directory in {published.parent, published_csv.parent}:
            remove_stale_staging(directory)
        checkpoint_published_wal(published)
        staging = {staging_dir(published, os.getpid()), staging_dir(published_csv, os.getpid())}
        built = staging_dir(published, os.getpid()) / published.name
        staged_csv = staging_dir(published_csv, os.getpid()) / published_csv.name
        try:
            for directory in staging:
                shutil.rmtree(directory, ignore_errors=True)
                directory.mkdir()
            _seed_from_published(published, built, start_from, dbt_args)
            env = build_env(dict(os.environ), project_dir=project, warehouse=built,
                            submission=staged_csv, data_dir=data_dir)
            request = BuildRequest(project, built, staged_csv, env, tuple(dbt_args))
            code = run(request)
            if code != 0 or not built.exists():
                return BuildResult(code or 1, published, None, time.monotonic() - started)
            return _publish(built, published, staged_csv, published_csv, started)
        finally:
            for directory in staging:
                shutil.rmtree(directory, ignore_errors=True)


def _publish(built: Path, published: Path, staged_csv: Path, published_csv: Path,
             started: float) -> BuildResult:
    checkpoint_published_wal(published)
    csv_built = staged_csv.exists()
    rows = finalise(built, staged_csv if csv_built else None)
    atomic_replace(built, published)  # readers of the warehouse: one step
    if csv_built:
        atomic_replace(staged_csv, published_csv)
    csv = published_csv if published_csv.exists() else None
    return BuildResult(0, published, csv, time.monotonic() - started, rows, csv_built)


# ----------------------------------------------------------------- reporting

def _table(rows: list[EvalRow]) -> list[str]:
    header = ("strategy", "map@12", "recall@12", "precision@12", "hit_rate@12", "customers")
    body = [
        (r.strategy, f"{r.map_at_12:.5f}", f"{r.recall_at_12:.5f}", f"{r.precision_at_12:.5f}",
         f"{r.hit_rate_at_12:.5f}", f"{r.n_customers:,}")
        for r in rows
    ]
    widths = [max(len(line[i]) for line in (header, *body)) for i in range(len(header))]

    def fmt(line: tuple[str, ...]) -> str:
        cells = [line[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(line[1:], widths[1:], strict=True)]
        return "  " + "  ".join(cells)

    return [fmt(header), *(fmt(line) for line in body)]


def _margins(rows: list[EvalRow]) -> str | None:
    """The best model against the strongest baseline of the week (never a
    weaker one) and its share of the gap to the oracle."""
    by_name = {r.strategy: r for r in rows}
    models = [r for r in rows if r.strategy_kind in ("model", "submission")]
    if not models or not rows[0].best_baseline or rows[0].best_baseline not in by_name:
        return None
    # on a tie the model itself, not the submission table it fills
    best = max(models, key=lambda r: (r.map_at_12, r.strategy_kind == "model", r.strategy))
    baseline = by_name[rows[0].best_baseline]
    if baseline.map_at_12 <= 0:
        return None
    text = (f"  best model: {best.strategy} = {best.map_at_12 / baseline.map_at_12:.2f}x the "
            f"best baseline ({baseline.strategy} {baseline.map_at_12:.5f})")
    if best.oracle_gap_share is not None:
        oracle = next(r for r in rows if r.strategy_kind == "oracle")
        text += (f"; {best.oracle_gap_share:.0%} of the gap from it to the oracle "
                 f"({oracle.map_at_12:.5f})")
    return text


def format_eval(rows: list[EvalRow]) -> str:
    """One aligned table per eval_week, best MAP@12 first, plus the best
    model against the week's strongest baseline and the oracle."""
    lines: list[str] = []
    for week in dict.fromkeys(r.eval_week for r in rows):
        week_rows = sorted((r for r in rows if r.eval_week == week),
                           key=lambda r: (-r.map_at_12, r.strategy))
        lines.append(f"evaluation, eval_week {week} (all customers who bought):")
        lines += _table(week_rows)
        margins = _margins(week_rows)
        if margins:
            lines.append(margins)
    return "\n".join(lines)


def format_result(result: BuildResult) -> str:
    if not result.ok:
        return (f"build failed (exit {result.returncode}) after {result.seconds:.0f}s; "
                f"published warehouse left unchanged: {result.warehouse}")
    lines = [
        f"build succeeded in {result.seconds:.0f}s",
        f"published warehouse: {result.warehouse}",
        f"submission csv: {result.submission or '(none)'}"
        + ("" if result.submission_rebuilt else " (not rebuilt by this build)"),
    ]
    if result.eval_rows:
        lines.append(format_eval(result.eval_rows))
    return "\n".join(lines)
