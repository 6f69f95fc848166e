"""Staging on bad input: unreadable files stop the build with a clear error;
bad rows are quarantined with the right reason and nothing is lost.

Each case mutates a copy of the minimal valid files (staging_helpers) and runs
`dbt build --select staging` over it. dbt runs cost ~10 s each, so cases are
grouped: one build holds every quarantine case of every file, and three builds
hold the file-level failures (two independent files broken per build, so each
build reports two errors). All four builds run in parallel.
"""

from __future__ import annotations

import gzip
import re
import zipfile
from pathlib import Path

import duckdb
import pytest

from staging_helpers import (
    ARTICLE_IDS,
    CUSTOMER_IDS,
    HEADERS,
    MODELS,
    DbtRun,
    append_lines,
    article_row,
    customer_row,
    finish_dbt_build,
    raw_line_count,
    start_dbt_build,
    submission_row,
    transaction_row,
    valid_rows,
    write_valid_files,
)

pytestmark = pytest.mark.slow

A, B, C = CUSTOMER_IDS
UNKNOWN_CUSTOMER = "e" * 64  # well formed, not in customers.csv
BAD_FN_CUSTOMER = "f" * 64  # in customers.csv, but rejected (unparseable FN)


def line(file: str, row: dict) -> str:
    """A csv line of `file` from a row dict (values must hold no comma/quote)."""
    return ",".join(row[c] for c in HEADERS[file])


