"""A plain `dbt build` works on a fresh clone after setup: the warehouse
directory of profiles.yml's default path is in the repository.

Before: `DBT_PROFILES_DIR=. dbt build` on a fresh clone died with `Cannot open
file ".../warehouse/hm.duckdb": No such file or directory` (only the CLI made
warehouse/).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DBT = Path(sys.executable).with_name("dbt")


def test_dbt_connects_in_a_fresh_clone(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "--quiet", "--local", str(REPO_ROOT), str(clone)],
                   check=True)
    # (a clone of the last commit: what CI and a new user check out)
    env = {k: v for k, v in os.environ.items() if not k.startswith("HM_")}
    env.update(DBT_PROFILES_DIR=str(clone), DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    run = subprocess.run([str(DBT), "debug", "--no-use-colors"], check=False, cwd=clone, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "Connection test: [OK" in run.stdout, run.stdout[-3000:]
    assert (clone / "warehouse" / "hm.duckdb").exists()
