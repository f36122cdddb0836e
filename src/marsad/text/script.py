"""Which script a text is written in: Marsad reads Arabic, and says so when a document is mostly not.

An English or French article, a page of code or a list of Latin transliterations given to Marsad
yields nothing useful, and the name tagger, trained on Arabic, would find junk names in it. A
document whose letters are less than :data:`MIN_ARABIC_SHARE` Arabic script is marked with
:data:`NOT_ARABIC` (``Document.language_notice``, the JSON's ``language_notice``); the name tagger
does not run on it, and ``marsad extract`` prints a note. Only letters count: digits, punctuation,
spaces and symbols are neither Arabic nor not. An Arabic article that quotes English names, a URL or
a Latin abbreviation stays well above the threshold.
"""

from __future__ import annotations

import re

MIN_ARABIC_SHARE = 0.5  # below this share of Arabic-script letters, a document is "mostly not Arabic text"
NOT_ARABIC = "mostly not Arabic text"

# Arabic, Arabic Supplement, Arabic Extended-A/B, and the presentation forms
_ARABIC_RANGES = "\u0600-\u06ff\u0750-\u077f\u0870-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_LETTERS = re.compile(r"[^\W\d_]+")  # runs of letters of any script (marks, digits and the underscore are not)
_OTHER_LETTERS = re.compile(rf"[^\W\d_{_ARABIC_RANGES}]+")  # runs of letters of other scripts


def arabic_share(text: str) -> float | None:
    """The share of the text's letters that are Arabic script; None when it has no letters at all."""
    # Runs, not single letters: an Arabic article has a few runs of Latin letters, so this reads fast.
    other = sum(map(len, _OTHER_LETTERS.findall(text)))
    if not other:
        return 1.0 if _LETTERS.search(text) else None
    return 1 - other / sum(map(len, _LETTERS.findall(text)))


def language_notice(text: str) -> str | None:
    """:data:`NOT_ARABIC` for a text with letters of which less than :data:`MIN_ARABIC_SHARE` are Arabic
    script, else None (a text with no letters at all, only digits or symbols, gets no notice)."""
    share = arabic_share(text)
    return NOT_ARABIC if share is not None and share < MIN_ARABIC_SHARE else None
