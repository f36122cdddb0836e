"""The `marsad` command line: parse arguments, call the API, report."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import TextIO

import click

from marsad import __version__
from marsad.errors import MarsadError
from marsad.parallel import Analysed, PipelineSpec, analyse_stream, worker_count
from marsad.pipeline import DEFAULT_MAX_CHARS
from marsad.readers.base import LossyReads, skip_category
from marsad.sinks.progress import estimate_total, progress_bar
from marsad.sources import InputItem, JsonlFields, Notice, Skip, iter_inputs


class RunStats:
    """What happened to each input: counted for the closing summary line."""

    def __init__(self) -> None:
        self.processed = 0
        self.skipped: Counter[str] = Counter()
        self.noted: Counter[str] = Counter()  # processed, with a note: "mostly not Arabic text"
        self.lossy = LossyReads()

    def skip(self, source: str, reason: str) -> None:
        click.echo(f"marsad: skipped {source}: {reason}", err=True)
        self.skipped[skip_category(reason)] += 1

    def summary(self) -> str:
        n_skipped = sum(self.skipped.values())
        line = f"marsad: processed {self.processed}, skipped {n_skipped}"
        if n_skipped:
            line += " (" + "; ".join(f"{n} {why}" for why, n in self.skipped.most_common()) + ")"
        for note, n in self.noted.most_common():
            line += f"; {n} {note}"
        return line + self.lossy.summary()


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="marsad")
def main() -> None:
    """Marsad (مرصد): Arabic news to structured, geolocated, evidence-backed conflict event data.

    Runs fully offline. Start with `marsad extract ARTICLE.txt`.
    """


@main.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("--format", "fmt", type=click.Choice(["summary", "json", "jsonl"], case_sensitive=False), default=None,
              help="summary: readable tables (the default without --out); json: one document JSON per article "
                   "(the default with --out); jsonl: one JSON document per line, with the input's id first.")
@click.option("--out", "out", type=click.Path(path_type=Path), default=None,
              help="json: a directory that receives NAME.json for each article; jsonl: the output file.")
@click.option("--input-format", type=click.Choice(["auto", "txt", "jsonl", "csv", "html", "feed"]), default="auto",
              show_default=True,
              help="How to read inputs; auto goes by extension (.txt, .jsonl, .csv, .tsv, .html, .rss, .atom, .xml, "
                   "optionally .gz for jsonl and csv) and, for '-', by content; any other value reads every "
                   "file with that reader.")
@click.option("--text-field", default="text", show_default=True,
              help="JSON Lines field (or CSV column) holding the article text.")
@click.option("--id-field", default="id", show_default=True,
              help="JSON Lines field (or CSV column) holding the article id.")
@click.option("--date-field", default="date", show_default=True,
              help="JSON Lines field (or CSV column) holding the publication date (ISO 8601, RFC-822, Arabic "
                   "«7 نيسان 2019», day-first 07/04/2019), used to resolve "
                   "dated titles; 'published', 'pubDate' and 'publication_date' are tried when it is absent.")
@click.option("--dict", "dict_files", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="An extra actor dictionary (YAML, docs/dictionaries.md); repeatable; overrides built-in ids.")
@click.option("--places", "place_files", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="An extra place file (YAML, docs/places.md); repeatable.")
@click.option("--max-chars", type=click.IntRange(min=1), default=DEFAULT_MAX_CHARS, show_default=True,
              help="Skip (and report) documents longer than this.")
@click.option("--workers", "-j", type=click.IntRange(min=1), default=None,
              help="Processes that analyse articles for json/jsonl output (default: one per core); results keep "
                   "the input order.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar; only errors and the summary line.")
@click.option("--verbose", "-v", is_flag=True,
              help="Also log why candidate events were dropped (to diagnose an empty output).")
def extract(inputs: tuple[str, ...], fmt: str | None, out: Path | None, input_format: str, text_field: str,
            id_field: str, date_field: str, dict_files: tuple[Path, ...], place_files: tuple[Path, ...],
            max_chars: int, workers: int | None, quiet: bool, verbose: bool) -> None:
    """Extract actors, places and events from Arabic articles.

    INPUT is an article (.txt, or a saved .html/.htm page), a JSON Lines
    corpus (.jsonl, .ndjson, optionally .gz), a CSV/TSV file (.csv, .tsv,
    optionally .gz), an RSS/Atom feed (.rss, .atom, .xml), a directory (every
    file of those kinds below it), or '-' for standard input. Problems with one
    input (missing file, bad encoding, empty document, malformed JSON line)
    are reported on stderr and skipped; the run goes on and ends with a
    summary line. The exit status is non-zero only when nothing was processed.
    On a terminal the summary puts Arabic in visual order, for terminals that
    do not reorder it themselves; set MARSAD_BIDI=off on one that does
    (Konsole, mlterm…), MARSAD_BIDI=on to reorder output that is piped.

    \b
    Examples:
      marsad extract article.txt
      marsad extract articles/ --out results/
      marsad extract corpus.jsonl.gz --format jsonl --out events.jsonl
    """
    if verbose:
        import logging

        logging.basicConfig(level=logging.DEBUG, format="marsad: debug: %(message)s", force=True)
        for noisy in ("yaml",):
            logging.getLogger(noisy).setLevel(logging.WARNING)
    fmt = fmt or ("json" if out is not None else "summary")  # a Choice: already lower case
    if fmt == "summary" and out is not None:
        raise click.UsageError("--out needs --format json or jsonl")
    spec = PipelineSpec.of(dict_files, place_files, max_chars)
    try:
        pipeline = spec.build()
    except MarsadError as exc:
        raise click.ClickException(str(exc)) from exc

    stats = RunStats()
    items = iter_inputs(inputs, input_format, JsonlFields(text=text_field, id=id_field, date=date_field),
                        max_chars=max_chars, unique_names=fmt == "json" and out is not None)
    jsonl_out: TextIO | None = None
    if fmt == "jsonl":
        jsonl_out = open(out, "w", encoding="utf-8") if out is not None else sys.stdout  # noqa: SIM115
    # A progress bar only where it cannot mix with the results: stderr is a terminal, results go elsewhere.
    results_on_terminal = out is None and sys.stdout.isatty()
    show_progress = not quiet and sys.stderr.isatty() and fmt != "summary" and not results_on_terminal
    total = estimate_total(inputs)
    # -v logs from the analysis itself, which only this process can show; tables need the Document object
    n_workers = 1 if fmt == "summary" or verbose else worker_count(workers, total)
    try:
        with progress_bar(show_progress, total) as progress:
            for element in analyse_stream(items, spec, n_workers, pipeline=pipeline, keep_document=fmt == "summary",
                                          as_lines=fmt == "jsonl"):
                if isinstance(element, Skip):
                    stats.skip(element.source, element.reason)
                elif isinstance(element, Notice):
                    stats.lossy.count(element)
                    if not quiet or element.replaced:
                        click.echo(f"marsad: note: {element.source}: {element.message}", err=True)
                else:
                    _write(element, fmt, out, jsonl_out, stats)
                    for note in element.notes:
                        stats.noted[note] += 1
                        if not quiet:
                            click.echo(f"marsad: note: {_shown_source(element.item)}: {note}", err=True)
                    if progress is not None:
                        progress.update(progress.task_ids[0], advance=1)
    finally:
        if jsonl_out is not None and jsonl_out is not sys.stdout:
            jsonl_out.close()
    click.echo(stats.summary(), err=True)
    if stats.processed == 0:
        sys.exit(1)


def _shown_source(item: InputItem) -> str:
    """Where an article came from, with its id when the place does not say it («corpus.jsonl:12 (id 8812)»)."""
    return item.source if item.doc_id in item.source else f"{item.source} (id {item.doc_id})"


def _write(result: Analysed, fmt: str, out: Path | None, jsonl_out: TextIO | None, stats: RunStats) -> None:
    import json

    from marsad.sinks.files import write_json_atomic

    item, record = result.item, result.record
    if not result.ok:
        stats.skip(item.source, result.error or "")
        return
    stats.processed += 1
    if fmt == "jsonl":
        assert jsonl_out is not None and result.line is not None  # encoded where it was analysed (as_lines)
        jsonl_out.write(result.line + "\n")
    elif fmt == "json":
        assert record is not None
        if out is not None:
            write_json_atomic(out / f"{item.name or item.doc_id}.json", record)
        else:
            click.echo(json.dumps(record, ensure_ascii=False, indent=2))
    else:
        from rich.console import Console

        from marsad.sinks.terminal import print_summary

        print_summary(result.document, Console())


@main.group("dict")
def dict_group() -> None:
    """Inspect and check the knowledge: actors, places, triggers."""


@dict_group.command("stats")
@click.option("--dict", "dict_files", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Count an extra actor dictionary too.")
def dict_stats(dict_files: tuple[Path, ...]) -> None:
    """Count actors, aliases, titles, demonyms, places and triggers."""
    from rich.console import Console
    from rich.table import Table

    from marsad.knowledge.actors import builtin_actor_paths, load_actors
    from marsad.knowledge.places import builtin_place_paths, load_place_paths
    from marsad.knowledge.stats import count_knowledge
    from marsad.knowledge.triggers import builtin_trigger_paths, load_trigger_file

    try:
        actors = load_actors([*builtin_actor_paths(), *dict_files])
        places = load_place_paths(builtin_place_paths())
        triggers = [t for p in builtin_trigger_paths() for t in load_trigger_file(p)]
    except MarsadError as exc:
        raise click.ClickException(str(exc)) from exc
    stats = count_knowledge(actors, places, sum(len(t.forms) for t in triggers), len(triggers))
    table = Table(title="What Marsad knows", show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    for label, value in stats.rows():
        table.add_row(label, value)
    Console().print(table)


@dict_group.command("lookup")
@click.argument("phrase")
@click.option("--date", default=None, help="Article date (ISO) for dated titles; default: current holders.")
@click.option("--country", "countries", multiple=True, metavar="CC",
              help="Country the article is about (ISO alpha-2), for titles and ambiguous names; repeatable.")
@click.option("--dict", "dict_files", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="An extra actor dictionary to consult first.")
def dict_lookup(phrase: str, date: str | None, countries: tuple[str, ...], dict_files: tuple[Path, ...]) -> None:
    """Show what PHRASE resolves to, and why (proclitics such as و ب ل ال are accepted).

    \b
    Example: marsad dict lookup «الوفاق»
    """
    from marsad.recognize.actors import ActorIndex
    from marsad.recognize.lookup import lookup_report
    from marsad.recognize.places import Gazetteer

    try:
        index = ActorIndex.builtin(dict_files)
        gazetteer = Gazetteer.builtin()
    except MarsadError as exc:
        raise click.ClickException(str(exc)) from exc
    phrase = phrase.strip("«»\"' ")
    report = lookup_report(index, gazetteer, phrase, date, list(countries))
    click.echo(report)
    if "no actor or place" in report:
        sys.exit(1)


def _register_model_commands() -> None:
    from marsad.cli_cluster import load_command
    from marsad.cli_models import eval_group, train_group
    from marsad.cli_store import export_command, ingest_command, query_command

    main.add_command(ingest_command)
    main.add_command(query_command)
    main.add_command(export_command)
    main.add_command(load_command)
    main.add_command(train_group)
    main.add_command(eval_group)


_register_model_commands()


def _register_web_commands() -> None:
    from marsad.cli_web import demo_command, serve_command

    main.add_command(serve_command)
    main.add_command(demo_command)


_register_web_commands()


def _register_watch_command() -> None:
    from marsad.cli_watch import watch_command

    main.add_command(watch_command)


_register_watch_command()
