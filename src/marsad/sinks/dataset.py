"""A cluster job's output: Parquet partitioned by month, written shard by shard, each file atomically.

Layout under the output root (a local or shared directory, or an object
store URL such as ``s3://bucket/marsad/`` through pyarrow's file systems)::

    jobs/<job>.json                              the plan: its shards in input order
    articles/month=2018-03/<shard>.parquet       one row per article: the full record (JSON) and the text
    events/month=2018-03/<shard>.parquet         one row per event, flat (pandas, DuckDB, Spark)
    shards/<shard>.json                          written last: the shard is complete; its files, skips, notices

A shard's files are written under a temporary name and moved into place, and
its manifest only after them, so a worker killed half-way leaves no partial
file that counts; the shard's task, run again, writes the same names with the
same content. A shard whose manifest exists is not run again (a re-run
resumes). ``marsad load`` reads only what the manifests list.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from marsad.errors import MarsadError
from marsad.records import ARGUMENT_OFFSETS, EVENT_ARGUMENTS, span_offsets

UNKNOWN_MONTH = "unknown"
ARTICLE_COLUMNS = ("doc_id", "published", "position", "source", "text_sha256", "text", "record")
EVENT_COLUMNS = (
    "doc_id", "published", "url", "title", "outlet", "event", "type", "mode", "cameo", "cameo_root", "quad_class",
    "goldstein", "modality", "date", "date_precision", "trigger_text", "source_text", "source_actor_id",
    "target_text", "target_actor_id", "location_text", "lat", "lon", "attribution_text", "sentence",
    "trigger_start", "trigger_end", *ARGUMENT_OFFSETS, "explanation",
)
_INTS = {"position", "quad_class", "trigger_start", "trigger_end", *ARGUMENT_OFFSETS}
_FLOATS = {"goldstein", "lat", "lon"}


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.fs
        import pyarrow.parquet
    except ImportError as exc:
        raise MarsadError("cluster output is Parquet, which needs pyarrow: pip install 'marsad[cluster]'") from exc
    return pyarrow


def _schema(columns: tuple[str, ...]) -> Any:
    pa = _pyarrow()
    return pa.schema([(c, pa.int64() if c in _INTS else pa.float64() if c in _FLOATS else pa.string())
                      for c in columns])


def month_of(date: str | None) -> str:
    return (date or "")[:7] or UNKNOWN_MONTH


def event_rows(record: dict[str, Any], text: str) -> Iterator[dict[str, Any]]:
    """The record's events as flat rows (the column names of ``marsad export``)."""
    meta = record.get("meta") or {}
    for v in record["events"]:
        src, tgt, loc, att = (v.get(k) or {} for k in ("source", "target", "location", "attribution"))
        sentence = v["sentence"]
        yield {
            "doc_id": record["doc_id"], "published": record.get("date"), "url": meta.get("url"),
            "title": meta.get("title"), "outlet": meta.get("outlet") or meta.get("source"),
            "event": f"{record['doc_id']}#{v['id']}", "type": v["type"], "mode": v["mode"], "cameo": v["cameo"],
            "cameo_root": v["cameo_root"], "quad_class": v["quad_class"], "goldstein": v["goldstein"],
            "modality": v["modality"], "date": v.get("date") or (record.get("date") or "")[:10] or None,
            "date_precision": v.get("date_precision"), "trigger_text": v["trigger"]["text"],
            "source_text": src.get("text"), "source_actor_id": src.get("actor_id"), "target_text": tgt.get("text"),
            "target_actor_id": tgt.get("actor_id"), "location_text": loc.get("text"), "lat": loc.get("lat"),
            "lon": loc.get("lon"), "attribution_text": att.get("text"),
            "sentence": text[sentence["start"]:sentence["end"]], "trigger_start": v["trigger"]["start"],
            "trigger_end": v["trigger"]["end"], **span_offsets(v, EVENT_ARGUMENTS),
            "explanation": json.dumps(v["explanation"], ensure_ascii=False),
        }


