"""Runs on the project's shared evaluation data; skipped where ../shared is absent."""

import json
import subprocess
import sys

import jsonschema
from click.testing import CliRunner

from conftest import shared_path
from marsad.cli import main
from marsad.records import document_schema


def test_seed_article_output_is_valid_with_exact_offsets():
    seed = shared_path("eval", "dev", "seed_libya_2019.txt")
    text = seed.read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(seed), "--format", "json"], catch_exceptions=False)
    doc = json.loads(result.stdout)
    jsonschema.validate(doc, document_schema())
    assert doc["entities"] and doc["events"]
    for e in doc["entities"]:
        assert text[e["start"]:e["end"]] == e["text"]
    for ev in doc["events"]:
        for key in ("trigger", "sentence"):
            assert text[ev[key]["start"]:ev[key]["end"]] == ev[key]["text"]


def test_dev_set_extracts_and_scores(tmp_path):
    dev = shared_path("eval", "dev")
    result = CliRunner().invoke(main, ["extract", str(dev), "--out", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 0
    names = {p.name[: -len(".txt")] for p in dev.glob("*.txt")}
    assert {p.stem for p in tmp_path.glob("*.json")} == names
    score = subprocess.run([sys.executable, str(dev.parent / "score.py"), str(dev), str(tmp_path), "--json"],
                           capture_output=True, text=True, check=True)
    scores = json.loads(score.stdout)
    assert scores["documents_missing_output"] == []
    assert scores["events_relaxed"]["system"] > 0


def test_every_line_of_the_assault_corpus_is_processed(tmp_path):
    corpus = shared_path("data", "arabic_event_gsr", "assault_detection.jsonl")
    n_lines = sum(1 for line in corpus.open(encoding="utf-8") if line.strip())
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["extract", str(corpus), "--format", "jsonl", "--out", str(out)],
                                catch_exceptions=False)
    assert f"processed {n_lines}, skipped 0" in result.stderr
    ids = [json.loads(line)["id"] for line in out.open(encoding="utf-8")]
    assert len(ids) == n_lines == len(set(ids))


def test_seed_article_counts_stances_and_expected_assault():
    """The seed's key facts come out (no rule was written for this article: see tests/test_events.py)."""
    import marsad

    text = shared_path("eval", "dev", "seed_libya_2019.txt").read_text(encoding="utf-8")
    doc = marsad.analyze(text, doc_id="seed")
    fighters = [q for q in doc.quantities if q["what"] == "fighters"]
    assert any(q["value"] == 11000 and q["of"] and q["of"]["actor_id"] == "LBY-GNA" for q in fighters)
    stances = {(s["holder"]["actor_id"], s["polarity"]) for s in doc.stances}
    # The seed is held out (dev): since the argument model chooses sources, Karama's support of the army is
    # held by the Muslim Brotherhood of the same sentence; reported in docs/accuracy.md, not tuned away.
    assert ("INT-MB", "reject") in stances
    # The coder's reading of its candidates (modality); which of them the event classifier keeps on this held-out
    # article is measured in docs/accuracy.md, not asserted here (no decision may be tuned on dev).
    from marsad.events.coder import EventCoder
    from marsad.pipeline import Pipeline

    candidates = Pipeline.default()
    next(c for c in candidates.components if isinstance(c, EventCoder)).classifier = None
    events = candidates(text, doc_id="seed").events
    assert any(e.type == "ASSAULT" and e.modality == "expected" and "هجوم" in e.trigger.text for e in events)
    assert any(e.type == "CONCEDE" or e.modality == "negated" for e in events)
