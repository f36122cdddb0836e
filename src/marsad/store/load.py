"""`marsad load`: a cluster job's Parquet output into the SQLite event store, as `marsad ingest` would store it.

Shards are read in input order (each job's plan), their articles and notes
merged by position, and stored by the same writer as ``ingest`` — the same
rows in the same order, the same batches and transactions, and the same
de-duplication by text hash, so loading twice (or two overlapping jobs) adds
nothing twice.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from marsad.errors import MarsadError
from marsad.parallel import Analysed
from marsad.readers.base import InputItem, Notice, Skip
from marsad.sinks.dataset import Dataset
from marsad.store.ingest import DEFAULT_BATCH, IngestStats, StoreWriter
from marsad.store.sqlite import EventStore


@dataclass
class LoadReport:
    jobs: int = 0
    shards: int = 0
    unfinished: list[str] = field(default_factory=list)  # "job: n of m shards not finished"
    unreadable: list[str] = field(default_factory=list)  # "shard: why"


def load(out: str, store: EventStore, run_id: int, report: Callable[[str, str, str], None],
         advance: Callable[[], None] = lambda: None, batch_size: int = DEFAULT_BATCH) -> tuple[IngestStats, LoadReport]:
    """Store what every finished shard under ``out`` holds; unfinished shards are counted, not guessed at."""
    dataset = Dataset(out)
    jobs = dataset.jobs()
    if not jobs:
        raise MarsadError(f"{out}: no cluster job output here (expected jobs/*.json, as `marsad ingest --cluster` "
                          "writes)")
    summary = LoadReport(jobs=len(jobs))
    writer = StoreWriter(store, run_id, report, advance, batch_size)
    return writer.write(writer.new_only(_elements(dataset, jobs, summary))), summary


def _elements(dataset: Dataset, jobs: list[dict[str, Any]], summary: LoadReport) -> Iterator[Any]:
    for job in jobs:
        missing = 0
        for shard_id in job["shards"]:
            manifest = dataset.manifest(shard_id)
            if manifest is None:
                missing += 1
                continue
            try:
                elements = _shard_elements(dataset, manifest)  # read whole before any of it is stored
            except (OSError, ValueError) as exc:  # pyarrow's errors are these: a damaged or missing part file
                summary.unreadable.append(f"shard {shard_id}: {type(exc).__name__}: {exc} (delete "
                                          f"shards/{shard_id}.json and re-run the job to write it again)")
                continue
            summary.shards += 1
            yield from elements
        if missing:
            summary.unfinished.append(f"job {job['job']}: {missing} of {len(job['shards'])} shards not finished "
                                      f"(re-run: {job['command']})")


def _shard_elements(dataset: Dataset, manifest: dict[str, Any]) -> list[Any]:
    """The shard's stream as the worker read it: articles (already analysed), skips and notices, in order."""
    elements: list[tuple[int, Any]] = []
    for row in dataset.read_articles(manifest):
        record = json.loads(row["record"])
        item = InputItem(row["doc_id"], row["text"], row["source"], record.get("meta") or {})
        elements.append((row["position"], Analysed(item, record=record)))
    for note in manifest["notes"]:
        cls = Skip if note["kind"] == "skipped" else Notice
        elements.append((note["position"], cls(note["source"], note["message"])))
    elements.sort(key=lambda pe: pe[0])
    return [element for _, element in elements]
