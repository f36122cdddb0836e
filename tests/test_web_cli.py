"""`marsad demo` and `marsad serve` as a user runs them: a real server on 127.0.0.1, answering."""

import json
import urllib.request

from click.testing import CliRunner
from fastapi.testclient import TestClient

from marsad.cli import main
from marsad.cli_web import exposure_warning, warn_if_exposed
from marsad.store.sqlite import EventStore
from web_helpers import start_demo


def test_demo_serves_the_bundled_examples():
    proc, url = start_demo("--no-browser")
    try:
        assert url, "marsad demo did not announce its address"
        stats = json.load(urllib.request.urlopen(url + "api/stats", timeout=10))
        assert stats["documents"] == 5 and stats["events"] > 10
        pts = json.load(urllib.request.urlopen(url + "api/map", timeout=10))["points"]
        assert len({(p["lat"], p["lon"]) for p in pts}) >= 4
    finally:
        proc.terminate()
        proc.wait(10)


def test_serve_refuses_a_missing_database(tmp_path):
    r = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "none.db")])
    assert r.exit_code != 0 and "no such database" in r.output


def test_exposure_warning_on_non_loopback_addresses(capsys):
    for host in ("127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost", "dash.localhost"):
        assert exposure_warning(host) is None and not warn_if_exposed(host), host
    assert capsys.readouterr().err == ""
    for host in ("0.0.0.0", "::", "192.168.1.20", "mybox.lan"):
        text = exposure_warning(host)
        assert text and "WARNING" in text and host in text and "network" in text and "authentication" in text
        assert warn_if_exposed(host)
        assert capsys.readouterr().err.strip() == text


def test_serve_warns_before_serving_on_all_addresses_and_passes_allowed_hosts(tmp_path, no_bind):
    db = tmp_path / "empty.db"
    EventStore(db).close()
    r = CliRunner().invoke(main, ["serve", "--db", str(db), "--host", "0.0.0.0", "--port", "0",
                                  "--allow-host", "dash.example", "--allow-host", "other.example"])
    assert r.exit_code == 0, r.output
    assert "WARNING" in r.stderr and r.stderr.index("WARNING") < r.stderr.index("SERVING")
    assert "anyone" in r.stderr.lower() and "authentication" in r.stderr
    [config] = no_bind
    assert config.host == "0.0.0.0"
    for host, status in (("dash.example:8765", 200), ("other.example", 200), ("192.168.1.20:8765", 200),
                         ("evil.example", 400)):
        assert TestClient(config.app).get("/api/stats", headers={"Host": host}).status_code == status, host

    no_bind.clear()
    r = CliRunner().invoke(main, ["serve", "--db", str(db), "--port", "0"])
    assert r.exit_code == 0 and "WARNING" not in r.output
    [config] = no_bind
    assert TestClient(config.app).get("/api/stats", headers={"Host": "192.168.1.20"}).status_code == 400
