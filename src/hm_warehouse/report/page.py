"""The report's HTML page: `build_report` opens the warehouse read-only,
fails with `ReportError` naming any table the report needs that is missing,
runs every chart's and table's SQL and renders them (render.py); the page
embeds the PNGs as base64 `data:` URIs, so it has no external assets.
`write_report` writes it (and, optionally, each chart as a PNG file).
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import math
import re
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from .. import settings
from .render import render_chart
from .specs import CHARTS, TABLES, Chart, Table, required_tables

DEFAULT_OUT = Path("reports/eda_report.html")
# the report's own DuckDB cap (not the build's, profiles.yml): the full-scale
# report spills past it to a temporary directory
DEFAULT_MEMORY_LIMIT = "4GB"


class ReportError(RuntimeError):
    """The report cannot be built from this warehouse."""


# ------------------------------------------------------------------ html
def _format_cell(value: object, fmt: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if fmt == "count":
        return f"{int(value):,}"
    if fmt.startswith("float") and isinstance(value, (int, float, np.number)):
        return f"{float(value):.{int(fmt[5:] or 4)}f}"
    return html.escape(str(value))


def table_html(table: Table, frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = []
    for row in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, row, strict=True):
            fmt = table.formats.get(str(column), table.formats.get("*", "text"))
            if column == frame.columns[0] and "*" in table.formats:
                fmt = "text"
            numeric = isinstance(value, (int, float, np.number)) and fmt != "text"
            cells.append(f"<td class=\"{'num' if numeric else 'txt'}\">"
                         f"{_format_cell(value, fmt)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<table id="table-{table.id}" class="data"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


_CSS = """
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 0 auto;
       max-width: 1150px; padding: 1.5em; color: #222; line-height: 1.45; }
