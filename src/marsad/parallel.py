"""All local cores: analyse a stream of articles in a process pool, in input order.

The reading, the bookkeeping and the one writer (the database, the output
files) stay in the calling process; only the analysis goes to the workers,
in chunks of articles so that the per-task cost (pickling, scheduling) stays
small beside the work. Results come back in input order, so a run with N
workers gives the records, ids and database rows of a run with one.

Each worker builds its pipeline once, from a :class:`PipelineSpec` (the
recipe, not the loaded knowledge, crosses the process boundary). A worker
that dies (killed, out of memory) costs nothing: the pool is rebuilt and its
chunk analysed again. Nor does an article that trips a bug: it is skipped with
its reason, like an empty one. Workers end with this process, even when it is
killed with SIGKILL (lifeline.py).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marsad.doc import Document
from marsad.errors import MarsadError
from marsad.lifeline import guard
from marsad.pipeline import DEFAULT_MAX_CHARS, Knowledge, Pipeline
from marsad.sources import InputItem

DEFAULT_CHUNK = 16  # articles per task: ~0.3 s of work at 60 articles/s, far above the pool's per-task cost


def default_workers() -> int:
    """The cores this process may use (the affinity mask where the OS has one, as under SLURM or taskset)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


_COLLECTOR_THRESHOLD = 10_000  # container allocations between young-generation collections (CPython: 700)
_collector_settled = False


def settle_collector() -> None:
    """Set this process's cycle collector up for a long analysis (once a process; call it with the knowledge
    loaded).

    An article allocates tens of thousands of short-lived containers, so at CPython's default threshold the
    collector ran ~1,400 times per 2,000 articles, rescanning the survivors each time: ~6% of the time
    (benchmarks/README.md). What is loaded by now (dictionaries, tries, the models) lives as long as the
    process: frozen, the collector never scans it again, and forked workers do not copy its pages by
    writing the collector's marks into them. Garbage is still freed by reference counting as before;
    only reference cycles wait a little longer."""
    global _collector_settled
    if _collector_settled:
        return
    _collector_settled = True
    gc.collect()
    gc.freeze()
    gc.set_threshold(_COLLECTOR_THRESHOLD, *gc.get_threshold()[1:])


