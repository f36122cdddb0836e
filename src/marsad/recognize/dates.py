"""Dates written in the text, resolved against the publication date with a past bias, ACLED-style precision.

«7 أبريل 2019» is that day; «7 نيسان» is the last 7 April on or before the
publication date; «السبت» (or «السبت الماضي») the last Saturday on or before
it; «أمس», «أول أمس», «منذ ثلاثة أيام» count back from it; «الأسبوع الماضي»
and «الشهر الماضي» give a week or a month. News reports the past, so an
unqualified date is read as the most recent one. The words live in
``data/dates.yaml``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib.resources import files

import yaml

from marsad.text.normalize import match_key
from marsad.text.tokens import Token

_CONJ = ("و", "ف", "ب", "ل")
_SMALL_NUMBERS = {"واحد": 1, "اثنين": 2, "اثنان": 2, "ثلاثه": 3, "اربعه": 4, "خمسه": 5, "سته": 6, "سبعه": 7,
                  "ثمانيه": 8, "تسعه": 9, "عشره": 10}
_DUALS = {"يومين": 2, "اسبوعين": 2, "شهرين": 2}


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int  # token indices [start, end) in the sentence
    end: int
    date: str  # ISO 8601 (the first day of the week or month for coarser precision)
    precision: str  # day | week | month
    why: str


class PhraseTable(dict):
    """Phrases (tuples of keys) → values, also indexed by first word, each with its place in the table, so a
    token is matched against its few candidates rather than every phrase."""

    def __init__(self, items: Iterable[tuple[tuple[str, ...], object]]) -> None:
        super().__init__(items)
        self.by_first: dict[str, list[tuple[int, tuple[str, ...], object]]] = {}
        for n, (p, value) in enumerate(self.items()):
            self.by_first.setdefault(p[0], []).append((n, p, value))


@dataclass(frozen=True)
class DateWords:
    months: PhraseTable
    weekdays: dict[str, int]
    relative_days: PhraseTable
    periods: PhraseTable
    ago_units: dict[str, str]


@lru_cache(maxsize=1)
def date_words() -> DateWords:
    data = yaml.safe_load((files("marsad.data") / "dates.yaml").read_text(encoding="utf-8"))

    def key(p: str) -> tuple[str, ...]:
        return tuple(match_key(w) for w in p.split())

    return DateWords(
        months=PhraseTable((key(p), int(m)) for m, ps in data["months"].items() for p in ps),
        weekdays={match_key(p): int(d) for d, ps in data["weekdays"].items() for p in ps},
        relative_days=PhraseTable((key(p), int(n)) for n, ps in data["relative_days"].items() for p in ps),
        periods=PhraseTable((key(p), kind) for kind, ps in data["relative_periods"].items() for p in ps),
        ago_units={match_key(p): unit for unit, ps in data["ago_units"].items() for p in ps},
    )


def _at(keys: list[str], i: int, phrases: PhraseTable) -> tuple[int, object] | None:
    """The longest phrase of ``phrases`` starting at key ``i`` (a leading و/ب/ل/ف allowed)."""
    by_first = phrases.by_first
    first = keys[i]
    candidates = by_first.get(first, [])
    if first[:1] in _CONJ and first[1:] in by_first:
        candidates = sorted([*candidates, *by_first[first[1:]]], key=lambda c: c[0])  # the table's own order
    best = None
    for _, p, value in candidates:
        n = len(p)
        if n > 1 and keys[i + 1:i + n] != list(p[1:]):
            continue
        if best is None or n > best[0]:
            best = (n, value)
    return best


def _past(year: int, month: int, day: int, published: date) -> date | None:
    for y in (year, year - 1):
        try:
            d = date(y, month, day)
        except ValueError:
            continue
        if d <= published:
            return d
    return None


def find_dates(tokens: list[Token], published: date | None) -> list[DateMention]:
    """Date expressions in one sentence's tokens."""
    words = date_words()
    keys = [t.key for t in tokens]
    out: list[DateMention] = []
    i = 0
    while i < len(tokens):
        found = _date_at(tokens, keys, i, published, words)
        if found is not None:
            out.append(found)
            i = found.end
        else:
            i += 1
    return out


_YEAR_WORDS = frozenset({"عام", "لعام", "سنه", "لسنه"})  # match keys: «سنة» is «سنه»


def _date_at(tokens: list[Token], keys: list[str], i: int, published: date | None,
             words: DateWords) -> DateMention | None:
    k = keys[i]
    if tokens[i].kind == "number" and k.isdigit() and 1 <= int(k) <= 31 and i + 1 < len(keys):
        month = _at(keys, i + 1, words.months)
        if month is not None:
            n, m = month
            end = i + 1 + n
            # «5 فبراير عام 1940»: the year after «عام»/«سنة», not the last 5 February before publication
            at = end + 1 if end + 1 < len(keys) and keys[end] in _YEAR_WORDS else end
            year = int(keys[at]) if at < len(keys) and keys[at].isdigit() and len(keys[at]) == 4 else None
            day = int(k)
            if year is not None:
                try:
                    return DateMention(i, at + 1, date(year, int(m), day).isoformat(), "day",  # type: ignore[arg-type]
                                       "day, month and year written")
                except ValueError:
                    return None
            if published is not None:
                d = _past(published.year, int(m), day, published)  # type: ignore[arg-type]
                if d is not None:
                    return DateMention(i, end, d.isoformat(), "day", "day and month: the last one before publication")
            return None
    if published is None:
        return None
    rel = _at(keys, i, words.relative_days)
    if rel is not None:
        n, back = rel
        return DateMention(i, i + n, (published - timedelta(days=int(back))).isoformat(), "day",  # type: ignore[arg-type]
                           f"{back} day(s) before publication")
    period = _at(keys, i, words.periods)
    if period is not None:
        n, kind = period
        if kind == "week":
            d = published - timedelta(days=7 + published.weekday())
            return DateMention(i, i + n, d.isoformat(), "week", "the week before publication")
        first = published.replace(day=1) - timedelta(days=1)
        return DateMention(i, i + n, first.replace(day=1).isoformat(), "month", "the month before publication")
    bare = k[1:] if k[:1] in _CONJ and k[1:] in words.weekdays else k
    if bare in words.weekdays:
        back = (published.weekday() - words.weekdays[bare]) % 7
        end = i + 1
        if end < len(keys) and keys[end] in ("الماضي", "المنصرم"):
            end += 1
            back = back or 7
        return DateMention(i, end, (published - timedelta(days=back)).isoformat(), "day",
                           "weekday: the last one on or before publication")
    if bare == "منذ" and i + 1 < len(keys):
        return _ago(keys, i, published, words)
    return None


def _ago(keys: list[str], i: int, published: date, words: DateWords) -> DateMention | None:
    """«منذ ثلاثة أيام», «منذ يومين», «منذ 3 أسابيع»."""
    j = i + 1
    if keys[j] in _DUALS or keys[j] in words.ago_units:
        count = _DUALS.get(keys[j], 1)
        unit_at = j
    else:
        count = int(keys[j]) if keys[j].isdigit() else _SMALL_NUMBERS.get(keys[j], 0)
        unit_at = j + 1
    if not count or unit_at >= len(keys) or keys[unit_at] not in words.ago_units:
        return None
    unit = words.ago_units[keys[unit_at]]
    days = {"day": 1, "week": 7, "month": 30}[unit] * count
    precision = "day" if unit == "day" else unit
    return DateMention(i, unit_at + 1, (published - timedelta(days=days)).isoformat(), precision,
                       f"{count} {unit}(s) before publication")
