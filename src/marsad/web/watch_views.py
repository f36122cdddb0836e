"""What the dashboard shows of `marsad watch`: its alerts (newest first, payload parsed) and its sources with
their health. Plain functions over the store's connection; web/app.py serves them as /api/alerts, /api/sources.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from typing import Any

# a source's health (the sources panel's dot): failures in a row, and how long since its last successful poll
LATE_HOURS, FAILING_HOURS, FAILING_RUNS = 6, 24, 3


def alerts_page(db: sqlite3.Connection, limit: int, since_id: int) -> dict[str, Any]:
    rows = db.execute(
        "SELECT a.id, a.rule, a.kind, a.subject, a.created, a.document_id AS article, a.event_n, a.payload, "
        "d.doc_id, d.url FROM alerts a LEFT JOIN documents d ON d.id = a.document_id WHERE a.id > ? "
        "ORDER BY a.id DESC LIMIT ?", (since_id, limit))
    out = []
    for r in rows:
        alert = dict(r)
        try:
            payload = json.loads(alert["payload"])
        except ValueError:  # written by hand or by a broken writer: shown as text rather than refusing the list
            payload = {"text": alert["payload"]}
        alert["payload"] = payload if isinstance(payload, dict) else {"value": payload}
        alert["event"] = (f"{alert['doc_id']}#v{alert['event_n']}" if alert["doc_id"] and alert["event_n"]
                          else alert["payload"].get("event"))
        out.append(alert)
    total = db.execute("SELECT count(*) FROM alerts").fetchone()[0]
    return {"total": total, "alerts": out}


def source_rows(db: sqlite3.Connection, today: str) -> list[dict[str, Any]]:
    return [dict(r) for r in db.execute(
        "SELECT s.name, s.kind, s.location, s.last_poll, s.last_ok, s.next_poll, s.consecutive_failures, "
        "s.last_error, s.articles, (SELECT count(*) FROM watch_seen w WHERE w.source = s.name AND "
        "w.document_id IS NOT NULL AND w.seen >= ?) AS today FROM watch_sources s ORDER BY s.name", (today,))]


def health(source: dict[str, Any], now: datetime) -> dict[str, Any]:
    ok = _when(source["last_ok"])
    age = (now - ok).total_seconds() if ok else None
    failures = source["consecutive_failures"] or 0
    if source["last_poll"] is None and ok is None:
        health = "waiting"
    elif failures >= FAILING_RUNS or age is None or age > FAILING_HOURS * 3600:
        health = "failing"
    elif failures or age > LATE_HOURS * 3600:
        health = "late"
    else:
        health = "ok"
    return {"health": health, "last_ok_age_s": None if age is None else max(0, round(age))}


def _when(value: str | None) -> datetime | None:
    """An ISO timestamp as the watch writes it; one without a zone is UTC. None when absent or unreadable."""
    try:
        when = datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
    return when.replace(tzinfo=UTC) if when and when.tzinfo is None else when