def worker_count(requested: int | None, total: int | None) -> int:
    """``--workers``, else one per core — but no more than the input has chunks for (a pool costs a second)."""
    n = requested or default_workers()
    if total is not None:
        n = min(n, max(1, -(-total // DEFAULT_CHUNK)))
    return n


@dataclass(frozen=True)
class PipelineSpec:
    """How to build the pipeline: picklable, so each worker builds its own."""

    actor_files: tuple[str, ...] = ()
    place_files: tuple[str, ...] = ()
    max_chars: int = DEFAULT_MAX_CHARS

    def build(self) -> Pipeline:
        return Pipeline.default(Knowledge(actor_files=self.actor_files, place_files=self.place_files),
                                max_chars=self.max_chars)

    @classmethod
    def of(cls, actor_files: Iterable[str | Path] = (), place_files: Iterable[str | Path] = (),
           max_chars: int = DEFAULT_MAX_CHARS) -> PipelineSpec:
        return cls(tuple(str(p) for p in actor_files), tuple(str(p) for p in place_files), max_chars)


@dataclass(frozen=True, slots=True)
class Analysed:
    """An article and what the pipeline made of it: the document record, or why it could not."""

    item: InputItem
    record: dict[str, Any] | None = None
    error: str | None = None
    document: Document | None = None  # only when analysed in this process and asked for (terminal tables)
    line: str | None = None  # instead of the record, when asked for: ``{"id": …, **record}`` as one JSON line
    notes: tuple[str, ...] = ()  # what the user should know about the result: "mostly not Arabic text"

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass
class _Chunk:
    elements: list[Any] = field(default_factory=list)
    work: list[int] = field(default_factory=list)  # positions of the articles to analyse


def analyse(pipeline: Pipeline, item: InputItem, keep_document: bool = False, as_line: bool = False) -> Analysed:
    """One article. ``as_line``: the record comes back encoded as its JSON Lines line instead (in a worker,
    so that the encoding is done in parallel and the parent unpickles one string, not a tree of dicts)."""
    from marsad.records import document_to_dict

    try:
        doc = pipeline(item.text, doc_id=item.doc_id, date=item.meta.get("date"), meta=item.meta)
        record = document_to_dict(doc)
        notes = (doc.language_notice,) if doc.language_notice else ()
        if as_line:
            from marsad.sinks.files import jsonl_line

            line = jsonl_line({"id": item.doc_id, **record})
            line.encode("utf-8")  # a lone surrogate would stop the writer later, with the whole run
            return Analysed(item, line=line, document=doc if keep_document else None, notes=notes)
    except MarsadError as exc:
        return Analysed(item, error=getattr(exc, "reason", str(exc)))
    except Exception as exc:  # a bug tripped by odd input: this article is skipped with its reason, the run goes on
        return Analysed(item, error=internal_error(exc))
    return Analysed(item, record=record, document=doc if keep_document else None, notes=notes)


REASON_CHARS = 200


def internal_error(exc: BaseException) -> str:
    """A skip's reason for an unexpected exception: ``internal error (Type: message)``, on one line, at most
    :data:`REASON_CHARS` characters, and writable anywhere (a message may quote the odd input itself)."""
    message = " ".join(str(exc).split()).encode("utf-8", "backslashreplace").decode("utf-8")
    reason = f"internal error ({type(exc).__name__}{': ' + message if message else ''})"
    return reason if len(reason) <= REASON_CHARS else reason[:REASON_CHARS - 2] + "…)"


_worker_pipeline: Pipeline | None = None


def _init_worker(spec: PipelineSpec, parent_pid: int) -> None:
    global _worker_pipeline
    guard(parent_pid)  # first: a parent killed while this worker loads must not leave it behind
    if _worker_pipeline is None:  # spawned, not forked from a process that had it
        _worker_pipeline = spec.build()
    settle_collector()


def _analyse_chunk(items: list[InputItem], as_line: bool = False) -> list[Analysed]:
    assert _worker_pipeline is not None, "worker not initialised"
    return [analyse(_worker_pipeline, item, as_line=as_line) for item in items]


def analyse_stream(stream: Iterable[Any], spec: PipelineSpec, workers: int = 1, *,
                   wanted: Callable[[Any], bool] = lambda x: isinstance(x, InputItem),
                   pipeline: Pipeline | None = None, chunk_size: int = DEFAULT_CHUNK,
                   keep_document: bool = False, as_lines: bool = False) -> Iterator[Any]:
    """The elements of ``stream`` in order, each one ``wanted`` replaced by its :class:`Analysed`.

    Everything else (skips, notices, markers) passes through untouched, in place. ``workers`` 1 analyses in
    this process (with ``pipeline`` if given); more use a process pool with a bounded number of chunks in
    flight, so memory stays flat however long the stream. ``as_lines``: each record comes as its JSON Lines
    line (:attr:`Analysed.line`), encoded where it was analysed.
    """
    if workers <= 1:
        local = pipeline or spec.build()
        settle_collector()
        for element in stream:
            yield analyse(local, element, keep_document, as_lines) if wanted(element) else element
        return
    yield from _pooled(stream, spec, workers, wanted, chunk_size, pipeline, as_lines)


def _chunks(stream: Iterable[Any], wanted: Callable[[Any], bool], size: int) -> Iterator[_Chunk]:
    chunk = _Chunk()
    for element in stream:
        if wanted(element):
            chunk.work.append(len(chunk.elements))
        chunk.elements.append(element)
        if len(chunk.work) >= size:
            yield chunk
            chunk = _Chunk()
    if chunk.elements:
        yield chunk


def _pooled(stream: Iterable[Any], spec: PipelineSpec, workers: int, wanted: Callable[[Any], bool],
            chunk_size: int, pipeline: Pipeline | None, as_lines: bool = False) -> Iterator[Any]:
    global _worker_pipeline
    context = None
    if "fork" in multiprocessing.get_all_start_methods():
        # Forked workers start with the loaded pipeline (seconds of loading saved per worker, pages shared).
        _worker_pipeline = pipeline or spec.build()
        settle_collector()  # before the fork: the workers inherit it, and the frozen pages stay shared
        context = multiprocessing.get_context("fork")

    def new_pool() -> ProcessPoolExecutor:
        # Each worker guards itself against this process's death, with PR_SET_PDEATHSIG on Linux (lifeline.py),
        # which the kernel sends when the *thread* that forked the worker ends. Forked workers are all started
        # by the first submit() (3.11-3.13: never by the pool's manager thread, which only replaces workers
        # when max_tasks_per_child is set), so by the thread iterating this generator, which shuts the pool
        # down in the finally below before it can end. Were a thread to abandon the generator half-way and end,
        # its workers would die with it: the pool is then broken, and finish() rebuilds it and redoes their work.
        return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker,
                                   initargs=(spec, os.getpid()))

    pool = new_pool()
    in_flight: deque[tuple[_Chunk, Future[list[Analysed]] | None]] = deque()

    def submit(chunk: _Chunk) -> Future[list[Analysed]] | None:
        if not chunk.work:
            return None
        try:
            return pool.submit(_analyse_chunk, [chunk.elements[i] for i in chunk.work], as_lines)
        except BrokenProcessPool as exc:  # a worker died before its chunk was collected: finish() redoes this one
            broken: Future[list[Analysed]] = Future()
            broken.set_exception(exc)
            return broken

    def rescue(items: list[InputItem]) -> list[Analysed]:
        """After a worker died: one article a task, so that only an article that kills its worker is lost."""
        nonlocal pool
        results = []
        for item in items:
            try:
                results.append(pool.submit(_analyse_chunk, [item], as_lines).result()[0])
            except BrokenProcessPool:
                pool.shutdown(wait=False, cancel_futures=True)
                pool = new_pool()
                results.append(Analysed(item, error="the analysis killed its worker process (out of memory?)"))
            except Exception as exc:  # the article or its record could not cross to or from the worker
                results.append(Analysed(item, error=internal_error(exc)))
        return results

    def finish(chunk: _Chunk, future: Future[list[Analysed]] | None) -> list[Any]:
        nonlocal pool
        if future is None:
            return chunk.elements
        try:
            results = future.result()
        except BrokenProcessPool:  # a worker died, and every task in flight with it: redo them in a new pool
            pool.shutdown(wait=False, cancel_futures=True)
            pool = new_pool()
            results = rescue([chunk.elements[i] for i in chunk.work])
            pending = [c for c, _ in in_flight]
            in_flight.clear()
            in_flight.extend((c, submit(c)) for c in pending)
        except Exception:  # one article of the chunk failed outside analyse() (pickling): find it, keep the rest
            results = rescue([chunk.elements[i] for i in chunk.work])
        out = list(chunk.elements)
        for i, analysed in zip(chunk.work, results, strict=True):
            out[i] = analysed
        return out

    try:
        for chunk in _chunks(stream, wanted, chunk_size):
            in_flight.append((chunk, submit(chunk)))
            while len(in_flight) > 4 * workers:  # room for a slow chunk at the head
                yield from finish(*in_flight.popleft())
        while in_flight:
            yield from finish(*in_flight.popleft())
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
