"""Selecting events from the store (``marsad query``, ``marsad export``): filters become parameterised SQL."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from marsad.store.sqlite import EventStore, search_terms

EVENT_COLUMNS = (
    "doc_id", "published", "url", "event", "type", "mode", "cameo", "cameo_root", "quad_class", "goldstein",
    "modality", "date", "date_precision", "trigger_text", "source_text", "source_actor_id", "target_text",
    "target_actor_id", "location_text", "lat", "lon", "attribution_text", "sentence", "trigger_start",
    "trigger_end", "explanation",
)


@dataclass
class EventFilter:
    since: str | None = None  # ISO dates, inclusive
    until: str | None = None
    types: tuple[str, ...] = ()
    modalities: tuple[str, ...] = ()
    actor: str | None = None  # an actor id, or words of the source or target text
    country: str | None = None  # ISO alpha-2: articles about it
    text: str | None = None  # full-text search in the articles
    near: tuple[float, float, float] | None = None  # lat, lon, km

    def where(self) -> tuple[str, list[Any]]:
        clauses, params = [], []
        if self.since:
            clauses.append("e.date >= ?")
            params.append(self.since)
        if self.until:
            clauses.append("e.date <= ?")
            params.append(self.until)
        if self.types:
            clauses.append(f"e.type IN ({', '.join('?' * len(self.types))})")
            params += [t.upper() for t in self.types]
        if self.modalities:
            clauses.append(f"e.modality IN ({', '.join('?' * len(self.modalities))})")
            params += list(self.modalities)
        if self.actor:
            clauses.append("(e.source_actor_id = ? OR e.target_actor_id = ? OR e.source_text LIKE ? "
                           "OR e.target_text LIKE ?)")
            like = f"%{self.actor}%"
            params += [self.actor, self.actor, like, like]
        if self.country:
            clauses.append("EXISTS (SELECT 1 FROM json_each(d.country_context) WHERE value = ?)")
            params.append(self.country.upper())
        if self.text:
            clauses.append("d.id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)")
            params.append(fts_query(self.text))
        if self.near:
            lat, lon, km = self.near
            dlat = km / 111.0
            dlon = km / (111.0 * max(math.cos(math.radians(lat)), 0.01))
            clauses.append("e.lat BETWEEN ? AND ? AND e.lon BETWEEN ? AND ?")  # a box; the circle is checked after
            params += [lat - dlat, lat + dlat, lon - dlon, lon + dlon]
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def fts_query(text: str) -> str:
    """The user's words, normalised as the index is, each quoted (no FTS syntax injection)."""
    words = search_terms(text)
    return " ".join('"' + w.replace('"', "") + '"' for w in words if w.replace('"', ""))


def select_events(store: EventStore, flt: EventFilter, limit: int | None = None) -> Iterator[dict[str, Any]]:
    where, params = flt.where()
    sql = ("SELECT d.doc_id, d.published, d.url, d.doc_id || '#v' || e.n AS event, e.type, e.mode, e.cameo, "
           "e.cameo_root, e.quad_class, e.goldstein, e.modality, e.date, e.date_precision, e.trigger_text, "
           "e.source_text, e.source_actor_id, e.target_text, e.target_actor_id, e.location_text, e.lat, e.lon, "
           "e.attribution_text, substr(d.text, e.sentence_start + 1, e.sentence_end - e.sentence_start) AS sentence, "
           "e.trigger_start, e.trigger_end, e.explanation "
           "FROM events e JOIN documents d ON d.id = e.document_id" + where + " ORDER BY e.date, d.id, e.n")
    if limit is not None and flt.near is None:
        sql += f" LIMIT {int(limit)}"
    n = 0
    for row in store.db.execute(sql, params):
        out = dict(row)
        if flt.near and not _within(out, flt.near):
            continue
        yield out
        n += 1
        if limit is not None and n >= limit:
            return


def _within(row: dict[str, Any], near: tuple[float, float, float]) -> bool:
    lat, lon, km = near
    if row["lat"] is None or row["lon"] is None:
        return False
    p1, p2 = math.radians(lat), math.radians(row["lat"])
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(row["lon"] - lon) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(min(1.0, h))) <= km
