"""The Spark jobs of `hm-warehouse build --engine spark` (hm_warehouse.spark_build).

Each job builds the table of one dbt Python model (or the csv of the
external submission_csv model) on the `spark` target, under the model's own
name, from the tables the earlier dbt waves built:

- cand_als: Spark ML ALS (implicit preferences) on the same time-decayed
  purchase weights and fit schedule as hm_warehouse.als, its top N fresh
  articles per target customer scored in mapInPandas (top_n_scores);
- ranker_scores: the ranker_models boosters applied with mapInArrow (the
  Arrow form of mapInPandas: the project scores Arrow batches, no pandas
  copy) over the ABT rows partitioned by customer, each customer-week's
  best `ranker_keep_top` ranked by a Spark window;
- submission_csv: the submission table written as the Kaggle csv;
- every other Python model: its own `model(dbt, session)` run unchanged on
  the driver, its refs DuckDB relations over the Spark tables' Parquet
  files (DriverModel), its result saved as a Spark table. These are small
  (segments, content vectors, the probability models, the ranker's
  training on the ABTs): on a cluster they would be the first to move.

A result is written as Parquet by pyarrow into a scratch directory, then
saved by Spark as the model's table (so the JVM never holds it in the driver).
"""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import reduce
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from .ranker import KEYS, as_table

# ------------------------------------------------------------- pure helpers


