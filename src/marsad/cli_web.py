"""`marsad serve` (the dashboard over an event store) and `marsad demo` (the bundled examples, in one command)."""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import threading
import webbrowser
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
from types import FrameType

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


def no_display() -> bool:
    """Whether this is a Linux (or other X11/Wayland) machine with no graphical session, where a browser cannot
    open a window (and a text browser started instead would take over the terminal the server reports on)."""
    if sys.platform in ("win32", "darwin"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_browser(url: str) -> bool:
    """Open ``url`` in the user's browser; when none can be opened, say so on stderr with the address to open
    by hand, rather than fail in silence. Whether one was opened."""
    why = "no graphical display (DISPLAY and WAYLAND_DISPLAY are unset)" if no_display() else None
    if why is None:
        try:
            opened = webbrowser.open(url)
        except (webbrowser.Error, OSError) as exc:
            opened, why = False, str(exc) or type(exc).__name__
        if not opened:
            why = why or "no browser found"
    if why is not None:
        click.echo(f"marsad: could not open a browser ({why}); open {url} yourself", err=True)
        return False
    return True


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
            open_browser(url)

    announcer = threading.Thread(target=announce, daemon=True)
    announcer.start()
    server.run()
    announcer.join(timeout=5)  # what it has to say is said before the command ends


@click.command("serve")
@click.option("--db", "db", type=click.Path(path_type=Path, dir_okay=False), default=Path("marsad.db"),
              show_default=True, help="The event store (`marsad ingest`), opened read-only.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default is this machine only.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535), help="0: any free port.")
@click.option("--open/--no-open", "--browser/--no-browser", "browser", default=False, show_default=True,
              help="Open the dashboard in a browser (the address is printed either way).")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="A host name the dashboard may be reached by, besides localhost and its own IP address "
                   "(repeatable); requests naming any other host are refused, against DNS rebinding.")
def serve_command(db: Path, host: str, port: int, browser: bool, allow_hosts: tuple[str, ...]) -> None:
    """A local web dashboard over the event store: map, timeline, actor network, events with their evidence.

    Works with no internet connection; read-only over the database. It has no authentication: with --host other
    than 127.0.0.1, anyone on the network can read the whole store.
    """
    _serve(db, host, port, browser, allow_hosts)


_TERMINATED = 128 + signal.SIGTERM  # the exit status a shell gives a process ended by SIGTERM


@contextmanager
def _sigterm_exits() -> Iterator[None]:
    """SIGTERM (`kill`, a service manager, a closing IDE) ends the block as Ctrl-C does, unwinding it, so that
    cleanups such as the demo's temporary directory run; Python's default would end the process on the spot.
    uvicorn takes the signal while it serves and raises it again once it has stopped: this handler gets it then.
    """
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(_TERMINATED)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@click.command("demo")
@click.option("--port", default=0, show_default=True, type=click.IntRange(0, 65535), help="0: any free port.")
@click.option("--open/--no-open", "--browser/--no-browser", "browser", default=False, show_default=True,
              help="Open the dashboard in a browser (the address is printed either way), as `serve` does.")
def demo_command(port: int, browser: bool) -> None:
    """Ingest the bundled example articles (invented, written for the package) into a temporary database and
    serve the dashboard over it; the database is deleted when it stops (Ctrl-C, or SIGTERM)."""
    from click.testing import CliRunner

    from marsad.cli import main

    examples = files("marsad").joinpath("data/examples")
    with _sigterm_exits(), tempfile.TemporaryDirectory(prefix="marsad-demo-") as tmp:
        db = Path(tmp) / "demo.db"
        inputs = [str(examples.joinpath("demo.jsonl")), str(examples.joinpath("marib.txt"))]
        result = CliRunner().invoke(main, ["ingest", *inputs, "--db", str(db), "--workers", "1"])
        if result.exit_code == _TERMINATED:  # SIGTERM during the ingest, which the runner caught: end, cleaning up
            raise SystemExit(_TERMINATED)
        if result.exit_code != 0:
            raise click.ClickException(f"could not ingest the examples: {result.output}")
        click.echo(f"marsad: the bundled examples are in {db} (deleted when the dashboard stops)", err=True)
        _serve(db, "127.0.0.1", port, browser)
