"""Actor recogniser: dictionary names, titles, demonyms and capitals in the text."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from marsad.doc import Document, Entity
from marsad.knowledge.actors import Actor, Title, builtin_actor_paths, iter_demonym_forms, load_actors
from marsad.knowledge.places import builtin_cues
from marsad.knowledge.wordlists import builtin_word_list
from marsad.recognize.matcher import Match, PhraseMatcher
from marsad.text.tokens import clitic_readings


@dataclass(frozen=True, slots=True)
class ActorHit:
    """Why a phrase can name an actor."""

    actor_id: str
    how: str  # alias | title | demonym | capital
    phrase: str
    title: Title | None = None


class ActorIndex:
    """All actors, and a phrase matcher over every name they go by."""

    def __init__(self, actors: Iterable[Actor], place_cues: frozenset[str] = frozenset(),
                 followers: frozenset[str] = frozenset()) -> None:
        self.actors: dict[str, Actor] = {a.id: a for a in actors}
        self.followers = followers  # «قوات», «حكومة»: before a leader's name, his organisation
        self.place_cues = place_cues  # «في», «مدينة»: a capital after these is a place, not its state
        self.matcher: PhraseMatcher[ActorHit] = PhraseMatcher()
        # ISO alpha-2 → the state's actor id (LY → LBY), for generic agents.
        self.state_of: dict[str, str] = {
            a.country: a.id for a in self.actors.values() if a.type == "GPE" and a.country
        }
        for a in self.actors.values():
            for alias in a.aliases:
                self.matcher.add(alias, ActorHit(a.id, "alias", alias))
            for base in a.demonyms:
                for form in iter_demonym_forms(base):
                    self.matcher.add(form, ActorHit(a.id, "demonym", form))
            for capital in a.capital:
                self.matcher.add(capital, ActorHit(a.id, "capital", capital))
            for title in a.titles:
                self.matcher.add(title.text, ActorHit(a.id, "title", title.text, title))
            for alias in a.context_aliases:
                self.matcher.add(alias.text, ActorHit(a.id, "alias", alias.text, alias))

    @classmethod
    def from_paths(cls, paths: Iterable[str | Path]) -> ActorIndex:
        return cls(load_actors(paths), builtin_cues(), builtin_followers())

    @classmethod
    def builtin(cls, extra: Iterable[str | Path] = ()) -> ActorIndex:
        """The shipped dictionaries, extended or overridden by ``extra`` files."""
        return cls.from_paths([*builtin_actor_paths(), *extra])

    def lookup(self, phrase: str) -> list[ActorHit]:
        return self.matcher.lookup(phrase)


def builtin_followers() -> frozenset[str]:
    """Words before a leader's name that mean his forces or government (data/actors/followers.txt)."""
    return builtin_word_list("actors", "followers.txt")


def country_context(index: ActorIndex, matches: list[Match[ActorHit]]) -> list[str]:
    """Countries the article is about, most mentioned first (from unambiguous mentions)."""
    counts: Counter[str] = Counter()
    for m in matches:
        # Titles, capitals and context-bound names depend on the context: they cannot set it.
        countries = {index.actors[h.actor_id].country for h in m.payloads if h.title is None and h.how != "capital"}
        countries.discard(None)
        if len(countries) == 1:
            counts[countries.pop()] += 1  # type: ignore[index]
    return [c for c, _ in counts.most_common()]


def choose_hit(index: ActorIndex, hits: tuple[ActorHit, ...], doc: Document,
               seen: frozenset[str] | set[str] = frozenset()) -> ActorHit | None:
    """Pick the reading of a matched phrase that fits this article, or None.

    Preference: an actor already named in the article (cheap coreference:
    «حافظ الأسد» … «الأسد»), then one of the article's countries (a generic
    agent belongs to the main one), then a named actor over a generic agent,
    then a name over a title or adjective.
    """
    usable = []
    for h in hits:
        if h.title is not None:
            if h.title.context and h.title.context not in doc.country_context[:2]:
                continue
            if not h.title.holds_on(doc.date):
                continue
        usable.append(h)
    if not usable:
        return None
    rank = {c: i for i, c in enumerate(doc.country_context)}

    def score(h: ActorHit) -> tuple[bool, int, bool, bool]:
        actor = index.actors[h.actor_id]
        country_rank = 0 if actor.generic else rank.get(actor.country or "", len(rank))
        return (h.actor_id not in seen, country_rank, actor.generic, h.how != "alias")

    return min(usable, key=score)


