"""The embedded event store: one SQLite file, written in whole-batch transactions, read while it is written.

Crash safety comes from SQLite itself: a batch of documents and all their
records is one transaction, so a crash or ``kill -9`` leaves the file as it
was after the last committed batch, never half a document. Re-running the
same command skips every article already stored (by the SHA-256 of its
text) and finishes the rest: the result is the clean run's, with no
duplicates and nothing missing. WAL mode lets a reader (the dashboard, a
notebook) query during an ingest.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from marsad import __version__
from marsad.errors import MarsadError
from marsad.readers.base import clip, shown
from marsad.records import ARGUMENT_OFFSETS, EVENT_ARGUMENTS, QUANTITY_SPANS, STANCE_SPANS, offset_columns, span_offsets
from marsad.store import clusters
from marsad.store.schema import MIGRATIONS
from marsad.text.normalize import match_key

SCHEMA_VERSION = len(MIGRATIONS)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _bare(key: str) -> str:
    """The word without its proclitics, in their order: conjunction, preposition, article («وبالمدينة» → «مدينه»).
    Index and queries strip alike, so a name starting with one of these letters still finds itself."""
    for group in (("و", "ف"), ("ب", "ل", "ك"), ("ال", "ل")):
        for p in group:
            if key.startswith(p) and len(key) - len(p) >= 3:
                key = key[len(p):]
                break
    return key


def search_text(text: str) -> str:
    """What the full-text index holds: each word's match key (no diacritics, one alef, ي for ى…) and, for a
    word with proclitics, the word without them — the FTS tokenizer would not split «وبطرابلس»."""
    terms = []
    for w in text.split():
        key = match_key(w)
        terms.append(key)
        bare = _bare(key)
        if bare != key:
            terms.append(bare)
    return " ".join(terms)


def search_terms(query: str) -> list[str]:
    """A query's words as they are indexed: normalised, without proclitics."""
    return [_bare(match_key(w)) for w in query.split()]


def _alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine (signal 0 checks without sending anything)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # it exists, owned by someone else
    return True


