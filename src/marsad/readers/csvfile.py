"""CSV and TSV exports (spreadsheets, scrapers): a header row, then one article per row.

The column names are the JSON Lines ones (``--text-field``, ``--id-field``,
``--date-field``), else the names outlets' exports commonly use. Each bad row
is a Skip with the physical line it starts on (``file.csv:LINE``), so an
analyst can open the file at that line; the rest of the file is still read.
"""

from __future__ import annotations

import csv
import gzip
import io
import itertools
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from marsad.readers.base import (
    DEFAULT_MAX_CHARS,
    READ_ERRORS,
    InputItem,
    Item,
    JsonlFields,
    LineTally,
    Notice,
    Skip,
    capped_lines,
    decode,
    decoded_as,
    over_limit,
    safe_name,
    standard_meta,
    stem_of,
    stopped_reading,
    tally_count,
    tally_start,
)

SUFFIXES = (".csv", ".tsv", ".csv.gz", ".tsv.gz")
TEXT_COLUMNS = ("text", "body", "content", "article")
ID_COLUMNS = ("id",)
CSV_BYTES_PER_CHAR = 4  # the most a character takes in UTF-8



def _column(header: list[str], wanted: str, aliases: tuple[str, ...]) -> int | None:
    lower = [h.strip().lower() for h in header]
    for name in (wanted, *aliases):
        if name.lower() in lower:
            return lower.index(name.lower())
    return None


def _delimiter(first_line: str, label: str) -> str:
    name = label.lower().removesuffix(".gz")
    if name.endswith(".tsv"):
        return "\t"
    if name.endswith(".csv"):
        return ";" if "," not in first_line and ";" in first_line else ","
    return max((",", "\t", ";"), key=first_line.count)  # forced --input-format csv on another name


def read_csv(data: bytes, label: str, fields: JsonlFields, max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Item]:
    """Articles from the bytes of a whole CSV/TSV file (standard input)."""
    yield from read_csv_stream(io.BufferedReader(io.BytesIO(data)), label, fields, max_chars)  # type: ignore[arg-type]


class _BadLine(Exception):
    """A line that could not be read (too long, not text); raised by :class:`_Lines` once it has been passed."""

    def __init__(self, lineno: int, reason: str) -> None:
        super().__init__(reason)
        self.lineno, self.reason = lineno, reason


class _Lines:
    """The decoded lines csv.reader parses, read one at a time: the file is never held whole. A line that cannot
    be read raises :class:`_BadLine` (csv.reader passes it on, and starts afresh at the next row)."""

    def __init__(self, stream: IO[bytes], label: str, max_chars: int) -> None:
        self.label, self.max_chars = label, max_chars
        self.lineno = 0
        self.tally = LineTally(label)
        self.pending: list[Notice] = []  # said before the row they were met in
        start = stream.peek(8192)[:8192] if hasattr(stream, "peek") else b""
        head = start[:2]
        self.utf16 = head in (b"\xff\xfe", b"\xfe\xff")
        self.binary = not self.utf16 and b"\x00" in start
        if self.utf16:  # a "Unicode" export from Excel: a newline is two bytes, so decode as a stream
            stream.read(2)
            self.text = io.TextIOWrapper(stream, "utf-16-le" if head == b"\xff\xfe" else "utf-16-be",
                                         errors="marsad-count-replace", newline="")
        else:
            self.raw = capped_lines(stream, CSV_BYTES_PER_CHAR * max_chars + (1 << 16))

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.utf16:
            return self._next_utf16()
        raw = next(self.raw)
        self.lineno += 1
        if isinstance(raw, int):
            raise _BadLine(self.lineno, over_limit(self.max_chars, f"a line of {raw:,} bytes"))
        text = decode(raw, f"{self.label}:{self.lineno}", binary_check=False)
        if isinstance(text, Skip):
            raise _BadLine(self.lineno, text.reason)
        self._count(decoded_as(text), getattr(text, "replaced", 0))
        return str(text)

    def _next_utf16(self) -> str:
        cap = 2 * self.max_chars + (1 << 15)
        tally_start()
        line = self.text.readline(cap + 1)
        if not line:
            raise StopIteration
        self.lineno += 1
        if len(line) > cap and not line.endswith("\n"):
            while (more := self.text.readline(1 << 20)) and not more.endswith("\n"):
                pass
            raise _BadLine(self.lineno, over_limit(self.max_chars, f"a line of over {cap:,} characters"))
        self._count("utf-16", tally_count())
        return line

    def _count(self, encoding: str, replaced: int) -> None:
        note = self.tally.add(encoding, replaced, self.lineno)
        if note is not None:
            self.pending.append(note)

    def said(self) -> Iterator[Notice]:
        """The notes met since last asked (a new encoding), in order."""
        yield from self.pending
        self.pending.clear()

    def notices(self) -> Iterator[Notice]:
        """The closing note: how many bytes were replaced, on which lines."""
        yield from self.said()
        yield from self.tally.closing("utf-16" if self.utf16 else "utf-8")


