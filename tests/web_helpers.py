"""Shared by the dashboard tests: a small store made from articles written for these tests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from marsad.web.app import create_app

ARTICLES = [
    {"id": "t-aleppo", "date": "2018-03-12", "title": "قصف حلب",
     "text": "قصفت الطائرات الحربية مواقع في حلب صباح اليوم وقتل 7 مدنيين، بحسب المرصد السوري لحقوق الإنسان."},
    {"id": "t-baghdad", "date": "2018-08-02", "title": "زيارة بغداد",
     "text": "زار وزير الخارجية التركي بغداد يوم الخميس والتقى رئيس الوزراء العراقي، واتفق الجانبان على التعاون."},
    {"id": "t-gaza", "date": "2018-10-15", "title": "غارات غزة",
     "text": "شنت الطائرات الإسرائيلية غارات على مواقع في غزة، وأصيب 4 فلسطينيين. واتهمت حركة حماس إسرائيل بالتصعيد."},
    {"id": "t-evil", "date": "2018-11-01", "title": "<img src=x onerror=alert(1)>",
     "text": "قصفت الطائرات مواقع في درعا <img src=x onerror=alert(1)> <script>window.__pwned=1</script> "
             "وقتل 3 مدنيين '; DROP TABLE events; -- بحسب مصادر محلية."},
]


def ingest(articles: list[dict], src: Path, db: Path) -> None:
    """``marsad ingest`` of ``articles`` (written to ``src`` as JSON Lines) into ``db``, in its own process, as a
    user runs it beside an open dashboard."""
    src.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "marsad", "ingest", str(src), "--db", str(db), "--workers", "1"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def make_store(tmp: Path) -> Path:
    db = tmp / "t.db"
    ingest(ARTICLES, tmp / "articles.jsonl", db)
    return db


def web_client(db: Path, **kwargs: Any) -> TestClient:
    """A test client over a new app on ``db``, calling it as a browser on this machine does: Host 127.0.0.1:8765.
    (TestClient's own default Host, "testserver", is refused by the app's Host check, as any unknown name is.)"""
    return TestClient(create_app(db), base_url="http://127.0.0.1:8765", **kwargs)
