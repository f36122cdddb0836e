"""Event dates from the text, against fixed publication dates (phrases written for these tests)."""

from datetime import date

import pytest

from marsad.recognize.dates import find_dates
from marsad.text.tokens import tokenize

WEDNESDAY = date(2019, 4, 10)


@pytest.mark.parametrize(("phrase", "published", "expected", "precision"), [
    ("وقع الهجوم في 7 أبريل 2019 قرب المدينة", WEDNESDAY, "2019-04-07", "day"),
    ("وقع الهجوم في 7 نيسان قرب المدينة", WEDNESDAY, "2019-04-07", "day"),           # Levantine month, no year
    ("اندلعت الاشتباكات في 28 كانون الأول", date(2019, 1, 3), "2018-12-28", "day"),  # past bias across a year
    ("أعلنت الشرطة في 12 جويلية عن اعتقالات", date(2019, 8, 1), "2019-07-12", "day"),  # Maghrebi month
    ("عرض الفيلم في 5 فبراير عام 1940", WEDNESDAY, "1940-02-05", "day"),          # «عام» before the year
    ("وقعت الحادثة في 3 مايو سنة 2015", WEDNESDAY, "2015-05-03", "day"),
    ("قصفت الطائرات البلدة أمس", WEDNESDAY, "2019-04-09", "day"),
    ("قتل ثلاثة أشخاص أول أمس", WEDNESDAY, "2019-04-08", "day"),
    ("تظاهر المئات يوم السبت", WEDNESDAY, "2019-04-06", "day"),
    ("تظاهر المئات الجمعة الماضي", date(2019, 4, 12), "2019-04-05", "day"),        # «الماضي» on a Friday: a week back
    ("قال الجيش الجمعة إن", date(2019, 4, 12), "2019-04-12", "day"),                # same weekday: the day itself
    ("اعتقل منذ ثلاثة أيام", WEDNESDAY, "2019-04-07", "day"),
    ("اعتقل منذ يومين", WEDNESDAY, "2019-04-08", "day"),
    ("اختطف منذ 3 أسابيع", WEDNESDAY, "2019-03-20", "week"),
    ("تصاعدت الغارات الأسبوع الماضي", WEDNESDAY, "2019-04-01", "week"),
    ("ارتفع عدد القتلى الشهر الماضي", WEDNESDAY, "2019-03-01", "month"),
])
def test_date_phrases(phrase, published, expected, precision):
    (found,) = find_dates(tokenize(phrase), published)
    assert (found.date, found.precision) == (expected, precision)


def test_without_a_publication_date_only_full_dates_resolve():
    assert find_dates(tokenize("قصفت الطائرات البلدة أمس"), None) == []
    (found,) = find_dates(tokenize("في 30 حزيران 2014"), None)
    assert found.date == "2014-06-30"
    assert find_dates(tokenize("في 31 شباط 2014"), None) == []  # no such day


def test_events_carry_the_date_of_their_sentence(pipeline):
    doc = pipeline("قصفت الطائرات الحربية مواقع في إدلب يوم السبت الماضي. واعتقلت قوات الأمن عشرة أشخاص في حلب.",
                   date="2019-04-10")
    by_type = {e.type: e for e in doc.events}
    strike, arrest = by_type["ASSAULT"], by_type["COERCE"]
    assert (strike.date, strike.date_precision, strike.date_evidence.text) == ("2019-04-06", "day", "السبت الماضي")
    assert (arrest.date, arrest.date_evidence) == ("2019-04-10", None)  # no date in its sentence: publication
    assert "publication date" in arrest.why["date"]
    undated = pipeline("واعتقلت قوات الأمن عشرة أشخاص في حلب.")
    assert [(e.date, e.date_precision) for e in undated.events] == [(None, "unknown")]
