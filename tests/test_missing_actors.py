"""Actors added after the audit of events_train (issue #23 item 5): sentences written for these tests."""

import pytest


def actor_of(doc, text):
    return [e.actor_id for e in doc.entities if e.text == text]


def ids(doc):
    return {e.actor_id for e in doc.entities}


# ---------------------------------------------------------------- the examples

def test_trudeau_full_name_and_surname(pipeline):
    doc = pipeline("استقبل جاستن ترودو وفدا تجاريا في أوتاوا، ثم قال ترودو إن كندا منفتحة على الحوار.",
                   date="2018-06-10")
    assert actor_of(doc, "جاستن ترودو") == ["CAN-TRUDEAU"]
    assert actor_of(doc, "ترودو") == ["CAN-TRUDEAU"]


def test_canadian_prime_minister_title_by_date(pipeline):
    doc = pipeline("أكد رئيس الوزراء الكندي أن بلاده لن تتراجع عن موقفها.", date="2018-08-07")
    assert "CAN-TRUDEAU" in ids(doc)


@pytest.mark.parametrize("phrase", ["القوات الحوثية", "قوات الحوثي", "قادة حوثيين", "الميليشيات الحوثية",
                                    "الميليشيا الحوثية", "المليشيات الحوثية", "المليشيا الحوثية"])
def test_houthi_forms_are_the_movement(pipeline, phrase):
    doc = pipeline(f"قالت مصادر محلية في محافظة الحديدة اليمنية إن {phrase} قصفت حيا سكنيا أمس.")
    assert actor_of(doc, phrase) == ["YEM-HOUTHI"]


def test_bare_houthi_is_the_movement(pipeline):
    doc = pipeline("رفض الحوثي المبادرة الأممية بشأن ميناء الحديدة في اليمن.")
    assert actor_of(doc, "الحوثي") == ["YEM-HOUTHI"]


def test_bare_houthi_after_the_leader_is_named_is_the_leader(pipeline):
    doc = pipeline("ألقى عبد الملك الحوثي خطابا متلفزا في صنعاء. وهدد الحوثي بتصعيد الهجمات في اليمن.")
    assert actor_of(doc, "الحوثي") == ["YEM-ABDULMALIK-HOUTHI"]


def test_kurdish_forces_in_syrian_news_are_the_ypg(pipeline):
    doc = pipeline("انسحبت القوات الكردية من قرى قرب منبج في شمال سوريا، وقالت دمشق إن سوريا لن تقبل التقسيم.")
    assert actor_of(doc, "القوات الكردية") == ["SYR-YPG"]


def test_kurdish_forces_in_iraqi_news_are_the_peshmerga(pipeline):
    doc = pipeline("تمركزت القوات الكردية على أطراف كركوك، وقالت بغداد إن العراق يرفض أي خطوة أحادية.")
    assert actor_of(doc, "القوات الكردية") == ["IRQ-PESHMERGA"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("أعلنت مفوضية الانتخابات موعد فرز الأصوات، وقال مسؤولون في العراق إن بغداد والبصرة جاهزتان.", "IRQ-IHEC"),
        ("قالت مفوضية الانتخابات إن تسجيل الناخبين في ليبيا مستمر، وإن طرابلس وبنغازي شهدتا إقبالا.", "LBY-HNEC"),
        ("رفضت مفوضية الانتخابات الطعون، وقال محللون في باكستان إن إسلام آباد تترقب النتائج.", "PAK-ECP"),
    ],
)
def test_election_commission_follows_the_article_country(pipeline, sentence, expected):
    doc = pipeline(sentence)
    assert actor_of(doc, "مفوضية الانتخابات") == [expected]


def test_election_commission_is_nobody_in_an_unrelated_article(pipeline):
    doc = pipeline("قالت مفوضية الانتخابات إن النتائج ستعلن الأسبوع المقبل في البرازيل.")
    assert not any(e.actor_id in {"IRQ-IHEC", "LBY-HNEC", "PAK-ECP"} for e in doc.entities)


# ---------------------------------------------------------------- a sample of the other additions

