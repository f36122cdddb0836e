"""Scoring system results against gold article annotations (``marsad eval docs``).

Entities, places (within each gold place's distance tolerance), events relaxed
(type right and the trigger inside the gold evidence) and strict (source and
target right too), modality accuracy, casualty and force counts — micro-averaged as the project's scorer
does, plus figures per document and per event type and a confusion matrix of
event types.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from marsad.errors import MarsadError
from marsad.evaluate.counts import score_counts
from marsad.evaluate.matching import norm, span_text, surface_match
from marsad.geo import great_circle_km

MISSED = "(none)"


@dataclass
class Tally:
    tp_gold: int = 0
    n_gold: int = 0
    tp_sys: int = 0
    n_sys: int = 0

    def add(self, other: Tally) -> None:
        self.tp_gold += other.tp_gold
        self.n_gold += other.n_gold
        self.tp_sys += other.tp_sys
        self.n_sys += other.n_sys

    def prf(self) -> dict:
        r = self.tp_gold / self.n_gold if self.n_gold else 0.0
        p = self.tp_sys / self.n_sys if self.n_sys else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                "gold": self.n_gold, "system": self.n_sys}


@dataclass
class DocumentScore:
    entities: Tally
    places: Tally
    relaxed: Tally
    strict: Tally
    modality: list[bool]
    relaxed_by_type: dict[str, Tally]
    strict_by_type: dict[str, Tally]
    confusion: Counter[tuple[str, str]]
    counts: Tally


def score_document(name: str, gold: dict, system: dict, text: str) -> DocumentScore:
    modality: list[bool] = []
    relaxed_by_type: dict[str, Tally] = {}
    strict_by_type: dict[str, Tally] = {}
    relaxed, strict = Tally(), Tally()
    located = gold_events(name, gold, text)
    sys_events = [(ev, (t["start"], t["end"])) for ev in system.get("events", [])
                  if isinstance((t := ev.get("trigger") or ev.get("sentence") or {}).get("start"), int)]
    _score_events(gold, text, located, sys_events, relaxed, relaxed_by_type, False, modality)
    _score_events(gold, text, located, sys_events, strict, strict_by_type, True, modality)
    return DocumentScore(_score_entities(gold, system, text), _score_places(gold, system, text), relaxed, strict,
                         modality, relaxed_by_type, strict_by_type, _confusion(located, sys_events),
                         Tally(*score_counts(gold, system)))


def _score_entities(gold: dict, system: dict, text: str) -> Tally:
    gold_ents = gold.get("entities", [])
    sys_ents = [e for e in system.get("entities", []) if span_text(e, text).strip()]
    required = [g for g in gold_ents if not g.get("optional")]
    found = sum(1 for g in required if any(surface_match(span_text(e, text), g["surfaces"]) for e in sys_ents))
    groups: dict[str, list[str]] = {}
    for e in sys_ents:
        key = e.get("actor_id") or e.get("actor") or norm(span_text(e, text))
        groups.setdefault(str(key), []).append(span_text(e, text))
    known = gold_ents + gold.get("places", [])  # a place found as an entity is no error
    good = sum(1 for texts in groups.values() if any(surface_match(t, g["surfaces"]) for t in texts for g in known))
    return Tally(found, len(required), good, len(groups))


def _score_places(gold: dict, system: dict, text: str) -> Tally:
    located = []
    for e in system.get("entities", []):
        place = e.get("place")
        if place and place.get("lat") is not None and place.get("lon") is not None:
            located.append((span_text(e, text), (float(place["lat"]), float(place["lon"]))))

    def hit(g: dict, t: str, ll: tuple[float, float]) -> bool:
        return surface_match(t, g["surfaces"]) and great_circle_km(*ll, g["lat"], g["lon"]) <= g.get("tolerance_km", 50)

    gold_places = gold.get("places", [])
    required = [g for g in gold_places if not g.get("optional")]
    found = sum(1 for g in required if any(hit(g, t, ll) for t, ll in located))
    groups: dict[str, list] = {}
    for t, ll in located:
        groups.setdefault(f"{round(ll[0], 2)},{round(ll[1], 2)}", []).append((t, ll))
    good = sum(1 for items in groups.values() if any(hit(g, t, ll) for t, ll in items for g in gold_places))
    return Tally(found, len(required), good, len(groups))


def gold_events(name: str, gold: dict, text: str) -> list[tuple[dict, tuple[int, int]]]:
    out = []
    for g in gold.get("events", []):
        i = text.find(g["evidence"])
        if i < 0:
            raise MarsadError(f"{name}.gold.json: event evidence not found in the article text: {g['evidence']!r}")
        out.append((g, (i, i + len(g["evidence"]))))
    return out


def actor_ok(gold_name: str | None, sys_arg: dict | None, text: str, entities: dict) -> bool:
    if not gold_name:
        return True  # the gold leaves the role open
    if not sys_arg:
        return False
    surfaces = entities.get(gold_name, [gold_name])
    return surface_match(span_text(sys_arg, text), surfaces) or \
        surface_match(str(sys_arg.get("actor_id") or ""), [gold_name])


def gold_event_of(ev: dict, located: list[tuple[dict, tuple[int, int]]]) -> dict | None:
    """The gold event a system event matches as the relaxed score counts it (type right, trigger on the
    evidence), required ones first; None for an event the gold does not have. For training and error analysis:
    scoring itself matches one to one (:func:`score_document`)."""
    t = ev.get("trigger") or {}
    span = (t.get("start"), t.get("end"))
    if not isinstance(span[0], int):
        return None
    return next((g for g, s in sorted(located, key=lambda gs: bool(gs[0].get("optional")))
                 if _type_ok(g, ev) and _overlaps(s, span)), None)  # type: ignore[arg-type]


def relaxed_pairs(located: list[tuple[dict, tuple[int, int]]], events: list[dict]) -> list[tuple[dict, dict]]:
    """(gold event, system event) as the relaxed score pairs them: one to one, in gold order, each gold event
    with the first unused system event of its type on its evidence."""
    pairs, used = [], set()
    for g, span in located:
        for i, ev in enumerate(events):
            t = ev.get("trigger") or {}
            if i not in used and isinstance(t.get("start"), int) and _type_ok(g, ev) \
                    and _overlaps(span, (t["start"], t["end"])):
                used.add(i)
                pairs.append((g, ev))
                break
    return pairs


def entity_surfaces(gold: dict) -> dict[str, list[str]]:
    """Each gold entity's canonical name → every way the article writes it (what :func:`actor_ok` reads)."""
    return {g["canonical"]: g["surfaces"] + [g["canonical"]] for g in gold.get("entities", [])}


