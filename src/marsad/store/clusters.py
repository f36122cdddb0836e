"""Cross-article deduplication: the same real event, reported by several articles, becomes one event cluster.

Two mentions are the same event when they have the same PLOVER type and
modality, the same source and target actors (both known or both unknown),
the same place (coordinates to 0.01°, about a kilometre) and dates at most
``WINDOW_DAYS`` apart — and when at least one of source, target and place is
known, since "an attack, somewhere, by someone" identifies nothing. This is
GDELT's NumMentions done with the evidence kept: every mention stays in
``events`` with its article and offsets, and points to its cluster.

A mention joins the earliest cluster it matches, so the grouping depends
only on the order in which articles are stored: a resumed ingest gives the
clean run's clusters.
"""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

WINDOW_DAYS = 2


def place_key(lat: float | None, lon: float | None) -> str | None:
    if lat is None or lon is None:
        return None
    return f"{lat:.2f},{lon:.2f}"


def _shift(day: str, days: int) -> str:
    return (date.fromisoformat(day[:10]) + timedelta(days=days)).isoformat()


def assign(db: sqlite3.Connection, document_id: int, etype: str, modality: str, source: str | None,
           target: str | None, lat: float | None, lon: float | None, location_text: str | None,
           day: str | None, window: int = WINDOW_DAYS) -> int:
    """The cluster of one new mention (found or created); updates its counts. Call inside the batch transaction."""
    key = place_key(lat, lon)
    row = None
    if day and (source or target or key):
        row = db.execute(
            "SELECT id FROM event_clusters WHERE type = ? AND modality = ? AND source_actor_id IS ? "
            "AND target_actor_id IS ? AND place_key IS ? AND first_date BETWEEN ? AND ? ORDER BY id LIMIT 1",
            (etype, modality, source, target, key, _shift(day, -window), _shift(day, window))).fetchone()
    if row is None:
        cur = db.execute(
            "INSERT INTO event_clusters (type, modality, source_actor_id, target_actor_id, place_key, location_text, "
            "lat, lon, first_date, last_date, mentions, articles) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1)",
            (etype, modality, source, target, key, location_text, lat, lon, day, day))
        return int(cur.lastrowid or 0)
    cluster = int(row[0])
    new_article = db.execute("SELECT 1 FROM events WHERE cluster_id = ? AND document_id = ? LIMIT 1",
                             (cluster, document_id)).fetchone() is None
    db.execute("UPDATE event_clusters SET mentions = mentions + 1, articles = articles + ?, "
               "first_date = min(first_date, ?), last_date = max(last_date, ?) WHERE id = ?",
               (int(new_article), day, day, cluster))
    return cluster


def rebuild(db: sqlite3.Connection, window: int = WINDOW_DAYS) -> int:
    """Cluster every stored event again, in storage order (after an upgrade, or with another window).

    The caller holds the transaction. Returns the number of clusters."""
    db.execute("UPDATE events SET cluster_id = NULL")
    db.execute("DELETE FROM event_clusters")
    events = db.execute("SELECT rowid, document_id, type, modality, source_actor_id, target_actor_id, lat, lon, "
                        "location_text, date FROM events ORDER BY document_id, n").fetchall()
    for rowid, doc, *fields in events:
        cluster = assign(db, doc, *fields, window=window)
        db.execute("UPDATE events SET cluster_id = ? WHERE rowid = ?", (cluster, rowid))
    return int(db.execute("SELECT COUNT(*) FROM event_clusters").fetchone()[0])
