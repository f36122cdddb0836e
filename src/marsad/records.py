"""Document → the output JSON (schema: marsad/schema/document.schema.json, docs/schema.md).

The shape is fixed: every field is always present, ``null`` when unknown, so
tables built from it keep the same columns whatever the options.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from typing import Any

from marsad.doc import Document, Entity, Event, Ref

SCHEMA_VERSION = "1"
# The spans a record points at besides its own, each with the offsets of its words in the text.
EVENT_ARGUMENTS = ("source", "target", "location", "attribution")
STANCE_SPANS = ("holder", "object")
QUANTITY_SPANS = ("of",)


def offset_columns(roles: tuple[str, ...]) -> tuple[str, ...]:
    """Flat column names for the offsets of these spans (the store, the exports, the cluster Parquet)."""
    return tuple(f"{role}_{edge}" for role in roles for edge in ("start", "end"))


def span_offsets(record: dict[str, Any], roles: tuple[str, ...]) -> dict[str, int | None]:
    """A record's span offsets as flat columns, None for a span it lacks."""
    values = ((record.get(role) or {}).get(edge) for role in roles for edge in ("start", "end"))
    return dict(zip(offset_columns(roles), values, strict=True))


ARGUMENT_OFFSETS = offset_columns(EVENT_ARGUMENTS)


def _ref(ref: Ref | None, *, with_actor: bool = False, with_point: bool = False) -> dict[str, Any] | None:
    if ref is None:
        return None
    out: dict[str, Any] = {"start": ref.start, "end": ref.end, "text": ref.text}
    if with_actor:
        out["actor_id"] = ref.actor_id
    if with_point:
        out["lat"] = ref.lat
        out["lon"] = ref.lon
    return out


def entity_to_dict(e: Entity, n: int) -> dict[str, Any]:
    place = None
    if e.place is not None:
        p = e.place
        place = {"id": p.id, "name": p.name, "name_ar": p.name_ar, "lat": p.lat, "lon": p.lon,
                 "country": p.country, "feature_class": p.feature_class, "precision": p.precision}
    return {
        "id": f"e{n}", "start": e.start, "end": e.end, "text": e.text, "type": e.type,
        "actor_id": e.actor_id, "canonical": e.canonical, "cameo": e.cameo, "sector": e.sector,
        "country": e.country, "place": place, "explanation": e.why,
    }


def event_to_dict(ev: Event, n: int) -> dict[str, Any]:
    return {
        "id": f"v{n}", "type": ev.type, "mode": ev.mode, "cameo": ev.cameo, "cameo_root": ev.cameo_root,
        "quad_class": ev.quad_class, "goldstein": ev.goldstein,
        "trigger": _ref(ev.trigger), "sentence": _ref(ev.sentence),
        "source": _ref(ev.source, with_actor=True), "target": _ref(ev.target, with_actor=True),
        "location": _ref(ev.location, with_point=True),
        "modality": ev.modality, "modality_cue": _ref(ev.modality_cue),
        "attribution": _ref(ev.attribution, with_actor=True),
        "date": ev.date, "date_precision": ev.date_precision, "date_evidence": _ref(ev.date_evidence),
        "explanation": dict(ev.why),
    }


def relevance_to_dict(doc: Document) -> dict[str, Any] | None:
    if doc.relevance is None:
        return None
    from marsad.recognize.relevance import MODEL_PATH

    return {"score": round(doc.relevance, 4), "model": MODEL_PATH,
            "strongest": [{"word": w, "weight": round(c, 3)} for w, c in doc.relevance_why]}


def document_to_dict(doc: Document) -> dict[str, Any]:
    from marsad import __version__

    return {
        "doc_id": doc.doc_id,
        "text_sha256": doc.text_sha256,
        "marsad_version": __version__,
        "schema_version": SCHEMA_VERSION,
        "date": doc.date,
        "meta": doc.meta,
        "language_notice": doc.language_notice,
        "country_context": doc.country_context,
        "relevance": relevance_to_dict(doc),
        "sentences": [{"start": s.start, "end": s.end} for s in doc.sentences],
        "entities": [entity_to_dict(e, n) for n, e in enumerate(doc.entities, 1)],
        "events": [event_to_dict(ev, n) for n, ev in enumerate(doc.events, 1)],
        "quantities": [dict(q) for q in doc.quantities],
        "stances": [dict(s) for s in doc.stances],
    }


@lru_cache(maxsize=1)
def document_schema() -> dict[str, Any]:
    """The JSON Schema of :func:`document_to_dict` output."""
    return json.loads((files("marsad.schema") / "document.schema.json").read_text(encoding="utf-8"))


__all__ = ["document_schema", "document_to_dict", "entity_to_dict", "event_to_dict", "relevance_to_dict"]
