"""The dashboard's API under what issue #21 found: stale numbers after an ingest, foreign Host headers (DNS
rebinding), ids beyond SQLite's integers, and LIKE wildcards in the actor filter."""

import json
import shutil
import sqlite3
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from marsad.store.query import EventFilter, select_events
from marsad.store.schema import MIGRATIONS
from marsad.store.sqlite import EventStore
from marsad.web.app import create_app
from web_helpers import ingest, make_store, served, web_client

FIRST = [
    {"id": "c-homs", "date": "2019-02-03", "title": "قصف حمص",
     "text": "قصفت المدفعية أحياء في حمص مساء الأحد وقتل 5 مدنيين، بحسب ناشطين محليين."},
    {"id": "c-mosul", "date": "2019-02-05", "title": "اجتماع الموصل",
     "text": "التقى محافظ نينوى وفدا من الأمم المتحدة في الموصل يوم الثلاثاء لبحث إعادة الإعمار."},
]
SECOND = [
    {"id": "c-idlib", "date": "2019-03-01", "title": "غارات إدلب",
     "text": "شنت الطائرات الروسية غارات على قرى في ريف إدلب الجنوبي، وأصيب 9 أشخاص بينهم أطفال."},
    {"id": "c-sanaa", "date": "2019-03-04", "title": "صنعاء",
     "text": "أعلنت جماعة الحوثي إسقاط طائرة مسيرة قرب صنعاء صباح الاثنين."},
    {"id": "c-tripoli", "date": "2019-03-09", "title": "طرابلس",
     "text": "اندلعت اشتباكات بين قوات حكومة الوفاق ومسلحين جنوب طرابلس، ودعت البعثة الأممية إلى التهدئة."},
]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("robust"))


def _stats_from_threads(client: TestClient, calls: int = 12) -> list[dict]:
    # No `with client`: each request then runs on its own event loop and worker thread, so on a new connection, as
    # a server's thread pool does when it grows or replaces its idle threads. Several at once, from several threads.
    with ThreadPoolExecutor(4) as pool:
        return list(pool.map(lambda _: client.get("/api/stats").json(), range(calls)))


def _changes(db) -> int:
    with sqlite3.connect(db) as con:
        return con.execute("SELECT n FROM store_changes").fetchone()[0]


# ---- 1. the aggregates' cache follows every committed change ------------------------------------------------------

def test_stats_follow_an_ingest_while_the_server_runs(tmp_path):
    db = tmp_path / "live.db"
    ingest(FIRST, tmp_path / "first.jsonl", db)
    client = web_client(db)
    before = _stats_from_threads(client)
    assert {s["documents"] for s in before} == {len(FIRST)}
    cache = client.app.state.store._cache
    size = len(cache)
    assert client.get("/api/stats").json() == before[0] and len(cache) == size  # unchanged store: served cached

    n = _changes(db)
    ingest(SECOND, tmp_path / "second.jsonl", db)
    assert _changes(db) > n
    after = _stats_from_threads(client)
    assert [s["documents"] for s in after] == [len(FIRST) + len(SECOND)] * len(after)
    assert {s["events"] for s in after} == {after[0]["events"]} and after[0]["events"] > before[0]["events"]
    assert client.get("/api/events").json()["total"] == after[0]["events"]

    # any writer, not only `marsad ingest`: a user's script deleting an article with the sqlite3 shell's defaults
    with sqlite3.connect(db) as con:
        con.execute("DELETE FROM documents WHERE doc_id = 'c-sanaa'")
    assert {s["documents"] for s in _stats_from_threads(client)} == {len(FIRST) + len(SECOND) - 1}


def test_change_counter_on_a_store_from_an_older_schema(tmp_path):
    db = tmp_path / "old.db"
    with sqlite3.connect(db) as con:  # a store as Marsad made it at schema 4, with one article
        for n, migration in enumerate(MIGRATIONS[:4], 1):
            con.executescript(migration)
            con.execute(f"PRAGMA user_version = {n}")
        con.execute("INSERT INTO runs (id, started_at, finished_at, status, command, marsad_version) "
                    "VALUES (1, '2020-01-01', '2020-01-01', 'finished', 'ingest', '0.1')")
        con.execute("INSERT INTO documents (doc_id, content_hash, source, text, meta, country_context, "
                    "marsad_version, run_id) VALUES ('old-1', 'h1', 'x:1', 'نص قديم', '{}', '[]', '0.1', 1)")
    with pytest.raises(Exception, match="older"):
        create_app(db)  # read-only, the dashboard cannot upgrade it: it says to open it once
    EventStore(db).close()  # the upgrade
    assert _changes(db) == 0
    client = web_client(db)
    assert {s["documents"] for s in _stats_from_threads(client)} == {1}
    ingest(FIRST, tmp_path / "first.jsonl", db)
    assert _changes(db) > 0
    assert {s["documents"] for s in _stats_from_threads(client)} == {1 + len(FIRST)}


