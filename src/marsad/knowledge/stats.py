"""Counts of what Marsad knows, for `marsad dict stats` and the coverage tests."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from marsad.knowledge.actors import Actor, iter_demonym_forms
from marsad.knowledge.places import PlaceEntry


@dataclass
class KnowledgeStats:
    actors: int = 0
    actors_by_type: Counter[str] = field(default_factory=Counter)
    actors_by_file: Counter[str] = field(default_factory=Counter)
    aliases: int = 0
    titles: int = 0
    demonym_bases: int = 0
    demonym_forms: int = 0
    capitals: int = 0
    generic_agents: int = 0
    places: int = 0
    places_curated: int = 0
    place_names: int = 0
    places_by_class: Counter[str] = field(default_factory=Counter)
    trigger_forms: int = 0
    trigger_entries: int = 0

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) pairs for a table."""
        rows = [
            ("actors", f"{self.actors:,}"),
            ("  by type", ", ".join(f"{k} {v:,}" for k, v in sorted(self.actors_by_type.items()))),
            ("  generic agents", f"{self.generic_agents:,}"),
            ("Arabic aliases", f"{self.aliases:,}"),
            ("dated titles", f"{self.titles:,}"),
            ("demonyms (base → inflected forms)", f"{self.demonym_bases:,} → {self.demonym_forms:,}"),
            ("capitals as metonyms", f"{self.capitals:,}"),
            ("places", f"{self.places:,} ({self.places_curated:,} curated)"),
            ("  by class", ", ".join(f"{k} {v:,}" for k, v in sorted(self.places_by_class.items()))),
            ("Arabic place names", f"{self.place_names:,}"),
            ("event trigger entries / forms", f"{self.trigger_entries:,} / {self.trigger_forms:,}"),
        ]
        rows += [(f"  actors in {name}", f"{n:,}") for name, n in sorted(self.actors_by_file.items())]
        return rows


def count_knowledge(actors: list[Actor], places: list[PlaceEntry], trigger_forms: int = 0,
                    trigger_entries: int = 0) -> KnowledgeStats:
    s = KnowledgeStats(trigger_forms=trigger_forms, trigger_entries=trigger_entries)
    for a in actors:
        s.actors += 1
        s.actors_by_type[a.type] += 1
        s.actors_by_file[a.source.rsplit(":", 1)[0]] += 1
        s.aliases += len(a.aliases) + len(a.context_aliases)
        s.titles += len(a.titles)
        s.demonym_bases += len(a.demonyms)
        s.demonym_forms += sum(len(set(iter_demonym_forms(d))) for d in a.demonyms)
        s.capitals += len(a.capital)
        s.generic_agents += a.generic
    for p in places:
        s.places += 1
        s.places_curated += p.curated
        s.place_names += len(p.aliases)
        s.places_by_class[p.feature_class] += 1
    return s
