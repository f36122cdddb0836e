"""The progress bar of long runs: articles done, articles/s and, when the input's size is known, the time left.

The total is estimated before the run by counting cheaply (lines of a JSON
Lines or CSV file, files in a directory, entries of a feed) without parsing
anything; when that would take too long (inputs over ``MAX_COUNT_BYTES``) or
the input is a stream, the bar shows the count and the rate alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import nullcontext
from datetime import timedelta
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


RATE_AFTER_SECONDS = 2.0  # before this, or before RATE_AFTER_ARTICLES, a rate is the noise of the first article
RATE_AFTER_ARTICLES = 20


def rate_text(completed: float, elapsed: float | None, speed: float | None) -> str:
    """The rate to show («12.3 articles/s»), or nothing while too few articles or seconds have passed for
    it to mean anything (the first article alone gives rates like 185162.3 articles/s)."""
    if not speed or (completed < RATE_AFTER_ARTICLES and (elapsed or 0) < RATE_AFTER_SECONDS):
        return ""
    return f"{speed:.1f} articles/s"


def times_text(elapsed: float | None, remaining: float | None, total_known: bool) -> str:
    """«elapsed 0:00:08, left 0:00:03»: each time says which it is (side by side they read as a range)."""
    text = f"elapsed {_clock(elapsed)}"
    if total_known:
        text += f", left {_clock(remaining) if remaining is not None else '-:--:--'}"
    return text


def _clock(seconds: float | None) -> str:
    return str(timedelta(seconds=max(int(seconds or 0), 0)))


def progress_columns(total: int | None) -> tuple:  # type: ignore[type-arg]
    """The bar's columns: what is done, the rate once it means something, and the labelled times."""
    from rich.progress import BarColumn, ProgressColumn, SpinnerColumn, TextColumn
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task):  # type: ignore[no-untyped-def]
            return Text(rate_text(task.completed, task.elapsed, task.speed), style="progress.data.speed")

    class TimesColumn(ProgressColumn):
        def render(self, task):  # type: ignore[no-untyped-def]
            return Text(times_text(task.elapsed, task.time_remaining, task.total is not None),
                        style="progress.elapsed")

    if total:
        return (BarColumn(), TextColumn("{task.completed}/{task.total} articles"), RateColumn(), TimesColumn())
    return (SpinnerColumn(), TextColumn("{task.completed} articles"), RateColumn(), TimesColumn())


def progress_bar(enabled: bool, total: int | None = None):  # type: ignore[no-untyped-def]
    """A progress bar on stderr (``progress.update(progress.task_ids[0], advance=1)`` per article), or nothing."""
    if not enabled:
        return nullcontext(None)
    from rich.console import Console
    from rich.progress import Progress

    class ArticleProgress(Progress):
        def __enter__(self) -> Progress:
            super().__enter__()
            self.add_task("articles", total=total or None)
            return self

    return ArticleProgress(*progress_columns(total), console=Console(stderr=True), transient=True)
