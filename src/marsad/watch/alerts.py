"""Alerts: the events of new articles that a rule asks for, and spikes, stored once and delivered once.

``run_alerts`` applies the rules (watch/rules.py) to the events of the articles just stored and to the recent
counts (watch/spikes.py), and inserts what fires into the store's ``alerts`` table. UNIQUE(rule, subject) makes
an alert once per rule and event cluster — three outlets reporting one strike are one alert — or per spike group
and day, so running the rules again, or after a restart, creates nothing new. ``deliver`` then sends what is not
yet delivered to the JSON Lines file and the webhook, each exactly once (watch/delivery.py). docs/alerts.md
describes both for users.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from marsad.store.query import within
from marsad.store.sqlite import EventStore
from marsad.watch.rules import AlertRule, Rules
from marsad.watch.spikes import find_spikes, incident_key

__all__ = ["evidence", "run_alerts"]

CLUSTER_DOC_IDS = 20  # the articles of a cluster an alert lists (the count is always whole)

_CANDIDATES = """
SELECT e.document_id, e.n, e.type, e.mode, e.modality, e.source_actor_id, e.target_actor_id, e.lat, e.lon,
       e.sentence_start, e.sentence_end, e.cluster_id,
       (SELECT p.country FROM places p WHERE p.lat = e.lat AND p.lon = e.lon LIMIT 1) AS place_country
FROM events e WHERE e.document_id IN ({docs}) ORDER BY e.document_id, e.n
"""

_EVIDENCE = """
SELECT d.doc_id, d.url, d.title, d.outlet, d.published, d.doc_id || '#v' || e.n AS event, e.type, e.mode,
       e.modality, e.date, e.trigger_text AS trigger, e.source_text, e.source_actor_id, sa.name AS source_name,
       e.target_text, e.target_actor_id, ta.name AS target_name, e.location_text AS place, e.lat, e.lon,
       (SELECT p.country FROM places p WHERE p.lat = e.lat AND p.lon = e.lon LIMIT 1) AS place_country,
       substr(d.text, e.sentence_start + 1, e.sentence_end - e.sentence_start) AS sentence,
       (SELECT CAST(sum(q.value) AS INTEGER) FROM quantities q WHERE q.document_id = e.document_id
        AND q.what = 'killed' AND q.start >= e.sentence_start AND q."end" <= e.sentence_end) AS killed,
       (SELECT CAST(sum(q.value) AS INTEGER) FROM quantities q WHERE q.document_id = e.document_id
        AND q.what = 'injured' AND q.start >= e.sentence_start AND q."end" <= e.sentence_end) AS injured,
       e.cluster_id AS cluster, c.mentions AS cluster_mentions, c.articles AS cluster_articles
FROM events e JOIN documents d ON d.id = e.document_id LEFT JOIN event_clusters c ON c.id = e.cluster_id
LEFT JOIN actors sa ON sa.actor_id = e.source_actor_id LEFT JOIN actors ta ON ta.actor_id = e.target_actor_id
WHERE e.document_id = ? AND e.n = ?
"""


def run_alerts(store: EventStore, rules: Rules, new_document_ids: list[int], now: datetime | None = None) -> list[int]:
    """Apply every rule: alert rules to the events of ``new_document_ids``, spike rules to the counts up to
    ``now``'s day (UTC). Returns the ids of the alerts created (none for what an earlier call already raised)."""
    now = now or datetime.now(UTC)
    created_at = now.isoformat(timespec="seconds")
    db = store.db
    facts = _article_facts(db, new_document_ids)
    incidents = _one_per_incident(_candidates(db, new_document_ids))
    created: list[int] = []
    with store.transaction():
        for rule in rules.alerts:
            for ev in [e for e in incidents if _passes(rule, e, facts[e["document_id"]])]:
                subject = str(ev["cluster_id"]) if ev["cluster_id"] is not None else f"{ev['document_id']}:{ev['n']}"
                if _raised(db, rule.name, subject):  # (the usual case for a second report of an incident)
                    continue
                payload = {"rule": rule.name, **evidence(db, ev["document_id"], ev["n"])}
                _insert(db, created, rule.name, "event", subject, created_at, ev["document_id"], ev["n"], payload)
        for spike_rule in rules.spikes:
            for spike in find_spikes(db, spike_rule, now.astimezone(UTC).date()):
                if _raised(db, spike_rule.name, spike.subject):
                    continue
                payload = {"rule": spike_rule.name, "country": spike.country, "type": spike.type, "day": spike.day,
                           "window_days": spike_rule.window_days, "baseline_days": spike_rule.baseline_days,
                           "count": spike.count, "baseline": spike.baseline, "expected": round(spike.expected, 4),
                           "p_value": spike.p_value, "threshold": spike_rule.p_value,
                           "examples": [evidence(db, doc, n) for doc, n in spike.examples[:3]]}
                first = spike.examples[0] if spike.examples else (None, None)
                _insert(db, created, spike_rule.name, "spike", spike.subject, created_at, first[0], first[1], payload)
    return created