h1 { margin-bottom: 0.2em; } h2 { border-bottom: 2px solid #1f4e79; padding-bottom: 0.2em;
margin-top: 2em; } h3 { margin-bottom: 0.3em; }
.meta { color: #555; font-size: 0.9em; }
figure { margin: 1.2em 0 2em 0; } figure img { max-width: 100%; height: auto;
border: 1px solid #ddd; }
figcaption, .caption { color: #444; font-size: 0.92em; margin-top: 0.4em; }
table.data { border-collapse: collapse; font-size: 0.9em; margin: 0.5em 0 0.3em 0; }
table.data th, table.data td { border: 1px solid #ccc; padding: 0.25em 0.6em; }
table.data th { background: #eef3f8; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
nav ul { columns: 2; font-size: 0.92em; }
code { background: #f3f3f3; padding: 0 0.2em; }
"""


@dataclass
class Report:
    html: str
    charts: dict[str, bytes]  # chart id -> png
    tables: dict[str, pd.DataFrame]
    seconds: float
    timings: dict[str, float]


def _query(con: duckdb.DuckDBPyConnection, sql: str, what: str) -> pd.DataFrame:
    try:
        return con.execute(sql).df()
    except duckdb.Error as exc:
        raise ReportError(f"{what}: query failed: {exc}") from exc


def check_tables(con: duckdb.DuckDBPyConnection, db: Path, needed: Sequence[str]) -> None:
    present = {
        f"{schema}.{name}"
        for schema, name in con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = current_database()"
        ).fetchall()
    }
    missing = [t for t in needed if t not in present]
    if missing:
        raise ReportError(
            f"warehouse {db} lacks {len(missing)} table(s) the report reads: "
            f"{', '.join(missing)}. Build them first (`make demo`, or `hm-warehouse build "
            f"--select {' '.join('+' + t.split('.')[1] for t in missing)}`)."
        )


def build_report(db: Path | None = None, charts: Sequence[Chart] = CHARTS,
                 tables: Sequence[Table] = TABLES,
                 memory_limit: str = DEFAULT_MEMORY_LIMIT) -> Report:
    """Query the warehouse (read-only; default: the published one,
    settings.warehouse_path()) and render every chart and table."""
    db = Path(db) if db is not None else settings.warehouse_path()
    if not db.exists():
        raise ReportError(f"no warehouse at {db}; build it with `make demo`")
    started = time.monotonic()
    timings: dict[str, float] = {}
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error as exc:
        raise ReportError(f"cannot open {db} read-only: {exc}") from exc
    spill = tempfile.TemporaryDirectory(prefix="hm_report_")
    try:
        # bounded memory on a shared machine: big aggregations spill to a temp dir
        con.execute(f"set memory_limit = '{memory_limit}'")
        con.execute(f"set temp_directory = '{spill.name}'")
        con.execute("set preserve_insertion_order = false")
        con.execute("set enable_progress_bar = false")
        check_tables(con, db, required_tables(charts, tables))
        pngs: dict[str, bytes] = {}
        for chart in charts:
            t0 = time.monotonic()
            frames = [_query(con, p.sql, f"chart {chart.id}") for p in chart.panels]
            pngs[chart.id] = render_chart(chart, frames)
            timings[chart.id] = time.monotonic() - t0
        table_frames: dict[str, pd.DataFrame] = {}
        for table in tables:
            t0 = time.monotonic()
            frame = _query(con, table.sql, f"table {table.id}")
            table_frames[table.id] = table.transform(frame) if table.transform else frame
            timings[f"table {table.id}"] = time.monotonic() - t0
    finally:
        con.close()
        spill.cleanup()
    seconds = time.monotonic() - started
    page = _page(db, charts, pngs, tables, table_frames, seconds)
    return Report(html=page, charts=pngs, tables=table_frames, seconds=seconds, timings=timings)


def _table_section(table: Table, frame: pd.DataFrame) -> str:
    return (f'<section class="table"><h3>{html.escape(table.title)}</h3>'
            f"{table_html(table, frame)}"
            f'<p class="caption">{html.escape(table.caption)}</p></section>')


def _page(db: Path, charts: Sequence[Chart], pngs: dict[str, bytes], tables: Sequence[Table],
          table_frames: dict[str, pd.DataFrame], seconds: float) -> str:
    sections = list(dict.fromkeys([*(t.section for t in tables), *(c.section for c in charts)]))
    order = ("Data description", "Customers", "Articles", "Transactions",
             "Candidates and evaluation")
    sections.sort(key=lambda s: order.index(s) if s in order else len(order))
    nav, parts = [], []
    for section in sections:
        anchor = re.sub(r"[^a-z0-9]+", "-", section.lower()).strip("-")
        nav.append(f'<li><a href="#{anchor}">{html.escape(section)}</a></li>')
        parts.append(f'<h2 id="{anchor}">{html.escape(section)}</h2>')
        chart_ids = {c.id for c in charts if c.section == section}
        section_tables = [t for t in tables if t.section == section]
        for table in (t for t in section_tables if t.before_chart not in chart_ids):
            parts.append(_table_section(table, table_frames[table.id]))
        for chart in (c for c in charts if c.section == section):
            for table in (t for t in section_tables if t.before_chart == chart.id):
                parts.append(_table_section(table, table_frames[table.id]))
            data = base64.b64encode(pngs[chart.id]).decode("ascii")
            parts.append(
                f'<figure id="chart-{chart.id}">'
                f'<img id="img-{chart.id}" alt="{html.escape(chart.title)}" '
                f'src="data:image/png;base64,{data}">'
                f"<figcaption><b>{html.escape(chart.title)}.</b> "
                f"{html.escape(chart.caption)}</figcaption></figure>"
            )
    generated = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>H&amp;M warehouse: exploratory data analysis</title>"
        f"<style>{_CSS}</style></head><body>"
        "<h1>H&amp;M Personalized Fashion Recommendations: exploratory data analysis</h1>"
        f'<p class="meta">Warehouse <code>{html.escape(str(db))}</code>, generated {generated} '
        f"in {seconds:.1f} s by <code>hm-warehouse report</code>. Every figure is SQL over the "
        "warehouse's marts (and eval / staging tables), aggregated in DuckDB.</p>"
        f"<nav><ul>{''.join(nav)}</ul></nav>{''.join(parts)}</body></html>\n"
    )


def write_report(db: Path | None = None, out: Path = DEFAULT_OUT,
                 png_dir: Path | None = None,
                 memory_limit: str = DEFAULT_MEMORY_LIMIT) -> Report:
    """Build the report and write it to `out` (and each chart to `png_dir`)."""
    report = build_report(db, memory_limit=memory_limit)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(report.html, encoding="utf-8")
    tmp.replace(out)
    if png_dir is not None:
        png_dir = Path(png_dir)
        png_dir.mkdir(parents=True, exist_ok=True)
        for chart_id, png in report.charts.items():
            (png_dir / f"{chart_id}.png").write_bytes(png)
    return report