def _why_unopened(path: Path, readonly: bool, exc: sqlite3.DatabaseError) -> str:
    """What to tell the user when SQLite would not open ``path``: SQLite says "unable to open database file"
    for a missing folder, a folder it cannot write to and a file it cannot read alike; the file system says
    which. Asked only after a failure, so a user allowed more than the mode bits show (root) is never refused."""
    folder = path.parent
    if not os.path.isdir(folder):  # os.path, not Path: these answer False where a Path method may raise
        if os.path.exists(folder):
            return f"{path}: not a directory: {folder} (choose another place for the database)"
        return f"{path}: no such directory: {folder} (create it first, or choose another place for the database)"
    if not readonly:
        if not os.access(folder, os.W_OK | os.X_OK):
            return (f"{path}: directory not writable: {folder} (SQLite makes the database and its -wal and -shm "
                    "files there: choose a directory you can write to)")
        if os.path.exists(path) and not os.access(path, os.W_OK):
            return f"{path}: database not writable (permission denied): ask its owner, or work on a copy"
    if os.path.exists(path) and not os.access(path, os.R_OK):
        return f"{path}: database not readable (permission denied): ask its owner for read access"
    return f"{path}: not a Marsad database ({exc})"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class EventStore:
    """A ``marsad.db`` file: open (creating or upgrading it), add documents in batches, query."""

    def __init__(self, path: str | Path, readonly: bool = False) -> None:
        self.path = Path(path)
        try:
            if readonly:
                if not self.path.is_file():
                    raise MarsadError(f"{self.path}: no such database (create one with `marsad ingest`)")
                self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, isolation_level=None)
            else:
                self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable at each checkpoint, never corrupt
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.row_factory = sqlite3.Row
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise MarsadError(_why_unopened(self.path, readonly, exc)) from exc
        if version > SCHEMA_VERSION:
            raise MarsadError(f"{self.path}: made by a newer Marsad (schema {version}, this one knows "
                              f"{SCHEMA_VERSION}); upgrade Marsad")
        if version < SCHEMA_VERSION:
            if readonly:
                raise MarsadError(f"{self.path}: schema {version} is older than {SCHEMA_VERSION}; "
                                  "open it once with `marsad ingest` to upgrade it")
            self._migrate(version)

    def _migrate(self, version: int) -> None:
        for n in range(version, SCHEMA_VERSION):
            self.db.execute("BEGIN IMMEDIATE")
            try:
                for statement in MIGRATIONS[n].split(";\n"):
                    if statement.strip():
                        self.db.execute(statement)
                if n + 1 == 2:  # mentions stored before clusters existed are grouped now
                    clusters.rebuild(self.db)
                self.db.execute(f"PRAGMA user_version = {n + 1}")
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One batch: everything inside is stored, or nothing is."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Part of a transaction that can fail alone: one document, whose failure leaves the batch intact."""
        self.db.execute("SAVEPOINT one")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK TO one")
            self.db.execute("RELEASE one")
            raise
        self.db.execute("RELEASE one")

    # ---- runs ----------------------------------------------------------------------------------------

    def start_run(self, command: str) -> int:
        """A new row in the run log. Runs left 'running' by a process that is gone (killed, crashed, the machine
        restarted) are marked 'interrupted'; a run another live process is doing right now is left alone."""
        host = socket.gethostname()
        with self.transaction():
            for run_id, pid, run_host in self.db.execute(
                    "SELECT id, pid, host FROM runs WHERE status = 'running'").fetchall():
                if pid is None or run_host != host or not _alive(pid):
                    self.db.execute("UPDATE runs SET status = 'interrupted' WHERE id = ?", (run_id,))
            cur = self.db.execute("INSERT INTO runs (started_at, status, command, marsad_version, pid, host) "
                                  "VALUES (?, 'running', ?, ?, ?, ?)",
                                  (_now(), shown(command), __version__, os.getpid(), host))
        return int(cur.lastrowid or 0)

    def log_issue(self, run_id: int, source: str, kind: str, reason: str) -> None:
        self.db.execute("INSERT INTO run_issues (run_id, source, kind, reason) VALUES (?, ?, ?, ?)",
                        (run_id, source, kind, reason))

    def count_run(self, run_id: int, stored: int, already: int, skipped: int) -> None:
        """What the run has committed so far; called inside each batch's transaction, so a run killed at any
        moment leaves a row that says what it really stored."""
        self.db.execute("UPDATE runs SET stored = ?, already_stored = ?, skipped = ? WHERE id = ?",
                        (stored, already, skipped, run_id))

    def finish_run(self, run_id: int, stored: int, already: int, skipped: int, status: str = "finished") -> None:
        """Close the run's row: 'finished', or 'interrupted' / 'failed' when it ended any other way."""
        with self.transaction():
            self.db.execute("UPDATE runs SET finished_at = ?, status = ?, stored = ?, already_stored = ?, "
                            "skipped = ? WHERE id = ?", (_now(), status, stored, already, skipped, run_id))

    # ---- documents -----------------------------------------------------------------------------------

    def stored_hash_for(self, text_hash: str) -> bool:
        return self.document_for_hash(text_hash) is not None

    def document_for_hash(self, text_hash: str) -> int | None:
        """The row id of the stored document with this text, if there is one."""
        row = self.db.execute("SELECT id FROM documents WHERE content_hash = ?", (text_hash,)).fetchone()
        return row[0] if row else None

    def doc_id_taken(self, doc_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM documents WHERE doc_id = ?", (doc_id,)).fetchone() is not None

    def add_safely(self, record: dict[str, Any], text: str, source: str, run_id: int) -> tuple[int | None, str | None]:
        """:meth:`add` in a savepoint: (its result, None), or (None, why) for a record the store cannot take —
        which costs that record only, never the transaction it is part of or the run."""
        try:
            with self.savepoint():
                return self.add(record, text, source, run_id), None
        except (sqlite3.Error, ValueError, TypeError, UnicodeError) as exc:
            return None, clip(f"cannot store ({type(exc).__name__}: {exc})")

    def add(self, record: dict[str, Any], text: str, source: str, run_id: int) -> int | None:
        """Store one analysed document (``records.document_to_dict`` output) with all its records; None when the
        store already has its text (another writer, such as a second ingest of the same input, stored it first)."""
        meta = record.get("meta") or {}
        cur = self.db.execute(
            "INSERT INTO documents (doc_id, content_hash, source, title, url, outlet, published, text, meta, "
            "country_context, marsad_version, run_id, relevance) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(content_hash) DO NOTHING",
            (record["doc_id"], record["text_sha256"], source, meta.get("title"), meta.get("url"),
             meta.get("outlet") or meta.get("source"), record.get("date"), text,
             json.dumps(meta, ensure_ascii=False), json.dumps(record.get("country_context", [])),
             record.get("marsad_version", __version__), run_id, (record.get("relevance") or {}).get("score")))
        if cur.rowcount == 0:
            return None
        doc = int(cur.lastrowid or 0)
        self.db.executemany("INSERT OR IGNORE INTO document_countries (document_id, country) VALUES (?, ?)",
                            [(doc, c) for c in record.get("country_context", [])])
        self.db.execute("INSERT INTO documents_fts (rowid, search_text) VALUES (?, ?)", (doc, search_text(text)))
        self.db.executemany('INSERT INTO sentences (document_id, n, start, "end") VALUES (?, ?, ?, ?)',
                            [(doc, n, s["start"], s["end"]) for n, s in enumerate(record["sentences"], 1)])
        self._add_entities(doc, record["entities"])
        self._add_events(doc, record["events"], record.get("date"))
        self.db.executemany(
            'INSERT INTO quantities (document_id, n, start, "end", text, what, unit, value, min, max, approximate, '
            "of_text, of_actor_id, explanation, " + ", ".join(offset_columns(QUANTITY_SPANS)) + ") VALUES ("
            + ", ".join("?" * 16) + ")",
            [(doc, n, q["start"], q["end"], q["text"], q["what"], q["unit"], q["value"], q["min"], q["max"],
              int(bool(q["approximate"])), (q["of"] or {}).get("text"), (q["of"] or {}).get("actor_id"),
              q["explanation"], *span_offsets(q, QUANTITY_SPANS).values())
             for n, q in enumerate(record["quantities"], 1)])
        self.db.executemany(
            "INSERT INTO stances (document_id, n, holder_text, holder_actor_id, object_text, polarity, event, "
            "explanation, " + ", ".join(offset_columns(STANCE_SPANS)) + ") VALUES (" + ", ".join("?" * 12) + ")",
            [(doc, n, (s["holder"] or {}).get("text"), (s["holder"] or {}).get("actor_id"),
              (s["object"] or {}).get("text"), s["polarity"], s["event"], s["explanation"],
              *span_offsets(s, STANCE_SPANS).values())
             for n, s in enumerate(record["stances"], 1)])
        return doc

    def _add_entities(self, doc: int, entities: list[dict[str, Any]]) -> None:
        rows = []
        for n, e in enumerate(entities, 1):
            p = e.get("place") or {}
            rows.append((doc, n, e["start"], e["end"], e["text"], e["type"], e["actor_id"], e["canonical"],
                         e["cameo"], e["sector"], e["country"], p.get("id"), p.get("name"), p.get("lat"),
                         p.get("lon"), e["explanation"]))
            if e["actor_id"]:
                self.db.execute(
                    "INSERT INTO actors (actor_id, name, type, country, sector, cameo, mentions) "
                    "VALUES (?, ?, ?, ?, ?, ?, 1) ON CONFLICT(actor_id) DO UPDATE SET mentions = mentions + 1",
                    (e["actor_id"], e["canonical"] or e["text"], e["type"], e["country"], e["sector"], e["cameo"]))
            if p.get("id") and p.get("lat") is not None:
                self.db.execute(
                    "INSERT INTO places (place_id, name, name_ar, lat, lon, country, feature_class, mentions) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT(place_id) DO UPDATE SET mentions = mentions + 1",
                    (p["id"], p.get("name"), p.get("name_ar"), p["lat"], p["lon"], p.get("country"),
                     p.get("feature_class")))
        self.db.executemany(
            'INSERT INTO entities (document_id, n, start, "end", text, type, actor_id, canonical, cameo, sector, '
            "country, place_id, place_name, lat, lon, explanation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "?, ?, ?)", rows)

    def _add_events(self, doc: int, events: list[dict[str, Any]], published: str | None) -> None:
        """Each mention is stored with its cluster (store/clusters.py), one at a time: a mention's cluster may be
        the one the previous mention of the same article just made."""
        for n, v in enumerate(events, 1):
            src, tgt, loc, att = (v.get(k) or {} for k in ("source", "target", "location", "attribution"))
            day = v.get("date") or (published[:10] if published else None)
            cluster = clusters.assign(self.db, doc, v["type"], v["modality"], src.get("actor_id"),
                                      tgt.get("actor_id"), loc.get("lat"), loc.get("lon"), loc.get("text"), day)
            self.db.execute(
                "INSERT INTO events (document_id, n, type, mode, cameo, cameo_root, quad_class, goldstein, modality, "
                "trigger_start, trigger_end, trigger_text, sentence_start, sentence_end, source_text, "
                "source_actor_id, target_text, target_actor_id, location_text, lat, lon, attribution_text, date, "
                "date_precision, explanation, cluster_id, " + ", ".join(ARGUMENT_OFFSETS) + ") VALUES ("
                + ", ".join("?" * (26 + len(ARGUMENT_OFFSETS))) + ")",
                (doc, n, v["type"], v["mode"], v["cameo"], v["cameo_root"], v["quad_class"], v["goldstein"],
                 v["modality"], v["trigger"]["start"], v["trigger"]["end"], v["trigger"]["text"],
                 v["sentence"]["start"], v["sentence"]["end"], src.get("text"), src.get("actor_id"),
                 tgt.get("text"), tgt.get("actor_id"), loc.get("text"), loc.get("lat"), loc.get("lon"),
                 att.get("text"), day, v.get("date_precision") or ("day" if published else "unknown"),
                 json.dumps(v["explanation"], ensure_ascii=False), cluster,
                 *span_offsets(v, EVENT_ARGUMENTS).values()))

    # ---- reading -------------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        tables = ("documents", "sentences", "entities", "actors", "places", "events", "event_clusters", "quantities",
                  "stances", "runs")
        return {t: int(self.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]) for t in tables}
