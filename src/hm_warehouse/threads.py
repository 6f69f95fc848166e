"""Thread limits that are safe when dbt runs Python models side by side.

dbt-duckdb runs the Python models of one `dbt build` in one process, two at a
time with `threads: 2`. threadpoolctl's limits are process-wide: a model that
leaves its `threadpool_limits` block restores the BLAS threads of every model
still running. ALS's factors depend on the BLAS thread count in the last bits
(and then its rankings), so without a lock two identical builds could give
different candidates. `thread_limits` holds one process-wide lock for as long
as the limits hold, so the limited sections of concurrent models run one
after the other and each sees only its own limits.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from threadpoolctl import threadpool_limits

_LOCK = threading.RLock()  # re-entrant: a limited section may call another


@contextmanager
def thread_limits(limits: int, user_api: str | None = None) -> Iterator[None]:
    """threadpoolctl.threadpool_limits(limits, user_api), held exclusively in
    this process (other threads entering `thread_limits` wait)."""
    with _LOCK, threadpool_limits(limits, user_api):
        yield
