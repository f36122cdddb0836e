"""scripts/compare_html_extractors.py, the page-reader comparison #25 asks for, on a page written for this test."""

import importlib.util
import json
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "compare_html_extractors.py"
BODY = "قتل خمسة أشخاص في قصف استهدف سوقا شعبيا في مدينة تعز اليمنية صباح اليوم. وقالت مصادر طبية إن بين القتلى طفلين."


def load():
    spec = importlib.util.spec_from_file_location("compare_html_extractors", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_comparison_scores_a_saved_page_against_its_truth(tmp_path, capsys):
    (tmp_path / "a.html").write_text(
        '<html><head><meta charset="utf-8"><title>قصف سوق في تعز</title>'
        '<meta property="article:published_time" content="2019-03-04T10:00:00Z"></head><body>'
        f"<nav><a href='/'>الرئيسية</a></nav><article><h1>قصف سوق في تعز</h1><p>{BODY}</p></article>"
        "<footer>جميع الحقوق محفوظة</footer></body></html>", encoding="utf-8")
    (tmp_path / "a.gold.json").write_text(json.dumps({"title": "قصف سوق في تعز", "date": "2019-03-04",
                                                      "body": BODY}, ensure_ascii=False), encoding="utf-8")
    assert load().main([str(tmp_path), "--json"]) == 0
    ours = json.loads(capsys.readouterr().out)["marsad (readability-lxml)"]
    assert ours["pages"] == 1 and ours["date"] == 1.0 and ours["title"] == 1.0
    assert ours["body_recall"] == 1.0 and 0.5 < ours["body_precision"] <= 1.0


def test_body_scores_are_word_bags():
    module = load()
    assert module.body_scores("أ ب ج", "ج ب أ") == (1.0, 1.0)
    assert module.body_scores("أ ب ج د", "أ ب") == (0.5, 1.0)
