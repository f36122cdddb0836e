"""Place recogniser and offline geocoder over the gazetteer."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from pathlib import Path

from marsad.doc import Document, Entity, Place
from marsad.knowledge.places import (
    PlaceEntry,
    builtin_cues,
    builtin_place_paths,
    builtin_stopwords,
    load_place_paths,
)
from marsad.knowledge.wordlists import builtin_word_list
from marsad.recognize.matcher import PhraseMatcher
from marsad.recognize.place_evidence import WordLikeName, builtin_word_like, club_word_beside, place_context
from marsad.recognize.relevance import POLITICAL
from marsad.text.normalize import phrase_key
from marsad.text.tokens import STEMS, reads_as


class Gazetteer:
    """Place entries and a phrase matcher over their Arabic names.

    Curated entries win: a generated (GeoNames / ISO) name is dropped where a
    curated entry of the same country has the same name, and a generated name
    that is an everyday word (stop-list) is never indexed.
    """

    def __init__(self, entries: Iterable[PlaceEntry], stopwords: frozenset[str] = frozenset(),
                 cues: frozenset[str] = frozenset(), word_like: dict[str, WordLikeName] | None = None,
                 club_words: frozenset[str] = frozenset(), weak_cues: frozenset[str] = frozenset()) -> None:
        self.entries: dict[str, PlaceEntry] = {}
        # Names the corpus shows are mostly everyday words: places only with evidence (place_evidence.py).
        self.word_like = word_like or {}
        self.club_words = club_words  # «ريال», «نادي», «يونايتد», «الفرنسي»: beside a city, its club
        self._club_word = reads_as(club_words)
        self.weak_cues = weak_cues  # «في», «من»: evidence for a word-like name only in its country's articles
        for e in entries:
            self.entries[e.id] = e  # a later file overrides an earlier one
        self.cues = cues
        self.stopwords = stopwords
        self.matcher: PhraseMatcher[str] = PhraseMatcher()
        self.country_entry: dict[str, PlaceEntry] = {}
        curated_keys: set[tuple[tuple[str, ...], str | None, str]] = set()
        for e in self.entries.values():
            if e.curated:
                for alias in e.aliases:
                    key = phrase_key(alias)
                    curated_keys.add((key, e.country, e.feature_class))
                    self.matcher.add(key, e.id)
            if e.feature_class == "country" and e.country and e.curated:
                self.country_entry.setdefault(e.country, e)
        for e in self.entries.values():
            if e.curated:
                continue
            for alias in e.aliases:
                key = phrase_key(alias)
                everyday = len(key) == 1 and bool({key[0], _bare(key[0])} & stopwords)
                if everyday or (key, e.country, e.feature_class) in curated_keys:
                    continue
                self.matcher.add(key, e.id)

    @classmethod
    def from_paths(cls, paths: Iterable[str | Path]) -> Gazetteer:
        return cls(load_place_paths(paths), builtin_stopwords(), builtin_cues(), builtin_word_like(),
                   builtin_word_list("places", "club_words.txt"), builtin_word_list("places", "weak_cues.txt"))

    @classmethod
    def builtin(cls, extra: Iterable[str | Path] = ()) -> Gazetteer:
        return cls.from_paths([*builtin_place_paths(), *extra])

    def plausible(self, entry: PlaceEntry, key: tuple[str, ...], previous: tuple[str, ...],
                  context: list[str], nearby: frozenset[str] = frozenset()) -> bool:
        """The context check for single-word generated names: a generated (GeoNames / ISO) name needs its
        country among the article's — or, for a city of a million, a cue — and, for a town under 100,000 people,
        a cue as well; a phrase of everyday words needs both. A country its sentence names (``nearby``: «ليون
        وسط شرق فرنسا») counts as the article's. (Names that are also everyday words need place evidence:
        :meth:`word_reason`.)
        """
        if entry.curated:
            return True
        cue = any(p in self.cues for p in previous)
        in_context = entry.country in context[:3] or entry.country in nearby
        if len(key) > 1:  # a phrase of everyday words («جهة الشرق»: the east side) is a place in its country only
            return not all(self._everyday(k) for k in key) or (in_context and cue)
        if entry.population >= 1_000_000:
            return in_context or cue
        return in_context and (cue or entry.population >= 100_000 or entry.feature_class == "admin1")

    def word_reason(self, key: tuple[str, ...]) -> str | None:
        """Why a name is an everyday word as well as a place (so it needs place evidence), or None."""
        if len(key) > 1:
            return None
        learned = self.word_like.get(key[0])
        if learned is not None:
            return (f"in the news corpus a word more often than a place ({learned.in_context} of {learned.seen} "
                    "mentions in a place context)")
        if self._everyday(key[0]):
            return "an everyday word (places/stopwords.txt)"
        return None

    def country(self, ids: Iterable[str]) -> bool:
        """Is one of these places a country («منتخب فرنسا» is still France)?"""
        return any(self.entries[i].feature_class == "country" for i in ids)

    def in_article_country(self, ids: Iterable[str], countries: list[str]) -> bool:
        """Does one of these places lie in one of the article's three main countries (``countries``: most
        mentioned first)?"""
        return any(self.entries[i].country in countries[:3] for i in ids)

    def pronoun_suffix(self, text: str, ids: Iterable[str]) -> bool:
        """The word ends in «ه» where the place's name ends in «ة»: a possessive («حديثه»: his talk, «جدّه»: his
        grandfather). The match keys write both alike, so only the text tells them apart."""
        return text.endswith("ه") and all(any(a.endswith("ة") for a in self.entries[i].aliases) for i in ids)

    def club_beside(self, doc: Document, start: int, end: int, ids: Iterable[str]) -> bool:
        """A word beside the name (tokens ``[start, end)``) that makes it a club's («ريال مدريد», «ليون
        الفرنسي»); a country's name is never read so («منتخب فرنسا»)."""
        return (club_word_beside(doc.tokens, start, end, self._club_word.__getitem__) is not None
                and not self.country(ids))

    def not_here(self, doc: Document, key: tuple[str, ...], ids: Iterable[str], i: int, text: str) -> bool:
        """A name that is also a word is surely no place here: a possessive («حديثه», token text ``text``), or a
        club's city in sport news (token ``i``)."""
        return self.pronoun_suffix(text, ids) or self.club_here(doc, key, i)

    def weak_cues_for(self, ids: Iterable[str], countries: list[str]) -> frozenset[str]:
        """The cues that are no evidence for these places here: the prepositions, unless the article is about
        their country."""
        return frozenset() if self.in_article_country(ids, countries) else self.weak_cues

    def club_here(self, doc: Document, key: tuple[str, ...], i: int) -> bool:
        """A city named mostly in sport news («ميلان», «برشلونة»), in an unpolitical article, without «مدينة» or
        «العاصمة» before it (token ``i``): the club, not the place."""
        learned = self.word_like.get(key[0]) if len(key) == 1 else None
        if learned is None or not learned.club or doc.relevance is None or doc.relevance >= POLITICAL:
            return False
        return not (i > 0 and reads_as(_CITY_CUES)[doc.tokens[i - 1].key])

    def _everyday(self, key: str) -> bool:
        return key in self.stopwords or _bare(key) in self.stopwords

    def choose(self, ids: Iterable[str], context: list[str], previous: tuple[str, ...] = ()) -> PlaceEntry:
        """The most plausible entry: in the article's countries first, curated before generated, most populous.

        After «العاصمة» or «مدينة» a city wins over the country of the same name («العاصمة تونس»).
        """
        rank = {c: i for i, c in enumerate(context)}
        wants_city = any(p in _CITY_CUES for p in previous)
        candidates = [self.entries[i] for i in ids]
        return min(candidates, key=lambda e: (
            wants_city and e.feature_class != "city", rank.get(e.country or "", len(rank)), not e.curated,
            -e.population,
        ))

    def lookup(self, phrase: str) -> list[PlaceEntry]:
        return [self.entries[i] for i in self.matcher.lookup(phrase)]


