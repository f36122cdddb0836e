"""Selecting events from the store (``marsad query``, ``marsad export``): filters become parameterised SQL."""

from __future__ import annotations

import math
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from marsad.geo import great_circle_km
from marsad.records import ARGUMENT_OFFSETS
from marsad.store.sqlite import EventStore, search_terms

EVENT_COLUMNS = (  # the flat exports' columns (CSV, Parquet), in this order
    "doc_id", "published", "url", "title", "outlet", "event", "type", "mode", "cameo", "cameo_root", "quad_class",
    "goldstein", "modality", "date", "date_precision", "trigger_text", "source_text", "source_actor_id",
    "source_name", "source_cameo", "target_text", "target_actor_id", "target_name", "target_cameo", "location_text",
    "lat", "lon", "location_country", "attribution_text", "killed", "injured", "detained", "sentence",
    "trigger_start", "trigger_end", *ARGUMENT_OFFSETS,
    "cluster", "cluster_mentions", "cluster_articles", "cluster_doc_ids", "explanation",
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
    min_relevance: float | None = None  # events of articles at least this political/conflict-related (0..1)

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
            # the words are matched literally: % and _ in them are not LIKE's wildcards
            clauses.append("(e.source_actor_id = ? OR e.target_actor_id = ? OR e.source_text LIKE ? ESCAPE '\\' "
                           "OR e.target_text LIKE ? ESCAPE '\\')")
            like = f"%{like_escape(self.actor)}%"
            params += [self.actor, self.actor, like, like]
        if self.country:
            clauses.append("d.id IN (SELECT document_id FROM document_countries WHERE country = ?)")
            params.append(self.country.upper())
        if self.text:
            match = fts_query(self.text)
            if not match:
                clauses.append("0")  # only punctuation: no words to search for, so nothing matches
            else:
                clauses.append("d.id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)")
                params.append(match)
        if self.min_relevance is not None:
            clauses.append("d.relevance >= ?")  # an unscored (NULL) article never passes
            params.append(self.min_relevance)
        if self.near:
            lat, lon, km = self.near
            dlat = km / 111.0
            dlon = km / (111.0 * max(math.cos(math.radians(lat)), 0.01))
            clauses.append("e.lat BETWEEN ? AND ? AND e.lon BETWEEN ? AND ?")  # a box; the circle is checked after
            params += [lat - dlat, lat + dlat, lon - dlon, lon + dlon]
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def like_escape(text: str) -> str:
    """``text`` as a literal inside a ``LIKE ? ESCAPE '\\'`` pattern."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def fts_query(text: str) -> str:
    """The user's words, normalised as the index is, each quoted (no FTS syntax injection)."""
    words = search_terms(text)
    return " ".join('"' + w.replace('"', "") + '"' for w in words if w.replace('"', ""))


def _count(what: str) -> str:
    """The sum of the counts of ``what`` in the event's sentence («مقتل 13 مدنيا» → killed 13)."""
    return (f"(SELECT sum(q.value) FROM quantities q WHERE q.document_id = e.document_id AND q.what = '{what}' "
            f'AND q.start >= e.sentence_start AND q."end" <= e.sentence_end) AS {what}')


def select_events(store: EventStore, flt: EventFilter, limit: int | None = None,
                  per_cluster: bool = False) -> Iterator[dict[str, Any]]:
    """Events that pass ``flt``, with their article and evidence; with ``per_cluster``, only the first mention of
    each event cluster, with the ids of all the articles that report it (``cluster_doc_ids``)."""
    where, params = flt.where()
    if per_cluster:
        where = (where + " AND" if where else " WHERE") + \
            " e.rowid = (SELECT min(e2.rowid) FROM events e2 WHERE e2.cluster_id = e.cluster_id)"
    sql = ("SELECT d.doc_id, d.published, d.url, d.title, d.outlet, d.doc_id || '#v' || e.n AS event, e.type, e.mode, "
           "e.cameo, e.cameo_root, e.quad_class, e.goldstein, e.modality, e.date, e.date_precision, e.trigger_text, "
           "e.source_text, e.source_actor_id, sa.name AS source_name, sa.cameo AS source_cameo, "
           "sa.country AS source_country, sa.sector AS source_sector, "
           "e.target_text, e.target_actor_id, ta.name AS target_name, ta.cameo AS target_cameo, "
           "ta.country AS target_country, ta.sector AS target_sector, "
           "e.location_text, e.lat, e.lon, "
           "(SELECT p.country FROM places p WHERE p.lat = e.lat AND p.lon = e.lon LIMIT 1) AS location_country, "
           "e.attribution_text, "
           "substr(d.text, e.sentence_start + 1, e.sentence_end - e.sentence_start) AS sentence, "
           "e.sentence_start, e.sentence_end, e.trigger_start, e.trigger_end, "
           + "".join(f"e.{c}, " for c in ARGUMENT_OFFSETS) +
           f"{_count('killed')}, {_count('injured')}, {_count('detained')}, "
           "e.cluster_id AS cluster, c.mentions AS cluster_mentions, c.articles AS cluster_articles, "
           + ("(SELECT group_concat(doc_id, ' ') FROM (SELECT DISTINCT d3.doc_id FROM events e3 JOIN documents d3 "
              "ON d3.id = e3.document_id WHERE e3.cluster_id = e.cluster_id ORDER BY d3.id)) AS cluster_doc_ids, "
              if per_cluster else "") +
           "e.explanation "
           "FROM events e JOIN documents d ON d.id = e.document_id LEFT JOIN event_clusters c ON c.id = e.cluster_id "
           "LEFT JOIN actors sa ON sa.actor_id = e.source_actor_id "
           "LEFT JOIN actors ta ON ta.actor_id = e.target_actor_id"
           + where + " ORDER BY e.date, d.id, e.n")
    if limit is not None and flt.near is None:
        sql += f" LIMIT {int(limit)}"
    n = 0
    for row in store.db.execute(sql, params):
        out = dict(row)
        if flt.near and not within(out, flt.near):
            continue
        yield out
        n += 1
        if limit is not None and n >= limit:
            return


def count_events(db: sqlite3.Connection, flt: EventFilter) -> int:
    """How many events pass ``flt``."""
    where, params = flt.where()
    if flt.near:
        rows = db.execute("SELECT e.lat, e.lon FROM events e JOIN documents d ON d.id = e.document_id" + where,
                          params)
        return sum(1 for r in rows if within(r, flt.near))
    joins = " FROM events e JOIN documents d ON d.id = e.document_id" if "d." in where else " FROM events e"
    return int(db.execute("SELECT count(*)" + joins + where, params).fetchone()[0])


_EVENT_ID = re.compile(r"^(?P<doc>.+)#v(?P<n>\d{1,18})$")


def find_article(db: sqlite3.Connection, key: str) -> tuple[int | None, int | None]:
    """The article ``key`` names, and the event when it names one: its row id (``"17"``), its ``doc_id`` (the
    latest stored text when an edited article was stored several times under one id), or an event id as the
    exports write it (``doc_id#vN``: event N of that article). (None, None) when nothing has that id.

    A doc_id that is itself all digits or ends in ``#vN`` is still found: the id exactly as stored wins."""
    if key.isascii() and key.isdigit() and int(key) < 2**63:  # SQLite's integers are 64-bit
        row = db.execute("SELECT id FROM documents WHERE id = ?", (int(key),)).fetchone()
        if row is not None:
            return int(row[0]), None
    latest = "SELECT max(id) FROM documents WHERE doc_id = ?"
    doc = db.execute(latest, (key,)).fetchone()[0]
    if doc is not None:
        return int(doc), None
    m = _EVENT_ID.match(key)
    if m:
        doc = db.execute(latest, (m.group("doc"),)).fetchone()[0]
        if doc is not None:
            return int(doc), int(m.group("n"))
    return None, None


def within(row: Any, near: tuple[float, float, float]) -> bool:
    """Is the event ``row`` (its ``lat`` and ``lon``) within ``near`` = (lat, lon, km)? An unlocated one is not."""
    lat, lon, km = near
    if row["lat"] is None or row["lon"] is None:
        return False
    return great_circle_km(lat, lon, row["lat"], row["lon"]) <= km
