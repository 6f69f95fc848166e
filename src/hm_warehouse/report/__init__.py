"""The exploratory data analysis report: one self-contained HTML file.

Every chart and table is SQL over the published warehouse (marts, eval and
the staging tables for null shares), never the csv files. The SQL aggregates
in DuckDB and returns small frames (one row per category, week, distinct
value or quantile), so the report reads a full-scale warehouse (31.8M
transactions, 1.37M customers) as quickly as a tiny one: box plots come from
`quantile_cont`, histograms from counts per distinct value.

A chart is a `Chart` (id, section, title, caption) of one or more `Panel`s
(SQL + a kind: bar, hbar, grouped_hbar, grouped_bar, hist, loghist, line,
box); a `render_<kind>` function draws each kind with matplotlib (Agg, no
display). PNGs are embedded as base64 `data:` URIs, so the file has no
external assets. `build_report` opens the warehouse read-only and fails with
`ReportError` naming any table the report needs that is missing.

The package, by job:

- specs.py: what the report shows (Panel, Chart, Table; CHARTS, TABLES), the
  order of strategies and candidate sources from the registry;
- queries/*.sql, queries.py: the SQL of every chart and table, one file each;
- render.py: the matplotlib renderers;
- page.py: the HTML page, build_report and write_report.
"""

from __future__ import annotations

from .page import (
    DEFAULT_MEMORY_LIMIT,
    DEFAULT_OUT,
    Report,
    ReportError,
    build_report,
    check_tables,
    table_html,
    write_report,
)
from .queries import query
from .render import RENDERERS, log_bins, render_chart
from .specs import (
    CHARTS,
    MIN_GROUP_UNITS,
    TABLES,
    TOP_CATEGORIES,
    Chart,
    Panel,
    Table,
    required_tables,
    source_order,
    strategy_order,
)

__all__ = [
    "CHARTS",
    "DEFAULT_MEMORY_LIMIT",
    "DEFAULT_OUT",
    "MIN_GROUP_UNITS",
    "RENDERERS",
    "TABLES",
    "TOP_CATEGORIES",
    "Chart",
    "Panel",
    "Report",
    "ReportError",
    "Table",
    "build_report",
    "check_tables",
    "log_bins",
    "query",
    "render_chart",
    "required_tables",
    "source_order",
    "strategy_order",
    "table_html",
    "write_report",
]
