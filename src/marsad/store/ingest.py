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
from typing import Any

from marsad.parallel import Analysed, PipelineSpec, analyse_stream
from marsad.pipeline import Pipeline
from marsad.readers.base import LossyReads, skip_category
from marsad.sources import InputItem, Notice, Skip
from marsad.store.sqlite import EventStore, content_hash

DEFAULT_BATCH = 100


@dataclass
class IngestStats:
    stored: int = 0
    already_stored: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    notices: int = 0
    lossy: LossyReads = field(default_factory=LossyReads)

    def summary(self) -> str:
        n = sum(self.skipped.values())
        line = f"marsad: stored {self.stored}, already stored {self.already_stored}, skipped {n}"
        if n:
            line += " (" + "; ".join(f"{k} {why}" for why, k in self.skipped.most_common()) + ")"
        return line + self.lossy.summary()


@dataclass(frozen=True, slots=True)
class _Stored:
    """An article whose text the store already has."""


@dataclass(frozen=True, slots=True)
class _Repeat:
    """An article whose text came earlier in this run: it shares that one's fate (stored, or skipped and why)."""

    text_hash: str
    source: str


def ingest(items: Iterable[InputItem | Skip | Notice], spec: PipelineSpec, writer: StoreWriter, workers: int = 1,
           pipeline: Pipeline | None = None) -> IngestStats:
    """Store every article of ``items`` with ``writer``, which hears each skip and notice and keeps the counts
    (read ``writer.stats`` when the run ends early: they count what was committed).

    Articles are analysed by ``workers`` processes (parallel.py) and stored by this one, in input order, so
    the store is the same whatever the number of workers."""
    return writer.write(analyse_stream(writer.new_only(items), spec, workers, pipeline=pipeline))


class StoreWriter:
    """The one writer: analysed articles into the store in batches, each batch one transaction.

    ``new_only`` marks what the store (or this run) already has before it is analysed — or, for articles a
    cluster analysed (``marsad load``), before it is stored — so nothing is stored twice.
    """

    def __init__(self, store: EventStore, run_id: int, report: Callable[[str, str, str], None],
                 advance: Callable[[], None] = lambda: None, batch_size: int = DEFAULT_BATCH) -> None:
        self.store, self.run_id, self.report, self.advance, self.batch_size = store, run_id, report, advance, batch_size
        self.stats = IngestStats()
        self._batch: list[tuple[dict, str, str]] = []
        self._issues: list[tuple[str, str, str]] = []
        self._in_flight: set[str] = set()  # hashes on their way to the store
        self._ids_in_flight: set[str] = set()
        self._failed: dict[str, str] = {}  # hashes of this run's texts that could not be analysed, and why

    def new_only(self, elements: Iterable[Any]) -> Iterator[Any]:
        """The stream with each article the store already has replaced by a marker (articles: InputItem or
        Analysed); a new article whose id is taken by another text gets a Notice before it."""
        for element in elements:
            item = element.item if isinstance(element, Analysed) else element
            if not isinstance(item, InputItem):
                yield element
                continue
            text_hash = content_hash(item.text)
            if text_hash in self._in_flight:
                yield _Repeat(text_hash, item.source)
                continue
            if self.store.stored_hash_for(text_hash):
                yield _Stored()
                continue
            if item.doc_id in self._ids_in_flight or self.store.doc_id_taken(item.doc_id):
                yield Notice(item.source, f"id {item.doc_id!r} is already stored with another text; "
                                          "both are kept (told apart by their content hash)")
            self._in_flight.add(text_hash)
            self._ids_in_flight.add(item.doc_id)
            yield element

    def write(self, elements: Iterable[Any]) -> IngestStats:
        """Store the analysed articles of ``elements`` and log its skips and notices, in stream order."""
        stats = self.stats
        for element in elements:
            if isinstance(element, Skip):
                self._note("skipped", element.source, element.reason)
                stats.skipped[skip_category(element.reason)] += 1
            elif isinstance(element, Notice):
                self._note("note", element.source, element.message)
                stats.notices += 1
                stats.lossy.count(element)
            elif isinstance(element, _Stored):
                stats.already_stored += 1
                self.advance()
            elif isinstance(element, _Repeat):
                why = self._failed.get(element.text_hash)
                if why is None:
                    stats.already_stored += 1
                else:  # the same (empty, oversized…) text as an article skipped before it
                    self._note("skipped", element.source, why)
                    stats.skipped[skip_category(why)] += 1
                self.advance()
            elif isinstance(element, Analysed):
                if element.record is None:
                    self._note("skipped", element.item.source, element.error or "")
                    stats.skipped[skip_category(element.error or "")] += 1
                    self._failed[content_hash(element.item.text)] = element.error or ""
                else:
                    self._batch.append((element.record, element.item.text, element.item.source))
                self.advance()
            if len(self._batch) >= self.batch_size or len(self._issues) >= 10 * self.batch_size:
                self._flush()
        self._flush()
        return stats

    def _note(self, kind: str, source: str, reason: str) -> None:
        self.report(kind, source, reason)
        self._issues.append((kind, source, reason))

    def _flush(self) -> None:
        stats = self.stats
        stored = already = 0
        skipped: Counter[str] = Counter()
        with self.store.transaction():
            for record, text, source in self._batch:
                added, reason = self.store.add_safely(record, text, source, self.run_id)
                if reason is not None:
                    self.report("skipped", source, reason)
                    self.store.log_issue(self.run_id, source, "skipped", reason)
                    skipped[skip_category(reason)] += 1
                    continue
                if added is None:  # another writer stored the same text since new_only looked
                    already += 1
                else:
                    stored += 1
            for kind, source, reason in self._issues:
                self.store.log_issue(self.run_id, source, kind, reason)
            self.store.count_run(self.run_id, stats.stored + stored, stats.already_stored + already,
                                 sum(stats.skipped.values()) + sum(skipped.values()))
        # counted once committed, so an interrupted run reports what the store really holds
        stats.stored += stored
        stats.already_stored += already
        stats.skipped.update(skipped)
        for record, _, _ in self._batch:
            self._in_flight.discard(record["text_sha256"])
            self._ids_in_flight.discard(record["doc_id"])
        self._batch.clear()
        self._issues.clear()
