"""The trigger tagger (marsad/events/tagger.py): event words no lexicon lists, learned from the annotated articles.
Sentences written for these tests; the training path on a tiny slice and the shipped model on a fixed slice."""

import json
import sys
from dataclasses import replace

import pytest

from conftest import REPO, SHARED, shared_path, train_script
from marsad.events.coder import EventCoder
from marsad.events.tagger import NONE, bare_forms, builtin_trigger_tagger, tagger_from_data, word_part
from marsad.pipeline import Pipeline
from marsad.text.normalize import match_key

# «وصف … بأنها» opens a condemnation (ACCUSE) that no lexicon entry lists
DESCRIBED = ("ووصف وزير الخارجية الإيراني محمد جواد ظريف تصريحات الرئيس الأمريكي بأنها عدائية وتعكس سياسة "
             "واشنطن الفاشلة في المنطقة.")
MATCH = ("وصف مدرب برشلونة أداء فريقه بأنه رائع بعد الفوز على ريال مدريد بثلاثة أهداف في الدوري الإسباني مساء "
         "السبت.")


RECAPTURE = "واستعاد الجيش السوري بلدة خان شيخون في ريف إدلب الجنوبي يوم الجمعة."
RANKING = "وحقق المنتخب المغربي تقدما كبيرا في تصنيف الاتحاد الدولي لكرة القدم هذا الشهر."
BOTH = "وقصفت الطائرات الحربية مواقع المسلحين، ووصف المتحدث العملية بأنها ناجحة."


def test_bare_forms_and_parts():
    assert bare_forms("وبدعم")[-1] == "دعم"
    assert word_part(match_key("الحرب")) == "noun" and word_part(match_key("ووصف")) == "verb"
    assert word_part(match_key("استعادة")) == "noun"


def test_the_shipped_tagger_reads_only_its_vocabulary_and_explains():
    tagger = builtin_trigger_tagger()
    assert tagger is not None and tagger.classes[0] == NONE and tagger.thresholds
    assert set(tagger.thresholds) <= set(tagger.classes[1:]) and all(0 < t < 1 for t in tagger.thresholds.values())
    assert tagger.reads("واستعاد") and not tagger.reads("الكرة")
    features = ["bias", "w=ووصف", "s=وصف", "part=verb", "p=^", "n=وزير", "actor_after=-", "clause_start"]
    _, p = tagger.best(features)
    probabilities = tagger.probabilities(features)
    assert abs(sum(probabilities) - 1) < 1e-9 and max(probabilities[1:]) == pytest.approx(p)
    proposed = sorted(tagger.thresholds)[0]  # a type the tagger proposes
    assert tagger.explain(features, proposed, p).startswith(f"trigger tagger (data/models/tagger.json): {proposed}")


def logged_words(pipeline, text: str) -> dict[str, list[str]]:
    """The features of each word the coder hands the tagger, by the word's key."""
    coder = next(c for c in pipeline.components if isinstance(c, EventCoder))
    coder.tagger_log = []
    try:
        pipeline(text, doc_id="t")
        return {w.key: w.features for w in coder.tagger_log}
    finally:
        coder.tagger_log = None


def test_the_shipped_tagger_reads_a_recapture_as_an_assault_and_a_football_ranking_not():
    tagger, pipeline = builtin_trigger_tagger(), Pipeline.default()
    recapture = logged_words(pipeline, RECAPTURE)[match_key("واستعاد")]
    ranking = logged_words(pipeline, RANKING)[match_key("تقدما")]
    p_recapture = tagger.probabilities(recapture)
    p_ranking = tagger.probabilities(ranking)
    assault = tagger.classes.index("ASSAULT")
    # ASSAULT is its most probable reading, «no event» included (how sure depends on the fit: 0.45 to 0.6)
    assert max(range(len(p_recapture)), key=p_recapture.__getitem__) == assault
    assert p_ranking[assault] < p_recapture[assault] and tagger.best(ranking)[0] is None


def hand_tagger():
    """A tagger that knows one word: «وصف» opening a clause is an accusation."""
    return tagger_from_data({"classes": [NONE, "ACCUSE", "ASSAULT"], "thresholds": {"ACCUSE": 0.6, "ASSAULT": 0.6},
                             "vocabulary": ["وصف"],
                             "weights": {"bias": {"0": 1.0}, "s=وصف": {"1": 2.0}, "clause_start": {"1": 1.0}}})


def test_a_word_the_tagger_takes_is_coded_with_arguments_and_explained():
    pipeline = Pipeline.default()
    coder = next(c for c in pipeline.components if isinstance(c, EventCoder))
    coder.tagger = hand_tagger()
    doc = pipeline(DESCRIBED, doc_id="described")
    tagged = [e for e in doc.events if e.why["trigger"].startswith("trigger tagger")]
    assert [(e.type, e.trigger.text) for e in tagged] == [("ACCUSE", "ووصف")], [(e.type, e.why) for e in doc.events]
    assert tagged[0].why["event"].startswith("trigger tagger (data/models/tagger.json): ACCUSE 0.")
    assert "s=وصف +2.00" in tagged[0].why["event"]
    assert tagged[0].source is not None and "ظريف" in tagged[0].source.text


