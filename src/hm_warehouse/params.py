"""Hyperparameters of the ML code, read from where they are stated: the dbt
vars of dbt_project.yml and, for threads, the profile ($HM_THREADS). The
parameter dataclasses hold no defaults of their own, so a default is never
written twice.

A field `x` of a dataclass with `VAR_PREFIX = "als_"` is the dbt var
`als_x`; `seed` is the var `seed`; `threads` is settings.threads(). A
Python model gets them as its `hyperparameters` config, a dict of field
name -> var (dbt hands a Python model only the config keys its code names
literally, so they travel as one key).
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

from . import settings
from .project import dbt_vars

P = TypeVar("P")


def var_name(cls: type, field: str) -> str:
    return field if field == "seed" else f"{cls.VAR_PREFIX}{field}"  # type: ignore[attr-defined]


def from_config(cls: type[P], values: Mapping[str, Any], **overrides: Any) -> P:
    """An instance of `cls` from a mapping of field name -> value (a Python
    model's `hyperparameters` config), `overrides` winning, each value cast
    to its field's type."""
    kinds = typing.get_type_hints(cls)
    merged: dict[str, Any] = {}
    for field in dataclasses.fields(cls):  # type: ignore[arg-type]
        if field.name in overrides:
            merged[field.name] = overrides[field.name]
        elif field.name == "threads":
            merged[field.name] = settings.threads()
        elif values.get(field.name) is None:
            raise KeyError(f"{cls.__name__}.{field.name}: no value for the dbt var "
                           f"{var_name(cls, field.name)!r} in the model's hyperparameters config")
        else:
            merged[field.name] = kinds[field.name](values[field.name])
    return cls(**merged)


def project_defaults(cls: type[P], **overrides: Any) -> P:
    """An instance of `cls` with the project's defaults (dbt_project.yml
    vars), for tests and tools outside dbt."""
    project = dbt_vars()
    values = {f.name: project.get(var_name(cls, f.name))
              for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    return from_config(cls, values, **overrides)


def target_weeks(dim_weeks) -> list[int]:
    """The target weeks (dim_weeks rows with an ml_split), ascending, from a
    DuckDB relation of dim_weeks (a Python model's dbt.ref)."""
    rows = dim_weeks.filter("ml_split is not null").project("week_index").fetchall()
    return sorted(int(row[0]) for row in rows)
