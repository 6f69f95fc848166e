"""The EDA report (`hm-warehouse report`): built with the CLI on the tiny
warehouse it contains every chart as an embedded PNG of sensible size and
every table, with no external assets; a warehouse lacking a table the report
reads fails with an error naming it; the eda_report exposure lists every
model the report reads."""

from __future__ import annotations

import base64
import shutil
import string
import struct
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pytest
import yaml

from hm_warehouse.cli import main
from hm_warehouse.report import CHARTS, TABLES, ReportError, queries, required_tables, write_report

if TYPE_CHECKING:  # the plugin is loaded by pytest_plugins, not imported
    from fixtures_warehouse import TinyWarehouse

pytest_plugins = ["fixtures_warehouse"]

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "artifacts" / "eda_report_tiny"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DATA_URI = "data:image/png;base64,"


class _ReportParser(HTMLParser):
    """Collects the <img> tags, the ids of <figure>s and the rows of each table."""

    def __init__(self) -> None:
        super().__init__()
        self.images: dict[str, str] = {}  # img id -> src
        self.figures: list[str] = []
        self.tables: dict[str, list[list[str]]] = {}
        self.external: list[str] = []
        self._table: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "img":
            self.images[a.get("id") or ""] = a.get("src") or ""
        elif tag == "figure":
            self.figures.append(a.get("id") or "")
        elif tag == "table":
            self._table = a.get("id") or ""
            self.tables[self._table] = []
        elif tag == "tr" and self._table is not None:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = []
        if tag in ("link", "script", "iframe") or (
            tag == "img" and not (a.get("src") or "").startswith("data:")
        ):
            self.external.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._table is not None:
            self.tables[self._table][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == PNG_SIGNATURE, "not a PNG"
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk
    return width, height


@pytest.fixture(scope="module")
def rendered(tiny_warehouse: TinyWarehouse, tmp_path_factory) -> dict:
    """The report of the tiny warehouse, made by the CLI, parsed."""
    tiny_warehouse.require(*(name.split(".")[1] for name in required_tables()))
    out_dir = tmp_path_factory.mktemp("eda_report")
    out = out_dir / "eda_report.html"
    started = time.monotonic()
    rc = main(["report", "--db", str(tiny_warehouse.db_path), "--out", str(out),
               "--png-dir", str(out_dir / "png")])
    seconds = time.monotonic() - started
    assert rc == 0
    # a copy to look at (artifacts/ is git-ignored)
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    shutil.copytree(out_dir, ARTIFACTS)
    (ARTIFACTS / "seconds.txt").write_text(f"{seconds:.1f}\n")
    parser = _ReportParser()
    text = out.read_text(encoding="utf-8")
    parser.feed(text)
    return {"html": text, "parser": parser, "png_dir": out_dir / "png", "seconds": seconds}


@pytest.mark.slow
def test_report_contains_every_chart_as_embedded_png(rendered: dict) -> None:
    parser: _ReportParser = rendered["parser"]
    assert len({c.id for c in CHARTS}) == len(CHARTS), "duplicate chart ids"
    for chart in CHARTS:
        assert f"chart-{chart.id}" in parser.figures, f"no <figure> for chart {chart.id}"
        src = parser.images.get(f"img-{chart.id}")
        assert src, f"no <img> for chart {chart.id}"
        assert src.startswith(DATA_URI), f"{chart.id}: not an embedded PNG"
        png = base64.b64decode(src[len(DATA_URI):], validate=True)
        width, height = _png_size(png)
        assert 800 <= width <= 2000 and 300 <= height <= 2000, (chart.id, width, height)
        assert len(png) > 10_000, f"{chart.id}: suspiciously small PNG ({len(png)} bytes)"
        # --png-dir writes the same image
        assert (rendered["png_dir"] / f"{chart.id}.png").read_bytes() == png
    assert set(parser.images) == {f"img-{c.id}" for c in CHARTS}
    assert not parser.external, f"external assets: {parser.external}"


@pytest.mark.slow
def test_report_contains_the_tables(rendered: dict) -> None:
    tables = rendered["parser"].tables
    for table in TABLES:
        rows = tables.get(f"table-{table.id}")
        assert rows and len(rows) >= 2, f"table {table.id} missing or empty"
    description = {row[0]: row[1] for row in tables["table-data_description"][1:]}
    assert {"n_customers", "n_customers_with_purchases",
            "n_customers_without_purchases"} <= set(description)
    assert int(description["n_customers"]) == (
        int(description["n_customers_with_purchases"])
        + int(description["n_customers_without_purchases"]))
    recall = tables["table-candidate_recall"]
    assert recall[0][0] == "source" and len(recall[0]) >= 2
    assert "union" in {row[0] for row in recall[1:]}
    strategies = {row[0] for row in tables["table-eval_strategies"][1:]}
    assert {"als", "ranker", "popular_last_week", "own_recent_then_popular"} <= strategies


def _fake_warehouse(path: Path, leave_out: set[str]) -> None:
    """A DuckDB file with an empty stand-in for every table the report reads,
    except `leave_out`."""
    con = duckdb.connect(str(path))
    try:
        for name in required_tables():
            if name in leave_out:
                continue
            schema = name.split(".")[0]
            con.execute(f"create schema if not exists {schema}")
            con.execute(f"create table {name} (x integer)")
    finally:
        con.close()


def test_missing_table_fails_naming_it(tmp_path: Path, capsys) -> None:
    db = tmp_path / "partial.duckdb"
    _fake_warehouse(db, leave_out={"eval.eval_strategies", "eval.eval_candidate_recall"})
    with pytest.raises(ReportError, match=r"eval\.eval_candidate_recall, eval\.eval_strategies"):
        write_report(db, tmp_path / "report.html")
    out = tmp_path / "cli.html"
    assert main(["report", "--db", str(db), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "eval.eval_strategies" in err and "lacks 2 table(s)" in err
    assert not out.exists()


def test_missing_warehouse_fails_clearly(tmp_path: Path, capsys) -> None:
    assert main(["report", "--db", str(tmp_path / "none.duckdb"),
                 "--out", str(tmp_path / "r.html")]) == 1
    assert "no warehouse at" in capsys.readouterr().err


def test_exposure_lists_every_model_the_report_reads() -> None:
    exposures = yaml.safe_load((REPO / "models" / "exposures" / "_exposures.yml").read_text())
    eda = next(e for e in exposures["exposures"] if e["name"] == "eda_report")
    listed = {ref.split("'")[1] for ref in eda["depends_on"]}
    read = {name.split(".")[1] for name in required_tables()}
    assert read == listed, f"read but not listed: {read - listed}; listed, not read: {listed - read}"


def test_every_query_file_feeds_a_chart_or_table() -> None:
    """queries/<name>.sql: each file is read by some panel or table (its
    text between the placeholders appears in that SQL), and no SQL is left
    unfilled."""
    sqls = [p.sql for c in CHARTS for p in c.panels] + [t.sql for t in TABLES]
    assert not [sql for sql in sqls if "{" in sql or "}" in sql]
    names = queries.names()
    assert len(names) >= 20
    for name in names:
        parts = [text for text, *_ in string.Formatter().parse(queries.template(name))
                 if text.strip()]
        assert any(all(part in sql for part in parts) for sql in sqls), \
            f"queries/{name}.sql feeds no chart or table"


def test_query_parameters_are_checked() -> None:
    assert queries.placeholders("customer_status") == {"column"}
    assert "club_member_status" in queries.query("customer_status", column="club_member_status")
    with pytest.raises(ValueError, match="column"):
        queries.query("customer_status")
    with pytest.raises(ValueError, match="no parameters"):
        queries.query("customers_per_age", column="age")
    with pytest.raises(FileNotFoundError, match="no_such_query"):
        queries.query("no_such_query")
