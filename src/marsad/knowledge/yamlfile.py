"""Read a YAML list of mappings, keeping the line each entry starts on.

Dictionaries are edited by analysts; a mistake must be reported with the file
and the line, so the loader remembers where every entry came from.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from marsad.errors import DataFileError

LINE_KEY = "__line__"


_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it: ~10x faster


class _LineLoader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader that records the 1-based start line of every mapping."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping[LINE_KEY] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates stay strings ("2015-03-02"): roles are compared as ISO strings, and a
# user's "2015" (a year only) must not turn into an int in one place and a
# date in another.
# Likewise YAML 1.1 reads NO (Norway's code), yes, on and off as booleans:
# only true/false are booleans here.
_LineLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_LineLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def read_yaml(path: Path, error: type[DataFileError] = DataFileError) -> Any:
    """The YAML document in ``path``, each mapping with its line under ``__line__``; ``error`` (FILE:LINE: why)
    for an unreadable file or a syntax error."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise error(path, None, f"cannot read: {exc}") from exc
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise error(path, line, f"YAML syntax: {exc.problem}") from exc


def read_entries(path: str | Path) -> list[dict[str, Any]]:
    """Return the list of mappings in a YAML file, each with its line under ``__line__``.

    Raises:
        DataFileError: unreadable file, YAML syntax error, or not a list of mappings.
    """
    path = Path(path)
    data = read_yaml(path)
    if data is None:
        return []
    if not isinstance(data, list):
        raise DataFileError(path, 1, "expected a list of entries (each starting with '- ')")
    for item in data:
        if not isinstance(item, dict):
            raise DataFileError(path, None, f"expected a mapping, got {item!r}")
    return data
