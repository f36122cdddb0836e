"""A Dask cluster when one machine is not enough: one task per shard, Parquet out, nothing lost or doubled.

The client plans the shards (shards.py) and submits one task per shard; each
worker reads its own files, runs the same pipeline as ``marsad ingest`` and
writes its shard's Parquet files and manifest (sinks/dataset.py). Tasks are
idempotent — named by their shard, written atomically, skipped when their
manifest exists — so Dask may run one again after a worker dies, and a
re-run of the whole command resumes. ``marsad load`` then merges the output
into an SQLite store, in input order.

The scheduler and every worker need Marsad installed (the same version) and
the input and output paths at the same place.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from marsad.errors import MarsadError
from marsad.lifeline import guard
from marsad.parallel import PipelineSpec, analyse, settle_collector
from marsad.readers.base import InputItem, JsonlFields, Notice, Skip
from marsad.shards import Shard, read_shard
from marsad.sinks.dataset import Dataset

try:  # Dask is optional (marsad[cluster]); without it connect() says how to install it
    from distributed import WorkerPlugin as _WorkerPlugin
except ImportError:
    _WorkerPlugin = object

_local = threading.local()  # a worker thread's pipeline, built once (a pipeline is not shared between threads)


def _pipeline(spec: PipelineSpec):  # type: ignore[no-untyped-def]
    cache = getattr(_local, "pipelines", None)
    if cache is None:
        cache = _local.pipelines = {}
    if spec not in cache:
        cache[spec] = spec.build()
        settle_collector()
    return cache[spec]


def run_shard(shard: Shard, shard_id: str, job_id: str, spec: PipelineSpec, fields: JsonlFields, base: str,
              out: str) -> dict[str, Any]:
    """The task: analyse one shard and write its output; returns its manifest (the existing one if done)."""
    dataset = Dataset(out)
    done = dataset.manifest(shard_id)
    if done is not None:
        return done
    pipeline = _pipeline(spec)
    articles: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    for position, element in enumerate(read_shard(shard, fields, Path(base), spec.max_chars)):
        if isinstance(element, Skip):
            notes.append({"position": position, "kind": "skipped", "source": element.source,
                          "message": element.reason})
        elif isinstance(element, Notice):
            notes.append({"position": position, "kind": "note", "source": element.source,
                          "message": element.message})
        elif isinstance(element, InputItem):
            analysed = analyse(pipeline, element)
            if analysed.record is None:
                notes.append({"position": position, "kind": "skipped", "source": element.source,
                              "message": analysed.error or "", "article": True})
                continue
            articles.append({"doc_id": element.doc_id, "published": analysed.record.get("date"),
                             "position": position, "source": element.source,
                             "text_sha256": analysed.record["text_sha256"], "text": element.text,
                             "record": analysed.record})
    about = {"job": job_id, "number": shard.number, "inputs": [name for name, _ in shard.files],
             "lines": list(shard.lines) if shard.lines else None, "worker": socket.gethostname()}
    return dataset.write_shard(shard_id, articles, notes, about)


@dataclass
class JobStats:
    shards: int = 0
    already_done: int = 0
    articles: int = 0
    events: int = 0
    skipped: int = 0
    failed: list[str] = field(default_factory=list)  # "shard: why"

    def summary(self, out: str) -> str:
        line = (f"marsad: {self.shards} shards ({self.already_done} done before), {self.articles} articles, "
                f"{self.events} events, skipped {self.skipped} -> {out}")
        if self.failed:
            line += f"; {len(self.failed)} shards FAILED (run the same command again to retry them)"
        return line


def job_id_of(shard_ids: list[str]) -> str:
    return hashlib.sha256(" ".join(shard_ids).encode()).hexdigest()[:16]


def recipe_of(spec: PipelineSpec) -> str:
    from marsad import __version__

    return json.dumps({"marsad": __version__, **asdict(spec)}, sort_keys=True)


def run_job(client: Any, shards: list[Shard], spec: PipelineSpec, fields: JsonlFields, out: str, command: str,
            base: Path | None = None, on_shard: Callable[[dict[str, Any]], None] = lambda m: None,
            report: Callable[[str], None] = lambda m: None) -> JobStats:
    """Run every shard not yet done on the cluster ``client`` is connected to; ``on_shard`` hears each manifest."""
    from dask.distributed import as_completed

    dataset = Dataset(out)
    recipe = recipe_of(spec)
    ids = [s.shard_id(fields, recipe) for s in shards]
    job_id = job_id_of(ids)
    dataset.start_job(job_id, ids, command, recipe)
    stats = JobStats(shards=len(shards))
    todo = []
    for shard, sid in zip(shards, ids, strict=True):
        done = dataset.manifest(sid)
        if done is None:
            todo.append((shard, sid))
        else:
            stats.already_done += 1
            _count(stats, done)
            on_shard(done)
    base_dir = str((base or Path.cwd()).resolve())
    futures = {client.submit(run_shard, shard, sid, job_id, spec, fields, base_dir, dataset.url, key=f"marsad-{sid}",
                             pure=False, retries=1): sid for shard, sid in todo}
    for future in as_completed(futures):
        sid = futures[future]
        try:
            manifest = future.result()
        except Exception as exc:  # a shard whose task fails twice: the others go on, a re-run retries it
            stats.failed.append(f"{sid}: {type(exc).__name__}: {exc}")
            report(f"shard {sid} failed: {type(exc).__name__}: {exc}")
            continue
        _count(stats, manifest)
        on_shard(manifest)
    if not stats.failed:
        dataset.clean_temporary()
    return stats


def _count(stats: JobStats, manifest: dict[str, Any]) -> None:
    stats.articles += manifest["articles"]
    stats.events += manifest["events"]
    stats.skipped += sum(1 for n in manifest["notes"] if n["kind"] == "skipped")


class ParentGuard(_WorkerPlugin):  # type: ignore[misc,valid-type]
    """Makes each worker of a LocalCluster end when the process that started the cluster does, even killed with
    SIGKILL (lifeline.py).

    A LocalCluster runs its scheduler and nannies inside this process; each nanny's worker is a child of this
    process, spawned by that worker's "AsyncProcess … watch message queue" thread (distributed 2026.8), which
    lives until the nanny has seen the worker exit (``AsyncProcess.close()`` follows the exit), so
    PR_SET_PDEATHSIG, sent when the thread that started a process ends, fires only when this process dies.
    Dask's own guard, a worker thread waiting for a pipe from the nanny to close, cannot run while the
    analysis holds the GIL (a long regular expression): the kernel's signal needs no thread. The scheduler
    gives the plugin to every worker, those a nanny restarts included. Not for a remote cluster: its workers
    are not this process's children."""

    name = "marsad-parent-guard"

    def __init__(self, parent_pid: int) -> None:
        self.parent_pid = parent_pid

    def setup(self, worker: Any) -> None:
        guard(self.parent_pid)


