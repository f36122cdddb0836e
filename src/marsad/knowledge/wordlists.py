"""Plain word lists (``data/**/*.txt``): words separated by spaces or lines, ``#`` starts a comment line."""

from __future__ import annotations

from importlib.resources import files

from marsad.text.normalize import match_key


def builtin_word_list(*parts: str) -> frozenset[str]:
    """The matching keys of a shipped word list, e.g. ``builtin_word_list("places", "cues.txt")``."""
    text = files("marsad.data").joinpath(*parts).read_text(encoding="utf-8")
    return frozenset(match_key(w) for line in text.splitlines() if not line.startswith("#") for w in line.split())
