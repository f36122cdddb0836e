"""Place recogniser and offline geocoder over the gazetteer."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from marsad.doc import Document, Entity, Place
from marsad.knowledge.places import PlaceEntry, builtin_place_paths, load_place_file
from marsad.recognize.matcher import PhraseMatcher


class Gazetteer:
    """Place entries and a phrase matcher over their Arabic names."""

    def __init__(self, entries: Iterable[PlaceEntry]) -> None:
        self.entries: dict[str, PlaceEntry] = {}
        for e in entries:
            self.entries[e.id] = e  # a later file overrides an earlier one
        self.matcher: PhraseMatcher[str] = PhraseMatcher()
        self.country_entry: dict[str, PlaceEntry] = {}
        for e in self.entries.values():
            for alias in e.aliases:
                self.matcher.add(alias, e.id)
            if e.feature_class == "country" and e.country:
                self.country_entry.setdefault(e.country, e)

    @classmethod
    def from_paths(cls, paths: Iterable[str | Path]) -> Gazetteer:
        entries: list[PlaceEntry] = []
        for path in paths:
            entries.extend(load_place_file(path))
        return cls(entries)

    @classmethod
    def builtin(cls, extra: Iterable[str | Path] = ()) -> Gazetteer:
        return cls.from_paths([*builtin_place_paths(), *extra])

    def choose(self, ids: Iterable[str], context: list[str]) -> PlaceEntry:
        """The most plausible entry: in the article's countries first, then the most populous."""
        rank = {c: i for i, c in enumerate(context)}
        candidates = [self.entries[i] for i in ids]
        return min(candidates, key=lambda e: (rank.get(e.country or "", len(rank)), -e.population))

    def lookup(self, phrase: str) -> list[PlaceEntry]:
        return [self.entries[i] for i in self.matcher.lookup(phrase)]


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
            entry = self.gazetteer.choose(m.payloads, doc.country_context)
            place = to_place(entry, " ".join(m.key))
            why = f"{entry.source} «{entry.name}»"
            if len(m.payloads) > 1:
                why += f" (chosen among {len(m.payloads)} places of that name by article country and population)"
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
