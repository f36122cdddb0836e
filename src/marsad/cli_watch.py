"""`marsad watch`: poll feeds and folders, code what is new, store it once (docs/watch.md)."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import click

from marsad.errors import MarsadError


@click.command("watch")
@click.argument("config_path", metavar="CONFIG.yaml", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=Path("marsad.db"),
              show_default=True, help="The SQLite event store (created if missing).")
@click.option("--once", is_flag=True, help="Poll every source once, store what is new, and exit (for cron).")
@click.option("--status", is_flag=True, help="Print each source's health (last poll, failures, last error) and exit.")
@click.option("--quiet", "-q", is_flag=True, help="No progress lines; with --once, only the per-source summary.")
def watch_command(config_path: Path, db_path: Path, once: bool, status: bool, quiet: bool) -> None:
    """Watch the feeds and folders CONFIG.yaml names: fetch each new article once, code it, store it, and raise
    the alerts it declares. Runs until stopped (Ctrl-C or SIGTERM finish the article being stored, then exit).

    A restart, even after `kill -9`, fetches nothing twice and loses nothing: an article and the note that it
    was handled are stored in one transaction.

    \b
    Examples:
      marsad watch watch.yaml --db news.db            # run until stopped
      marsad watch watch.yaml --db news.db --once     # one cycle, e.g. from cron
      marsad watch watch.yaml --db news.db --status   # each source's health
    """
    from marsad.watch.config import load_config

    try:
        config = load_config(config_path)
    except MarsadError as exc:
        raise click.ClickException(str(exc)) from exc
    if status:
        _print_status(db_path, config)
        return

    def progress(line: str) -> None:
        if not quiet:
            click.echo(line, err=True)

    stop = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        if not stop.is_set():
            click.echo("marsad watch: stopping after the article being stored", err=True)
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    from marsad.watch.runner import run_cycle, watch_forever

    try:
        if once:
            report = run_cycle(db_path, config, stop=stop, progress=progress)
            if quiet:  # the per-source lines were not shown as they came
                for source in report.sources:
                    click.echo(source.line(), err=True)
            for error in report.delivery_errors:
                click.echo(f"marsad watch: alert delivery: {error}", err=True)
            click.echo(f"marsad watch: stored {len(report.new_document_ids)}, {len(report.alerts)} new alert(s), "
                       f"in {report.seconds:.1f} s -> {db_path}", err=True)
        else:
            progress(f"marsad watch: watching {len(config.sources)} source(s) into {db_path}; Ctrl-C stops")
            watch_forever(db_path, config, stop, progress)
    except MarsadError as exc:
        raise click.ClickException(str(exc)) from exc


def _print_status(db_path: Path, config: object) -> None:
    from rich.console import Console
    from rich.table import Table

    from marsad.store.sqlite import EventStore

    try:
        store = EventStore(db_path, readonly=True)
    except MarsadError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        rows = store.db.execute("SELECT * FROM watch_sources ORDER BY name").fetchall()
    finally:
        store.close()
    configured = {s.name for s in getattr(config, "sources", ())}
    table = Table("name", "kind", "last poll", "last ok", "failures", "last error", "articles", "next poll")
    for r in rows:
        name = r["name"] if r["name"] in configured else f"{r['name']} (not in the config)"
        table.add_row(name, r["kind"], r["last_poll"] or "never", r["last_ok"] or "never",
                      str(r["consecutive_failures"]), r["last_error"] or "", str(r["articles"]), r["next_poll"] or "")
    for name in sorted(configured - {r["name"] for r in rows}):
        table.add_row(name, "", "never", "never", "0", "", "0", "")
    Console(width=200, soft_wrap=True).print(table)
