"""JSON Lines (.jsonl, .ndjson, optionally gzipped): one article per line, each bad line a Skip with its number."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from marsad.readers.base import (
    InputItem,
    Item,
    JsonlFields,
    Skip,
    decode,
    encoding_notice,
    safe_name,
    standard_meta,
    stem_of,
)

SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")


def iter_jsonl(stream: Iterable[bytes], label: str, fields: JsonlFields,
               lines: tuple[int, int] | None = None) -> Iterator[Item]:
    """Articles from a JSON Lines byte stream; each bad line is a Skip with its line number.

    ``lines`` (first, end) reads only the lines numbered first ≤ n < end, as a cluster worker reads its shard
    of a large file: the others are passed over undecoded, and the numbers (ids, messages) stay the file's.
    """
    stem = stem_of(label)
    first, end = lines or (1, None)
    for lineno, raw in enumerate(stream, 1):
        if lineno < first:
            continue
        if end is not None and lineno >= end:
            return
        source = f"{label}:{lineno}"
        if not raw.strip():
            continue
        line = decode(raw, source)
        if isinstance(line, Skip):
            yield line
            continue
        yield from encoding_notice(line, source)
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
        meta, notices = standard_meta(obj, source, fields.date, skip=(fields.text,))
        yield from notices
        yield InputItem(doc_id, text, source, meta, safe_name(doc_id))


def read_jsonl_file(path: Path, fields: JsonlFields, lines: tuple[int, int] | None = None) -> Iterator[Item]:
    """A .jsonl file (or the ``lines`` of it, see :func:`iter_jsonl`), streamed line by line."""
    try:
        opener = gzip.open if path.name.lower().endswith(".gz") else open
        with opener(path, "rb") as stream:
            yield from iter_jsonl(stream, str(path), fields, lines)
    except (OSError, EOFError) as exc:  # unreadable, or a truncated .gz
        yield Skip(str(path), f"cannot read: {exc}")
