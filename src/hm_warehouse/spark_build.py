"""The Spark engine: `hm-warehouse build --engine spark` (issue 18).

dbt-spark runs Python models only on Databricks clusters (`job_cluster`,
`all_purpose_cluster`), not in session mode, so on the `spark` target the
DAG is split: dbt builds the SQL nodes in waves, and between two waves the
CLI runs each Python model whose inputs are built as a Spark job in the same
process and Spark session (dbt-spark's session lives on in the process; the
embedded Derby metastore admits one JVM at a time). A job writes the table
the model would have written, under the same name, so the next wave's SQL
reads it through its `ref()` unchanged, and the model's tests run in that
wave. The waves come from dbt's own manifest (plan_waves), so a new Python
model needs no change here.

The jobs (hm_warehouse.spark_jobs): Spark ML ALS for cand_als, the LightGBM
ranker applied with mapInArrow over the candidates partitioned by customer
for ranker_scores, the submission csv from the submission table, and every
other Python model run unchanged on the driver over its inputs read from the
tables' Parquet files (the same function the DuckDB build runs).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .publish import SELECTION_FLAGS

BUILT_TYPES = ("model", "seed", "snapshot")
CHECK_TYPES = ("test", "unit_test")


@dataclass(frozen=True)
class Node:
    """One node of dbt's manifest, as the wave plan needs it."""

    unique_id: str
    name: str
    resource_type: str
    parents: tuple[str, ...]
    job: bool = False  # built by a Spark job, not by dbt
    fqn: tuple[str, ...] = ()


@dataclass
class Wave:
    """One dbt invocation (its selection: SQL nodes and the checks whose
    parents are built by then), then the jobs that become ready."""

    dbt_nodes: list[str] = field(default_factory=list)
    jobs: list[str] = field(default_factory=list)


def plan_waves(nodes: Mapping[str, Node]) -> list[Wave]:
    """Split the DAG into waves of dbt nodes and jobs, in dependency order.

    A wave's dbt part is every SQL node (not a job) whose parents are built
    or in the same wave, with every test and unit test whose parents are
    built by the end of it; its jobs are then every job whose parents are
    built (a job may feed another: both run, in order). Parents that are not
    built nodes (sources, macros, disabled nodes) count as present. Raises
    ValueError when a node can never be built (a cycle)."""
    built_ids = {uid for uid, n in nodes.items() if n.resource_type in BUILT_TYPES}
    order = sorted(nodes)  # stable plans: same manifest, same waves
    done: set[str] = set()
    checked: set[str] = set()
    waves: list[Wave] = []

    def ready(node: Node, present: set[str]) -> bool:
        return all(p in present or p not in built_ids for p in node.parents)

    while True:
        wave = Wave()
        present = set(done)
        grew = True
        while grew:
            grew = False
            for uid in order:
                node = nodes[uid]
                if uid in built_ids and uid not in present and not node.job and ready(node, present):
                    present.add(uid)
                    wave.dbt_nodes.append(uid)
                    grew = True
        for uid in order:
            node = nodes[uid]
            if node.resource_type in CHECK_TYPES and uid not in checked and ready(node, present):
                checked.add(uid)
                wave.dbt_nodes.append(uid)
        grew = True
        while grew:
            grew = False
            for uid in order:
                node = nodes[uid]
                if node.job and uid not in present and ready(node, present):
                    present.add(uid)
                    wave.jobs.append(uid)
                    grew = True
        done = present
        if not wave.dbt_nodes and not wave.jobs:
            break
        waves.append(wave)
    stuck = sorted(uid for uid in built_ids if uid not in done)
    if stuck:
        raise ValueError(f"these nodes wait on each other and can never be built: {stuck}")
    return waves


def selection(nodes: Mapping[str, Node], unique_ids: Iterable[str]) -> list[str]:
    """dbt `--select` arguments naming exactly these nodes (run with
    `--indirect-selection empty`, so no other test is added)."""
    return [f"fqn:{'.'.join(nodes[uid].fqn or (nodes[uid].name,))}" for uid in unique_ids]


def is_job(node: Any) -> bool:
    """A manifest node the Spark build runs as a job: a Python model, or a
    model materialized as a file (dbt-duckdb's `external`: the csv)."""
    return getattr(node.resource_type, "value", node.resource_type) == "model" and (
        getattr(node.language, "value", node.language) == "python"
        or node.config.materialized == "external")


