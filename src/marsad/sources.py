"""Reading articles from files, directories, JSON Lines and standard input.

Every input problem becomes a :class:`Skip` naming the file (and line) and
the reason, yielded in stream order; reading never stops half-way.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from marsad.text.dates import parse_publication_date

DATE_FIELDS = ("date", "published", "pubDate", "publication_date", "published_at")  # tried after --date-field
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
TEXT_SUFFIXES = (".txt",)


@dataclass(frozen=True, slots=True)
class InputItem:
    """One article to analyse."""

    doc_id: str
    text: str
    source: str  # "a.txt", "corpus.jsonl:12", "<stdin>"
    meta: dict[str, Any] = field(default_factory=dict)
    name: str = ""  # output file stem for per-document JSON files


@dataclass(frozen=True, slots=True)
class Skip:
    """An input that could not be read, and why."""

    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the user should know about an input that is still processed."""

    source: str
    message: str


@dataclass
class JsonlFields:
    """Which JSON Lines fields hold the id, the text and the date."""

    text: str = "text"
    id: str = "id"
    date: str = "date"


def _decode(data: bytes, source: str) -> str | Skip:
    """UTF-8 (with or without a byte-order mark), else Windows-1256 when that reads as Arabic text.

    Windows-1256 is how much Arabic text was saved on Windows; the caller says when it was used
    (``decoded_as``)."""
    if b"\x00" in data[:8192]:
        return Skip(source, "binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        text = ""
    letters = [c for c in text[:4000] if c.isalpha()]
    if letters and sum("\u0600" <= c <= "\u06ff" for c in letters) >= 0.5 * len(letters):
        return _Cp1256(text)
    return Skip(source, f"neither UTF-8 (bad byte at offset {start}) nor Arabic in Windows-1256; "
                        "re-save the file as UTF-8")


class _Cp1256(str):
    """Text that was decoded from Windows-1256 (so the caller can say so)."""


def decoded_as(text: str) -> str:
    return "windows-1256" if isinstance(text, _Cp1256) else "utf-8"


def is_jsonl(path: Path) -> bool:
    return path.name.lower().endswith(JSONL_SUFFIXES)


def read_text_file(path: Path, doc_id: str | None = None, name: str | None = None) -> InputItem | Skip:
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Skip(source, f"cannot read: {exc.strerror or exc}")
    text = _decode(data, source)
    if isinstance(text, Skip):
        return text
    meta = {"encoding": "windows-1256"} if decoded_as(text) != "utf-8" else {}
    return InputItem(doc_id or path.stem, str(text), source, meta, name or path.stem)


def iter_jsonl(stream: BinaryIO, label: str, fields: JsonlFields) -> Iterator[InputItem | Skip | Notice]:
    """Articles from a JSON Lines byte stream; each bad line is a Skip with its line number."""
    stem = Path(label).name.split(".")[0] or "stdin"
    for lineno, raw in enumerate(stream, 1):
        source = f"{label}:{lineno}"
        if not raw.strip():
            continue
        line = _decode(raw, source)
        if isinstance(line, Skip):
            yield line
            continue
        if decoded_as(line) != "utf-8":
            yield Notice(source, "not UTF-8: read as Windows-1256")
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Skip(source, f"malformed JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(obj, dict):
            yield Skip(source, f"expected a JSON object, got {type(obj).__name__}")
            continue
        text = obj.get(fields.text)
        if not isinstance(text, str):
            yield Skip(source, f"no text in field '{fields.text}' (use --text-field to name another)")
            continue
        raw_id = obj.get(fields.id)
        doc_id = str(raw_id) if raw_id not in (None, "") else f"{stem}-{lineno}"
        meta = {k: v for k, v in obj.items() if k != fields.text and isinstance(v, str | int | float | bool)}
        raw_date = next((obj[f] for f in (fields.date, *DATE_FIELDS) if obj.get(f)), None)
        meta.pop("date", None)
        if raw_date is not None:
            parsed = parse_publication_date(raw_date)
            if parsed:
                meta["date"] = parsed
            else:
                yield Notice(source, f"unreadable date {raw_date!r}; the article is processed without a date")
        yield InputItem(doc_id, text, source, meta, doc_id)


def _iter_jsonl_file(path: Path, fields: JsonlFields) -> Iterator[InputItem | Skip | Notice]:
    try:
        opener = gzip.open if path.name.lower().endswith(".gz") else open
        with opener(path, "rb") as stream:
            yield from iter_jsonl(stream, str(path), fields)
    except (OSError, EOFError) as exc:  # unreadable, or a truncated .gz
        yield Skip(str(path), f"cannot read: {exc}")


def iter_inputs(paths: Sequence[str], input_format: str = "auto", fields: JsonlFields | None = None,
                stdin: BinaryIO | None = None) -> Iterator[InputItem | Skip | Notice]:
    """Every article named by ``paths`` (files, directories, ``-`` for standard input).

    Args:
        paths: what the user gave on the command line.
        input_format: "auto" (by extension; stdin by its first character), "txt" or "jsonl".
        fields: JSON Lines field names.
        stdin: the byte stream ``-`` reads (default: ``sys.stdin.buffer``).
    """
    fields = fields or JsonlFields()
    names: set[str] = set()
    for arg in paths:
        if arg == "-":
            data = (stdin or sys.stdin.buffer).read()
            as_jsonl = input_format == "jsonl" or (input_format == "auto" and data.lstrip()[:1] == b"{")
            if as_jsonl:
                yield from iter_jsonl(io.BytesIO(data), "<stdin>", fields)
            else:
                text = _decode(data, "<stdin>")
                yield text if isinstance(text, Skip) else InputItem("stdin", str(text), "<stdin>", {}, "stdin")
            continue
        path = Path(arg)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(TEXT_SUFFIXES))
            if not files:
                yield Skip(arg, "directory has no .txt files")
            for f in files:
                yield from _with_notice(read_text_file(f, name=_unique_name(f, path, names)))
        elif not path.exists():
            yield Skip(arg, "no such file or directory")
        elif input_format == "jsonl" or (input_format == "auto" and is_jsonl(path)):
            yield from _iter_jsonl_file(path, fields)
        else:
            yield from _with_notice(read_text_file(path, name=_unique_name(path, path.parent, names)))


def _with_notice(item: InputItem | Skip) -> Iterator[InputItem | Skip | Notice]:
    if isinstance(item, InputItem) and item.meta.get("encoding"):
        yield Notice(item.source, f"not UTF-8: read as {item.meta['encoding']}")
    yield item


def _unique_name(path: Path, root: Path, used: set[str]) -> str:
    """Output stem for a file: its name, or its relative path when two files share a name."""
    name = path.stem
    if name in used:
        rel = path.relative_to(root).with_suffix("")
        name = "__".join(rel.parts)
        while name in used:
            name += "_"
    used.add(name)
    return name
