"""JSON Lines (.jsonl, .ndjson, optionally gzipped): one article per line, each bad line a Skip with its number.

Lines are read one at a time and never whole past a cap (a line that cannot hold a document of ``--max-chars``
characters is read through and skipped), so a corrupt or hostile file — a gzip bomb of one endless line —
costs the memory of one line, not of the file.
"""

from __future__ import annotations

import gzip
import json
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
    Skip,
    capped_lines,
    decode,
    decoded_as,
    over_limit,
    safe_name,
    standard_meta,
    stem_of,
    stopped_reading,
)

SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
JSON_BYTES_PER_CHAR = 6  # the most a character takes in JSON (\uXXXX)


def line_cap(max_chars: int) -> int:
    """The longest line that can hold a document of ``max_chars`` characters, with room for its other fields."""
    return JSON_BYTES_PER_CHAR * max_chars + (1 << 16)


def iter_jsonl(stream: IO[bytes], label: str, fields: JsonlFields, lines: tuple[int, int] | None = None,
               max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Item]:
    """Articles from a JSON Lines byte stream; each bad line is a Skip with its line number.

    ``lines`` (first, end) reads only the lines numbered first ≤ n < end, as a cluster worker reads its shard
    of a large file: the others are passed over undecoded, and the numbers (ids, messages) stay the file's.
    """
    stem = stem_of(label)
    first, end = lines or (1, None)
    cap = line_cap(max_chars)
    lineno = 0
    tally = LineTally(label, later=" (and any later line that is not UTF-8)")
    raw_lines = capped_lines(stream, cap)
    while True:
        try:
            raw = next(raw_lines, None)
        except READ_ERRORS as exc:  # a truncated or corrupt .gz: say where it stopped
            yield stopped_reading(label, lineno, exc)
            break
        if raw is None:
            break
        lineno += 1
        if lineno < first:
            continue
        if end is not None and lineno >= end:
            break
        source = f"{label}:{lineno}"
        if isinstance(raw, int):
            yield Skip(source, over_limit(max_chars, f"a line of {raw:,} bytes"))
            continue
        if not raw.strip():
            continue
        line = decode(raw, source)
        if isinstance(line, Skip):
            yield line
            continue
        note = tally.add(decoded_as(line), getattr(line, "replaced", 0), lineno)
        if note is not None:
            yield note
        yield from _article(line, source, fields, stem, lineno)
    yield from tally.closing()


def _article(line: str, source: str, fields: JsonlFields, stem: str, lineno: int) -> Iterator[Item]:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        yield Skip(source, f"malformed JSON ({exc.msg} at column {exc.colno})")
        return
    except RecursionError:
        yield Skip(source, "malformed JSON (nested too deeply to read)")
        return
    if not isinstance(obj, dict):
        yield Skip(source, f"expected a JSON object, got {type(obj).__name__}")
        return
    text = obj.get(fields.text)
    if not isinstance(text, str):
        yield Skip(source, f"no text in field '{fields.text}' (use --text-field to name another)")
        return
    raw_id = obj.get(fields.id)
    doc_id = str(raw_id) if raw_id not in (None, "") and not isinstance(raw_id, dict | list) else f"{stem}-{lineno}"
    meta, notices = standard_meta(obj, source, fields.date, skip=(fields.text,))
    yield from notices
    yield InputItem(doc_id, text, source, meta, safe_name(doc_id))


def read_jsonl_file(path: Path, fields: JsonlFields, lines: tuple[int, int] | None = None,
                    max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Item]:
    """A .jsonl file (or the ``lines`` of it, see :func:`iter_jsonl`), streamed line by line."""
    try:
        opener = gzip.open if path.name.lower().endswith(".gz") else open
        with opener(path, "rb") as stream:
            yield from iter_jsonl(stream, str(path), fields, lines, max_chars)
    except READ_ERRORS as exc:  # unreadable
        yield Skip(str(path), f"cannot read: {exc}")
