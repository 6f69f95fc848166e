"""Helpers for the staging tests: minimal valid H&M csv files and dbt runs.

`write_valid_files(dir)` writes the four csv files with their exact Kaggle
headers and a handful of referentially consistent rows, so that a staging
build over them rejects nothing. Tests then mutate one file and run
`dbt build --select staging` in a subprocess with their own data directory,
DuckDB file, target path and log path, so runs never clash.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

REPO_ROOT = Path(__file__).resolve().parents[1]
DBT = REPO_ROOT / ".venv" / "bin" / "dbt"
REAL_SAMPLE = (REPO_ROOT / ".." / "shared" / "real_sample").resolve()

# the exact headers of the four files
HEADERS: dict[str, list[str]] = {
    "articles": [
        "article_id",
        "product_code",
        "prod_name",
        "product_type_no",
        "product_type_name",
        "product_group_name",
        "graphical_appearance_no",
        "graphical_appearance_name",
        "colour_group_code",
        "colour_group_name",
        "perceived_colour_value_id",
        "perceived_colour_value_name",
        "perceived_colour_master_id",
        "perceived_colour_master_name",
        "department_no",
        "department_name",
        "index_code",
        "index_name",
        "index_group_no",
        "index_group_name",
        "section_no",
        "section_name",
        "garment_group_no",
        "garment_group_name",
        "detail_desc",
    ],
    "customers": [
        "customer_id",
        "FN",
        "Active",
        "club_member_status",
        "fashion_news_frequency",
        "age",
        "postal_code",
    ],
    "transactions_train": [
        "t_dat",
        "customer_id",
        "article_id",
        "price",
        "sales_channel_id",
    ],
    "sample_submission": [
        "customer_id",
        "prediction",
    ],
}

# the staging model (and its _rejected twin) of each file
MODELS = {
    "articles": "stg_hm__articles",
    "customers": "stg_hm__customers",
    "transactions_train": "stg_hm__transactions",
    "sample_submission": "stg_hm__sample_submission",
}

CUSTOMER_IDS = [f"{i:x}" * 64 for i in (10, 11, 12)]  # 'aaaa…', 'bbbb…', 'cccc…'
ARTICLE_IDS = ["0108775015", "0108775044", "0110065001"]


def article_row(article_id: str, product_code: str, colour_code: str = "09", **over) -> dict:
    """One articles.csv row (Kaggle format), fields overridable by name."""
    row = {
        "article_id": article_id,
        "product_code": product_code,
        "prod_name": "Strap top",
        "product_type_no": "253",
        "product_type_name": "Vest top",
        "product_group_name": "Garment Upper body",
        "graphical_appearance_no": "1010016",
        "graphical_appearance_name": "Solid",
        "colour_group_code": colour_code,
        "colour_group_name": "Black",
        "perceived_colour_value_id": "4",
        "perceived_colour_value_name": "Dark",
        "perceived_colour_master_id": "5",
        "perceived_colour_master_name": "Black",
        "department_no": "1676",
        "department_name": "Jersey Basic",
        "index_code": "A",
        "index_name": "Ladieswear",
        "index_group_no": "1",
        "index_group_name": "Ladieswear",
        "section_no": "16",
        "section_name": "Womens Everyday Basics",
        "garment_group_no": "1002",
        "garment_group_name": "Jersey Basic",
        "detail_desc": "Jersey top with narrow shoulder straps.",
    }
    row.update(over)
    return row


def customer_row(customer_id: str, **over) -> dict:
    row = {
        "customer_id": customer_id,
        "FN": "1.0",
        "Active": "1.0",
        "club_member_status": "ACTIVE",
        "fashion_news_frequency": "Regularly",
        "age": "32",
        "postal_code": "52043ee2162cf5aa7ee79974281641c6f11a68d276429a91f8ca0d4b6efa8100",
    }
    row.update(over)
    return row


def transaction_row(customer_id: str, article_id: str, **over) -> dict:
    row = {
        "t_dat": "2020-09-01",
        "customer_id": customer_id,
        "article_id": article_id,
        "price": "0.050830508474576264",
        "sales_channel_id": "2",
    }
    row.update(over)
    return row


def submission_row(customer_id: str, **over) -> dict:
    row = {"customer_id": customer_id, "prediction": " ".join(ARTICLE_IDS * 4)}
    row.update(over)
    return row


def valid_rows() -> dict[str, list[dict]]:
    """A handful of consistent rows per file; staging rejects none of them."""
    a, b, c = CUSTOMER_IDS
    return {
        "articles": [
            article_row(ARTICLE_IDS[0], "0108775"),
            article_row(ARTICLE_IDS[1], "0108775", "10", colour_group_name="White"),
            article_row(
                ARTICLE_IDS[2],
                "0110065",
                prod_name="OP T-shirt (Idro)",
                product_group_name="Underwear",
                index_name="Lingeries/Tights",
                detail_desc='Microfibre T-shirt bra, "push-up" style',
            ),
        ],
        "customers": [
            customer_row(a),
            customer_row(b, FN="", Active="", fashion_news_frequency="NONE", age=""),
            customer_row(c, club_member_status="PRE-CREATE", fashion_news_frequency="None"),
        ],
        "transactions_train": [
            transaction_row(a, ARTICLE_IDS[0], t_dat="2018-09-20"),
            # an exact duplicate: two units bought; both rows are kept
            transaction_row(a, ARTICLE_IDS[0], t_dat="2018-09-20"),
            transaction_row(b, ARTICLE_IDS[1], sales_channel_id="1"),
            transaction_row(c, ARTICLE_IDS[2], t_dat="2020-09-22", price="0.0338813559322034"),
        ],
        "sample_submission": [submission_row(cid) for cid in CUSTOMER_IDS],
    }


def write_csv(path: Path, header: list[str], rows: list[dict] | list[list[str]]) -> None:
    """Write a csv the way the Kaggle files are written (minimal quoting, \\n)."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([row[c] for c in header] if isinstance(row, dict) else row)


