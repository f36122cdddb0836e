"""`marsad ingest --cluster …` (a Dask cluster writes Parquet) and `marsad load` (that Parquet into a store)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from marsad.errors import MarsadError
from marsad.parallel import PipelineSpec
from marsad.sources import JsonlFields
from marsad.store.ingest import DEFAULT_BATCH


def ingest_on_cluster(inputs: tuple[str, ...], cluster: str, out: str | None, input_format: str, fields: JsonlFields,
                      spec: PipelineSpec, shard_size: int | None, workers: int | None, quiet: bool,
                      command: str) -> None:
    from marsad.distributed import connect, run_job
    from marsad.shards import plan_shards, shard_size_for
    from marsad.sinks.progress import estimate_total, progress_bar

    if not out:
        raise click.UsageError("--cluster writes Parquet to a path every worker can reach: give it with --out "
                               "(then `marsad load OUT --db …` makes the store)")
    try:
        total = estimate_total(inputs)
        shards = plan_shards(inputs, input_format, shard_size or shard_size_for(total))
        with connect(cluster, workers) as client, \
                progress_bar(not quiet and sys.stderr.isatty(), total) as progress:
            if not quiet:
                link = getattr(client, "dashboard_link", None)
                click.echo(f"marsad: {len(shards)} shards on {cluster}" + (f"; dashboard {link}" if link else ""),
                           err=True)

            def on_shard(manifest: dict) -> None:
                if progress is not None:
                    progress.update(progress.task_ids[0], advance=manifest["articles"] + len(manifest["notes"]))

            def report(message: str) -> None:
                click.echo(f"marsad: {message}", err=True)

            stats = run_job(client, shards, spec, fields, out, command, on_shard=on_shard, report=report)
    except MarsadError as exc:
        raise click.ClickException(str(exc)) from exc
    except OSError as exc:  # the output cannot be written (permissions, a full disk, an unreachable bucket)
        raise click.ClickException(f"{out}: cannot write the output: {exc}") from exc
    click.echo(stats.summary(out), err=True)
    if stats.failed:
        sys.exit(1)
    if not quiet:
        click.echo(f"marsad: next, to query or serve it: marsad load {out} --db marsad.db", err=True)


@click.command("load")
@click.argument("out", metavar="OUT")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=Path("marsad.db"),
              show_default=True, help="The SQLite event store (created if missing).")
@click.option("--batch-size", type=click.IntRange(min=1), default=DEFAULT_BATCH, show_default=True,
              help="Articles per transaction.")
@click.option("--quiet", "-q", is_flag=True, help="No per-input messages; only the summary.")
def load_command(out: str, db_path: Path, batch_size: int, quiet: bool) -> None:
    """Merge the Parquet output of `marsad ingest --cluster` (a directory or object store URL) into a store.

    Shards are stored in input order, exactly as a local `marsad ingest` of the same input would store them;
    articles the store already has are not stored again, so loading twice adds nothing. Shards a job has
    not finished are counted and named, not loaded: re-run the job, then load again.

    \b
    Example:
      marsad ingest corpus.jsonl.gz --cluster local:4 --out results/
      marsad load results/ --db news.db && marsad serve --db news.db
    """
    from marsad.store.load import load
    from marsad.store.sqlite import EventStore

    def report(kind: str, source: str, message: str) -> None:
        if not quiet:
            click.echo(f"marsad: {'skipped' if kind == 'skipped' else 'note:'} {source}: {message}", err=True)

    try:
        store = EventStore(db_path)
    except MarsadError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        run_id = store.start_run(f"marsad load {out}")
        stats, summary = load(out, store, run_id, report, batch_size=batch_size)
        store.finish_run(run_id, stats.stored, stats.already_stored, sum(stats.skipped.values()))
    except MarsadError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()
    for line in summary.unfinished:
        click.echo(f"marsad: warning: {line}", err=True)
    for line in summary.unreadable:
        click.echo(f"marsad: skipped {line}", err=True)
    click.echo(stats.summary() + f" ({summary.shards} shards of {summary.jobs} job{'s' * (summary.jobs > 1)}) "
               f"-> {db_path}", err=True)
