"""The report's SQL: one file per chart panel or table, queries/<name>.sql,
plain DuckDB SQL over the schema-qualified tables of the published
warehouse (marts, eval, staging), linted by sqlfluff like the models
(queries/.sqlfluff).

A file is a Python format template: `query(name, **params)` fills its
`{placeholder}`s with str.format. Most files have none; the few shared by
several panels take the column or table they count (`{column}`, `{table}`)
and the report's thresholds (`{top}`, `{min_group_units}`), so each
threshold is stated once, in specs.py, for the SQL and the captions alike.

The files are package data, read with importlib.resources: found the same
from the source tree, an editable install or a wheel.
"""

from __future__ import annotations

import functools
import string
from importlib import resources
from importlib.resources.abc import Traversable

PACKAGE = __name__.rpartition(".")[0]  # hm_warehouse.report
FOLDER = "queries"


def _folder() -> Traversable:
    return resources.files(PACKAGE) / FOLDER


@functools.cache
def template(name: str) -> str:
    """The text of queries/<name>.sql, as written."""
    path = _folder() / f"{name}.sql"
    if not path.is_file():
        raise FileNotFoundError(f"no report query {name!r} ({FOLDER}/{name}.sql in {PACKAGE})")
    return path.read_text(encoding="utf-8")


def placeholders(name: str) -> set[str]:
    """The {placeholder} names of queries/<name>.sql."""
    return {field for _, field, _, _ in string.Formatter().parse(template(name)) if field}


def query(name: str, **params: object) -> str:
    """The SQL of queries/<name>.sql with its placeholders filled from
    `params` (every placeholder needs a value, every value a placeholder)."""
    expected = placeholders(name)
    if set(params) != expected:
        raise ValueError(f"report query {name!r} takes {sorted(expected) or 'no parameters'}, "
                         f"got {sorted(params) or 'none'}")
    return template(name).format_map(params)


def names() -> list[str]:
    """Every query of the report, by file name."""
    return sorted(p.name.removesuffix(".sql") for p in _folder().iterdir()
                  if p.name.endswith(".sql"))
