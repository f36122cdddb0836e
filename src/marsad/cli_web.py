"""`marsad serve` (the dashboard over an event store) and `marsad demo` (the bundled examples, in one command)."""

from __future__ import annotations

import tempfile
import threading
import webbrowser
from importlib.resources import files
from pathlib import Path

import click


def exposure_warning(host: str) -> str | None:
    """What to tell the user before serving on ``host``, when that is more than this machine; None for loopback.
    A name other than localhost counts as exposed: it may resolve to a network address."""
    from marsad.web.app import is_loopback

    if is_loopback(host):
        return None
    return (f"marsad: WARNING: listening on {host}, not on this machine only. Anyone who can reach this machine "
            "over the network can read the whole event store (every article and record), with no password or other "
            "authentication. Use --host 127.0.0.1 (the default) unless that is what you want.")


def warn_if_exposed(host: str) -> bool:
    """Print the warning for ``host`` on stderr, if it has one; whether it did."""
    warning = exposure_warning(host)
    if warning:
        click.secho(warning, err=True, fg="red", bold=True)
    return warning is not None


def _serve(db: Path, host: str, port: int, browser: bool, allow_hosts: tuple[str, ...] = ()) -> None:
    try:
        import uvicorn

        from marsad.web.app import create_app
    except ImportError as exc:  # pragma: no cover - the web extras are a dependency, but say so if missing
        raise click.ClickException(f"the dashboard needs FastAPI and uvicorn ({exc})") from exc
    from marsad.errors import MarsadError

    try:
        app = create_app(db, allowed_hosts=allow_hosts, bind_host=host)
    except MarsadError as exc:
        raise click.ClickException(str(exc)) from exc
    warn_if_exposed(host)  # before anything listens
    config = uvicorn.Config(app, host=host, port=port, log_level="warning")
    server = uvicorn.Server(config)

    def announce() -> None:
        while not server.started:
            if server.should_exit:
                return
            threading.Event().wait(0.05)
        bound = server.servers[0].sockets[0].getsockname()[1] if server.servers else port
        url = f"http://{f'[{host}]' if ':' in host else host}:{bound}/"  # an IPv6 literal is bracketed in a URL
        click.echo(f"marsad: dashboard on {url} (API docs {url}docs); Ctrl-C stops it", err=True)
        if browser:
            webbrowser.open(url)

    threading.Thread(target=announce, daemon=True).start()
    server.run()


@click.command("serve")
@click.option("--db", "db", type=click.Path(path_type=Path, dir_okay=False), default=Path("marsad.db"),
              show_default=True, help="The event store (`marsad ingest`), opened read-only.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default is this machine only.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535), help="0: any free port.")
@click.option("--browser/--no-browser", default=False, show_default=True, help="Open the dashboard in a browser.")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="A host name the dashboard may be reached by, besides localhost and its own IP address "
                   "(repeatable); requests naming any other host are refused, against DNS rebinding.")
def serve_command(db: Path, host: str, port: int, browser: bool, allow_hosts: tuple[str, ...]) -> None:
    """A local web dashboard over the event store: map, timeline, actor network, events with their evidence.

    Works with no internet connection; read-only over the database. It has no authentication: with --host other
    than 127.0.0.1, anyone on the network can read the whole store.
    """
    _serve(db, host, port, browser, allow_hosts)


@click.command("demo")
@click.option("--port", default=0, show_default=True, type=click.IntRange(0, 65535), help="0: any free port.")
@click.option("--browser/--no-browser", default=True, show_default=True,
              help="Open the dashboard in a browser (--no-browser for tests and servers).")
def demo_command(port: int, browser: bool) -> None:
    """Ingest the bundled example articles (invented, written for the package) into a temporary database and
    open the dashboard over it."""
    from click.testing import CliRunner

    from marsad.cli import main

    examples = files("marsad").joinpath("data/examples")
    with tempfile.TemporaryDirectory(prefix="marsad-demo-") as tmp:
        db = Path(tmp) / "demo.db"
        inputs = [str(examples.joinpath("demo.jsonl")), str(examples.joinpath("marib.txt"))]
        result = CliRunner().invoke(main, ["ingest", *inputs, "--db", str(db), "--workers", "1"])
        if result.exit_code != 0:
            raise click.ClickException(f"could not ingest the examples: {result.output}")
        click.echo(f"marsad: the bundled examples are in {db} (deleted when the dashboard stops)", err=True)
        _serve(db, "127.0.0.1", port, browser)
