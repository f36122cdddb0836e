"""Worker processes end with the process that started them, even one killed with SIGKILL.

A parent killed outright runs no clean-up, and its workers do not notice: a pool worker waits on a queue whose
other end its siblings still hold open, so it would wait forever (each one holding 150-200 MB). Each worker
calls :func:`guard` with its parent's pid, as the parent recorded it before starting the worker:

- on Linux, ``PR_SET_PDEATHSIG``: the kernel sends the worker SIGKILL the moment its parent dies, even while
  it is busy in C code holding the GIL;
- everywhere, a daemon thread that sees the parent go (POSIX: ``os.getppid()`` changes, the orphan being
  adopted by init or a subreaper; Windows: the parent's process handle is signalled) and ends the process.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
ORPHANED = 70  # the exit status of a worker that ended because its parent was gone
POLL_S = 1.0  # how often the watchdog looks (on Linux it is only the second guard)

_guarded: tuple[int, int] | None = None  # (this process, its parent): a forked child inherits it, so the pid too


def guard(parent_pid: int, poll_s: float = POLL_S) -> None:
    """In a worker: end this process as soon as ``parent_pid``, its parent, is gone (once per process)."""
    global _guarded
    if _guarded == (os.getpid(), parent_pid):
        return
    _guarded = (os.getpid(), parent_pid)
    ready = threading.Event()
    threading.Thread(target=_watch, args=(parent_pid, poll_s, ready), name="marsad-lifeline", daemon=True).start()
    ready.wait(5)  # the death signal is set and the parent checked when guard() returns


def die_with_parent() -> bool:
    """Linux: ask the kernel for SIGKILL when the parent dies. False where that cannot be had."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, ctypes.c_ulong(signal.SIGKILL), ctypes.c_ulong(0), ctypes.c_ulong(0),
                          ctypes.c_ulong(0)) == 0
    except (OSError, AttributeError):  # no prctl in this C library: the watchdog still guards
        return False


def _watch(parent_pid: int, poll_s: float, ready: threading.Event) -> None:
    # The kernel keeps the death signal per thread and forgets it when the thread that set it ends; this thread
    # lives as long as the process, whichever thread called guard() (a pool initialiser, a Dask plugin).
    die_with_parent()
    # Checked after the signal is set: a parent that died before (it may have been killed just after the fork)
    # sends nothing any more.
    if not _alive(parent_pid):
        os._exit(ORPHANED)
    ready.set()
    if os.name == "nt":
        parent = multiprocessing.parent_process()  # spawned: its sentinel is the parent's process handle
        if parent is None or parent.pid != parent_pid:
            return  # nothing to wait on: not started by multiprocessing
        parent.join()
        os._exit(ORPHANED)
    while _alive(parent_pid):
        time.sleep(poll_s)
    os._exit(ORPHANED)


def _alive(parent_pid: int) -> bool:
    if os.name == "nt":  # a Windows process keeps its parent's pid after the parent exits
        parent = multiprocessing.parent_process()
        return parent is None or parent.pid != parent_pid or parent.is_alive()
    return os.getppid() == parent_pid
