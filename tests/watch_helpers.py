"""Shared by the `marsad watch` tests: a loopback webhook receiver, and reading the alerts file."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        server = self.server
        with server.lock:  # type: ignore[attr-defined]
            status = server.statuses.pop(0) if server.statuses else 200  # type: ignore[attr-defined]
            server.requests.append((body["id"], status))  # type: ignore[attr-defined]
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@contextmanager
def receiver(statuses: list[int] | None = None) -> Iterator[tuple[str, ThreadingHTTPServer]]:
    """A webhook on 127.0.0.1 answering ``statuses`` in turn (then 200); ``server.requests`` holds (alert id,
    status) per POST."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    server.statuses, server.requests, server.lock = list(statuses or []), [], threading.Lock()  # type: ignore
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


def read_jsonl(path: Path) -> list[dict]:
    """The records of a JSON Lines file (the alerts file)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