def _raised(db: sqlite3.Connection, rule: str, subject: str) -> bool:
    return db.execute("SELECT 1 FROM alerts WHERE rule = ? AND subject = ?", (rule, subject)).fetchone() is not None


def _insert(db: sqlite3.Connection, created: list[int], rule: str, kind: str, subject: str, when: str,
            document_id: int | None, n: int | None, payload: dict[str, Any]) -> None:
    cur = db.execute("INSERT OR IGNORE INTO alerts (rule, kind, subject, created, document_id, event_n, payload) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (rule, kind, subject, when, document_id, n, json.dumps(payload, ensure_ascii=False)))
    if cur.rowcount == 1:
        created.append(int(cur.lastrowid or 0))


def evidence(db: sqlite3.Connection, document_id: int, n: int) -> dict[str, Any]:
    """What an alert shows of one event: its sentence, trigger, actors, place, date, its article (URL, title,
    outlet, doc_id), its id as exports write it (doc_id#vN), the counts of killed and injured in its sentence,
    and its cluster (mentions, articles and their doc_ids)."""
    out = dict(db.execute(_EVIDENCE, (document_id, n)).fetchone())
    if out["cluster"] is not None:
        docs = db.execute("SELECT DISTINCT d.doc_id FROM events e JOIN documents d ON d.id = e.document_id "
                          "WHERE e.cluster_id = ? ORDER BY d.id LIMIT ?", (out["cluster"], CLUSTER_DOC_IDS))
        out["cluster_doc_ids"] = [r[0] for r in docs]
    return out


def _candidates(db: sqlite3.Connection, documents: list[int]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i in range(0, len(documents), 500):  # SQLite's limit on parameters
        chunk = [int(d) for d in documents[i:i + 500]]
        out += [dict(r) for r in db.execute(_CANDIDATES.format(docs=", ".join("?" * len(chunk))), chunk)]
    return out


def _article_facts(db: sqlite3.Connection, documents: list[int]) -> dict[int, dict[str, Any]]:
    """Per article: the countries it is about, and its counts of killed and injured (what, value, start, end)."""
    facts: dict[int, dict[str, Any]] = defaultdict(lambda: {"countries": set(), "counts": []})
    for i in range(0, len(documents), 500):
        chunk = [int(d) for d in documents[i:i + 500]]
        marks = ", ".join("?" * len(chunk))
        for doc, country in db.execute(
                f"SELECT document_id, country FROM document_countries WHERE document_id IN ({marks})", chunk):
            facts[doc]["countries"].add(country)
        for doc, what, value, start, end in db.execute(
                f'SELECT document_id, what, value, start, "end" FROM quantities WHERE document_id IN ({marks}) '
                "AND what IN ('killed', 'injured') AND value IS NOT NULL", chunk):
            facts[doc]["counts"].append((what, value, start, end))
    return facts


def _count(event: dict[str, Any], facts: dict[str, Any], what: str) -> float:
    """The article's count of ``what`` for this event: the sum of the counts in the event's own sentence («قتل 3
    مدنيين وأصيب 5») or, when larger, the largest single count in the article (a toll given in another sentence,
    often the headline's, is the same incident's)."""
    in_sentence = sum(v for w, v, s, e in facts["counts"]
                      if w == what and s >= event["sentence_start"] and e <= event["sentence_end"])
    anywhere = max((v for w, v, _, _ in facts["counts"] if w == what), default=0)
    return max(in_sentence, anywhere)


def _passes(rule: AlertRule, ev: dict[str, Any], facts: dict[str, Any]) -> bool:
    if rule.types and ev["type"] not in {t.upper() for t in rule.types}:
        return False
    if rule.modes and ev["mode"] not in rule.modes:
        return False
    if rule.modalities and ev["modality"] not in rule.modalities:
        return False
    if rule.actors and not {ev["source_actor_id"], ev["target_actor_id"]} & set(rule.actors):
        return False
    if rule.countries:
        # a located event is where it is; only an unlocated one is taken to be in its article's countries
        where = {ev["place_country"]} if ev["place_country"] else facts["countries"]
        if not where & {c.upper() for c in rule.countries}:
            return False
    if rule.near and not within(ev, rule.near):
        return False
    if rule.min_killed is not None and _count(ev, facts, "killed") < rule.min_killed:
        return False
    return rule.min_injured is None or _count(ev, facts, "injured") >= rule.min_injured


def _one_per_incident(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One event per incident (spikes.incident_key), so one alert: the located mention stands for the incident (so
    the place decides its country), else the first; the rules are applied to it."""
    chosen: dict[tuple, dict[str, Any]] = {}
    for ev in events:
        key = incident_key(ev)
        if key not in chosen or (chosen[key]["lat"] is None and ev["lat"] is not None):
            chosen[key] = ev
    return sorted(chosen.values(), key=lambda e: (e["document_id"], e["n"]))
