"""Datelines (marsad/recognize/dateline.py): where a report was filed is nobody's attacker, target or location.
Sentences written for these tests (issue #22: «دبي، الإمارات العربية المتحدة (CNN)» is never an argument)."""

import pytest

from marsad.recognize.dateline import dateline_end

CNN = "دبي، الإمارات العربية المتحدة (CNN) -- قتل خمسة أشخاص في هجوم انتحاري استهدف سوقا في مدينة كركوك."
REUTERS = "القاهرة، 5 مارس (رويترز) - قتل ثلاثة جنود في هجوم على نقطة تفتيش في شمال سيناء."
AFP = "بغداد (أ ف ب) قصفت طائرات عراقية مواقع لتنظيم داعش قرب الموصل."


@pytest.mark.parametrize(("text", "dateline"), [
    (CNN, "دبي، الإمارات العربية المتحدة (CNN) --"),
    (REUTERS, "القاهرة، 5 مارس (رويترز) -"),
    (AFP, "بغداد (أ ف ب)"),
    ("قصفت الطائرات الروسية مواقع للفصائل في ريف إدلب - وفق المرصد.", None),  # a dash later in prose
    ("الحكومة السورية: قصفنا مواقع الإرهابيين.", None),  # a speaker, not a place
    ("وقال (المتحدث) إن الهجوم فشل.", None),
])
def test_a_dateline_is_places_a_date_and_an_agency_at_the_start(pipeline, text, dateline):
    end = dateline_end(pipeline(text, doc_id="d"))
    assert (text[:end] if end is not None else None) == dateline


def test_the_state_of_a_dateline_is_no_argument_and_its_city_no_location(pipeline):
    doc = pipeline(CNN, doc_id="cnn")
    assert doc.events
    for ev in doc.events:
        for ref in (ev.source, ev.target):
            assert ref is None or ref.start > len("دبي، الإمارات العربية المتحدة (CNN) --"), (ev.type, ref.text)
        assert ev.location is None or ev.location.text == "كركوك"


def test_a_place_after_the_dateline_still_locates_the_event(pipeline):
    doc = pipeline(AFP, doc_id="afp")
    (strike,) = [e for e in doc.events if e.type == "ASSAULT"]
    assert strike.location is not None and strike.location.text == "الموصل"
