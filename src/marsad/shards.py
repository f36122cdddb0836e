"""A corpus cut into shards that cluster workers read for themselves.

The client plans: it lists the files (and counts the lines of each large
JSON Lines file) but reads no article. Each :class:`Shard` names a few files,
or one range of lines of one file, and the worker that runs it reads them —
so documents never travel from the client to the cluster. Read one after the
other, the shards give exactly the stream :func:`marsad.sources.iter_inputs`
gives for the same inputs (same articles, ids, messages, in the same order),
which is what makes a cluster run store what a local one stores.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from marsad.errors import MarsadError
from marsad.readers.base import DEFAULT_MAX_CHARS, Item, JsonlFields, Notice, Skip, count_lines
from marsad.readers.frontmatter import is_sidecar, sidecar_for
from marsad.readers.index import index_for
from marsad.readers.jsonl import read_jsonl_file
from marsad.sources import clean, dir_notes, format_of, read_file, walk_dir

DEFAULT_SHARD_SIZE = 500  # articles per shard at most: a few seconds to a minute of work, so a lost worker costs little
MIN_SHARD_SIZE = 20
TARGET_SHARDS = 64  # enough that the last shards to finish do not leave most workers idle


def shard_size_for(total: int | None) -> int:
    """The shard size for an input of about ``total`` articles: small inputs are cut finer so every worker
    has work until the end. It depends on the input alone (not on the cluster), so a re-run on another
    cluster finds the same shards done."""
    if total is None:
        return DEFAULT_SHARD_SIZE
    return max(MIN_SHARD_SIZE, min(DEFAULT_SHARD_SIZE, -(-total // TARGET_SHARDS)))


@dataclass(frozen=True)
class Shard:
    """Some files (as the user named them, with their format), or lines ``first ≤ n < end`` of one file."""

    number: int
    files: tuple[tuple[str, str], ...] = ()
    lines: tuple[int, int] | None = None
    notes: tuple[Skip | Notice, ...] = ()  # what planning found just before these files (a missing input…)
    stamp: tuple[tuple[int, int], ...] = ()  # each file's size and mtime: a changed file is a new shard

    def shard_id(self, fields: JsonlFields, recipe: str) -> str:
        """A name that changes when anything the shard's output depends on changes."""
        key = json.dumps([self.number, self.files, self.lines, [dataclasses.astuple(n) for n in self.notes],
                          self.stamp, dataclasses.astuple(fields), recipe])
        return f"{self.number:06d}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"


def plan_shards(paths: Sequence[str], input_format: str = "auto", size: int = DEFAULT_SHARD_SIZE,
                base: Path | None = None) -> list[Shard]:
    """The shards of ``paths`` (files and directories; relative paths are taken from ``base``, default cwd)."""
    base = base or Path.cwd()
    planner = _Planner(size, base)
    for arg in paths:
        if arg == "-":
            raise MarsadError("a cluster reads files its workers can see; standard input cannot be shared out "
                              "(save it to a file first)")
        path = base / arg
        if path.is_dir():
            files, ignored, problems = walk_dir(path, input_format)
            for note in dir_notes(arg, files, ignored, problems):
                planner.note(note)
            for f, fmt in files:
                planner.add(str(Path(arg) / f.relative_to(path)), fmt)
        elif not path.exists():
            planner.note(Skip(arg, "no such file or directory"))
        elif input_format == "auto" and is_sidecar(path):
            planner.note(Notice(arg, "metadata file of a .txt article beside it: read with that article, not as one"))
        else:
            planner.add(arg, input_format if input_format != "auto" else (format_of(path) or "txt"))
    return planner.finish()


class _Planner:
    def __init__(self, size: int, base: Path) -> None:
        self.size, self.base = size, base
        self.shards: list[Shard] = []
        self.files: list[tuple[str, str]] = []
        self.notes: list[Skip | Notice] = []

    def note(self, note: Skip | Notice) -> None:
        self._close()  # a note goes before the files that follow it
        self.notes.append(note)

    def add(self, name: str, fmt: str) -> None:
        lines = _count_lines(self.base / name) if fmt == "jsonl" else None
        if lines is not None and lines > self.size:  # a large JSON Lines file: ranges of its lines
            self._close()
            for first in range(1, lines + 1, self.size):
                self._emit(((name, fmt),), (first, min(first + self.size, lines + 1)))
            return
        self.files.append((name, fmt))
        if len(self.files) >= self.size or fmt in ("csv", "feed", "jsonl"):  # files of many articles go alone
            self._close()

    def _close(self) -> None:
        if self.files:
            self._emit(tuple(self.files))
            self.files = []

    def _emit(self, files: tuple[tuple[str, str], ...], lines: tuple[int, int] | None = None) -> None:
        stamp = tuple(_stamp(self.base / name) for name, _ in files)
        self.shards.append(Shard(len(self.shards), files, lines, tuple(self.notes), stamp))
        self.notes = []

    def finish(self) -> list[Shard]:
        self._close()
        if self.notes:
            self._emit(())
        return self.shards


def _stamp(path: Path) -> tuple[int, int]:
    """Size and mtime of a file, folded with those of a .txt article's sidecar and folder index,
    so that a changed metadata file also makes a new shard."""
    try:
        st = path.stat()
    except OSError:
        return (-1, -1)  # the worker will report it
    size, mtime = st.st_size, st.st_mtime_ns
    if path.suffix.lower() == ".txt":
        for meta in (sidecar_for(path), index_for(path)):
            if meta is not None:
                with contextlib.suppress(OSError):
                    mst = meta.stat()
                    size, mtime = size + mst.st_size, max(mtime, mst.st_mtime_ns)
    return (size, mtime)


def _count_lines(path: Path) -> int | None:
    """Lines in a JSON Lines file (the last one even without its newline), or None if it cannot be read:
    then the file is one shard, and its worker reports what is wrong with it."""
    try:
        return count_lines(path, unterminated_last=True)
    except (OSError, EOFError):
        return None


def read_shard(shard: Shard, fields: JsonlFields, base: Path,
               max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Item]:
    """What the shard holds, in order: its notes, then its files' articles, skips and notices."""
    yield from shard.notes
    for name, fmt in shard.files:
        path = base / name
        if shard.lines is not None:
            elements = clean(read_jsonl_file(path, fields, shard.lines, max_chars), str(path))
        else:
            elements = read_file(path, fmt, fields, max_chars)
        yield from (_relabel(e, str(path), name) for e in elements)


def _relabel(element: Item, read_as: str, name: str) -> Item:
    """Messages and sources name the file as the user did, not as the worker found it."""
    source = element.source
    if source.startswith(read_as) and read_as != name:
        element = dataclasses.replace(element, source=name + source[len(read_as):])
    return element

