"""Place names that are also everyday words are places only with place evidence (#23 item 1).

The sentences are written for these tests; each pairs the word reading with the place reading of the same name.
"""

import pytest

from marsad.recognize.place_evidence import builtin_word_like, load_word_like
from marsad.recognize.places import Gazetteer


def places(doc):
    return {e.text: e.place.name for e in doc.entities if e.place is not None}


@pytest.mark.parametrize("sentence, word", [
    ("وقال المتحدث إنه بحسب التقارير الأولية فإن الهجوم فشل في تحقيق أهدافه.", "فإن"),  # Van
    ("ونقلت الوكالة عنه قوله إن المفاوضات ستستأنف الأسبوع المقبل.", "عنه"),  # Anah
    ("وقال إن للمجتمع المدني ودورا كبيرا في إعادة الإعمار.", "ودورا"),  # Dura
    ("على الصعيد العسكري تقدمت القوات الحكومية نحو المطار.", "الصعيد"),  # Upper Egypt
    ("وتعهدت الحكومة بدفع تعويض مالي لأسر الضحايا.", "مالي"),  # Mali
    ("وهو ودوما يدافع عن حقوق المعتقلين في كل المحافل.", "ودوما"),  # Douma
    ("وعرضت المنظمة صور الضحايا أمام الصحفيين.", "صور"),  # Tyre
    ("وقد تقدمت القوات من جهة الشرق نحو المعسكر.", "جهة الشرق"),  # L'Oriental
    ("وستجري الانتخابات في آب/أغسطس المقبل.", "آب"),  # Ibb
    ("وأعلن الوزير أن الاتفاق سيوقع في 12 آب 2019.", "آب"),
    ("وقال الرئيس بشار الأسد في خطاب إن الحرب لم تنته.", "بشار"),  # Béchar
])
def test_everyday_word_is_no_place(pipeline, sentence, word):
    assert word not in places(pipeline(sentence))


@pytest.mark.parametrize("sentence, name, place", [
    ("وصل الوفد إلى مدينة فان شرقي تركيا لتفقد آثار الزلزال.", "فان", "Van"),
    ("قصفت الطائرات الإسرائيلية أطراف مدينة صور في جنوب لبنان.", "صور", "Tyre"),
    ("اندلعت اشتباكات عنيفة في مدينة حديثة غرب الأنبار.", "حديثة", "Haditha"),
    ("قتل ثلاثة مدنيين في دوما بريف دمشق.", "دوما", "Douma"),
])
def test_the_same_name_after_a_place_cue_is_a_place(pipeline, sentence, name, place):
    assert places(pipeline(sentence)).get(name, "").startswith(place)


def test_a_later_bare_mention_follows_an_earlier_place_mention(pipeline):
    doc = pipeline("سقطت قذائف على مدينة صور جنوب لبنان. وقالت مصادر إن صور شهدت نزوحا كبيرا.")
    found = [e for e in doc.entities if e.text == "صور"]
    assert len(found) == 2 and all(e.place is not None and e.place.name == "Tyre" for e in found)
    assert "named earlier in the article" in found[1].why


def test_two_places_joined_by_wa_support_each_other(pipeline):
    doc = pipeline("وصلت تعزيزات عسكرية إلى صيدا وصور صباح اليوم.")
    assert places(doc).get("وصور") == "Tyre"


def test_the_explanation_gives_the_evidence(pipeline):
    doc = pipeline("وصل الوفد إلى مدينة فان شرقي تركيا.")
    van = next(e for e in doc.entities if e.text == "فان")
    assert "here a place: after «مدينه»" in van.why and "place context" in van.why


def test_a_town_in_somalia_named_like_the_capital_of_south_sudan(pipeline):
    somalia = pipeline("شنت القوات الصومالية هجوما على مواقع حركة الشباب في جوبا جنوبي الصومال.")
    sudan = pipeline("وصل الرئيس إلى جوبا عاصمة جنوب السودان.")
    assert places(somalia)["جوبا"] == "Jubba regions"
    assert places(sudan)["جوبا"] == "Juba"


def test_the_shipped_evidence_lists_words_not_cities():
    word_like = builtin_word_like()
    assert {"فان", "عنه", "صور", "الصعيد"} <= set(word_like)
    assert not {"حلب", "دمشق", "بغداد", "طرابلس", "صنعاء"} & set(word_like)
    van = word_like["فان"]
    assert van.seen >= 20 and van.in_context / van.seen < 0.15