# ---- 2. Host header allow-list ------------------------------------------------------------------------------------

def _status(app, host: str, path: str = "/api/stats") -> int:
    return TestClient(app).get(path, headers={"Host": host}).status_code


def test_foreign_host_headers_are_refused(db):
    app = create_app(db)
    for host in ("evil.example", "evil.example:8811", "127.0.0.1.evil.example", "localhost.evil.example",
                 "testserver", "192.168.1.20", "[2001:db8::1]:8811", ""):
        assert _status(app, host) == 400, host
    r = TestClient(app).get("/", headers={"Host": "evil.example"})
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/plain") and "Host" in r.text
    assert _status(app, "evil.example", "/static/countries.geojson") == 400
    for host in ("127.0.0.1", "127.0.0.1:8811", "127.8.9.10:80", "localhost", "LOCALHOST:8811", "localhost.",
                 "dash.localhost:8811", "[::1]:8811", "::1"):
        assert _status(app, host) == 200, host


def test_allowed_names_and_the_bound_address(db):
    app = create_app(db, allowed_hosts=["dash.example", "Box.Lan"])
    for host in ("dash.example", "dash.example:8811", "box.lan", "BOX.LAN.:80", "127.0.0.1"):
        assert _status(app, host) == 200, host
    for host in ("evil.example", "x.dash.example", "192.168.1.20"):
        assert _status(app, host) == 400, host
    lan = create_app(db, bind_host="192.168.1.20")
    assert _status(lan, "192.168.1.20:8811") == 200 and _status(lan, "10.0.0.1") == 400
    assert _status(lan, "evil.example") == 400
    for every in ("0.0.0.0", "::"):  # any IP literal is the server's own address; names still need --allow-host
        app = create_app(db, bind_host=every)
        assert _status(app, "192.168.1.20:8811") == 200 and _status(app, "[fe80::1]:8811") == 200
        assert _status(app, "evil.example") == 400


def test_a_real_server_refuses_a_rebound_name(db):
    with served(db) as (base, _):
        url = base + "/api/stats"
        assert json.load(urllib.request.urlopen(url, timeout=10))["documents"] == 4
        with pytest.raises(urllib.error.HTTPError) as err:  # curl -H 'Host: evil.example' …
            urllib.request.urlopen(urllib.request.Request(url, headers={"Host": "evil.example"}), timeout=10)
        assert err.value.code == 400


# ---- 3. ids beyond SQLite's integers ------------------------------------------------------------------------------

def test_out_of_range_ids_are_404_or_422_never_500(db):
    client = web_client(db, raise_server_exceptions=False)
    for bad in (2**63, 2**70, -1, 0, 2**63 - 1):
        for path in (f"/api/articles/{bad}", f"/api/events/{bad}/1", f"/api/events/1/{bad}"):
            assert client.get(path).status_code in (404, 422), path
    assert client.get(f"/api/articles/{2**63}").status_code == 422
    assert client.get(f"/api/articles/{2**63 - 1}").status_code == 404
    assert client.get("/api/events/1/1").status_code == 200


# ---- 4. the actor filter's words are literal ----------------------------------------------------------------------

def test_actor_words_match_literally(db, tmp_path):
    copy = tmp_path / "actors.db"
    shutil.copy(db, copy)
    texts = ["a_b", "axb", "100%", "1000", "c\\d", "cxd"]
    with sqlite3.connect(copy) as con:
        rowids = [r[0] for r in con.execute("SELECT rowid FROM events ORDER BY rowid LIMIT ?", (len(texts),))]
        assert len(rowids) == len(texts)
        for rowid, text in zip(rowids, texts, strict=True):
            con.execute("UPDATE events SET source_text = ? WHERE rowid = ?", (text, rowid))
    store = EventStore(copy, readonly=True)
    client = web_client(copy)
    try:
        for actor in texts:
            found = [e["source_text"] for e in select_events(store, EventFilter(actor=actor))]
            assert found == [actor], actor
            events = client.get("/api/events", params={"actor": actor}).json()
            assert [e["source_text"] for e in events["events"]] == [actor] and events["total"] == 1, actor
        assert [e["source_text"] for e in select_events(store, EventFilter(actor="A_B"))] == ["a_b"]  # still no case
        assert {e["source_text"] for e in select_events(store, EventFilter(actor="x"))} >= {"axb", "cxd"}
    finally:
        store.close()
