"""Modality with scope: a governing verb or noun passes its meaning to the event it governs (issue #22).

Sentences written for these tests, in the spirit of the news the coder reads (not copied from a corpus).
"""

from __future__ import annotations

import pytest

from marsad.events.clause import Clauses
from marsad.events.modality import ModalityReader
from marsad.knowledge.eventdata import builtin_event_knowledge
from marsad.knowledge.triggers import builtin_modality_path, load_modality_file
from marsad.text.tokens import tokenize


@pytest.fixture
def pipeline(candidate_pipeline):  # type: ignore[no-untyped-def]
    """Modality is read for every candidate: tested without the event classifier deciding which ones to keep."""
    return candidate_pipeline


def _event(pipeline, text: str, trigger: str):  # type: ignore[no-untyped-def]
    doc = pipeline(text, doc_id="t")
    found = [e for e in doc.events if trigger in e.trigger.text]
    assert found, f"no event on «{trigger}» in {[(e.type, e.trigger.text) for e in doc.events]}"
    return found[0]


@pytest.mark.parametrize(("text", "trigger", "modality"), [
    # refusing, failing, denying negate what they govern (the gold convention: «رفضت أنقرة إطلاق سراح القس»)
    ("قالت الحكومة إن رفض تركيا إخلاء سبيل القس أغضب واشنطن.", "إخلاء سبيل", "negated"),
    ("فشلت الأطراف المتحاربة في التوصل إلى اتفاق.", "التوصل إلى اتفاق", "negated"),
    ("نفت الحكومة السورية أن تكون تعرضت لهجوم.", "لهجوم", "negated"),
    # across «أن», the governing verb's subject may stand between it and the event
    ("ونفت وزارة الدفاع الروسية أن تكون طائراتها قد شنت غارات على مدينة إدلب.", "غارات", "negated"),
    # intending, expecting, hoping, preparing make it expected
    ("أعلن الرئيس عزمه سحب القوات من سوريا.", "سحب القوات", "expected"),
    ("ومن المتوقع أن يشارك الآلاف في المظاهرات.", "المظاهرات", "expected"),
    ("وقال الرئيس إن القمة ستعقد في سنغافورة.", "القمة", "expected"),
    # demanding, threatening, being ready make it merely possible
    ("وطالبت المنظمة بالإفراج عن الصحفيين المعتقلين.", "بالإفراج", "hypothetical"),
    ("هدد الرئيس بوقف المساعدات عن هندوراس.", "بوقف المساعدات", "hypothetical"),
    ("أعلنت روسيا استعدادها لإجراء محادثات مع واشنطن.", "محادثات", "hypothetical"),
    # a condition wraps a negation
    ("وفي حال عدم التوصل إلى اتفاق ستستأنف المعارك.", "التوصل إلى اتفاق", "hypothetical"),
    # «كان … قد» + perfect is a past perfect, not 'may'
    ("وكانت الحكومة قد أعلنت وقف إطلاق النار في المدينة.", "وقف إطلاق النار", "asserted"),
    # «لا تزال» is 'still': no negation
    ("ولا تزال الطائرات الروسية تشن غارات عنيفة على ريف إدلب.", "غارات", "asserted"),
])
def test_governing_word_passes_its_modality(pipeline, text: str, trigger: str, modality: str) -> None:  # type: ignore[no-untyped-def]
    assert _event(pipeline, text, trigger).modality == modality


def test_the_governing_verb_itself_stays_asserted(pipeline) -> None:  # type: ignore[no-untyped-def]
    event = _event(pipeline, "فشلت الأطراف المتحاربة في التوصل إلى اتفاق.", "التوصل إلى اتفاق")
    assert event.modality_cue is not None and event.modality_cue.text == "فشلت"
    doc = pipeline("هدد الرئيس بوقف المساعدات عن هندوراس.", doc_id="t")
    assert [e.modality for e in doc.events if e.type == "THREATEN"] == ["asserted"]


@pytest.fixture(scope="module")
def reader() -> ModalityReader:
    return ModalityReader(load_modality_file(builtin_modality_path()))


def _read(reader: ModalityReader, text: str, trigger: str) -> str:
    tokens = [t for t in tokenize(text) if t.kind != "space"]
    clauses = Clauses(tokens, builtin_event_knowledge())
    i = next(k for k, t in enumerate(tokens) if t.text == trigger)
    return reader.read(tokens, i, i + 1, clauses, None).modality


@pytest.mark.parametrize(("text", "trigger", "modality"), [
    ("قال المرصد إن قوات النظام لا تزال تقصف مدينة درعا.", "تقصف", "asserted"),
    ("وقال الجيش إن طائرات بدون طيار قصفت مواقع المسلحين.", "قصفت", "asserted"),
    ("وكان الرئيس قد أعلن انسحابه من الاتفاق.", "انسحابه", "asserted"),
    ("وكانت قوات الأمن قد اعتقلت الناشط.", "اعتقلت", "asserted"),
    ("ونفت الحكومة أن تكون قواتها قصفت المدينة.", "قصفت", "negated"),
    # denying or refusing an accusation or a request leaves it asserted
    ("ونفت الحكومة الاتهامات بقصف المدينة.", "الاتهامات", "asserted"),
])
def test_reader_on_single_words(reader: ModalityReader, text: str, trigger: str, modality: str) -> None:
    assert _read(reader, text, trigger) == modality
