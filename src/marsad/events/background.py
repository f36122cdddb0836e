"""Is a trigger a report of an event, or a reference to one?

News mentions events it does not report: a past one («تفجير سفارتيها في
كينيا عام 1998»), one framed as a topic («جريمة اغتيال النائب», «ضلوعهم في
هجوم»), or a kind of event in general («التفجيرات»). Event data counts
reports. An asserted verbal noun is kept only when nothing marks it as a
reference; verbs and nouns carried by a light verb always count.
"""

from __future__ import annotations

from marsad.doc import Entity
from marsad.events.clause import TIME_WORDS, Clauses, sentence_phrases, token_range
from marsad.knowledge.eventdata import EventKnowledge
from marsad.text.tokens import Token

_FRAME_WINDOW = 3
_YEAR_WINDOW = 8


def background_reason(tokens: list[Token], i: int, head: int, j: int, clauses: Clauses, k: EventKnowledge,
                      doc_year: int | None, actors: list[Entity], places: list[Entity], numbers: set[int],
                      strict: bool = True) -> str | None:
    """Why the noun trigger at tokens [i, j) is a reference rather than a report, or None.

    Topic frames and earlier years always count; ``strict`` (types whose
    reportedness is modelled, where these are features, not verdicts) adds
    the anchor and definiteness cues.
    """
    frames = sentence_phrases(tokens, k.background_frames)
    for back in range(1, _FRAME_WINDOW + 1):
        p = i - back
        if p < 0 or clauses.is_boundary[p]:
            break
        n = frames[p]
        if n and p + n <= i:
            return f"framed as a topic by «{' '.join(t.text for t in tokens[p:p + n])}»"
    lo, hi = clauses.span(i, j)
    for q in range(max(lo, i - _YEAR_WINDOW), min(hi, j + _YEAR_WINDOW)):
        tok = tokens[q]
        if tok.kind == "number" and tok.key.isdigit() and 1900 <= int(tok.key) <= 2100:
            year = int(tok.key)
            if doc_year is None or year < doc_year:
                return f"dated in an earlier year ({year})"
    if not strict:
        return None
    in_clause = [e for e in (*actors, *places) if lo <= token_range(tokens, e)[0] < hi]
    counted = any(lo <= q < hi for q in numbers)
    timed = any(t.key in TIME_WORDS or t.key[1:] in TIME_WORDS for t in tokens[lo:hi])
    if not (in_clause or counted or timed):
        return "nothing in its clause anchors it (no actor, place, count or time): a mention, not a report"
    head_key = tokens[head].key
    definite = head_key.startswith("ال") or head_key[1:3] == "ال" or head_key[2:4] == "ال"
    located = any(e.place is not None and token_range(tokens, e)[0] >= j for e in in_clause)
    if definite and not (counted or located or timed):
        return "a definite verbal noun with no count, place or time after it: the event is referred to, not reported"
    return None


def habitual_reason(tokens: list[Token], i: int, j: int, clauses: Clauses) -> str | None:
    """A present-tense verb with no time anchor describes what happens in general («يستهدف المدنيين»)."""
    lo, hi = clauses.span(i, j)
    if any(t.key in TIME_WORDS or t.key[1:] in TIME_WORDS for t in tokens[lo:hi]):
        return None
    return "a present-tense verb with no time in its clause: habitual or general, not a report"
