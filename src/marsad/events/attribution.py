"""Attribution: who says so («قالت مصادر», «بحسب المراقبين», «نقلا عن مصادر أمنية»)."""

from __future__ import annotations

from dataclasses import dataclass

from marsad.doc import Document, Entity
from marsad.events.clause import Clauses, phrase_at, phrase_lengths, token_range
from marsad.knowledge.eventdata import EventKnowledge
from marsad.text.tokens import Token, reads_as

_SPEAKER_WORDS = 7
# Words that end a speaker's description: time words, complementisers, prepositions of content.
_SPEAKER_STOP = frozenset({
    "ان", "انه", "انها", "امس", "اليوم", "الليله", "صباح", "مساء", "الاحد", "الاثنين", "الثلاثاء", "الاربعاء",
    "الخميس", "الجمعه", "السبت", "عن", "بان", "بانه", "بانها", "ب", "الي", "علي", "لـ",
})


@dataclass(frozen=True, slots=True)
class Attribution:
    """A speaker span in a sentence: tokens [start, end), and the actor when it is one."""

    start: int
    end: int
    cue: str  # the reporting verb or preposition
    actor: Entity | None


def find_attributions(doc: Document, tokens: list[Token], actors: list[Entity], clauses: Clauses,
                      k: EventKnowledge) -> list[Attribution]:
    """Speakers named in one sentence, in order."""
    out: list[Attribution] = []
    n = len(tokens)
    preps = phrase_lengths(tokens, k.attribution_preps)
    reports = reads_as(k.reporting_verbs)
    verbs = list(map(reports.__getitem__, [t.key for t in tokens]))  # most sentences have one or two cues
    for i in [i for i in range(n) if preps[i] or verbs[i]]:
        tok = tokens[i]
        if tok.kind != "word":
            continue
        prep = preps[i]
        start = i + (prep or 1)
        if start >= n:
            continue
        # The speaker: an actor starting right there, or a source noun phrase («مصادر عسكرية يمنية»).
        actor = next((a for a in actors if token_range(tokens, a)[0] == start), None)
        if actor is not None:
            _, end = token_range(tokens, actor)
        else:
            length = phrase_at(tokens, start, k.source_nouns)
            if not length:
                continue
            end = start + length
            # the source noun's modifiers and affiliation («مصدر يمني مسؤول في وزارة الصحة»), up to a time
            # word, «أن/إن», punctuation or a verb-like word, at most a few words
            while end < n and end - start < _SPEAKER_WORDS and not clauses.is_boundary[end] \
                    and tokens[end].kind == "word" and tokens[end].key not in _SPEAKER_STOP \
                    and not reports[tokens[end].key]:
                end += 1
            actor = next((a for a in actors if start <= token_range(tokens, a)[0] < end), None)
        out.append(Attribution(start, end, tok.text if not prep else " ".join(t.text for t in tokens[i:i + prep]),
                               actor))
    return out
