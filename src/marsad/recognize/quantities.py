"""Counts of people in conflict news: killed, injured, detained, displaced, fighters, protesters.

A number is a count when the noun after it, the event word before it or the
outcome verb after the noun says what it counts (``data/quantities.yaml``):
«مقتل 13 شخصا», «25 عنصرا من الميليشيات قتلوا», «11 قتيلا». A dual or
singular noun counts two or one («أصيب جنديان», «مقتل فلسطيني», «وجريحين»); a
number joined to the count before it by و or «بينهم» counts the same outcome
(«مقتل 250 شخصا و63 مسلحا», «مقتل 17 مدنيا بينهم ستة أطفال»). The count is
about the actor named in the same clause before it («مقاتلي قوات الوفاق في
حدود 11 الف عنصر» → GNA) or introduced by «من» after it («11 مسلحا من داعش»).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from itertools import compress
from operator import attrgetter
from typing import Any

import yaml

from marsad.doc import Document, Entity
from marsad.memo import Memo
from marsad.recognize.numbers import NumberSpan, find_numbers, number_words
from marsad.text.normalize import match_key
from marsad.text.tokens import STEMS_WITHOUT_ARTICLE, Token

_OUTCOMES = ("killed", "injured", "detained", "displaced")
_HEAD_WINDOW = 5  # tokens between an event word and its number («وأصيب في القصف أيضا أكثر من 40»)
_TAIL_WINDOW = 8  # tokens between the counted noun and its outcome verb («15 عنصرا بينهم قيادات … لقوا»)
_JOIN_WINDOW = 8  # tokens between a count and a number joined to it by و or «بينهم»
_OF_WINDOW = 10  # tokens between the actor and the number

Phrases = dict[tuple[str, ...], str]


@dataclass(frozen=True)
class QuantityWords:
    unit: dict[str, str]  # word key → category
    single: dict[str, str]  # singular noun → category: one person after an outcome word
    dual: dict[str, str]  # dual noun → category: two people
    head: Phrases  # outcome or event words before a number
    tail: Phrases  # outcome words after the counted noun
    among: frozenset[tuple[str, ...]]  # «بينهم», «منهم»: a part of the count before
    takes: dict[str, tuple[str, ...]]  # a kind of people → the outcomes a head or tail word gives it
    alone: dict[str, str]  # a kind of people → what it counts without an outcome
    need_a_noun: frozenset[str]  # «أحد»: a count only with its noun
    not_counts: frozenset[str]


@lru_cache(maxsize=1)
def quantity_words() -> QuantityWords:
    data = yaml.safe_load((files("marsad.data") / "quantities.yaml").read_text(encoding="utf-8"))

    def keyed(groups: dict[str, list[str]]) -> dict[str, str]:
        return {match_key(w): cat for cat, ws in groups.items() for w in ws}

    def phrases(groups: dict[str, list[str]]) -> Phrases:
        return {tuple(match_key(x) for x in w.split()): cat for cat, ws in groups.items() for w in ws}

    unit, single = keyed(data["unit_words"]), keyed(data["singular_words"])
    dual = {}
    for key, cat in list(single.items()):
        stem = key[:-1] + "ت" if key.endswith("ه") else key  # امرأة → امرأتين
        dual.update({form: cat for form in (stem + "ان", stem + "ين") if form not in unit})  # مدنيين is plural
        if not key.endswith(("ه", "ي")):  # طفلا; but سوريا and ليبيا are countries
            single.setdefault(key + "ا", cat)
    takes = data["unit_takes"]
    return QuantityWords(
        unit, single, dual, phrases(data["head_words"]), phrases(data["tail_words"]),
        frozenset(tuple(match_key(x) for x in w.split()) for w in data["among_words"]),
        {cat: tuple(t["outcomes"]) for cat, t in takes.items()}, {cat: t["alone"] for cat, t in takes.items()},
        frozenset(match_key(w) for w in data["need_a_noun"]),
        frozenset(match_key(w) for w in data["not_counts"]))


def _stems(tok: Token) -> tuple[str, ...]:
    return STEMS_WITHOUT_ARTICLE[tok.key]


def _noun_count(key: str) -> int:
    """2 for a dual noun («جنديان»), 1 for a singular one («فلسطيني»), 0 for any other word."""
    words = quantity_words()
    stems = STEMS_WITHOUT_ARTICLE[key]
    if not words.dual.keys().isdisjoint(stems):
        return 2
    return 0 if words.single.keys().isdisjoint(stems) else 1


# Per token key, remembered: every word of every sentence is asked (memo.py).
_KEY = attrgetter("key")
_NOUN_COUNT: Memo[str, int] = Memo(_noun_count, 100_000)


def _cue(tokens: list[Token], k: int, table: Phrases) -> str | None:
    """The category of the one- or two-word phrase of ``table`` starting at token k."""
    for n in (2, 1):
        if k + n > len(tokens):
            continue
        key = tuple(s for t in tokens[k:k + n] for s in _stems(t)[:1])
        hit = table.get(key) or table.get(tuple(t.key for t in tokens[k:k + n]))
        if hit is None and n == 1:
            hit = next((table[(s,)] for s in _stems(tokens[k]) if (s,) in table), None)
        if hit:
            return hit
    return None


def _nearest(tokens: list[Token], positions: range, table: Phrases,
             stop: Callable[[Token], bool]) -> tuple[str | None, int | None]:
    """The first of ``positions`` where a phrase of ``table`` starts, with its category, before a token that
    ``stop``s the search; (None, None) when there is none."""
    for k in positions:
        if stop(tokens[k]):
            break
        hit = _cue(tokens, k, table)
        if hit:
            return hit, k
    return None, None


def _implied(tokens: list[Token], numbers: list[NumberSpan], words: QuantityWords) -> list[NumberSpan]:
    """Dual and singular nouns as numbers («جنديان» → 2, «فلسطيني» → 1): empty spans before the noun,
    which is their unit. Not a noun that a number already counts («1200 جندي»)."""
    counts = list(map(_NOUN_COUNT.__getitem__, map(_KEY, tokens)))  # in C: most words count nothing
    if not any(counts):
        return []  # most sentences
    taken = {k for n in numbers for k in range(n.start, n.end + 1)}
    out = []
    for k in compress(range(len(tokens)), counts):
        if k in taken or tokens[k].kind != "word":
            continue
        if counts[k] == 2:
            out.append(NumberSpan(k, k, 2, 2, 2, False, "a dual noun"))
        else:
            out.append(NumberSpan(k, k, 1, 1, 1, False, "a singular noun"))
    return out


def _category(unit: str | None, head: str | None, tail: str | None, joined: str | None, words: QuantityWords,
              needs_outcome: bool, near: bool) -> str | None:
    """What a number counts, from its noun (``unit``), the word before it, the verb after its noun, and the
    count it is joined to; None when it is no count. ``needs_outcome``: a dual or singular noun, or a number
    after its noun («الجنود الأربعة»), is a count only of people something happened to."""
    outcome = next((c for c in (head, tail, joined) if c in _OUTCOMES), None)
    if unit in _OUTCOMES:
        return unit if not near or head else None  # «بين جريح وقتيل» is no one wounded
    if unit is None:
        return head or joined
    if outcome in words.takes.get(unit, ()):
        return outcome
    if needs_outcome:
        return None  # «جنديين» alone: two soldiers, but no count of anything
    if unit == "people" and head:
        return head  # «تظاهر 500 شخص»
    return words.alone.get(unit, unit)


class QuantityRecogniser:
    """Pipeline component: adds counts to ``doc.quantities``."""

    name = "quantities"
    requires = ("sentences", "tokens", "entities")
    assigns = ("numbers", "quantities")

    def __call__(self, doc: Document) -> Document:
        words = quantity_words()
        for sentence in doc.sentences:
            tokens = doc.sentence_tokens(sentence)
            numbers = find_numbers(tokens)
            doc.numbers[sentence.i] = numbers  # the event coder reads them too
            candidates = [*numbers, *_implied(tokens, numbers, words)]
            if not candidates:
                continue  # most sentences count nothing
            actors = [e for e in doc.entities_in(sentence.start, sentence.end) if e.actor_id]
            last: tuple[int, str, bool] | None = None  # the sentence's last outcome count: last token, outcome,
            # and whether a verb after it closed its clause («طفلا توفي و13 شخصا واجهوا» joins nothing)
            for num in sorted(candidates, key=lambda n: n.start):
                found = self._quantity(doc, tokens, num, actors, words, last)
                if found is not None:
                    q, end_k, closed = found
                    doc.quantities.append(q)
                    if q["what"] in _OUTCOMES:
                        last = (end_k, q["what"], closed)
        return doc

    def _quantity(self, doc: Document, tokens: list[Token], num: NumberSpan, actors: list[Entity],
                  words: QuantityWords, last: tuple[int, str, bool] | None
                  ) -> tuple[dict[str, Any], int, bool] | None:
        implied = num.start == num.end
        if self._not_a_count(tokens, num, words):
            return None
        unit = self._unit(tokens, num, words)
        if unit is False:
            return None
        unit_cat, unit_k = unit if unit else (None, None)
        if unit_k is None and any(s in words.need_a_noun for s in _stems(tokens[num.start])):
            return None
        follows = unit_k is not None and unit_k < num.start  # «الجنود الأربعة»: those already counted
        near = implied and num.value == 1  # a singular noun counts only right beside its outcome word
        head_cat, head_k = self._head(tokens, num.start, words, 1 if near else _HEAD_WINDOW)
        tail_cat, tail_k = (None, None) if unit_k is None else \
            self._tail(tokens, unit_k + 1, words, 1 if near else _TAIL_WINDOW)
        joined = None if near else self._joined(tokens, num, last, words)
        category = _category(unit_cat, head_cat, tail_cat, joined, words, implied or follows, near)
        if category is None:
            return None
        unit_tok = tokens[unit_k] if unit_k is not None else None
        ends = [t for t in (tokens[num.start], tokens[max(num.start, num.end - 1)], unit_tok) if t is not None]
        start, end = min(t.start for t in ends), max(t.end for t in ends)  # the noun may come first: «الجنود الأربعة»
        low, high, value, approximate = num.low, num.high, num.value, num.approximate
        after = next((k for k, t in enumerate(tokens) if t.start >= end), len(tokens))
        if tuple(t.key for t in tokens[after:after + 2]) in number_words().after_at_least:  # «13 شخصا على الأقل»
            end, high, value, approximate = tokens[after + 1].end, None, low, True
        of = self._about(doc, tokens, num, actors, unit_tok)
        said = doc.text[tokens[num.start].start:tokens[max(num.start, num.end - 1)].end]
        why = [f"number «{said}» ({num.rule})"]
        if unit_tok is not None:
            why.append(f"counts «{unit_tok.text}» ({unit_cat})")
        for k, cat, where in ((head_k, head_cat, "after"), (tail_k, tail_cat, "before")):
            if k is not None:
                why.append(f"{where} «{tokens[k].text}» ({cat})")
        if joined and category == joined and not (head_cat == joined or tail_cat == joined):
            why.append(f"part of the count before it ({joined})")
        if of is not None:
            why.append(f"about «{of.text}»")
        return {
            "start": start, "end": end, "text": doc.text[start:end], "what": category,
            "unit": unit_tok.text if unit_tok is not None else None,
            "value": value, "min": low, "max": high, "approximate": approximate,
            "of": {"start": of.start, "end": of.end, "text": of.text, "actor_id": of.actor_id} if of else None,
            "explanation": "; ".join(why) + " — data/quantities.yaml",
        }, (unit_k if unit_k is not None else num.end - 1), tail_cat is not None and tail_cat == category

    @staticmethod
    def _not_a_count(tokens: list[Token], num: NumberSpan, words: QuantityWords) -> bool:
        """A day («الأحد») or a measure written as a number word («بالمئة», «في المئة»)."""
        first = tokens[num.start]
        if num.end - num.start == 1 and first.key in number_words().day_names:
            return True
        before = f"{tokens[num.start - 1].key} {first.key}" if num.start else ""
        return before in words.not_counts or any(s in words.not_counts for s in _stems(first))

    @staticmethod
    def _unit(tokens: list[Token], num: NumberSpan, words: QuantityWords) -> tuple[str, int] | bool | None:
        """(category, token) of the noun the number counts; None if none; False if it counts no people."""
        if num.start == num.end:
            stems = _stems(tokens[num.start])
            return next(((words.dual.get(s) or words.single[s], num.start) for s in stems
                         if s in words.dual or s in words.single), None)
        if num.start and tokens[num.start].key.startswith("ال"):  # «الجنود الأربعة»: the noun is before
            hit = next((words.unit[s] for s in _stems(tokens[num.start - 1]) if s in words.unit), None)
            return (hit, num.start - 1) if hit else False
        for k in range(num.end, min(len(tokens), num.end + 3)):
            stems = _stems(tokens[k])
            if any(s in words.not_counts for s in stems) or tokens[k].kind == "number":
                return False
            hit = next((words.unit[s] for s in stems if s in words.unit), None)
            if hit:
                return hit, k
            if tokens[k].key not in ("من", "منهم", "بين"):
                break
        return None

    @staticmethod
    def _head(tokens: list[Token], start: int, words: QuantityWords, window: int) -> tuple[str | None, int | None]:
        """The nearest event word before the number, in its clause (punctuation ends the search)."""
        return _nearest(tokens, range(start - 1, max(-1, start - 1 - window), -1), words.head,
                        lambda t: t.kind == "punct")

    @staticmethod
    def _tail(tokens: list[Token], first: int, words: QuantityWords, window: int) -> tuple[str | None, int | None]:
        """The outcome verb after the counted noun, in its clause («… قتلوا»; any non-word ends the search)."""
        return _nearest(tokens, range(first, min(len(tokens), first + window)), words.tail,
                        lambda t: t.kind != "word")

    @staticmethod
    def _joined(tokens: list[Token], num: NumberSpan, last: tuple[int, str, bool] | None, words: QuantityWords
                ) -> str | None:
        """The outcome of the count before, when this number is joined to it: «و63 مسلحا» right after it,
        «بينهم ستة أطفال» or «عشرة منهم» a little after it."""
        if last is None or not 0 < num.start - last[0] <= _JOIN_WINDOW:
            return None
        gap = tokens[last[0] + 1:num.start]
        first = tokens[num.start]
        conj = (gap and gap[-1].key == "و") or (first.kind == "word" and first.key.startswith("و")
                                                  and first.key not in number_words().units)
        if conj and not last[2] and not any(t.kind == "punct" for t in gap):
            return last[1]
        before = tuple(t.key for t in gap[-2:])
        part = before in words.among or before[-1:] in words.among or \
            (num.end < len(tokens) and (tokens[num.end].key,) in words.among)
        return last[1] if part else None

    @staticmethod
    def _about(doc: Document, tokens: list[Token], num: NumberSpan, actors: list[Entity], unit_tok: Token | None
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
