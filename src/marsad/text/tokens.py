"""Tokens with character offsets, and clitic-aware readings of a token.

Arabic attaches conjunctions and prepositions to the next word («وبالقاهرة»).
Instead of blind stemming, :func:`clitic_readings` lists the ways a token may
be a known word plus proclitics; a lexicon accepts a reading only when the
remainder is one of its entries.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from marsad.memo import Memo
from marsad.text.normalize import match_key

_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
_DIGITS = "0-9\u0660-\u0669\u06f0-\u06f9"
_TOKEN = re.compile(
    rf"(?P<number>[{_DIGITS}]+(?:[.,\u066b\u066c][{_DIGITS}]+)*)"
    rf"|(?P<word>[^\W\d_](?:[^\W\d_]|[{_MARKS}])*)"
    r"|(?P<punct>[^\s_])"  # an underscore joins a hashtag's words («#كوريا_الجنوبية»): read as a space
)
_MARK_CHARS = re.compile(f"[{_MARKS}]")


@dataclass(frozen=True, slots=True)
class Token:
    """One token: ``text == doc.text[start:end]``; ``key`` is its matching key."""

    i: int
    start: int
    end: int
    text: str
    key: str
    kind: str  # "word" | "number" | "punct"


_KEYS: Memo[str, str] = Memo(match_key, 100_000)  # token text → match key


def token_key(text: str) -> str:
    """The match key of one token's text (:func:`match_key`, remembered per distinct text)."""
    return _KEYS[text]


# The slots of a Token, set directly: a frozen dataclass's __init__ sets each field through
# object.__setattr__, which was a third of tokenising (every word of every article; benchmarks/README.md).
_NEW_TOKEN = object.__new__
_SET_FIELDS = tuple(Token.__dict__[f].__set__ for f in ("i", "start", "end", "text", "key", "kind"))


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into word, number and punctuation tokens with offsets."""
    tokens: list[Token] = []
    append, keys, new = tokens.append, _KEYS, _NEW_TOKEN
    set_i, set_start, set_end, set_text, set_key, set_kind = _SET_FIELDS
    for i, m in enumerate(_TOKEN.finditer(text)):
        word = m.group()
        tok = new(Token)
        set_i(tok, i)
        set_start(tok, m.start())
        set_end(tok, m.end())
        set_text(tok, word)
        set_key(tok, keys[word])
        set_kind(tok, m.lastgroup or "punct")
        append(tok)
    return tokens


# Proclitics in the order they attach: conjunction, preposition, article.
_CONJ = ("و", "ف")
_PREP = ("ب", "ل", "ك")
MIN_STEM = 2  # a reading must leave at least this many letters
_CLITIC_LETTERS = frozenset("".join(_CONJ + _PREP) + "ا")  # the letters a reading other than the bare one starts with


@dataclass(frozen=True, slots=True)
class Reading:
    """A way to read a token key as proclitics + stem."""

    prefix: str  # the proclitics, in key form ("وب", "لل", "")
    stem: str  # the remaining key, with ال restored after لل («للقاهره» → «القاهره»)


def clitic_readings(key: str, strip_article: bool = False) -> tuple[Reading, ...]:
    """All proclitic readings of a token key, the bare token first.

    Conjunctions (و ف) and prepositions (ب ل ك) are split off; «لل» is read as
    ل + ال. The article ال itself is removed only with ``strip_article``: a
    name written without it («مشهد», «حفتر») must not match «المشهد», while a
    trigger lexicon may list «قصف» for «القصف».

    >>> [r.stem for r in clitic_readings("وللوفاق")]
    ['وللوفاق', 'للوفاق', 'الوفاق', 'لوفاق']
    """
    return _readings(key, strip_article)  # one cache entry per key and choice, however the caller passes them


@lru_cache(maxsize=65_536)  # bounded: a long run meets ever more words, and every process holds its own
def _readings(key: str, strip_article: bool) -> tuple[Reading, ...]:
    if key[:1] not in _CLITIC_LETTERS:
        return (Reading("", key),)  # most words: no proclitic can start them
    splits: list[tuple[str, str]] = []  # (prefix, stem) in the order they are read
    for conj in ("", key[0]) if key[0] in _CONJ else ("",):
        rest = key[len(conj):]
        if conj == "ف" and not strip_article and not rest.startswith(("ال", "ب", "ل")):
            continue  # «فاطمة» is a name, not ف + «أطمة»: bare ف before a name is rare in news
        if conj:
            splits.append((conj, rest))
        if rest.startswith("لل"):  # ل + ال with the alef dropped
            splits.append((conj + "لل", "ال" + rest[2:]))
            if strip_article:
                splits.append((conj + "لل", rest[2:]))
        prep = rest[:1]  # at most one preposition: each is one letter
        if prep in _PREP and (prep != "ك" or strip_article):  # «كسرت» is a verb, not ك + «سرت»: ‘like’
            stem = rest[1:]  # before a name is rare in news
            splits.append((conj + prep, stem))
            if strip_article and stem.startswith("ال"):
                splits.append((conj + prep + "ال", stem[2:]))
        if strip_article and rest.startswith("ال"):
            splits.append((conj + "ال", rest[2:]))
    readings = [Reading("", key)]
    seen = {key}
    for prefix, stem in splits:
        if len(stem) >= MIN_STEM and stem not in seen:
            seen.add(stem)
            readings.append(Reading(prefix, stem))
    return tuple(readings)


def _stems_of(strip_article: bool) -> Callable[[str], tuple[str, ...]]:
    return lambda key: tuple(r.stem for r in _readings(key, strip_article))


# Per token key, the stems of its clitic readings (the bare key first), with the article kept or also
# stripped: several stages ask it of every token, so it is worked out once per distinct word (memo.py).
STEMS: Memo[str, tuple[str, ...]] = Memo(_stems_of(False), 100_000)
STEMS_WITHOUT_ARTICLE: Memo[str, tuple[str, ...]] = Memo(_stems_of(True), 100_000)


@lru_cache(maxsize=64)
def reads_as(words: frozenset[str]) -> Memo[str, bool]:
    """Per token key: is the key, or one of its readings without proclitics, in ``words``? (The rules ask it
    of every token: once per distinct word.)"""
    return Memo(lambda key: any(s in words for s in STEMS[key]), 100_000)


def text_offset_of_key_index(token_text: str, key_index: int) -> int:
    """Offset in ``token_text`` of the ``key_index``-th character of its key.

    Keys drop diacritics and tatweel; this maps a position in the key (such as
    the end of a clitic prefix) back into the original token.
    """
    kept = 0
    for pos, ch in enumerate(token_text):
        if _MARK_CHARS.match(ch):
            continue
        if kept == key_index:
            return pos
        kept += 1
    return len(token_text)
