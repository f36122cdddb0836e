"""Counts of people in conflict news: killed, injured, detained, displaced, fighters, protesters.

A number is a count when the noun after it, or the event noun before it,
says what it counts (``data/quantities.yaml``); the count is about the actor
named in the same clause before it («مقاتلي قوات الوفاق في حدود 11 الف
عنصر» → GNA) or introduced by «من» after it («11 مسلحا من داعش»).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

import yaml

from marsad.doc import Document, Entity
from marsad.recognize.numbers import find_numbers, number_words
from marsad.text.normalize import match_key
from marsad.text.tokens import Token, clitic_readings

_OUTCOMES = ("killed", "injured", "detained", "displaced")
_HEAD_WINDOW = 3  # tokens between an event noun and its number («مقتل أكثر من 50»)
_OF_WINDOW = 10  # tokens between the actor and the number


@dataclass(frozen=True)
class QuantityWords:
    unit: dict[str, str]  # word key → category
    head: dict[tuple[str, ...], str]
    not_counts: frozenset[str]


@lru_cache(maxsize=1)
def quantity_words() -> QuantityWords:
    data = yaml.safe_load((files("marsad.data") / "quantities.yaml").read_text(encoding="utf-8"))
    unit = {match_key(w): cat for cat, ws in data["unit_words"].items() for w in ws}
    head = {tuple(match_key(x) for x in w.split()): cat for cat, ws in data["head_words"].items() for w in ws}
    return QuantityWords(unit, head, frozenset(match_key(w) for w in data["not_counts"]))


def _stems(tok: Token) -> list[str]:
    return [r.stem for r in clitic_readings(tok.key, strip_article=True)]


class QuantityRecogniser:
    """Pipeline component: adds counts to ``doc.quantities``."""

    name = "quantities"
    requires = ("sentences", "tokens", "entities")
    assigns = ("numbers", "quantities")

    def __call__(self, doc: Document) -> Document:
        words = quantity_words()
        for sentence in doc.sentences:
            tokens = doc.sentence_tokens(sentence)
            actors = [e for e in doc.entities_in(sentence.start, sentence.end) if e.actor_id]
            doc.numbers[sentence.i] = find_numbers(tokens)  # the event coder reads them too
            for num in doc.numbers[sentence.i]:
                q = self._quantity(doc, tokens, num, actors, words)
                if q is not None:
                    doc.quantities.append(q)
        return doc

    def _quantity(self, doc: Document, tokens: list[Token], num: Any, actors: list[Entity],
                  words: QuantityWords) -> dict[str, Any] | None:
        unit_cat = unit_tok = None
        for k in range(num.end, min(len(tokens), num.end + 3)):
            stems = _stems(tokens[k])
            if any(s in words.not_counts for s in stems) or tokens[k].kind == "number":
                return None
            hit = next((words.unit[s] for s in stems if s in words.unit), None)
            if hit:
                unit_cat, unit_tok = hit, tokens[k]
                break
            if tokens[k].key not in ("من", "منهم", "بين"):
                break
        head_cat = head_tok = None
        for k in range(num.start - 1, max(-1, num.start - 1 - _HEAD_WINDOW), -1):
            for n in (2, 1):
                key = tuple(s for t in tokens[k:k + n] for s in _stems(t)[:1])
                key_full = tuple(t.key for t in tokens[k:k + n])
                hit = words.head.get(key) or words.head.get(key_full)
                if hit is None and n == 1:
                    hit = next((words.head[(s,)] for s in _stems(tokens[k]) if (s,) in words.head), None)
                if hit:
                    head_cat, head_tok = hit, tokens[k]
                    break
            if head_cat:
                break
        # What happened to them (killed, injured …) wins over who they are (fighters, people).
        outcome = head_cat if head_cat in _OUTCOMES else None
        category = outcome or (unit_cat if unit_cat != "people" or not head_cat else head_cat)
        if category is None:
            return None
        start = tokens[num.start].start
        end = (unit_tok or tokens[num.end - 1]).end
        low, high, value, approximate = num.low, num.high, num.value, num.approximate
        after = next((k for k, t in enumerate(tokens) if t.start >= end), len(tokens))
        if tuple(t.key for t in tokens[after:after + 2]) in number_words().after_at_least:  # «13 شخصا على الأقل»
            end, high, value, approximate = tokens[after + 1].end, None, low, True
        of = self._about(doc, tokens, num, actors, unit_tok)
        why = [f"number «{doc.text[tokens[num.start].start:tokens[num.end - 1].end]}» ({num.rule})"]
        if unit_tok is not None:
            why.append(f"counts «{unit_tok.text}» ({unit_cat})")
        if head_tok is not None:
            why.append(f"after «{head_tok.text}» ({head_cat})")
        if of is not None:
            why.append(f"about «{of.text}»")
        return {
            "start": start, "end": end, "text": doc.text[start:end], "what": category,
            "unit": unit_tok.text if unit_tok is not None else None,
            "value": value, "min": low, "max": high, "approximate": approximate,
            "of": {"start": of.start, "end": of.end, "text": of.text, "actor_id": of.actor_id} if of else None,
            "explanation": "; ".join(why) + " — data/quantities.yaml",
        }

    @staticmethod
    def _about(doc: Document, tokens: list[Token], num: Any, actors: list[Entity], unit_tok: Token | None
               ) -> Entity | None:
        after = (unit_tok.end if unit_tok else tokens[num.end - 1].end)
        for a in actors:  # «11 مسلحا من داعش»
            if a.start >= after and doc.text[after:a.start].strip() in ("من", "من عناصر", "من مقاتلي", "تابعين ل"):
                return a
        start = tokens[num.start].start
        before = [a for a in actors if a.end <= start and a.type != "LOC" and a.place is None]
        if before:
            a = before[-1]
            gap = sum(1 for t in tokens if a.end <= t.start < start)
            if gap <= _OF_WINDOW:
                return a
        return None
