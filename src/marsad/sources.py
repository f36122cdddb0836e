"""Reading articles from files, directories and standard input, in every format an analyst has.

:func:`iter_inputs` is the one entry point ``extract`` and ``ingest`` use. It
picks a reader per file (``marsad.readers``: plain text with front matter or
a sidecar, JSON Lines, CSV/TSV, saved HTML pages, RSS/Atom feeds) and yields
what they read in stream order. Every input problem becomes a :class:`Skip`
naming the file (and line or entry) and the reason; reading never stops
half-way.
"""

from __future__ import annotations

import dataclasses
import errno
import io
import os
import re
import stat
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from marsad.readers import csvfile, feeds, html, jsonl
from marsad.readers.base import (
    DATE_FIELDS,
    DEFAULT_MAX_CHARS,
    InputItem,
    Item,
    JsonlFields,
    Notice,
    Skip,
    decode,
    decoded_as,
)
from marsad.readers.frontmatter import is_sidecar
from marsad.readers.jsonl import iter_jsonl
from marsad.readers.textfile import read_text, read_text_file, text_cap

__all__ = ["DATE_FIELDS", "FORMATS", "InputItem", "JsonlFields", "Notice", "Skip", "decode", "decoded_as",
           "format_of", "iter_inputs", "iter_jsonl", "read_text_file"]

# Each format and the file names it reads when --input-format is auto (a .gz suffix where it may be compressed).
SUFFIXES: dict[str, tuple[str, ...]] = {
    "txt": (".txt",),
    "jsonl": jsonl.SUFFIXES,
    "csv": csvfile.SUFFIXES,
    "html": html.SUFFIXES,
    "feed": feeds.SUFFIXES,
}
FORMATS = ("auto", *SUFFIXES)  # the --input-format choices
_FEED_START = re.compile(rb"<(rss|feed|rdf:RDF)\b")


def format_of(path: Path) -> str | None:
    """The format a file's name says it is in, or None for a file no reader takes."""
    name = path.name.lower()
    return next((fmt for fmt, suffixes in SUFFIXES.items() if name.endswith(suffixes)), None)


def is_jsonl(path: Path) -> bool:
    return format_of(path) == "jsonl"


def iter_inputs(paths: Sequence[str], input_format: str = "auto", fields: JsonlFields | None = None,
                stdin: BinaryIO | None = None, max_chars: int = DEFAULT_MAX_CHARS,
                unique_names: bool = True) -> Iterator[Item]:
    """Every article named by ``paths`` (files, directories, ``-`` for standard input).

    Args:
        paths: what the user gave on the command line.
        input_format: "auto" (files by extension, stdin by its first bytes), or one of
            txt, jsonl, csv, html, feed to read every file (and stdin) with that reader.
        fields: JSON Lines field / CSV column names.
        stdin: the byte stream ``-`` reads (default: ``sys.stdin.buffer``).
        max_chars: the longest document (``--max-chars``), applied while reading: no line, row or file that
            cannot hold a document this long is held in memory whole.
        unique_names: give every article an output file stem no other has (only per-article files need it).
    """
    fields = fields or JsonlFields()
    names: dict[str, int] = {}

    def named(items: Iterator[Item], rel: Path | None = None) -> Iterator[Item]:
        return _unique(items, names, rel) if unique_names else items

    for arg in paths:
        if arg == "-":
            stream = stdin or sys.stdin.buffer
            if not hasattr(stream, "peek"):
                stream = io.BufferedReader(stream)  # type: ignore[arg-type]
            yield from named(clean(_read_stdin(stream, input_format, fields, max_chars), "<stdin>"))
            continue
        path = Path(arg)
        if path.is_dir():
            yield from _read_dir(arg, path, input_format, fields, max_chars, named)
        elif not path.exists():
            yield Skip(arg, "dangling symbolic link" if path.is_symlink() else "no such file or directory")
        elif input_format == "auto" and is_sidecar(path):  # named by a shell glob such as corpus/*
            yield Notice(arg, "metadata file of a .txt article beside it: read with that article, not as one")
        else:
            fmt = input_format if input_format != "auto" else (format_of(path) or "txt")
            yield from named(read_file(path, fmt, fields, max_chars), Path(path.name))


