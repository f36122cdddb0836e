"""Geocoding in context: disambiguation, everyday words that are not places, precision fields."""

import pytest

from marsad.recognize.places import Gazetteer


def places(doc):
    return {e.text: e.place for e in doc.entities if e.place is not None}


def test_tripoli_follows_the_article_country(pipeline):
    libya = pipeline("اندلعت اشتباكات في طرابلس بين قوات الوفاق وقوات حفتر جنوب العاصمة الليبية.")
    lebanon = pipeline("شهدت مدينة طرابلس في شمال لبنان احتجاجات، وانتشر الجيش اللبناني في شوارع طرابلس.")
    assert places(libya)["طرابلس"].country == "LY"
    assert places(lebanon)["طرابلس"].country == "LB"


@pytest.mark.parametrize("sentence", [
    "قال إن بين الطرفين خلافات كبيرة وإن الوفد سيعود إلى بلاده.",
    "أكد أن الحكومة لن تسمح بذلك، مشيرا إلى أن الوضع مستقر.",
    "فتح الباب أمام الحوار وعرض صور الضحايا على الصحفيين.",
])
def test_everyday_words_are_not_places(pipeline, sentence):
    assert places(pipeline(sentence)) == {}


def test_town_named_like_a_word_needs_a_place_cue(pipeline):
    doc = pipeline("سيطرت قوات المعارضة السورية على مدينة الباب شمال حلب.")
    assert places(doc)["الباب"].name.startswith("Al-Bab")


def test_geocoded_mentions_carry_every_field(pipeline):
    doc = pipeline("قصفت طائرات مواقع في إدلب ودير الزور، ووصل وفد إلى القاهرة ثم إلى تركيا.")
    found = places(doc)
    assert {"إدلب", "ودير الزور", "القاهرة", "تركيا"} <= set(found)
    for place in found.values():
        assert place.name and place.name_ar and place.country
        assert -90 <= place.lat <= 90 and -180 <= place.lon <= 180
        assert place.feature_class in ("country", "admin1", "city", "other")
    assert found["تركيا"].feature_class == "country"


def test_the_capital_after_alasima_is_the_city_not_the_country(pipeline):
    doc = pipeline("وقع الانفجار في العاصمة تونس صباح اليوم.")
    assert places(doc)["تونس"].feature_class == "city"


def test_unknown_toponym_leaves_the_others_alone(pipeline):
    doc = pipeline("وصلت القافلة إلى قرية زخرفستان ثم إلى حلب.")
    assert set(places(doc)) == {"حلب"}


def test_user_place_file_extends_the_gazetteer(tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text("- {id: XX-ZAKH, name: Zakhrafistan, class: city, country: SY, lat: 35.1, lon: 38.2, "
                    "aliases: [زخرفستان]}\n", encoding="utf-8")
    gazetteer = Gazetteer.builtin([mine])
    assert [e.name for e in gazetteer.lookup("زخرفستان")] == ["Zakhrafistan"]


def test_malformed_place_file_names_file_and_line(tmp_path):
    from marsad.errors import DataFileError

    bad = tmp_path / "bad.yaml"
    bad.write_text("- {id: A, name: A, class: city, lat: 1, lon: 2, aliases: [حلب]}\n"
                   "- {id: B, name: B, class: town, lat: 1, lon: 2, aliases: [حمص]}\n", encoding="utf-8")
    with pytest.raises(DataFileError) as err:
        Gazetteer.builtin([bad])
    assert err.value.line == 2 and "class must be one of" in err.value.reason


def test_nearby_places_decide_an_ambiguous_name(pipeline):
    doc = pipeline("وصل الوفد إلى بيروت ثم توجه إلى طرابلس وعكار وصيدا لتقديم المساعدات.")
    assert places(doc)["طرابلس"].country == "LB"