def manifest_nodes(manifest: Any) -> dict[str, Node]:
    """Enabled models, seeds, snapshots, tests and unit tests of a dbt
    Manifest object, as plan_waves reads them."""
    nodes: dict[str, Node] = {}
    for uid, node in [*manifest.nodes.items(), *manifest.unit_tests.items()]:
        kind = getattr(node.resource_type, "value", node.resource_type)
        if kind not in (*BUILT_TYPES, *CHECK_TYPES):
            continue
        if not getattr(node.config, "enabled", True):
            continue  # the tests of a disabled model (ranker_ablation): dbt skips them too
        nodes[uid] = Node(uid, node.name, kind, tuple(getattr(node.depends_on, "nodes", ())),
                          job=is_job(node), fqn=tuple(node.fqn))
    return nodes


# ------------------------------------------------------------------ the build


@dataclass
class SparkBuildResult:
    returncode: int
    seconds: dict[str, float]  # per dbt wave and per job
    submission: Path | None = None
    failed: str | None = None
    evaluation: str = ""  # eval_strategies as the DuckDB build prints it


def _dbt(args: Sequence[str]) -> Any:
    from dbt.cli.main import dbtRunner

    return dbtRunner().invoke(list(args))


def run_spark_build(*, project_dir: Path, data_dir: Path, submission: Path,
                    dbt_args: Sequence[str] = (), from_step: str | None = None,
                    log: Callable[[str], None] = print) -> SparkBuildResult:
    """Build the whole DAG on the `spark` target: dbt waves and Spark jobs
    (module docstring). dbt runs in this process (dbtRunner), so the jobs
    use the Spark session dbt-spark started. The submission csv is written
    to a temporary file beside `submission` and moved over it at the end.
    `from_step` (`wave-N` or a job's model name) resumes a stopped build:
    the steps before it are skipped, their tables as the last build left them."""
    from . import spark_jobs
    from .settings import spark_dir

    chosen = [arg for arg in dbt_args if arg.split("=", 1)[0] in SELECTION_FLAGS]
    if chosen:  # each wave selects its own nodes: a selection would drop planned ones
        return SparkBuildResult(2, {}, failed=f"dbt arguments {chosen}: the Spark build "
                                "plans the whole DAG (no selection)")
    os.environ["HM_DATA_DIR"] = str(data_dir)
    # one folder whatever the working directory (dbt and Spark resolve relative paths from it)
    os.environ["HM_SPARK_DIR"] = str((project_dir / spark_dir(project_dir)).resolve())
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # the executors' Python
    common = ["--target", "spark", "--project-dir", str(project_dir),
              "--profiles-dir", os.environ.get("DBT_PROFILES_DIR", str(project_dir))]
    parsed = _dbt(["parse", *common, *parse_args(dbt_args)])
    common += list(dbt_args)
    if not parsed.success:
        return SparkBuildResult(1, {}, failed=f"dbt parse: {parsed.exception}")
    manifest = parsed.result
    nodes = manifest_nodes(manifest)
    waves = plan_waves(nodes)
    seconds: dict[str, float] = {}
    target = _target_path(project_dir, dbt_args)
    jobs_file = target / SPARK_JOBS_FILE
    # a resumed build adds to the stopped one's job timings
    jobs_log: list[dict[str, Any]] = (json.loads(jobs_file.read_text())
                                      if from_step and jobs_file.exists() else [])
    staged = submission.with_name(f".{submission.name}.{os.getpid()}.tmp")
    context = spark_jobs.JobContext(manifest=manifest, project_dir=project_dir,
                                    submission=staged)
    steps = [f"wave-{i}" for i in range(1, len(waves) + 1)] + [
        nodes[uid].name for wave in waves for uid in wave.jobs]
    if from_step is not None and from_step not in steps:
        return SparkBuildResult(2, {}, failed=f"--from-step {from_step}: not one of {steps}")
    skipping = from_step is not None

    def skip(step: str) -> bool:
        nonlocal skipping
        skipping = skipping and step != from_step
        return skipping

    try:
        for i, wave in enumerate(waves, start=1):
            if wave.dbt_nodes and not skip(f"wave-{i}"):
                log(f"[spark] wave-{i}: dbt build of {len(wave.dbt_nodes)} nodes")
                started = time.monotonic()
                (target / "run_results.json").unlink(missing_ok=True)
                run = _dbt(["build", *common, "--indirect-selection", "empty",
                            "--select", *selection(nodes, wave.dbt_nodes)])
                seconds[f"dbt wave {i}"] = time.monotonic() - started
                # each wave's run_results.json kept (the next wave overwrites it): the
                # benchmark's per-layer figures read them (hm_warehouse.bench.engines)
                if (target / "run_results.json").exists():
                    shutil.copyfile(target / "run_results.json",
                                    target / f"run_results_wave-{i}.json")
                if not run.success:
                    return SparkBuildResult(1, seconds, failed=f"dbt wave {i}")
                # every planned node ran, and no other (hooks are not planned)
                ran = {r.node.unique_id for r in getattr(run.result, "results", [])
                       if r.node.unique_id in nodes}
                if ran != set(wave.dbt_nodes):
                    return SparkBuildResult(1, seconds, failed=(
                        f"dbt wave {i} built other nodes than planned: missing "
                        f"{sorted(set(wave.dbt_nodes) - ran)[:5]}, extra "
                        f"{sorted(ran - set(wave.dbt_nodes))[:5]}"))
            for uid in wave.jobs:
                name = nodes[uid].name
                if skip(name):
                    continue
                log(f"[spark] wave-{i}: job {name}")
                started, started_at = time.monotonic(), time.time()
                rows = spark_jobs.run_job(context, uid)
                seconds[f"job {name}"] = time.monotonic() - started
                node = manifest.nodes[uid]
                jobs_log.append({"unique_id": uid, "name": name, "rows": rows,
                                 "path": node.original_file_path, "started": started_at,
                                 "completed": time.time(), "seconds": seconds[f"job {name}"]})
                jobs_file.write_text(json.dumps(jobs_log, indent=2))
        written = None
        if staged.exists():
            staged.replace(submission)
            written = submission
        try:
            evaluation = _evaluation(context)
        except Exception as exc:  # noqa: BLE001  (Spark, DuckDB, IO: the build is done, say so)
            evaluation = f"warning: cannot read eval_strategies: {exc}"
        return SparkBuildResult(0, seconds, submission=written, evaluation=evaluation)
    finally:
        staged.unlink(missing_ok=True)
        context.close()


