"""Stances: who supports or rejects which initiative, agreement or plan.

A SUPPORT, AGREE, REJECT or ACCUSE event with a source, whose clause names a
stance object («المبادرة», «الخطوة المصرية», «الاتفاق»), records that the
source holds that stance toward the object (``data/events/stances.yaml``).
"""

from __future__ import annotations

from typing import Any

from marsad.doc import Document, Entity, Event
from marsad.events.clause import Clauses, sentence_phrases, token_range
from marsad.knowledge.eventdata import EventKnowledge
from marsad.text.tokens import Token

_WINDOW = 5


def stance_for(doc: Document, event: Event, event_id: str, tokens: list[Token], i: int, j: int,
               clauses: Clauses, entities: list[Entity], k: EventKnowledge) -> dict[str, Any] | None:
    polarity = k.stance_polarity.get(event.type)
    if polarity is None or event.source is None or event.modality == "hypothetical":
        return None
    lo, hi = clauses.span(i, j)
    candidates = [q for q in range(j, min(hi, j + _WINDOW))] + [q for q in range(i - 1, max(lo, i - _WINDOW) - 1, -1)]
    objects = sentence_phrases(tokens, k.stance_objects)
    for q in candidates:
        n = objects[q]
        if not n:
            continue
        end = q + n
        # its modifier: «الخطوة المصرية», «المبادرة الفرنسية»
        modifier = next((e for e in entities if token_range(tokens, e)[0] == end and e.how == "demonym"), None)
        if modifier is not None:
            end = token_range(tokens, modifier)[1]
        start_c, end_c = tokens[q].start, tokens[end - 1].end
        if start_c <= event.source.start < end_c:
            return None  # the "holder" is the object's own adjective («الخطوة المصرية»)
        if event.modality == "negated":
            polarity = "reject" if polarity == "support" else "support"
        return {
            "holder": {"start": event.source.start, "end": event.source.end, "text": event.source.text,
                       "actor_id": event.source.actor_id},
            "object": {"start": start_c, "end": end_c, "text": doc.text[start_c:end_c]},
            "polarity": polarity,
            "event": event_id,
            "explanation": f"{event.type} event «{event.trigger.text}» ({event.modality}) by its source, about "
                           f"«{doc.text[start_c:end_c]}» — data/events/stances.yaml",
        }
    return None
