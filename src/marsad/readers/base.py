"""What every reader yields, the decoding they share, and the metadata keys the store reads.

The store reads ``meta["date"]`` (ISO yyyy-mm-dd), ``title``, ``url``,
``outlet`` (or ``source``) and ``encoding``; :func:`standard_meta` maps the
column and field names outlets actually use onto those keys, so CSV, JSON
Lines, sidecars and front matter all land in the same place.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

from marsad.text.dates import parse_publication_date

DATE_FIELDS = ("date", "published", "pubDate", "publication_date", "published_at")  # tried after --date-field
TITLE_FIELDS = ("title", "headline")
URL_FIELDS = ("url", "link")
OUTLET_FIELDS = ("outlet", "source", "site")


@dataclass(frozen=True, slots=True)
class InputItem:
    """One article to analyse."""

    doc_id: str
    text: str
    source: str  # "a.txt", "corpus.jsonl:12", "feed.rss#3", "<stdin>"
    meta: dict[str, Any] = field(default_factory=dict)
    name: str = ""  # output file stem for per-document JSON files


@dataclass(frozen=True, slots=True)
class Skip:
    """An input that could not be read, and why (the reason starts with a short, stable category)."""

    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the user should know about an input that is still processed."""

    source: str
    message: str


Item: TypeAlias = InputItem | Skip | Notice


@dataclass
class JsonlFields:
    """Which fields (JSON Lines) or columns (CSV) hold the text, the id and the date."""

    text: str = "text"
    id: str = "id"
    date: str = "date"


class _Cp1256(str):
    """Text that was decoded from Windows-1256 (so the caller can say so)."""


class _Utf16(str):
    """Text that was decoded from UTF-16 (Notepad's and Excel's "Unicode" files)."""


def count_lines(path: Path, *, unterminated_last: bool = False) -> int:
    """Newlines in a file (gunzipped if it ends in .gz), counted in 1 MB blocks without decoding; with
    ``unterminated_last``, a last line without its newline counts too. Raises OSError or EOFError."""
    import gzip

    opener = gzip.open if path.name.lower().endswith(".gz") else open
    n, last = 0, b"\n"
    with opener(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            n += block.count(b"\n")
            last = block[-1:]
    return n + (unterminated_last and last != b"\n")


def read_bytes(path: Path) -> bytes | Skip:
    """The file's bytes, or a Skip saying why it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        return Skip(str(path), f"cannot read: {exc.strerror or exc}")


def decode(data: bytes, source: str) -> str | Skip:
    """UTF-8 (with or without a byte-order mark), UTF-16 with its byte-order mark, else Windows-1256
    when that reads as Arabic text.

    Windows-1256 is how much Arabic text was saved on Windows, and UTF-16 is what Notepad and Excel
    call "Unicode"; the caller says when either was used (``decoded_as``)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return _Utf16(data.decode("utf-16"))
        except UnicodeDecodeError as exc:
            return Skip(source, f"malformed UTF-16 (bad bytes at offset {exc.start}); re-save the file as UTF-8")
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


def decoded_as(text: str) -> str:
    return "windows-1256" if isinstance(text, _Cp1256) else "utf-16" if isinstance(text, _Utf16) else "utf-8"


def encoding_notice(text: str, source: str) -> Iterator[Notice]:
    """The note every reader gives when the text was not UTF-8 (Windows-1256 is a guess: say so)."""
    if decoded_as(text) != "utf-8":
        yield Notice(source, f"not UTF-8: read as {decoded_as(text)}")


def stem_of(label: str) -> str:
    """The id prefix for rows and entries without an id: the file name before its first dot."""
    if label == "<stdin>":
        return "stdin"
    return label.replace("\\", "/").rsplit("/", 1)[-1].split(".")[0] or "doc"


_UNSAFE = re.compile(r"[^\w.-]+")


def safe_name(doc_id: str) -> str:
    """An output file stem from an id that may be a URL or contain ``/`` or ``..``."""
    name = _UNSAFE.sub("_", doc_id).strip("._")[:120]
    return name or "doc"


def _first(record: Mapping[str, Any], names: tuple[str, ...]) -> Any:
    lower = {str(k).lower(): v for k, v in record.items()}
    for n in names:
        v = lower.get(n.lower())
        if v not in (None, ""):
            return v
    return None


def standard_meta(record: Mapping[str, Any], source: str, date_field: str = "date",
                  skip: tuple[str, ...] = ()) -> tuple[dict[str, Any], list[Notice]]:
    """The record's scalar fields (minus ``skip``) plus the standard keys the store reads.

    Returns the metadata and a Notice for a date that is present but unreadable (the
    article is still processed, without a date).
    """
    meta: dict[str, Any] = {k: v for k, v in record.items()
                            if k not in skip and isinstance(v, str | int | float | bool) and v != ""}
    for key, names in (("title", TITLE_FIELDS), ("url", URL_FIELDS)):
        value = _first(record, names)
        if key not in meta and isinstance(value, str):
            meta[key] = value.strip()
    outlet = _first(record, OUTLET_FIELDS)
    if "outlet" not in meta and "source" not in meta and isinstance(outlet, str):
        meta["outlet"] = outlet.strip()
    notices: list[Notice] = []
    raw_date = _first(record, (date_field, *DATE_FIELDS))
    meta.pop("date", None)
    if raw_date is not None:
        parsed = parse_publication_date(raw_date)
        if parsed:
            meta["date"] = parsed
        else:
            notices.append(Notice(source, f"unreadable date {raw_date!r}; the article is processed without a date"))
    return meta, notices