# (file, raw line appended to the valid file, expected rejection_reason)
QUARANTINE_CASES: list[tuple[str, str, str]] = [
    # articles.csv; first, four stray fields, more than the spare columns
    # hold (before: the whole build stopped on a CSV error): set aside by
    # DuckDB and quarantined with its line, the later rows keep theirs
    (
        "articles",
        line("articles", article_row("0700000009", "0700000")) + ",a,b,c,d",
        "too many fields",
    ),
    ("articles", line("articles", article_row("A108775015", "0108775")), "malformed article_id"),
    ("articles", line("articles", article_row("0700000001", "07000000")), "malformed product_code"),
    (
        "articles",
        line("articles", article_row("0700000002", "0700000", colour_group_code="black")),
        "unparseable colour_group_code",
    ),
    (
        "articles",
        line("articles", article_row("0700000003", "0700000", department_no="12x")),
        "unparseable department_no",
    ),
    # the first valid article again, in the mirror format: same id once padded
    ("articles", line("articles", article_row("108775015", "108775", "9")), "duplicate article_id"),
    # ... and with another colour: a conflicting duplicate
    (
        "articles",
        line("articles", article_row("108775015", "108775", "11")),
        "conflicting duplicate article_id",
    ),
    ("articles", "0700000004,0700000,Strap top,253,Vest top", "too few fields"),
    # customers.csv
    ("customers", line("customers", customer_row("g" * 64)), "malformed customer_id"),
    ("customers", line("customers", customer_row("d" * 63)), "malformed customer_id"),
    ("customers", line("customers", customer_row(BAD_FN_CUSTOMER, FN="Y")), "unparseable FN"),
    ("customers", line("customers", customer_row("1" * 64, Active="true")), "unparseable Active"),
    ("customers", line("customers", customer_row("2" * 64, age="thirty")), "unparseable age"),
    # A again with another postal code, which sorts first: the first row in
    # the file wins, this one is a conflicting duplicate (before: the
    # lexicographically smallest raw row won, and both got one reason)
    (
        "customers",
        line("customers", customer_row(A, postal_code="0zzz")),
        "conflicting duplicate customer_id",
    ),
    ("customers", line("customers", customer_row(A.upper())), "duplicate customer_id"),
    # implausible ages (before: staged clean; -1 fed the youngest age bucket)
    ("customers", line("customers", customer_row("5" * 64, age="-1")), "implausible age"),
    ("customers", line("customers", customer_row("6" * 64, age="0")), "implausible age"),
    ("customers", line("customers", customer_row("7" * 64, age="250")), "implausible age"),
    ("customers", "3" * 64 + ",1.0,1.0", "too few fields"),
    # one and three stray fields (before: the whole build stopped on a CSV error)
    ("customers", line("customers", customer_row("a1" * 32)) + ",x", "too many fields"),
    (
        "transactions_train",
        line("transactions_train", transaction_row(A, ARTICLE_IDS[1])) + ",1,2,3",
        "too many fields",
    ),
    # ... and many more
    ("customers", line("customers", customer_row("a2" * 32)) + ",x,y,z,w,v", "too many fields"),
    (
        "transactions_train",
        line("transactions_train", transaction_row(A, ARTICLE_IDS[1])) + ",1,2,3,4,5,6,7",
        "too many fields",
    ),
    ("sample_submission", line("sample_submission", submission_row("a3" * 32)) + ",1,2,3,4",
     "too many fields"),
    # transactions_train.csv
    (
        "transactions_train",
        line("transactions_train", transaction_row("not-a-customer", ARTICLE_IDS[0])),
        "malformed customer_id",
    ),
    (
        "transactions_train",
        line("transactions_train", transaction_row(A, "0108-775015")),
        "malformed article_id",
    ),
    (
        "transactions_train",
        line("transactions_train", transaction_row(A, ARTICLE_IDS[0], t_dat="2020/09/01")),
        "unparseable t_dat",
    ),
    (
        "transactions_train",
        line("transactions_train", transaction_row(A, ARTICLE_IDS[0], t_dat="2020-09-23")),
        "t_dat outside data range",
    ),
    (
        "transactions_train",
        line("transactions_train", transaction_row(A, ARTICLE_IDS[0], price="NaN")),
        "unparseable price",
    ),
    (
        "transactions_train",
        line("transactions_train", transaction_row(A, ARTICLE_IDS[0], price="0.0")),
        "non-positive price",
    ),
    (
        "transactions_train",
        line("transactions_train", transaction_row(A, ARTICLE_IDS[0], sales_channel_id="3")),
        "unknown sales_channel_id",
    ),
    (
        "transactions_train",
        line("transactions_train", transaction_row(UNKNOWN_CUSTOMER, ARTICLE_IDS[0])),
        "unknown customer_id",
    ),
    (
        "transactions_train",
        line("transactions_train", transaction_row(BAD_FN_CUSTOMER, ARTICLE_IDS[0])),
        "unknown customer_id",
    ),
    (
        "transactions_train",
        line("transactions_train", transaction_row(A, "0999999999")),
        "unknown article_id",
    ),
    (
        "transactions_train",
        line("transactions_train", transaction_row(A, "0700000002", t_dat="2020-09-02")),
        "unknown article_id",  # the article exists but was rejected
    ),
    ("transactions_train", f"2020-09-01,{A},{ARTICLE_IDS[0]}", "too few fields"),
    # sample_submission.csv
    (
        "sample_submission",
        line("sample_submission", submission_row("x" * 64)),
        "malformed customer_id",
    ),
    (
        "sample_submission",
        line("sample_submission", submission_row(UNKNOWN_CUSTOMER)),
        "unknown customer_id",
    ),
    (
        "sample_submission",
        line("sample_submission", submission_row(A, prediction="0999999999")),
        "conflicting duplicate customer_id",
    ),
    (
        "sample_submission",
        line("sample_submission", submission_row(A)),
        "duplicate customer_id",
    ),
    ("sample_submission", C, "too few fields"),
]

# rows that look odd but are valid: they must stage clean
ACCEPTED_LINES: list[tuple[str, str]] = [
    # mirror-format article id in a transaction, integer-style fields
    ("transactions_train", line("transactions_train", transaction_row(B, "110065001"))),
    # upper-case customer id
    ("transactions_train", line("transactions_train", transaction_row(C.upper(), ARTICLE_IDS[1]))),
    ("customers", line("customers", customer_row("4" * 64, FN="1", Active="0", age="41.0"))),
    # categories in other spellings (before: separate categories)
    ("customers", line("customers", customer_row(
        "8" * 64, club_member_status=" ACTIVE", fashion_news_frequency="Regularly "))),
    ("customers", line("customers", customer_row(
        "9" * 64, club_member_status="active", fashion_news_frequency="monthly"))),
]

