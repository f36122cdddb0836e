"""Issue #24: what Marsad writes is readable as any other tool's output (the umask, not tempfile's 0600), `demo`
cleans up on SIGTERM and opens a browser only when asked (saying so when it cannot), and a database path that
cannot be opened says why (sentences written for these tests)."""

import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import urllib.request
import webbrowser
from pathlib import Path

import pytest
from click.testing import CliRunner

from marsad.cli import main
from web_helpers import start_demo

ARTICLES = [
    {"id": "a1", "date": "2019-04-07", "text": "قصفت الطائرات الحربية مواقع في حماة صباح اليوم وقتل 4 مدنيين."},
    {"id": "a2", "date": "2019-05-02", "text": "اعتقلت قوات الأمن 3 أشخاص في حلب بعد مظاهرة."},
]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture
def corpus(tmp_path) -> Path:
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in ARTICLES), encoding="utf-8")
    return path


@pytest.fixture
def db(tmp_path, corpus) -> Path:
    db = tmp_path / "news.db"
    r = CliRunner().invoke(main, ["ingest", str(corpus), "--db", str(db), "-q", "--workers", "1"])
    assert r.exit_code == 0, r.output
    return db


# 1. permissions


def test_extract_out_files_get_the_umask_mode(tmp_path, corpus, umask_022):
    out = tmp_path / "results"
    r = CliRunner().invoke(main, ["extract", str(corpus), "--out", str(out), "-q", "--workers", "1"])
    assert r.exit_code == 0, r.output
    written = sorted(out.glob("*.json"))
    assert [p.name for p in written] == ["a1.json", "a2.json"]
    assert {p.name: oct(mode(p)) for p in written} == {"a1.json": "0o644", "a2.json": "0o644"}
    assert not list(out.glob(".*")), "no temporary file is left behind"


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "geojson"])
def test_exports_get_the_umask_mode_and_keep_a_replaced_files_mode(tmp_path, db, fmt, umask_022):
    out = tmp_path / "exports" / f"events.{fmt}"
    r = CliRunner().invoke(main, ["export", "--db", str(db), "--format", fmt, "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert oct(mode(out)) == "0o644"
    first = out.read_bytes()
    assert first

    out.chmod(0o640)  # the user chose who reads it: a new export of the same file keeps that
    r = CliRunner().invoke(main, ["export", "--db", str(db), "--format", fmt, "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert oct(mode(out)) == "0o640" and out.read_bytes() == first
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name], "no temporary file is left behind"


def test_parquet_export_folder_gets_the_umask_mode(tmp_path, db, umask_022):
    pytest.importorskip("pyarrow")
    out = tmp_path / "events_parquet"
    r = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "parquet", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert oct(mode(out)) == "0o755"
    parts = sorted(out.rglob("*.parquet"))
    assert parts and all(oct(mode(p)) == "0o644" for p in parts)
    assert all(oct(mode(d)) == "0o755" for d in out.iterdir())

    out.chmod(0o750)  # replaced whole, it keeps the mode the user gave it
    r = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "parquet", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert oct(mode(out)) == "0o750"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


# 2. demo on SIGTERM; the browser


def test_demo_removes_its_temporary_store_on_sigterm(tmp_path):
    env = dict(os.environ, TMPDIR=str(tmp_path))
    proc, url = start_demo(env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    try:
        assert url, "marsad demo did not announce its address"
        assert json.load(urllib.request.urlopen(url + "api/stats", timeout=10))["documents"] == 5
        [store] = tmp_path.glob("marsad-demo-*")
        assert (store / "demo.db").is_file()

        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
        assert proc.returncode == 128 + signal.SIGTERM, proc.stderr.read()
        assert not list(tmp_path.glob("marsad-demo-*")), "the demo's temporary store outlived it"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        proc.stderr.close()


@pytest.fixture
def browser_calls(monkeypatch):
    calls = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: calls.append(url) or True)
    return calls


def test_demo_opens_no_browser_unless_asked_and_prints_the_address(tmp_path, no_bind, browser_calls,
                                                                    monkeypatch):
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the demo's store, under the test's folder
    monkeypatch.setenv("DISPLAY", ":0")
    r = CliRunner().invoke(main, ["demo", "--port", "8799"])
    assert r.exit_code == 0, r.output
    assert "dashboard on http://127.0.0.1:8799/" in r.stderr
    assert browser_calls == []
    for flag in ("--no-open", "--no-browser"):  # the old spelling still works
        r = CliRunner().invoke(main, ["demo", "--port", "8799", flag])
        assert r.exit_code == 0, r.output
    assert browser_calls == []

    r = CliRunner().invoke(main, ["demo", "--port", "8799", "--open"])
    assert r.exit_code == 0, r.output
    assert browser_calls == ["http://127.0.0.1:8799/"] and "could not open" not in r.stderr
    assert not list(tmp_path.glob("marsad-demo-*"))


@pytest.mark.parametrize("failure", ["returns False", "raises"])
def test_a_browser_that_cannot_be_opened_is_reported_with_the_address(tmp_path, no_bind, monkeypatch,
                                                                      failure):
    from marsad.store.sqlite import EventStore

    db = tmp_path / "empty.db"
    EventStore(db).close()
    monkeypatch.setenv("DISPLAY", ":0")

    def fail(url, *args, **kwargs):
        if failure == "raises":
            raise webbrowser.Error("could not locate runnable browser")
        return False

    monkeypatch.setattr(webbrowser, "open", fail)
    r = CliRunner().invoke(main, ["serve", "--db", str(db), "--port", "8798", "--open"])
    assert r.exit_code == 0, r.output
    [line] = [x for x in r.stderr.splitlines() if "browser" in x]
    assert "could not open a browser" in line and "http://127.0.0.1:8798/" in line


def test_no_display_on_linux_is_reported_without_trying_a_browser(tmp_path, no_bind, browser_calls,
                                                                  monkeypatch):
    from marsad.store.sqlite import EventStore

    db = tmp_path / "empty.db"
    EventStore(db).close()
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    r = CliRunner().invoke(main, ["serve", "--db", str(db), "--port", "8797", "--open"])
    assert r.exit_code == 0, r.output
    assert browser_calls == []
    [line] = [x for x in r.stderr.splitlines() if "browser" in x]
    assert "no graphical display" in line and "http://127.0.0.1:8797/" in line


# 3. database paths


def test_ingest_into_a_missing_directory_names_it(tmp_path, corpus):
    folder = tmp_path / "no" / "such"
    r = CliRunner().invoke(main, ["ingest", str(corpus), "--db", str(folder / "news.db"), "-q"])
    assert r.exit_code != 0
    assert f"no such directory: {folder}" in r.output and "not a Marsad database" not in r.output
    assert not folder.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into a read-only directory")
def test_ingest_into_a_read_only_directory_says_so(tmp_path, corpus):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        r = CliRunner().invoke(main, ["ingest", str(corpus), "--db", str(folder / "news.db"), "-q"])
    finally:
        folder.chmod(0o755)
    assert r.exit_code != 0
    assert f"directory not writable: {folder}" in r.output and "not a Marsad database" not in r.output


def test_a_directory_sqlite_cannot_write_in_is_named(tmp_path, corpus, monkeypatch):
    """The same as above for any user, root included: SQLite's refusal and the directory's mode are simulated."""
    folder = tmp_path / "ro"
    folder.mkdir()
    real_access = os.access

    def access(path, how, *args, **kwargs):
        if Path(path) == folder and how & os.W_OK:
            return False
        return real_access(path, how, *args, **kwargs)

    def connect(*args, **kwargs):
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(os, "access", access)
    monkeypatch.setattr(sqlite3, "connect", connect)
    r = CliRunner().invoke(main, ["ingest", str(corpus), "--db", str(folder / "news.db"), "-q"])
    assert r.exit_code != 0
    assert f"directory not writable: {folder}" in r.output and "not a Marsad database" not in r.output


def test_a_file_that_is_not_a_database_is_still_called_so(tmp_path, corpus):
    db = tmp_path / "notes.db"
    db.write_text("these are notes, not a database\n" * 100, encoding="utf-8")
    r = CliRunner().invoke(main, ["ingest", str(corpus), "--db", str(db), "-q"])
    assert r.exit_code != 0 and "not a Marsad database" in r.output


def test_query_on_a_missing_database_says_no_such_database(tmp_path):
    r = CliRunner().invoke(main, ["query", "--db", str(tmp_path / "none.db")])
    assert r.exit_code != 0 and "no such database" in r.output