def _read_dir(arg: str, root: Path, input_format: str, fields: JsonlFields, max_chars: int,
              named: Callable[[Iterator[Item], Path], Iterator[Item]]) -> Iterator[Item]:
    files, ignored, problems = walk_dir(root, input_format)
    yield from dir_notes(arg, files, ignored, problems)
    for f, fmt in files:
        yield from named(read_file(f, fmt, fields, max_chars), f.relative_to(root))


def dir_notes(arg: str, files: list[tuple[Path, str]], ignored: Counter[str],
              problems: Sequence[Skip | Notice] = ()) -> list[Skip | Notice]:
    """What to tell the user about a directory before its files: entries that cannot be read (links that lead
    nowhere or out of it, FIFOs, unreadable folders), nothing readable in it, or files passed over."""
    n = sum(ignored.values())
    other = f"{n} file{'s' if n > 1 else ''} of other types ({', '.join(sorted(ignored))})"
    if not files:
        looked = ", ".join(s for ss in SUFFIXES.values() for s in ss if not s.endswith(".gz"))
        return [*problems, Skip(arg, f"directory has no readable files (looked for {looked}"
                                     + (f"; ignored {other})" if n else ")"))]
    return [*problems, Notice(arg, f"ignored {other}")] if n else list(problems)


def read_file(path: Path, fmt: str, fields: JsonlFields, max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Item]:
    """What one file holds, by the reader for ``fmt``: every article cleaned (:func:`clean`), and a reader that
    fails on something nobody foresaw costs the rest of that file, never the run."""
    if fmt == "jsonl":
        items = jsonl.read_jsonl_file(path, fields, max_chars=max_chars)
    elif fmt == "csv":
        items = csvfile.read_csv_file(path, fields, max_chars)
    elif fmt == "html":
        items = html.read_html_file(path, max_chars=max_chars)
    elif fmt == "feed":
        items = feeds.read_feed_file(path, max_chars)
    else:
        items = read_text_file(path, max_chars=max_chars)
    return clean(items, str(path))


def _read_stdin(stream: BinaryIO, input_format: str, fields: JsonlFields, max_chars: int) -> Iterator[Item]:
    fmt = input_format
    head = stream.peek(4096)[:4096]  # type: ignore[attr-defined]
    if fmt == "auto":
        start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        fmt = "jsonl" if start == b"{" else "txt"
        if start == b"<":
            fmt = "feed" if _FEED_START.search(head) else "html"
    if fmt == "jsonl":
        return iter_jsonl(stream, "<stdin>", fields, max_chars=max_chars)
    if fmt == "csv":
        return csvfile.read_csv_stream(stream, "<stdin>", fields, max_chars)
    cap = html.page_cap(max_chars) if fmt in ("html", "feed") else text_cap(max_chars)
    data = stream.read(cap + 1)
    if len(data) > cap:
        return iter([Skip("<stdin>", f"too large (over {cap:,} bytes; --max-chars raises the limit)")])
    if fmt == "html":
        return html.read_html(data, "<stdin>", "stdin", "stdin")
    if fmt == "feed":
        return feeds.read_feed(data, "<stdin>")
    return read_text(data, "<stdin>", "stdin", "stdin")


