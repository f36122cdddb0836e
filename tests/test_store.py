"""`marsad ingest`, the SQLite event store, `query` and `export`: nothing lost, nothing twice (sentences written
for these tests)."""

import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from marsad.cli import main
from marsad.errors import MarsadError
from marsad.records import ARGUMENT_OFFSETS, QUANTITY_SPANS, STANCE_SPANS, offset_columns
from marsad.store.sqlite import SCHEMA_VERSION, EventStore
from process_tree import can_list_children, descendants, survivors

TOWNS = ["إدلب", "حلب", "درعا", "حماة", "الرقة", "دير الزور", "حمص", "اللاذقية", "طرطوس", "القامشلي"]


def article(n: int) -> str:
    town = TOWNS[n % len(TOWNS)]
    return (f"قصفت الطائرات الحربية مواقع في {town} صباح اليوم وقتل {n + 3} مدنيين. "
            f"واعتقلت قوات الأمن {n + 1} أشخاص في {town} بعد مظاهرة في اليوم {n}.")


def ingest(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "marsad", "ingest", *args], capture_output=True, text=True,
                          check=False)


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return con.execute(sql).fetchall()


def records(db: Path) -> dict[str, list]:
    """Everything a run stores, without the ids and run numbers that differ between runs."""
    return {
        "documents": sorted(rows(db, "SELECT doc_id, content_hash, published, text FROM documents")),
        "events": sorted(rows(db, "SELECT d.content_hash, e.n, e.type, e.modality, e.trigger_start, "
                                  "e.source_actor_id, e.target_actor_id, e.lat, e.date FROM events e "
                                  "JOIN documents d ON d.id = e.document_id")),
        "entities": sorted(rows(db, "SELECT d.content_hash, n.n, n.start, n.actor_id FROM entities n "
                                    "JOIN documents d ON d.id = n.document_id")),
        "actors": sorted(rows(db, "SELECT actor_id, mentions FROM actors")),
        "clusters": sorted(rows(db, "SELECT c.type, ifnull(c.source_actor_id, ''), ifnull(c.target_actor_id, ''), "
                                    "ifnull(c.place_key, ''), ifnull(c.first_date, ''), "
                                    "c.mentions, c.articles, (SELECT group_concat(d.content_hash || e.n) FROM events e "
                                    "JOIN documents d ON d.id = e.document_id WHERE e.cluster_id = c.id) "
                                    "FROM event_clusters c")),
    }


@pytest.fixture
def messy_corpus(tmp_path):
    """Three good articles and one of every kind of bad input."""
    d = tmp_path / "corpus"
    d.mkdir()
    (d / "good1.txt").write_text(article(1), encoding="utf-8")
    (d / "good2.txt").write_text("\ufeff" + article(2), encoding="utf-8")  # a byte-order mark
    (d / "arabic_windows.txt").write_bytes(article(3).encode("cp1256"))  # stored, with a note
    (d / "empty.txt").write_text(" \n\n", encoding="utf-8")
    (d / "binary.txt").write_bytes(b"\x00\x01PK\x03\x04")
    (d / "french_latin1.txt").write_bytes("Le café est fermé.".encode("latin-1"))
    (d / "huge.txt").write_text(article(4) * 50, encoding="utf-8")  # over --max-chars below
    (d / "table.csv").write_text(f"id,date,text\nc1,07/04/2019,{article(7)}\nc2,,\n", encoding="utf-8")
    (d / "scan.pdf").write_bytes(b"%PDF-1.4")  # ignored, with a note
    lines = [
        json.dumps({"id": "j1", "text": article(5), "date": "2018-03-14"}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "j2", "body": "no text field"}),
        json.dumps({"id": "j1", "text": article(5), "date": "2018-03-14"}, ensure_ascii=False),  # the same again
        json.dumps({"id": "j1", "text": article(6), "date": "Wed, 14 Mar 2018 10:00:00 GMT"}, ensure_ascii=False),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [str(d), str(tmp_path / "feed.jsonl")]


