"""Alerts: the events of new articles that a rule asks for, and spikes, stored once and delivered once.

``run_alerts`` applies the rules (watch/rules.py) to the events of the articles just stored and to the recent
counts (watch/spikes.py), and inserts what fires into the store's ``alerts`` table. UNIQUE(rule, subject) makes
an alert once per rule and event cluster — three outlets reporting one strike are one alert — or per spike group
and day, so running the rules again, or after a restart, creates nothing new. ``deliver`` then sends what is not
yet delivered to the JSON Lines file and the webhook, each exactly once. docs/alerts.md describes both for users.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from marsad.store.sqlite import EventStore
from marsad.watch.rules import AlertRule, Outputs, Rules
from marsad.watch.spikes import find_spikes

__all__ = ["DeliveryReport", "deliver", "evidence", "haversine_km", "run_alerts"]

CLUSTER_DOC_IDS = 20  # the articles of a cluster an alert lists (the count is always whole)
WEBHOOK_TIMEOUT = 10.0  # seconds for one POST: a slow receiver must not hold up the watch loop for long
GIVE_UP_AFTER = 10  # failed POSTs of one alert, all deliveries together, after which it is no longer sent

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


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


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
    if rule.near:
        lat, lon, km = rule.near
        if ev["lat"] is None or ev["lon"] is None or haversine_km(lat, lon, ev["lat"], ev["lon"]) > km:
            return False
    if rule.min_killed is not None and _count(ev, facts, "killed") < rule.min_killed:
        return False
    return rule.min_injured is None or _count(ev, facts, "injured") >= rule.min_injured


def _one_per_incident(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One event per sentence, type, source and target of an article: «قصفت الطائرات ... وقتل 7» codes a strike and
    a killing of one incident, which the clusters keep apart (one has a place, the other not) but which are one
    alert. The located mention stands for the incident (so the place decides its country), else the first; the
    rules are applied to it."""
    chosen: dict[tuple, dict[str, Any]] = {}
    for ev in events:
        key = (ev["document_id"], ev["sentence_start"], ev["type"], ev["source_actor_id"], ev["target_actor_id"])
        if key not in chosen or (chosen[key]["lat"] is None and ev["lat"] is not None):
            chosen[key] = ev
    return sorted(chosen.values(), key=lambda e: (e["document_id"], e["n"]))


# ---- delivery ------------------------------------------------------------------------------------------------


@dataclass
class DeliveryReport:
    jsonl_written: int = 0  # alerts appended to the JSON Lines file
    jsonl_found: int = 0  # already there (a crash came between appending and marking): only marked now
    webhook_sent: int = 0
    webhook_failures: int = 0  # failed POSTs (each retry counts)
    webhook_given_up: list[int] = field(default_factory=list)  # alert ids no longer sent: GIVE_UP_AFTER failures
    errors: list[str] = field(default_factory=list)  # what went wrong, for the log; deliver never raises for it


def deliver(store: EventStore, outputs: Outputs, post: Callable[..., Any] | None = None, retries: int = 3,
            backoff: float = 1.0) -> DeliveryReport:
    """Send the alerts not yet delivered: append them to ``outputs.jsonl``, then POST each to ``outputs.webhook``
    (``post`` is called as ``httpx2.post`` is, and is it by default), trying each up to ``retries`` times with
    ``backoff`` seconds doubling between tries. The file comes first, so a webhook that is down never holds it
    up; neither output's failure raises: it is in the report's errors, and the alert is tried again next time."""
    report = DeliveryReport()
    if outputs.jsonl:
        _deliver_jsonl(store, Path(outputs.jsonl), report)
    if outputs.webhook:
        _deliver_webhook(store, outputs.webhook, post, max(1, retries), backoff, report)
    return report


def _pending(db: sqlite3.Connection, where: str) -> list[dict[str, Any]]:
    """The alerts as the outputs get them: the alert's own fields, then its payload's."""
    rows = db.execute(f"SELECT id, rule, kind, subject, created, payload FROM alerts WHERE {where} ORDER BY id")
    return [{"id": r["id"], "rule": r["rule"], "kind": r["kind"], "subject": r["subject"], "created": r["created"],
             **json.loads(r["payload"])} for r in rows]


