"""Delivering the stored alerts: each appended once to the JSON Lines file and POSTed once to the webhook.

The file comes first and is fsynced before an alert is marked delivered; the ids already in the file are not
written again, so a crash between writing and marking duplicates nothing. A webhook that fails is tried again
(with backoff) and, after ``GIVE_UP_AFTER`` failures of one alert, given up; neither output's failure raises out
of :func:`deliver`, so a receiver that is down never stops the watch. docs/alerts.md describes it for users.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marsad.store.sqlite import EventStore
from marsad.watch.rules import Outputs

__all__ = ["DeliveryReport", "deliver"]

WEBHOOK_TIMEOUT = 10.0  # seconds for one POST: a slow receiver must not hold up the watch loop for long
GIVE_UP_AFTER = 10  # failed POSTs of one alert, all deliveries together, after which it is no longer sent


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

