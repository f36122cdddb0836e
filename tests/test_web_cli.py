"""`marsad demo` and `marsad serve` as a user runs them: a real server on 127.0.0.1, answering."""

import json
import re
import subprocess
import sys
import time
import urllib.request

from click.testing import CliRunner

from marsad.cli import main


def test_demo_serves_the_bundled_examples():
    proc = subprocess.Popen([sys.executable, "-m", "marsad", "demo", "--no-browser", "--port", "0"],
                            stderr=subprocess.PIPE, text=True)
    try:
        url = None
        end = time.monotonic() + 120
        while time.monotonic() < end and url is None:
            line = proc.stderr.readline()
            if not line and proc.poll() is not None:
                break
            m = re.search(r"dashboard on (http://127\.0\.0\.1:\d+/)", line)
            url = m.group(1) if m else None
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
