"""Clause-level helpers shared by the event coder's rules: where a clause ends, and token lookups."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from marsad.doc import Entity
from marsad.knowledge.eventdata import EventKnowledge, Phrase
from marsad.text.tokens import Token, clitic_readings

# Punctuation that ends a clause for argument and cue search («،» and «؛» included).
CLAUSE_PUNCT = frozenset("،؛;:.!?؟,()[]«»\"“”")


def stems(tok: Token) -> tuple[str, ...]:
    """The token's key and its readings without proclitics."""
    return tuple(r.stem for r in clitic_readings(tok.key, strip_article=False))


def phrase_at(tokens: list[Token], i: int, phrases: Iterable[Phrase]) -> int:
    """Length of the longest phrase starting at token i (first word may carry proclitics), else 0."""
    best = 0
    first = set(stems(tokens[i])) if i < len(tokens) else set()
    for p in phrases:
        n = len(p)
        if n > best and p[0] in first and tuple(t.key for t in tokens[i + 1:i + n]) == p[1:]:
            best = n
    return best


@dataclass
class Clauses:
    """Clause boundaries of one sentence's tokens: a boundary token separates what is before and after it."""

    tokens: list[Token]
    knowledge: EventKnowledge

    def __post_init__(self) -> None:
        self.is_boundary = [False] * len(self.tokens)
        for k, tok in enumerate(self.tokens):
            punct = tok.kind == "punct" and tok.text in CLAUSE_PUNCT
            if punct or (tok.kind == "word" and phrase_at(self.tokens, k, self.knowledge.boundaries)):
                self.is_boundary[k] = True

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


def token_range(tokens: list[Token], ent: Entity) -> tuple[int, int]:
    """Token indices [i, j) an entity covers within ``tokens``."""
    i = next((k for k, t in enumerate(tokens) if t.end > ent.start), len(tokens))
    j = next((k for k, t in enumerate(tokens) if t.start >= ent.end), len(tokens))
    return i, j
