"""Issue 24: one parser for the event filters of `query`, `export` and the dashboard API; `query` shows each event's
id, evidence sentence and the total; API articles by the ids the exports show (articles written for these tests)."""

import csv
import io
import json

import pytest
from click.testing import CliRunner

from marsad.cli import main
from web_helpers import ARTICLES, ingest, web_client

# t-gaza edited after it was first stored: the store keeps both texts under one doc_id; the later one has an extra
# sentence, so an event (v4) only it has
EDITED = dict(ARTICLES[2], date="2018-10-16",
              text=ARTICLES[2]["text"] + " وقصفت الطائرات مواقع في خان يونس.")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("i24")
    ingest([*ARTICLES, EDITED], tmp / "articles.jsonl", tmp / "t.db")
    return tmp / "t.db"


@pytest.fixture(scope="module")
def client(db):
    return web_client(db)


def run(db, *args):
    return CliRunner().invoke(main, [args[0], "--db", str(db), *args[1:]])


def exported(db, *args) -> list[dict]:
    r = run(db, "export", "--format", "jsonl", *args)
    assert r.exit_code == 0, r.output
    return [json.loads(line) for line in r.stdout.splitlines()]


def api_total(client, **params) -> int:
    r = client.get("/api/events", params=params)
    assert r.status_code == 200, r.text
    return r.json()["total"]


# ---- 1. one parser for every filter --------------------------------------------------------------------------------

@pytest.mark.parametrize(("since", "until", "iso_since", "iso_until"), [
    ("13/03/2018", None, "2018-03-13", None),
    (None, "12/03/2018", None, "2018-03-12"),
    ("15/10/2018", "1/11/2018", "2018-10-15", "2018-11-01"),
    ("16 تشرين الأول 2018", None, "2018-10-16", None),  # Levantine month name
    (None, "2 أغسطس 2018", None, "2018-08-02"),  # Egyptian month name
    ("2018-10", "2018-10", "2018-10-01", "2018-10-31"),  # a month alone: its first day, its last day
])
def test_day_first_and_arabic_dates_select_as_their_iso_date(db, client, since, until, iso_since, iso_until):
    def args(a, b):
        return [*(["--since", a] if a else []), *(["--until", b] if b else [])]

    want = exported(db, *args(iso_since, iso_until))
    everything = exported(db)
    assert 0 < len(want) < len(everything)
    assert exported(db, *args(since, until)) == want
    params = {k: v for k, v in (("since", since), ("until", until)) if v}
    iso = {k: v for k, v in (("since", iso_since), ("until", iso_until)) if v}
    assert api_total(client, **params) == api_total(client, **iso) == len(want)


def test_day_first_dates_are_not_compared_as_text(db):
    # before: "12/03/2018" sorted after every ISO date, so --until kept nothing and --since everything
    assert len(exported(db, "--until", "12/03/2018")) == 1  # t-aleppo's one event
    assert len(exported(db, "--since", "02/08/2018")) == len(exported(db)) - 1


@pytest.mark.parametrize(("option", "value", "accepted"), [
    ("since", "yesterday", ["YYYY-MM-DD", "DD/MM/YYYY", "آذار"]),
    ("since", "2018-13-45", ["YYYY-MM-DD", "DD/MM/YYYY"]),
    ("until", "31/02/2018", ["YYYY-MM-DD"]),  # no 31 February
    ("since", "12/03/2018x", ["YYYY-MM-DD"]),  # a date with more after it is no date
    ("until", "before 12/03/2018", ["YYYY-MM-DD"]),
    ("country", "Narnia", ["ISO alpha-2", "Libya", "ليبيا"]),
    ("type", "FOO", ["ASSAULT", "PROTEST", "AGREE", "COERCE"]),
    ("modality", "maybe", ["asserted", "expected", "negated", "hypothetical"]),
])
def test_bad_values_are_usage_errors_with_what_is_accepted(db, client, option, value, accepted):
    api_param = {"text": "q"}.get(option, option)
    response = client.get("/api/events", params={api_param: value})
    assert response.status_code == 422
    message = response.json()["detail"]
    assert message.startswith(f"{option}: {value!r}")
    for word in accepted:
        assert word in message
    for command in ("query", "export"):
        r = run(db, command, *(["--format", "csv"] if command == "export" else []), f"--{option}", value)
        assert r.exit_code == 2, (command, r.output)
        assert f"'--{option}'" in r.output
        said = " ".join(r.output.split())  # click wraps the message
        assert " ".join(message.split(": ", 1)[1].split()) in said