def _deliver_jsonl(store: EventStore, path: Path, report: DeliveryReport) -> None:
    """Exactly once: the alerts are written and fsynced before they are marked delivered, and an alert whose id
    is already in the file (the process died after writing, before marking) is only marked."""
    pending = _pending(store.db, "delivered_jsonl = 0")
    if not pending:
        return
    try:
        present = _ids_in(path)
        todo = [a for a in pending if a["id"] not in present]
        report.jsonl_found += len(pending) - len(todo)
        if todo:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("ab") as f:
                f.write("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in todo).encode("utf-8"))
                f.flush()
                os.fsync(f.fileno())
    except OSError as exc:
        report.errors.append(f"{path}: cannot write alerts ({exc.strerror or exc}); they are tried again next time")
        return
    with store.transaction():
        store.db.executemany("UPDATE alerts SET delivered_jsonl = 1 WHERE id = ?", [(a["id"],) for a in pending])
    report.jsonl_written += len(todo)


def _ids_in(path: Path) -> set[int]:
    """The alert ids the file holds. A last line without its newline is what a crash mid-write leaves: it is cut
    off (its alert is still unmarked, so it is written again whole), so that every line stays one JSON object."""
    if not path.exists():
        return set()
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        with path.open("r+b") as f:
            f.truncate(data.rfind(b"\n") + 1)
        data = data[:data.rfind(b"\n") + 1]
    ids = set()
    for line in data.splitlines():
        try:
            obj = json.loads(line)
        except ValueError:
            continue  # not one of ours: left as it is
        if isinstance(obj, dict) and isinstance(obj.get("id"), int):
            ids.add(obj["id"])
    return ids


def _deliver_webhook(store: EventStore, url: str, post: Callable[..., Any] | None, retries: int, backoff: float,
                     report: DeliveryReport) -> None:
    if post is not None:
        _post_all(store, url, post, retries, backoff, report)
        return
    import httpx2  # only a watch with a webhook needs it

    with httpx2.Client() as client:  # one client for the batch: its TLS set-up is paid once
        _post_all(store, url, client.post, retries, backoff, report)


def _post_all(store: EventStore, url: str, send: Callable[..., Any], retries: int, backoff: float,
              report: DeliveryReport) -> None:
    db = store.db
    tried = dict(db.execute("SELECT id, webhook_attempts FROM alerts WHERE delivered_webhook = 0").fetchall())
    for alert in _pending(db, f"delivered_webhook = 0 AND webhook_attempts < {GIVE_UP_AFTER}"):
        error = None
        for attempt in range(min(retries, GIVE_UP_AFTER - tried[alert["id"]])):
            if attempt:
                time.sleep(backoff * 2 ** (attempt - 1))
            error = _post_once(send, url, alert)
            db.execute("UPDATE alerts SET webhook_attempts = webhook_attempts + 1, delivered_webhook = ? "
                       "WHERE id = ?", (int(error is None), alert["id"]))
            if error is None:
                report.webhook_sent += 1
                break
            report.webhook_failures += 1
        if error is not None:
            attempts = db.execute("SELECT webhook_attempts FROM alerts WHERE id = ?", (alert["id"],)).fetchone()[0]
            if attempts >= GIVE_UP_AFTER:
                report.webhook_given_up.append(alert["id"])
                report.errors.append(f"webhook {url}: alert {alert['id']} given up after {attempts} failed "
                                     f"attempts (last: {error}); it stays in the store and the JSON Lines file")
            else:
                report.errors.append(f"webhook {url}: alert {alert['id']} not delivered ({error}); "
                                     "it and the rest are tried again next time")
            # the receiver is down or refusing: the other alerts wait for the next delivery instead of each
            # spending its own retries on it now
            break


def _post_once(send: Callable[..., Any], url: str, alert: dict[str, Any]) -> str | None:
    """None when the receiver took the alert (2xx), else why not. Nothing the receiver does raises here."""
    try:
        response = send(url, json=alert, timeout=WEBHOOK_TIMEOUT)
        status = int(response.status_code)
    except Exception as exc:  # any failure of the receiver or the network is a failed attempt
        return f"{type(exc).__name__}: {exc}"
    return None if 200 <= status < 300 else f"HTTP {status}"

