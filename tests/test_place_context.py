"""Places and the sentence around them: a place named inside an actor's name where the actor works, and a town
placed by the country its sentence names (sentences written for these tests)."""

import pytest

ABOUT_ASIA = ("قال الرئيس الصيني إن بكين ترفض العقوبات الأمريكية. وردت واشنطن بأن الصين تخرق الاتفاق. "
              "وقال مسؤول روسي إن موسكو تتابع الخلاف بين الصين والولايات المتحدة. ")


def placed(doc):
    return {e.text: e.place for e in doc.entities if e.place is not None}


@pytest.mark.parametrize(("sentence", "name", "country"), [
    ("قصفت طائرات تحالف دعم الشرعية في اليمن مخازن أسلحة قرب الميناء.", "اليمن", "YE"),
    ("وصل المبعوث الأممي إلى اليمن إلى العاصمة العمانية مسقط.", "اليمن", "YE"),
    ("ألغت المحكمة الدستورية العليا في مصر الحكم أمس.", "مصر", "EG"),
    ("شن التحالف الذي تقوده السعودية غارات على مواقع المتمردين.", "السعودية", "SA"),
], ids=["coalition in Yemen", "envoy to Yemen", "court in Egypt", "coalition led by Saudi Arabia"])
def test_a_state_named_inside_an_actor_name_after_in_to_or_led_by_is_a_place(pipeline, sentence, name, country):
    places = placed(pipeline(sentence))
    assert name in places, sorted(places)
    assert places[name].country == country


def test_a_place_inside_an_actor_name_after_another_word_is_not(pipeline):
    doc = pipeline("هاجمت سرايا الدفاع عن بنغازي مواقع للجيش.")
    assert "بنغازي" not in placed(doc)


def test_a_town_is_placed_by_the_country_its_sentence_names(pipeline):
    doc = pipeline(ABOUT_ASIA + "وتعقد المنظمة اجتماعها في ليون وسط شرق فرنسا.")
    places = placed(doc)
    assert "ليون" in places, sorted(places)
    assert places["ليون"].country == "FR"


def test_without_its_country_nearby_the_same_town_is_not_placed(pipeline):
    doc = pipeline(ABOUT_ASIA + "وتعقد المنظمة اجتماعها في ليون الأسبوع المقبل.")
    assert "ليون" not in placed(doc)