def read_csv_stream(stream: IO[bytes], label: str, fields: JsonlFields,
                    max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Item]:
    """Articles from a CSV/TSV byte stream, decoded line by line as .txt files are (BOM, Windows-1256, a few
    invalid bytes replaced); no row, line or field is held past what ``max_chars`` allows."""
    # a field may be a whole article, over the csv module's default of 128 KiB; over max_chars it is no document
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1, max(max_chars, 1 << 17) + 1))
    lines = _Lines(stream, label, max_chars)
    if lines.binary:
        yield Skip(label, "binary file (contains NUL bytes), not text")
        return
    try:
        yield from _rows(lines, label, fields, max_chars)
    except READ_ERRORS as exc:  # a truncated or corrupt .gz: say where it stopped
        yield stopped_reading(label, lines.lineno, exc, "rows")
    yield from lines.notices()


def _rows(lines: _Lines, label: str, fields: JsonlFields, max_chars: int) -> Iterator[Item]:
    stem = stem_of(label)
    try:
        first = next(lines, "")
    except _BadLine as exc:  # the first line is not text, or could not hold a header
        yield Skip(label, exc.reason)
        return
    # strict: a stray or unclosed quote is a malformed row, not a field that swallows the rows after it
    reader = csv.reader(itertools.chain([first], lines), delimiter=_delimiter(first, label), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        yield Skip(label, f"malformed CSV header ({exc})")
        return
    yield from lines.said()
    if not header or not any(h.strip() for h in header):
        yield Skip(label, "empty CSV file (no header row)")
        return
    header = [h.strip() for h in header]
    text_col = _column(header, fields.text, TEXT_COLUMNS)
    if text_col is None:
        yield Skip(label, f"no text column (the columns are {', '.join(header)}; "
                          "name the one with the article with --text-field)")
        return
    id_col = _column(header, fields.id, ID_COLUMNS)
    rows = 0
    while True:
        start = lines.lineno + 1  # the physical line the next row starts on
        source = f"{label}:{start}"
        try:
            row = next(reader)
        except StopIteration:
            break
        except _BadLine as exc:
            yield Skip(f"{label}:{exc.lineno}", f"malformed CSV row ({exc.reason})")
            continue
        except csv.Error as exc:
            why = str(exc)
            if "end of data" in why:
                why = "an unclosed quote runs to the end of the file"
            elif "field larger than field limit" in why:
                why = over_limit(max_chars, "a field of more")
            yield Skip(source, f"malformed CSV row ({why})")
            continue
        yield from lines.said()
        if not row or row == [""]:
            continue  # a blank line
        rows += 1
        if len(row) != len(header):
            n = len(row)
            yield Skip(source, f"malformed CSV row ({n} field{'s' if n > 1 else ''}, the header has {len(header)})")
            continue
        body = row[text_col]
        if not body.strip():
            yield Skip(source, f"no article text in the row (column '{header[text_col]}' is empty)")
            continue
        record = {h: v for h, v in zip(header, row, strict=True) if h}
        meta, notices = standard_meta(record, source, fields.date, skip=(header[text_col],))
        yield from notices
        raw_id = row[id_col].strip() if id_col is not None else ""
        doc_id = raw_id or f"{stem}-{start}"
        if lines.tally.encodings:
            meta["encoding"] = sorted(lines.tally.encodings)[0]
        yield InputItem(doc_id, body, source, meta, safe_name(doc_id))
    if rows == 0:
        yield Skip(label, "no rows in the CSV file (only a header)")


def read_csv_file(path: Path, fields: JsonlFields, max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Item]:
    """A .csv/.tsv file (optionally .gz), streamed: rows may span lines, each line is decoded on its own."""
    try:
        opener = gzip.open if path.name.lower().endswith(".gz") else open
        with opener(path, "rb") as stream:
            yield from read_csv_stream(stream, str(path), fields, max_chars)  # type: ignore[arg-type]
    except READ_ERRORS as exc:
        yield Skip(str(path), f"cannot read: {exc}")
