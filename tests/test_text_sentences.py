import pytest

from marsad.text.sentences import split_sentences


def sents(text):
    return [text[a:b] for a, b in split_sentences(text)]


def test_headline_without_final_punctuation_is_its_own_sentence():
    text = "هجوم مرتقب\nقالت مصادر إن الهجوم بات وشيكا."
    assert sents(text) == ["هجوم مرتقب", "قالت مصادر إن الهجوم بات وشيكا."]


def test_split_without_space_after_full_stop():
    text = "دخلت الحرب شهرها الرابع.المبادرة المصرية الجديدة لقيت ردودا."
    assert sents(text) == ["دخلت الحرب شهرها الرابع.", "المبادرة المصرية الجديدة لقيت ردودا."]


@pytest.mark.parametrize("number", ["3.5", "١١٫٥", "0.75"])
def test_no_split_inside_decimals(number):
    text = f"ارتفع المؤشر بنسبة {number} في المئة أمس. ثم تراجع."
    assert len(sents(text)) == 2
    assert number in sents(text)[0]


def test_no_split_after_initials_and_abbreviations():
    text = "نقلت وكالة أ.ف.ب عن د. أحمد قوله إن الوضع خطير. وأضاف أن الحل قريب."
    assert sents(text) == ["نقلت وكالة أ.ف.ب عن د. أحمد قوله إن الوضع خطير.", "وأضاف أن الحل قريب."]


def test_arabic_and_latin_question_and_exclamation_marks():
    assert sents("هل انتهت الحرب؟ لا! Really? yes.") == ["هل انتهت الحرب؟", "لا!", "Really?", "yes."]


def test_closing_quote_stays_with_its_sentence():
    text = "وقال: «لن نتراجع.» ثم غادر القاعة."
    assert sents(text) == ["وقال: «لن نتراجع.»", "ثم غادر القاعة."]


def test_ellipsis_ends_once():
    assert sents("انتظروا... سنعود.") == ["انتظروا...", "سنعود."]


def test_spans_are_trimmed_and_cover_all_words():
    text = "  أولا.  \n\n ثانيا  "
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == ["أولا.", "ثانيا"]


def test_mixed_latin_and_arabic_sentence():
    text = "أعلنت شركة Google عن خدمة جديدة في الشرق الأوسط. The end."
    assert len(sents(text)) == 2


def test_line_breaks_and_runs_of_enders_and_closers():
    text = "عاجل\r\nقصف على المدينة!؟» (تحديث).\rانتهى"
    assert sents(text) == ["عاجل", "قصف على المدينة!؟»", "(تحديث).", "انتهى"]