class ActorRecogniser:
    """Pipeline component: adds actor entities (and sets ``doc.country_context``)."""

    name = "actors"
    requires = ("tokens",)
    assigns = ("entities", "country_context")

    def __init__(self, index: ActorIndex) -> None:
        self.index = index

    def __call__(self, doc: Document) -> Document:
        matches = self.index.matcher.find(doc.tokens)
        if not doc.country_context:
            doc.country_context = country_context(self.index, matches)
        seen: set[str] = set()
        for m in matches:
            hits = m.payloads
            if any(h.how == "capital" for h in hits):
                hits = self._capital_as_state(doc, m, hits)
            hit = choose_hit(self.index, hits, doc, seen)
            if hit is None:
                continue
            seen.add(hit.actor_id)
            doc.entities.append(self._entity(doc, m, hit))
        _merge_title_and_name(doc)
        _surname_coreference(doc, self.index)
        _forces_of_a_leader(doc, self.index)
        return doc

    def _capital_as_state(self, doc: Document, m: Match[ActorHit], hits: tuple[ActorHit, ...]) -> tuple[ActorHit, ...]:
        """A capital stands for its state («القاهرة ترفض») only where it is not a location
        («في القاهرة», «بطرابلس») and its state is one the article is about."""
        previous = doc.tokens[m.start - 1].key if m.start > 0 else ""
        locative = previous in self.index.place_cues or m.prefix.endswith("ب")

        def keep(h: ActorHit) -> bool:
            if h.how != "capital":
                return True
            return not locative and self.index.actors[h.actor_id].country in doc.country_context

        return tuple(h for h in hits if keep(h))

    def _entity(self, doc: Document, m: Match[ActorHit], hit: ActorHit) -> Entity:
        actor = self.index.actors[hit.actor_id]
        start, end = doc.tokens[m.start].start, doc.tokens[m.end - 1].end
        actor_id, canonical, country = actor.id, actor.name, actor.country
        why = f"{actor.source} {hit.how} «{hit.phrase}»"
        if m.prefix:
            why += f" (with proclitic {m.prefix})"
        if actor.generic:
            country = doc.country_context[0] if doc.country_context else None
            state = self.index.state_of.get(country or "")
            if state:
                actor_id = f"{state}-{actor.sector or 'UNK'}"
                canonical = f"{actor.name} ({self.index.actors[state].name})"
                why += f"; generic agent read as {self.index.actors[state].name}'s (article context)"
        return Entity(
            start=start, end=end, text=doc.text[start:end], type=actor.type, actor_id=actor_id,
            canonical=canonical, cameo=actor.cameo, sector=actor.sector, country=country,
            how=hit.how, clitic=m.prefix, why=why,
        )


def _merge_title_and_name(doc: Document) -> None:
    """«رئيس المجلس الرئاسي فائز السراج»: a title right before a person's name is that person."""
    merged: list[Entity] = []
    for ent in doc.entities:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and ent.type == "PER"
            and ent.how == "alias"  # a name, not a second title («رئيس الحكومة وقائد الجيش»)
            and not ent.clitic
            and prev.how == "title"
            and doc.text[prev.end:ent.start].strip() == ""
        ):
            merged[-1] = Entity(
                start=prev.start, end=ent.end, text=doc.text[prev.start:ent.end], type="PER",
                actor_id=ent.actor_id, canonical=ent.canonical, cameo=ent.cameo, sector=ent.sector,
                country=ent.country, how=ent.how, why=f"{ent.why}; preceded by the title «{prev.text}»",
            )
            continue
        merged.append(ent)
    doc.entities = merged


