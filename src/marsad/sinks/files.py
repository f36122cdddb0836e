"""Writing files atomically (document JSON, exports): a temporary file beside the target, renamed at the end.

``tempfile`` makes its files ``-rw-------`` and its folders ``drwx------``, which is right for secrets and
wrong for results a colleague should read: what is renamed into place gets the mode any other tool would
give it (the user's umask applied), or the mode of the file it replaces.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

_UMASK_LOCK = threading.Lock()


def current_umask() -> int:
    """The process's umask, read anew each time (a caller, or a test, may change it).

    Linux shows it in /proc, which changes nothing; elsewhere reading it means setting it and setting it back,
    under a lock, so that two threads doing so cannot leave a wrong umask behind.
    """
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _UMASK_LOCK:
        mask = os.umask(0o077)  # the most private value, for the moment it is in force
        os.umask(mask)
    return mask


def new_file_mode(path: Path) -> int:
    """The permissions for a file about to be put at ``path``: those of the file there now (a colleague's read
    access stays as it was; never set-id bits, for new content), else 0o666 less the umask, as ``open()`` would
    create it."""
    return _mode_for(path, stat.S_ISREG, 0o666, keep=0o777)


def new_dir_mode(path: Path) -> int:
    """The permissions for a folder about to be put at ``path``: those of the folder there now (a setgid bit on
    a shared folder is kept, as a group expects), else 0o777 less the umask, as ``mkdir`` would create it."""
    return _mode_for(path, stat.S_ISDIR, 0o777, keep=0o7777)


def _mode_for(path: Path, is_kind: Callable[[int], bool], default: int, keep: int) -> int:
    try:
        existing = path.stat()
    except OSError:
        existing = None
    if existing is not None and is_kind(existing.st_mode):
        return stat.S_IMODE(existing.st_mode) & keep
    return default & ~current_umask()


@contextmanager
def atomic_text_file(path: Path, encoding: str = "utf-8", newline: str | None = None) -> Iterator[TextIO]:
    """A text file to write ``path`` through: it appears under its name, complete, only if the block ends
    without an exception; otherwise the partial file is removed and ``path`` is left as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = new_file_mode(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline=newline) as fh:
            yield fh
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json_atomic(path: Path, data: dict[str, Any], indent: int | None = 2) -> None:
    """Write JSON to ``path`` through a temporary file, so a crash never leaves half a file."""
    with atomic_text_file(path) as f:
        json.dump(data, f, ensure_ascii=False, indent=indent)
        f.write("\n")


def jsonl_line(data: dict[str, Any]) -> str:
    """One JSON Lines line (without its newline)."""
    return json.dumps(data, ensure_ascii=False)
