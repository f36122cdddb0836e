"""The district, site and regional gazetteer files (yemen_districts, districts_sy_iq_ly, sites, africa_sahel,
iran_afghanistan_turkey): their places are found in sentences written for these tests, at the right spot."""

import pytest

from marsad.geo import great_circle_km


@pytest.mark.parametrize(("sentence", "mention", "where"), [
    ("سيطرت القوات الحكومية على مديرية التحيتا جنوب الحديدة.", "التحيتا", (14.2, 43.25)),
    ("قصفت المدفعية قرى في ناحية معبطلي شمال غربي حلب.", "معبطلي", (36.55, 36.72)),
    ("نقل المعتقلون إلى سجن أبو غريب غربي بغداد.", "سجن أبو غريب", (33.3, 44.07)),
    ("قتل خمسة أشخاص في هجوم انتحاري على سوق في مدينة موبي شمال شرق نيجيريا.", "موبي", (10.27, 13.26)),
    ("قتل 12 مدنيا في ضربة جوية في إقليم قندوز شمال أفغانستان.", "قندوز", (36.7, 68.9)),
], ids=["Yemeni district", "Syrian sub-district", "Iraqi prison", "Nigerian town", "Afghan province"])
def test_a_listed_place_is_found_where_it_is(pipeline, sentence, mention, where):
    found = [e.place for e in pipeline(sentence).entities if e.place is not None and mention in e.text]
    assert found, f"«{mention}» not placed"
    assert great_circle_km(found[0].lat, found[0].lon, *where) < 50


def test_a_subdistrict_named_like_a_word_is_no_place_without_its_type_word(pipeline):
    doc = pipeline("وقال إنه سيزور المنطقة، وأنه لا يخشى شيئا.")
    assert not [e for e in doc.entities if e.place is not None], [e.text for e in doc.entities]