def write_valid_files(data_dir: Path, rows: dict[str, list[dict]] | None = None) -> Path:
    """Write the four csv files (valid rows unless `rows` is given) into data_dir."""
    data_dir.mkdir(parents=True, exist_ok=True)
    rows = rows or valid_rows()
    for name, header in HEADERS.items():
        write_csv(data_dir / f"{name}.csv", header, rows[name])
    return data_dir


def append_lines(path: Path, lines: list[str]) -> None:
    """Append raw text lines (no csv quoting) to a file."""
    with open(path, "a", encoding="utf-8", newline="") as f:
        f.writelines(line + "\n" for line in lines)


@dataclass
class DbtRun:
    returncode: int
    output: str
    seconds: float
    db_path: Path

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        con = duckdb.connect(str(self.db_path), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()


def dbt_env(data_dir: Path, work_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        HM_DATA_DIR=str(data_dir),
        HM_DUCKDB_PATH=str(work_dir / "hm.duckdb"),
        HM_TEMP_DIR=str(work_dir / "duckdb_tmp"),
        HM_MEMORY_LIMIT="2GB",
        DBT_PROFILES_DIR=str(REPO_ROOT),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    return env


def start_dbt_build(data_dir: Path, work_dir: Path, select: str = "staging",
                    dbt_vars: dict | None = None) -> subprocess.Popen:
    """Start `dbt build --select <select>` over data_dir; output goes to work_dir/dbt.out."""
    work_dir.mkdir(parents=True, exist_ok=True)
    cmd = [
        str(DBT),
        "build",
        "--select",
        select,
        "--target-path",
        str(work_dir / "target"),
        "--log-path",
        str(work_dir / "logs"),
        "--no-use-colors",
        *(["--vars", json.dumps(dbt_vars)] if dbt_vars else []),
    ]
    with open(work_dir / "dbt.out", "w") as out:  # the child keeps its own handle
        proc = subprocess.Popen(
            cmd,
            cwd=REPO_ROOT,
            env=dbt_env(data_dir, work_dir),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    proc.hm_started = time.monotonic()  # type: ignore[attr-defined]
    proc.hm_work_dir = work_dir  # type: ignore[attr-defined]
    return proc


def finish_dbt_build(proc: subprocess.Popen, timeout: float = 300) -> DbtRun:
    returncode = proc.wait(timeout=timeout)
    work_dir: Path = proc.hm_work_dir  # type: ignore[attr-defined]
    output = (work_dir / "dbt.out").read_text()
    seconds = time.monotonic() - proc.hm_started  # type: ignore[attr-defined]
    return DbtRun(returncode, output, seconds, work_dir / "hm.duckdb")


def dbt_build(data_dir: Path, work_dir: Path, select: str = "staging") -> DbtRun:
    return finish_dbt_build(start_dbt_build(data_dir, work_dir, select))


def raw_line_count(path: Path) -> int:
    """Data rows of a csv as DuckDB reads it (header excluded): the rows read
    plus the lines it sets aside (store_rejects, as the staging sources)."""
    con = duckdb.connect()
    try:
        n = len(HEADERS[path.stem])
        # the staging sources' three spare columns: rows with extra fields read too
        columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(n + 3))
        (read,), = con.execute(
            f"select count(*) from read_csv(?, header=true, auto_detect=false, "
            f"null_padding=true, nullstr=chr(1), store_rejects=true, rejects_table='r', "
            f"rejects_scan='s', columns={{{columns}}})",
            [str(path)],
        ).fetchall()  # the whole result: DuckDB fills the rejects table at the end
        read += con.execute("select count(distinct line) from temp.main.r").fetchone()[0]
        return read
    finally:
        con.close()


if __name__ == "__main__":  # write the valid fixture files into a directory
    write_valid_files(Path(sys.argv[1]))
