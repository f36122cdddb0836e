"""`marsad watch` alerts (#25): rules fire once per incident with the evidence, spikes fire on a real rise and not
on noise, and delivery to the JSON Lines file and the webhook is exactly once (articles written for these tests)."""

from __future__ import annotations

import json
import math
import random
import shutil
import socket
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from marsad.geo import great_circle_km
from marsad.store.sqlite import EventStore
from marsad.watch.alerts import run_alerts
from marsad.watch.delivery import GIVE_UP_AFTER, deliver
from marsad.watch.rules import AlertRule, Outputs, Rules, SpikeRule
from marsad.watch.spikes import poisson_tail
from watch_helpers import read_jsonl, receiver
from web_helpers import ingest

ARTICLES = [
    {"id": "a1", "date": "2024-03-12", "title": "قصف حلب", "url": "https://example.org/a1", "outlet": "وكالة أ",
     "text": "قصفت الطائرات الحربية الروسية مواقع في حلب صباح اليوم وقتل 7 مدنيين، بحسب المرصد السوري لحقوق الإنسان."},
    {"id": "a2", "date": "2024-03-12", "title": "غارات على حلب", "url": "https://example.org/a2", "outlet": "وكالة ب",
     "text": "قالت مصادر محلية إن الطائرات الحربية الروسية قصفت مواقع في حلب اليوم ما أدى إلى مقتل 7 مدنيين."},
    {"id": "a3", "date": "2024-03-13", "title": "غزة", "url": "https://example.org/a3", "outlet": "وكالة ج",
     "text": "شنت الطائرات الإسرائيلية غارات على مواقع في غزة، وأصيب 4 فلسطينيين."},
    {"id": "a5", "date": "2024-03-13", "title": "إدلب", "url": "https://example.org/a5", "outlet": "وكالة هـ",
     "text": "قصفت الطائرات الحربية الروسية مواقع في إدلب صباح اليوم وقتل 2 من المدنيين."},
]
NOW = datetime(2024, 3, 13, 18, tzinfo=UTC)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("alerts")
    ingest(ARTICLES, tmp / "articles.jsonl", tmp / "built.db")
    return tmp / "built.db"


@pytest.fixture
def store(built, tmp_path) -> Iterator[EventStore]:
    shutil.copy(built, tmp_path / "t.db")  # each test its own alerts table
    s = EventStore(tmp_path / "t.db")
    yield s
    s.close()


