"""The dbt project as the Python package sees it: where it is, its vars, and
its plain-SQL macros rendered outside dbt.

Some SQL is needed both inside the warehouse and outside it (the baselines the
generator scores on the data it writes). It lives once, as dbt macros that use
no dbt context (`macros/baselines.sql`, `macros/ranking_metrics.sql`), and
`render_macro` renders them with plain Jinja for DuckDB run from Python.
Defaults (the cutoff date, list lengths, training weeks) are read from
`dbt_project.yml`, the one place they are stated.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

import jinja2
import yaml

PLAIN_SQL_MACROS = ("baselines.sql", "ranking_metrics.sql")


class ProjectError(RuntimeError):
    """The dbt project cannot be found or read."""


def project_dir() -> Path:
    """The dbt project: $HM_PROJECT_DIR, else the checkout holding this package."""
    configured = os.environ.get("HM_PROJECT_DIR")
    candidates = [Path(configured)] if configured else []
    candidates.append(Path(__file__).resolve().parents[2])
    for candidate in candidates:
        if (candidate / "dbt_project.yml").exists():
            return candidate
    raise ProjectError(
        "no dbt_project.yml found (looked in "
        + ", ".join(str(c) for c in candidates)
        + "); set HM_PROJECT_DIR to the hm-warehouse checkout")


@functools.cache
def dbt_vars(root: Path | None = None) -> dict[str, Any]:
    """The `vars:` of dbt_project.yml, as written (defaults of every var)."""
    path = (root or project_dir()) / "dbt_project.yml"
    return yaml.safe_load(path.read_text())["vars"]


@functools.cache
def _macro_module(root: Path):
    env = jinja2.Environment(extensions=["jinja2.ext.do"], undefined=jinja2.StrictUndefined)
    text = "\n".join((root / "macros" / name).read_text() for name in PLAIN_SQL_MACROS)
    return env.from_string(text).module


def render_macro(name: str, *args: Any, root: Path | None = None, **kwargs: Any) -> str:
    """SQL of one plain-SQL macro of the project, called with these arguments."""
    module = _macro_module(root or project_dir())
    macro = getattr(module, name, None)
    if macro is None:
        raise ProjectError(f"macro {name} not found in macros/{{{','.join(PLAIN_SQL_MACROS)}}}")
    return str(macro(*args, **kwargs))
