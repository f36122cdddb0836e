"""The dashboard's JSON API over a store made from articles written for these tests."""

import sqlite3

import pytest

from web_helpers import make_store, web_client


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return make_store(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def client(db):
    return web_client(db)


def test_filters_change_counts(client):
    total = client.get("/api/events").json()["total"]
    assault = client.get("/api/events", params={"type": "ASSAULT"}).json()
    assert 0 < assault["total"] < total
    assert {e["type"] for e in assault["events"]} == {"ASSAULT"}
    late = client.get("/api/events", params={"since": "2018-10-01"}).json()
    assert 0 < late["total"] < total and all(e["date"] >= "2018-10-01" for e in late["events"])
    text = client.get("/api/events", params={"q": "بغداد"}).json()
    assert text["total"] > 0 and {e["doc_id"] for e in text["events"]} == {"t-baghdad"}
    assert client.get("/api/events", params={"q": "!!!"}).json()["total"] == 0
    series = client.get("/api/timeline", params={"type": "ASSAULT"}).json()["series"]
    assert sum(s["n"] for s in series) == assault["total"]


def test_aggregates(client):
    pts = client.get("/api/map").json()["points"]
    assert pts and all(p["lat"] is not None for p in pts)
    assert sum(p["n"] for p in client.get("/api/map", params={"type": "CONSULT"}).json()["points"]) < \
        sum(p["n"] for p in pts)
    week = client.get("/api/timeline", params={"bucket": "week"}).json()["series"]
    assert week and {s["bucket"] for s in week} >= {"2018-03-12"}  # a Monday is its own week
    net = client.get("/api/network").json()
    ids = {n["id"] for n in net["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in net["edges"])


def test_evidence_offsets_match_the_text(client):
    checked = 0
    for e in client.get("/api/events", params={"limit": 100}).json()["events"]:
        ev = client.get(f"/api/events/{e['article']}/{e['n']}").json()
        text = ev["article"]["text"]
        assert any(s["role"] == "trigger" for s in ev["spans"])
        for s in ev["spans"]:
            assert text[s["start"]:s["end"]] == s["text"]
        trig = next(s for s in ev["spans"] if s["role"] == "trigger")
        assert trig["text"] == e["trigger_text"]
        for s in ev["spans"]:  # the arguments' spans are the stored offsets, not a search for their words
            if s["role"] != "trigger":
                assert (s["start"], s["end"]) == (ev["event"][f"{s['role']}_start"], ev["event"][f"{s['role']}_end"])
        checked += sum(s["role"] != "trigger" for s in ev["spans"])
        assert isinstance(ev["event"]["explanation"], dict)
    assert checked > 0


def test_article_view_has_all_records(client):
    e = client.get("/api/events", params={"q": "حلب"}).json()["events"][0]
    a = client.get(f"/api/articles/{e['article']}").json()
    assert a["doc_id"] == "t-aleppo" and a["events"] and a["entities"]
    assert all(a["text"][x["start"]:x["end"]] == x["text"] for x in a["entities"] + a["quantities"])
    found = client.get("/api/search", params={"q": "حلب"}).json()["articles"]
    assert [x["doc_id"] for x in found] == ["t-aleppo"]


def test_unknown_ids_404_and_bad_parameters_422(client):
    assert client.get("/api/events/999999/1").status_code == 404
    assert client.get("/api/articles/999999").status_code == 404
    for params in ({"since": "yesterday"}, {"limit": 0}, {"limit": 10_000}, {"modality": "maybe"},
                   {"country": "SYR"}, {"type": "DROP TABLE"}, {"near": "x,y"}, {"near": "100,0,5"}):
        assert client.get("/api/events", params=params).status_code == 422, params
    assert client.get("/api/events/abc/1").status_code == 404  # "abc" is read as a doc_id: none stored
    assert client.get("/api/search").status_code == 422


def test_read_only_and_sql_text_is_data(client, db):
    store = client.app.state.store
    with pytest.raises(sqlite3.OperationalError):
        store.db.execute("DELETE FROM events")
    before = client.get("/api/events").json()["total"]
    assert client.get("/api/events", params={"q": "'; DROP TABLE events; --"}).status_code == 200
    assert client.get("/api/events", params={"actor": "x' OR 1=1 --"}).json()["total"] == 0
    assert client.get("/api/events").json()["total"] == before
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT count(*) FROM events").fetchone()[0] == before


def test_headers_docs_and_openapi_are_offline(client):
    r = client.get("/")
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert "http" not in r.text.replace("http://www.w3.org", "")
    spec = client.get("/openapi.json").json()
    assert "/api/events" in spec["paths"]
    docs = client.get("/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
    assert client.get("/static/countries.geojson").json()["features"]
