"""Numbers in Arabic news: digits and number words, with ranges.

«11 الف» → 11000, «أحد عشر ألف» → 11000, «١١ ألف» → 11000, «1.5 مليون» →
1500000, «10.000» → 10000, «عشرات» → 20–99, «نحو 300» → about 300, «أكثر من 50»
→ at least 50, «ما يصل إلى 60» → at most 60, «ما بين 150 إلى 170» → 150–170.
The word lists live in ``data/numbers.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from itertools import compress
from operator import attrgetter

import yaml

from marsad.memo import Memo
from marsad.text.normalize import match_key
from marsad.text.tokens import STEMS, STEMS_WITHOUT_ARTICLE, Token


@dataclass(frozen=True, slots=True)
class NumberSpan:
    """A number expression over tokens ``[start, end)``."""

    start: int
    end: int
    value: int | None  # best single value (None for «عدد من»)
    low: int | None
    high: int | None
    approximate: bool
    rule: str  # which reading produced it, for explanations


_ANY = ""  # in a first word's second words: a one-word phrase starts with it, so any word may follow


@dataclass(frozen=True)
class NumberWords:
    units: dict[str, int]  # واحد … تسعمئة
    multipliers: dict[str, int]  # ألف, مليون, مليار
    plural_multipliers: dict[str, int]  # آلاف, ملايين, مئات: multiply after a unit
    vague: dict[str, tuple[int, int]]  # عشرات → (20, 99)
    at_least: tuple[tuple[str, ...], ...]
    at_most: tuple[tuple[str, ...], ...]
    approximately: tuple[tuple[str, ...], ...]
    after_at_least: tuple[tuple[str, ...], ...]
    range_starts: tuple[tuple[str, ...], ...] = ()
    range_joins: frozenset[str] = frozenset()
    day_names: frozenset[str] = frozenset()  # «الأحد», «الاثنين»: numbers here, but never a count
    starters: frozenset[str] = frozenset()  # every word a number expression can start with
    # word key → may a number start there (a reading of it is a starter): asked for every token
    may_start: Memo[str, bool] = field(init=False, compare=False, repr=False)
    # Per phrase list (by field name), the first words of its phrases; per first word of any phrase that can
    # open a number, the words its phrases go on with (_ANY for a one-word phrase). Worked out once.
    firsts: dict[str, frozenset[str]] = field(init=False, compare=False, repr=False)
    seconds: dict[str, frozenset[str]] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "may_start", Memo(self._may_start, 100_000))
        groups = ("at_least", "at_most", "approximately", "range_starts", "after_at_least")
        object.__setattr__(self, "firsts", {g: frozenset(p[0] for p in getattr(self, g)) for g in groups})
        seconds: dict[str, set[str]] = {}
        for g in groups[:4]:  # the lists a number can open with
            for p in getattr(self, g):
                seconds.setdefault(p[0], set()).add(p[1] if len(p) > 1 else _ANY)
        object.__setattr__(self, "seconds", {k: frozenset(v) for k, v in seconds.items()})

    def _may_start(self, key: str) -> bool:
        if key[:1].isdigit():
            return True  # a number token (only those start with a digit)
        return not self.starters.isdisjoint(STEMS_WITHOUT_ARTICLE[key])


@lru_cache(maxsize=1)
def number_words() -> NumberWords:
    data = yaml.safe_load((files("marsad.data") / "numbers.yaml").read_text(encoding="utf-8"))

    def keyed(d: dict) -> dict:
        return {match_key(k): v for k, v in d.items()}

    def phrases(items: list[str]) -> tuple[tuple[str, ...], ...]:
        return tuple(sorted({tuple(match_key(w) for w in p.split()) for p in items}, key=len, reverse=True))

    units = keyed(data["units"])
    units.pop(match_key("عشرات"), None)
    multipliers = keyed(data["multipliers"])
    vague = {match_key(k): (v[0], v[1]) for k, v in data["vague"].items()}
    at_least, at_most = phrases(data["at_least"]), phrases(data["at_most"])
    approximately = phrases(data["approximately"])
    range_starts = phrases(data["range_starts"])
    firsts = {p[0] for group in (at_least, at_most, approximately, range_starts) for p in group}
    return NumberWords(
        units=units, multipliers=multipliers, plural_multipliers=keyed(data["plural_multipliers"]), vague=vague,
        at_least=at_least, at_most=at_most, approximately=approximately,
        after_at_least=phrases(data["after_at_least"]), range_starts=range_starts,
        range_joins=frozenset(match_key(w) for w in data["range_joins"]),
        day_names=frozenset(match_key(w) for w in data["day_names"]),
        starters=frozenset({*units, *multipliers, *vague, *firsts}),
    )


_THOUSANDS_DOT = re.compile(r"\d{1,3}(\.\d{3})+")  # «10.000»: the dot groups thousands


def _digits_value(key: str) -> float | None:
    text = key.replace(",", "") if key.count(",") and all(len(g) == 3 for g in key.split(",")[1:]) else key
    text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def _word_value(key: str, words: NumberWords) -> tuple[str, int, str] | None:
    """(kind, value, stem) of a number word — kind "unit", "mult" or "vague" — reading off و/ب/ل proclitics."""
    for k in STEMS_WITHOUT_ARTICLE[key]:
        if k in words.units:
            return "unit", words.units[k], k
        if k in words.multipliers:
            return "mult", words.multipliers[k], k
        if k in words.vague:
            return "vague", words.plural_multipliers.get(k, 0), k
    return None


def find_numbers(tokens: list[Token]) -> list[NumberSpan]:
    """Number expressions in a token list (one sentence or a whole document)."""
    words = number_words()
    # The tokens a number may start at: digits, or a word a reading of which starts one (most words start none:
    # found with map and compress, so the loop runs in C).
    starts = list(map(words.may_start.__getitem__, map(_KEY, tokens)))
    out: list[NumberSpan] = []
    free = 0  # the first token after the last number found
    for i in compress(range(len(tokens)), starts):
        if i < free or not _worth_trying(tokens, i, words):
            continue
        span = _number_at(tokens, i, words)
        if span is not None:
            out.append(span)
            free = max(span.end, i + 1)
    return out


def _worth_trying(tokens: list[Token], i: int, words: NumberWords) -> bool:
    """Can a number start at token i? Digits and number words can; a word that only starts a phrase («في» of
    «في حدود», «ما» of «ما يصل إلى»: the commonest words of all) only when the next word continues one."""
    tok = tokens[i]
    if tok.kind == "number" or _word_value(tok.key, words) is not None:
        return True
    following = tokens[i + 1].key if i + 1 < len(tokens) else None
    seconds = words.seconds
    return any(following in seconds.get(first, ()) or _ANY in seconds.get(first, ())
               for first in STEMS[tok.key])


def _match_phrase(tokens: list[Token], i: int, words: NumberWords, group: str) -> int:
    """Length of the longest phrase of the list ``group`` («at_least» …) starting at token i, else 0 (phrases are
    sorted longest first); the first word may carry a proclitic («بنحو», «لنحو», «بما بين»)."""
    if i >= len(tokens):
        return 0
    phrases: tuple[tuple[str, ...], ...] = getattr(words, group)
    firsts = words.firsts[group]
    readings = STEMS[tokens[i].key]
    if firsts.isdisjoint(readings):
        return 0  # the usual case, decided in C
    for first in readings:
        if first not in firsts:
            continue
        for p in phrases:
            if p[0] == first and tuple(t.key for t in tokens[i + 1:i + len(p)]) == p[1:]:
                return len(p)
    return 0


_KEY = attrgetter("key")


def _number_at(tokens: list[Token], i: int, words: NumberWords) -> NumberSpan | None:
    start, kind = i, "exact"
    for group, name in (("at_least", "at_least"), ("at_most", "at_most"), ("approximately", "approx")):
        k = _match_phrase(tokens, i, words, group)
        if k:
            kind, i = name, i + k
            break
    ranged = kind == "exact" and _match_phrase(tokens, i, words, "range_starts")
    core = _core_number(tokens, i + ranged, words)
    if core is None:
        return None
    end, low, high, rule = core
    if ranged:
        upper = _range_end(tokens, end, words)
        if upper is None:
            return None  # «بين 3 دول» is no number of people
        end, high = upper
        value = low if low is not None and high is not None and low < high else None
        return NumberSpan(start, end, value, low, high, True, f"{rule}, range")
    k = _match_phrase(tokens, end, words, "after_at_least")
    if k:
        kind, end = "at_least", end + k
    if kind == "exact":
        start = i
    if kind == "at_least":
        high = None
    elif kind == "at_most":
        low = None
    value = low if low is not None and low == high else (low if kind == "at_least" else high if kind == "at_most"
                                                         else None)
    if kind == "approx" and low == high:
        value = low
    return NumberSpan(start, end, value, low, high, kind != "exact" or low != high, f"{rule}, {kind}")


def _range_end(tokens: list[Token], i: int, words: NumberWords) -> tuple[int, int] | None:
    """(end, upper bound) of «إلى 17100» or «وثلاثة آلاف» after a range's lower bound."""
    if i < len(tokens) and tokens[i].key in words.range_joins:
        i += 1
    core = _core_number(tokens, i, words)
    return (core[0], core[2]) if core else None


