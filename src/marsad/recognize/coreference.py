"""Passes over the actor recogniser's entities once all are found: a title right before a name is that person,
a later bare surname is the person named in full before, and «قوات حفتر» is the organisation its leader leads."""

from __future__ import annotations

from marsad.doc import Document, Entity
from marsad.knowledge.actors import Actor
from marsad.text.tokens import clitic_readings


def merge_title_and_name(doc: Document) -> None:
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


def surname_coreference(doc: Document, not_surnames: frozenset[str]) -> None:
    """A person named in full earlier is meant by a later bare surname («حافظ الأسد» … «الأسد»).

    Only the last word of a multi-word name, at least three letters, not a word that ends many names
    («الشيخ» in «تركي آل الشيخ», «الله»: data/actors/not_surnames.txt), and only for persons; it overrides a
    dictionary reading of that word in this article.
    """
    surnames: dict[str, Entity] = {}
    for ent in doc.entities:
        if ent.type != "PER" or ent.how != "alias":
            continue
        first, last = doc.token_at(ent.start), doc.token_at(ent.end - 1)
        key = doc.tokens[last].key
        if last > first and len(key) >= 3 and key not in not_surnames:
            surnames.setdefault(key, ent)
    if not surnames:
        return
    covered = {t for e in doc.entities for t in range(doc.token_at(e.start), doc.token_at(e.end - 1) + 1)}
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
            existing.type, existing.cameo, existing.sector = antecedent.type, antecedent.cameo, antecedent.sector
            existing.country, existing.place, existing.agent = antecedent.country, None, ""
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


def forces_of_a_leader(doc: Document, actors: dict[str, Actor], followers: frozenset[str]) -> None:
    """«قوات حفتر», «حكومة السراج», «نظام الأسد»: the organisation the named person leads.

    Applies when the person's entry has ``member_of``; the mention is widened
    to cover the word before the name.
    """
    drop: set[int] = set()
    for k, ent in enumerate(doc.entities):
        if ent.type != "PER" or ent.clitic:
            continue
        actor = actors.get(ent.actor_id or "")
        if actor is None or actor.member_of not in actors:
            continue
        i = doc.token_at(ent.start)
        if i == 0 or doc.tokens[i - 1].kind != "word":
            continue
        before = doc.tokens[i - 1]
        reading = next((r for r in clitic_readings(before.key) if r.stem in followers), None)
        if reading is None:
            continue
        overlapping = [j for j, e in enumerate(doc.entities) if e.end > before.start and e.start < before.end]
        # The follower word may itself be a generic agent («ميليشيات»): the leader's name makes it specific.
        if any(doc.entities[j].start < before.start or doc.entities[j].end > before.end for j in overlapping):
            continue
        drop.update(overlapping)
        org = actors[actor.member_of]
        doc.entities[k] = Entity(
            start=before.start, end=ent.end, text=doc.text[before.start:ent.end], type=org.type, actor_id=org.id,
            canonical=org.name, cameo=org.cameo, sector=org.sector, country=org.country, how="alias",
            clitic=reading.prefix,
            why=f"«{before.text}» + {actor.name} ({ent.why}) → the organisation he leads, {org.source}",
        )
    if drop:
        doc.entities = [e for j, e in enumerate(doc.entities) if j not in drop]
