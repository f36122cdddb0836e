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
import io
import os
import re
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from marsad.readers import csvfile, feeds, html, jsonl
from marsad.readers.base import (
    DATE_FIELDS,
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
from marsad.readers.textfile import read_text, read_text_file

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
                stdin: BinaryIO | None = None) -> Iterator[Item]:
    """Every article named by ``paths`` (files, directories, ``-`` for standard input).

    Args:
        paths: what the user gave on the command line.
        input_format: "auto" (files by extension, stdin by its first bytes), or one of
            txt, jsonl, csv, html, feed to read every file (and stdin) with that reader.
        fields: JSON Lines field / CSV column names.
        stdin: the byte stream ``-`` reads (default: ``sys.stdin.buffer``).
    """
    fields = fields or JsonlFields()
    names: set[str] = set()
    for arg in paths:
        if arg == "-":
            yield from _unique(_read_stdin((stdin or sys.stdin.buffer).read(), input_format, fields), names)
            continue
        path = Path(arg)
        if path.is_dir():
            yield from _read_dir(arg, path, input_format, fields, names)
        elif not path.exists():
            yield Skip(arg, "no such file or directory")
        elif input_format == "auto" and is_sidecar(path):  # named by a shell glob such as corpus/*
            yield Notice(arg, "metadata file of a .txt article beside it: read with that article, not as one")
        else:
            fmt = input_format if input_format != "auto" else (format_of(path) or "txt")
            yield from _unique(read_file(path, fmt, fields), names, Path(path.name))


def _read_dir(arg: str, root: Path, input_format: str, fields: JsonlFields, names: set[str]) -> Iterator[Item]:
    files, ignored = walk_dir(root, input_format)
    yield from dir_notes(arg, files, ignored)
    for f, fmt in files:
        yield from _unique(read_file(f, fmt, fields), names, f.relative_to(root))


def dir_notes(arg: str, files: list[tuple[Path, str]], ignored: Counter[str]) -> list[Skip | Notice]:
    """What to tell the user about a directory before its files: nothing readable in it, or files passed over."""
    n = sum(ignored.values())
    other = f"{n} file{'s' if n > 1 else ''} of other types ({', '.join(sorted(ignored))})"
    if not files:
        looked = ", ".join(s for ss in SUFFIXES.values() for s in ss if not s.endswith(".gz"))
        return [Skip(arg, f"directory has no readable files (looked for {looked}" + (f"; ignored {other})" if n
                                                                                       else ")"))]
    return [Notice(arg, f"ignored {other}")] if n else []


def read_file(path: Path, fmt: str, fields: JsonlFields) -> Iterator[Item]:
    if fmt == "jsonl":
        return jsonl.read_jsonl_file(path, fields)
    if fmt == "csv":
        return csvfile.read_csv_file(path, fields)
    if fmt == "html":
        return html.read_html_file(path)
    if fmt == "feed":
        return feeds.read_feed_file(path)
    return read_text_file(path)


def _read_stdin(data: bytes, input_format: str, fields: JsonlFields) -> Iterator[Item]:
    fmt = input_format
    if fmt == "auto":
        start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        fmt = "jsonl" if start == b"{" else "txt"
        if start == b"<":
            fmt = "feed" if _FEED_START.search(data[:4096]) else "html"
    if fmt == "jsonl":
        return iter_jsonl(io.BytesIO(data), "<stdin>", fields)
    if fmt == "csv":
        return csvfile.read_csv(data, "<stdin>", fields)
    if fmt == "html":
        return html.read_html(data, "<stdin>", "stdin", "stdin")
    if fmt == "feed":
        return feeds.read_feed(data, "<stdin>")
    return read_text(data, "<stdin>", "stdin", "stdin")


def walk_dir(root: Path, input_format: str) -> tuple[list[tuple[Path, str]], Counter[str]]:
    """The files below ``root`` a reader takes, with their format, and the other files' extensions.

    Hidden files and directories (``.git``, ``.DS_Store``) are passed over silently, and so
    are sidecar metadata files, which are read with their article.
    """
    found: list[tuple[Path, str]] = []
    ignored: Counter[str] = Counter()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for filename in filenames:
            path = Path(dirpath) / filename
            if filename.startswith(".") or not path.is_file() or is_sidecar(path):
                continue
            fmt = input_format if input_format != "auto" else format_of(path)
            if fmt is None:
                ignored[path.suffix.lower() or "(no extension)"] += 1
            else:
                found.append((path, fmt))
    found.sort(key=lambda pf: pf[0].relative_to(root).parts)
    return found, ignored


def _unique(items: Iterator[Item], used: set[str], rel: Path | None = None) -> Iterator[Item]:
    """Give every article an output file stem no earlier article has.

    A whole file keeps its name, or its relative path when two files share a name
    (``a/x.txt`` and ``b/x.txt`` → ``x`` and ``b__x``); rows and entries get a suffix.
    """
    for item in items:
        if isinstance(item, InputItem):
            name = item.name or item.doc_id
            if name in used and rel is not None and item.name == rel.stem:
                name = "__".join(rel.with_suffix("").parts)
            while name in used:
                name += "_"
            used.add(name)
            if name != item.name:
                item = dataclasses.replace(item, name=name)
        yield item
