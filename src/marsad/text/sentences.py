"""Sentence spans for news prose.

Rules (each is a test case): a sentence ends at . ! ? ؟ (also when the next
sentence follows without a space, «الرابع.المبادرة»), and at every line break
(headlines carry no final punctuation). Closing quotes and brackets stay with
the sentence they close. No split inside numbers («3.5», «١١٫٥»), after a
single-letter initial («أ.ف.ب», «J. Smith») or after a known abbreviation.
"""

from __future__ import annotations

import re

_ENDERS = ".!?؟…"
_CLOSERS = "\"'»”’)]}"
_ABBREVIATIONS = frozenset(
    {"د", "م", "ص", "ج", "ق", "هـ", "ه", "ت", "Mr", "Mrs", "Ms", "Dr", "St", "No", "Jr", "Sr",
     "etc", "vs", "Prof", "Gen", "Col", "Lt", "Capt", "Inc", "Ltd", "Co"}
)
_WORD_BEFORE = re.compile(r"(\w+)\s*$")
_DIGIT = re.compile(r"\d")
_BREAK = re.compile(rf"[\n\r{re.escape(_ENDERS)}]")


def _is_abbreviation(text: str, dot: int) -> bool:
    m = _WORD_BEFORE.search(text, max(0, dot - 20), dot)
    if not m or m.end() != dot:
        return False
    word = m.group(1)
    return len(word) == 1 or word in _ABBREVIATIONS


def _ends_sentence(text: str, i: int) -> bool:
    ch = text[i]
    if ch == ".":
        before = text[i - 1] if i > 0 else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if _DIGIT.match(before) and _DIGIT.match(after):
            return False  # decimal
        if after == ".":
            return False  # the last dot of "..." decides
        if _is_abbreviation(text, i):
            return False
    return True


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` spans of sentences, whitespace trimmed, covering all non-space text."""
    spans: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    for m in _BREAK.finditer(text):  # only line breaks and enders can end a sentence: the regex skips the rest
        i = m.start()
        if i < start:
            continue  # an ender or closer already taken into the sentence before
        if m.group() in "\n\r":
            _append(text, start, i, spans)
            start = i + 1
        elif _ends_sentence(text, i):
            end = i + 1
            while end < n and (text[end] in _ENDERS or text[end] in _CLOSERS):
                end += 1
            _append(text, start, end, spans)
            start = end
    _append(text, start, n, spans)
    return spans


def _append(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end <= start:
        return
    if spans and all(not c.isalnum() for c in text[start:end]):
        # A stray quote or bracket after a sentence end belongs to that sentence.
        prev_start, _ = spans[-1]
        spans[-1] = (prev_start, end)
        return
    spans.append((start, end))
