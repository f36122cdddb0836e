"""Place recogniser and offline geocoder over the gazetteer."""

from __future__ import annotations

from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path

from marsad.doc import Document, Entity, Place
from marsad.knowledge.places import PlaceEntry, builtin_place_paths, builtin_stopwords, load_place_paths
from marsad.recognize.matcher import PhraseMatcher
from marsad.text.normalize import match_key, phrase_key


class Gazetteer:
    """Place entries and a phrase matcher over their Arabic names.

    Curated entries win: a generated (GeoNames / ISO) name is dropped where a
    curated entry of the same country has the same name, and a generated name
    that is an everyday word (stop-list) is never indexed.
    """

    def __init__(self, entries: Iterable[PlaceEntry], stopwords: frozenset[str] = frozenset(),
                 cues: frozenset[str] = frozenset()) -> None:
        self.entries: dict[str, PlaceEntry] = {}
        for e in entries:
            self.entries[e.id] = e  # a later file overrides an earlier one
        self.cues = cues
        self.matcher: PhraseMatcher[str] = PhraseMatcher()
        self.country_entry: dict[str, PlaceEntry] = {}
        curated_keys: set[tuple[tuple[str, ...], str | None]] = set()
        for e in self.entries.values():
            if e.curated:
                for alias in e.aliases:
                    key = phrase_key(alias)
                    curated_keys.add((key, e.country))
                    self.matcher.add(key, e.id)
            if e.feature_class == "country" and e.country and e.curated:
                self.country_entry.setdefault(e.country, e)
        for e in self.entries.values():
            if e.curated:
                continue
            for alias in e.aliases:
                key = phrase_key(alias)
                if (key, e.country) in curated_keys or (len(key) == 1 and _bare(key[0]) in stopwords):
                    continue
                self.matcher.add(key, e.id)

    @classmethod
    def from_paths(cls, paths: Iterable[str | Path]) -> Gazetteer:
        return cls(load_place_paths(paths), builtin_stopwords(), builtin_cues())

    @classmethod
    def builtin(cls, extra: Iterable[str | Path] = ()) -> Gazetteer:
        return cls.from_paths([*builtin_place_paths(), *extra])

    def plausible(self, entry: PlaceEntry, key: tuple[str, ...], previous_key: str, context: list[str]) -> bool:
        """The context check for generated single-word names (curated names always pass)."""
        if entry.curated or len(key) > 1 or entry.population >= 1_000_000:
            return True
        return entry.country in context[:3] or previous_key in self.cues

    def choose(self, ids: Iterable[str], context: list[str]) -> PlaceEntry:
        """The most plausible entry: in the article's countries first, curated before generated, most populous."""
        rank = {c: i for i, c in enumerate(context)}
        candidates = [self.entries[i] for i in ids]
        return min(candidates, key=lambda e: (rank.get(e.country or "", len(rank)), not e.curated, -e.population))

    def lookup(self, phrase: str) -> list[PlaceEntry]:
        return [self.entries[i] for i in self.matcher.lookup(phrase)]


def _bare(key: str) -> str:
    return key[2:] if key.startswith("ال") and len(key) > 4 else key


def builtin_cues() -> frozenset[str]:
    text = (Path(str(files("marsad.data") / "places" / "cues.txt"))).read_text(encoding="utf-8")
    return frozenset(match_key(w) for line in text.splitlines() if not line.startswith("#") for w in line.split())


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

    def __call__(self, doc: Document) -> Document:
        by_span = {(e.start, e.end): e for e in doc.entities}
        added: list[Entity] = []
        for m in self.gazetteer.matcher.find(doc.tokens):
            start, end = doc.tokens[m.start].start, doc.tokens[m.end - 1].end
            previous = _previous_word(doc, m.start, m.prefix)
            ids = [i for i in m.payloads
                   if self.gazetteer.plausible(self.gazetteer.entries[i], m.key, previous, doc.country_context)]
            if not ids:
                continue
            entry = self.gazetteer.choose(ids, doc.country_context)
            place = to_place(entry, " ".join(m.key))
            why = f"{entry.source} «{entry.name}»"
            if len(ids) > 1:
                why += f" (chosen among {len(ids)} places of that name by article country and population)"
            same = by_span.get((start, end))
            if same is not None:
                if same.place is None:
                    same.place = place
                    same.why += f"; place {why}"
                continue
            if any(e.start <= start and end <= e.end for e in doc.entities):
                continue  # a place inside an actor's name («سرايا الدفاع عن بنغازي»)
            added.append(Entity(
                start=start, end=end, text=doc.text[start:end],
                type="GPE" if entry.feature_class == "country" else "LOC",
                canonical=entry.name, place=place, country=entry.country, how="place", why=why,
            ))
        # States named as actors get their country's place (not adjectives: «المصرية» names no place).
        for e in doc.entities:
            if e.place is None and e.type == "GPE" and e.how == "alias" and e.country in self.gazetteer.country_entry:
                entry = self.gazetteer.country_entry[e.country]
                e.place = to_place(entry, e.text)
                e.why += f"; place {entry.source} (the country)"
        doc.entities = sorted([*doc.entities, *added], key=lambda e: (e.start, e.end))
        return doc


def _previous_word(doc: Document, i: int, prefix: str) -> str:
    """The word before token ``i``; a preposition glued to the name («بحلب») counts too."""
    if prefix and prefix[-1] in ("ب", "ل"):
        return "في"
    return doc.tokens[i - 1].key if i > 0 else ""
