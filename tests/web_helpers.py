"""Shared by the dashboard tests: a small store made from articles written for these tests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

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


def make_store(tmp: Path) -> Path:
    src = tmp / "articles.jsonl"
    src.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in ARTICLES), encoding="utf-8")
    db = tmp / "t.db"
    subprocess.run([sys.executable, "-m", "marsad", "ingest", str(src), "--db", str(db), "-j", "1"], check=True,
                   capture_output=True)
    return db