def test_messy_corpus_exact_counts_and_a_second_run_adds_nothing(tmp_path, messy_corpus):
    db = tmp_path / "m.db"
    first = CliRunner().invoke(main, ["ingest", *messy_corpus, "--db", str(db), "--max-chars", "1000"])
    assert first.exit_code == 0, first.output
    # stored: good1, good2, arabic_windows, c1, j1, j1 (other text); already: the repeated j1 line;
    # skipped: empty, binary, latin-1, huge, the CSV row without text, bad JSON, no text field
    assert "stored 6, already stored 1, skipped 7" in first.output
    for expected in ("empty.txt: empty document", "binary.txt: binary file", "french_latin1.txt: neither UTF-8",
                     "huge.txt", "table.csv:3: no article text in the row", "ignored 1 file of other types (.pdf)",
                     "feed.jsonl:2: malformed JSON", "feed.jsonl:3: no text",
                     "arabic_windows.txt: not UTF-8: read as windows-1256", "id 'j1' is already stored"):
        assert expected in first.output, expected
    assert rows(db, "SELECT COUNT(*) FROM documents") == [(6,)]
    assert rows(db, "SELECT COUNT(*) FROM run_issues WHERE kind = 'skipped'") == [(7,)]
    assert rows(db, "SELECT status, stored, already_stored, skipped FROM runs") == [("finished", 6, 1, 7)]
    assert rows(db, "SELECT published FROM documents WHERE doc_id = 'c1'") == [("2019-04-07",)]
    assert rows(db, "SELECT published FROM documents WHERE doc_id = 'j1' ORDER BY id") == \
        [("2018-03-14",), ("2018-03-14",)]
    before = records(db)
    assert before["events"], "the articles have events"

    second = CliRunner().invoke(main, ["ingest", *messy_corpus, "--db", str(db), "--max-chars", "1000"])
    assert "stored 0, already stored 7, skipped 7" in second.output
    assert records(db) == before
    assert rows(db, "SELECT COUNT(*) FROM runs WHERE status = 'finished'") == [(2,)]


@pytest.mark.skipif(sys.platform == "win32", reason="kill -9")
def test_killed_ingest_resumes_to_exactly_the_clean_runs_records(tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"a{n}", "text": article(n), "date": "2019-04-07"},
                                         ensure_ascii=False) + "\n" for n in range(300)), encoding="utf-8")
    clean, killed = tmp_path / "clean.db", tmp_path / "killed.db"
    assert ingest(str(corpus), "--db", str(clean), "-q").returncode == 0

    proc = subprocess.Popen([sys.executable, "-m", "marsad", "ingest", str(corpus), "--db", str(killed), "-q",
                             "--batch-size", "5", "-j", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stored = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if killed.exists():
            try:
                stored = rows(killed, "SELECT COUNT(*) FROM documents")[0][0]
            except sqlite3.OperationalError:
                stored = 0  # the schema is being created
            if stored >= 20:
                break
        time.sleep(0.02)
    assert proc.poll() is None, "the ingest finished before it could be killed"
    workers = descendants(proc.pid) if can_list_children() else None
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    if workers is not None:  # the pool's two, busy: they end with it (lifeline.py)
        assert len(workers) == 2, workers
        left = survivors(workers, timeout=5)  # on Linux the kernel kills them at once; elsewhere their watchdog
        assert not left, f"workers outlived the killed ingest: {left}"
    partial = rows(killed, "SELECT COUNT(*) FROM documents")[0][0]
    assert 20 <= partial < 300
    # every stored document is whole: as many event rows as its own run's record says
    assert rows(killed, "SELECT COUNT(*) FROM documents d WHERE NOT EXISTS "
                        "(SELECT 1 FROM sentences s WHERE s.document_id = d.id)") == [(0,)]

    resumed = ingest(str(corpus), "--db", str(killed), "-q", "--batch-size", "5")
    assert resumed.returncode == 0, resumed.stderr
    assert f"stored {300 - partial}, already stored {partial}" in resumed.stderr
    assert records(killed) == records(clean)
    assert rows(killed, "SELECT status FROM runs ORDER BY id") == [("interrupted",), ("finished",)]


def test_full_text_search_ignores_diacritics_and_clitics(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("وقالت مصادر إن اشتباكات اندلعت وبطرابلسَ القديمة مساء أمس.", encoding="utf-8")
    db = tmp_path / "s.db"
    CliRunner().invoke(main, ["ingest", str(src), "--db", str(db), "-q"])
    for query in ("طرابلس", "طَرابُلس", "اشتباكات طرابلس"):
        out = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "jsonl", "--text", query])
        assert out.exit_code == 0, out.output
        assert '"doc_id": "a"' in out.output, query
    out = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "jsonl", "--text", 'بنغازي" OR "'])
    assert out.exit_code == 0 and '"doc_id"' not in out.output  # FTS syntax is quoted away, not executed


