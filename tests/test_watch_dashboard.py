"""Issue #25, the dashboard side of `marsad watch`: /api/alerts and /api/sources over rows a test writes as the
watch would (plain SQL through its own connection, beside the read-only server), the alerts and sources panels,
and the live refresh: an alert committed while the page is open appears without a reload.

Screenshots go to test-artifacts/ (gitignored). The browser tests skip only when /usr/bin/chromium is absent."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from web_helpers import dashboard_page, ingest, make_store, needs_chromium, served, shot, wait_until, web_client


def iso(delta: timedelta = timedelta()) -> str:
    return (datetime.now(UTC) + delta).isoformat(timespec="seconds")


def add_source(db: Path, name: str, *, failures: int = 0, ok_ago: timedelta | None = timedelta(minutes=3),
               error: str | None = None, articles: int = 0, polled: bool = True) -> None:
    with sqlite3.connect(db) as con:
        con.execute("INSERT INTO watch_sources (name, kind, location, last_poll, next_poll, last_ok, "
                    "consecutive_failures, last_error, articles) VALUES (?, 'feed', ?, ?, ?, ?, ?, ?, ?)",
                    (name, f"https://example.org/{name}.xml", iso(-timedelta(minutes=1)) if polled else None,
                     iso(timedelta(minutes=14)), iso(-ok_ago) if ok_ago is not None else None, failures, error,
                     articles))


def add_seen(db: Path, source: str, key: str, document_id: int | None, seen: str) -> None:
    with sqlite3.connect(db) as con:
        con.execute("INSERT INTO watch_seen (source, key, content_hash, document_id, seen) VALUES (?, ?, 'h', ?, ?)",
                    (source, key, document_id, seen))


def add_alert(db: Path, rule: str, kind: str, subject: str, payload: dict | str, document_id: int | None = None,
              event_n: int | None = None) -> int:
    with sqlite3.connect(db) as con:
        cur = con.execute("INSERT INTO alerts (rule, kind, subject, created, document_id, event_n, payload) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?)",
                          (rule, kind, subject, iso(), document_id, event_n,
                           payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)))
        return cur.lastrowid


def event_alert(db: Path, rule: str, doc_id: str) -> int:
    """An alert on the first event of the article ``doc_id``, with the payload the watch writes."""
    with sqlite3.connect(db) as con:
        con.row_factory = sqlite3.Row
        e = con.execute("SELECT d.id, d.doc_id, d.url, d.title, d.outlet, e.* FROM events e JOIN documents d "
                        "ON d.id = e.document_id WHERE d.doc_id = ? ORDER BY e.n LIMIT 1", (doc_id,)).fetchone()
        text = con.execute("SELECT text FROM documents WHERE id = ?", (e["document_id"],)).fetchone()[0]
    payload = {"rule": rule, "sentence": text[e["sentence_start"]:e["sentence_end"]], "trigger": e["trigger_text"],
               "source": e["source_text"], "target": e["target_text"], "place": e["location_text"],
               "date": e["date"], "url": f"https://example.org/{doc_id}", "title": e["title"], "doc_id": doc_id,
               "event": f"{doc_id}#v{e['n']}", "mentions": 3, "articles": 2}
    return add_alert(db, rule, "event", f"cluster-{doc_id}", payload, e["document_id"], e["n"])


@pytest.fixture(scope="module")
def base_store(tmp_path_factory) -> Path:
    return make_store(tmp_path_factory.mktemp("watchdash"))


@pytest.fixture
def db(base_store, tmp_path) -> Path:
    """A copy of the test store, for a test to write watch rows into."""
    path = tmp_path / "w.db"
    with sqlite3.connect(base_store) as src, sqlite3.connect(path) as dst:
        src.backup(dst)
    return path


# ---- API ---------------------------------------------------------------------------------------------------------

def test_a_store_no_watch_has_used_gives_empty_lists(db):
    client = web_client(db)
    assert client.get("/api/alerts").json() == {"total": 0, "alerts": []}
    assert client.get("/api/sources").json() == {"sources": []}
    assert isinstance(client.get("/api/stats").json()["changes"], int)


def test_alerts_newest_first_with_payload_and_evidence(db):
    client = web_client(db)
    first = event_alert(db, "strikes", "t-aleppo")
    spike = add_alert(db, "surge", "spike", "SY|ASSAULT|2018-03-12",
                      {"count": 9, "baseline": 28, "expected": 1.5, "p_value": 0.00004,
                       "examples": ["t-aleppo#v1"]})
    broken = add_alert(db, "by-hand", "event", "x", "not json {")
    body = client.get("/api/alerts").json()
    assert body["total"] == 3 and [a["id"] for a in body["alerts"]] == [broken, spike, first]
    ev = body["alerts"][2]
    assert ev["rule"] == "strikes" and ev["kind"] == "event" and ev["doc_id"] == "t-aleppo"
    assert ev["event"] == "t-aleppo#v1" and ev["article"] and ev["event_n"] == 1
    assert ev["payload"]["trigger"] in ev["payload"]["sentence"] and ev["payload"]["mentions"] == 3
    # the evidence view the alert links to exists
    assert client.get(f"/api/events/{ev['article']}/{ev['event_n']}").status_code == 200
    sp = body["alerts"][1]
    assert sp["payload"]["p_value"] == 0.00004 and sp["article"] is None and sp["doc_id"] is None
    assert body["alerts"][0]["payload"] == {"text": "not json {"}  # shown, not a server error
    # since_id: only what a poller has not seen; limit: the newest
    assert [a["id"] for a in client.get(f"/api/alerts?since_id={first}").json()["alerts"]] == [broken, spike]
    assert client.get(f"/api/alerts?since_id={broken}").json()["alerts"] == []
    assert [a["id"] for a in client.get("/api/alerts?limit=1").json()["alerts"]] == [broken]
    assert client.get("/api/alerts?limit=0").status_code == 422
    assert client.get("/api/alerts?since_id=-1").status_code == 422


def test_alerts_are_cached_until_the_store_changes(db):
    client = web_client(db)
    assert client.get("/api/alerts").json()["total"] == 0
    changes = client.get("/api/stats").json()["changes"]
    event_alert(db, "strikes", "t-gaza")  # the alerts_inserted trigger moves the counter
    assert client.get("/api/stats").json()["changes"] > changes
    assert client.get("/api/alerts").json()["total"] == 1


def test_sources_with_health_and_articles_today(db):
    client = web_client(db)
    assert client.get("/api/sources").json()["sources"] == []
    add_source(db, "good", articles=12)
    add_source(db, "flaky", failures=1, error="HTTP 503 Service Unavailable", articles=4)
    add_source(db, "dead", failures=5, ok_ago=timedelta(days=3), error="connection refused")
    add_source(db, "stale", ok_ago=timedelta(hours=8))
    add_source(db, "new", ok_ago=None, polled=False)
    add_source(db, "never", failures=1, ok_ago=None, error="no such host")
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat() + "T23:59:00+00:00"
    add_seen(db, "good", "a", 1, iso())
    add_seen(db, "good", "b", 2, iso(-timedelta(seconds=5)))
    add_seen(db, "good", "c", None, iso())  # seen, nothing stored: not an article
    add_seen(db, "good", "d", 3, yesterday)  # stored, but not today
    add_seen(db, "flaky", "e", 4, iso())
    by_name = {s["name"]: s for s in client.get("/api/sources").json()["sources"]}
    assert list(by_name) == sorted(by_name)
    assert {n: s["health"] for n, s in by_name.items()} == {
        "good": "ok", "flaky": "late", "dead": "failing", "stale": "late", "new": "waiting", "never": "failing"}
    good = by_name["good"]
    assert good["today"] == 2 and good["articles"] == 12 and good["kind"] == "feed"
    assert good["location"] == "https://example.org/good.xml" and 150 <= good["last_ok_age_s"] <= 400
    assert good["last_poll"] and good["next_poll"] and good["consecutive_failures"] == 0
    assert by_name["flaky"]["today"] == 1 and by_name["flaky"]["last_error"] == "HTTP 503 Service Unavailable"
    assert by_name["dead"]["consecutive_failures"] == 5 and by_name["never"]["last_ok_age_s"] is None
    # an update (the watch's next poll) is seen through the cache
    with sqlite3.connect(db) as con:
        con.execute("UPDATE watch_sources SET consecutive_failures = 0, last_error = NULL, last_ok = ? "
                    "WHERE name = 'flaky'", (iso(),))
    assert {s["name"]: s["health"] for s in client.get("/api/sources").json()["sources"]}["flaky"] == "ok"


# ---- the page ----------------------------------------------------------------------------------------------------

@needs_chromium
def test_page_without_watch_says_so(browser, db):
    with served(db) as (url, _), dashboard_page(browser, url) as page:
        assert page.is_visible("#watch-note")
        assert page.is_hidden("#alerts-panel") and page.is_hidden("#sources-panel")


@needs_chromium
def test_new_alert_appears_live_without_reload(browser, db, tmp_path):
    event_alert(db, "strikes in Syria", "t-aleppo")
    add_alert(db, "surge", "spike", "SY|ASSAULT|2018-03-12",
              {"count": 9, "baseline": 28, "expected": 1.5, "p_value": 0.00004, "examples": ["t-aleppo#v1"]})
    add_source(db, "sana", articles=12)
    add_source(db, "flaky-feed", failures=1, error="HTTP 503 Service Unavailable", articles=4)
    add_source(db, "dead-feed", failures=5, ok_ago=timedelta(days=3), error="connection refused: example.org:443")
    add_seen(db, "sana", "a", 1, iso())
    with served(db) as (url, _), dashboard_page(browser, url + "/?refresh=0.5") as page:
        assert page.get_attribute("body", "data-refresh") == "0.5"  # the test's interval, not the default 10 s
        assert page.is_hidden("#watch-note") and page.is_visible("#alerts-panel")
        assert page.locator("#alerts li.alert").count() == 2
        assert page.locator("#sources tbody tr").count() == 3
        assert page.get_attribute("#sources tr[data-source=dead-feed]", "data-health") == "failing"
        assert page.get_attribute("#sources tr[data-source=flaky-feed]", "data-health") == "late"
        assert page.get_attribute("#sources tr[data-source=sana]", "data-health") == "ok"
        # the user's filter, scroll and a marker that a reload would lose
        page.select_option("#filters select[name=modality]", "asserted")
        wait_until(page, lambda: page.locator("#events tbody tr").count() > 0, "the filtered table")
        total = int(page.get_attribute("#count", "data-total"))
        page.evaluate("() => { window.__marker = 'still here'; window.scrollTo(0, 300); }")
        live = page.evaluate("() => document.body.dataset.live || '0'")

        # what the watch does: a new article (its own process), then an alert on its event
        ingest([{"id": "t-live", "date": "2018-10-20", "title": "قصف جديد",
                 "text": "قصفت الطائرات الحربية مواقع في إدلب صباح اليوم وقتل 5 مدنيين، بحسب الدفاع المدني."}],
               tmp_path / "live.jsonl", db)
        new_id = event_alert(db, "strikes in Syria", "t-live")
        wait_until(page, lambda: page.locator(f"#alerts li.alert[data-id='{new_id}']").count() == 1,
                   "the new alert in the panel", timeout=15)
        wait_until(page, lambda: int(page.get_attribute("#count", "data-total")) > total, "the new event in the table")
        assert page.evaluate("() => window.__marker") == "still here", "the page was reloaded"
        assert page.evaluate("() => window.scrollY") == 300
        assert page.input_value("#filters select[name=modality]") == "asserted"
        assert int(page.evaluate("() => document.body.dataset.live")) > int(live)
        newest = page.locator("#alerts li.alert").first
        assert newest.get_attribute("data-id") == str(new_id)
        assert "إدلب" in newest.text_content() and newest.locator("mark.trigger").count() == 1
        assert page.locator("#events tbody tr", has_text="t-live").count() >= 1
        # the alert's link opens the evidence view
        newest.locator("a.evidence-link").click()
        page.wait_for_selector("#detail mark.trigger")
        assert page.get_attribute("#detail", "data-event").endswith("/1")
        page.evaluate("() => window.scrollTo(0, 0)")
        page.wait_for_timeout(3200)  # the new alert's highlight fades (a CSS animation) before the screenshot
        shot(page, "watch-alerts-panel", "#alerts-panel")
        shot(page, "watch-sources-panel", "#sources-panel")
        shot(page, "watch-dashboard")
        assert page.dialogs == []

        # a hidden tab does not poll; shown again, it checks at once
        polls = lambda: sum("/api/stats" in u for u in page.requests)  # noqa: E731
        wait_until(page, lambda: polls() >= 2, "the page to poll")
        page.evaluate("() => Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true})")
        page.wait_for_timeout(600)  # a poll already under way may still finish
        hidden = polls()
        page.wait_for_timeout(2000)  # four intervals of 0.5 s
        assert polls() == hidden, "the hidden page kept polling"
        page.evaluate("() => { Object.defineProperty(document, 'visibilityState', {value: 'visible', "
                      "configurable: true}); document.dispatchEvent(new Event('visibilitychange')); }")
        wait_until(page, lambda: polls() > hidden, "a poll when the page is shown again", timeout=3)