def top_n_scores(user_ids: np.ndarray, user_factors: np.ndarray, item_ids: np.ndarray,
                 item_factors: np.ndarray, n: int, batch: int = 2048) -> dict[str, np.ndarray]:
    """Each user's n best items by factor dot product (ties by item id),
    the arrays of the ALS candidates: customer_key, article_key, score and
    source_rank (1 = best). `item_ids` may come in any order."""
    n = min(int(n), len(item_ids))
    order = np.argsort(item_ids, kind="stable")  # ties by item id: sort items once
    item_ids, item_factors = np.asarray(item_ids)[order], np.asarray(item_factors)[order]
    users, items, scores = [], [], []
    for s in range(0, len(user_ids), batch):
        u = np.asarray(user_factors[s:s + batch], dtype=np.float32)
        if n == 0 or len(u) == 0:
            continue
        score = u @ item_factors.T.astype(np.float32)
        # lexsort keys: item position (ascending) breaks ties of -score
        best = np.argsort(-score, axis=1, kind="stable")[:, :n]
        users.append(np.repeat(np.asarray(user_ids[s:s + batch]), n))
        items.append(item_ids[best].ravel())
        scores.append(np.take_along_axis(score, best, axis=1).ravel())
    if not users:
        empty = np.empty(0, dtype=np.int64)
        return {"customer_key": empty, "article_key": empty,
                "score": np.empty(0, dtype=np.float64), "source_rank": empty}
    user = np.concatenate(users)
    return {"customer_key": user, "article_key": np.concatenate(items),
            "score": np.concatenate(scores).astype(np.float64),
            "source_rank": np.tile(np.arange(1, n + 1, dtype=np.int64), len(user) // n)}


def model_result_table(result: Any) -> pa.Table:
    """The Arrow table of what a dbt Python model returns: a pandas frame,
    an Arrow table or reader, or a DuckDB relation."""
    if hasattr(result, "arrow") and not isinstance(result, pa.Table):
        result = result.arrow()
    return as_table(result)


# ------------------------------------------------------------ the context


@dataclass
class JobContext:
    """What the jobs share: dbt's manifest (names, configs, files), the
    Spark session dbt-spark started in this process, a DuckDB connection
    for the driver-side models, and where the submission csv goes."""

    manifest: Any
    project_dir: Path
    submission: Path
    _duck: Any = field(default=None, init=False, repr=False)
    _spark: Any = field(default=None, init=False, repr=False)

    @property
    def spark(self):
        if self._spark is None:
            from pyspark.sql import SparkSession

            from .settings import spark_conf

            # dbt-spark's session when a dbt wave ran in this process, else the same one
            builder = SparkSession.builder.enableHiveSupport()
            for key, value in spark_conf(self.project_dir).items():
                builder = builder.config(key, value)
            self._spark = builder.getOrCreate()
            # ALS's checkpoints (checkpointInterval); Spark adds a folder per call
            self._spark.sparkContext.setCheckpointDir(str(self.scratch_dir() / "checkpoints"))
        return self._spark

    def close(self) -> None:
        """Remove the jobs' scratch files (checkpoints, staged Parquet)."""
        if self._duck is not None:
            self._duck.close()
            self._duck = None
        if self._spark is not None:
            shutil.rmtree(self.scratch_dir(), ignore_errors=True)

    def scratch_dir(self) -> Path:
        from .settings import spark_dir

        path = spark_dir(self.project_dir) / "jobs"
        path.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def duck(self):
        if self._duck is None:
            import duckdb

            from . import settings

            self._duck = duckdb.connect(config={
                "threads": settings.threads(self.project_dir),
                "memory_limit": settings.memory_limit(self.project_dir)})
        return self._duck

    def node(self, name_or_id: str):
        if name_or_id in self.manifest.nodes:
            return self.manifest.nodes[name_or_id]
        found = [n for n in self.manifest.nodes.values()
                 if n.name == name_or_id and n.resource_type.value in ("model", "seed")]
        if len(found) != 1:
            raise KeyError(f"no single model or seed named {name_or_id!r} in the manifest")
        return found[0]

    def relation(self, name: str) -> str:
        node = self.node(name)
        return f"{node.schema}.{node.alias}"

    def config(self, node) -> dict[str, Any]:
        """The model's config as dbt's `dbt.config.get` sees it (no None values)."""
        return node.config.to_dict(omit_none=True)

    def table(self, name: str):
        """A Spark DataFrame of a model's or seed's table."""
        return self.spark.table(self.relation(name))

    def files(self, name: str) -> str | None:
        """The Parquet glob of a table the Spark warehouse stores as files
        (None for a view)."""
        rows = self.spark.sql(f"describe table extended {self.relation(name)}").collect()
        info = {r[0]: r[1] for r in rows}
        if str(info.get("Type", "")).upper() == "VIEW" or not info.get("Location"):
            return None
        location = Path(unquote(urlparse(str(info["Location"])).path))
        if not location.is_dir():
            raise FileNotFoundError(f"table {self.relation(name)}: no folder {location}")
        return f"{location}/*.parquet"

    def duck_relation(self, name: str):
        """A DuckDB relation of a Spark table, read from its Parquet files
        (a view is collected through Spark)."""
        glob = self.files(name)
        # a view, or an empty table without a part file: through Spark (its schema)
        if glob is None or not any(Path(glob).parent.glob("*.parquet")):
            return self.duck.from_arrow(self.table(name).toArrow())
        return self.duck.read_parquet(glob)

    def save(self, name: str, table: pa.Table) -> int:
        """Write an Arrow table as the table of model `name` (replacing it):
        a Parquet file by pyarrow (an empty table keeps its schema), then
        saved by Spark. Returns the rows."""
        node = self.node(name)
        staging = self.scratch_dir() / f"{node.schema}.{node.alias}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        pq.write_table(table, staging / "part-0.parquet")
        self.save_frame(name, self.spark.read.parquet(str(staging)))
        shutil.rmtree(staging, ignore_errors=True)
        return table.num_rows

    def save_frame(self, name: str, frame) -> int:
        """Save a Spark DataFrame as the table of model `name`; its rows."""
        node = self.node(name)
        self.spark.sql(f"create database if not exists {node.schema}")
        frame.write.mode("overwrite").format("parquet").saveAsTable(self.relation(name))
        return self.table(name).count()


# ----------------------------------------------------------------- the jobs


class _Config:
    def __init__(self, values: dict[str, Any]):
        self._values = values

    def get(self, key: str, default: Any = None) -> Any:
        return self._values.get(key, default)


class DriverModel:
    """The `dbt` object a Python model's `model(dbt, session)` receives on
    DuckDB, served from the Spark tables: ref() is a DuckDB relation over a
    table's Parquet files, config.get() the model's config."""

    def __init__(self, context: JobContext, node):
        self._context = context
        self.config = _Config(context.config(node))
        self.this = context.relation(node.name)

    def ref(self, name: str, *args: Any, **kwargs: Any):
        return self._context.duck_relation(name)

    def source(self, *args: Any, **kwargs: Any):
        raise NotImplementedError("Python models read refs only")


def run_driver_model(context: JobContext, node) -> int:
    """A dbt Python model's own code on the driver (DriverModel); its
    result saved as the model's table."""
    path = context.project_dir / node.original_file_path
    spec = importlib.util.spec_from_file_location(f"hm_python_model_{node.name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.model(DriverModel(context, node), context.duck)
    return context.save(node.name, model_result_table(result))


def run_als(context: JobContext, node) -> int:
    """cand_als with Spark ML's ALS (implicit preferences). Per fit week of
    hm_warehouse.als.fit_schedule: ratings = the summed time-decayed weights
    of the `history_weeks` before it; the fresh articles' factors are
    broadcast and each target customer's top N scored in mapInPandas.

    Spark's ALS is not implicit's: its regularization is scaled by each
    user's and item's number of ratings (ALS-WR), its random init differs,
    so the factors and rankings differ; parity is by metric."""
    from pyspark.ml.recommendation import ALS
    from pyspark.sql import DataFrame
    from pyspark.sql import functions as F

    from .als import SCHEMA, AlsParams, fit_schedule
    from .params import from_config

    config = context.config(node)
    params = from_config(AlsParams, config["hyperparameters"])
    prediction_start = str(config["prediction_week_start"])
    spark = context.spark
    targets = context.table("spine_customer_weeks").select("customer_key", "week_index")
    weeks = sorted(r[0] for r in targets.select("week_index").distinct().collect())
    if not weeks:
        return context.save(node.name, SCHEMA.empty_table())
    first = weeks[0] - params.history_weeks
    purchases = (
        context.table("fct_transactions")
        .where(F.col("week_index") >= first)
        .select("customer_key", "article_key", "week_index",
                F.datediff(F.lit(prediction_start).cast("date"),
                           F.col("transaction_date")).alias("days_before"))
        .cache())
    schedule = fit_schedule(weeks, params.max_staleness_weeks)
    out_schema = ("customer_key int, week_index int, article_key int, source string, "
                  "score double, source_rank bigint")
    results = []
    cached = [purchases]
    for fit_week in sorted(set(schedule.values())):
        window = purchases.where((F.col("week_index") < fit_week)
                                 & (F.col("week_index") >= fit_week - params.history_weeks))
        ratings = window.groupBy("customer_key", "article_key").agg(F.sum(F.exp(
            -(F.col("days_before") + 7 * fit_week) / F.lit(float(params.decay_days))
        )).alias("rating")).cache()
        cached.append(ratings)
        if ratings.limit(1).count() == 0:
            continue
        als = ALS(rank=params.factors, maxIter=params.iterations,
                  regParam=params.regularization, alpha=params.alpha, implicitPrefs=True,
                  userCol="customer_key", itemCol="article_key", ratingCol="rating",
                  seed=params.seed, nonnegative=False, coldStartStrategy="drop",
                  numUserBlocks=4, numItemBlocks=4)
        model = als.fit(ratings)
        fresh = (window.where(F.col("week_index") >= fit_week - params.recent_weeks)
                 .select(F.col("article_key").alias("id")).distinct())
        items = model.itemFactors.join(fresh, "id", "semi").toPandas()
        item_ids = spark.sparkContext.broadcast(items["id"].to_numpy(np.int64))
        item_matrix = spark.sparkContext.broadcast(
            np.stack(items["features"].to_numpy()).astype(np.float32)
            if len(items) else np.empty((0, params.factors), np.float32))
        n = params.n
        source = params.SOURCE

        for week in [w for w, f in schedule.items() if f == fit_week]:
            wanted = (targets.where(F.col("week_index") == week)
                      .select(F.col("customer_key").alias("id")).distinct())
            users = model.userFactors.join(wanted, "id", "semi")

            # the frames run lazily, at the save: the scorer binds this week's values
            results.append(users.mapInPandas(
                _als_scorer(week, item_ids, item_matrix, n, source), out_schema))
    rows = (context.save_frame(node.name, reduce(DataFrame.unionByName, results)) if results
            else context.save(node.name, SCHEMA.empty_table()))
    for df in cached:
        df.unpersist()
    return rows


def _als_scorer(week: int, item_ids, item_matrix, n: int, source: str):
    """The mapInPandas function of one week's ALS scoring: user factor rows
    (id, features) -> the week's candidate rows (top_n_scores); the fresh
    items' ids and factors are broadcast variables."""
    import pandas as pd

    def score(frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for frame in frames:
            if frame.empty:
                continue
            top = pd.DataFrame(top_n_scores(frame["id"].to_numpy(np.int64),
                                            np.stack(frame["features"].to_numpy()),
                                            item_ids.value, item_matrix.value, n))
            top.insert(1, "week_index", week)
            top.insert(3, "source", source)
            yield top.astype({"customer_key": "int32", "week_index": "int32",
                              "article_key": "int32"})

    return score


def run_ranker_scores(context: JobContext, node) -> int:
    """ranker_scores: each ranker_models booster scores its ABT on the
    executors (mapInArrow over the rows partitioned by customer, one thread
    per task), a window keeps each customer-week's best `ranker_keep_top`
    (ties by article_key) with their rank."""
    from pyspark.sql import DataFrame, Window
    from pyspark.sql import functions as F

    from .ranker import score_batches

    config = context.config(node)
    keep = int(config["ranker_keep_top"])
    spark = context.spark
    models = context.table("ranker_models").select("booster", "features", "scores_split") \
        .collect()
    partitions = int(spark.conf.get("spark.sql.shuffle.partitions"))
    frames = []
    for row in models:
        features = row["features"].split(",")
        booster_text = spark.sparkContext.broadcast(row["booster"])
        abt = context.table(f"abt_{row['scores_split']}").select(
            *KEYS, *(F.col(c).cast("float").alias(c) for c in features))

        def score(batches, features=features, booster_text=booster_text):
            import lightgbm as lgb

            booster = lgb.Booster(model_str=booster_text.value)
            for table in score_batches(booster, batches, features, threads=1):
                yield from table.to_batches()

        scored = abt.repartition(partitions, "customer_key").mapInArrow(
            score, "customer_key int, week_index int, article_key int, score double")
        order = Window.partitionBy("week_index", "customer_key") \
            .orderBy(F.col("score").desc(), F.col("article_key"))
        frames.append(scored.withColumn("rank", F.row_number().over(order))
                      .where(F.col("rank") <= keep)
                      .withColumn("ml_split", F.lit(row["scores_split"])))
    return context.save_frame(node.name, reduce(DataFrame.unionByName, frames))


def run_submission_csv(context: JobContext, node) -> int:
    """submission_csv: the submission table as the Kaggle csv (header,
    customer_id order) at the build's staged path, and as a table for the
    model's tests (read back from the csv)."""
    rel = context.duck_relation("submission")
    context.submission.parent.mkdir(parents=True, exist_ok=True)
    rel.project("customer_id, prediction").order("customer_id").write_csv(
        str(context.submission), header=True)
    written = context.duck.read_csv(str(context.submission), header=True,
                                    dtype={"customer_id": "VARCHAR", "prediction": "VARCHAR"})
    return context.save(node.name, model_result_table(written))


JOBS = {"cand_als": run_als, "ranker_scores": run_ranker_scores,
        "submission_csv": run_submission_csv}


def run_job(context: JobContext, unique_id: str) -> int:
    """Build the table of one job node (module docstring). Returns its rows."""
    node = context.node(unique_id)
    return JOBS.get(node.name, run_driver_model)(context, node)