def test_exports_open_as_csv_jsonl_and_geojson(tmp_path, messy_corpus):
    db = tmp_path / "e.db"
    CliRunner().invoke(main, ["ingest", *messy_corpus, "--db", str(db), "-q", "--max-chars", "1000"])
    n_events = rows(db, "SELECT COUNT(*) FROM events")[0][0]
    n_located = rows(db, "SELECT COUNT(*) FROM events WHERE lat IS NOT NULL")[0][0]
    assert n_located > 0
    for fmt in ("csv", "jsonl", "geojson"):
        out = tmp_path / f"events.{fmt}"
        result = CliRunner().invoke(main, ["export", "--db", str(db), "--format", fmt, "--out", str(out)])
        assert result.exit_code == 0, result.output
    with (tmp_path / "events.csv").open(encoding="utf-8-sig", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert len(table) == n_events and table[0]["type"] and "قصفت" in "".join(r["trigger_text"] for r in table)
    lines = (tmp_path / "events.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == n_events and isinstance(json.loads(lines[0])["explanation"], dict)
    geo = json.loads((tmp_path / "events.geojson").read_text(encoding="utf-8"))
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == n_located
    lon, lat = geo["features"][0]["geometry"]["coordinates"]
    assert 30 < lon < 45 and 30 < lat < 40  # Syria, in lon/lat order
    near = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "jsonl", "--near", "35.93,36.63,30",
                                     "--type", "ASSAULT"])
    assert near.exit_code == 0 and all("إدلب" in json.loads(x)["location_text"] or json.loads(x)["lat"]
                                       for x in near.output.splitlines() if x.startswith("{"))


def test_store_refuses_a_newer_schema_and_a_non_database(tmp_path):
    db = tmp_path / "new.db"
    EventStore(db).close()
    assert rows(db, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    with sqlite3.connect(db) as con:
        con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(MarsadError, match="newer Marsad"):
        EventStore(db)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(MarsadError, match="not a Marsad database"):
        EventStore(junk)


def _corpus(path: Path, articles: list[tuple[str, str, str]]) -> Path:
    path.write_text("".join(json.dumps({"id": i, "date": d, "text": t}, ensure_ascii=False) + "\n"
                            for i, d, t in articles), encoding="utf-8")
    return path


# Three reports of one air raid (the second dated by «أمس»), the same raid a fortnight later, and a protest.
REPORTS = [
    ("r1", "2019-04-07", "قصفت الطائرات الحربية مواقع في حماة صباح اليوم."),
    ("r2", "2019-04-08", "وقالت مصادر محلية إن الطائرات الحربية قصفت أمس مواقع في حماة."),
    ("r3", "2019-04-08", "قصفت الطائرات الحربية مواقع في حماة يوم الأحد الماضي، بحسب ناشطين."),
    ("r4", "2019-04-21", "قصفت الطائرات الحربية مواقع في حماة صباح اليوم مجددا."),
    ("r5", "2019-04-07", "تظاهر مئات الطلاب في حماة صباح اليوم ضد الحكومة السورية."),
]


def test_reports_of_the_same_event_form_one_cluster_with_every_mention_kept(tmp_path):
    db = tmp_path / "c.db"
    assert ingest(str(_corpus(tmp_path / "c.jsonl", REPORTS)), "--db", str(db), "-q").returncode == 0
    raids = rows(db, "SELECT d.doc_id, e.date, e.cluster_id FROM events e JOIN documents d ON d.id = e.document_id "
                     "WHERE e.type = 'ASSAULT' ORDER BY d.id")
    assert [(doc, day) for doc, day, _ in raids] == [("r1", "2019-04-07"), ("r2", "2019-04-07"),
                                                     ("r3", "2019-04-07"), ("r4", "2019-04-21")]
    assert raids[0][2] == raids[1][2] == raids[2][2] != raids[3][2]  # a fortnight later is another raid
    assert rows(db, f"SELECT mentions, articles, first_date, last_date FROM event_clusters WHERE id = {raids[0][2]}") \
        == [(3, 3, "2019-04-07", "2019-04-07")]
    protest = rows(db, "SELECT cluster_id FROM events WHERE type = 'PROTEST'")
    assert protest and protest[0][0] not in {c for *_, c in raids}  # another type is another event

    out = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "jsonl", "--dedup", "--type", "ASSAULT"])
    assert out.exit_code == 0, out.output
    clusters = [json.loads(x) for x in out.output.splitlines() if x.startswith("{")]
    assert [(c["doc_id"], c["cluster_mentions"], c["cluster_doc_ids"]) for c in clusters] == \
        [("r1", 3, "r1 r2 r3"), ("r4", 1, "r4")]


