"""The CLI never writes over a user's files, and never suggests it.

Before: with transactions_train.csv missing (converted to Parquet, say),
`hm-warehouse build` told the user to run `hm-warehouse generate --out
<their data dir>`, which replaced their real customers.csv with synthetic rows.
"""

from __future__ import annotations

from pathlib import Path

from hm_warehouse.cli import main
from hm_warehouse.generator import SUMMARY_FILE

USER_CUSTOMERS = "customer_id,FN,Active,club_member_status,fashion_news_frequency,age,postal_code\n"


def _user_dir(tmp_path: Path) -> Path:
    data = tmp_path / "kaggle"
    data.mkdir()
    (data / "customers.csv").write_text(USER_CUSTOMERS + "a" * 64 + ",,,ACTIVE,NONE,30,x\n")
    (data / "transactions_train.parquet").write_bytes(b"PAR1")
    return data


def test_build_hint_never_points_generate_at_user_files(tmp_path, capsys) -> None:
    data = _user_dir(tmp_path)
    assert main(["build", "--data-dir", str(data)]) == 2
    err = capsys.readouterr().err
    # transactions_train.parquet counts: only the two files of no format are missing
    assert f"{data.resolve()} lacks articles.csv, sample_submission.csv;" in err
    assert "transactions_train.parquet" in err and "customers.csv" in err
    assert "each as .csv, .csv.gz or .parquet" in err
    assert f"generate --out {data}" not in err
    assert "generate --out NEW_DIR" in err


def test_generate_refuses_a_directory_of_user_files(tmp_path, capsys) -> None:
    data = _user_dir(tmp_path)
    before = {p.name: p.read_bytes() for p in data.iterdir()}
    assert main(["generate", "--scale", "tiny", "--out", str(data), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "holds files the generator did not write" in err and "customers.csv" in err
    assert {p.name: p.read_bytes() for p in data.iterdir()} == before


def test_build_hint_on_an_empty_directory_suggests_generate(tmp_path, capsys) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["build", "--data-dir", str(empty)]) == 2
    assert f"generate --out {empty.resolve()}" in capsys.readouterr().err


def test_generate_may_rewrite_its_own_output(tmp_path) -> None:
    out = tmp_path / "made"
    out.mkdir()
    (out / "articles.csv").write_text("old\n")
    (out / SUMMARY_FILE).write_text("{}\n")
    assert main(["generate", "--scale", "tiny", "--out", str(out), "--quiet",
                 "--no-score"]) == 0
    assert (out / "articles.csv").read_text() != "old\n"


def test_a_source_file_may_be_gzipped_or_parquet(tmp_path) -> None:
    from hm_warehouse.settings import find_source_file

    assert find_source_file(tmp_path, "articles.csv") is None
    (tmp_path / "articles.parquet").write_bytes(b"PAR1")
    assert find_source_file(tmp_path, "articles.csv") == tmp_path / "articles.parquet"
    (tmp_path / "articles.csv.gz").write_bytes(b"")
    assert find_source_file(tmp_path, "articles.csv") == tmp_path / "articles.csv.gz"
    (tmp_path / "articles.csv").write_text("article_id\n")  # the csv wins, as in staging
    assert find_source_file(tmp_path, "articles.csv") == tmp_path / "articles.csv"
