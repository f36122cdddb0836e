"""Plain-text articles (.txt), with their metadata from front matter or a sidecar JSON file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from marsad.readers.base import (
    DEFAULT_MAX_CHARS,
    InputItem,
    Item,
    Notice,
    Skip,
    decode,
    decoded_as,
    encoding_notice,
    read_bytes,
    standard_meta,
)
from marsad.readers.frontmatter import read_sidecar, sidecar_for, split_front_matter
from marsad.readers.index import index_entry


def read_text(data: bytes, source: str, doc_id: str, name: str, sidecar: Path | None = None,
              index: tuple[dict[str, Any] | None, list[str]] = (None, [])) -> Iterator[Item]:
    """One article: the text after any front matter, with the metadata of its directory's index line,
    front matter and sidecar (each later one wins)."""
    text = decode(data, source)
    if isinstance(text, Skip):
        yield text
        return
    yield from encoding_notice(text, source, data)
    entry, problems = index
    for problem in problems:
        yield Notice(source, problem)
    record: dict[str, Any] = dict(entry or {})
    front, body, problem = split_front_matter(str(text))
    if problem:
        yield Notice(source, problem)
    record.update(front or {})
    if sidecar is not None:
        extra, problem = read_sidecar(sidecar)
        if problem:
            yield Notice(source, problem)
        record.update(extra or {})
    meta, notices = standard_meta(record, source)
    yield from notices
    raw_id = meta.pop("id", None)
    if raw_id not in (None, ""):
        doc_id = str(raw_id)
    if decoded_as(text) != "utf-8":
        meta["encoding"] = decoded_as(text)
    yield InputItem(doc_id, body, source, meta, name)


def text_cap(max_chars: int) -> int:
    """The largest .txt file that can hold a document of ``max_chars`` characters (UTF-8 takes at most 4 bytes
    a character), with room for front matter: a larger one is not read."""
    return 4 * max_chars + (1 << 16)


def read_text_file(path: Path, name: str | None = None, max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Item]:
    """A .txt file; its id is the file name unless its metadata gives one."""
    data = read_bytes(path, text_cap(max_chars), f"document over the limit of {max_chars:,} characters")
    if isinstance(data, Skip):
        yield data
        return
    yield from read_text(data, str(path), path.stem, name or path.stem, sidecar_for(path),
                         index_entry(path))