def test_an_older_store_upgrades_and_clusters_what_it_held(tmp_path):
    db = tmp_path / "old.db"
    assert ingest(str(_corpus(tmp_path / "c.jsonl", REPORTS)), "--db", str(db), "-q").returncode == 0
    expected = rows(db, "SELECT e.document_id, e.n, e.cluster_id FROM events e ORDER BY 1, 2")
    codes = rows(db, "SELECT actor_id, cameo FROM actors ORDER BY 1")
    assert any(code for _, code in codes)
    with sqlite3.connect(db) as con:  # take it back to schema 1, as an older Marsad left it
        con.executescript("DROP INDEX events_cluster; ALTER TABLE events DROP COLUMN cluster_id; "
                          "DROP TABLE event_clusters; ALTER TABLE actors DROP COLUMN cameo; "
                          "DROP TABLE document_countries; "
                          + "".join(f"ALTER TABLE events DROP COLUMN {c}; " for c in ARGUMENT_OFFSETS)
                          + "".join(f"ALTER TABLE stances DROP COLUMN {c}; " for c in offset_columns(STANCE_SPANS))
                          + "".join(f"ALTER TABLE quantities DROP COLUMN {c}; " for c in offset_columns(QUANTITY_SPANS))
                          + "".join(f"DROP TRIGGER {t}; " for t in ("documents_inserted", "documents_deleted",
                                                                     "documents_updated", "runs_changed",
                                                                     "alerts_inserted", "sources_changed",
                                                                     "sources_inserted"))
                          + "DROP TABLE watch_sources; DROP TABLE watch_seen; DROP TABLE alerts; "
                          + "DROP TABLE watch_state; "
                          + "DROP TABLE store_changes; ALTER TABLE runs DROP COLUMN pid; "
                          + "ALTER TABLE runs DROP COLUMN host; "
                          + "DROP INDEX documents_relevance; ALTER TABLE documents DROP COLUMN relevance; "
                          + "PRAGMA user_version = 1;")
    EventStore(db).close()
    assert rows(db, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert rows(db, "SELECT e.document_id, e.n, e.cluster_id FROM events e ORDER BY 1, 2") == expected
    assert rows(db, "SELECT actor_id, cameo FROM actors ORDER BY 1") == codes
    assert rows(db, "SELECT COUNT(*) FROM document_countries")[0][0] > 0  # the country index is rebuilt too
    # the old rows never had their arguments' offsets: they stay unknown rather than guessed from the words
    assert rows(db, "SELECT COUNT(*) FROM events WHERE source_start IS NOT NULL OR location_start IS NOT NULL") \
        == [(0,)]


def test_plover_cameo_and_parquet_exports(tmp_path):
    db = tmp_path / "x.db"
    r6 = "وقد تقصف الطائرات الحربية مواقع في حماة غدا. وقتل الجيش السوري 4 مدنيين في حماة."
    corpus = _corpus(tmp_path / "c.jsonl", [*REPORTS, ("r6", "2019-04-09", r6)])
    assert ingest(str(corpus), "--db", str(db), "-q").returncode == 0
    total = rows(db, "SELECT COUNT(*) FROM events")[0][0]
    asserted = rows(db, "SELECT COUNT(*) FROM events WHERE modality = 'asserted'")[0][0]
    assert asserted < total, "the corpus has an event that did not happen"

    plover = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "plover"])
    assert plover.exit_code == 0, plover.output
    records = [json.loads(x) for x in plover.output.splitlines() if x.startswith("{")]
    assert len(records) == asserted  # event data formats hold what happened, unless --modality says otherwise
    for r in records:
        assert {"id", "date", "source", "event", "quad_code", "event_scale", "cite_info"} <= set(r)
        assert r["event"][0] in {"ASSAULT", "PROTEST"} and r["modality"] == "asserted"
    killing = next(r for r in records if r["event_text"] == ["وقتل"])
    assert killing["dead"] == 4 and killing["event_loc"]["name"] == "حماة"
    start, end = killing["text_info"]["location_start"], killing["text_info"]["location_end"]
    assert r6[start:end] == "حماة" and start > r6.index("وقتل")  # the place after the killing, not the raid's
    assert killing["source"][0]["identifier_id"].startswith("SYR") and killing["source"][0]["code"]

    tsv = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "cameo", "--modality", "asserted",
                                    "--modality", "hypothetical"])
    table = [line.split("\t") for line in tsv.output.splitlines() if "\t" in line]
    assert table[0][:3] == ["EventID", "Date", "Year"] and len(table) - 1 == total
    assert all(len(row) == len(table[0]) for row in table)
    assert {row[1] for row in table[1:]} >= {"20190407", "20190421"}

    duckdb = pytest.importorskip("duckdb")
    out = tmp_path / "events_parquet"
    for _ in range(2):  # a second export replaces the first whole
        result = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "parquet", "--out", str(out)])
        assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["month=2019-04"]
    n, months = duckdb.connect().execute(
        f"SELECT COUNT(*), COUNT(DISTINCT month) FROM read_parquet('{out}/*/*.parquet', hive_partitioning = true)"
    ).fetchone()
    assert (n, months) == (total, 1)
    no_out = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "parquet"])
    assert no_out.exit_code != 0 and "--out" in no_out.output


