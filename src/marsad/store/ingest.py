"""Corpus → event store: read, analyse, and store in whole-batch transactions, losing and duplicating nothing.

Every input is accounted for: stored, already stored (the same text, by
SHA-256 — so a re-run or a resumed run adds nothing twice), or skipped with
its source and reason, which go to the run log (``run_issues``) in the same
transaction as the batch they arrived with.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from marsad.parallel import Analysed, PipelineSpec, analyse_stream
from marsad.pipeline import Pipeline
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


@dataclass(frozen=True, slots=True)
class _Stored:
    """An article whose text the store (or this run) already has."""


def ingest(items: Iterable[InputItem | Skip | Notice], spec: PipelineSpec, store: EventStore, run_id: int,
           report: Callable[[str, str, str], None], advance: Callable[[], None] = lambda: None,
           batch_size: int = DEFAULT_BATCH, workers: int = 1, pipeline: Pipeline | None = None) -> IngestStats:
    """Store every article of ``items``; ``report(kind, source, message)`` hears each skip and notice.

    Articles are analysed by ``workers`` processes (parallel.py) and stored by this one, in input order, so
    the store is the same whatever the number of workers."""
    stats = IngestStats()
    batch: list[tuple[dict, str, str]] = []
    issues: list[tuple[str, str, str]] = []
    in_flight: set[str] = set()  # hashes sent for analysis and not yet stored
    ids_in_flight: set[str] = set()

    def flush() -> None:
        with store.transaction():
            for record, text, source in batch:
                store.add(record, text, source, run_id)
            for kind, source, reason in issues:
                store.log_issue(run_id, source, kind, reason)
        stats.stored += len(batch)
        for record, _, _ in batch:
            in_flight.discard(record["text_sha256"])
            ids_in_flight.discard(record["doc_id"])
        batch.clear()
        issues.clear()

    def note(kind: str, source: str, reason: str) -> None:
        report(kind, source, reason)
        issues.append((kind, source, reason))

    def to_analyse() -> Iterator[InputItem | Skip | Notice | _Stored]:
        """The stream with what is already stored marked, so only new articles go to the workers."""
        for item in items:
            if not isinstance(item, InputItem):
                yield item
                continue
            text_hash = content_hash(item.text)
            if text_hash in in_flight or store.stored_hash_for(text_hash):
                yield _Stored()
                continue
            if item.doc_id in ids_in_flight or store.doc_id_taken(item.doc_id):
                yield Notice(item.source, f"id {item.doc_id!r} is already stored with another text; "
                                          "both are kept (told apart by their content hash)")
            in_flight.add(text_hash)
            ids_in_flight.add(item.doc_id)
            yield item

    for element in analyse_stream(to_analyse(), spec, workers, pipeline=pipeline):
        if isinstance(element, Skip):
            note("skipped", element.source, element.reason)
            stats.skipped[_category(element.reason)] += 1
        elif isinstance(element, Notice):
            note("note", element.source, element.message)
            stats.notices += 1
        elif isinstance(element, _Stored):
            stats.already_stored += 1
            advance()
        elif isinstance(element, Analysed):
            if element.record is None:
                note("skipped", element.item.source, element.error or "")
                stats.skipped[_category(element.error or "")] += 1
                in_flight.discard(content_hash(element.item.text))
            else:
                batch.append((element.record, element.item.text, element.item.source))
            advance()
        if len(batch) >= batch_size or len(issues) >= 10 * batch_size:
            flush()
    flush()
    return stats


def _category(reason: str) -> str:
    """The summary's name for a kind of skip: the reason without its particulars."""
    return reason.split(" (")[0].split(":")[0]