SPARK_JOBS_FILE = "spark_jobs.json"  # the jobs' timings, in the target path


# dbt flags `dbt parse` takes too (with their values): the build's others
# (--fail-fast, --full-refresh, ...) are for `dbt build` only
PARSE_FLAGS = frozenset({"--target-path", "--log-path", "--vars", "--no-use-colors",
                         "--use-colors", "--no-partial-parse", "--debug", "--quiet", "-q"})
VALUED_FLAGS = frozenset({"--target-path", "--log-path", "--vars"})


def parse_args(dbt_args: Sequence[str]) -> list[str]:
    """The part of the build's dbt arguments that `dbt parse` accepts."""
    out, args = [], list(dbt_args)
    for i, arg in enumerate(args):
        flag = arg.split("=", 1)[0]
        if flag in PARSE_FLAGS:
            out.append(arg)
            if flag in VALUED_FLAGS and "=" not in arg and i + 1 < len(args):
                out.append(args[i + 1])
    return out


def _target_path(project_dir: Path, dbt_args: Sequence[str]) -> Path:
    """dbt's target path: --target-path among the dbt arguments, else
    $DBT_TARGET_PATH, else the project's target/."""
    args = list(dbt_args)
    path = Path(os.environ.get("DBT_TARGET_PATH", "target"))
    for i, arg in enumerate(args):
        if arg.startswith("--target-path="):
            path = Path(arg.split("=", 1)[1])
        elif arg == "--target-path" and i + 1 < len(args):
            path = Path(args[i + 1])
    return path if path.is_absolute() else project_dir / path


def _evaluation(context) -> str:
    """eval_strategies of the Spark build, formatted as the DuckDB build
    prints it (read from its Parquet files through DuckDB)."""
    from .publish import EVAL_TABLE, format_eval, read_eval_rows

    schema, table = EVAL_TABLE.split(".")
    try:
        relation = context.duck_relation(table)
    except KeyError:  # no eval model in this project
        return ""
    con = context.duck
    con.execute(f"create schema if not exists {schema}")
    relation.create_view("hm_spark_eval", replace=True)
    con.execute(f"create or replace table {EVAL_TABLE} as select * from hm_spark_eval")
    return format_eval(read_eval_rows(con))


def format_seconds(seconds: Mapping[str, float]) -> str:
    total = sum(seconds.values())
    lines = [f"  {name:<40} {s:8.1f} s" for name, s in seconds.items()]
    return "\n".join([*lines, f"  {'total':<40} {total:8.1f} s"])


def main_build(*, project_dir: Path, data_dir: Path, submission: Path,
               dbt_args: Sequence[str], from_step: str | None = None) -> int:
    """The CLI's `build --engine spark`: runs, then says how long each step took."""
    result = run_spark_build(project_dir=project_dir, data_dir=data_dir,
                             submission=submission, dbt_args=dbt_args, from_step=from_step)
    if result.seconds:
        print(format_seconds(result.seconds))
    if result.evaluation:
        print(result.evaluation)
    if result.returncode:
        print(f"error: the Spark build stopped at {result.failed}", file=sys.stderr)
    elif result.submission:
        print(f"wrote {result.submission}")
    return result.returncode
