"""`marsad watch` (#25): config, polite fetching, exactly-once storing across cycles, failures and kill -9."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from marsad.cli import main
from marsad.watch.config import ConfigError, load_config
from marsad.watch.fetch import Fetcher
from marsad.watch.poll import canonical_url
from marsad.watch.runner import default_pipeline, run_cycle
from watch_helpers import read_jsonl, receiver

SRC = str(Path(__file__).resolve().parents[1] / "src")
PLACES = ["طرابلس", "بنغازي", "مصراتة", "سرت", "درنة", "الزاوية", "سبها", "غريان", "زليتن", "طبرق"]


class Site:
    """A local HTTP server whose routes a test changes between cycles; it logs each request's path and headers."""

    def __init__(self) -> None:
        self.routes: dict[str, Callable[[BaseHTTPRequestHandler], None] | tuple[int, bytes]] = {}
        self.log: list[tuple[str, dict[str, str]]] = []
        self.release = threading.Event()  # ends the hanging and trickling handlers
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.log.append((self.path, dict(self.headers)))
                route = site.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                elif callable(route):
                    route(self)
                else:
                    status, body = route
                    etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
                    if status == 200 and self.headers.get("If-None-Match") == etag:
                        self.send_response(304)
                        self.end_headers()
                        return
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(body)))
                    self.send_header("ETag", etag)
                    self.end_headers()
                    self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def sites(n: int) -> Iterator[list[Site]]:
    made = [Site() for _ in range(n)]
    try:
        yield made
    finally:
        for s in made:
            s.close()


def article(feed: str, n: int) -> str:
    place = PLACES[n % len(PLACES)]
    return (f"قتل {n + 2} أشخاص وأصيب آخرون في هجوم مسلح استهدف نقطة تفتيش في مدينة {place} الليبية، "
            f"بحسب ما أفاد مصدر أمني لمراسل {feed}. وقال المصدر إن المهاجمين فروا من المكان في الحادثة رقم {n}.")


def page(title: str, text: str) -> bytes:
    return (f'<html><head><meta charset="utf-8"><title>{title}</title></head><body><article><h1>{title}</h1>'
            f"<p>{text}</p></article></body></html>").encode()


def rss(site: Site, paths: list[str], title: str = "أخبار") -> bytes:
    items = "".join(f"<item><title>خبر {p}</title><link>{site.url}{p}?utm_source=rss#top</link>"
                    f"<pubDate>Mon, 05 Mar 2018 10:00:00 +0000</pubDate></item>" for p in paths)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"{items}</channel></rss>").encode()


def publish(site: Site, feed: str, upto: int, text: Callable[[int], str] | None = None) -> None:
    """Articles 0..upto-1 on the site, and its feed listing them."""
    for n in range(upto):
        site.routes[f"/{feed}/{n}.html"] = (200, page(f"{feed} {n}", (text or (lambda n: article(feed, n)))(n)))
    site.routes["/feed.xml"] = (200, rss(site, [f"/{feed}/{n}.html" for n in range(upto)], feed))


def config(tmp_path: Path, feeds: dict[str, str], timeout: str = "2s", extra: str = "") -> Path:
    lines = ["every: 10m", "sources:"]
    for name, url in feeds.items():
        lines += [f"  - name: {name}", f"    feed: {url}"]
    lines += [f"fetch: {{timeout: {timeout}, per_host_delay: 0s, backoff: 0.05s, retries: 2}}", extra]
    path = tmp_path / "watch.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def counts(db: Path) -> tuple[int, int]:
    con = sqlite3.connect(db)
    try:
        return (con.execute("SELECT count(*) FROM documents").fetchone()[0],
                con.execute("SELECT count(*) FROM watch_seen").fetchone()[0])
    finally:
        con.close()