_CITY_CUES = frozenset({"العاصمه", "مدينه", "عاصمه"})


def _bare(key: str) -> str:
    return key[2:] if key.startswith("ال") and len(key) > 4 else key


def to_place(entry: PlaceEntry, arabic: str) -> Place:
    return Place(
        id=entry.id, name=entry.name, name_ar=arabic, lat=entry.lat, lon=entry.lon,
        country=entry.country, feature_class=entry.feature_class, precision=entry.feature_class,
    )


class PlaceRecogniser:
    """Pipeline component: geocodes place names; attaches places to actor mentions of the same words."""

    name = "places"
    requires = ("tokens", "entities")
    assigns = ("entities",)

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    def _context(self, doc: Document, matches: list) -> list[str]:
        """The article's countries: from its actors, then from its unambiguous curated places («بيروت»,
        «عكار» make a bare «طرابلس» Lebanese even when Lebanon itself is not named), not those that are also
        everyday words."""
        counts: dict[str, int] = {}
        for m in matches:
            if self.gazetteer.word_reason(m.key) is not None:
                continue  # «صور» may be pictures: it cannot make the article Lebanese
            entries = [self.gazetteer.entries[i] for i in m.payloads]
            countries = {e.country for e in entries}
            if len(countries) == 1 and any(e.curated for e in entries) and entries[0].country:
                counts[entries[0].country] = counts.get(entries[0].country, 0) + 1
        by_places = sorted(counts, key=lambda c: -counts[c])
        return [*doc.country_context, *(c for c in by_places if c not in doc.country_context)]

    def _sentence_countries(self, doc: Document, matches: list) -> dict[int, frozenset[str]]:
        """Sentence index → the countries the sentence names: states and demonyms among its actors, and
        country names among the gazetteer's matches («ليون وسط شرق فرنسا», «صعدة اليمنية»)."""
        out: dict[int, set[str]] = {}
        if not doc.sentences:
            return {}
        for e in doc.entities:
            if e.type == "GPE" and e.country:
                out.setdefault(doc.sentence_of_token(doc.token_at(e.start)).i, set()).add(e.country)
        for m in matches:
            entries = [self.gazetteer.entries[i] for i in m.payloads]
            if len(entries) == 1 and entries[0].feature_class == "country" and entries[0].curated \
                    and entries[0].country and self.gazetteer.word_reason(m.key) is None:
                out.setdefault(doc.sentence_of_token(m.start).i, set()).add(entries[0].country)
        return {i: frozenset(c) for i, c in out.items()}

    def __call__(self, doc: Document) -> Document:
        by_span = {(e.start, e.end): e for e in doc.entities}
        contains = _containment(doc.entities)
        added: list[Entity] = []
        matches = self.gazetteer.matcher.find(doc.tokens)
        context = self._context(doc, matches)
        nearby: dict[int, frozenset[str]] | None = None  # worked out when a match first needs it (most never do)
        placed: set[tuple[str, ...]] = set()  # the names already placed in this article
        for n, m in enumerate(matches):
            if m.prefix and len(m.key) == 1 and len(m.key[0]) <= 2:
                continue  # «باب» is no «ب» + «آب» (Ibb), «بابا» no «ب» + «آبا»: too short to split off a clitic
            start, end = doc.tokens[m.start].start, doc.tokens[m.end - 1].end
            # A glued «ب» reads as «في» («بحلب»), but not before a short generated name («بابا»: Aba).
            previous = previous_words(doc, m.start, m.prefix if len(m.key[0]) > 3 else m.prefix.rstrip("ب"))
            here: frozenset[str] = frozenset()
            # the sentence's countries matter only to a generated name's plausibility and to a choice among places
            if doc.sentences and (len(m.payloads) > 1 or not self.gazetteer.entries[m.payloads[0]].curated):
                if nearby is None:
                    nearby = self._sentence_countries(doc, matches)
                here = nearby.get(doc.sentence_of_token(m.start).i, frozenset())
            ids = [i for i in m.payloads
                   if self.gazetteer.plausible(self.gazetteer.entries[i], m.key, previous, context, here)]
            if not ids:
                continue
            if len(m.key) == 1 and self.gazetteer.club_beside(doc, m.start, m.end, ids):
                continue  # «ريال مدريد», «مهاجم نيس الفرنسي»: the club
            evidence = self._evidence(doc, matches, n, ids, placed, context)
            if evidence is None:
                continue
            entry = self.gazetteer.choose(ids, [*sorted(here - set(context)), *context] if here else context,
                                          previous)
            placed.add(m.key)
            place = to_place(entry, " ".join(m.key))
            why = f"{entry.source} «{entry.name}»"
            if len(ids) > 1:
                why += f" (chosen among {len(ids)} places of that name by article country and population)"
            why += evidence
            same = by_span.get((start, end))
            if same is not None:
                # A state's name or capital is also a place, and so is a seat of power named as an actor
                # («البيت الأبيض», «الكرملين»: a curated site of that very name); a person or group named like a
                # town («البغدادي») is not.
                if same.place is None and (same.type == "GPE" or (entry.curated and entry.feature_class == "other"
                                                                   and same.type == "ORG")):
                    same.place = place
                    same.why += f"; place {why}"
                continue
            if contains(start, end) and not (set(previous) & _WHERE and entry.curated
                                             and entry.feature_class in ("country", "city")):
                # A place inside an actor's name («سرايا الدفاع عن بنغازي») is no mention of the place, unless
                # the name says where the actor works («تحالف دعم الشرعية في اليمن», «المبعوث الأممي إلى اليمن»).
                continue
            added.append(Entity(
                start=start, end=end, text=doc.text[start:end],
                type="GPE" if entry.feature_class == "country" else "LOC",
                canonical=entry.name, place=place, country=entry.country, how="place", why=why,
            ))
        doc.entities = sorted([*doc.entities, *added], key=lambda e: (e.start, e.end))
        return doc


    def _evidence(self, doc: Document, matches: list, n: int, ids: list[str],
                  placed: set[tuple[str, ...]], countries: list[str]) -> str | None:
        """What lets a name that is also an everyday word be a place here ("" for other names), or None."""
        m = matches[n]
        if len(m.key) == 1 and _TANWEEN in doc.tokens[m.start].text:
            return None  # «دوماً», «مالياً»: an adverb or an indefinite noun, never a place name
        word = self.gazetteer.word_reason(m.key)
        if word is None:
            return ""
        if self.gazetteer.not_here(doc, m.key, ids, m.start, doc.tokens[m.end - 1].text):
            return None  # «في حديثه» (in his talk), «انتقل إلى ميلان» in sport news
        weak = self.gazetteer.weak_cues_for(ids, countries)
        context = place_context(doc.tokens, matches, n, self.gazetteer.cues, weak)
        if context is not None:
            return f"; {word}, here a place: {context}"
        if m.key in placed:  # the same name, not just the same place («تركيا» … «شركة تركية»)
            return f"; {word}, here the place named earlier in the article"
        return None


_TANWEEN = "\u064b"
_WHERE = frozenset({"في", "الي", "إلى", "قياده", "تقوده", "يقوده"})  # «في», «إلى», «بقيادة»: readings (previous_words)


def previous_words(doc: Document, i: int, prefix: str) -> tuple[str, ...]:
    """Readings of the word before token ``i`` («بمديرية» → «مديريه»); a glued ب reads as «في»."""
    if prefix and prefix[-1] == "ب":
        return ("في",)
    if i == 0 or doc.tokens[i - 1].kind != "word":
        return ()
    return STEMS[doc.tokens[i - 1].key]


def _containment(entities: list[Entity]):  # type: ignore[no-untyped-def]
    """A test «is [start, end) inside some entity?» in O(log n): entities sorted by start, running max of ends."""
    ordered = sorted(entities, key=lambda e: e.start)
    starts = [e.start for e in ordered]
    max_end: list[int] = []
    for e in ordered:
        max_end.append(max(e.end, max_end[-1]) if max_end else e.end)

    def contains(start: int, end: int) -> bool:
        k = bisect.bisect_right(starts, start)
        return k > 0 and max_end[k - 1] >= end

    return contains