def test_the_tagger_adds_no_second_event_of_a_type_the_lexicons_coded_in_the_clause():
    pipeline = Pipeline.default()
    coder = next(c for c in pipeline.components if isinstance(c, EventCoder))
    coder.tagger = tagger_from_data({"classes": [NONE, "ASSAULT"], "thresholds": {"ASSAULT": 0.5},
                                     "vocabulary": ["طائرات", "وصف"], "weights": {"bias": {"1": 2.0}}})
    events = [(e.type, e.trigger.text) for e in pipeline(BOTH, doc_id="both").events]
    assert ("ASSAULT", "ووصف") in events  # its own clause
    assert not [t for typ, t in events if typ == "ASSAULT" and "الطائرات" in t], events  # the clause of «قصفت»


def test_the_tagger_does_not_bring_back_what_the_classifier_dropped():
    # «شن هجوم» in a plan: the lexicon's «هجوم» is a candidate the classifier drops (here: a classifier that drops
    # everything); a tagger that reads the light verb «شن» must not code the attack in its place
    plan = "وقال المسؤول إن المسلحين كانوا يخططون لشن هجوم على مركز الشرطة في المدينة."
    pipeline = Pipeline.default()
    coder = next(c for c in pipeline.components if isinstance(c, EventCoder))
    coder.tagger = tagger_from_data({"classes": [NONE, "ASSAULT"], "thresholds": {"ASSAULT": 0.5},
                                     "vocabulary": ["شن"], "weights": {"bias": {"1": 2.0}}})
    assert coder.classifier is not None
    coder.classifier = replace(coder.classifier, threshold=2.0, by_type={})  # no candidate passes
    events = [(e.type, e.trigger.text) for e in pipeline(plan, doc_id="plan").events]
    assert not [t for typ, t in events if typ == "ASSAULT"], events
    coder.tagger = tagger_from_data({"classes": [NONE, "ASSAULT"], "thresholds": {"ASSAULT": 0.5},
                                     "vocabulary": ["يخططون"], "weights": {"bias": {"1": 2.0}}})
    events = [(e.type, e.trigger.text) for e in pipeline(plan.replace("لشن هجوم على", "ضد"), doc_id="p").events]
    assert ("ASSAULT", "يخططون") in events  # no lexicon match in the clause: the tagger may propose


def test_the_match_report_gets_no_event(pipeline):
    doc = pipeline(MATCH, doc_id="match")
    assert not doc.events, [(e.type, e.trigger.text) for e in doc.events]


def test_a_model_from_data_needs_no_training():
    tagger = hand_tagger()
    assert tagger.best(["bias", "s=وصف", "clause_start"])[0] == "ACCUSE" and tagger.best(["bias"])[0] is None
    assert tagger.reads("ووصف") and not tagger.reads("قال")


@pytest.mark.shared
def test_training_runs_on_a_tiny_slice(tmp_path):
    gold = shared_path("data", "events_train")
    model = train_script("train_tagger.py", tmp_path / "tagger.json", "--gold", str(gold), "--shared", str(SHARED),
                         "--limit", "25", "--negatives", "3", "--epochs", "2")
    assert "5-fold cross-validated by article" in model["info"] and model["classes"][0] == NONE
    assert all(0 < t < 1 for t in model["thresholds"].values())
    assert bool(model["vocabulary"]) == bool(model["thresholds"])  # the words of the types it proposes, if any
    assert any(name.startswith("c=") for name in model["weights"])
    tagger_from_data(model)  # loads as the pipeline would


@pytest.mark.shared
def test_the_shipped_tagger_adds_events_on_a_fixed_slice():
    """The first 60 training articles, in-sample (only a floor against a broken model; the cross-validated figures
    are in docs/accuracy.md): the tagger raises relaxed recall without lowering relaxed F1."""
    gold = shared_path("data", "events_train")
    sys.path.insert(0, str(REPO / "scripts"))
    from train_arguments import strict_f1

    from marsad.events.coder import EventCoder
    from marsad.pipeline import Pipeline
    from marsad.records import document_to_dict

    pipeline = Pipeline.default()
    coder = next(c for c in pipeline.components if isinstance(c, EventCoder))
    articles, with_tagger, without = [], [], []
    for gold_path in sorted(gold.glob("*.gold.json"))[:60]:
        name = gold_path.name.removesuffix(".gold.json")
        text = (gold / f"{name}.txt").read_text(encoding="utf-8")
        articles.append({"name": name, "text": text, "gold": json.loads(gold_path.read_text(encoding="utf-8"))})
        with_tagger.append(document_to_dict(pipeline(text, doc_id=name)))
    tagger, coder.tagger = coder.tagger, None
    try:
        without = [document_to_dict(pipeline(a["text"], doc_id=a["name"])) for a in articles]
    finally:
        coder.tagger = tagger
    on, _ = strict_f1(articles, with_tagger)
    off, _ = strict_f1(articles, without)
    assert on["recall"] >= off["recall"] + 0.02 and on["f1"] >= off["f1"], (off, on)