def _core_number(tokens: list[Token], i: int, words: NumberWords) -> tuple[int, int, int, str] | None:
    """(end, low, high, rule) for the number starting at token i."""
    if i >= len(tokens):
        return None
    tok = tokens[i]
    if tok.kind == "number":
        base = _digits_value(tok.key)
        if base is None:
            return None
        w = _word_value(tokens[i + 1].key, words) if i + 1 < len(tokens) else None
        if w and (w[0] == "mult" or (w[0] == "vague" and w[1])):
            return i + 2, int(base * w[1]), int(base * w[1]), "digits and a multiplier"
        if _THOUSANDS_DOT.fullmatch(tok.key):
            base = float(tok.key.replace(".", ""))
        if base != int(base) or 1900 <= base <= 2100:
            return None  # a decimal without a multiplier is a measure; a year is a date
        return i + 1, int(base), int(base), "digits"
    w = _word_value(tok.key, words)
    if w is None:
        return None
    if w[0] == "vague":
        low, high = words.vague[w[2]]
        end = i + 1
        nxt = _word_value(tokens[end].key, words) if end < len(tokens) else None
        if nxt and (nxt[0] == "mult" or (nxt[0] == "vague" and nxt[1])):  # «عشرات الآلاف»
            low, high, end = low * nxt[1], high * nxt[1], end + 1
        return end, low, high, "vague number word"
    total, current, end = 0, 0, i
    current_start = i
    while end < len(tokens):
        w = _word_value(tokens[end].key, words)
        if w is None or (w[0] == "vague" and not (w[1] and current)):
            break
        if w[0] == "unit":
            current_start = end if not current else current_start
            current += w[1]
        elif total and max(current, 1) * w[1] >= total:  # «ألفين وثلاثة آلاف» is two numbers: parts only fall
            end, current = (current_start, 0) if current else (end, current)
            break
        else:  # a multiplier, or a plural one after a unit («خمسة آلاف»)
            total += max(current, 1) * w[1]
            current = 0
        end += 1
    total += current
    if total == 0 and end == i:
        return None
    return end, total, total, "number words"
