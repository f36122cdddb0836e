"""End-to-end behaviour of the pipeline on text written for these tests (not the dev articles)."""

import jsonschema
import pytest

from marsad.errors import InputError, MarsadError
from marsad.pipeline import Pipeline, TextComponent
from marsad.records import document_schema

ARTICLE = (
    "تركيا تعزز قواتها في إدلب\n"
    "قصفت الطائرات الروسية مواقع للفصائل في إدلب يوم الثلاثاء، بحسب المرصد السوري لحقوق الإنسان.\n"
    "وقال وزير الخارجية التركي إن بلاده لن تقبل بالتصعيد، فيما عقد الرئيس الروسي محادثات مع نظيره التركي.\n"
    "ومن المقرر أن يزور وفد مصري القاهرة الأسبوع المقبل."
)


def spans(d):
    yield from d["entities"]
    for ev in d["events"]:
        for key in ("trigger", "sentence", "source", "target", "location", "modality_cue", "attribution"):
            if ev[key]:
                yield ev[key]
    for s in d["sentences"]:
        yield {**s, "text": None}


def test_every_span_points_at_its_text(pipeline):
    doc = pipeline(ARTICLE, doc_id="t1")
    d = doc.to_dict()
    assert d["entities"] and d["events"]
    for span in spans(d):
        if span["text"] is not None:
            assert ARTICLE[span["start"]:span["end"]] == span["text"]


def test_output_validates_against_the_schema(pipeline):
    d = pipeline(ARTICLE, doc_id="t1").to_dict()
    jsonschema.validate(d, document_schema())
    assert d["doc_id"] == "t1" and len(d["text_sha256"]) == 64


def test_schema_rejects_a_broken_document(pipeline):
    d = pipeline(ARTICLE).to_dict()
    del d["events"][0]["modality"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(d, document_schema())


def test_every_record_explains_itself(pipeline):
    d = pipeline(ARTICLE).to_dict()
    assert all(e["explanation"] for e in d["entities"])
    for ev in d["events"]:
        assert ":" in ev["explanation"]["trigger"]  # names the lexicon file and line
        assert ev["explanation"]["modality"]


def test_events_carry_sentence_and_trigger_within_it(pipeline):
    doc = pipeline(ARTICLE)
    for ev in doc.events:
        assert ev.sentence.start <= ev.trigger.start < ev.trigger.end <= ev.sentence.end


def test_headline_is_a_sentence(pipeline):
    doc = pipeline(ARTICLE)
    assert doc.text[doc.sentences[0].start:doc.sentences[0].end] == "تركيا تعزز قواتها في إدلب"


def test_state_names_resolve_to_actors_with_a_place(pipeline):
    doc = pipeline("أعلنت تركيا أنها سترسل قوات إلى ليبيا.")
    by_text = {e.text: e for e in doc.entities}
    assert by_text["تركيا"].actor_id == "TUR" and by_text["تركيا"].place is not None
    assert by_text["ليبيا"].actor_id == "LBY"


def test_clitics_are_matched_in_context(pipeline):
    doc = pipeline("وصل الوفد للقاهرة ثم توجه إلى طرابلس، وبالقاهرة عقد لقاءات مع ممثلي الوفاق.")
    cairo = [e for e in doc.entities if e.text in ("للقاهرة", "وبالقاهرة")]
    assert [e.place.name for e in cairo] == ["Cairo", "Cairo"]
    assert [e.actor_id for e in doc.entities if e.text == "الوفاق"] == ["LBY-GNA"]


def test_capital_stands_for_its_state_only_outside_locations(pipeline):
    doc = pipeline("انتقدت مصر الخطوة، وقالت القاهرة إنها لن تقبل بها. وعقد الاجتماع في القاهرة.")
    cairo = [e for e in doc.entities if e.text == "القاهرة"]
    assert [e.actor_id for e in cairo] == ["EGY", None]
    assert all(e.place and e.place.name == "Cairo" for e in cairo)


def test_negation_and_future_are_read(pipeline):
    doc = pipeline("أعلنت الحكومة أنها لن توقع اتفاق السلام مع المتمردين. وسيعقد الطرفان محادثات في جنيف.")
    modality = {ev.trigger.text: ev.modality for ev in doc.events}
    assert [m for t, m in modality.items() if t.startswith("اتفاق")] == ["negated"]
    assert modality["محادثات"] == "expected"  # «سيعقد» carries it


def test_empty_and_oversized_documents_are_input_errors(pipeline):
    with pytest.raises(InputError, match="empty document"):
        pipeline("   \n ")
    small = Pipeline([TextComponent()], max_chars=10)
    with pytest.raises(InputError, match="over the limit"):
        small("كلمة " * 10)


def test_component_order_is_checked():
    from marsad.events.coder import EventCoder

    with pytest.raises(MarsadError, match="needs"):
        Pipeline([EventCoder([], [])])


def test_api_entry_point():
    import marsad

    doc = marsad.analyze("اندلعت اشتباكات في طرابلس.")
    assert doc.to_json().startswith("{")
    assert any(ev.type == "ASSAULT" for ev in doc.events)


def test_text_without_punctuation_is_cut_into_sentences_of_bounded_length(pipeline):
    from marsad.pipeline import MAX_SENTENCE_TOKENS

    text = " ".join(["قصفت الطائرات مواقع في حلب"] * 400)  # 2,000 words, no full stop
    doc = pipeline(text)
    assert len(doc.sentences) >= 2000 // MAX_SENTENCE_TOKENS
    assert all(s.token_end - s.token_start <= MAX_SENTENCE_TOKENS for s in doc.sentences)
    assert doc.sentences[0].start == 0 and doc.sentences[-1].end == len(text)
    for s in doc.sentences:
        assert text[s.start:s.end].strip() == text[s.start:s.end]
