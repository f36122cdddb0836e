"""Shared by the dashboard tests: a small store made from articles written for these tests."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from marsad.web.app import create_app

ARTICLES = [
    {"id": "t-aleppo", "date": "2018-03-12", "title": "قصف حلب",
     "text": "قصفت الطائرات الحربية مواقع في حلب صباح اليوم وقتل 7 مدنيين، بحسب المرصد السوري لحقوق الإنسان."},
    {"id": "t-baghdad", "date": "2018-08-02", "title": "زيارة بغداد",
     "text": "زار وزير الخارجية التركي بغداد يوم الخميس والتقى رئيس الوزراء العراقي، واتفق الجانبان على التعاون."},
    {"id": "t-gaza", "date": "2018-10-15", "title": "غارات غزة",
     "text": "شنت الطائرات الإسرائيلية غارات على مواقع في غزة، وأصيب 4 فلسطينيين. واتهمت حركة حماس إسرائيل بالتصعيد."},
    {"id": "t-evil", "date": "2018-11-01", "title": "<img src=x onerror=alert(1)>",
     "text": "قصفت الطائرات مواقع في درعا <img src=x onerror=alert(1)> <script>window.__pwned=1</script> "
             "وقتل 3 مدنيين '; DROP TABLE events; -- بحسب مصادر محلية."},
]


def ingest(articles: list[dict], src: Path, db: Path) -> None:
    """``marsad ingest`` of ``articles`` (written to ``src`` as JSON Lines) into ``db``, in its own process, as a
    user runs it beside an open dashboard."""
    src.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "marsad", "ingest", str(src), "--db", str(db), "--workers", "1"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def make_store(tmp: Path) -> Path:
    db = tmp / "t.db"
    ingest(ARTICLES, tmp / "articles.jsonl", db)
    return db


def web_client(db: Path, **kwargs: Any) -> TestClient:
    """A test client over a new app on ``db``, calling it as a browser on this machine does: Host 127.0.0.1:8765.
    (TestClient's own default Host, "testserver", is refused by the app's Host check, as any unknown name is.)"""
    return TestClient(create_app(db), base_url="http://127.0.0.1:8765", **kwargs)


@contextmanager
def served(db: Path) -> Iterator[tuple[str, Any]]:
    """The dashboard over ``db`` in a thread, on a free loopback port: yields its base URL and the uvicorn server
    (stopped on exit)."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        end = time.monotonic() + 20
        while not server.started and time.monotonic() < end:
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}", server
    finally:
        server.should_exit = True
        thread.join(5)


def start_demo(*args: str, env: dict[str, str] | None = None, **popen: Any) -> tuple[subprocess.Popen, str | None]:
    """``marsad demo --port 0 ARGS`` as a subprocess; returns it and the address it announced on stderr (None if
    it stopped or said nothing within two minutes). The caller stops it."""
    proc = subprocess.Popen([sys.executable, "-m", "marsad", "demo", "--port", "0", *args], stderr=subprocess.PIPE,
                            text=True, env=env, **popen)
    url = None
    end = time.monotonic() + 120
    while time.monotonic() < end and url is None:
        line = proc.stderr.readline()
        if not line and proc.poll() is not None:
            break
        m = re.search(r"dashboard on (http://127\.0\.0\.1:\d+/)", line)
        url = m.group(1) if m else None
    return proc, url


# The dashboard's browser tests drive Debian's Chromium (.ci/run installs it); screenshots go to test-artifacts/.
CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium "
                                    "(apt-get install chromium); .ci/run installs it")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium under Playwright, closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def dashboard_page(browser: Any, url: str) -> Iterator[Any]:
    """The dashboard at ``url`` in a new browser context, loaded; the page records the URLs it requests
    (``page.requests``) and the dialogs it dismisses (``page.dialogs``)."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1100})
    page = ctx.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.requests = []
    page.on("request", lambda r: page.requests.append(r.url))
    try:
        page.goto(url + "/")
        page.wait_for_selector("body[data-ready]")
        yield page
    finally:
        ctx.close()


def wait_until(page: Any, condition: Any, what: str, timeout: float = 10.0) -> None:
    """Poll from Python: the page's CSP forbids the eval that Playwright's wait_for_function needs."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"timed out waiting for {what}")


def shot(page: Any, name: str, selector: str | None = None) -> Path:
    """A screenshot of the page (or of one element) in test-artifacts/NAME.png, to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    if selector:
        page.locator(selector).screenshot(path=str(path))
    else:
        page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    return path