# file-level failures: build name -> {file: mutation}; files in one build are
# independent (articles/customers, or transactions/sample_submission), so each
# build reports both errors
FAILURE_BUILDS: dict[str, dict[str, str]] = {
    # articles as .csv.zip only, a format DuckDB cannot read: "missing",
    # naming the file found and the formats read
    "missing_and_renamed": {"articles": "zip", "customers": "rename_column"},
    "zero_bytes_and_reordered": {"articles": "zero_bytes", "customers": "swap_columns"},
    "missing_column_and_no_header": {
        "transactions_train": "drop_last_column",
        "sample_submission": "blank_first_line",
    },
    # a Parquet file without a column (before: Parquet was not read at all)
    "parquet_missing_column": {"customers": "parquet_drop_column"},
}


# a line DuckDB cannot split into fields: the build stops naming the line
UNREADABLE_BUILDS: dict[str, dict[str, str]] = {
    "unterminated_quote": {"transactions_train": "unterminated_quote"},
}


# whole files the quarantine would empty: build name -> {file: mutation}; the
# staging tables build, then hm_quarantine_share stops the run naming the file
EMPTYING_BUILDS: dict[str, dict[str, str]] = {
    "header_only": {"transactions_train": "header_only", "sample_submission": "header_only"},
    "another_date_format": {"transactions_train": "day_first_dates"},
}


def mutate(path: Path, how: str) -> None:
    text = path.read_text()
    header, _, body = text.partition("\n")
    if how == "zip":
        with zipfile.ZipFile(path.with_name(path.name + ".zip"), "w") as archive:
            archive.write(path, path.name)
        path.unlink()
    elif how == "parquet_drop_column":  # customers.parquet without postal_code
        write_parquet(path, "select * exclude (postal_code) from rows")
        path.unlink()
    elif how == "zero_bytes":
        path.write_bytes(b"")
    elif how == "blank_first_line":
        path.write_text("\n" + body)
    elif how == "rename_column":  # customers: Active -> active_flag
        path.write_text(header.replace(",Active,", ",active_flag,") + "\n" + body)
    elif how == "swap_columns":  # customers: FN,Active -> Active,FN
        path.write_text(header.replace("FN,Active", "Active,FN") + "\n" + body)
    elif how == "drop_last_column":  # transactions: no sales_channel_id
        path.write_text(header.rsplit(",", 1)[0] + "\n" + body)
    elif how == "unterminated_quote":  # line 6 opens a quote that never closes
        row = transaction_row(A, ARTICLE_IDS[0])
        path.write_text(text + line("transactions_train", {**row, "customer_id": '"' + A})
                        + "\n" + line("transactions_train", row) + "\n")
    elif how == "header_only":
        path.write_text(header + "\n")
    elif how == "day_first_dates":  # transactions: 2018-09-20 -> 20-09-2018
        path.write_text(header + "\n" + re.sub(
            r"^(\d{4})-(\d{2})-(\d{2})", r"\3-\2-\1", body, flags=re.MULTILINE))
    else:
        raise ValueError(how)


def write_parquet(csv_path: Path, select: str) -> Path:
    """`<stem>.parquet` next to csv_path: `select` over its rows as text (`rows`)."""
    target = csv_path.with_suffix(".parquet")
    con = duckdb.connect()
    try:
        con.execute("create table rows as select * from read_csv(?, all_varchar=true)",
                    [str(csv_path)])
        con.execute(f"copy ({select}) to '{target}' (format parquet)")
    finally:
        con.close()
    return target


# the other formats users keep the files in, as pandas writes them: articles
# gzipped, customers and transactions as typed Parquet (floats with NaN for
# FN / Active / age, a date, integer ids), the submission as a csv; two
# transactions added that the quarantine must catch in Parquet too
OTHER_FORMAT_CUSTOMERS = """
    select customer_id, try_cast(FN as double) as FN, try_cast(Active as double) as Active,
        club_member_status, fashion_news_frequency, try_cast(age as double) as age, postal_code
    from rows
"""
OTHER_FORMAT_TRANSACTIONS = f"""
    select cast(t_dat as date) as t_dat, customer_id, cast(article_id as bigint) as article_id,
        cast(price as double) as price, cast(sales_channel_id as bigint) as sales_channel_id
    from rows
    union all select date '2020-09-02', '{A}', 999999999, 0.02, 2
    union all select date '2020-09-03', '{A}', {int(ARTICLE_IDS[0])}, null, 1
"""
# raw_article_id is the Parquet integer as text, without the leading zero
OTHER_FORMAT_REJECTED = {
    ("999999999", "unknown article_id"), (ARTICLE_IDS[0][1:], "unparseable price")}