def wait_for(proc: subprocess.Popen, db: Path, ready: Callable[[tuple[int, int]], bool], timeout: float = 60) -> None:
    """Until ``ready(counts(db))``, the process ends or ``timeout`` seconds pass (the store may not exist yet)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if db.exists() and ready(counts(db)):
                return
        except sqlite3.OperationalError:
            pass  # tables not made yet
        time.sleep(0.02)


def test_three_cycles_store_each_article_once_while_failing_sources_fail_alone(tmp_path: Path) -> None:
    default_pipeline()  # built before the clock starts, as a long-running watch has it
    with sites(8) as (a, b, c, failing, hanging, trickling, bad, huge):
        failing.routes["/feed.xml"] = (500, b"oops")

        def hang(h: BaseHTTPRequestHandler) -> None:
            hanging.release.wait(30)

        def trickle(h: BaseHTTPRequestHandler) -> None:
            h.send_response(200)
            h.end_headers()
            try:
                while not trickling.release.wait(0.3):
                    h.wfile.write(b" ")
                    h.wfile.flush()
            except OSError:
                pass

        sent = [0]

        def fifty_mb(h: BaseHTTPRequestHandler) -> None:
            h.send_response(200)
            h.send_header("Content-Type", "text/html")
            h.end_headers()
            chunk = b"<p>" + "كلام ".encode() * 6000 + b"</p>"
            try:
                while sent[0] < 50_000_000:
                    h.wfile.write(chunk)
                    sent[0] += len(chunk)
            except OSError:
                pass

        hanging.routes["/feed.xml"] = hang
        trickling.routes["/feed.xml"] = trickle
        bad.routes["/feed.xml"] = (200, b"<?xml version='1.0'?><rss version='2.0'><channel><title>x</ti")
        huge.routes["/big.html"] = fifty_mb
        huge.routes["/feed.xml"] = (200, rss(huge, ["/big.html"]))
        # the same incident in feeds a and b, told in other words (different URLs, different articles)
        same_b = {0: article("a", 0).replace("لمراسل a", "لوكالة b")}
        cfg = config(tmp_path, {s: site.url + "/feed.xml" for s, site in
                                {"a": a, "b": b, "c": c, "failing": failing, "hanging": hanging,
                                 "trickling": trickling, "bad": bad, "huge": huge}.items()})
        conf = load_config(cfg)
        db = tmp_path / "w.db"
        reports = []
        for upto in (4, 7, 10):
            publish(a, "a", upto)
            publish(b, "b", upto, lambda n: same_b.get(n, article("b", n)))
            publish(c, "c", upto)
            reports.append(run_cycle(db, conf))
        assert counts(db) == (30, 31)  # 30 articles; the 50 MB page is seen, with nothing to store
        assert sent[0] < 25_000_000  # cut at the cap, not read to the end
        for report in reports:
            assert 1.9 < report.seconds < 3.9, report.seconds  # two 2 s timeouts side by side, not one after another
        by = {s.name: s for s in reports[0].sources}
        assert (by["a"].stored, by["b"].stored, by["c"].stored) == (4, 4, 4)
        assert [s.stored for s in reports[2].sources if s.name == "a"] == [3]
        assert by["failing"].error == "HTTP 500 (after 3 tries)"
        assert "timed out after 2 s" in by["hanging"].error and "timed out after 2 s" in by["trickling"].error
        assert by["bad"].error.startswith("malformed feed")
        assert by["huge"].skipped == 1
        con = sqlite3.connect(db)
        assert con.execute("SELECT count(DISTINCT doc_id) FROM documents").fetchone()[0] == 30
        assert con.execute("SELECT reason FROM run_issues WHERE source LIKE '%big.html'").fetchone()[0] == \
            "page not fetched: larger than 5000000 bytes"
        doc_ids = {r[0] for r in con.execute("SELECT doc_id FROM documents")}
        assert f"{a.url}/a/0.html" in doc_ids  # canonical: no fragment, no utm_*
        con.close()
        status = CliRunner().invoke(main, ["watch", str(cfg), "--db", str(db), "--status"])
        assert status.exit_code == 0, status.output
        rows = {line.split("│")[1].strip(): line for line in status.output.splitlines() if line.count("│") > 8}
        assert "HTTP 500 (after 3 tries)" in rows["failing"] and "│ 3 " in rows["failing"]
        assert "timed out" in rows["hanging"] and "malformed feed" in rows["bad"]
        assert "│ 10 " in rows["a"] and "│ 0 " in rows["a"]


def test_unchanged_feed_is_asked_conditionally_and_answers_304(tmp_path: Path) -> None:
    with sites(1) as (site,):
        publish(site, "a", 2)
        conf = load_config(config(tmp_path, {"a": site.url + "/feed.xml"}))
        first = run_cycle(tmp_path / "w.db", conf)
        second = run_cycle(tmp_path / "w.db", conf)
        feed_requests = [h for p, h in site.log if p == "/feed.xml"]
        assert "If-None-Match" not in feed_requests[0] and feed_requests[1]["If-None-Match"].startswith('"')
        assert feed_requests[0]["User-Agent"].startswith("Marsad/")
        assert first.sources[0].stored == 2 and second.sources[0].not_modified
        assert [p for p, _ in site.log].count("/robots.txt") == 2  # once per run (each cycle a new fetcher)


def test_robots_txt_disallow_is_respected(tmp_path: Path) -> None:
    with sites(1) as (site,):
        site.routes["/robots.txt"] = (200, b"User-agent: *\nDisallow: /private/\n")
        site.routes["/private/0.html"] = (200, page("x", article("p", 0)))
        site.routes["/public/0.html"] = (200, page("y", article("q", 1)))
        site.routes["/feed.xml"] = (200, rss(site, ["/private/0.html", "/public/0.html"]))
        report = run_cycle(tmp_path / "w.db", load_config(config(tmp_path, {"s": site.url + "/feed.xml"})))
        assert (report.sources[0].stored, report.sources[0].skipped) == (1, 1)
        assert "/private/0.html" not in [p for p, _ in site.log]
        con = sqlite3.connect(tmp_path / "w.db")
        assert "disallowed by" in con.execute("SELECT reason FROM run_issues").fetchone()[0]


def test_fetcher_redirects_and_size_cap() -> None:
    with sites(1) as (site,):
        def redirect(h: BaseHTTPRequestHandler) -> None:
            n = int(h.path.rsplit("/", 1)[1])
            h.send_response(302)
            h.send_header("Location", f"/r/{n + 1}")
            h.end_headers()

        for n in range(10):
            site.routes[f"/r/{n}"] = redirect
        site.routes["/r/3"] = (200, b"x" * 100)
        with Fetcher(timeout=2, max_bytes=50, per_host_delay=0, backoff=0) as fetcher:
            assert fetcher.get(site.url + "/r/0").error == "larger than 50 bytes"
            site.routes["/r/3"] = redirect
            assert fetcher.get(site.url + "/r/0").error == "more than 5 redirects"
    assert canonical_url("HTTP://Example.ORG/a?utm_medium=x&id=3#frag") == "http://example.org/a?id=3"


def alert_incidents(con: sqlite3.Connection) -> set[tuple[str, frozenset[str]]]:
    """Each alert as its rule and the articles of its incident (which of them the alert shows depends on the
    order the parallel polls delivered them in; the incident does not)."""
    rows = con.execute("SELECT a.id, a.rule, d.doc_id FROM alerts a JOIN events e ON e.document_id = a.document_id "
                       "AND e.n = a.event_n JOIN events m ON m.cluster_id = e.cluster_id "
                       "JOIN documents d ON d.id = m.document_id").fetchall()
    incidents: dict[tuple[int, str], set[str]] = {}
    for alert, rule, doc in rows:
        incidents.setdefault((alert, rule), set()).add(doc)
    return {(rule, frozenset(docs)) for (_, rule), docs in incidents.items()}


def test_kill_9_mid_cycle_then_rerun_equals_a_clean_run(tmp_path: Path) -> None:
    with sites(3) as all_sites:
        def slow(body: bytes) -> Callable[[BaseHTTPRequestHandler], None]:
            def handler(h: BaseHTTPRequestHandler) -> None:
                time.sleep(0.05)
                h.send_response(200)
                h.send_header("Content-Length", str(len(body)))
                h.end_headers()
                h.wfile.write(body)
            return handler

        for name, site in zip("abc", all_sites, strict=True):
            publish(site, name, 10)
            for n in range(10):
                site.routes[f"/{name}/{n}.html"] = slow(page(f"{name} {n}", article(name, n)))
        cfg = config(tmp_path, {n: s.url + "/feed.xml" for n, s in zip("abc", all_sites, strict=True)}, "10s",
                     "alerts:\n  - name: libya-attacks\n    types: [ASSAULT]\n    countries: [LY]\n")
        env = {**os.environ, "PYTHONPATH": SRC}
        killed, clean = tmp_path / "killed.db", tmp_path / "clean.db"
        cmd = [sys.executable, "-m", "marsad", "watch", str(cfg), "-q", "--once", "--db"]
        proc = subprocess.Popen([*cmd, str(killed)], env=env, stderr=subprocess.PIPE)
        try:
            wait_for(proc, killed, lambda c: c[0] >= 3)
            assert proc.poll() is None, "the cycle ended before it could be killed"
            os.kill(proc.pid, signal.SIGKILL)
        finally:
            proc.wait(30)
        assert 3 <= counts(killed)[0] < 30
        subprocess.run([*cmd, str(killed)], env=env, check=True, capture_output=True, timeout=120)
        subprocess.run([*cmd, str(clean)], env=env, check=True, capture_output=True, timeout=120)

        def contents(db: Path) -> tuple[set, set]:
            con = sqlite3.connect(db)
            try:
                return (set(con.execute("SELECT doc_id, content_hash FROM documents")),
                        set(con.execute("SELECT source, key, content_hash FROM watch_seen")),
                        alert_incidents(con))
            finally:
                con.close()

        assert counts(killed) == counts(clean) == (30, 30)
        assert contents(killed) == contents(clean)
        assert contents(clean)[2], "the alert rule raised nothing"  # the killed run's alerts were caught up
        # the rerun fetched only what the killed run had not committed
        assert sum(p.endswith(".html") for s in all_sites for p, _ in s.log) < 90


@pytest.mark.parametrize(("text", "line", "words"), [
    ("sources:\n  - name: a\n    feed: http://x/f\n    evry: 5m\n", 2, "unknown key(s) 'evry'"),
    ("every: 10 minutes\n", 1, "'every': '10 minutes' is not a duration"),
    ("sources:\n  - name: a\n    feed: http://x/f\n  - name: b\n    folder: d\n    every: 5x\n", 4,
     "'every': '5x' is not a duration"),
    ("alerts:\n  - name: r\n    types: [ASSAULT]\n\n  - name: q\n    countries: [Atlantis]\n", 5,
     "alert 'q': 'countries': 'Atlantis' is not a country"),
    ("alerts:\n  - name: r\n    types: [BOMBING]\n", 2, "alert 'r': 'types': 'BOMBING' is not an event type"),
    ("alerts:\n  - name: s\n    spike: {by: [country], window: 1d, baseline: 28d, extra: 1}\n", 3, "unknown key(s)"),
    ("fetch: {max_bytes: 5 parsecs}\n", 1, "'max_bytes': '5 parsecs' is not a size"),
    ("sources:\n  - name: a\n    feed: ftp://x/f\n", 2, "is not an http:// or https:// URL"),
    # two rules of one name would share their alerts' key (rule, subject): the second would never fire
    ("alerts:\n  - name: r\n    types: [ASSAULT]\n  - name: r\n    spike: {by: [country]}\n", 4,
     "'r' is already the name of the alert at line 2"),
])
def test_config_errors_name_file_line_and_key(tmp_path: Path, text: str, line: int, words: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}:{line}: "), str(caught.value)
    assert words in str(caught.value)


def test_config_reads_every_key(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text("""every: 10m
sources:
  - name: bbc-arabic
    feed: https://example.org/arabic/rss.xml
    every: 5m
  - name: drop-folder
    folder: incoming
