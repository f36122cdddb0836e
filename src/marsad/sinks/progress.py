"""The progress bar of long runs: articles done, articles/s and, when the input's size is known, the time left.

The total is estimated before the run by counting cheaply (lines of a JSON
Lines or CSV file, files in a directory, entries of a feed) without parsing
anything; when that would take too long (inputs over ``MAX_COUNT_BYTES``) or
the input is a stream, the bar shows the count and the rate alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext
from pathlib import Path

from marsad.readers.base import count_lines

MAX_COUNT_BYTES = 2_000_000_000
_LINES = (".jsonl", ".ndjson", ".csv", ".tsv")
_FEEDS = (".rss", ".atom", ".xml")
_ONE = (".txt", ".html", ".htm")


def _count_file(path: Path) -> int:
    name = path.name.lower()
    plain = name[:-3] if name.endswith(".gz") else name
    if plain.endswith(_LINES):
        return max(count_lines(path) - (1 if plain.endswith((".csv", ".tsv")) else 0), 0)
    if plain.endswith(_FEEDS):
        data = path.read_bytes()
        return data.count(b"<item") + data.count(b"<entry")
    return 1 if plain.endswith(_ONE) else 0


def estimate_total(paths: Sequence[str]) -> int | None:
    """About how many articles ``paths`` hold, or None when it is not cheap to know."""
    files: list[Path] = []
    for arg in paths:
        path = Path(arg)
        if arg == "-" or not path.exists():
            return None if arg == "-" else 0
        files += sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    try:
        if sum(f.stat().st_size for f in files) > MAX_COUNT_BYTES:
            return None
        return sum(_count_file(f) for f in files)
    except (OSError, EOFError):
        return None  # the readers will report what is wrong with it


def progress_bar(enabled: bool, total: int | None = None):  # type: ignore[no-untyped-def]
    """A progress bar on stderr (``progress.update(progress.task_ids[0], advance=1)`` per article), or nothing."""
    if not enabled:
        return nullcontext(None)
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        ProgressColumn,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task):  # type: ignore[no-untyped-def]
            return Text(f"{task.speed:.1f} articles/s" if task.speed else "")

    class ArticleProgress(Progress):
        def __enter__(self) -> Progress:
            super().__enter__()
            self.add_task("articles", total=total or None)
            return self

    if total:
        columns = (BarColumn(), TextColumn("{task.completed}/{task.total} articles"), RateColumn(),
                   TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn())
    else:
        columns = (SpinnerColumn(), TextColumn("{task.completed} articles"), RateColumn(), TimeElapsedColumn())
    return ArticleProgress(*columns, console=Console(stderr=True), transient=True)
