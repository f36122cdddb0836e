"""`marsad ingest` and `marsad export`: a corpus into the event store, and the store out to analysts' tools."""

from __future__ import annotations

import json
import shutil
import sys
import textwrap
from pathlib import Path

import click

from marsad.errors import MarsadError
from marsad.knowledge.triggers import MODALITIES, PLOVER_TYPES
from marsad.pipeline import DEFAULT_MAX_CHARS
from marsad.readers.base import shown
from marsad.shards import DEFAULT_SHARD_SIZE, MIN_SHARD_SIZE, TARGET_SHARDS
from marsad.sources import JsonlFields, iter_inputs
from marsad.store.ingest import DEFAULT_BATCH, IngestStats, StoreWriter, ingest

_PATH = click.Path(exists=True, dir_okay=False, path_type=Path)
_DB = click.Path(dir_okay=False, path_type=Path)  # a missing store is for EventStore to explain


@click.command("ingest")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=Path("marsad.db"),
              show_default=True, help="The SQLite event store (created if missing).")
@click.option("--input-format", type=click.Choice(["auto", "txt", "jsonl", "csv", "html", "feed"]), default="auto",
              show_default=True,
              help="How to read each INPUT; 'auto' goes by file extension.")
@click.option("--text-field", default="text", show_default=True, help="JSON Lines field holding the article text.")
@click.option("--id-field", default="id", show_default=True, help="JSON Lines field holding the article id.")
@click.option("--date-field", default="date", show_default=True,
              help="JSON Lines field holding the publication date (published, pubDate… are tried after it).")
@click.option("--dict", "dict_files", multiple=True, type=_PATH, help="An extra actor dictionary (YAML).")
@click.option("--places", "place_files", multiple=True, type=_PATH, help="An extra gazetteer file (YAML).")
@click.option("--max-chars", type=click.IntRange(min=1), default=DEFAULT_MAX_CHARS, show_default=True,
              help="Skip articles longer than this, with a message.")
@click.option("--batch-size", type=click.IntRange(min=1), default=DEFAULT_BATCH, show_default=True,
              help="Articles per transaction: a crash loses at most one batch, which a re-run redoes.")
@click.option("--workers", "-j", type=click.IntRange(min=1), default=None,
              help="Processes that analyse articles (default: one per core); one writer stores them in input order, "
                   "so the store is the same with any number.")
@click.option("--cluster", metavar="ADDRESS",
              help="Run on a Dask cluster: local:N (N worker processes here), a scheduler address "
                   "(tcp://host:8786) or a scheduler file (scheduler.json). Writes Parquet to --out, not --db.")
@click.option("--out", metavar="DIR|URL", help="With --cluster: where the workers write (a shared directory, or an "
                                                "object store URL such as s3://bucket/path).")
@click.option("--shard-size", type=click.IntRange(min=1), default=None,
              help=f"With --cluster: articles (lines, files) per task [default: the input cut into about "
                   f"{TARGET_SHARDS} shards, {MIN_SHARD_SIZE} to {DEFAULT_SHARD_SIZE} articles each].")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, no per-input messages; only the summary.")
