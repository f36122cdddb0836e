"""Plain word lists (``data/**/*.txt``): words separated by spaces or lines, ``#`` starts a comment line."""

from __future__ import annotations

from importlib.resources import files

from marsad.text.normalize import match_key


def builtin_word_list(*parts: str) -> frozenset[str]:
    """The matching keys of a shipped word list, e.g. ``builtin_word_list("places", "cues.txt")``."""
    text = files("marsad.data").joinpath(*parts).read_text(encoding="utf-8")
    return frozenset(match_key(w) for line in text.splitlines() if not line.startswith("#") for w in line.split())


def builtin_word_groups(*parts: str) -> dict[str, frozenset[str]]:
    """The matching keys of a shipped word list in groups: a line ``[name]`` starts the group ``name``
    (words before the first such line are in the group ``""``), e.g. ``builtin_word_groups("actors",
    "not_names.txt")["never"]``."""
    text = files("marsad.data").joinpath(*parts).read_text(encoding="utf-8")
    groups: dict[str, set[str]] = {}
    group = ""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            group = stripped[1:-1].strip()
            groups.setdefault(group, set())
        elif not stripped.startswith("#"):
            groups.setdefault(group, set()).update(match_key(w) for w in stripped.split())
    return {name: frozenset(words) for name, words in groups.items()}