def _type_ok(g: dict, ev: dict) -> bool:
    return ev.get("type") in [g["type"], *g.get("alt_types", [])]


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _score_events(gold: dict, text: str, gold_events: list, sys_events: list, tally: Tally,
                  by_type: dict[str, Tally], need_args: bool, modality: list[bool]) -> None:
    """Greedy one-to-one matching in gold order, as the project's scorer does."""
    entities = entity_surfaces(gold)
    used: set[int] = set()
    for g, span in gold_events:
        if not g.get("optional"):
            by_type.setdefault(g["type"], Tally()).n_gold += 1
        for i, (ev, tspan) in enumerate(sys_events):
            if i in used or not _type_ok(g, ev) or not _overlaps(span, tspan):
                continue
            if need_args and not (actor_ok(g.get("source"), ev.get("source"), text, entities)
                                  and actor_ok(g.get("target"), ev.get("target"), text, entities)):
                continue
            used.add(i)
            by_type.setdefault(str(ev.get("type")), Tally()).tp_sys += 1
            if not g.get("optional"):
                tally.tp_gold += 1
                by_type[g["type"]].tp_gold += 1
            if not need_args:
                modality.append(ev.get("modality") == g.get("modality", "asserted"))
            break
    tally.n_gold += sum(1 for g, _ in gold_events if not g.get("optional"))
    tally.tp_sys += len(used)
    tally.n_sys += len(sys_events)
    for ev, _ in sys_events:
        by_type.setdefault(str(ev.get("type")), Tally()).n_sys += 1


