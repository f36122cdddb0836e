"""Parquet export: a directory partitioned by the event's month (``month=2018-03/part-0.parquet``).

Opens in pandas (``pd.read_parquet(dir)``), DuckDB
(``read_parquet('dir/*/*.parquet', hive_partitioning = true)``) and Spark.
Written into a temporary directory beside the target and swapped in whole,
so an interrupted export never leaves a half-written data set.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from marsad.errors import MarsadError
from marsad.records import ARGUMENT_OFFSETS
from marsad.sinks.files import new_dir_mode
from marsad.store.query import EVENT_COLUMNS

_INTS = {"quad_class", "trigger_start", "trigger_end", *ARGUMENT_OFFSETS, "cluster", "cluster_mentions",
         "cluster_articles"}
_FLOATS = {"goldstein", "lat", "lon", "killed", "injured", "detained"}
UNKNOWN_MONTH = "unknown"


def _schema():  # type: ignore[no-untyped-def]
    import pyarrow as pa

    def kind(col: str):  # type: ignore[no-untyped-def]
        return pa.int64() if col in _INTS else pa.float64() if col in _FLOATS else pa.string()

    return pa.schema([(c, kind(c)) for c in EVENT_COLUMNS])


def _import_pyarrow() -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError as exc:
        raise MarsadError("Parquet export needs pyarrow: pip install 'marsad[parquet]'") from exc


def write_parquet_dataset(rows: Iterable[dict[str, Any]], out: Path) -> int:
    """Write ``rows`` under ``out`` (a directory, replaced whole); returns how many were written."""
    _import_pyarrow()
    import pyarrow as pa
    import pyarrow.parquet as pq

    if out.exists() and not out.is_dir():
        raise MarsadError(f"{out}: Parquet output is a directory, and this is a file")
    months: dict[str, list[dict[str, Any]]] = defaultdict(list)
    n = 0
    for row in rows:
        months[(row["date"] or "")[:7] or UNKNOWN_MONTH].append(row)
        n += 1
    out.parent.mkdir(parents=True, exist_ok=True)
    mode = new_dir_mode(out)
    tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp"))
    try:
        os.chmod(tmp, mode)  # mkdtemp's drwx------ would keep colleagues out of the data set
        schema = _schema()
        for month, part in sorted(months.items()):
            table = pa.Table.from_pylist([{c: r.get(c) for c in EVENT_COLUMNS} for r in part], schema=schema)
            (tmp / f"month={month}").mkdir()
            pq.write_table(table, tmp / f"month={month}" / "part-0.parquet")
        _swap_in(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return n


def _swap_in(new: Path, out: Path) -> None:
    """Put directory ``new`` at ``out``, replacing what was there only once ``new`` is complete."""
    if not out.exists():
        os.replace(new, out)
        return
    old = out.with_name(f".{out.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    os.replace(out, old)
    os.replace(new, out)
    shutil.rmtree(old, ignore_errors=True)
