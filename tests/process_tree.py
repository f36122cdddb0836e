"""A process's descendants, and waiting for them to be gone: for the tests that kill a parent with SIGKILL and
expect its workers to end with it (lifeline.py)."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from pathlib import Path

import pytest

PROC = Path("/proc")


def _stat(pid: int) -> list[str] | None:
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()  # after "pid (name) ": state, ppid, … (the name may hold spaces)


def _started(pid: int) -> str | None:
    fields = _stat(pid)
    return fields[19] if fields else None  # starttime, field 22 of proc(5): tells a reused pid


def can_list_children() -> bool:
    """Linux's /proc, with each thread's children (CONFIG_PROC_CHILDREN)."""
    return (PROC / "self" / "task" / str(os.getpid()) / "children").exists()


def descendants(pid: int) -> dict[int, str]:
    """Every process below ``pid`` (children, theirs…), with its start time; read from /proc."""
    if not can_list_children():
        pytest.skip("needs /proc/<pid>/task/<tid>/children")
    found: dict[int, str] = {}
    todo = [pid]
    while todo:
        parent = todo.pop()
        for task in (PROC / str(parent) / "task").glob("*"):  # children are kept per thread
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except (OSError, ValueError):
                continue
            for child in children:
                started = _started(child)
                if started is not None and child not in found:
                    found[child] = started
                    todo.append(child)
    return found


def alive(processes: dict[int, str]) -> dict[int, str]:
    """Those still running (a zombie has ended; a pid reused by another process is not the same process)."""
    out = {}
    for pid, started in processes.items():
        fields = _stat(pid)
        if fields and fields[0] != "Z" and fields[19] == started:
            try:
                out[pid] = (PROC / str(pid) / "cmdline").read_text().replace("\0", " ").strip()[:160]
            except OSError:
                continue
    return out


def survivors(processes: dict[int, str], timeout: float) -> dict[int, str]:
    """Wait up to ``timeout`` seconds for ``processes`` to end; the ones still running then, with their command,
    after killing them (a test must not leave them behind)."""
    deadline = time.monotonic() + timeout
    while (left := alive(processes)) and time.monotonic() < deadline:
        time.sleep(0.05)
    for pid in left:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    return left


def wait_for(condition, timeout: float, what: str, proc=None) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"the process ended (status {proc.returncode}) before {what}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)