class Dataset:
    """The output root of cluster jobs, on whatever file system its URL names."""

    def __init__(self, url: str) -> None:
        pa = _pyarrow()
        if "://" in url:
            self.fs, root = pa.fs.FileSystem.from_uri(url)
        else:
            self.fs, root = pa.fs.LocalFileSystem(), str(Path(url).resolve())
        self.root = root.rstrip("/")
        self.url = url

    def _path(self, *parts: str) -> str:
        return "/".join((self.root, *parts))

    def _exists(self, path: str) -> bool:
        return self.fs.get_file_info(path).type.name == "File"

    def _write_bytes(self, path: str, data: bytes) -> None:
        """Write under a temporary name, then move into place: readers see all of the file or none of it."""
        tmp = self._path("_tmp", f"{uuid.uuid4().hex}.part")
        self.fs.create_dir(self._path("_tmp"), recursive=True)
        self.fs.create_dir(path.rsplit("/", 1)[0], recursive=True)
        with self.fs.open_output_stream(tmp) as out:
            out.write(data)
        self.fs.move(tmp, path)

    def _read_json(self, path: str) -> dict[str, Any] | None:
        if not self._exists(path):
            return None
        with self.fs.open_input_stream(path) as f:
            return json.loads(f.read().decode("utf-8"))

    def _write_json(self, path: str, data: dict[str, Any]) -> None:
        self._write_bytes(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))

    # ---- jobs ---------------------------------------------------------------------------------------

    def start_job(self, job_id: str, shard_ids: list[str], command: str, recipe: str) -> dict[str, Any]:
        """The job's plan, written once: a re-run of the same job finds it and resumes."""
        path = self._path("jobs", f"{job_id}.json")
        job = self._read_json(path)
        if job is None:
            job = {"job": job_id, "created": datetime.now(UTC).isoformat(timespec="seconds"), "command": command,
                   "recipe": recipe, "shards": shard_ids}
            self._write_json(path, job)
        return job

    def jobs(self) -> list[dict[str, Any]]:
        """Every job planned into this root, oldest first."""
        found = self.fs.get_file_info(self._selector("jobs"))
        jobs = [self._read_json(f.path) for f in found if f.path.endswith(".json")]
        return sorted((j for j in jobs if j), key=lambda j: (j["created"], j["job"]))

    def _selector(self, folder: str) -> Any:
        return _pyarrow().fs.FileSelector(self._path(folder), allow_not_found=True)

    # ---- shards -------------------------------------------------------------------------------------

    def manifest(self, shard_id: str) -> dict[str, Any] | None:
        """The shard's manifest if it is complete, else None."""
        return self._read_json(self._path("shards", f"{shard_id}.json"))

    def write_shard(self, shard_id: str, articles: list[dict[str, Any]], notes: list[dict[str, Any]],
                    about: dict[str, Any]) -> dict[str, Any]:
        """Write a shard's articles (rows of ARTICLE_COLUMNS, the record as a dict: stored as JSON), their events,
        then its manifest."""
        pa = _pyarrow()
        months: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in articles:
            months[month_of(row["published"])].append(row)
        files: list[str] = []
        events = 0
        for month, records in sorted(months.items()):
            evs = [e for r in records for e in event_rows(r["record"], r["text"])]
            rows = [{**r, "record": json.dumps(r["record"], ensure_ascii=False)} for r in records]
            events += len(evs)
            for kind, table_rows, columns in (("articles", rows, ARTICLE_COLUMNS), ("events", evs, EVENT_COLUMNS)):
                if not table_rows:
                    continue
                name = f"{kind}/month={month}/{shard_id}.parquet"
                table = pa.Table.from_pylist([{c: r.get(c) for c in columns} for r in table_rows],
                                             schema=_schema(columns))
                sink = pa.BufferOutputStream()
                pa.parquet.write_table(table, sink)
                self._write_bytes(self._path(name), sink.getvalue().to_pybytes())
                files.append(name)
        manifest = {"shard": shard_id, **about, "articles": len(articles), "events": events, "files": files,
                    "notes": notes, "finished": datetime.now(UTC).isoformat(timespec="seconds")}
        self._write_json(self._path("shards", f"{shard_id}.json"), manifest)
        return manifest

    def read_articles(self, manifest: dict[str, Any]) -> list[dict[str, Any]]:
        """The shard's article rows, in input order."""
        pq = _pyarrow().parquet
        rows: list[dict[str, Any]] = []
        for name in manifest["files"]:
            if name.startswith("articles/"):
                rows += pq.read_table(self._path(name), filesystem=self.fs).to_pylist()
        return sorted(rows, key=lambda r: r["position"])

    def clean_temporary(self) -> None:
        """Remove what killed workers left half-written (never counted: no manifest lists it)."""
        self.fs.delete_dir_contents(self._path("_tmp"), missing_dir_ok=True)