def test_events_keep_where_their_arguments_are_in_the_text(tmp_path):
    # «حماة» twice in one sentence: the stored offsets say which one the coder took, not the first one found
    text = ("أكد ناشطون من حماة أن الجيش السوري قصف مواقع في حماة أمس. "
            "وقال المرصد السوري إن الجيش السوري اعتقل 3 أشخاص في درعا.")
    corpus = _corpus(tmp_path / "c.jsonl", [("a1", "2019-04-07", text)])
    db = tmp_path / "x.db"
    assert ingest(str(corpus), "--db", str(db), "-q").returncode == 0
    extracted = CliRunner().invoke(main, ["extract", str(corpus), "--format", "jsonl"])
    record = json.loads(next(x for x in extracted.output.splitlines() if x.startswith("{")))
    expected = [tuple((v.get(role) or {}).get(edge) for role in ("source", "target", "location", "attribution")
                      for edge in ("start", "end")) for v in record["events"]]
    stored = rows(db, f"SELECT {', '.join(ARGUMENT_OFFSETS)} FROM events ORDER BY n")
    assert stored == expected and any(row[0] is not None for row in stored) and any(row[4] for row in stored)
    assert stored[0][4] == text.index("حماة", text.index("قصف")) != text.index("حماة")  # the second «حماة»
    for row, (source, place) in zip(stored, rows(db, "SELECT source_text, location_text FROM events ORDER BY n"),
                                    strict=True):
        if source is not None:
            assert text[row[0]:row[1]] == source
        if place is not None:
            assert text[row[4]:row[5]] == place

    out = tmp_path / "events.csv"
    exported = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "csv", "--out", str(out)])
    assert exported.exit_code == 0, exported.output
    with out.open(encoding="utf-8-sig", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert set(ARGUMENT_OFFSETS) <= set(table[0])
    assert sorted((tuple(int(r[c]) if r[c] else None for c in ARGUMENT_OFFSETS) for r in table), key=repr) == \
        sorted(expected, key=repr)


def test_stances_and_counts_keep_where_their_actors_are_in_the_text(tmp_path):
    text = "رفضت جماعة الإخوان المسلمين المبادرة المصرية. وتضم قوات الوفاق في حدود 11 الف عنصر في طرابلس."
    db = tmp_path / "x.db"
    assert ingest(str(_corpus(tmp_path / "c.jsonl", [("s1", "2019-04-07", text)])), "--db", str(db),
                  "-q").returncode == 0
    (holder, h0, h1, obj, o0, o1), = rows(db, "SELECT holder_text, holder_start, holder_end, object_text, "
                                             "object_start, object_end FROM stances")
    assert (text[h0:h1], text[o0:o1]) == (holder, obj) == ("جماعة الإخوان المسلمين", "المبادرة المصرية")
    (of, q0, q1), = rows(db, "SELECT of_text, of_start, of_end FROM quantities WHERE of_text IS NOT NULL")
    assert text[q0:q1] == of == "قوات الوفاق"
