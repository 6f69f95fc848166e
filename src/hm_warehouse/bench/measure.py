"""Wall time and peak memory of one command and its process tree.

The peak resident memory of a command is the sum of VmRSS over the process
and its descendants, sampled from /proc every `interval` seconds in a
background thread, or the kernel's exact peak of the largest single process
(ru_maxrss from wait4), whichever is larger. Linux only (/proc).
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self


def _read_ppid(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            stat = handle.read()
    except OSError:
        return None
    # "pid (comm) state ppid ...": comm may hold spaces and parentheses
    fields = stat[stat.rfind(b")") + 2:].split()
    return int(fields[1]) if len(fields) > 1 else None


def process_tree(root: int) -> list[int]:
    """`root` and all its live descendants (from /proc/<pid>/stat)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            ppid = _read_ppid(int(entry))
            if ppid is not None:
                children.setdefault(ppid, []).append(int(entry))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def rss_bytes(pid: int) -> int:
    """VmRSS of one process (0 when gone or a zombie)."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class TreeRssSampler:
    """Samples the summed VmRSS of a process tree in a background thread and
    keeps the peak. Use as a context manager around the process's life."""

    def __init__(self, pid: int, interval: float = 0.5) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_bytes = 0
        self.peak_processes = 0
        self.n_samples = 0
        # (unix time, summed VmRSS): attributes memory to the dbt nodes running then
        self.timeline: list[tuple[float, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="rss-sampler", daemon=True)

    def sample(self) -> int:
        tree = process_tree(self.pid)
        total = sum(rss_bytes(pid) for pid in tree)
        self.timeline.append((time.time(), total))
        if total > self.peak_bytes:
            self.peak_bytes, self.peak_processes = total, len(tree)
        self.n_samples += 1
        return total

    def _loop(self) -> None:
        while True:
            self.sample()
            if self._stop.wait(self.interval):
                return

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class CommandMeasurement:
    returncode: int
    wall_seconds: float
    peak_rss_sampled_bytes: int
    max_rss_single_process_bytes: int
    n_samples: int
    timeline: list[tuple[float, int]] = field(default_factory=list)

    @property
    def peak_rss_bytes(self) -> int:
        return max(self.peak_rss_sampled_bytes, self.max_rss_single_process_bytes)


def measure_command(cmd: Sequence[str], *, cwd: Path | None = None,
                    env: dict[str, str] | None = None, output: Path | None = None,
                    interval: float = 0.5) -> CommandMeasurement:
    """Run `cmd` to completion, measuring wall time and peak memory."""
    out = open(output, "w") if output is not None else subprocess.DEVNULL  # noqa: SIM115
    try:
        started = time.monotonic()
        proc = subprocess.Popen(list(cmd), cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            with TreeRssSampler(proc.pid, interval) as sampler:
                _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:  # Ctrl-C: stop the child before unwinding
            proc.kill()
            proc.wait()
            raise
        wall = time.monotonic() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if output is not None:
            out.close()
    return CommandMeasurement(
        returncode=proc.returncode,
        wall_seconds=wall,
        peak_rss_sampled_bytes=sampler.peak_bytes,
        max_rss_single_process_bytes=usage.ru_maxrss * 1024,  # kB on Linux
        n_samples=sampler.n_samples,
        timeline=sampler.timeline,
    )
