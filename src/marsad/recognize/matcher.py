"""Clitic-aware phrase matching over token keys.

A token trie: each phrase is a sequence of token keys; matching walks the
tokens once, left to right, taking the longest phrase at each position, so the
cost is linear in the text (times the longest phrase). The first token of a
phrase may carry proclitics («وبالقاهرة», «للوفاق»): its readings are tried,
and a reading counts only when its stem starts a known phrase — no blind
stemming of names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress
from operator import attrgetter
from typing import Generic, TypeVar

from marsad.memo import Memo
from marsad.text.normalize import phrase_key
from marsad.text.tokens import Reading, Token, clitic_readings

P = TypeVar("P")
_END = "\x00"
_KEY, _KIND, _PUNCT = attrgetter("key"), attrgetter("kind"), "punct"


@dataclass(frozen=True, slots=True)
class Match(Generic[P]):
    """Tokens ``[start, end)`` matched phrase ``key`` (possibly after ``prefix`` clitics)."""

    start: int
    end: int
    key: tuple[str, ...]
    prefix: str
    payloads: tuple[P, ...]


class PhraseMatcher(Generic[P]):
    """Map phrases to payloads; find them in token lists."""

    def __init__(self, allow_clitics: bool = True, strip_article: bool = False) -> None:
        self._root: dict[str, dict] = {}
        self.allow_clitics = allow_clitics
        self.strip_article = strip_article  # also read «القصف» as «قصف» (triggers, not names)
        self.size = 0
        # Per token key, its readings that start a phrase: most tokens start none.
        self._starts: Memo[str, tuple[tuple[str, str, dict], ...]] = Memo(self._phrase_starts, 100_000)

    def add(self, phrase: str | Sequence[str], payload: P) -> bool:
        """Add a phrase (text, or its key tokens). Returns False for an empty phrase."""
        key = phrase_key(phrase) if isinstance(phrase, str) else tuple(phrase)
        if not key:
            return False
        node = self._root
        for part in key:
            node = node.setdefault(part, {})
        payloads = node.setdefault(_END, [])
        self._starts.clear()
        if payload not in payloads:
            payloads.append(payload)
            self.size += 1
        return True

    def lookup(self, phrase: str) -> list[P]:
        """Payloads of exactly this phrase (no clitic readings)."""
        node: dict | None = self._root
        for part in phrase_key(phrase):
            node = node.get(part) if node else None
        return list(node.get(_END, [])) if node else []

    def _phrase_starts(self, key: str) -> tuple[tuple[str, str, dict], ...]:
        """``(prefix, first key, trie node)`` for each reading of ``key`` that starts a phrase, bare first."""
        root = self._root
        readings = clitic_readings(key, self.strip_article) if self.allow_clitics else (Reading("", key),)
        if len(readings) == 1:  # most words: the bare reading alone, and it starts nothing
            return (("", key, root[key]),) if key in root else ()
        return tuple((r.prefix, r.stem, root[r.stem]) for r in readings if r.stem in root)

    @staticmethod
    def _longest(keys: Sequence[str], breaks: Sequence[bool], i: int, node: dict) -> tuple[int, dict] | None:
        """Longest phrase starting at token ``i`` whose first key leads to ``node``."""
        best = (i + 1, node) if _END in node else None
        j = i + 1
        n = len(keys)
        while j < n and not breaks[j]:
            node = node.get(keys[j])
            if node is None:
                break
            j += 1
            if _END in node:
                best = (j, node)
        return best

    def find(self, tokens: Sequence[Token]) -> list[Match[P]]:
        """Non-overlapping longest matches, left to right; punctuation ends a phrase."""
        return self.find_keys(list(map(_KEY, tokens)), list(map(_PUNCT.__eq__, map(_KIND, tokens))))

    def find_keys(self, keys: Sequence[str], breaks: Sequence[bool] | None = None) -> list[Match[P]]:
        """:meth:`find` on the tokens' keys alone; ``breaks[i]``: token i is punctuation (none when omitted)."""
        matches: list[Match[P]] = []
        n = len(keys)
        if breaks is None:
            breaks = [False] * n
        starting = list(map(self._starts.__getitem__, keys))  # in C: most tokens start no phrase
        free = 0  # the first token after the last match
        for i in compress(range(n), starting):
            if i < free or breaks[i]:
                continue
            best: tuple[int, dict, str, str] | None = None
            for prefix, first, node in starting[i]:
                found = self._longest(keys, breaks, i, node)
                if found and (best is None or found[0] > best[0]):
                    best = (found[0], found[1], prefix, first)
            if best is None:
                continue
            end, node, prefix, first = best
            matches.append(Match(i, end, (first, *keys[i + 1:end]), prefix, tuple(node[_END])))
            free = end
        return matches
