"""Trigger lexicon entries grown from training evidence (issue #22, scripts/trigger_coverage.py).

The sentences are written for these tests, not taken from the corpus. Each positive case needs a
line added to triggers/conflict.yaml or triggers/cooperation.yaml; the negative cases guard the
other senses of the same words.
"""

from __future__ import annotations

import pytest

FOUND = [
    # (sentence, event type, a word the trigger must contain)
    ("أوقف الجيش اللبناني مطلوبا خطيرا في بلدة عرسال الحدودية.", "COERCE", "أوقف"),
    ("حررت القوات الحكومية بلدة الجميلة من قبضة المسلحين يوم السبت.", "ASSAULT", "حررت"),
    ("أعلن الجيش الوطني تحرير مدينة الحديدة بالكامل بعد معارك استمرت أسبوعين.", "ASSAULT", "تحرير"),
    ("دانت وزارة الخارجية الفرنسية الهجوم الذي استهدف السفارة.", "ACCUSE", "دانت"),
    ("وحمّل الرئيس الفلسطيني الحكومة الإسرائيلية المسؤولية الكاملة عن التصعيد.", "ACCUSE", "حمّل"),
    ("أطلقت ميليشيات الحوثي صاروخاً باليستياً باتجاه مدينة نجران السعودية مساء الأحد.", "ASSAULT", "صاروخ"),
    ("فرضت الولايات المتحدة رسوما جمركية جديدة على واردات الصلب الصينية.", "SANCTION", "رسوما"),
    ("أجرى الرئيس المصري محادثة هاتفية مع نظيره الفرنسي تناولت الأوضاع في ليبيا.", "CONSULT", "محادثة"),
    ("وسيطرت قوات النظام السوري على بلدة جديدة في ريف درعا الشرقي.", "ASSAULT", "سيطرت"),
    ("وبحث وزير الخارجية خلال لقائه السفير البريطاني آخر التطورات.", "CONSULT", "لقائه"),
    ("تقدمت القوات الحكومية بإسناد من طيران التحالف نحو مركز المديرية.", "AID", "إسناد"),
    ("وتحدث المبعوث الأممي للصحفيين مشددا على ضرورة الإسراع في تشكيل الحكومة.", "REQUEST", "مشددا"),
]


@pytest.fixture
def pipeline(candidate_pipeline):  # type: ignore[no-untyped-def]
    """The lexicon's part: what becomes a candidate (whether the article reports it is the classifier's call)."""
    return candidate_pipeline


@pytest.mark.parametrize(("text", "typ", "word"), FOUND, ids=[f"{t}-{w}" for _, t, w in FOUND])
def test_trigger_found(pipeline, text: str, typ: str, word: str) -> None:
    doc = pipeline(text, doc_id="t")
    found = [(e.type, e.trigger.text) for e in doc.events]
    assert any(t == typ and word in trigger for t, trigger in found), found


NOT_ASSAULT = [
    "فرض الفريق سيطرته على مجريات المباراة في الشوط الأول وسجل هدفين.",  # control of a match
    "قال رئيس تحرير الصحيفة إن العدد الجديد يصدر الأحد.",  # editor in chief
    "وتسعى الحكومة إلى تحرير التجارة وخفض الرسوم على الواردات.",  # trade liberalisation
]


@pytest.mark.parametrize("text", NOT_ASSAULT)
def test_other_sense_is_no_assault(pipeline, text: str) -> None:
    doc = pipeline(text, doc_id="t")
    assert not [e for e in doc.events if e.type == "ASSAULT"], [(e.type, e.trigger.text) for e in doc.events]


def test_bada_na_is_no_condemnation(pipeline) -> None:
    """«بدأنا» (we began) is not ب + «دانا» (the two condemned)."""
    doc = pipeline("وقال الوزير: لقد بدأنا العمل على الخطة الجديدة منذ شهرين.", doc_id="t")
    assert not [e for e in doc.events if e.type == "ACCUSE"], [(e.type, e.trigger.text) for e in doc.events]