def doc(store: EventStore, doc_id: str) -> int:
    return int(store.db.execute("SELECT id FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()[0])


def alerts(store: EventStore) -> list[dict]:
    return [{**dict(r), "payload": json.loads(r["payload"])} for r in store.db.execute("SELECT * FROM alerts")]


def fire(store: EventStore, *rules: AlertRule, docs: tuple[str, ...] = ("a1", "a2", "a3", "a5")) -> list[dict]:
    created = run_alerts(store, Rules(alerts=rules), [doc(store, d) for d in docs], now=NOW)
    return [a for a in alerts(store) if a["id"] in created]


# ---- rule alerts ---------------------------------------------------------------------------------------------


def test_a_type_and_country_rule_fires_one_alert_with_the_evidence(store):
    (alert,) = fire(store, AlertRule("syria", types=("ASSAULT",), countries=("SY",)), docs=("a1",))
    p = alert["payload"]
    assert alert["kind"] == "event" and alert["rule"] == "syria" and p["rule"] == "syria"
    assert p["sentence"].startswith("قصفت الطائرات الحربية الروسية مواقع في حلب") and p["trigger"] == "قصفت"
    assert (p["url"], p["title"], p["outlet"], p["doc_id"], p["event"]) == (
        "https://example.org/a1", "قصف حلب", "وكالة أ", "a1", "a1#v1")
    assert (p["source_actor_id"], p["target_actor_id"], p["place"], p["place_country"], p["date"]) == (
        "RUS", "SYR-CVL", "حلب", "SY", "2024-03-12")
    assert p["killed"] == 7 and p["cluster"] == int(alert["subject"])


def test_two_outlets_reporting_one_incident_are_one_alert(store):
    rule = AlertRule("syria", types=("ASSAULT",), countries=("SY",))
    (first,) = fire(store, rule, docs=("a1",))
    assert fire(store, rule, docs=("a2",)) == []  # a2 is the same strike: its cluster already alerted
    assert len(alerts(store)) == 1
    # both at once: still one alert, whose cluster counts both articles
    store.db.execute("DELETE FROM alerts")
    (both,) = fire(store, rule, docs=("a1", "a2"))
    assert both["subject"] == first["subject"]
    assert both["payload"]["cluster_articles"] == 2 and both["payload"]["cluster_doc_ids"] == ["a1", "a2"]


def test_running_the_rules_again_creates_nothing(store):
    rules = (AlertRule("all", types=("ASSAULT",)), AlertRule("killed", min_killed=1))
    assert len(fire(store, *rules)) >= 3
    n = len(alerts(store))
    assert fire(store, *rules) == [] and len(alerts(store)) == n


def test_min_killed_and_min_injured_filter(store):
    assert [a["payload"]["doc_id"] for a in fire(store, AlertRule("k5", min_killed=5))] == ["a1"]
    assert sorted(a["payload"]["doc_id"] for a in fire(store, AlertRule("k2", min_killed=2))) == ["a1", "a5"]
    assert [a["payload"]["doc_id"] for a in fire(store, AlertRule("i3", min_injured=3))] == ["a3"]


def test_near_is_a_radius_around_the_point(store):
    gaza = (31.5, 34.467)
    west = (31.5, 34.30)  # about 16 km from Gaza City
    assert 15 < great_circle_km(*gaza, *west) < 17
    assert fire(store, AlertRule("10km", near=(*west, 10.0))) == []
    assert [a["payload"]["event"] for a in fire(store, AlertRule("20km", near=(*west, 20.0)))] == ["a3#v1"]


def test_a_located_event_is_in_its_places_country_not_its_articles(store):
    # a3 is about Israel and Palestine, but the strike it reports is in Gaza
    assert fire(store, AlertRule("il", countries=("IL",)), docs=("a3",)) == []
    assert len(fire(store, AlertRule("ps", countries=("PS",)), docs=("a3",))) == 1


def test_actors_and_modes_and_modalities(store):
    assert {a["payload"]["doc_id"] for a in fire(store, AlertRule("isr", actors=("ISR",)))} == {"a3"}
    assert fire(store, AlertRule("ground", modes=("ground",))) == []
    assert fire(store, AlertRule("denied", modalities=("denied",))) == []


# ---- spikes --------------------------------------------------------------------------------------------------


def add_events(store: EventStore, day: date, country: str, count: int, etype: str = "ASSAULT") -> None:
    """``count`` single-article incidents of ``etype`` on ``day`` in articles about ``country``, written as rows."""
    run = store.start_run("test")
    for _ in range(count):
        text = f"حادث في {country} يوم {day} رقم {random.random()}"
        cur = store.db.execute(
            "INSERT INTO documents (doc_id, content_hash, source, published, text, meta, country_context, "
            "marsad_version, run_id) VALUES (?, ?, 'test', ?, ?, '{}', ?, 'test', ?)",
            (f"{country}-{day}-{random.random()}", str(random.random()), day.isoformat(), text,
             json.dumps([country]), run))
        store.db.execute("INSERT INTO document_countries VALUES (?, ?)", (cur.lastrowid, country))
        store.db.execute(
            "INSERT INTO events (document_id, n, type, modality, trigger_start, trigger_end, trigger_text, "
            "sentence_start, sentence_end, date, date_precision, explanation) "
            "VALUES (?, 1, ?, 'asserted', 0, 4, 'حادث', 0, ?, ?, 'day', '{}')",
            (cur.lastrowid, etype, len(text), day.isoformat()))


def spikes(store: EventStore, rule: SpikeRule, day: date) -> list[dict]:
    created = run_alerts(store, Rules(spikes=(rule,)), [], now=datetime.combine(day, datetime.min.time(), UTC))
    return [a for a in alerts(store) if a["id"] in created]


def test_the_poisson_tail():
    assert poisson_tail(0, 3.0) == 1.0
    assert poisson_tail(5, 5.0) == pytest.approx(0.5595, abs=1e-4)
    assert poisson_tail(3, 0.1) == pytest.approx(1 - math.exp(-0.1) * (1 + 0.1 + 0.005), rel=1e-6)
    assert 0 < poisson_tail(200, 5.0) < 1e-200  # far in the tail, where 1 - CDF would be 0


def test_a_sudden_rise_fires_exactly_one_spike(tmp_path):
    store = EventStore(tmp_path / "s.db")
    today = date(2024, 5, 30)
    rng = random.Random(7)
    for d in range(1, 29):
        add_events(store, today - timedelta(days=d), "SY", [1, 2, 3, 2][d % 4])
        add_events(store, today - timedelta(days=d), "IQ", rng.choice([4, 5, 6]))
    add_events(store, today, "SY", 12)
    add_events(store, today, "IQ", 6)
    rule = SpikeRule("rise", by=("country", "type"), p_value=0.001)
    (alert,) = spikes(store, rule, today)
    p = alert["payload"]
    assert alert["kind"] == "spike" and alert["subject"] == "SY|ASSAULT|2024-05-30"
    assert p["count"] == 12 and p["baseline"] == 56 and p["expected"] == pytest.approx(2.0)
    assert p["p_value"] < 0.001 and len(p["examples"]) == 3
    assert all(e["sentence"].startswith("حادث في SY") and e["date"] == "2024-05-30" for e in p["examples"])
    assert spikes(store, rule, today) == []  # once per group and day
    store.close()


def test_a_steady_history_fires_no_spike(tmp_path):
    store = EventStore(tmp_path / "s.db")
    rng, start = random.Random(25), date(2024, 1, 1)

    def poisson(lam: float) -> int:  # Knuth's sampler: daily counts around 5
        k, p, limit = 0, rng.random(), math.exp(-lam)
        while p > limit:
            k, p = k + 1, p * rng.random()
        return k

    counts = [poisson(5.0) for _ in range(35)]
    for d, n in enumerate(counts):
        add_events(store, start + timedelta(days=d), "SY", n)
    assert 3 < sum(counts) / len(counts) < 7
    rule = SpikeRule("steady", by=("country",))
    for d in range(28, 35):  # each of the last week's days, with its own 28-day baseline
        assert spikes(store, rule, start + timedelta(days=d)) == []
    store.close()


def test_a_group_with_no_history_still_needs_min_count(tmp_path):
    store = EventStore(tmp_path / "s.db")
    today = date(2024, 5, 30)
    add_events(store, today, "LB", 2)
    assert spikes(store, SpikeRule("new", min_count=3), today) == []
    add_events(store, today, "LB", 1)
    assert [a["subject"] for a in spikes(store, SpikeRule("new", min_count=3), today)] == ["LB|ASSAULT|2024-05-30"]
    store.close()


# ---- delivery ------------------------------------------------------------------------------------------------


def test_jsonl_gets_each_alert_once_across_deliveries(store, tmp_path):
    out = tmp_path / "alerts.jsonl"
    fire(store, AlertRule("all", types=("ASSAULT",)))
    n = len(alerts(store))
    assert deliver(store, Outputs(jsonl=str(out))).jsonl_written == n
    assert deliver(store, Outputs(jsonl=str(out))).jsonl_written == 0
    got = read_jsonl(out)
    assert sorted(a["id"] for a in got) == sorted(a["id"] for a in alerts(store))
    assert all(a["sentence"] and a["url"] and a["event"] for a in got)


def test_jsonl_is_exactly_once_across_a_crash_between_append_and_mark(store, tmp_path, monkeypatch):
    out = tmp_path / "alerts.jsonl"
    fire(store, AlertRule("all", types=("ASSAULT",)))

    def crash(self):
        raise KeyboardInterrupt("killed after the append, before the mark")

    with monkeypatch.context() as m:
        m.setattr(EventStore, "transaction", crash)
        with pytest.raises(KeyboardInterrupt):
            deliver(store, Outputs(jsonl=str(out)))
    assert len(read_jsonl(out)) == len(alerts(store))  # written, not marked
    assert store.db.execute("SELECT count(*) FROM alerts WHERE delivered_jsonl = 1").fetchone()[0] == 0
    report = deliver(store, Outputs(jsonl=str(out)))  # the restart
    assert (report.jsonl_written, report.jsonl_found) == (0, len(alerts(store)))
    assert len(read_jsonl(out)) == len(alerts(store))
    # a crash mid-write leaves half a line: it is cut off and its alert written whole
    fire(store, AlertRule("killed", min_killed=1))
    new = [a for a in alerts(store) if not a["delivered_jsonl"]]
    with out.open("a", encoding="utf-8") as f:
        f.write(json.dumps({"id": new[0]["id"], "rule": "killed"})[:9])
    deliver(store, Outputs(jsonl=str(out)))
    ids = [a["id"] for a in read_jsonl(out)]
    assert sorted(ids) == sorted(a["id"] for a in alerts(store))


def test_the_webhook_receives_each_alert_once(store, tmp_path):
    fire(store, AlertRule("all", types=("ASSAULT",)))
    with receiver() as (url, server):
        assert deliver(store, Outputs(webhook=url)).webhook_sent == len(alerts(store))
        assert deliver(store, Outputs(webhook=url)).webhook_sent == 0
    assert sorted(i for i, _ in server.requests) == sorted(a["id"] for a in alerts(store))


def test_a_failing_webhook_is_retried_and_does_not_stop_the_jsonl(store, tmp_path):
    out = tmp_path / "alerts.jsonl"
    fire(store, AlertRule("all", types=("ASSAULT",)))
    n = len(alerts(store))
    with receiver([500, 500]) as (url, server):  # two failures, then it recovers
        report = deliver(store, Outputs(jsonl=str(out), webhook=url), retries=3, backoff=0.01)
    assert report.jsonl_written == n and report.webhook_sent == n and report.webhook_failures == 2
    first = min(a["id"] for a in alerts(store))
    assert [s for i, s in server.requests if i == first] == [500, 500, 200]
    assert {a["id"]: a["webhook_attempts"] for a in alerts(store)}[first] == 3
    with receiver([500] * 100) as (url, server):  # down for good: given up after GIVE_UP_AFTER attempts
        fire(store, AlertRule("killed", min_killed=1))
        for _ in range(GIVE_UP_AFTER):
            report = deliver(store, Outputs(jsonl=str(out), webhook=url), retries=3, backoff=0.0)
            if report.webhook_given_up:
                break
    assert report.webhook_given_up and "given up" in report.errors[-1]
    assert len(read_jsonl(out)) == len(alerts(store))  # every alert in the file all the same
    (gone,) = report.webhook_given_up
    deliver(store, Outputs(webhook=url), retries=1, backoff=0.0)
    assert {a["id"]: a["webhook_attempts"] for a in alerts(store)}[gone] == GIVE_UP_AFTER  # not tried again


def test_an_unreachable_webhook_does_not_raise(store, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens there once closed
    fire(store, AlertRule("all", types=("ASSAULT",)))
    out = tmp_path / "alerts.jsonl"
    report = deliver(store, Outputs(jsonl=str(out), webhook=f"http://127.0.0.1:{port}/hook"), retries=2, backoff=0.01)
    assert report.webhook_sent == 0 and report.webhook_failures == 2 and "not delivered" in report.errors[0]
    assert report.jsonl_written == len(alerts(store))
    assert sqlite3.connect(store.path).execute("SELECT max(webhook_attempts) FROM alerts").fetchone()[0] == 2
