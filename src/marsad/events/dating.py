"""An event's date: the date written nearest its trigger, checked against the publication date.

The date written nearest the trigger, in its clause first, then in its
sentence, is the event's date, unless the article's publication date shows
it cannot be when the event happened:

- after publication, for an ASSERTED event: a reported event has happened
  by the time it is reported, so «سيعقد في 31 ديسمبر 2020» near it is a plan
  or a deadline. Expected and hypothetical events keep a future date.
- more than a year before publication, after the trigger's clause: an old
  date later in the sentence is usually the article's background («…،
  عشية ذكرى احتجاجات 25 يناير 2011», «قبل تاريخ 15 يوليو 2016»), not when
  this event happened. It counts in the trigger's own clause, before that clause
  (the time the sentence narrates: «وفي 20 أبريل 1999، هاجم … حيث قتلا»,
  a timeline's «- 13 أكتوبر 2016: دمرت …»), or as a clause of its own
  introduced by «في», «عام» or «منذ» right after the trigger's clause
  («اغتيل …، في 5 فبراير 1940»).

A date ruled out leaves the next nearest one; when none is left the event
gets the publication date, and its ``why`` says which written date was
passed over and why.
"""

from __future__ import annotations

from datetime import date, timedelta

from marsad.doc import Document, Ref
from marsad.events.clause import Clauses
from marsad.recognize.dates import DateMention
from marsad.text.tokens import Token

_BACKGROUND_AGE = timedelta(days=365)  # older than this before publication: background unless attached
_INTRODUCERS = frozenset({"في", "عام", "منذ"})  # «في 5 فبراير 1940»: the date is when something happened


def publication_date(value: str | None) -> date | None:
    """The article's publication date (ISO ``value``), None when absent or unreadable."""
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def event_date(doc: Document, tokens: list[Token], i: int, j: int, dates: list[DateMention], clauses: Clauses,
               modality: str) -> tuple[str | None, str, Ref | None, str]:
    """(date, precision, evidence, why) of the event whose trigger is tokens [i, j) of a sentence whose
    date mentions are ``dates``; ``modality`` is the event's (asserted, expected, …)."""
    published = publication_date(doc.date)
    lo, hi = clauses.span(i, j)

    def distance(d: DateMention) -> tuple[bool, int]:
        return not (lo <= d.start and d.end <= hi), min(abs(d.start - j), abs(i - d.end))

    passed_over = None
    for d in sorted(dates, key=distance):
        ref = doc.ref(tokens[d.start].start, tokens[d.end - 1].end)
        reason = _ruled_out(tokens, d, lo, hi, clauses, modality, published)
        if reason is None:
            return d.date, d.precision, ref, f"«{ref.text}»: {d.why}"
        passed_over = passed_over or f"«{ref.text}» ({d.date}) {reason}"
    if doc.date:
        why = "no date in the sentence: " if passed_over is None else f"{passed_over}; so "
        return doc.date[:10], "day", None, f"{why}the publication date"
    return None, "unknown", None, "no date in the sentence and no publication date"


def _ruled_out(tokens: list[Token], d: DateMention, lo: int, hi: int, clauses: Clauses, modality: str,
               published: date | None) -> str | None:
    """Why date mention ``d`` cannot be the date of the event whose clause is [lo, hi); None when it can."""
    if published is None:
        return None
    written = date.fromisoformat(d.date)
    if modality == "asserted" and written > published:
        return "is after publication: a plan or a deadline, not when the asserted event happened"
    after_clause = d.start >= hi  # a date outside the clause before it frames what follows it
    if written < published - _BACKGROUND_AGE and after_clause and not _attached(tokens, d, hi, clauses):
        return "is over a year before publication and after the trigger's clause: background"
    return None


def _attached(tokens: list[Token], d: DateMention, hi: int, clauses: Clauses) -> bool:
    """«اغتيل …، في 5 فبراير 1940»: the date, introduced by «في»/«عام»/«منذ», is a clause of its own right
    after the trigger's clause, which ends at ``hi``."""
    intro = d.start - 1
    if intro < 0 or _bare(tokens[intro].key) not in _INTRODUCERS:
        return False
    start, end = clauses.span(intro, d.end)
    if start != intro or end != d.end:
        return False  # the clause says more than the date: the date belongs to what it says
    return start in (hi, hi + 1)


def _bare(key: str) -> str:
    """«وفي» → «في»: a conjunction written onto the introducer."""
    return key[1:] if key[:1] in ("و", "ف") and key[1:] in _INTRODUCERS else key