def write_other_formats(data_dir: Path) -> None:
    articles = data_dir / "articles.csv"
    articles.with_name("articles.csv.gz").write_bytes(gzip.compress(articles.read_bytes()))
    articles.unlink()
    for name, select in (("customers", OTHER_FORMAT_CUSTOMERS),
                         ("transactions_train", OTHER_FORMAT_TRANSACTIONS)):
        write_parquet(data_dir / f"{name}.csv", select)
        (data_dir / f"{name}.csv").unlink()


FILE_ORDER_ROWS = 600_000


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, DbtRun]:
    """Write every data set, run all the dbt builds in parallel, return them."""
    root = tmp_path_factory.mktemp("staging_bad_input")
    data: dict[str, Path] = {}

    # a quote in the path is data, never SQL (before: a raw parser error)
    quarantine = write_valid_files(root / "o'neil" / "data")
    for file, text, _ in QUARANTINE_CASES:
        append_lines(quarantine / f"{file}.csv", [text])
    for file, text in ACCEPTED_LINES:
        append_lines(quarantine / f"{file}.csv", [text])
    data["quarantine"] = quarantine

    for name, mutations in {**FAILURE_BUILDS, **EMPTYING_BUILDS, **UNREADABLE_BUILDS}.items():
        data_dir = write_valid_files(root / name / "data")
        for file, how in mutations.items():
            mutate(data_dir / f"{file}.csv", how)
        data[name] = data_dir

    data["other_formats"] = write_valid_files(root / "other_formats" / "data")
    write_other_formats(data["other_formats"])

    # the quarantine build is mostly bad rows on purpose: it may only warn
    # and so is the Parquet build (2 of 6 transactions bad)
    lenient = {name: {"quarantine_max_rejected_share": 1.0}
               for name in ("quarantine", "other_formats")}
    # the generator's hidden week with a row whose customer id is empty
    hidden = write_valid_files(root / "hidden_week" / "data")
    (hidden / "hidden").mkdir()
    week = [transaction_row(A, ARTICLE_IDS[0], t_dat="2020-09-24"),
            transaction_row("", ARTICLE_IDS[1], t_dat="2020-09-25")]
    (hidden / "hidden" / "transactions_test_week.csv").write_text("\n".join(
        [",".join(HEADERS["transactions_train"])]
        + [line("transactions_train", row) for row in week]) + "\n")
    data["hidden_week"] = hidden

    # customers.csv of FILE_ORDER_ROWS rows (about 70 MB: DuckDB reads it in
    # parallel chunks), then conflicting copies of its first and of a
    # middle customer whose raw rows sort before the originals
    ordered = write_valid_files(root / "file_order" / "data")
    append_lines(ordered / "customers.csv", [
        line("customers", customer_row(format(i, "064x"))) for i in range(1, FILE_ORDER_ROWS)])
    append_lines(ordered / "customers.csv", [
        line("customers", customer_row(A, postal_code="0" * 64)),
        line("customers", customer_row(format(FILE_ORDER_ROWS // 2, "064x"), age="16")),
    ])
    data["file_order"] = ordered

    procs = {name: start_dbt_build(d, d.parent / "work", dbt_vars=lenient.get(name))
             for name, d in data.items()}
    runs = {name: finish_dbt_build(p) for name, p in procs.items()}
    for name, run in runs.items():
        print(f"dbt build {name}: exit {run.returncode} in {run.seconds:.1f} s")
    return runs


# ---------------------------------------------------------------- quarantine


def test_quarantine_build_passes(builds):
    run = builds["quarantine"]
    assert run.returncode == 0, run.output[-5000:]
    # every file is mostly bad rows here: hm_quarantine_share warns on each
    assert re.search(r"Done\. PASS=\d+ WARN=4 ERROR=0", run.output), run.output[-3000:]


def test_a_large_quarantine_warns_naming_file_and_reason(builds):
    run = builds["quarantine"]
    data_dir = Path(run.db_path).parent.parent / "data"
    n_bad = sum(1 for f, _, _ in QUARANTINE_CASES if f == "articles")
    pattern = (re.escape(f"many rows quarantined: {data_dir / 'articles.csv'}: 3 clean of "
                         f"{3 + n_bad} rows (")
               + r"[0-9.]+% quarantined in staging\.stg_hm__articles_rejected"
               + re.escape("); most common reason: '"))
    assert re.search(pattern, run.output), run.output[-5000:]


@pytest.mark.parametrize(
    ("file", "text", "reason"),
    QUARANTINE_CASES,
    ids=[f"{f}:{r}:{i}" for i, (f, _, r) in enumerate(QUARANTINE_CASES)],
)
def test_bad_row_is_quarantined_with_reason(builds, file, text, reason):
    run = builds["quarantine"]
    model = MODELS[file]
    rows = run.query(
        f"select rejection_reason, source_file from staging.{model}_rejected where raw_row = ?",
        [text],
    )
    assert rows == [(reason, f"{file}.csv")], f"{text!r} in {model}_rejected: {rows}"


def test_unreadable_line_leaves_no_staging_table(builds):
    run = builds["unterminated_quote"]
    assert run.query("select count(*) from information_schema.tables"
                     " where table_name = 'base_hm__transactions'") == [(0,)]


@pytest.mark.parametrize("file", ["articles", "customers", "sample_submission"])
def test_rejected_rows_name_their_line(builds, file):
    """source_row is the row's line in the file (after the header), also for
    the rows after a line DuckDB set aside."""
    run = builds["quarantine"]
    lines = (Path(run.db_path).parent.parent / "data" / f"{file}.csv").read_text().splitlines()
    rows = run.query(f"select source_row, raw_row from staging.{MODELS[file]}_rejected")
    assert rows and all(lines[row] == raw for row, raw in rows), rows


@pytest.mark.parametrize("file", list(HEADERS))
def test_raw_rows_equal_clean_plus_rejected(builds, file):
    run = builds["quarantine"]
    data_file = Path(run.db_path).parent.parent / "data" / f"{file}.csv"
    # raw rows counted independently of DuckDB: non-blank lines but the header
    raw = sum(1 for text in data_file.read_text().splitlines() if text) - 1
    assert raw == raw_line_count(data_file)  # DuckDB reads every line as a row
    clean = run.query(f"select count(*) from staging.{MODELS[file]}")[0][0]
    rejected = run.query(f"select count(*) from staging.{MODELS[file]}_rejected")[0][0]
    assert raw == clean + rejected, (file, raw, clean, rejected)
    n_bad = sum(1 for f, _, _ in QUARANTINE_CASES if f == file)
    n_ok = len(valid_rows()[file]) + sum(1 for f, _ in ACCEPTED_LINES if f == file)
    assert (clean, rejected) == (n_ok, n_bad)


def test_the_first_row_in_the_file_wins_a_duplicate(builds):
    """In a customers.csv that DuckDB reads in parallel chunks, the first
    row of each id is kept and the later conflicting copies, whose raw rows
    sort first (before: the smallest raw row won), are quarantined with
    their line numbers."""
    run = builds["file_order"]
    assert run.returncode == 0, run.output[-5000:]
    middle = format(FILE_ORDER_ROWS // 2, "064x")
    kept = dict(run.query(
        "select customer_id, postal_code || ' ' || age from staging.stg_hm__customers"
        " where customer_id in (?, ?)", [A, middle]))
    first = valid_rows()["customers"][0]
    assert kept == {A: f"{first['postal_code']} {first['age']}",
                    middle: f"{customer_row(middle)['postal_code']} 32"}
    n_valid = len(valid_rows()["customers"])
    # line numbers after the header: the valid rows, FILE_ORDER_ROWS - 1
    # generated ones, then the two copies
    last = n_valid + FILE_ORDER_ROWS - 1
    assert run.query(
        "select raw_customer_id, source_row, rejection_reason"
        " from staging.stg_hm__customers_rejected order by source_row") == [
        (A, last + 1, "conflicting duplicate customer_id"),
        (middle, last + 2, "conflicting duplicate customer_id"),
    ]
    # every generated row's source_row is its line: their ids count up
    rows = run.query("select raw_customer_id, source_row from staging.base_hm__customers"
                     " where raw_customer_id like '000000%'")
    assert len(rows) == FILE_ORDER_ROWS  # the generated rows and the middle copy
    assert all(row == n_valid + int(cid, 16) for cid, row in rows if row <= last)


def test_exact_duplicate_transactions_are_kept(builds):
    run = builds["quarantine"]
    rows = run.query(
        "select count(*) from staging.stg_hm__transactions"
        " where customer_id = ? and article_id = ? and transaction_date = date '2018-09-20'",
        [A, ARTICLE_IDS[0]],
    )
    assert rows == [(2,)]


def test_accepted_variants_are_normalised(builds):
    run = builds["quarantine"]
    # mirror-format article id and upper-case customer id in transactions
    assert run.query(
        "select count(*) from staging.stg_hm__transactions where customer_id = ? and article_id = ?",
        [B, "0110065001"],
    ) == [(1,)]
    assert run.query(
        "select count(*) from staging.stg_hm__transactions where customer_id = ? and article_id = ?",
        [C, ARTICLE_IDS[1]],
    ) == [(1,)]
    # FN '1', Active '0', age '41.0'; empty FN/Active; 'None' spelling
    customers = {
        r[0]: r[1:]
        for r in run.query(
            "select customer_id, is_fn_subscribed, is_active, age, fashion_news_frequency,"
            " club_member_status from staging.stg_hm__customers"
        )
    }
    assert customers["4" * 64][:3] == (True, False, 41)
    assert customers[B] == (False, False, None, "NONE", "ACTIVE")
    assert customers[C][3] == "NONE"  # written 'None'
    assert customers["8" * 64][3:] == ("Regularly", "ACTIVE")
    assert customers["9" * 64][3:] == ("Monthly", "ACTIVE")
    # the kept duplicate is the first row in the file, not an appended one
    assert run.query(
        "select postal_code from staging.stg_hm__customers where customer_id = ?", [A]
    ) == [(valid_rows()["customers"][0]["postal_code"],)]
    assert run.query(
        "select colour_group_code, product_code from staging.stg_hm__articles"
        " where article_id = '0108775015'"
    ) == [(9, "0108775")]


# ----------------------------------------------------------- file failures


FAILURE_CASES = [
    (
        "missing_and_renamed",
        "articles",
        [
            r"articles\.csv is missing \(nor is there a \.csv\.gz or \.parquet file",
            (r"found \S*articles\.csv\.zip instead: the project reads \S*articles\.csv,"
             r" \.csv\.gz or \.parquet"),
        ],
    ),
    (
        "missing_and_renamed",
        "customers",
        [
            r"customers\.csv \(source hm\.customers\) has an unexpected header",
            (
                r"expected 7 columns: customer_id,FN,Active,club_member_status,"
                r"fashion_news_frequency,age,postal_code"
            ),
            r"found +7 columns: customer_id,FN,active_flag,club_member_status",
            r"missing columns: +Active",
            r"unexpected columns: active_flag",
        ],
    ),
    ("zero_bytes_and_reordered", "articles", [r"articles\.csv is empty \(0 bytes\)"]),
    (
        "zero_bytes_and_reordered",
        "customers",
        [
            r"customers\.csv \(source hm\.customers\) has an unexpected header",
            r"expected 7 columns: customer_id,FN,Active,",
            r"found +7 columns: customer_id,Active,FN,",
            r"missing columns: +\(none\)",
            r"different order",
        ],
    ),
    (
        "missing_column_and_no_header",
        "transactions_train",
        [
            r"transactions_train\.csv \(source hm\.transactions_train\) has an unexpected header",
            r"expected 5 columns: t_dat,customer_id,article_id,price,sales_channel_id",
            r"found +4 columns: t_dat,customer_id,article_id,price\n",
            r"missing columns: +sales_channel_id",
            r"unexpected columns: +\(none\)",
        ],
    ),
    (
        "missing_column_and_no_header",
        "sample_submission",
        [r"sample_submission\.csv is empty: it has no header line"],
    ),
    (
        "parquet_missing_column",
        "customers",
        [
            r"customers\.parquet \(source hm\.customers\) has an unexpected set of columns",
            r"found +6 columns: customer_id,FN,Active,club_member_status",
            r"missing columns: +postal_code",
        ],
    ),
]


# files the quarantine would empty: staged, then stopped by hm_quarantine_share
# (before: 0 clean rows staged green and the build failed later, in cand_als)
EMPTYING_CASES = [
    ("header_only", "transactions_train", [r"transactions_train\.csv has a header but no rows"]),
    ("header_only", "sample_submission", [r"sample_submission\.csv has a header but no rows"]),
    (
        "another_date_format",
        "transactions_train",
        [
            r"too few usable rows in \S*transactions_train\.csv: 0 clean of 4 rows \(100\.0%",
            r"% quarantined in staging\.stg_hm__transactions_rejected\); most common reason:",
            r"most common reason: 'unparseable t_dat' \(4 rows\)",
        ],
    ),
]


# a line that cannot be split (before: DuckDB's error, now the same named by
# the build); no staging table is built from the file
UNREADABLE_CASES = [
    (
        "unterminated_quote",
        "transactions_train",
        [(r"transactions_train\.csv line 6 cannot be read \(UNQUOTED VALUE: "
          r"Value with unterminated quote found")],
    ),
]

ALL_FAILURE_CASES = FAILURE_CASES + EMPTYING_CASES + UNREADABLE_CASES


@pytest.mark.parametrize(
    ("build", "file", "patterns"), ALL_FAILURE_CASES,
    ids=[f"{b}:{f}" for b, f, _ in ALL_FAILURE_CASES],
)
def test_unreadable_file_stops_the_build(builds, build, file, patterns):
    run = builds[build]
    assert run.returncode != 0, run.output[-3000:]
    data_dir = Path(run.db_path).parent.parent / "data"
    # the error names the file by its full path (.csv, or the .parquet read)
    assert f"{data_dir / file}." in run.output, run.output[-3000:]
    for pattern in patterns:
        assert re.search(pattern, run.output), f"{pattern!r} not in:\n{run.output[-3000:]}"


@pytest.mark.parametrize("build", list(FAILURE_BUILDS))
def test_failures_stop_before_staging_tables(builds, build):
    """A broken file never yields a (partial) staging table for that entity."""
    run = builds[build]
    assert "Compilation Error in model base_hm__" in run.output
    for file in FAILURE_BUILDS[build]:
        model = MODELS[file]
        tables = (
            run.query(
                "select count(*) from information_schema.tables where table_name = ?", [model]
            )
            if run.db_path.exists()
            else [(0,)]
        )
        assert tables == [(0,)], f"{model} was built from a broken {file} file"


# ------------------------------------------------------------ other formats


def test_gzip_and_parquet_files_are_staged_like_csv(builds):
    """articles.csv.gz and typed customers / transactions Parquet files (as
    pandas writes them) give the rows the csv files give, with the same
    quarantine (before: only .csv was read)."""
    run = builds["other_formats"]
    assert run.returncode == 0, run.output[-5000:]
    valid = valid_rows()
    for file, name in (("articles", "articles.csv.gz"), ("customers", "customers.parquet"),
                       ("transactions_train", "transactions_train.parquet")):
        clean = run.query(f"select count(*), min(source_file), max(source_file)"
                          f" from staging.base_hm__{file.split('_')[0]}")[0]
        assert clean[1:] == (name, name), (file, clean)
        staged = run.query(f"select count(*) from staging.{MODELS[file]}")[0][0]
        assert staged == len(valid[file]), (file, staged)
    # the Parquet values mean what the csv text means
    customers = {r[0]: r[1:] for r in run.query(
        "select customer_id, is_fn_subscribed, is_active, age from staging.stg_hm__customers")}
    assert customers[A] == (True, True, 32) and customers[B] == (False, False, None)
    assert run.query(
        "select transaction_date::varchar, article_id, price, sales_channel_id"
        " from staging.stg_hm__transactions order by all limit 1"
    ) == [("2018-09-20", ARTICLE_IDS[0], 0.050830508474576264, 2)]
    # the two bad Parquet rows are quarantined with the csv reasons
    assert set(run.query("select raw_article_id, rejection_reason"
                         " from staging.stg_hm__transactions_rejected")) == \
        OTHER_FORMAT_REJECTED


def test_a_bad_hidden_week_row_fails_evaluation_loudly(builds):
    """Before: a hidden-week row with a null id silently left eval_labels."""
    run = builds["hidden_week"]
    assert run.returncode != 0, run.output[-3000:]
    assert re.search(r"FAIL 1 accepted_values_stg_hm__hidden_transactions_is_valid", run.output), \
        run.output[-3000:]
    assert run.query("select count(*), count(*) filter (where not is_valid)"
                     " from staging.stg_hm__hidden_transactions") == [(2, 1)]