def _surname_coreference(doc: Document, index: ActorIndex) -> None:
    """A person named in full earlier is meant by a later bare surname («حافظ الأسد» … «الأسد»).

    Only the last word of a multi-word name, at least three letters, and only
    for persons; it overrides a dictionary reading of that word in this article.
    """
    surnames: dict[str, Entity] = {}
    covered = {t for e in doc.entities for t in range(doc.token_at(e.start), doc.token_at(e.end - 1) + 1)}
    for ent in list(doc.entities):
        first, last = doc.token_at(ent.start), doc.token_at(ent.end - 1)
        if ent.type == "PER" and ent.how == "alias" and last > first and len(doc.tokens[last].key) >= 3:
            surnames.setdefault(doc.tokens[last].key, ent)
    if not surnames:
        return
    by_start = {e.start: e for e in doc.entities}
    # A reading only strips proclitics (or reads «لل» as ل + «ال»), so it ends in the word's last two letters.
    endings = {s[-2:] for s in surnames}
    added = []
    for tok in doc.tokens:
        if tok.kind != "word" or tok.key[-2:] not in endings:
            continue
        readings = [r for r in clitic_readings(tok.key) if r.stem in surnames]
        if not readings:
            continue
        antecedent = surnames[readings[0].stem]
        if tok.start < antecedent.end:
            continue
        existing = by_start.get(tok.start)
        if existing is not None and existing.end == tok.end and existing.actor_id != antecedent.actor_id:
            existing.actor_id, existing.canonical = antecedent.actor_id, antecedent.canonical
            existing.why = f"surname of «{antecedent.text}» named earlier (was: {existing.why})"
        elif tok.i not in covered:
            added.append(Entity(
                start=tok.start, end=tok.end, text=tok.text, type="PER", actor_id=antecedent.actor_id,
                canonical=antecedent.canonical, cameo=antecedent.cameo, sector=antecedent.sector,
                country=antecedent.country, how="alias", clitic=readings[0].prefix,
                why=f"surname of «{antecedent.text}» named earlier",
            ))
    if added:
        doc.entities = sorted([*doc.entities, *added], key=lambda e: (e.start, e.end))


def _forces_of_a_leader(doc: Document, index: ActorIndex) -> None:
    """«قوات حفتر», «حكومة السراج», «نظام الأسد»: the organisation the named person leads.

    Applies when the person's entry has ``member_of``; the mention is widened
    to cover the word before the name.
    """
    drop: set[int] = set()
    for k, ent in enumerate(doc.entities):
        if ent.type != "PER" or ent.clitic:
            continue
        actor = index.actors.get(ent.actor_id or "")
        if actor is None or actor.member_of not in index.actors:
            continue
        i = doc.token_at(ent.start)
        if i == 0 or doc.tokens[i - 1].kind != "word":
            continue
        before = doc.tokens[i - 1]
        reading = next((r for r in clitic_readings(before.key) if r.stem in index.followers), None)
        if reading is None:
            continue
        overlapping = [j for j, e in enumerate(doc.entities) if e.end > before.start and e.start < before.end]
        # The follower word may itself be a generic agent («ميليشيات»): the leader's name makes it specific.
        if any(doc.entities[j].start < before.start or doc.entities[j].end > before.end for j in overlapping):
            continue
        drop.update(overlapping)
        org = index.actors[actor.member_of]
        doc.entities[k] = Entity(
            start=before.start, end=ent.end, text=doc.text[before.start:ent.end], type=org.type, actor_id=org.id,
            canonical=org.name, cameo=org.cameo, sector=org.sector, country=org.country, how="alias",
            clitic=reading.prefix,
            why=f"«{before.text}» + {actor.name} ({ent.why}) → the organisation he leads, {org.source}",
        )
    if drop:
        doc.entities = [e for j, e in enumerate(doc.entities) if j not in drop]
