"""Event coder: triggers in each sentence, with source, target, place and modality.

Arguments are read from word order inside the clause, without a parser: the
closest actor before the trigger is the source (SVO; a verb-initial sentence
takes the first actor after it), the next actor after it the target, and a
place introduced by a preposition after the trigger the location.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from marsad.doc import Document, Entity, Event, Ref, Sentence
from marsad.knowledge.triggers import (
    ModalityCue,
    TriggerEntry,
    builtin_modality_path,
    builtin_trigger_paths,
    load_modality_file,
    load_trigger_file,
)
from marsad.recognize.matcher import PhraseMatcher
from marsad.text.normalize import phrase_key
from marsad.text.tokens import Token

log = logging.getLogger(__name__)

_LOCATION_PREPOSITIONS = {"في", "على", "قرب", "بالقرب", "شمال", "جنوب", "شرق", "غرب", "داخل", "الى", "من"}
_IMPERFECT = ("ي", "ت", "ن", "ا")
_ARG_WINDOW = 8  # tokens between an argument and its trigger


class EventCoder:
    """Pipeline component: adds events."""

    name = "events"
    requires = ("sentences", "tokens", "entities")
    assigns = ("events",)

    def __init__(self, triggers: Iterable[TriggerEntry], cues: Iterable[ModalityCue]) -> None:
        self.triggers: PhraseMatcher[TriggerEntry] = PhraseMatcher(strip_article=True)
        for entry in triggers:
            for form, _part in entry.forms:
                self.triggers.add(form, entry)
        self.cues = list(cues)
        self._cue_keys = [(cue, [phrase_key(c) for c in cue.cues]) for cue in self.cues]

    @classmethod
    def builtin(cls, extra: Iterable[str | Path] = ()) -> EventCoder:
        triggers = [t for p in [*builtin_trigger_paths(), *extra] for t in load_trigger_file(p)]
        return cls(triggers, load_modality_file(builtin_modality_path()))

    def __call__(self, doc: Document) -> Document:
        for sentence in doc.sentences:
            tokens = doc.sentence_tokens(sentence)
            actors = [e for e in doc.entities_in(sentence.start, sentence.end) if e.type in ("PER", "ORG", "GPE")
                      and e.how != "place"]
            places = [e for e in doc.entities_in(sentence.start, sentence.end) if e.place is not None]
            for m in self.triggers.find(tokens):
                first, last = tokens[m.start], tokens[m.end - 1]
                if any(a.start <= first.start and last.end <= a.end for a in actors):
                    log.debug("%s: trigger «%s» dropped: inside an actor name", doc.doc_id, first.text)
                    continue
                entry = m.payloads[0]
                doc.events.append(self._event(doc, sentence, tokens, m.start, m.end, entry, actors, places))
        return doc

    def _event(self, doc: Document, sentence: Sentence, tokens: list[Token], i: int, j: int,
               entry: TriggerEntry, actors: list[Entity], places: list[Entity]) -> Event:
        t_start, t_end = tokens[i].start, tokens[j - 1].end
        why = {"trigger": f"{entry.source} {entry.type}/{entry.mode or '-'} «{' '.join(t.text for t in tokens[i:j])}»"}
        before = [a for a in actors if a.end <= t_start and _gap(tokens, a.end, t_start) <= _ARG_WINDOW]
        after = [a for a in actors if a.start >= t_end and _gap(tokens, t_end, a.start) <= _ARG_WINDOW]
        source = target = None
        if before:
            source = before[-1]
            why["source"] = "closest actor before the trigger in the sentence"
            if after:
                target = after[0]
                why["target"] = "first actor after the trigger"
        elif after:
            source = after[0]
            why["source"] = "first actor after a clause-initial trigger (verb-subject order)"
            if len(after) > 1:
                target = after[1]
                why["target"] = "second actor after the trigger"
        location = None
        for p in places:
            if p.start >= t_end and _gap(tokens, t_end, p.start) <= _ARG_WINDOW:
                k = _token_index(tokens, p.start)
                prev = tokens[k - 1].key if k > 0 else ""
                if prev in _LOCATION_PREPOSITIONS or tokens[k].key[:1] in ("ب", "ف"):
                    location = p
                    why["location"] = f"place after «{tokens[k - 1].text if k > 0 else ''}» following the trigger"
                    break
        modality, cue = self._modality(tokens, i, j)
        if cue is not None:
            why["modality"] = f"{cue[0].source} cue «{doc.text[cue[1]:cue[2]]}»"
        elif tokens[i].key.startswith("س") and tokens[i].key[1:2] in _IMPERFECT and len(tokens[i].key) > 3:
            modality = "expected"
            cue = (None, tokens[i].start, tokens[i].start + 1)
            why["modality"] = "future prefix سـ on the verb"
        else:
            why["modality"] = "no modality cue in the clause: asserted"
        return Event(
            type=entry.type, mode=entry.mode, cameo=entry.cameo,
            trigger=doc.ref(t_start, t_end), sentence=doc.ref(sentence.start, sentence.end),
            source=_ref(doc, source), target=_ref(doc, target), location=_ref(doc, location),
            modality=modality, modality_cue=doc.ref(cue[1], cue[2]) if cue else None, why=why,
        )

    def _modality(self, tokens: list[Token], i: int, j: int) -> tuple[str, tuple | None]:
        for cue, keys in self._cue_keys:
            lo, hi = (max(0, i - cue.window), i) if cue.position == "before" else (j, min(len(tokens), j + cue.window))
            for k in range(hi - 1, lo - 1, -1) if cue.position == "before" else range(lo, hi):
                if tokens[k].kind == "punct":
                    break  # a comma or quote ends the clause the cue could govern
                first = tokens[k].key
                firsts = (first, first[1:]) if first[:1] in ("و", "ف") and len(first) > 2 else (first,)
                for key in keys:
                    n = len(key)
                    if key[0] not in firsts or tuple(t.key for t in tokens[k + 1:k + n]) != key[1:]:
                        continue
                    if cue.imperfect_next and not (k + n < len(tokens) and tokens[k + n].key[:1] in _IMPERFECT):
                        continue
                    return cue.modality, (cue, tokens[k].start, tokens[k + n - 1].end)
        return "asserted", None


def _token_index(tokens: list[Token], char: int) -> int:
    for k, t in enumerate(tokens):
        if t.start >= char:
            return k
    return len(tokens) - 1


def _gap(tokens: list[Token], start: int, end: int) -> int:
    """Number of tokens lying between two character offsets."""
    return sum(1 for t in tokens if t.start >= start and t.end <= end)


def _ref(doc: Document, e: Entity | None) -> Ref | None:
    if e is None:
        return None
    lat = e.place.lat if e.place else None
    lon = e.place.lon if e.place else None
    return doc.ref(e.start, e.end, actor_id=e.actor_id, lat=lat, lon=lon)