def test_a_malformed_evidence_file_names_its_line(tmp_path):
    bad = tmp_path / "evidence.tsv"
    bad.write_text("# comment\nname\tseen\tin_context\nفان\tmany\t3\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"evidence.tsv:3"):
        load_word_like(bad)


def test_a_gazetteer_without_evidence_keeps_the_old_behaviour():
    gazetteer = Gazetteer.builtin()
    assert gazetteer.word_reason(("فان",)) is not None
    bare = Gazetteer(gazetteer.entries.values(), gazetteer.stopwords, gazetteer.cues)
    assert bare.word_reason(("فان",)) is None
    assert bare.word_reason(("صور",)) is not None  # still a stop-listed everyday word


def test_an_adjective_is_not_rescued_by_the_country_named_earlier(pipeline):
    doc = pipeline("وصل الوفد إلى تركيا أمس. وقالت شركة تركية إنها ستستثمر في المشروع.")
    assert places(doc).get("تركيا") == "Turkey" and "تركية" not in places(doc)


def test_a_club_in_sport_news_is_no_place_but_the_city_in_politics_is(pipeline):
    sport = pipeline("وانتقل اللاعب إلى ميلان في صفقة قياسية بعد أن سجل هدفين في المباراة الأخيرة مع المدرب.")
    assert sport.relevance < 0.5 and "ميلان" not in places(sport)
    city = pipeline("وتظاهر الآلاف في ميلان شمالي إيطاليا احتجاجا على سياسة الحكومة تجاه المهاجرين.")
    assert places(city).get("ميلان", "").startswith("Milan")


def test_the_tagger_geocodes_no_everyday_word(pipeline):
    doc = pipeline("وهي خطوة ترمز إلى التحدي والصمود أمام الضغوط.")
    assert "ترمز" not in places(doc) and not [e for e in doc.entities if e.text == "ترمز"]


def test_white_is_not_al_bayda_but_the_governorate_is(pipeline):
    assert "البيضاء" not in places(pipeline("ورفعت الحكومة الراية البيضاء في الحرب التجارية."))
    assert "البيضاء" in places(pipeline("واندلعت اشتباكات في محافظة البيضاء وسط اليمن."))


@pytest.mark.parametrize("sentence, name", [
    ("واستحوذ ثنائي ريال مدريد وبرشلونة على الجائزة للمرة العاشرة.", "مدريد"),
    ("وتلقى مهاجم نيس الفرنسي كرة قريبة من منطقة الجزاء.", "نيس"),
    ("وحقق ليون الفرنسي فوزا ثمينا خارج أرضه.", "ليون"),
    ("وعاد المدرب إلى تدريب مانشستر يونايتد بعد غياب طويل.", "مانشستر"),
])
def test_a_club_named_after_its_city_is_no_place(pipeline, sentence, name):
    assert name not in places(pipeline(sentence))


def test_the_city_of_a_club_name_is_still_a_place(pipeline):
    assert places(pipeline("وقع الهجوم في مدينة نيس الفرنسية وأوقع عشرات القتلى.")).get("نيس") == "Nice"
    assert places(pipeline("وفاز منتخب فرنسا على كرواتيا في النهائي.")).get("فرنسا") == "France"


def test_a_glued_preposition_is_no_place_evidence_for_a_word(pipeline):
    doc = pipeline("وعرضت المنظمة بصور الضحايا ما جرى. ثم نشرت صور الضحايا على موقعها.")
    assert not [e for e in doc.entities if e.text.endswith("صور") and e.place is not None]


def test_a_preposition_is_place_evidence_only_in_the_places_country(pipeline):
    yemen = pipeline("ظهرت ملامح الأزمة في اليمن في صور أطفال مهددين بالموت.")
    lebanon = pipeline("قصفت إسرائيل مواقع في جنوب لبنان. وسقطت قذائف في صور.")
    assert "صور" not in places(yemen) and places(lebanon).get("صور") == "Tyre"


def test_his_grandfather_is_not_jeddah(pipeline):
    assert not [e for e in pipeline("وأخذ الكاتب عن جدّه حب القراءة في السعودية.").entities if "جد" in e.text]


def test_directional_regions_and_seats_of_power_are_places(pipeline):
    found = places(pipeline("وقصفت الطائرات مواقع في جنوب سوريا. وتقدمت القوات في الشمال السوري."))
    assert found.get("جنوب سوريا") == "Southern Syria" and found.get("الشمال السوري") == "Northern Syria"
    white_house = next(e for e in pipeline("وقال البيت الأبيض إن الرئيس سيزور المنطقة.").entities
                       if e.text == "البيت الأبيض")
    assert white_house.actor_id == "USA-WHITE-HOUSE" and white_house.place.name == "White House"


def test_a_hashtags_words_are_read_as_words(pipeline):
    doc = pipeline("وصل الرئيس إلى #كوريا_الجنوبية أمس.")
    assert any(e.text == "كوريا_الجنوبية" and e.place is not None and e.place.country == "KR" for e in doc.entities)


def test_the_taggers_places_pass_the_generated_names_test(pipeline):
    doc = pipeline("سيطر المسلحون على وداي الضيف في ريف إدلب.")  # «وداي» for «وادي»: not Chad's Ouaddaï
    assert not [e for e in doc.entities if e.place is not None and e.place.country == "TD"]