def test_since_after_until_is_a_usage_error(db, client):
    assert run(db, "query", "--since", "2018-11-01", "--until", "2018-10-01").exit_code == 2
    assert client.get("/api/events", params={"since": "2018-11-01", "until": "2018-10-01"}).status_code == 422


@pytest.mark.parametrize("name", ["Syria", "syria", "سوريا", "سورية", "sy"])
def test_a_country_by_name_is_its_code(db, client, name):
    by_code = exported(db, "--country", "SY")
    assert by_code and {e["doc_id"] for e in by_code} == {"t-aleppo"}
    assert exported(db, "--country", name) == by_code
    assert api_total(client, country=name) == api_total(client, country="SY") == len(by_code)


def test_types_and_modalities_in_any_case(db, client):
    assault = exported(db, "--type", "ASSAULT")
    assert assault and exported(db, "--type", "assault", "--modality", "Asserted") == assault
    assert api_total(client, type="assault") == len(assault)


# ---- 2. query shows what it says -----------------------------------------------------------------------------------

def test_query_shows_ids_sentences_and_the_total(db):
    everything = exported(db)
    r = run(db, "query", "--limit", "3")
    assert r.exit_code == 0, r.output
    for event in everything[:3]:
        assert event["event"] in r.stdout
        assert " ".join(event["sentence"].split()) in r.stdout
    assert everything[3]["event"] not in r.stdout
    assert f"{len(everything)} events match; showing the first 3" in r.stdout
    one = run(db, "query", "--country", "SY")
    assert "1 event match; showing all" in one.stdout


def test_query_formats_parse(db):
    everything = exported(db)
    as_json = run(db, "query", "--format", "JSON", "--limit", "5")
    assert as_json.exit_code == 0, as_json.output
    events = json.loads(as_json.stdout)
    assert [e["event"] for e in events] == [e["event"] for e in everything[:5]]
    assert isinstance(events[0]["explanation"], dict) and events[0]["sentence"]
    as_jsonl = run(db, "query", "--format", "jsonl", "--limit", "5")
    assert [json.loads(line) for line in as_jsonl.stdout.splitlines()] == events
    as_csv = run(db, "query", "--format", "csv", "--limit", "5")
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    export_csv = run(db, "export", "--format", "csv")
    export_header = next(csv.reader(io.StringIO(export_csv.stdout)))
    assert list(rows[0]) == export_header and [r["event"] for r in rows] == [e["event"] for e in events]
    assert f"{len(everything)} events match; showing the first 5" in as_csv.stderr


def test_export_limit(db):
    everything = exported(db)
    assert exported(db, "--limit", "2") == everything[:2]
    assert len(exported(db, "--limit", "1000")) == len(everything)
    assert run(db, "export", "--format", "csv", "--limit", "0").exit_code == 2


# ---- 3. API articles by the ids the exports show -------------------------------------------------------------------

def test_api_articles_by_doc_id_and_event_id(client):
    first = client.get("/api/articles/t-aleppo")
    assert first.status_code == 200 and first.json()["doc_id"] == "t-aleppo"
    assert client.get(f"/api/articles/{first.json()['id']}").json() == first.json()  # the number still works
    # an edited article: its doc_id means the text stored last
    latest = client.get("/api/articles/t-gaza").json()
    assert latest["text"] == EDITED["text"] and len(latest["events"]) == 4
    # an event id as the exports write it (doc_id#vN) names its article
    assert client.get("/api/articles/t-gaza%23v4").json() == latest
    assert client.get("/api/articles/t-gaza%23v2").json() == latest
    ev = client.get("/api/events/t-gaza/4")
    assert ev.status_code == 200 and ev.json()["event"]["event"] == "t-gaza#v4"
    assert ev.json()["article"]["id"] == latest["id"]
    by_number = client.get(f"/api/events/{latest['id']}/4").json()
    assert by_number == ev.json()


def test_api_event_ids_match_the_exports(db, client):
    ids = {e["event"] for e in exported(db)}
    shown = {e["event"] for e in client.get("/api/events", params={"limit": 100}).json()["events"]}
    assert shown == ids


@pytest.mark.parametrize("path", ["/api/articles/t-nowhere", "/api/articles/t-gaza%23v9",
                                  "/api/events/t-nowhere/1", "/api/events/t-aleppo/9"])
def test_api_unknown_ids_are_404_with_a_message(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert "t-nowhere" in r.json()["detail"] or "t-gaza#v9" in r.json()["detail"] or "9" in r.json()["detail"]