@pytest.mark.parametrize(
    ("sentence", "phrase", "expected"),
    [
        ("ونقلت وكالة فرانس برس عن مصدر أمني قوله إن الهجوم فشل.", "فرانس برس", "MED-AFP"),
        ("وذكرت رويترز أن المحادثات ستستأنف الأسبوع المقبل.", "رويترز", "MED-REUTERS"),
        ("وقالت صحيفة الغارديان إن الحكومة تدرس الخيارات.", "صحيفة الغارديان", "MED-GUARDIAN"),
        ("هددت حركة طالبان بمهاجمة مراكز الاقتراع في كابول.", "حركة طالبان", "AFG-TALIBAN"),
        ("تبنت حركة طالبان باكستان الهجوم على المدرسة.", "حركة طالبان باكستان", "PAK-TTP"),
        ("قالت منظمة بتسيلم إن المستوطنين هاجموا المزارعين.", "منظمة بتسيلم", "ISR-BTSELEM"),
        ("أبقت مجموعة العمل المالي الدولة على القائمة الرمادية.", "مجموعة العمل المالي", "IGO-FATF"),
        ("وصل كيم جونغ أون إلى سنغافورة للقاء نظيره.", "كيم جونغ أون", "PRK-KIM-JONG-UN"),
        ("استقبل مون جاي إن المبعوث في سول.", "مون جاي إن", "KOR-MOON"),
        ("حذر جون بولتون من عواقب الخطوة.", "جون بولتون", "USA-BOLTON"),
        ("تعافى سيرغي سكريبال بعد أسابيع في المستشفى.", "سيرغي سكريبال", "RUS-SERGEI-SKRIPAL"),
        ("اتهم جهاز الاستخبارات الخارجية البريطاني موسكو بالوقوف وراء الحادث.",
         "جهاز الاستخبارات الخارجية البريطاني", "GBR-MI6"),
        ("وقالت فيديريكا موغيريني إن الاتفاق النووي يجب أن يصمد.", "فيديريكا موغيريني", "IGO-MOGHERINI"),
        ("فاز حزب حركة الإنصاف بأكبر عدد من المقاعد.", "حزب حركة الإنصاف", "PAK-PTI"),
        ("دعا ناريندرا مودي إلى ضبط النفس على الحدود.", "ناريندرا مودي", "IND-MODI"),
        ("أدان أشرف غني التفجير الذي استهدف المصلين.", "أشرف غني", "AFG-GHANI"),
    ],
)
def test_added_actor_is_recognised(pipeline, sentence, phrase, expected):
    doc = pipeline(sentence, date="2018-07-01")
    assert actor_of(doc, phrase) == [expected]


@pytest.mark.parametrize(
    ("date", "title", "expected"),
    [
        ("2018-06-15", "مستشار الأمن القومي الأمريكي", "USA-BOLTON"),
        ("2018-05-20", "المندوبة الأمريكية لدى الأمم المتحدة", "USA-HALEY"),
        ("2018-09-01", "رئيس الوزراء الباكستاني", "PAK-IMRAN-KHAN"),
        ("2016-03-01", "رئيس الوزراء الباكستاني", "PAK-NAWAZ-SHARIF"),
        ("2018-04-10", "المتحدثة باسم وزارة الخارجية الأمريكية", "USA-NAUERT"),
    ],
)
def test_added_titles_hold_on_the_article_date(pipeline, date, title, expected):
    doc = pipeline(f"وصرح {title} بأن الوضع يتطلب تحركا عاجلا.", date=date)
    assert expected in ids(doc)


def test_bare_kim_is_the_north_korean_leader_in_korean_news(pipeline):
    doc = pipeline("قالت كوريا الشمالية إن بيونغ يانغ مستعدة للحوار. وأضاف كيم أن الصواريخ لن تطلق.", date="2018-05-01")
    assert actor_of(doc, "كيم") == ["PRK-KIM-JONG-UN"]


def test_us_parties_only_in_us_news(pipeline):
    us = pipeline("انتقد الجمهوريون في واشنطن خطة الرئيس، وقال الحزب الديمقراطي إن أمريكا تستحق الأفضل.")
    assert actor_of(us, "الجمهوريون") == ["USA-REPUBLICAN"]
    assert actor_of(us, "الحزب الديمقراطي") == ["USA-DEMOCRATIC"]
    turkey = pipeline("قدم الحزب الجمهوري مرشحه للانتخابات في تركيا، وقالت أنقرة إن تركيا مستعدة.")
    assert not any(e.actor_id == "USA-REPUBLICAN" for e in turkey.entities)


def test_everyday_words_are_not_read_as_the_new_names(pipeline):
    doc = pipeline("طالبت السلطات بتسليم المطلوبين، وأعلنت روسيا اليوم استعدادها للتعاون.")
    assert not any(e.actor_id in {"ISR-BTSELEM", "MED-RT"} for e in doc.entities)