def walk_dir(root: Path, input_format: str) -> tuple[list[tuple[Path, str]], Counter[str], list[Skip | Notice]]:
    """The files below ``root`` a reader takes, with their format; the other files' extensions; and the entries
    that cannot be read, each a Skip saying why (every input is accounted for).

    Hidden files and directories (``.git``, ``.DS_Store``) are passed over silently, and so are sidecar
    metadata files, which are read with their article. A symbolic link is read when it leads to a file inside
    ``root``; one that leads out of it is not (a link planted in a shared folder must not make Marsad read
    what the user never pointed it at), nor one that leads nowhere or into a loop.
    """
    found: list[tuple[Path, str]] = []
    ignored: Counter[str] = Counter()
    problems: list[Skip | Notice] = []
    inside = root.resolve()

    def unreadable_dir(exc: OSError) -> None:
        problems.append(Skip(str(exc.filename or root), f"cannot read the directory: {exc.strerror or exc}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable_dir):
        for d in list(dirnames):
            if not d.startswith(".") and (Path(dirpath) / d).is_symlink():
                problems.append(Skip(str(Path(dirpath) / d), "symbolic link to a directory: not followed "
                                                             "(name the directory itself to read it)"))
        dirnames[:] = [d for d in dirnames if not d.startswith(".") and not (Path(dirpath) / d).is_symlink()]
        for filename in filenames:
            path = Path(dirpath) / filename
            if filename.startswith("."):
                continue
            why = _not_a_readable_file(path, inside)
            if why:
                problems.append(Skip(str(path), why))
                continue
            if is_sidecar(path):
                continue
            fmt = input_format if input_format != "auto" else format_of(path)
            if fmt is None:
                ignored[path.suffix.lower() or "(no extension)"] += 1
            else:
                found.append((path, fmt))
    found.sort(key=lambda pf: pf[0].relative_to(root).parts)
    return found, ignored, problems


def _not_a_readable_file(path: Path, inside: Path) -> str | None:
    """Why a directory entry is no file to read, or None for a regular file (or a link to one inside the tree)."""
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except FileNotFoundError:
            return "dangling symbolic link (its target does not exist)"
        except (RuntimeError, OSError) as exc:
            if "loop" in str(exc).lower() or getattr(exc, "errno", None) == errno.ELOOP:
                return "symbolic link loop"
            return f"cannot follow the symbolic link: {exc}"
        if not target.is_relative_to(inside):
            return (f"symbolic link to a file outside the input directory ({target}): not read "
                    "(name the file itself to read it)")
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    if stat.S_ISREG(mode):
        return None
    kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")
    return f"not a regular file ({kind}): not read"


_UNREADABLE_CHARS = re.compile("[\x00\ud800-\udfff]")


def clean(items: Iterator[Item], label: str) -> Iterator[Item]:
    """Each article's text and metadata as a store and a JSON file can hold them: NUL characters dropped, lone
    surrogates (a JSON ``"\\ud83d"`` with its other half missing) replaced by U+FFFD, each counted in a Notice,
    as replaced bytes are. And a reader that raises on something nobody foresaw stops its own file, reported;
    the run goes on with the next."""
    try:
        for item in items:
            if isinstance(item, InputItem):
                item, n = _cleaned(item)
                if n:
                    yield Notice(item.source, f"{n} unreadable character{'s' if n > 1 else ''} (NUL, or half "
                                              "of a surrogate pair) removed or replaced with U+FFFD", replaced=n)
            yield item
    except Exception as exc:  # a bug tripped by odd input: lose this file's rest, never the run
        yield Skip(label, f"cannot read further (internal error: {type(exc).__name__}: {exc})")


def _cleaned(item: InputItem) -> tuple[InputItem, int]:
    n = 0

    def fix(value: str) -> str:
        nonlocal n
        value, k = _UNREADABLE_CHARS.subn(lambda m: "" if m.group() == "\x00" else "\ufffd", value)
        n += k
        return value

    text = fix(item.text) if _UNREADABLE_CHARS.search(item.text) else item.text
    meta = item.meta
    if any(isinstance(v, str) and _UNREADABLE_CHARS.search(v) for v in meta.values()):
        meta = {k: fix(v) if isinstance(v, str) else v for k, v in meta.items()}
    if n:
        item = dataclasses.replace(item, text=text, meta=meta)
    return item, n


def _unique(items: Iterator[Item], used: dict[str, int], rel: Path | None = None) -> Iterator[Item]:
    """Give every article an output file stem no earlier article has.

    A whole file keeps its name, or its relative path when two files share a name
    (``a/x.txt`` and ``b/x.txt`` → ``x`` and ``b__x``); rows and entries get a number (``x_2``, ``x_3``…).
    ``used`` maps each stem taken to the next number to try, so that 10,000 rows with one id cost 10,000 steps,
    not 50 million.
    """
    for item in items:
        if isinstance(item, InputItem):
            name = item.name or item.doc_id
            if name in used and rel is not None and item.name == rel.stem:
                name = "__".join(rel.with_suffix("").parts)
            if name in used:
                base, k = name, used[name]
                while (name := f"{base}_{k}") in used:
                    k += 1
                used[base] = k + 1
            used[name] = 2
            if name != item.name:
                item = dataclasses.replace(item, name=name)
        yield item
