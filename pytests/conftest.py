"""Shared fixtures: data made by the project's own generator."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hm_warehouse.generator import SUMMARY_FILE, generate

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def tiny_data(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("tiny")
    generate("tiny", out, seed=42, progress=False, score=False)
    return out


@pytest.fixture(scope="session")
def demo_data(tmp_path_factory) -> tuple[Path, dict]:
    """The demo scale (10% of Kaggle customers): reused from data/demo when
    `make demo` already generated it with the default seed."""
    existing = REPO / "data" / "demo"
    summary_file = existing / SUMMARY_FILE
    if summary_file.exists() and os.environ.get("HM_TEST_REGENERATE") != "1":
        import json

        summary = json.loads(summary_file.read_text())
        if summary.get("seed") == 42 and "oracle" in summary.get("map12", {}):
            return existing, summary
    out = tmp_path_factory.mktemp("demo")
    return out, generate("demo", out, seed=42, progress=False)
