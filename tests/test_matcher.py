from marsad.recognize.matcher import PhraseMatcher
from marsad.text.tokens import tokenize


def found(matcher, text):
    return [(m.start, m.end, m.payloads, m.prefix) for m in matcher.find(tokenize(text))]


def make(*phrases):
    m = PhraseMatcher()
    for p in phrases:
        m.add(p, p)
    return m


def test_entry_with_article_matches_every_proclitic_form():
    m = make("القاهرة")
    for text in ("القاهرة", "للقاهرة", "والقاهرة", "بالقاهرة", "وبالقاهرة", "فالقاهرة", "فبالقاهرة"):
        assert [x[2] for x in found(m, f"قال مسؤول {text} اليوم")] == [("القاهرة",)], text


def test_alwifaq_matches_lilwifaq():
    assert found(make("الوفاق"), "مخازن الذخيرة التابعة للوفاق")[0][2] == ("الوفاق",)


def test_longest_phrase_wins_and_matches_do_not_overlap():
    m = make("حكومة", "حكومة الوفاق", "حكومة الوفاق الوطني")
    assert found(m, "أعلنت حكومة الوفاق الوطني")[0][:3] == (1, 4, ("حكومة الوفاق الوطني",))


def test_no_blind_stemming_of_names():
    m = make("ليد", "بنان")
    assert found(m, "وليد") == [(0, 1, ("ليد",), "و")]  # only because «ليد» is itself an entry
    assert found(make("حفتر"), "وليد") == []
    assert found(make("مصر"), "مصرف بمصرف مصري") == []  # no suffix stripping


def test_phrase_does_not_cross_punctuation():
    assert found(make("مجلس النواب"), "مجلس، النواب") == []


def test_lookup_is_exact():
    m = make("حفتر")
    assert m.lookup("حفتر") == ["حفتر"]
    assert m.lookup("وحفتر") == []


def test_words_that_only_look_like_clitic_plus_name_do_not_match():
    m = make("سرت", "أطمة", "حلب")
    assert found(m, "وكسرت الحصار فاطمة") == []  # «وكسرت» = and broke; «فاطمة» is a name
    assert [x[2] for x in found(m, "وصل إلى وحلب")] == [("حلب",)]


def test_trigger_matching_also_strips_the_article():
    names, triggers = PhraseMatcher(), PhraseMatcher(strip_article=True)
    names.add("قصف", "n")
    triggers.add("قصف", "t")
    assert found(names, "استمر القصف") == []
    assert [x[2] for x in found(triggers, "استمر القصف والقصف كالقصف")] == [("t",), ("t",), ("t",)]


def test_a_phrase_added_after_matching_is_found_next_time():
    m = make("حفتر")
    assert found(m, "قال خليفة حفتر") == [(2, 3, ("حفتر",), "")]
    m.add("خليفة حفتر", "full")  # the remembered readings of «خليفة» must not hide the new phrase
    assert found(m, "قال خليفة حفتر") == [(1, 3, ("full",), "")]


def test_matching_on_keys_alone_agrees_with_matching_tokens():
    m = make("مجلس النواب", "الوفاق", "طرابلس")
    tokens = tokenize("رفض مجلس النواب، والوفاق في طرابلس مجلس النواب")
    assert m.find_keys([t.key for t in tokens], [t.kind == "punct" for t in tokens]) == m.find(tokens)
    words = [t for t in tokens if t.kind != "punct"]
    assert [x.payloads for x in m.find_keys([t.key for t in words])] == [
        ("مجلس النواب",), ("الوفاق",), ("طرابلس",), ("مجلس النواب",)]
