"""Corpus → event store: read, analyse, and store in whole-batch transactions, losing and duplicating nothing.

Every input is accounted for: stored, already stored (the same text, by
SHA-256 — so a re-run or a resumed run adds nothing twice), or skipped with
its source and reason, which go to the run log (``run_issues``) in the same
transaction as the batch they arrived with.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from marsad.errors import MarsadError
from marsad.pipeline import Pipeline
from marsad.records import document_to_dict
from marsad.sources import InputItem, Notice, Skip
from marsad.store.sqlite import EventStore, content_hash

DEFAULT_BATCH = 100


@dataclass
class IngestStats:
    stored: int = 0
    already_stored: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    notices: int = 0

    def summary(self) -> str:
        n = sum(self.skipped.values())
        line = f"marsad: stored {self.stored}, already stored {self.already_stored}, skipped {n}"
        if n:
            line += " (" + "; ".join(f"{k} {why}" for why, k in self.skipped.most_common()) + ")"
        return line


def ingest(items: Iterable[InputItem | Skip | Notice], pipeline: Pipeline, store: EventStore, run_id: int,
           report: Callable[[str, str, str], None], advance: Callable[[], None] = lambda: None,
           batch_size: int = DEFAULT_BATCH) -> IngestStats:
    """Store every article of ``items``; ``report(kind, source, message)`` hears each skip and notice."""
    stats = IngestStats()
    batch: list[tuple[dict, str, str]] = []
    issues: list[tuple[str, str, str]] = []
    pending_hashes: set[str] = set()
    pending_ids: set[str] = set()

    def flush() -> None:
        with store.transaction():
            for record, text, source in batch:
                store.add(record, text, source, run_id)
            for kind, source, reason in issues:
                store.log_issue(run_id, source, kind, reason)
        stats.stored += len(batch)
        batch.clear()
        issues.clear()
        pending_hashes.clear()
        pending_ids.clear()

    def note(kind: str, source: str, reason: str) -> None:
        report(kind, source, reason)
        issues.append((kind, source, reason))

    for item in items:
        if isinstance(item, Skip):
            note("skipped", item.source, item.reason)
            stats.skipped[item.reason.split(" (")[0].split(":")[0]] += 1
        elif isinstance(item, Notice):
            note("note", item.source, item.message)
            stats.notices += 1
        else:
            text_hash = content_hash(item.text)
            if text_hash in pending_hashes or store.stored_hash_for(text_hash):
                stats.already_stored += 1
            else:
                if item.doc_id in pending_ids or store.doc_id_taken(item.doc_id):
                    note("note", item.source, f"id {item.doc_id!r} is already stored with another text; "
                                              "both are kept (told apart by their content hash)")
                    stats.notices += 1
                try:
                    doc = pipeline(item.text, doc_id=item.doc_id, date=item.meta.get("date"), meta=item.meta)
                except MarsadError as exc:
                    reason = getattr(exc, "reason", str(exc))
                    note("skipped", item.source, reason)
                    stats.skipped[reason.split(" (")[0].split(":")[0]] += 1
                else:
                    batch.append((document_to_dict(doc), item.text, item.source))
                    pending_hashes.add(text_hash)
                    pending_ids.add(item.doc_id)
            advance()
        if len(batch) >= batch_size or len(issues) >= 10 * batch_size:
            flush()
    flush()
    return stats
