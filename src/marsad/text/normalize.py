"""Matching keys for Arabic text.

The article text is never changed. Keys are what dictionaries and tokens are
compared on: diacritics and tatweel removed, أ/إ/آ/ٱ → ا, ى → ي, ة → ه,
ؤ → و, ئ → ي, Arabic-Indic and Eastern digits → ASCII digits.
"""

from __future__ import annotations

import re

# Harakat, Quranic marks, superscript alef and tatweel: dropped from keys.
_DROP = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")

_CHAR_KEY = str.maketrans(
    {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
        "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي",
        "ک": "ك", "ی": "ي",  # Persian kaf and yeh
        **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + i): str(i) for i in range(10)},  # Eastern (Persian/Urdu) digits
        "٫": ".", "٬": ",",  # Arabic decimal and thousands separators
    }
)

ARABIC_PUNCTUATION = "،؛؟٪«»"


def strip_marks(text: str) -> str:
    """Remove diacritics and tatweel (not length-preserving: use on keys only)."""
    return _DROP.sub("", text)


def match_key(text: str) -> str:
    """The normalised form two spellings of the same word share.

    >>> match_key("أنقرةُ") == match_key("انقره")
    True
    """
    return _DROP.sub("", text).translate(_CHAR_KEY)


def ascii_digits(text: str) -> str:
    """Arabic-Indic and Eastern digits (and ٫ ٬) to ASCII; same length as ``text``."""
    return text.translate(
        {k: v for k, v in _CHAR_KEY.items() if 0x0660 <= k <= 0x066C or 0x06F0 <= k <= 0x06F9}
    )


def phrase_key(text: str) -> tuple[str, ...]:
    """Key tokens of a dictionary phrase: words split on spaces and punctuation."""
    from marsad.text.tokens import tokenize  # local import: tokens imports this module

    return tuple(t.key for t in tokenize(text) if t.kind != "punct")
