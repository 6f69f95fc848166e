"""No feature for week W uses a transaction from week W or later.

The experiment (the issue: "rebuild a fold with the later weeks removed and
compare"). The same dbt selection -- the feature models, the candidate sources but
ALS and BPR (the SQL ones, the segment popularity and the content source)
and everything upstream --
is built three times with `dbt run` on the tiny generated data (seed 42),
each into its own DuckDB file, all with the same explicit vars
(`cutoff_date` 2020-09-22 and the quarantine range
`transactions_min_date`..`transactions_max_date`, which are vars, not derived
from the data, so no calendar bound moves when rows are removed):

- FULL: the data as generated;
- REMOVED: every row of transactions_train.csv with `t_dat` in week W or
  later deleted (the issue's fold);
- SCRAMBLED: the rows after week W deleted, and every row of week W replaced
  by two rows of the same customer on another day of week W, with another
  article, another price and the other sales channel.

W = -3 (2020-09-02 .. 2020-09-08), the middle training week. Weeks run
Wednesday -> Tuesday and are numbered from the prediction week (0 = the week
after `cutoff_date`), as in macros/weeks.sql; the test checks that W's start
date in FULL's `dim_weeks` is the one computed here, and that `dim_weeks` is
identical in the three builds (the calendar did not shift).

What is compared. For each model, the rows with as-of week <= W of FULL and
of the other build, EXCEPT ALL both ways (duplicates count), doubles rounded
to 1e-9; a pair of differing rows with the same key whose doubles agree to
2e-9 (relative) is a rounding-boundary artefact of summing in another order,
not a difference. Zero differences are required, and the compared set must
not be empty. The models: those of MODELS below (and, in SCRAMBLED, the
population table spine_customer_weeks).

Populations. For training and validation weeks feat_customer_weekly and the
candidate sources score only the customers who bought in that week (only
they have labels): that population legitimately depends on week W's
transactions. In REMOVED week W has no buyers, so at as-of week W those
models are compared only for the customers REMOVED still scores that week
(its spine_customer_weeks) -- none for a training week: there, REMOVED checks
the article-grain models (whose rows do not depend on who bought) at week W
and every model at the weeks before W. SCRAMBLED keeps exactly the same
(customer, week) buyers (asserted), so every model is compared on all its
rows up to and including week W: it is the check that the features of the
customers scored in week W ignore everything they and everyone else did in
week W and after.

What this proves: for as-of week W every feature and candidate row is a
function of the transactions before week W only (nothing of week W or later
changes it, whether removed or altered). For an as-of week V < W it proves
independence from weeks >= W, not from weeks V..W-1 (those are in every
build); the SQL is the same for every as-of week (the window is relative to
`as_of_week_index`), so one W checks the rule that all weeks share.

That the comparison can fail is shown on a deliberately leaky feature (a
`<=` instead of `<`) in an in-memory DuckDB, see
test_compare_rows_catches_a_leaky_feature.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import subprocess
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from staging_helpers import DBT, REPO_ROOT, dbt_env

CUTOFF = dt.date(2020, 9, 22)
# the time vars, passed explicitly so the three builds share one calendar
VARS = {
    "cutoff_date": CUTOFF.isoformat(),
    "transactions_min_date": "2018-09-20",
    "transactions_max_date": "2020-09-22",
}
N_TRAIN_WEEKS = 4  # dbt var n_train_weeks: the training weeks are -5 .. -2
W = -3  # a training week

# model -> (schema, key columns, as-of week column, scored-customer population?)
MODELS: dict[str, tuple[str, tuple[str, ...], str, bool]] = {
    "feat_customer_weekly": (
        "features", ("customer_key", "as_of_week_index"), "as_of_week_index", True),
    "feat_article_weekly": (
        "features", ("article_key", "as_of_week_index"), "as_of_week_index", False),
    # only the customers scored that week (issue 17: whole-history re-buys)
    "feat_customer_article_weekly": (
        "features", ("customer_key", "article_key", "as_of_week_index"), "as_of_week_index",
        True),
    "feat_article_age_bucket_weekly": (
        "features", ("article_key", "age_bucket", "as_of_week_index"), "as_of_week_index",
        False),
    # issue 17's families: segments and profiles (from before the first target
    # week), content vectors, the availability and propensity probabilities
    # (their models train on weeks before the first target week; the rows
    # tables that hold the labels, feat_article_lifecycle_weekly and
    # feat_customer_group_history_weekly, are their training data, not features)
    "feat_customer_segments": (
        "features", ("customer_key", "as_of_week_index"), "as_of_week_index", False),
    "feat_article_segments": (
        "features", ("article_key", "as_of_week_index"), "as_of_week_index", False),
    "feat_article_content": (
        "features", ("article_key", "as_of_week_index"), "as_of_week_index", False),
    "feat_customer_content_weekly": (
        "features", ("customer_key", "as_of_week_index"), "as_of_week_index", True),
    "feat_article_availability": (
        "features", ("article_key", "as_of_week_index"), "as_of_week_index", False),
    "feat_customer_group_propensity": (
        "features", ("customer_key", "as_of_week_index", "product_group_name"),
        "as_of_week_index", True),
    **{
        name: ("ml", ("customer_key", "week_index", "article_key"), "week_index", True)
        for name in ("cand_repurchase", "cand_same_product", "cand_pairs", "cand_popular",
                     "cand_popular_age", "cand_popular_product_type",
                     "cand_popular_postal_code", "cand_popular_segment", "cand_content")
    },
}
POPULATION = ("ml", ("customer_key", "week_index"), "week_index")  # spine_customer_weeks
SELECT = [f"+{name}" for name in MODELS]

FLOAT_TYPES = ("DOUBLE", "FLOAT", "REAL")


def week_start(index: int) -> dt.date:
    """First day of week `index` (macros/weeks.sql: 0 starts the day after the cutoff)."""
    return CUTOFF + dt.timedelta(days=1 + 7 * index)


# ------------------------------------------------------------ the comparison

@dataclass
class RowDiff:
    """Rows of one relation missing from the other (EXCEPT ALL both ways)."""

    name: str
    columns: list[str]
    keys: tuple[str, ...]
    n_left: int
    n_right: int
    only_left: list[tuple] = field(default_factory=list)  # samples
    only_right: list[tuple] = field(default_factory=list)
    n_only_left: int = 0
    n_only_right: int = 0
    labels: tuple[str, str] = ("left", "right")

    @property
    def ok(self) -> bool:
        return self.n_only_left == 0 and self.n_only_right == 0

    def _as_dict(self, row: tuple) -> dict:
        return dict(zip(self.columns, row, strict=True))

    def describe(self) -> str:
        left, right = self.labels
        lines = [(f"{self.name}: {self.n_only_left} row(s) only in {left}, "
                  f"{self.n_only_right} only in {right} "
                  f"(compared {self.n_left:,} vs {self.n_right:,} rows)")]
        by_key = {tuple(self._as_dict(r)[k] for k in self.keys): r for r in self.only_right}
        for row in self.only_left[:3]:
            item = self._as_dict(row)
            lines.append(f"  only in {left}: {item}")
            twin = by_key.get(tuple(item[k] for k in self.keys))
            if twin is not None:
                other = self._as_dict(twin)
                changed = {c: (item[c], other[c]) for c in self.columns if item[c] != other[c]}
                lines.append(f"    same key in {right}, differing columns ({left}, {right}): "
                             f"{changed}")
        for row in self.only_right[:3]:
            lines.append(f"  only in {right}: {self._as_dict(row)}")
        return "\n".join(lines)


def compare_rows(con: duckdb.DuckDBPyConnection, left: str, right: str, *,
                 keys: Sequence[str], where: str = "true", name: str | None = None,
                 labels: tuple[str, str] = ("left", "right"), decimals: int = 9,
                 sample: int = 5) -> RowDiff:
    """Compare the rows of two relations with the same columns (filtered by
    `where`): EXCEPT ALL both ways, doubles rounded to `decimals`; differing
    rows paired by `keys` whose values agree (doubles within 2 * 10^-decimals,
    relative) are rounding artefacts and do not count."""
    described = con.execute(f"describe select * from {left}").fetchall()
    right_columns = [r[0] for r in con.execute(f"describe select * from {right}").fetchall()]
    columns = [r[0] for r in described]
    assert columns == right_columns, f"{name or left}: columns differ: {columns} vs {right_columns}"
    floats = {r[0] for r in described if str(r[1]).upper() in FLOAT_TYPES}
    select = ", ".join(
        f'round("{c}", {decimals}) as "{c}"' if c in floats else f'"{c}"' for c in columns
    )
    con.execute(f"create or replace temp table _l as select {select} from {left} where {where}")
    con.execute(f"create or replace temp table _r as select {select} from {right} where {where}")
    con.execute("create or replace temp table _only_l as select * from _l except all "
                "select * from _r")
    con.execute("create or replace temp table _only_r as select * from _r except all "
                "select * from _l")
    if keys:
        tolerance = 2 * 10.0 ** -decimals
        same_key = " and ".join(f'l."{k}" is not distinct from r."{k}"' for k in keys)
        close = " and ".join(
            f'((l."{c}" is null and r."{c}" is null) or abs(l."{c}" - r."{c}") <= '
            f'{tolerance} * greatest(1.0, abs(l."{c}"), abs(r."{c}")))'
            if c in floats else f'l."{c}" is not distinct from r."{c}"'
            for c in columns
        )
        key_list = ", ".join(f'l."{k}"' for k in keys)
        con.execute(f"create or replace temp table _close as select {key_list} "
                    f"from _only_l as l inner join _only_r as r on {same_key} where {close}")
        for side in ("_only_l", "_only_r"):
            matched = " and ".join(f'm."{k}" is not distinct from {side}."{k}"' for k in keys)
            con.execute(f"delete from {side} where exists (select 1 from _close as m "
                        f"where {matched})")
    order = ", ".join(f'"{k}"' for k in keys) or "all"

    def count(table: str) -> int:
        return con.execute(f"select count(*) from {table}").fetchone()[0]

    def rows(table: str) -> list[tuple]:
        return con.execute(f"select * from {table} order by {order} limit {sample}").fetchall()

    return RowDiff(
        name=name or left, columns=columns, keys=tuple(keys), n_left=count("_l"),
        n_right=count("_r"), only_left=rows("_only_l"), only_right=rows("_only_r"),
        n_only_left=count("_only_l"), n_only_right=count("_only_r"), labels=labels,
    )


def assert_same_rows(diffs: Sequence[RowDiff]) -> None:
    """Fail naming every relation with a difference, with sample rows."""
    bad = [d for d in diffs if not d.ok]
    assert not bad, "leak: rows changed when later weeks changed\n" + "\n".join(
        d.describe() for d in bad
    )


# ------------------------------------------------- the helper can fail (fast)

def _leaky_pair(op: str) -> duckdb.DuckDBPyConnection:
    """feat_full / feat_trunc from toy transactions (all weeks / weeks < W): `op` '<' is the
    correct as-of rule, '<=' leaks the as-of week into its own features."""
    con = duckdb.connect()
    con.execute("""
        create table tx as
        select 'c' || (i % 7) as customer_id, -8 + (i % 8) as week_index,
               0.1 + (i % 13) / 7.0 as price
        from range(400) as t(i)
    """)
    con.execute("create table weeks as select unnest([-6, -5, -4, -3, -2, -1]) as as_of")
    for fold, source in (("feat_full", "tx"),
                         ("feat_trunc", f"(select * from tx where week_index < {W})")):
        con.execute(f"""
            create table {fold} as
            select customer_id, as_of, count(*) as n_units, sum(price) as spend,
                   avg(price) as mean_price
            from {source} as t inner join weeks on t.week_index {op} weeks.as_of
            group by customer_id, as_of
        """)
    return con


def test_compare_rows_passes_a_sound_feature() -> None:
    con = _leaky_pair("<")
    diff = compare_rows(con, "feat_full", "feat_trunc", keys=("customer_id", "as_of"),
                        where=f"as_of <= {W}", name="sound")
    assert diff.ok, diff.describe()
    assert diff.n_left == diff.n_right > 0


def test_compare_rows_catches_a_leaky_feature() -> None:
    con = _leaky_pair("<=")
    diff = compare_rows(con, "feat_full", "feat_trunc", keys=("customer_id", "as_of"),
                        where=f"as_of <= {W}", name="feat_leaky", labels=("FULL", "REMOVED"))
    assert not diff.ok
    assert diff.n_only_left == diff.n_only_right == 7  # every customer at as-of week W
    assert {dict(zip(diff.columns, r, strict=True))["as_of"] for r in diff.only_left} == {W}
    with pytest.raises(AssertionError) as failure:
        assert_same_rows([diff])
    message = str(failure.value)
    assert "feat_leaky: 7 row(s) only in FULL, 7 only in REMOVED" in message
    assert "differing columns" in message and "'n_units'" in message
    # weeks before W are unaffected by the leak
    assert compare_rows(con, "feat_full", "feat_trunc", keys=("customer_id", "as_of"),
                        where=f"as_of < {W}").ok


def test_compare_rows_tolerates_summation_order_only() -> None:
    con = duckdb.connect()
    # k = 2: 1e-14 apart (another summation order), on both sides of a 1e-9 rounding boundary
    con.execute("create table a as select 1 as k, 0.3::double as x, 'p' as s "
                "union all select 2, 0.1234567895::double + 1e-14::double, 'q'")
    con.execute("create table b as select 1 as k, 0.3::double as x, 'p' as s "
                "union all select 2, 0.1234567895::double - 1e-14::double, 'q'")
    assert con.execute("select round(x, 9) from a where k = 2").fetchone() != \
        con.execute("select round(x, 9) from b where k = 2").fetchone()
    assert compare_rows(con, "a", "b", keys=("k",)).ok
    con.execute("create table c as select k, case when k = 1 then x + 1e-6 else x end as x, s "
                "from a")
    assert not compare_rows(con, "a", "c", keys=("k",)).ok
    con.execute("create table d as select * from a union all select * from a where k = 2")
    duplicated = compare_rows(con, "d", "a", keys=("k",))  # EXCEPT ALL counts duplicates
    assert (duplicated.n_only_left, duplicated.n_only_right) == (1, 0)


# -------------------------------------------------------- the three builds

def _rewrite_transactions(source: Path, target: Path, *, scramble_week: bool) -> dict[str, int]:
    """Copy transactions_train.csv keeping the rows before week W; the rows of
    week W are dropped, or (scramble_week) each becomes two rows of the same
    customer on another day of the week, another article, price and channel.
    Later rows are dropped. Returns row counts."""
    start, end = week_start(W), week_start(W) + dt.timedelta(days=6)
    with open(source, newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = list(reader)
    articles = sorted({r[2] for r in rows})
    next_article = dict(zip(articles, articles[1:] + articles[:1], strict=True))
    kept, scrambled = [], []
    for t_dat, customer_id, article_id, price, channel in rows:
        day = dt.date.fromisoformat(t_dat)
        if day < start:
            kept.append([t_dat, customer_id, article_id, price, channel])
        elif day <= end and scramble_week:
            other_day = start + dt.timedelta(days=((day - start).days + 3) % 7)
            row = [other_day.isoformat(), customer_id, next_article[article_id],
                   repr(float(price) * 1.5 + 0.001), "1" if channel == "2" else "2"]
            scrambled += [row, row]
    with open(target, "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(kept + scrambled)
    return {"source": len(rows), "kept": len(kept), "scrambled": len(scrambled)}


@dataclass
class Build:
    name: str
    data_dir: Path
    work_dir: Path
    proc: subprocess.Popen | None = None

    @property
    def db(self) -> Path:
        return self.work_dir / "hm.duckdb"

    def start(self) -> None:
        self.work_dir.mkdir(parents=True, exist_ok=True)
        env = dbt_env(self.data_dir, self.work_dir)
        env.update(HM_SUBMISSION_PATH=str(self.work_dir / "submission.csv"), HM_THREADS="1")
        cmd = [str(DBT), "run", "--select", *SELECT, "--vars", json.dumps(VARS),
               "--target-path", str(self.work_dir / "target"),
               "--log-path", str(self.work_dir / "logs"), "--no-use-colors"]
        with open(self.work_dir / "dbt.out", "w") as out:
            self.proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=out,
                                         stderr=subprocess.STDOUT)

    def finish(self) -> None:
        assert self.proc is not None
        code = self.proc.wait(timeout=900)
        if code != 0:
            output = (self.work_dir / "dbt.out").read_text()
            pytest.fail(f"dbt run for the {self.name} build failed (exit {code}):\n"
                        f"{output[-5000:]}")


@dataclass
class Folds:
    con: duckdb.DuckDBPyConnection
    counts: dict[str, dict[str, int]]
    seconds: float


@pytest.fixture(scope="module")
def folds(tiny_data: Path, tmp_path_factory) -> Iterator[Folds]:
    """FULL, REMOVED and SCRAMBLED built side by side (one dbt thread each),
    attached read-only to one in-memory DuckDB as catalogs fold_full,
    fold_removed and fold_scrambled."""
    root = tmp_path_factory.mktemp("leakage")
    started = time.monotonic()
    counts: dict[str, dict[str, int]] = {}
    builds = [Build("full", tiny_data, root / "full")]
    for name, scramble in (("removed", False), ("scrambled", True)):
        data = root / f"data_{name}"
        shutil.copytree(tiny_data, data)
        counts[name] = _rewrite_transactions(tiny_data / "transactions_train.csv",
                                             data / "transactions_train.csv",
                                             scramble_week=scramble)
        builds.append(Build(name, data, root / name))
    for build in builds:
        build.start()
    for build in builds:
        build.finish()
    con = duckdb.connect()
    for build in builds:
        con.execute(f"attach '{build.db}' as fold_{build.name} (read_only)")
    seconds = round(time.monotonic() - started, 1)
    print(f"leakage: three builds side by side in {seconds}s; transaction rows: {counts}")
    yield Folds(con, counts, seconds)
    con.close()


@pytest.mark.slow
def test_folds_share_the_calendar(folds: Folds) -> None:
    con = folds.con
    start = con.execute(f"select week_start_date, ml_split from fold_full.marts.dim_weeks "
                        f"where week_index = {W}").fetchone()
    assert start == (week_start(W), "train")
    assert week_start(W).weekday() == 2  # a Wednesday, the day after a Tuesday cutoff
    for other in ("removed", "scrambled"):
        diff = compare_rows(con, "fold_full.marts.dim_weeks", f"fold_{other}.marts.dim_weeks",
                            keys=("week_index",), name="dim_weeks", labels=("FULL", other))
        assert_same_rows([diff])
    # the folds really lack the later weeks
    last = {
        name: con.execute(f"select max(transaction_date) from fold_{name}.marts.fct_transactions")
        .fetchone()[0]
        for name in ("full", "removed", "scrambled")
    }
    assert last["full"] == CUTOFF
    assert last["removed"] < week_start(W) <= last["scrambled"] < week_start(W + 1)
    assert folds.counts["removed"]["kept"] < folds.counts["removed"]["source"]


@pytest.mark.slow
def test_scrambled_fold_keeps_the_scored_customers(folds: Folds) -> None:
    """Precondition of the SCRAMBLED comparison: the same buyers each week up
    to W, so every population is the same and every row is comparable."""
    schema, keys, week = POPULATION
    diff = compare_rows(folds.con, f"fold_full.{schema}.spine_customer_weeks",
                        f"fold_scrambled.{schema}.spine_customer_weeks", keys=keys,
                        where=f"{week} <= {W}", name="spine_customer_weeks",
                        labels=("FULL", "SCRAMBLED"))
    assert_same_rows([diff])
    unchanged = folds.con.execute(
        f"select count(*) from (select customer_key, article_key, price, sales_channel_id, "
        f"transaction_date from fold_full.marts.fct_transactions where week_index = {W} "
        f"intersect all select customer_key, article_key, price, sales_channel_id, "
        f"transaction_date from fold_scrambled.marts.fct_transactions where week_index = {W})"
    ).fetchone()[0]
    assert unchanged == 0  # every week-W transaction is altered


def _where(week: str, *, until: int, population_from: str | None = None) -> str:
    where = f"{week} <= {until}"
    if population_from:  # at week W only the customers the other build scores
        where += (f" and ({week} < {until} or customer_key in (select customer_key from "
                  f"fold_{population_from}.ml.spine_customer_weeks where week_index = {until}))")
    return where


@pytest.mark.slow
@pytest.mark.parametrize("other", ["removed", "scrambled"])
def test_features_ignore_week_w_and_later(folds: Folds, other: str) -> None:
    diffs = []
    for model, (schema, keys, week, scored_population) in MODELS.items():
        restrict = other if (scored_population and other == "removed") else None
        where = _where(week, until=W, population_from=restrict)
        diff = compare_rows(folds.con, f"fold_full.{schema}.{model}",
                            f"fold_{other}.{schema}.{model}", keys=keys, where=where,
                            name=model, labels=("FULL", other.upper()))
        diffs.append(diff)
        assert diff.n_left > 0, f"{model}: nothing to compare for weeks <= {W}"
        weeks = {w for (w,) in folds.con.execute(
            f"select distinct {week} from fold_full.{schema}.{model} where {where}").fetchall()}
        expected = set(range(-1 - N_TRAIN_WEEKS, W + 1))
        if restrict:  # REMOVED scores no customer in week W (no buyers that week)
            expected = {w for w in expected if w < W} | (weeks & {W})
        assert weeks == expected, f"{model}: compared weeks {sorted(weeks)}"
    assert_same_rows(diffs)
