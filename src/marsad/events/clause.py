"""Clause-level helpers shared by the event coder's rules: where a clause ends, and token lookups."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from operator import attrgetter
from typing import TypeVar

from marsad.doc import Entity, Ref
from marsad.knowledge.eventdata import EventKnowledge, Phrase
from marsad.memo import Memo
from marsad.text.tokens import STEMS, Token

T = TypeVar("T")

# Time words that anchor a report in the news cycle («أمس», «صباح الأحد»): match keys.
TIME_WORDS = frozenset({
    "امس", "اليوم", "الليله", "صباح", "مساء", "ظهر", "فجر", "ليل", "ليله", "الاحد", "الاثنين", "الثلاثاء",
    "الاربعاء", "الخميس", "الجمعه", "السبت", "الماضي", "الماضيه", "مؤخرا", "حاليا", "الان",
})

# Punctuation that ends a clause for argument and cue search («،» and «؛» included).
CLAUSE_PUNCT = frozenset("،؛;:.!?؟,()[]«»\"“”")


def stems(tok: Token) -> tuple[str, ...]:
    """The token's key and its readings without proclitics."""
    return stems_of_key(tok.key)


def stems_of_key(key: str) -> tuple[str, ...]:  # asked for every token by every rule: once per distinct word
    return STEMS[key]


def phrase_at(tokens: list[Token], i: int, phrases: frozenset[Phrase]) -> int:
    """Length of the longest phrase starting at token i (first word may carry proclitics), else 0."""
    if i >= len(tokens):
        return 0
    return _longest(tokens, i, _first_words(phrases).starting[tokens[i].key])


def phrase_lengths(tokens: list[Token], phrases: frozenset[Phrase]) -> list[int]:
    """:func:`phrase_at` for every token of a sentence (most start no phrase: one lookup each)."""
    starting = _first_words(phrases).starting
    found = list(map(starting.__getitem__, map(_KEY, tokens)))  # the loops in C: most tokens start nothing
    out = [0] * len(tokens)
    for i in compress(range(len(tokens)), found):
        out[i] = _longest(tokens, i, found[i])
    return out


def per_sentence(tokens: list[Token], key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` for the sentence asked about last, kept under ``key``: each of its candidates asks the same
    question of the sentence (the phrases it holds, the years it writes …), the first one pays for it."""
    last_tokens, table = _last_sentence[0]
    if last_tokens is not tokens:
        table = {}
        _last_sentence[0] = (tokens, table)  # one assignment: a thread never sees one sentence's table on another
    if key not in table:
        table[key] = compute()
    return table[key]  # type: ignore[no-any-return]


_last_sentence: list[tuple[list[Token] | None, dict[Hashable, object]]] = [(None, {})]


def sentence_phrases(tokens: list[Token], phrases: frozenset[Phrase]) -> list[int]:
    """:func:`phrase_lengths`, once a sentence."""
    return per_sentence(tokens, phrases, lambda: phrase_lengths(tokens, phrases))


def _longest(tokens: list[Token], i: int, candidates: tuple[Phrase, ...]) -> int:
    best = 0
    for p in candidates:
        n = len(p)
        if n > best and tuple(t.key for t in tokens[i + 1:i + n]) == p[1:]:
            best = n
    return best


class _FirstWords:
    """The phrases of one set by first word, and per token key the phrases any reading of it may start
    (asked for every token by several rules: once per distinct word)."""

    def __init__(self, phrases: frozenset[Phrase]) -> None:
        index: dict[str, list[Phrase]] = {}
        for p in phrases:
            index.setdefault(p[0], []).append(p)
        self.by_first = {k: tuple(v) for k, v in index.items()}
        self.starting: Memo[str, tuple[Phrase, ...]] = Memo(self._starting, 100_000)

    def _starting(self, key: str) -> tuple[Phrase, ...]:
        return tuple(p for first in stems_of_key(key) for p in self.by_first.get(first, ()))


@lru_cache(maxsize=64)
def _first_words(phrases: frozenset[Phrase]) -> _FirstWords:
    return _FirstWords(phrases)


@dataclass
class Clauses:
    """Clause boundaries of one sentence's tokens: a boundary token separates what is before and after it."""

    tokens: list[Token]
    knowledge: EventKnowledge

    def __post_init__(self) -> None:
        boundary_words = phrase_lengths(self.tokens, self.knowledge.boundaries)
        self.is_boundary = [(tok.kind == "punct" and tok.text in CLAUSE_PUNCT) or (tok.kind == "word" and n > 0)
                            for tok, n in zip(self.tokens, boundary_words, strict=True)]

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Token range [lo, hi) of the clause around tokens [i, j)."""
        lo = i
        while lo > 0 and not self.is_boundary[lo - 1]:
            lo -= 1
        hi = j
        while hi < len(self.tokens) and not self.is_boundary[hi]:
            hi += 1
        return lo, hi

    def crosses(self, a: int, b: int) -> bool:
        """True when a boundary lies between token a and token b (exclusive)."""
        lo, hi = (a, b) if a < b else (b, a)
        return any(self.is_boundary[lo + 1:hi])


def token_range(tokens: list[Token], ent: Entity | Ref) -> tuple[int, int]:
    """Token indices [i, j) an entity (or an event's trigger) covers within ``tokens`` (binary search on offsets)."""
    i = bisect.bisect_right(tokens, ent.start, key=_END)
    j = bisect.bisect_left(tokens, ent.end, key=_START)
    return i, j


# C key functions: token_range runs ~300 times an article, phrase_lengths reads every token's key
_START, _END, _KEY = attrgetter("start"), attrgetter("end"), attrgetter("key")
