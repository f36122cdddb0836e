"""Names no dictionary knows: the statistical tagger's mentions, added where the dictionaries found nothing.

A local commander, a new militia, a village: the CRF tagger (marsad/ner/)
finds them; this component turns its mentions into entities. Dictionary
matches win wherever they overlap. Persons and organisations get an id made
from their name («NER:PER:دويسنبرج»), so the event coder can use them as
sources and targets and every mention of the same name groups together; a
surname alone joins the full name met earlier in the article. Locations are
sent to the gazetteer for coordinates.
"""

from __future__ import annotations

import bisect

from marsad.doc import Document, Entity
from marsad.ner.tagger import NerTagger
from marsad.recognize.places import Gazetteer, to_place
from marsad.text.normalize import match_key

_TYPES = {"PERS": "PER", "ORG": "ORG", "LOC": "LOC"}
_ARTICLE_CLITICS = ("وال", "بال", "فال", "كال", "لل")


class NameRecogniser:
    """Pipeline component: adds the tagger's PER / ORG / LOC mentions as entities."""

    name = "names"
    requires = ("sentences", "tokens", "entities")
    assigns = ("entities",)

    def __init__(self, tagger: NerTagger, gazetteer: Gazetteer | None = None) -> None:
        self.tagger = tagger
        self.gazetteer = gazetteer

    def __call__(self, doc: Document) -> Document:
        sentences = [doc.sentence_tokens(s) for s in doc.sentences]
        tagged = self.tagger.tag_document([[t.text for t in toks] for toks in sentences])
        covered = _covered_tokens(doc)
        added: list[Entity] = []
        full_names: dict[str, str] = {}  # last word of a multi-word person name → its id
        for toks, tags in zip(sentences, tagged, strict=True):
            for a, b, kind in _spans(tags):
                if kind not in _TYPES:
                    continue  # MISC (events, nationalities, currencies): neither an actor nor a place
                if any(covered[toks[k].i] for k in range(a, b)) or not any(t.kind == "word" for t in toks[a:b]):
                    continue
                entity = self._entity(doc, toks[a:b], _TYPES[kind], full_names)
                if entity is not None:
                    added.append(entity)
        if added:
            doc.entities = sorted([*doc.entities, *added], key=lambda e: (e.start, e.end))
        return doc

    def _entity(self, doc: Document, toks: list, kind: str, full_names: dict[str, str]) -> Entity | None:
        start, end = toks[0].start, toks[-1].end
        clitic = next((c for c in _ARTICLE_CLITICS if toks[0].key.startswith(c) and len(toks[0].key) > len(c) + 2),
                      "")
        name = " ".join(match_key(t.text) for t in toks)
        why = f"NER model ({self.tagger.path.name}): {kind} «{doc.text[start:end]}», not in the dictionaries"
        if kind == "LOC":
            place = self._geocode(doc, toks)
            if place is not None:
                entry, arabic = place
                return Entity(start=start, end=end, text=doc.text[start:end], type="LOC", canonical=entry.name,
                              place=to_place(entry, arabic), country=entry.country, how="model", clitic=clitic,
                              why=f"{why}; place {entry.source} «{entry.name}»")
            return Entity(start=start, end=end, text=doc.text[start:end], type="LOC", how="model", clitic=clitic,
                          why=why + "; no coordinates (not in the gazetteer)")
        bare = name[len(clitic):] if clitic else name
        if kind == "PER" and len(toks) > 1:
            actor_id = f"NER:PER:{bare}"
            full_names[bare.split()[-1]] = actor_id
        elif kind == "PER" and bare in full_names:
            actor_id = full_names[bare]
            why += f"; the surname of «{actor_id.removeprefix('NER:PER:')}» earlier in the article"
        else:
            actor_id = f"NER:{kind}:{bare}"
        return Entity(start=start, end=end, text=doc.text[start:end], type=kind, actor_id=actor_id, how="model",
                      clitic=clitic, why=why)

    def _geocode(self, doc: Document, toks: list):  # type: ignore[no-untyped-def]
        if self.gazetteer is None:
            return None
        for m in self.gazetteer.matcher.find(toks):
            if m.start == 0 and m.end == len(toks):
                entry = self.gazetteer.choose(m.payloads, list(doc.country_context))
                return entry, " ".join(m.key)
        return None


def _spans(tags: list[str]) -> list[tuple[int, int, str]]:
    from marsad.ner.conll import spans

    return sorted(spans(tags))


def _covered_tokens(doc: Document) -> list[bool]:
    """For each token of the document: does a dictionary entity already cover it?"""
    covered = [False] * len(doc.tokens)
    starts = [t.start for t in doc.tokens]
    for e in doc.entities:
        k = bisect.bisect_right(starts, e.start) - 1
        while 0 <= k < len(doc.tokens) and doc.tokens[k].start < e.end:
            if doc.tokens[k].end > e.start:
                covered[k] = True
            k += 1
    return covered
