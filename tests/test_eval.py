"""`marsad eval docs` and `marsad eval detection`: agreement with the project's scorers, and the gold format."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from marsad.cli import main

SHARED_EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
GSR = Path(__file__).resolve().parents[2] / "shared" / "data" / "arabic_event_gsr"
needs_shared = pytest.mark.skipif(not SHARED_EVAL.is_dir(), reason="needs ../shared/eval (the project's scorers)")

ARTICLE = ("قصفت الطائرات الإسرائيلية مواقع لحركة حماس في غزة فجر اليوم. "
           "وقالت مصادر إن الجيش اللبناني اعتقل ثلاثة أشخاص في طرابلس.")
GOLD = {
    "entities": [
        {"canonical": "Israel", "type": "GPE", "surfaces": ["الإسرائيلية"]},
        {"canonical": "Hamas", "type": "ORG", "surfaces": ["حماس", "حركة حماس"]},
        {"canonical": "Lebanese Armed Forces", "type": "ORG", "surfaces": ["الجيش اللبناني"]},
    ],
    "places": [{"name": "Gaza", "surfaces": ["غزة"], "lat": 31.5, "lon": 34.47}],
    "events": [
        {"type": "ASSAULT", "evidence": "قصفت الطائرات الإسرائيلية", "source": "Israel", "target": "Hamas",
         "modality": "asserted"},
        {"type": "COERCE", "evidence": "اعتقل ثلاثة أشخاص", "source": "Lebanese Armed Forces",
         "modality": "asserted"},
        {"type": "PROTEST", "evidence": "فجر اليوم", "modality": "asserted"},  # no system event: a miss
    ],
}


def _gold_dir(tmp_path: Path, gold: dict) -> Path:
    d = tmp_path / "gold"
    d.mkdir()
    (d / "a1.txt").write_text(ARTICLE, encoding="utf-8")
    (d / "a1.gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return d


def test_eval_docs_scores_per_type_and_confusion(tmp_path):
    result = CliRunner().invoke(main, ["eval", "docs", str(_gold_dir(tmp_path, GOLD)), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["events_relaxed"]["gold"] == 3 and report["events_relaxed"]["recall"] == round(2 / 3, 4)
    assert report["per_type"]["ASSAULT"]["relaxed"]["recall"] == 1.0
    assert report["per_type"]["PROTEST"]["relaxed"]["recall"] == 0.0
    assert report["confusion"]["PROTEST"] == {"(none)": 1}
    assert report["confusion"]["COERCE"] == {"COERCE": 1}
    assert report["per_document"]["a1"]["places"]["recall"] == 1.0
    assert report["modality_accuracy"] == 1.0


def test_eval_docs_reports_a_gold_file_it_cannot_use(tmp_path):
    bad = dict(GOLD, events=[{"type": "ASSAULT", "evidence": "not in the article"}])
    result = CliRunner().invoke(main, ["eval", "docs", str(_gold_dir(tmp_path, bad))])
    assert "a1.gold.json" in result.output and "evidence not found" in result.output


def test_eval_docs_scores_another_systems_output(tmp_path):
    gold = _gold_dir(tmp_path, GOLD)
    system = tmp_path / "system"
    system.mkdir()
    (system / "a1.json").write_text(json.dumps({"entities": [], "events": [
        {"type": "ASSAULT", "trigger": {"start": 0, "end": 4}, "source": None, "target": None,
         "modality": "asserted"}]}), encoding="utf-8")
    report = json.loads(CliRunner().invoke(main, ["eval", "docs", str(gold), "--system", str(system),
                                                  "--json"]).output)
    assert report["events_relaxed"]["system"] == 1 and report["events_relaxed"]["precision"] == 1.0
    assert report["events_strict"]["precision"] == 0.0  # gold names a source and a target
    assert report["entities"]["recall"] == 0.0


def test_eval_detection_counts_only_asserted_events(tmp_path):
    gold = tmp_path / "gold.jsonl"
    rows = [
        {"id": "s1", "event_type": "ASSAULT", "label": "yes", "text": "قصفت الطائرات مواقع في إدلب أمس."},
        {"id": "s2", "event_type": "ASSAULT", "label": "easy no", "text": "لم تقصف الطائرات أي موقع في إدلب."},
        {"id": "s3", "event_type": "ASSAULT", "label": "ambiguous", "text": "قصف."},
    ]
    gold.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n{broken\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", "detection", str(gold), "--json"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert any("gold.jsonl:4" in line and "not JSON" in line for line in lines)
    scores = json.loads(lines[-1])
    assert (scores["tp"], scores["fp"], scores["fn"], scores["tn"]) == (1, 0, 0, 1)


@needs_shared
@pytest.mark.shared
def test_eval_docs_agrees_with_score_py(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["eval", "docs", str(SHARED_EVAL / "dev"), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    mine = json.loads(result.output)
    theirs = json.loads(subprocess.run(
        [sys.executable, str(SHARED_EVAL / "score.py"), str(SHARED_EVAL / "dev"), str(out), "--json"],
        capture_output=True, text=True, check=True).stdout)
    for key in ("entities", "places", "events_relaxed", "events_strict"):
        for m in ("precision", "recall", "f1"):
            assert round(mine[key][m], 3) == round(theirs[key][m], 3), (key, m)
    assert round(mine["modality_accuracy"], 3) == round(theirs["modality_accuracy"], 3)


@pytest.mark.shared
@pytest.mark.skipif(not GSR.is_dir(), reason="needs ../shared/data/arabic_event_gsr")
def test_eval_detection_agrees_with_score_detection_py(tmp_path):
    gold = tmp_path / "slice.jsonl"
    with (GSR / "assault_detection.jsonl").open(encoding="utf-8") as fh:
        gold.write_text("".join(next(fh) for _ in range(300)), encoding="utf-8")
    mine = json.loads(CliRunner().invoke(main, ["eval", "detection", str(gold), "--json"]).output.splitlines()[-1])
    system = tmp_path / "system.jsonl"
    assert CliRunner().invoke(main, ["extract", str(gold), "--format", "jsonl", "--out", str(system),
                                     "-q"]).exit_code == 0
    theirs = json.loads(subprocess.run(
        [sys.executable, str(SHARED_EVAL / "score_detection.py"), str(gold), str(system), "--json"],
        capture_output=True, text=True, check=True).stdout)
    for m in ("precision", "recall", "f1", "tp", "fp", "fn", "tn"):
        assert round(mine[m], 3) == round(theirs[m], 3), m


@needs_shared
@pytest.mark.shared
def test_accuracy_page_shows_the_current_figures():
    """docs/accuracy.md is regenerated from the code (scripts/accuracy_report.py): its dev-article table must
    match what the code scores now, or someone changed the code without regenerating the page."""
    page = (Path(__file__).resolve().parents[1] / "docs" / "accuracy.md").read_text(encoding="utf-8")
    report = json.loads(CliRunner().invoke(main, ["eval", "docs", str(SHARED_EVAL / "dev"), "--json"]).output)
    for key, label in (("entities", "entities"), ("events_strict", "events, strict (source and target too)")):
        m = report[key]
        row = f"| {label} | {m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} |"
        assert row in page, f"docs/accuracy.md is stale: expected {row!r}; run scripts/accuracy_report.py"