def _confusion(gold_events: list, sys_events: list) -> Counter[tuple[str, str]]:
    """(gold type, system type) for each gold event and the system event on its evidence (same type first);
    (gold type, MISSED) when none; (MISSED, system type) for system events on no gold evidence."""
    out: Counter[tuple[str, str]] = Counter()
    touched: set[int] = set()
    for g, span in gold_events:
        on_it = [i for i, (_ev, tspan) in enumerate(sys_events) if _overlaps(span, tspan)]
        touched.update(on_it)
        if g.get("optional") and not on_it:
            continue
        same = [i for i in on_it if _type_ok(g, sys_events[i][0])]
        pick = (same or on_it or [None])[0]
        out[(g["type"], MISSED if pick is None else str(sys_events[pick][0].get("type")))] += 1
    for i, (ev, _) in enumerate(sys_events):
        if i not in touched:
            out[(MISSED, str(ev.get("type")))] += 1
    return out


def summarise(scores: dict[str, DocumentScore], missing: list[str]) -> dict:
    """The report: score.py's keys, with per-document, per-type and confusion figures beside them."""
    total = {k: Tally() for k in ("entities", "places", "events_relaxed", "events_strict", "counts")}
    modality: list[bool] = []
    relaxed_by_type: dict[str, Tally] = {}
    strict_by_type: dict[str, Tally] = {}
    confusion: Counter[tuple[str, str]] = Counter()
    per_document = {}
    for name, s in scores.items():
        parts = {"entities": s.entities, "places": s.places, "events_relaxed": s.relaxed, "events_strict": s.strict,
                 "counts": s.counts}
        for key, tally in parts.items():
            total[key].add(tally)
        modality += s.modality
        for mine, theirs in ((relaxed_by_type, s.relaxed_by_type), (strict_by_type, s.strict_by_type)):
            for t, tally in theirs.items():
                mine.setdefault(t, Tally()).add(tally)
        confusion.update(s.confusion)
        per_document[name] = {**{k: v.prf() for k, v in parts.items()},
                              "modality_accuracy": _accuracy(s.modality)}
    return {
        **{k: v.prf() for k, v in total.items()},
        "modality_accuracy": _accuracy(modality),
        "documents_missing_output": missing,
        "per_document": per_document,
        "per_type": {t: {"relaxed": relaxed_by_type[t].prf(), "strict": strict_by_type.get(t, Tally()).prf()}
                     for t in sorted(relaxed_by_type)},
        "confusion": {g: {s: n for (g2, s), n in sorted(confusion.items()) if g2 == g}
                      for g in sorted({g for g, _ in confusion})},
    }


def _accuracy(values: list[bool]) -> float:
    return round(sum(values) / len(values), 4) if values else 0.0


def analyse_article(pipeline: Any, path: Path) -> tuple[dict | None, list[str]]:
    """Marsad's record for one annotated article, read as `marsad extract` reads it (front matter, the dates in
    an ``index.jsonl`` beside it), with what made it unreadable (``"SOURCE: REASON"``)."""
    from marsad.parallel import analyse
    from marsad.sources import InputItem, JsonlFields, Skip, read_file

    result, problems = None, []
    for item in read_file(path, "txt", JsonlFields()):
        if isinstance(item, Skip):
            problems.append(f"{item.source}: {item.reason}")
        elif isinstance(item, InputItem):
            result = analyse(pipeline, item)
    if result is not None and not result.ok:
        problems.append(f"{path}: {result.error}")
        result = None
    return (result.record if result is not None else None), problems

