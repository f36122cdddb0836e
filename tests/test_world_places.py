"""The world layer of the gazetteer (places/world.yaml): regions, seas, capitals and cities outside MENA."""

from pathlib import Path

import pytest

from marsad.geo import great_circle_km
from marsad.knowledge.places import builtin_place_paths, load_place_file
from marsad.recognize.places import Gazetteer
from marsad.text.normalize import phrase_key

WORLD = Path(builtin_place_paths()[-1]).parent / "world.yaml"
WORLD_IDS = {e.id for e in load_place_file(WORLD)}


def places(doc):
    return {e.text: e.place for e in doc.entities if e.place is not None}


def located(doc, text):
    """Coordinates of the geocoded mention that contains ``text`` («منطقة الخليج» for «الخليج»)."""
    found = [p for t, p in places(doc).items() if text in t]
    assert found, f"«{text}» not geocoded in {sorted(places(doc))}"
    return found[0].lat, found[0].lon


@pytest.mark.parametrize(("sentence", "mention", "where", "tolerance"), [
    ("وصل الرئيس الكوري الجنوبي إلى بيونغ يانغ صباح اليوم.", "بيونغ يانغ", (39.03, 125.75), 50),
    ("دعا الوزير إلى نزع السلاح النووي في شبه الجزيرة الكورية.", "شبه الجزيرة الكورية", (38.0, 127.5), 500),
    ("عثرت الشرطة على الجاسوس السابق فاقدا للوعي في مدينة سالزبري البريطانية.", "سالزبري", (51.07, -1.79), 50),
    ("التقى الزعيمان في قرية بانمونجوم الحدودية.", "بانمونجوم", (37.96, 126.68), 50),
    ("أعلنت سول أنها ستعلق المناورات العسكرية.", "سول", (37.57, 126.98), 50),
    ("غرق قارب يقل مهاجرين في البحر المتوسط قبالة السواحل الليبية.", "البحر المتوسط", (35.0, 18.0), 1500),
    ("تتصاعد التوترات في منطقة الخليج بعد الهجوم على الناقلة.", "الخليج", (26.0, 52.0), 800),
    ("يسعى آلاف المهاجرين للوصول إلى أوروبا عبر ليبيا.", "أوروبا", (50.0, 10.0), 2000),
    ("قتل شخصان في إطلاق نار بمدرسة في ولاية فلوريدا الأمريكية.", "فلوريدا", (27.8, -81.7), 400),
    ("ضرب زلزال قوي مدينة بالو في جزيرة سولاويسي الإندونيسية.", "سولاويسي", (-1.8, 120.5), 300),
    ("فر مئات الآلاف من الروهينغا من ولاية راخين إلى مخيمات كوكس بازار.", "كوكس بازار", (21.2, 92.15), 50),
    ("انعقدت القمة في فندق بجزيرة سنتوسا في سنغافورة.", "سنتوسا", (1.25, 103.83), 50),
    ("أصدر الرئيس بيانا من منتجع مارالاغو في فلوريدا.", "مارالاغو", (26.68, -80.04), 50),
    ("استقبلت الملكة الرئيس الأمريكي في قلعة ويندسور.", "قلعة ويندسور", (51.48, -0.60), 50),
    ("عبرت سفينتان حربيتان أمريكيتان مضيق تايوان.", "مضيق تايوان", (24.0, 119.5), 150),
    ("يتوجه الوزير إلى جاكرتا ثم إلى مانيلا.", "جاكرتا", (-6.21, 106.85), 50),
    ("تظاهر الآلاف في كراكاس احتجاجا على نتائج الانتخابات.", "كراكاس", (10.48, -66.9), 50),
    ("ستقام الألعاب الأولمبية الشتوية في بيونغ تشانغ.", "بيونغ تشانغ", (37.37, 128.39), 50),
])
def test_world_places_are_geocoded(pipeline, sentence, mention, where, tolerance):
    assert great_circle_km(*located(pipeline(sentence), mention), *where) <= tolerance


def test_one_word_spellings_of_countries(pipeline):
    doc = pipeline("وصل آلاف اللاجئين إلى بنغلادش، وقتل جنود في بوركينافاسو.")
    assert places(doc)["بنغلادش"].country == "BD"
    assert places(doc)["بوركينافاسو"].country == "BF"


@pytest.mark.parametrize("sentence", [
    "ارتفع السعر المتوسط للبرميل إلى سبعين دولارا.",  # «المتوسط» alone is «average», not the sea
    "لم يخطر ببالي أن أراه هناك.",  # «بالي» is «my mind»: only «جزيرة بالي» is Bali
    "وقالت صوفيا إنها ستعود غدا إلى المنزل.",  # a given name, on the stop-list
    "قرر حلف شمال الأطلسي تعزيز قواته في بولندا.",  # NATO, not the Atlantic Ocean
])
def test_everyday_words_are_not_world_places(pipeline, sentence):
    found = places(pipeline(sentence))
    assert not [p for p in found.values() if p.id in WORLD_IDS], found


def test_floods_are_not_read_as_seoul_by_the_world_file(pipeline):
    # «سيول» is also «floods»: world.yaml lists only «سول» for Seoul and leaves «سيول» to the GeoNames layer.
    doc = pipeline("تسببت سيول ناتجة عن أمطار غزيرة في مقتل عشرة أشخاص.")
    assert not [p for p in places(doc).values() if p.id in WORLD_IDS]


def test_a_demilitarised_zone_is_korean_only_when_said_so(pipeline):
    idlib = pipeline("اتفق الطرفان على إقامة المنطقة المنزوعة السلاح حول إدلب.")
    korea = pipeline("زار الرئيس المنطقة المنزوعة السلاح بين الكوريتين.")
    assert "XX-KOREAN-DMZ" not in {p.id for p in places(idlib).values()}
    assert "XX-KOREAN-DMZ" in {p.id for p in places(korea).values()}


def test_given_name_on_the_stop_list_needs_a_cue(pipeline):
    assert Gazetteer.builtin().word_reason(phrase_key("صوفيا")) is not None
    assert "صوفيا" not in places(pipeline("وقالت صوفيا إنها ستعود إلى المسرح قريبا."))
    assert places(pipeline("وعقد الاجتماع في صوفيا عاصمة بلغاريا."))["صوفيا"].id == "BG-SOFIA"


def test_world_file_adds_no_alias_another_curated_file_has():
    world = load_place_file(WORLD)
    others = [e for p in sorted(WORLD.parent.glob("*.yaml")) if p != WORLD for e in load_place_file(p)]
    assert not [e.id for e in world if e.id in {o.id for o in others}]
    # A capital may share its country's name («غواتيمالا»): the recogniser picks the city after «العاصمة».
    taken = {phrase_key(a): o for o in others for a in o.aliases}
    clashes = [(e.id, a) for e in world for a in e.aliases if phrase_key(a) in taken
               and not (taken[phrase_key(a)].feature_class == "country" and taken[phrase_key(a)].country == e.country
                        and e.feature_class == "city")]
    assert not clashes
