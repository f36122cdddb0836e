"""Issue #24: an event's date is checked against its article's publication date (events/dating.py)."""

from __future__ import annotations

import pytest

PUBLISHED = "2018-05-10"  # a Thursday


def one(doc, typ):
    (ev,) = [e for e in doc.events if e.type == typ]
    return ev


def test_expected_meeting_keeps_its_future_date(candidate_pipeline):
    ev = one(candidate_pipeline("وقال الوزير إن الاجتماع سيعقد في 31 ديسمبر 2020.", date=PUBLISHED), "CONSULT")
    assert ev.modality == "expected"
    assert (ev.date, ev.date_evidence.text) == ("2020-12-31", "31 ديسمبر 2020")


def test_asserted_meeting_is_not_dated_after_publication(candidate_pipeline):
    ev = one(candidate_pipeline("واجتمع وزراء الخارجية العرب في القاهرة في 31 ديسمبر 2020.", date=PUBLISHED),
             "CONSULT")
    assert ev.modality == "asserted"
    assert (ev.date, ev.date_precision, ev.date_evidence) == (PUBLISHED, "day", None)


def test_asserted_attack_dated_after_publication_gets_the_publication_date(pipeline):
    ev = one(pipeline("قصفت الطائرات الحربية مواقع المسلحين في إدلب يوم 15 مارس 2020.", date=PUBLISHED), "ASSAULT")
    assert ev.modality == "asserted"
    assert (ev.date, ev.date_precision, ev.date_evidence) == (PUBLISHED, "day", None)
    assert "«15 مارس 2020»" in ev.why["date"] and "after publication" in ev.why["date"]
    assert "publication date" in ev.why["date"]


def test_a_history_date_after_the_event_s_clause_is_background(pipeline):
    doc = pipeline("وقصفت الطائرات الحربية مواقع المسلحين في إدلب، التي شهدت أول احتجاجات ضد الحكومة في 15 مارس 2011.",
                   date=PUBLISHED)
    ev = one(doc, "ASSAULT")
    assert (ev.date, ev.date_evidence) == (PUBLISHED, None)
    assert "over a year before publication" in ev.why["date"] and "«15 مارس 2011»" in ev.why["date"]


@pytest.mark.parametrize("text", [
    "قصفت الطائرات الحربية مواقع المسلحين في إدلب يوم 10 فبراير 1940.",  # in the trigger's clause
    "في 10 فبراير 1940، قصفت الطائرات الحربية مواقع المسلحين في إدلب.",  # before it: the sentence's time
    "قصفت الطائرات الحربية مواقع المسلحين في إدلب، في 10 فبراير 1940.",  # a clause of its own, right after it
    "في 10 فبراير 1940 عرضت السينما فيلما، ثم قصفت الطائرات الحربية مواقع المسلحين في إدلب.",  # narrated before
])
def test_an_old_date_the_text_attaches_to_the_event_is_kept(pipeline, text):
    ev = one(pipeline(text, date=PUBLISHED), "ASSAULT")
    assert (ev.date, ev.date_evidence.text) == ("1940-02-10", "10 فبراير 1940")


@pytest.mark.parametrize(("when", "expected"), [("الثلاثاء الماضي", "2018-05-08"), ("يوم 12 مارس", "2018-03-12")])
def test_recent_past_dates_are_kept(pipeline, when, expected):
    ev = one(pipeline(f"قصفت الطائرات الحربية مواقع المسلحين في إدلب {when}.", date=PUBLISHED), "ASSAULT")
    assert ev.date == expected and ev.date_evidence is not None


def test_without_a_publication_date_the_written_date_stands(pipeline):
    ev = one(pipeline("قصفت الطائرات الحربية مواقع المسلحين في إدلب يوم 15 مارس 2020."), "ASSAULT")
    assert (ev.date, ev.date_evidence.text) == ("2020-03-15", "15 مارس 2020")
