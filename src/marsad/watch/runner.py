"""One watch cycle: poll each due source in its own thread (watch/poll.py), then analyse and store what is new,
each entry once, and raise and deliver the alerts (watch/alerts.py, watch/delivery.py).

Fetching is parallel (a slow or failing source never holds the others: a cycle takes about the slowest
source's time); analysis and storing stay in the calling thread, one entry at a time, with the pipeline built
once per process. An entry's documents and its ``watch_seen`` row are one transaction, so a ``kill -9`` at any
moment loses nothing and stores nothing twice: what was committed is never fetched again, what was not is
fetched again by the next run. Polling touches no database: a poll is given the keys its source has already
handled and the feed's validators, and puts one :class:`Unit` per new entry and one :class:`Done` on a queue.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from marsad.pipeline import Pipeline
from marsad.readers.base import DEFAULT_MAX_CHARS, Skip
from marsad.store.sqlite import EventStore
from marsad.watch.alerts import run_alerts
from marsad.watch.config import SourceConfig, WatchConfig
from marsad.watch.delivery import deliver
from marsad.watch.fetch import Fetcher
from marsad.watch.poll import Done, Unit, poll_feed, poll_folder


@dataclass
class SourceReport:
    name: str
    kind: str
    stored: int = 0
    unchanged: int = 0  # entries handled before (or the feed not modified)
    skipped: int = 0  # entries with nothing to store, each logged in run_issues with why
    retry_later: int = 0
    not_modified: bool = False
    error: str | None = None

    def line(self) -> str:
        parts = [f"stored {self.stored}", "not modified" if self.not_modified else f"unchanged {self.unchanged}"]
        if self.skipped:
            parts.append(f"skipped {self.skipped}")
        if self.retry_later:
            parts.append(f"{self.retry_later} to retry")
        if self.error:
            parts.append(f"error: {self.error}")
        return f"marsad watch: {self.name}: " + ", ".join(parts)


@dataclass
class CycleReport:
    sources: list[SourceReport] = field(default_factory=list)
    new_document_ids: list[int] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False
    alerts: list[int] = field(default_factory=list)  # ids of the alerts this cycle raised
    delivery_errors: list[str] = field(default_factory=list)


_pipelines: dict[int, Pipeline] = {}


def default_pipeline(max_chars: int = DEFAULT_MAX_CHARS) -> Pipeline:
    """Built once per process: loading the knowledge takes seconds, analysing an article milliseconds."""
    if max_chars not in _pipelines:
        from marsad.parallel import PipelineSpec

        _pipelines[max_chars] = PipelineSpec.of(max_chars=max_chars).build()
    return _pipelines[max_chars]


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def register_sources(store: EventStore, config: WatchConfig) -> None:
    """A row per configured source; a source whose URL or folder changed forgets its old validators."""
    with store.transaction():
        for src in config.sources:
            store.db.execute(
                "INSERT INTO watch_sources (name, kind, location) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
                "etag = CASE WHEN location = excluded.location THEN etag END, "
                "last_modified = CASE WHEN location = excluded.location THEN last_modified END, "
                "kind = excluded.kind, location = excluded.location", (src.name, src.kind, src.location))
        # The alert rules look at what the watch adds, not at what the store held before it first ran.
        store.db.execute("INSERT OR IGNORE INTO watch_state (key, value) "
                         "SELECT ?, COALESCE(MAX(id), 0) FROM documents", (_ALERTS_AFTER,))


def due_sources(store: EventStore, config: WatchConfig, now: datetime) -> list[SourceConfig]:
    rows = {r["name"]: r["next_poll"] for r in store.db.execute("SELECT name, next_poll FROM watch_sources")}
    return [s for s in config.sources if not rows.get(s.name) or rows[s.name] <= _iso(now)]


def run_cycle(store_path: str | Path, config: WatchConfig, now: datetime | None = None, *,
              due_only: bool = False, pipeline: Pipeline | None = None, stop: threading.Event | None = None,
              progress: Callable[[str], None] = lambda line: None) -> CycleReport:
    """Poll the configured sources (only those due with ``due_only``) once; store what is new; raise alerts."""
    started = time.monotonic()
    now = now or datetime.now(UTC)
    stop = stop or threading.Event()
    pipeline = pipeline or default_pipeline()
    store = EventStore(store_path)
    try:
        register_sources(store, config)
        sources = due_sources(store, config, now) if due_only else list(config.sources)
        report = CycleReport()
        if sources:
            run_id = store.start_run(f"marsad watch {config.path}")
            status = "interrupted"
            try:
                _poll_all(store, config, sources, now, pipeline, stop, report, run_id, progress)
                status = "interrupted" if stop.is_set() else "finished"
            finally:
                stored = sum(s.stored for s in report.sources)
                store.finish_run(run_id, stored, sum(s.unchanged for s in report.sources),
                                 sum(s.skipped for s in report.sources), status)
        report.interrupted = stop.is_set()
        report.alerts, report.delivery_errors = _alerts(store, config, now)
        report.seconds = time.monotonic() - started
        return report
    finally:
        store.close()


_ALERTS_AFTER = "alerts_after_document"


def _alerts(store: EventStore, config: WatchConfig, now: datetime) -> tuple[list[int], list[str]]:
    """Apply the alert rules to every document stored since they last ran — this cycle's, and those of a cycle
    killed before its alerts (raising is idempotent: UNIQUE(rule, subject)) — then deliver what is pending."""
    after = int(store.db.execute("SELECT value FROM watch_state WHERE key = ?", (_ALERTS_AFTER,)).fetchone()[0])
    ids = [r[0] for r in store.db.execute("SELECT id FROM documents WHERE id > ? ORDER BY id", (after,))]
    created = run_alerts(store, config.rules, ids, now) if ids or config.rules.spikes else []
    if ids:
        with store.transaction():
            store.db.execute("UPDATE watch_state SET value = ? WHERE key = ?", (str(ids[-1]), _ALERTS_AFTER))
    return created, deliver(store, config.rules.outputs).errors


def _poll_all(store: EventStore, config: WatchConfig, sources: list[SourceConfig], now: datetime,
              pipeline: Pipeline, stop: threading.Event, report: CycleReport, run_id: int,
              progress: Callable[[str], None]) -> None:
    out: queue.Queue[Any] = queue.Queue()
    reports = {s.name: SourceReport(s.name, s.kind) for s in sources}
    report.sources = list(reports.values())
    by_name = {s.name: s for s in sources}
    f = config.fetch
    fetcher = Fetcher(f.timeout, f.max_bytes, f.per_host_delay, f.retries, f.backoff)
    pool = ThreadPoolExecutor(max_workers=min(32, len(sources)), thread_name_prefix="marsad-watch")
    try:
        for src in sources:
            seen = dict(store.db.execute("SELECT key, version FROM watch_seen WHERE source = ?", (src.name,)))
            row = store.db.execute("SELECT etag, last_modified FROM watch_sources WHERE name = ?",
                                   (src.name,)).fetchone()
            pool.submit(_guarded, src, fetcher, seen, row["etag"], row["last_modified"], out, stop)
        pending = len(sources)
        while pending and not stop.is_set():
            try:
                element = out.get(timeout=0.2)
            except queue.Empty:
                continue
            if isinstance(element, Unit):
                _store_unit(store, pipeline, element, reports[element.source], run_id, report, now, progress)
            else:
                pending -= 1
                _finish_source(store, by_name[element.source], element, reports[element.source], now)
                progress(reports[element.source].line())
    finally:
        # stopped: the polls still fetching end on their own (each request has its deadline); nothing waits
        stopped = stop.is_set()
        pool.shutdown(wait=not stopped, cancel_futures=True)
        if not stopped:
            fetcher.close()


def _guarded(src: SourceConfig, fetcher: Fetcher, seen: dict[str, str | None], etag: str | None,
             last_modified: str | None,
             out: queue.Queue[Any], stop: threading.Event) -> None:
    """A poll whose bug costs its source this poll (reported as its error), never the cycle."""
    try:
        if src.kind == "feed":
            poll_feed(src, fetcher, seen, etag, last_modified, out, stop)
        else:
            poll_folder(src, seen, out, stop)
    except Exception as exc:
        out.put(Done(src.name, error=f"internal error ({type(exc).__name__}: {exc})", complete=False))


def _store_unit(store: EventStore, pipeline: Pipeline, unit: Unit, rep: SourceReport, run_id: int,
                report: CycleReport, now: datetime, progress: Callable[[str], None]) -> None:
    """Analyse an entry's articles, then store them with the entry's watch_seen row in one transaction."""
    from marsad.parallel import analyse
    from marsad.store.sqlite import content_hash

    hashes = [content_hash(item.text) for item in unit.items]
    # a text the store has (an edit that changed no word, a file touched but not changed) is not analysed again
    analysed = {h: analyse(pipeline, item) for item, h in zip(unit.items, hashes, strict=True)
                if not store.stored_hash_for(h)}
    issues = [(i.source, "skipped" if isinstance(i, Skip) else "note", getattr(i, "reason", None)
               or getattr(i, "message", "")) for i in unit.issues]
    issues += [(a.item.source, "skipped", a.error or "") for a in analysed.values() if a.record is None]
    doc_id: int | None = None
    text_hash: str | None = None
    new: list[int] = []
    with store.transaction():
        for item, h in zip(unit.items, hashes, strict=True):
            a = analysed.get(h)
            if a is not None and a.record is None:
                continue
            added, failed = (store.add_safely(a.record, item.text, item.source, run_id) if a is not None
                             else (None, None))
            if failed is not None:  # a record the store cannot take: skipped, as ingest skips it, never a crash
                issues.append((item.source, "skipped", failed))
                continue
            text_hash = h
            if added is not None:
                new.append(added)
            doc_id = added if added is not None else store.document_for_hash(h)
        for source, kind, reason in issues:
            store.log_issue(run_id, source, kind, reason)
        store.db.execute("INSERT OR REPLACE INTO watch_seen (source, key, content_hash, document_id, seen, version) "
                         "VALUES (?, ?, ?, ?, ?, ?)", (unit.source, unit.key, text_hash, doc_id, _iso(now),
                                                       unit.version))
        store.db.execute("UPDATE watch_sources SET articles = articles + ? WHERE name = ?", (len(new), unit.source))
    report.new_document_ids += new
    rep.stored += len(new)
    if new:
        progress(f"marsad watch: {unit.source}: stored {unit.key}")
    elif text_hash is None:
        rep.skipped += 1
        for source, kind, reason in issues:
            if kind == "skipped":
                progress(f"marsad watch: {unit.source}: skipped {source}: {reason}")
    else:
        rep.unchanged += 1  # the same text as an article stored before (another URL, or an unedited file)


def _finish_source(store: EventStore, src: SourceConfig, done: Done, rep: SourceReport, now: datetime) -> None:
    rep.error, rep.not_modified, rep.retry_later = done.error, done.not_modified, done.retry_later
    rep.unchanged += done.unchanged
    nxt = _iso(now + timedelta(seconds=src.every))
    with store.transaction():
        if done.error:
            store.db.execute("UPDATE watch_sources SET last_poll = ?, next_poll = ?, last_error = ?, "
                             "consecutive_failures = consecutive_failures + 1 WHERE name = ?",
                             (_iso(now), nxt, done.error, src.name))
        else:
            # validators kept only when every entry was handled: else a 304 would hide the ones left to retry
            keep = done.complete and not done.retry_later
            store.db.execute("UPDATE watch_sources SET last_poll = ?, next_poll = ?, last_ok = ?, last_error = NULL, "
                             "consecutive_failures = 0, etag = ?, last_modified = ? WHERE name = ?",
                             (_iso(now), nxt, _iso(now), done.etag if keep else None,
                              done.last_modified if keep else None, src.name))


def watch_forever(store_path: str | Path, config: WatchConfig, stop: threading.Event,
                  progress: Callable[[str], None] = lambda line: None) -> None:
    """Cycles until ``stop`` is set: each polls the sources that are due, then waits for the next one due."""
    pipeline = default_pipeline()
    while not stop.is_set():
        report = run_cycle(store_path, config, due_only=True, pipeline=pipeline, stop=stop, progress=progress)
        if report.alerts:
            progress(f"marsad watch: {len(report.alerts)} new alert(s)")
        for error in report.delivery_errors:
            progress(f"marsad watch: alert delivery: {error}")
        store = EventStore(store_path)
        try:
            names = {s.name for s in config.sources}
            rows = store.db.execute("SELECT name, next_poll FROM watch_sources").fetchall()
            polls = [r[1] for r in rows if r[0] in names and r[1]]
        finally:
            store.close()
        wait = min((datetime.fromisoformat(p) - datetime.now(UTC)).total_seconds() for p in polls) if polls else 60
        stop.wait(min(max(wait, 1.0), 3600.0))
