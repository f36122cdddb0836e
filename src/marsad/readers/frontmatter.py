"""Metadata for a .txt article: front matter at its top, or a sidecar NAME.json / NAME.meta.json beside it.

Analysts keep a plain-text article and its title, date and URL together in
one of these two ways. Front matter is parsed as plain ``key: value`` lines,
not YAML, because Arabic titles often contain «: » (which YAML rejects) and
dates should stay the strings that were written.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from marsad.readers.index import is_index

_KEY_VALUE = re.compile(r"^\s*([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")
_FENCE = re.compile(r"^---[ \t]*$")
MAX_LINES = 100  # a front matter longer than this is not front matter


def split_front_matter(text: str) -> tuple[dict[str, str] | None, str, str | None]:
    """``(metadata, body, problem)`` for a text that may start with a ``---`` block.

    No block: ``(None, text, None)``. A closed block whose lines are not all
    ``key: value``: its metadata is dropped (``None``) but it is still removed from
    the body, with the problem. An unclosed block stays in the text.
    """
    lines = text.splitlines(keepends=True)
    if not lines or not _FENCE.match(lines[0].rstrip("\r\n")):
        return None, text, None
    n = next((i for i, line in enumerate(lines[1:MAX_LINES + 1], 1) if _FENCE.match(line.rstrip("\r\n"))), 0)
    if not n:
        return None, text, f"front matter not closed (no '---' line within {MAX_LINES} lines); read as text"
    body = "".join(lines[n + 1:]).lstrip("\r\n")
    meta: dict[str, str] = {}
    for i, line in enumerate(lines[1:n], 2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _KEY_VALUE.match(line)
        if not m:
            return None, body, f"malformed front matter (line {i} is not 'key: value'); its metadata is ignored"
        value = m.group(2)
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        meta[m.group(1).lower()] = value
    return meta, body, None


def sidecar_for(path: Path) -> Path | None:
    """``NAME.json`` or ``NAME.meta.json`` beside ``NAME.txt``, if there is one."""
    for candidate in (path.with_suffix(".json"), path.with_suffix(".meta.json")):
        if candidate.is_file():
            return candidate
    return None


def is_sidecar(path: Path) -> bool:
    """Whether a file is the metadata of .txt articles beside it (so not an input itself).

    That is a ``NAME.json`` / ``NAME.meta.json`` beside ``NAME.txt``, or a directory's index file
    (``index.jsonl``, :mod:`marsad.readers.index`).
    """
    name = path.name
    if is_index(path):
        return True
    if not name.lower().endswith(".json"):
        return False
    stem = name[:-len(".meta.json")] if name.lower().endswith(".meta.json") else name[:-len(".json")]
    return any((path.parent / (stem + ext)).is_file() for ext in (".txt", ".TXT"))


def read_sidecar(path: Path) -> tuple[dict[str, Any] | None, str | None]:
    """``(metadata, problem)``: the sidecar's JSON object, or None and why it cannot be used."""
    try:
        obj = json.loads(path.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        return None, (f"cannot read the metadata file {path.name} ({exc.strerror or exc}); "
                      "the article is processed without it")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return None, f"malformed metadata file {path.name} ({exc}); the article is processed without it"
    if not isinstance(obj, dict):
        return None, (f"malformed metadata file {path.name} (expected a JSON object, got {type(obj).__name__}); "
                      "the article is processed without it")
    return obj, None
