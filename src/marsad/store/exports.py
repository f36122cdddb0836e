"""Writing selected events for analysts' tools: CSV (spreadsheets, pandas), JSON Lines, GeoJSON (QGIS),
PLOVER JSON Lines and CAMEO/Phoenix TSV (event data tools: store/interchange.py), Parquet (store/parquet.py).

Each writer goes to a temporary file beside the target and renames it at the
end, so an interrupted export never leaves half a file under the real name; the file gets the
mode any other tool would give it (sinks/files.py).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO

from marsad.errors import MarsadError
from marsad.sinks.files import atomic_text_file
from marsad.store.interchange import write_phoenix, write_plover
from marsad.store.query import EVENT_COLUMNS

FORMATS = ("csv", "jsonl", "geojson", "plover", "cameo", "parquet")


def _write_csv(rows: Iterable[dict[str, Any]], fh: TextIO) -> int:
    writer = csv.DictWriter(fh, fieldnames=EVENT_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow(row)
        n += 1
    return n


def decoded(row: Any) -> dict[str, Any]:
    """An event row as a record: its explanation (stored as JSON text) read back into lists and objects."""
    return dict(row, explanation=json.loads(row["explanation"]))


def _write_jsonl(rows: Iterable[dict[str, Any]], fh: TextIO) -> int:
    n = 0
    for row in rows:
        fh.write(json.dumps(decoded(row), ensure_ascii=False) + "\n")
        n += 1
    return n


def _write_geojson(rows: Iterable[dict[str, Any]], fh: TextIO) -> int:
    """A FeatureCollection of the events that have coordinates (WGS 84, lon/lat order as RFC 7946 says)."""
    fh.write('{"type": "FeatureCollection", "features": [\n')
    n = 0
    for row in rows:
        if row["lat"] is None or row["lon"] is None:
            continue
        props = {k: v for k, v in row.items() if k not in ("lat", "lon", "explanation")}
        feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
                   "properties": props}
        fh.write(("," if n else "") + json.dumps(feature, ensure_ascii=False) + "\n")
        n += 1
    fh.write("]}\n")
    return n


WRITERS: dict[str, Callable[[Iterable[dict[str, Any]], TextIO], int]] = {
    "csv": _write_csv, "jsonl": _write_jsonl, "geojson": _write_geojson, "plover": write_plover,
    "cameo": write_phoenix,
}


def export(rows: Iterable[dict[str, Any]], fmt: str, out: Path | None, stdout: TextIO) -> int:
    """Write ``rows`` as ``fmt`` to ``out`` (atomically) or to ``stdout``; returns how many were written."""
    if fmt == "parquet":
        if out is None:
            raise MarsadError("Parquet is a directory of files: name it with --out DIR")
        from marsad.store.parquet import write_parquet_dataset

        return write_parquet_dataset(rows, out)
    if out is None:
        return WRITERS[fmt](rows, stdout)
    # utf-8-sig for CSV: spreadsheet programs then read the Arabic correctly
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    with atomic_text_file(out, encoding=encoding, newline="" if fmt == "csv" else None) as fh:
        return WRITERS[fmt](rows, fh)
