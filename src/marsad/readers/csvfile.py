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
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path

from marsad.readers.base import (
    InputItem,
    Item,
    JsonlFields,
    Skip,
    decode,
    decoded_as,
    encoding_notice,
    safe_name,
    standard_meta,
    stem_of,
)

SUFFIXES = (".csv", ".tsv", ".csv.gz", ".tsv.gz")
TEXT_COLUMNS = ("text", "body", "content", "article")
ID_COLUMNS = ("id",)



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


def read_csv(data: bytes, label: str, fields: JsonlFields) -> Iterator[Item]:
    """Articles from the bytes of a whole CSV/TSV file (decoded as .txt files are: BOM, Windows-1256)."""
    text = decode(data, label)
    if isinstance(text, Skip):
        yield text
        return
    yield from encoding_notice(text, label)
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # a long article is one field; the default is 128 KiB
    encoding = decoded_as(text)
    stem = stem_of(label)
    stream = io.StringIO(str(text), newline="")
    # strict: a stray or unclosed quote is a malformed row, not a field that swallows the rows after it
    reader = csv.reader(stream, delimiter=_delimiter(str(text).split("\n", 1)[0], label), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        yield Skip(label, f"malformed CSV header ({exc})")
        return
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
    line = reader.line_num + 1  # the physical line the next row starts on
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            why = "an unclosed quote runs to the end of the file" if "end of data" in str(exc) else str(exc)
            yield Skip(f"{label}:{line}", f"malformed CSV row ({why})")
            line = reader.line_num + 1
            continue
        source, line = f"{label}:{line}", reader.line_num + 1
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
        doc_id = raw_id or f"{stem}-{source.rsplit(':', 1)[1]}"
        if encoding != "utf-8":
            meta["encoding"] = encoding
        yield InputItem(doc_id, body, source, meta, safe_name(doc_id))
    if rows == 0:
        yield Skip(label, "no rows in the CSV file (only a header)")


def read_csv_file(path: Path, fields: JsonlFields) -> Iterator[Item]:
    """A .csv/.tsv file (optionally .gz), read whole: rows may span lines, and decoding needs all of it."""
    try:
        data = gzip.decompress(path.read_bytes()) if path.name.lower().endswith(".gz") else path.read_bytes()
    except (OSError, EOFError, zlib.error) as exc:
        yield Skip(str(path), f"cannot read: {exc}")
        return
    yield from read_csv(data, str(path), fields)
