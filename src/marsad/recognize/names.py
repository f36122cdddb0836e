"""Names no dictionary knows: the statistical tagger's mentions, added where the dictionaries found nothing.

A local commander, a new militia, a village: the CRF tagger (marsad/ner/)
finds them; this component turns its mentions into entities. Dictionary
matches win wherever they overlap. Persons and organisations get an id made
from their name («NER:PER:دويسنبرج»), so the event coder can use them as
sources and targets and every mention of the same name groups together; a
surname alone joins the full name met earlier in the article. Locations are
sent to the gazetteer for coordinates.

The tagger also calls months, currencies, weekdays, poisons and weapons
persons or organisations («نيسان», «الريال», «نوفيتشوك»), and a palace or a
hospital a person («قصر كينزنغتون»): :class:`NotNames` (the word list
data/actors/not_names.txt) drops those mentions, re-types a building's to a
place, and trims words such as «اغتيال» off the front of a name. A document
that is mostly not Arabic text (marsad/text/script.py) is not tagged at all.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, fields
from functools import lru_cache

from marsad.doc import Document, Entity
from marsad.knowledge.wordlists import builtin_word_groups
from marsad.ner.tagger import NerTagger
from marsad.recognize.matcher import Match
from marsad.recognize.place_evidence import cue_before
from marsad.recognize.places import Gazetteer, previous_words, to_place
from marsad.text.normalize import match_key
from marsad.text.tokens import Token, clitic_readings

_TYPES = {"PERS": "PER", "ORG": "ORG", "LOC": "LOC"}
_ARTICLE_CLITICS = ("وال", "بال", "فال", "كال", "لل")


@dataclass(frozen=True)
class NotNames:
    """Words that name no actor, by group (data/actors/not_names.txt explains each group)."""

    never: frozenset[str] = frozenset()
    date: frozenset[str] = frozenset()
    near_date: frozenset[str] = frozenset()
    along: frozenset[str] = frozenset()
    letters: frozenset[str] = frozenset()
    lead: frozenset[str] = frozenset()
    place: frozenset[str] = frozenset()
    place_or_verb: frozenset[str] = frozenset()

    @classmethod
    @lru_cache(maxsize=1)
    def builtin(cls) -> NotNames:
        groups = builtin_word_groups("actors", "not_names.txt")
        return cls(**{f.name: groups.get(f.name, frozenset()) for f in fields(cls)})

    def has(self, group: frozenset[str], token: Token, article: bool = True) -> bool:
        """Is the token, once its proclitics (and, with ``article``, the article) are read off, a word of
        ``group``?"""
        return token.kind == "word" and any(r.stem in group for r in clitic_readings(token.key, strip_article=article))

    def junk(self, toks: list[Token], a: int, b: int) -> str | None:
        """Why the mention ``toks[a:b]`` (tokens of one sentence) names no actor, or None when it may.

        It names none when it is a Latin letter's name alone («سي»), or when it is made only of `never` words,
        `along` words, months read as dates, nationality adjectives and numbers, with at least one that is
        not an adjective («نيسان 2018», «الريال اليمني», «غاز نوفيتشوك»)."""
        words = [t for t in toks[a:b] if t.kind != "punct"]
        if len(words) == 1 and self.has(self.letters, words[0]):
            return "the name of a Latin letter"
        reasons: list[str] = []
        for t in words:
            if t.kind == "number":
                continue
            as_date = self.has(self.date, t) and self._as_date(toks, t.i - toks[0].i)
            if self.has(self.never, t) or self.has(self.along, t) or as_date:
                reasons.append(t.text)
            elif not _adjective(t.key):
                return None
        return f"«{'، '.join(reasons)}» names no actor" if reasons else None

    def _as_date(self, toks: list[Token], k: int) -> bool:
        """Is the month at ``toks[k]`` a date: a number or a word such as «شهر», «الماضي» beside it?"""
        return any(0 <= j < len(toks) and (toks[j].kind == "number" or self.has(self.near_date, toks[j]))
                   for j in (k - 1, k + 1))


def _adjective(key: str) -> bool:
    """A nationality or relation adjective with the article («الأمريكي», «التركية»)."""
    return key.startswith("ال") and len(key) >= 5 and key.endswith(("ي", "يه"))


class NameRecogniser:
    """Pipeline component: adds the tagger's PER / ORG / LOC mentions as entities."""

    name = "names"
    requires = ("sentences", "tokens", "entities")
    assigns = ("entities",)

    def __init__(self, tagger: NerTagger, gazetteer: Gazetteer | None = None,
                 not_names: NotNames | None = None) -> None:
        self.tagger = tagger
        self.gazetteer = gazetteer
        self.not_names = NotNames.builtin() if not_names is None else not_names

    def __call__(self, doc: Document) -> Document:
        if doc.language_notice is not None:
            return doc  # mostly not Arabic text: an Arabic tagger would only find junk in it
        sentences = [doc.sentence_tokens(s) for s in doc.sentences]
        tagged = self.tagger.tag_document([[t.text for t in toks] for toks in sentences])
        covered = _covered_tokens(doc)
        added: list[Entity] = []
        full_names: dict[str, str] = {}  # last word of a multi-word person name → its id
        name_words: set[str] = set()  # the words of the multi-word names kept so far («ريال» of «ريال مدريد»)
        for toks, tags in zip(sentences, tagged, strict=True):
            for a, b, kind in _spans(tags):
                if kind not in _TYPES:
                    continue  # MISC (events, nationalities, currencies): neither an actor nor a place
                kind = _TYPES[kind]
                if kind != "LOC":
                    while a < b and self.not_names.has(self.not_names.lead, toks[a]):
                        a += 1  # «اغتيال بابتشينكو»: the name is «بابتشينكو»
                    a, b = self._whole_abbreviation(toks, a, b, covered)
                    if (a > 0 and self.not_names.has(self.not_names.place, toks[a - 1], article=False)
                            and not self.not_names.has(self.not_names.place_or_verb, toks[a - 1], article=False)
                            and not covered[toks[a - 1].i]):
                        a -= 1  # «قصر [كينزنغتون]»: the building's name, its head left out by the tagger
                if any(covered[toks[k].i] for k in range(a, b)) or not any(t.kind == "word" for t in toks[a:b]):
                    continue
                if self.not_names.junk(toks, a, b) is not None and not _named_before(toks[a:b], name_words):
                    continue
                if kind != "LOC" and b - a == 1 and self.not_names.has(self.not_names.place, toks[a]):
                    continue  # «المستشفى» alone: no name at all
                if kind != "LOC" and self.not_names.has(self.not_names.place, toks[a], article=False):
                    kind = "FAC"  # «قصر كينزنغتون», «مستشفى الشفاء»: a building is a place, not an actor
                entity = self._entity(doc, toks[a:b], kind, full_names)
                if entity is not None:
                    added.append(entity)
                    if entity.type != "LOC" and b - a > 1:
                        name_words.update(t.key for t in toks[a:b] if t.kind == "word")
        if added:
            doc.entities = sorted([*doc.entities, *added], key=lambda e: (e.start, e.end))
        return doc

    def _whole_abbreviation(self, toks: list[Token], a: int, b: int, covered: list[bool]) -> tuple[int, int]:
        """A mention of Latin letters' names with the letters just before or after it that the tagger left out:
        «لبي [بي سي]» is «لبي بي سي» (BBC), not «بي سي»."""
        letters = self.not_names.letters
        if a >= b or not all(self.not_names.has(letters, t) for t in toks[a:b]):
            return a, b
        while a > 0 and self.not_names.has(letters, toks[a - 1]) and not covered[toks[a - 1].i]:
            a -= 1
        while b < len(toks) and self.not_names.has(letters, toks[b]) and not covered[toks[b].i]:
            b += 1
        return a, b

    def _entity(self, doc: Document, toks: list, kind: str, full_names: dict[str, str]) -> Entity | None:
        start, end = toks[0].start, toks[-1].end
        clitic = next((c for c in _ARTICLE_CLITICS if toks[0].key.startswith(c) and len(toks[0].key) > len(c) + 2),
                      "")
        name = " ".join(match_key(t.text) for t in toks)
        why = f"NER model ({self.tagger.path.name}): {kind} «{doc.text[start:end]}», not in the dictionaries"
        if kind == "FAC":
            why = (f"NER model ({self.tagger.path.name}): «{doc.text[start:end]}» is a building or facility "
                   f"(«{toks[0].text}», data/actors/not_names.txt), so a place, not a person or organisation")
            kind = "LOC"
        if kind == "LOC":
            found = self.gazetteer.matcher.find(toks) if self.gazetteer is not None else []
            if self._word_without_evidence(doc, toks, found):
                return None  # «ترمز», «حديثه»: an everyday word the tagger took for a place
            place = self._geocode(doc, toks, found)
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

    def _word_without_evidence(self, doc: Document, toks: list, found: list[Match[str]]) -> bool:
        """A one-word place name beside a club word («لاعب نيس الفرنسي»), or one that is also an everyday word
        (places/evidence.tsv, stopwords.txt) with no place evidence and not placed earlier in the article: the
        tests the place recogniser applies. ``found``: the gazetteer's matches in ``toks``."""
        if self.gazetteer is None or len(toks) != 1 or len(found) != 1:
            return False
        m, i, gazetteer = found[0], toks[0].i, self.gazetteer
        if gazetteer.club_beside(doc, i, i + 1, m.payloads):
            return True
        if gazetteer.word_reason(m.key) is None:
            return False
        if gazetteer.not_here(doc, m.key, m.payloads, i, toks[0].text):
            return True
        countries = [*doc.country_context, *(e.place.country for e in doc.entities if e.place and e.place.country)]
        if cue_before(doc.tokens, i, gazetteer.cues, gazetteer.weak_cues_for(m.payloads, countries)) is not None:
            return False
        name = " ".join(m.key)
        return not any(e.place is not None and e.place.name_ar == name for e in doc.entities if e.start < toks[0].start)

    def _geocode(self, doc: Document, toks: list, found: list[Match[str]]):  # type: ignore[no-untyped-def]
        if self.gazetteer is None:
            return None
        for m in found:
            if m.start == 0 and m.end == len(toks):
                # The place recogniser's test for generated names («وداي» is Chad's Ouaddaï only in an article
                # about Chad, or after a cue).
                previous = previous_words(doc, toks[0].i, m.prefix)
                context = list(doc.country_context)
                ids = [i for i in m.payloads
                       if self.gazetteer.plausible(self.gazetteer.entries[i], m.key, previous, context)]
                if not ids:
                    return None
                entry = self.gazetteer.choose(ids, context)
                return entry, " ".join(m.key)
        return None


def _named_before(toks: list[Token], name_words: set[str]) -> bool:
    """One word of a person's or organisation's name met earlier in the article: «حميد شباط» … «شباط»,
    «ريال مدريد» … «الريال» (the club, not the currency)."""
    return len(toks) == 1 and any(r.stem in name_words for r in clitic_readings(toks[0].key, strip_article=True))


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