def ingest_command(inputs: tuple[str, ...], db_path: Path, input_format: str, text_field: str, id_field: str,
                   date_field: str, dict_files: tuple[Path, ...], place_files: tuple[Path, ...], max_chars: int,
                   batch_size: int, workers: int | None, cluster: str | None, out: str | None,
                   shard_size: int | None, quiet: bool) -> None:
    """Analyse a corpus and store every record in an SQLite event store.

    INPUT is a .txt article, a directory (every .txt below it), a JSON Lines corpus (.jsonl, .jsonl.gz)
    or '-' for standard input. Re-running the same command adds nothing twice: each article is stored
    once (by the SHA-256 of its text), and an interrupted run resumes where it stopped. Inputs that
    cannot be read are reported, skipped, counted and kept in the run log (table run_issues).

    \b
    With --cluster, the workers of a Dask cluster read their own shards of the input and write Parquet,
    partitioned by month, under --out; `marsad load` then makes the store (docs/scale.md).

    \b
    Examples:
      marsad ingest ../shared/data/news/ant_multisource_2018.jsonl.gz --db news.db
      marsad ingest corpus/ --cluster tcp://scheduler:8786 --out /shared/marsad-out/
    """
    from marsad.parallel import PipelineSpec, worker_count
    from marsad.sinks.progress import estimate_total, progress_bar
    from marsad.store.sqlite import EventStore

    spec = PipelineSpec.of(dict_files, place_files, max_chars)
    fields = JsonlFields(text=text_field, id=id_field, date=date_field)
    # The command as typed, for the run log (and a cluster job's plan, which tells how to re-run it).
    command = (" ".join(["marsad", "ingest", *sys.argv[2:]]) if sys.argv[1:2] == ["ingest"]
               else f"marsad ingest {' '.join(inputs)}")
    try:
        pipeline = spec.build()  # here first, so a bad --dict file is reported before any work starts
    except MarsadError as exc:
        raise click.ClickException(str(exc)) from exc
    if cluster:
        from marsad.cli_cluster import ingest_on_cluster

        ingest_on_cluster(inputs, cluster, out, input_format, fields, spec, shard_size, workers, quiet, command)
        return
    if out or shard_size:
        raise click.UsageError("--out and --shard-size go with --cluster; a local ingest writes to --db")
    try:
        store = EventStore(db_path)
    except MarsadError as exc:
        raise click.ClickException(str(exc)) from exc

    def report(kind: str, source: str, message: str) -> None:
        if not quiet:
            click.echo(f"marsad: {'skipped' if kind == 'skipped' else 'note:'} {source}: {message}", err=True)

    run_id = store.start_run(command)
    items = iter_inputs(inputs, input_format, fields, max_chars=max_chars, unique_names=False)
    total = estimate_total(inputs)
    writer = None
    status = "failed"
    try:
        with progress_bar(not quiet and sys.stderr.isatty(), total) as progress:
            def advance() -> None:
                if progress is not None:
                    progress.update(progress.task_ids[0], advance=1)

            writer = StoreWriter(store, run_id, report, advance, batch_size)
            ingest(items, spec, writer, workers=worker_count(workers, total), pipeline=pipeline)
        status = "finished"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        # The run's row says how it ended and what it really committed, however it ended.
        stats = writer.stats if writer is not None else IngestStats()
        try:
            store.finish_run(run_id, stats.stored, stats.already_stored, sum(stats.skipped.values()), status)
        finally:
            store.close()
    click.echo(stats.summary() + f" -> {shown(str(db_path))}", err=True)
    if stats.stored == 0 and stats.already_stored == 0:
        sys.exit(1)  # as extract: nothing could be stored


