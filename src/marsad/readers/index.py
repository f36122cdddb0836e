"""Metadata for the .txt articles of a directory from one index file beside them.

Collections are often shipped as ``NAME.txt`` files plus one ``index.jsonl``
(or ``metadata.jsonl``) whose lines describe them: ``{"name": "NAME",
"published": "2018-04-29", "title": …}``. Such a file is metadata, not
articles: it is read with the articles it names (matched by ``name``, or by
``file`` = ``NAME.txt``), and front matter or a sidecar of the article win
over it field by field.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

INDEX_NAMES = ("index.jsonl", "metadata.jsonl")


def is_index(path: Path) -> bool:
    """Whether ``path`` is an index file of the .txt articles beside it."""
    if path.name.lower() not in INDEX_NAMES:
        return False
    try:
        return any(p.suffix.lower() == ".txt" for p in path.parent.iterdir())
    except OSError:
        return False


def index_for(path: Path) -> Path | None:
    for name in INDEX_NAMES:
        candidate = path.parent / name
        if candidate.is_file():
            return candidate
    return None


def index_entry(article: Path) -> tuple[dict[str, Any] | None, list[str]]:
    """``(metadata, problems)``: the index line naming ``article``, and what was wrong with the index.

    The problems are given with the first article the index is read for, so each is reported once.
    """
    index = index_for(article)
    if index is None:
        return None, []
    try:
        stat = index.stat()
    except OSError:
        return None, []
    entries, problems = _load(str(index), stat.st_size, stat.st_mtime_ns)
    first = (str(index), stat.st_size, stat.st_mtime_ns) not in _reported
    _reported.add((str(index), stat.st_size, stat.st_mtime_ns))
    entry = entries.get(article.stem) or entries.get(article.name)
    return (dict(entry) if entry else None), (problems if first else [])


_reported: set[tuple[str, int, int]] = set()


@lru_cache(maxsize=8)
def _load(index: str, size: int, mtime_ns: int) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """The index's lines by name (size and mtime are part of the key so a changed file is read again)."""
    name = Path(index).name
    entries: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    try:
        lines = Path(index).read_bytes().decode("utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        return {}, [f"cannot read the index {name} ({exc}); the articles are processed without it"]
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"malformed line {number} of the index {name} ({exc}); ignored")
            continue
        key = None
        if isinstance(obj, dict):
            named, file = obj.pop("name", None), obj.pop("file", None)  # both go: neither is metadata
            key = named or file
        if not isinstance(key, str) or not key:
            problems.append(f"line {number} of the index {name} names no article ('name' or 'file'); ignored")
            continue
        entries[key] = obj
    return entries, problems
