"""Staging reads the real Kaggle files in both published formats.

`../shared/real_sample/` holds real rows: `kaggle_format/` (customers,
transactions; ids with leading zeros) and `mirror_format/` (articles,
transactions; ids written as integers). Each folder lacks some files, so a
data directory per format copies the sample files it has and fills the others
with a minimal valid file. The samples are heads of different files, so most
transactions name customers or articles that are not in the sampled files:
staging must quarantine them as unknown, never fail on the format. Both
formats must give the same transactions the same 10-character article ids.
"""

from __future__ import annotations

import csv
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from staging_helpers import (
    HEADERS,
    MODELS,
    REAL_SAMPLE,
    DbtRun,
    article_row,
    customer_row,
    finish_dbt_build,
    start_dbt_build,
    submission_row,
    write_csv,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not REAL_SAMPLE.is_dir(),
        reason=f"real H&M sample rows not found at {REAL_SAMPLE} (../shared/real_sample)",
    ),
]

FORMATS = ("kaggle_format", "mirror_format")


def read_rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def build_data_dir(fmt: str, data_dir: Path) -> None:
    """Copy the sample files of `fmt`; fill the missing ones minimally.

    The filled files name one customer / article of the sampled transactions
    that the other sampled file also has, so each format stages a few clean
    transactions as well as many unknown ones.
    """
    src = REAL_SAMPLE / fmt
    data_dir.mkdir(parents=True)
    for name in HEADERS:
        if (src / f"{name}.csv").exists():
            shutil.copy(src / f"{name}.csv", data_dir / f"{name}.csv")
    transactions = read_rows(data_dir / "transactions_train.csv")

    if not (data_dir / "articles.csv").exists():
        # one article: that of the first transaction by a sampled customer
        customers = {r["customer_id"] for r in read_rows(data_dir / "customers.csv")}
        article_id = next(
            t["article_id"] for t in transactions if t["customer_id"] in customers
        ).zfill(10)
        write_csv(
            data_dir / "articles.csv",
            HEADERS["articles"],
            [article_row(article_id, article_id[:7])],
        )
    if not (data_dir / "customers.csv").exists():
        # one customer: the buyer of the first transaction of a sampled article
        articles = {r["article_id"].zfill(10) for r in read_rows(data_dir / "articles.csv")}
        customer_id = next(
            t["customer_id"] for t in transactions if t["article_id"].zfill(10) in articles
        )
        write_csv(data_dir / "customers.csv", HEADERS["customers"], [customer_row(customer_id)])
    if not (data_dir / "sample_submission.csv").exists():
        customers = [r["customer_id"] for r in read_rows(data_dir / "customers.csv")]
        write_csv(
            data_dir / "sample_submission.csv",
            HEADERS["sample_submission"],
            [submission_row(c) for c in customers[:3]],
        )


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, DbtRun]:
    root = tmp_path_factory.mktemp("staging_real_formats")
    procs = {}
    for fmt in FORMATS:
        build_data_dir(fmt, root / fmt / "data")
        # the samples are not referentially consistent, so most sampled
        # transactions are quarantined (unknown ids): allowed here, warned of
        procs[fmt] = start_dbt_build(root / fmt / "data", root / fmt / "work",
                                     dbt_vars={"quarantine_max_rejected_share": 1.0})
    runs = {fmt: finish_dbt_build(p) for fmt, p in procs.items()}
    for fmt, run in runs.items():
        print(f"dbt build {fmt}: exit {run.returncode} in {run.seconds:.1f} s")
    return runs


@pytest.mark.parametrize("fmt", FORMATS)
def test_real_format_builds(builds, fmt):
    run = builds[fmt]
    assert run.returncode == 0, run.output[-5000:]
    assert re.search(r"Done\. PASS=\d+ WARN=\d+ ERROR=0", run.output), run.output[-3000:]


@pytest.mark.parametrize("fmt", FORMATS)
def test_real_rows_are_clean_or_quarantined_as_unknown(builds, fmt):
    run = builds[fmt]
    data_dir = run.db_path.parent.parent / "data"
    for file, model in MODELS.items():
        raw = len(read_rows(data_dir / f"{file}.csv"))
        clean = run.query(f"select count(*) from staging.{model}")[0][0]
        reasons = dict(
            run.query(
                f"select rejection_reason, count(*) from staging.{model}_rejected group by all"
            )
        )
        assert raw == clean + sum(reasons.values()), (file, raw, clean, reasons)
        if file == "transactions_train":
            # the samples are not referentially consistent: only unknown ids
            assert set(reasons) <= {"unknown customer_id", "unknown article_id"}, reasons
            assert reasons and clean > 0, (reasons, clean)
        else:
            assert reasons == {}, (file, reasons)  # real rows are all valid


def test_both_formats_give_the_same_article_ids(builds):
    """The same 1000 real transactions, read from either format, carry the
    same 10-character article ids: those of the Kaggle file."""
    rows = {}
    for fmt, run in builds.items():
        rows[fmt] = run.query(
            "select transaction_date, customer_id, article_id, sales_channel_id"
            " from staging.base_hm__transactions"
        )
        assert len(rows[fmt]) == 1000
        assert all(len(r[2]) == 10 and r[2].isdigit() for r in rows[fmt])
    assert Counter(rows["kaggle_format"]) == Counter(rows["mirror_format"])

    # ... and they are the ids the Kaggle file writes
    kaggle = read_rows(REAL_SAMPLE / "kaggle_format" / "transactions_train.csv")
    assert Counter(r[2] for r in rows["mirror_format"]) == Counter(r["article_id"] for r in kaggle)
    mirror = read_rows(REAL_SAMPLE / "mirror_format" / "transactions_train.csv")
    assert any(len(r["article_id"]) == 9 for r in mirror)  # the format differs


def test_mirror_articles_stage_to_padded_ids(builds):
    run = builds["mirror_format"]
    rows = run.query(
        "select article_id, product_code, colour_group_code from staging.stg_hm__articles"
    )
    assert len(rows) == 1000
    assert all(len(a) == 10 and a.isdigit() and a[0] == "0" for a, _, _ in rows)
    assert all(len(p) == 7 and a.startswith(p) for a, p, _ in rows)
    assert ("0108775015", "0108775", 9) in rows


def test_kaggle_customers_flags(builds):
    run = builds["kaggle_format"]
    raw = read_rows(REAL_SAMPLE / "kaggle_format" / "customers.csv")
    staged = dict(run.query("select customer_id, is_fn_subscribed from staging.stg_hm__customers"))
    assert {r["FN"] for r in raw} <= {"1.0", ""}
    assert all(staged[r["customer_id"]] == (r["FN"] == "1.0") for r in raw)
