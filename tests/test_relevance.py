"""The relevance score: political/conflict news against the rest, on texts written for these tests."""

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from conftest import shared_path, train_script
from marsad.cli import main
from marsad.recognize.relevance import MODEL_PATH, RelevanceModel, RelevanceScorer, builtin_relevance
from marsad.records import document_schema

REPO = Path(__file__).resolve().parents[1]

FOOTBALL = (
    "تغلب فريق الوحدة على ضيفه الشباب بثلاثة أهداف مقابل هدف في المباراة التي أقيمت مساء الجمعة ضمن الجولة "
    "الثامنة من الدوري. وافتتح المهاجم التسجيل بضربة رأسية في الدقيقة الخامسة عشرة، وعادل لاعب الوسط للضيوف "
    "قبل نهاية الشوط الأول، قبل أن يحسم البديل النتيجة بهدفين في الشوط الثاني. وقال المدرب بعد اللقاء إن "
    "لاعبيه قدموا أداء رائعا، وإن الفريق يتطلع إلى المنافسة على لقب البطولة هذا الموسم."
)
AIRSTRIKE = (
    "قتل سبعة مدنيين بينهم طفلان وأصيب آخرون في غارات جوية استهدفت بلدة في ريف حماة الشمالي، بحسب ما أفاد "
    "ناشطون. وقالت فصائل المعارضة المسلحة إن طائرات حربية قصفت منازل المدنيين وسوقا شعبيا، فيما أعلنت وزارة "
    "الدفاع أن قواتها استهدفت مواقع للمسلحين ردا على هجوم على نقاط للجيش. ويأتي التصعيد رغم اتفاق وقف إطلاق النار."
)


def test_a_football_report_scores_low_and_an_airstrike_high(pipeline):
    football = pipeline(FOOTBALL).relevance
    airstrike = pipeline(AIRSTRIKE).relevance
    assert football is not None and airstrike is not None
    assert football < 0.2 < 0.8 < airstrike


def test_the_explanation_names_words_of_the_article(pipeline):
    for text, towards_relevant in ((AIRSTRIKE, True), (FOOTBALL, False)):
        doc = pipeline(text)
        assert 0 < len(doc.relevance_why) <= 5
        for word, pull in doc.relevance_why:
            assert word in text  # as written, clitics and all
            assert (pull > 0) == towards_relevant  # every word named pulled towards the decision
        pulls = [abs(p) for _, p in doc.relevance_why]
        assert pulls == sorted(pulls, reverse=True)


def test_the_score_is_in_the_output_and_validates(pipeline):
    d = pipeline(AIRSTRIKE, doc_id="a1").to_dict()
    jsonschema.validate(d, document_schema())
    rel = d["relevance"]
    assert 0.8 < rel["score"] <= 1 and rel["model"] == MODEL_PATH
    assert rel["strongest"] and all(s["word"] in AIRSTRIKE and s["weight"] > 0 for s in rel["strongest"])
    assert (REPO / "src" / "marsad" / rel["model"]).is_file()


def test_without_the_component_the_field_is_null(pipeline):
    from marsad.pipeline import Pipeline

    d = Pipeline.default(order=("text", "actors", "places", "quantities", "events"))(AIRSTRIKE).to_dict()
    assert d["relevance"] is None
    jsonschema.validate(d, document_schema())


def test_the_shipped_model_says_what_it_is_and_how_good():
    data = json.loads((REPO / "src" / "marsad" / MODEL_PATH).read_text(encoding="utf-8"))
    assert data["vocabulary_size"] == len(data["weights"]) >= 1000
    assert data["held_out"]["auc"] > 0.95 and data["held_out"]["f1"] > 0.9
    assert (REPO / "src" / "marsad" / MODEL_PATH).stat().st_size < 300_000


def test_an_article_with_no_known_word_gets_the_prior_and_no_explanation():
    from marsad.doc import Document
    from marsad.text.tokens import tokenize

    doc = Document(text="zzzq qqqz 123")
    doc.set_tokens(tokenize(doc.text))
    RelevanceScorer(RelevanceModel({"قصف": 1.0}, bias=0.0))(doc)
    assert doc.relevance == 0.5 and doc.relevance_why == []
    assert builtin_relevance() is not None


def _ingest(corpus: Path, db: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "marsad", "ingest", str(corpus), "--db", str(db), "-q",
                           "--workers", "1"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr


def test_ingest_stores_the_score_and_query_filters_on_it(tmp_path):
    # a sports story with a real event in it (an arrest): low relevance, and an event the filter can leave out
    sport = ("أوقفت الشرطة مشجعين اعتدوا على حكم المباراة بعد نهاية مباراة الدوري، وقرر الاتحاد معاقبة النادي "
             "بغرامة مالية ومنعه من اللعب على ملعبه.")
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(json.dumps({"id": i, "date": "2019-04-08", "text": t}, ensure_ascii=False)
                                for i, t in (("war", AIRSTRIKE), ("sport", sport), ("ball", FOOTBALL))) + "\n",
                      encoding="utf-8")
    db = tmp_path / "r.db"
    _ingest(corpus, db)
    with sqlite3.connect(db) as con:
        scores = dict(con.execute("SELECT doc_id, relevance FROM documents"))
        events = dict(con.execute("SELECT d.doc_id, COUNT(*) FROM events e JOIN documents d "
                                  "ON d.id = e.document_id GROUP BY d.doc_id"))
    assert scores["war"] > 0.8 and scores["sport"] < 0.5 and scores["ball"] < 0.5
    assert events.get("war") and events.get("sport"), events

    def exported(*args: str) -> set[str]:
        out = CliRunner().invoke(main, ["export", "--db", str(db), "--format", "jsonl", *args])
        assert out.exit_code == 0, out.output
        return {json.loads(line)["doc_id"] for line in out.output.splitlines() if line.startswith("{")}

    assert exported() >= {"war", "sport"}
    assert exported("--min-relevance", "0.5") == {"war"}
    shown = CliRunner().invoke(main, ["query", "--db", str(db), "--min-relevance", "0.5", "--limit", "50"])
    assert shown.exit_code == 0 and "war" in shown.output and "sport" not in shown.output
    bad = CliRunner().invoke(main, ["query", "--db", str(db), "--min-relevance", "2"])
    assert bad.exit_code != 0


def test_the_training_script_runs_on_a_slice(tmp_path):
    shared_path("data", "news", "ant_multisource_2018.jsonl.gz")
    model = train_script("train_relevance.py", tmp_path / "relevance.json", "--limit", "200", "--vocab", "500")
    assert model["data"]["articles"] == 200 and model["data"]["held_out"] == 40
    assert 0 < model["vocabulary_size"] <= 500 and set(model["held_out"]) >= {"accuracy", "f1", "auc"}
    assert model["data"]["left_out"]["events_train"] > 0  # the event training articles never train it
    scorer = RelevanceScorer(RelevanceModel(model["weights"], model["bias"]))
    assert scorer.model.score({"الجيش": 2, "قوات": 1})[0] > scorer.model.score({"المباراه": 2, "الفريق": 1})[0]


@pytest.mark.parametrize("text", [FOOTBALL, AIRSTRIKE])
def test_the_component_is_deterministic(pipeline, text):
    assert pipeline(text).to_dict()["relevance"] == pipeline(text).to_dict()["relevance"]