@contextmanager
def connect(cluster: str, workers: int | None = None) -> Iterator[Any]:
    """A Dask client: ``local`` / ``local:N`` starts a cluster of N single-threaded worker processes on this
    machine (listening on 127.0.0.1 only); a scheduler address (``tcp://host:8786``) or a scheduler file
    (``scheduler.json``, as ``dask scheduler --scheduler-file`` writes) joins a running one."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise MarsadError("--cluster needs Dask: pip install 'marsad[cluster]'") from exc
    if cluster == "local" or cluster.startswith("local:"):
        from marsad.parallel import default_workers

        try:
            n = int(cluster.split(":", 1)[1]) if ":" in cluster else (workers or default_workers())
        except ValueError as exc:
            raise MarsadError(f"--cluster {cluster}: expected local:N, N a number of workers") from exc
        with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR) as local, \
                Client(local) as client:
            client.register_plugin(ParentGuard(os.getpid()))
            yield client
        return
    try:
        if cluster.endswith(".json") and Path(cluster).is_file():
            client = Client(scheduler_file=cluster, timeout="30s")
        else:
            client = Client(cluster, timeout="30s")
    except (OSError, TimeoutError) as exc:
        raise MarsadError(f"cannot reach the Dask scheduler at {cluster}: {exc}") from exc
    with client:
        yield client