alerts:
  - name: libya-attacks
    types: [assault]
    countries: [LY, مصر]
    min_killed: 1
    near: {lat: 32.9, lon: 13.2, km: 50}
  - name: spikes
    spike: {by: [country, type], window: 1d, baseline: 28d}
outputs:
  jsonl: alerts.jsonl
  webhook: http://127.0.0.1:9000/hook
fetch: {timeout: 20s, max_bytes: 500KB, per_host_delay: 1s}
""", encoding="utf-8")
    c = load_config(path)
    assert [(s.name, s.kind, s.every) for s in c.sources] == [("bbc-arabic", "feed", 300),
                                                              ("drop-folder", "folder", 600)]
    assert c.sources[1].location == str(tmp_path / "incoming")
    rule = c.rules.alerts[0]
    assert (rule.types, rule.countries, rule.min_killed, rule.near) == (("ASSAULT",), ("LY", "EG"), 1, (32.9, 13.2, 50))
    assert rule.source == f"{path}:9"
    assert (c.rules.spikes[0].window_days, c.rules.spikes[0].baseline_days) == (1, 28)
    assert c.rules.outputs.webhook == "http://127.0.0.1:9000/hook" and c.fetch.max_bytes == 500_000


def test_folder_source_reads_new_and_edited_files(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "one.txt").write_text(article("f", 1), encoding="utf-8")
    cfg = tmp_path / "w.yaml"
    cfg.write_text("sources:\n  - name: drop\n    folder: in\n", encoding="utf-8")
    conf = load_config(cfg)
    assert run_cycle(tmp_path / "w.db", conf).sources[0].stored == 1
    assert run_cycle(tmp_path / "w.db", conf).sources[0].stored == 0
    (folder / "two.txt").write_text(article("f", 2), encoding="utf-8")
    (folder / "one.txt").write_text(article("f", 1) + " وأضاف المصدر تفاصيل جديدة.", encoding="utf-8")
    assert run_cycle(tmp_path / "w.db", conf).sources[0].stored == 2  # the edit is a new version
    assert counts(tmp_path / "w.db") == (3, 3)


def test_an_incident_two_outlets_report_is_one_alert_in_the_store_the_file_and_the_webhook(tmp_path: Path) -> None:
    with sites(2) as (a, b), receiver() as (hook, server):
        incident = article("a", 0)
        alerts_file = tmp_path / "alerts.jsonl"
        cfg = config(tmp_path, {"a": a.url + "/feed.xml", "b": b.url + "/feed.xml"}, extra=(
            "alerts:\n  - name: libya-attacks\n    types: [ASSAULT]\n    countries: [Libya]\n    min_killed: 1\n"
            f"outputs:\n  jsonl: {alerts_file}\n  webhook: {hook}\n"))
        db = tmp_path / "w.db"
        publish(a, "a", 1, lambda n: incident)
        run = CliRunner().invoke(main, ["watch", str(cfg), "--db", str(db), "--once", "-q"])
        assert run.exit_code == 0, run.output
        # the second outlet's report of the same incident comes a cycle later: no second alert
        publish(b, "b", 1, lambda n: incident.replace("لمراسل a", "لوكالة b"))
        run = CliRunner().invoke(main, ["watch", str(cfg), "--db", str(db), "--once", "-q"])
        assert run.exit_code == 0, run.output
        assert "stored 1, 0 new alert(s)" in run.output
        con = sqlite3.connect(db)
        stored = con.execute("SELECT id, payload FROM alerts WHERE rule = 'libya-attacks'").fetchall()
        incident_docs = alert_incidents(con)
        con.close()
        assert len(stored) == 1, stored
        assert incident_docs == {("libya-attacks", frozenset({f"{a.url}/a/0.html", f"{b.url}/b/0.html"}))}
        payload = json.loads(stored[0][1])
        assert payload["url"] == f"{a.url}/a/0.html" and "قتل" in payload["sentence"]
        lines = read_jsonl(alerts_file)
        assert [line["id"] for line in lines] == [stored[0][0]]
        assert server.requests == [(stored[0][0], 200)]


def test_a_host_that_hangs_on_everything_costs_one_timeout_per_run() -> None:
    with sites(1) as (site,):
        def hang(h: BaseHTTPRequestHandler) -> None:
            site.release.wait(30)

        for path in ("/robots.txt", "/feed.xml", "/a.html"):
            site.routes[path] = hang
        fetcher = Fetcher(timeout=1.0, per_host_delay=0, retries=1, backoff=0.01)
        started = time.monotonic()
        first, second = fetcher.get(site.url + "/feed.xml"), fetcher.get(site.url + "/a.html")
        elapsed = time.monotonic() - started
        fetcher.close()
        assert first.body is None and "asking for robots.txt" in first.error and "timed out" in first.error
        assert second.error == first.error
        assert elapsed < 1.9, elapsed  # robots.txt's timeout only: the feed and the page were not asked
        assert [p for p, _ in site.log] == ["/robots.txt"]


def test_an_edited_article_is_fetched_again_and_stored_as_a_new_version(tmp_path: Path) -> None:
    with sites(1) as (site,):
        def feed(pub_date: str) -> bytes:
            return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title><item>'
                    f"<title>خبر</title><link>{site.url}/a.html</link><pubDate>{pub_date}</pubDate></item>"
                    "</channel></rss>").encode()

        site.routes["/a.html"] = (200, page("خبر", article("a", 0)))
        site.routes["/feed.xml"] = (200, feed("Mon, 05 Mar 2018 10:00:00 +0000"))
        conf = load_config(config(tmp_path, {"s": site.url + "/feed.xml"}))
        db = tmp_path / "w.db"
        run_cycle(db, conf)
        run_cycle(db, conf)  # unchanged: the page is not asked again
        assert [p for p, _ in site.log].count("/a.html") == 1
        edited = article("a", 0).replace("قتل 2 أشخاص", "قتل 4 أشخاص")
        site.routes["/a.html"] = (200, page("خبر", edited))
        site.routes["/feed.xml"] = (200, feed("Mon, 05 Mar 2018 12:30:00 +0000"))  # the outlet's update
        report = run_cycle(db, conf)
        assert report.sources[0].stored == 1
        con = sqlite3.connect(db)
        versions = con.execute("SELECT doc_id, text FROM documents ORDER BY id").fetchall()
        seen = con.execute("SELECT count(*), max(document_id) FROM watch_seen").fetchone()
        con.close()
        assert [doc for doc, _ in versions] == [f"{site.url}/a.html"] * 2  # one article, two versions
        assert "قتل 4 أشخاص" in versions[1][1] and seen == (1, 2)


def test_the_long_running_watch_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    with sites(1) as (site,):
        publish(site, "a", 3)
        cfg = config(tmp_path, {"a": site.url + "/feed.xml"})
        db = tmp_path / "w.db"
        proc = subprocess.Popen([sys.executable, "-m", "marsad", "watch", str(cfg), "--db", str(db)],
                                env={**os.environ, "PYTHONPATH": SRC}, stderr=subprocess.PIPE, text=True)
        try:
            wait_for(proc, db, lambda c: c == (3, 3))
            assert proc.poll() is None, "the watch stopped by itself"
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(30) == 0, proc.stderr.read()
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(10)
            proc.stderr.close()
        con = sqlite3.connect(db)
        assert con.execute("SELECT status FROM runs ORDER BY id DESC LIMIT 1").fetchone()[0] == "finished"
        con.close()


def test_a_record_the_store_cannot_take_is_skipped_and_the_watch_goes_on(tmp_path: Path, monkeypatch) -> None:
    """One article the store refuses (here a ValueError from add) costs that article, logged as skipped: the
    cycle stores the others, and the next cycle does not fall over the same entry again."""
    from marsad.store.sqlite import EventStore

    real_add = EventStore.add

    def refuse_one(self, record, text, source, run_id):
        if "رقم 1." in text:
            raise ValueError("a value the store cannot take")
        return real_add(self, record, text, source, run_id)

    monkeypatch.setattr(EventStore, "add", refuse_one)
    with sites(1) as (site,):
        publish(site, "a", 3)
        conf = load_config(config(tmp_path, {"a": site.url + "/feed.xml"}))
        db = tmp_path / "w.db"
        first = run_cycle(db, conf).sources[0]
        assert (first.stored, first.skipped, first.error) == (2, 1, None)
        second = run_cycle(db, conf).sources[0]
        assert (second.stored, second.error) == (0, None)
    con = sqlite3.connect(db)
    issues = con.execute("SELECT kind, reason FROM run_issues").fetchall()
    con.close()
    assert counts(db) == (2, 3)
    assert [kind for kind, _ in issues] == ["skipped"] and "cannot store (ValueError" in issues[0][1]


def test_a_page_still_answering_429_after_its_retries_is_fetched_at_the_next_poll(tmp_path: Path) -> None:
    """429 (too many requests) is worth retrying, like a 5xx: not a lasting refusal like 404, so the entry is
    not marked seen and the next poll gets the article."""
    with sites(1) as (site,):
        publish(site, "a", 2)
        site.routes["/a/1.html"] = (429, b"slow down")
        conf = load_config(config(tmp_path, {"a": site.url + "/feed.xml"}))
        db = tmp_path / "w.db"
        first = run_cycle(db, conf).sources[0]
        assert (first.stored, first.retry_later) == (1, 1)
        publish(site, "a", 2)  # the outlet answers again
        second = run_cycle(db, conf).sources[0]
        assert (second.stored, second.retry_later) == (1, 0)
    assert counts(db) == (2, 2)


def test_an_entry_whose_html_cannot_be_parsed_costs_that_entry_not_the_feed(tmp_path: Path, monkeypatch) -> None:
    from marsad.readers import feeds

    real = feeds.entry_text

    def fails_on_one(entry):
        if "/a/1.html" in entry.get("link", ""):
            raise ValueError("Document is empty")  # what lxml raises on some broken HTML
        return real(entry)

    monkeypatch.setattr(feeds, "entry_text", fails_on_one)
    with sites(1) as (site,):
        publish(site, "a", 3)
        site.routes["/a/1.html"] = (404, b"gone")  # no page text: the feed's summary is read instead
        conf = load_config(config(tmp_path, {"a": site.url + "/feed.xml"}))
        rep = run_cycle(tmp_path / "w.db", conf).sources[0]
    assert (rep.error, rep.stored, rep.skipped) == (None, 2, 1)
    con = sqlite3.connect(tmp_path / "w.db")
    reasons = [r for (r,) in con.execute("SELECT reason FROM run_issues WHERE kind = 'skipped'")]
    con.close()
    assert any("cannot parse the entry's HTML (ValueError" in r for r in reasons), reasons