def _filter_options(f):  # type: ignore[no-untyped-def]
    """The event filters `query` and `export` share; store/filters.py reads them (the dashboard API's too)."""
    options = [
        click.option("--db", "db_path", type=_DB, default=Path("marsad.db"), show_default=True,
                     help="The event store made by `marsad ingest`."),
        click.option("--since", help="First event date, inclusive: YYYY-MM-DD, DD/MM/YYYY, «12 آذار 2018»; "
                                     "YYYY-MM or YYYY: its first day."),
        click.option("--until", help="Last event date, inclusive, in the same forms; YYYY-MM or YYYY: its last day."),
        click.option("--type", "types", multiple=True,
                     help="PLOVER event type (repeatable, any case): " + ", ".join(PLOVER_TYPES) + "."),
        click.option("--modality", "modalities", multiple=True,
                     help="Keep only these modalities (repeatable): " + ", ".join(MODALITIES) + "."),
        click.option("--actor", help="Source or target: an actor id (LBY-LNA) or words of its name."),
        click.option("--country", help="Articles about this country: ISO code or English or Arabic name "
                                       "(LY, Libya, ليبيا)."),
        click.option("--text", help="Full-text search in the articles (diacritics and clitics ignored)."),
        click.option("--near", metavar="LAT,LON,KM", help="Events within KM kilometres of a point."),
        click.option("--min-relevance", type=click.FloatRange(0, 1), default=None,
                     help="Events of articles at least this political/conflict-related (0-1; 0.5: more likely "
                          "politics or conflict than sport, culture or business)."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _event_filter(since, until, types, modalities, actor, country, text, near,  # type: ignore[no-untyped-def]
                  min_relevance=None):
    from marsad.store.filters import FilterError, event_filter

    try:
        return event_filter(since, until, types, modalities, actor, country, text, near, min_relevance)
    except FilterError as exc:  # a usage error (exit status 2), naming the option and what it accepts
        raise click.BadParameter(exc.message, param_hint=f"'--{exc.option}'") from exc


@click.command("query")
@_filter_options
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="At most this many events.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "jsonl", "csv"], case_sensitive=False),
              default="table", show_default=True,
              help="table (for reading: each event's id, date, type, actors, place and evidence sentence), json (one "
                   "array), jsonl (one object a line) or csv (the columns of `export --format csv`).")
def query_command(db_path: Path, limit: int, fmt: str, **filters) -> None:  # type: ignore[no-untyped-def]
    """Show the events in the store that match the filters, with their evidence: each event's id (as the
    exports and the dashboard API name it), what happened and the sentence that says so, and how many match.

    \b
    Examples:
      marsad query --db news.db --type ASSAULT --country SY --since 2018-03-01 --text الغوطة
      marsad query --db news.db --country Libya --since 12/03/2018 --format csv > events.csv
    """
    from marsad.store.query import count_events, select_events
    from marsad.store.sqlite import EventStore

    flt = _event_filter(**filters)
    try:
        store = EventStore(db_path, readonly=True)
        rows = list(select_events(store, flt, limit))
        total = count_events(store.db, flt) if len(rows) >= limit else len(rows)
    except MarsadError as exc:
        raise click.ClickException(str(exc)) from exc
    shown_rows = f"showing the first {len(rows)}" if len(rows) < total else "showing all"
    summary = f"{total} event{'s' if total != 1 else ''} match; {shown_rows}"
    if fmt == "table":
        _print_events(rows)
        click.echo(summary)
        return
    from marsad.store.exports import decoded, export

    if fmt == "json":
        click.echo(json.dumps([decoded(r) for r in rows], ensure_ascii=False, indent=1))
    else:
        export(rows, fmt, None, sys.stdout)
    click.echo(f"marsad: {summary}", err=True)  # on stderr: standard output is the data alone


def _print_events(rows: list[dict]) -> None:
    """Each event as a few lines: its id, date, type and modality; who did what to whom where; the sentence.

    On a terminal that draws text as it comes (sinks/bidi.py), each line is wrapped in logical order and then put
    in visual order, so the Arabic reads right to left and a wrapped sentence still reads from its first line."""
    from marsad.sinks.bidi import bidi_enabled, visual

    reorder = bidi_enabled()
    width = max(40, shutil.get_terminal_size((100, 24)).columns - 4)

    def lines(text: str, base_dir: str | None = None) -> None:
        for piece in (textwrap.wrap(text, width) or [""]) if reorder else [text]:
            click.echo("  " + visual(piece, enabled=reorder, base_dir=base_dir))

    for r in rows:
        click.echo(click.style(shown(r["event"]), bold=True) +
                   f"  {r['date'] or '?'}  {r['type']}  {r['modality']}")
        lines(f"{shown(r['source_text'] or '—')} → {shown(r['trigger_text'])} → {shown(r['target_text'] or '—')}"
              + (f"  @ {shown(r['location_text'])}" if r["location_text"] else ""), base_dir="R")
        lines("«" + shown(" ".join(r["sentence"].split())) + "»", base_dir="R")
        click.echo()


@click.command("export")
@_filter_options
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "geojson", "plover", "cameo", "parquet"]),
              required=True,
              help="csv (spreadsheets, pandas), jsonl (one event a line), geojson (QGIS; located events only), "
                   "plover (PLOVER JSON Lines), cameo (CAMEO/Phoenix-style TSV), parquet (a directory, partitioned "
                   "by month: pandas, DuckDB).")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Output file, or directory for parquet (written atomically); default: standard output.")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="At most this many events (clusters with --dedup), the first by date [default: all].")
@click.option("--dedup", is_flag=True,
              help="One row per event cluster (the same event reported by several articles): its first mention, "
                   "with the number of mentions and articles and the ids of all the articles.")
def export_command(db_path: Path, fmt: str, out: Path | None, limit: int | None, dedup: bool,  # type: ignore[no-untyped-def]
                   **filters) -> None:
    """Export the events that match the filters, one row per event with its article and evidence.

    The event data formats (plover, cameo) hold asserted events only unless --modality says otherwise:
    tools that read them count every row as something that happened.

    \b
    Examples:
      marsad export --db news.db --format geojson --out events.geojson
      marsad export --db news.db --format parquet --out events_parquet/ --since 2018-01-01
      marsad export --db news.db --format plover --dedup --out events.plover.jsonl
    """
    from marsad.store.exports import export
    from marsad.store.query import select_events
    from marsad.store.sqlite import EventStore

    if fmt in ("plover", "cameo") and not filters["modalities"]:
        filters["modalities"] = ("asserted",)
    flt = _event_filter(**filters)
    try:
        store = EventStore(db_path, readonly=True)
        n = export(select_events(store, flt, limit, per_cluster=dedup), fmt, out, sys.stdout)
    except MarsadError as exc:
        raise click.ClickException(str(exc)) from exc
    what = "event clusters" if dedup else "events"
    click.echo(f"marsad: exported {n} {what}" + (f" -> {out}" if out else ""), err=True)
