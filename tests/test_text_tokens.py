import pytest

from marsad.text.tokens import clitic_readings, text_offset_of_key_index, tokenize


def test_tokens_round_trip_offsets():
    text = "قُتل 11 شخصاً، و١١٫٥ ألفاً في «طرابلس» (Libya) أمس."
    for tok in tokenize(text):
        assert text[tok.start:tok.end] == tok.text


def test_token_kinds_and_numbers():
    toks = tokenize("نحو 11,000 عنصر و٣.٥ مليون")
    assert [(t.text, t.kind) for t in toks] == [
        ("نحو", "word"), ("11,000", "number"), ("عنصر", "word"), ("و", "word"), ("٣.٥", "number"), ("مليون", "word"),
    ]
    assert toks[4].key == "3.5"


def test_diacritics_stay_inside_the_word_token():
    (tok,) = tokenize("القاهرةُ")
    assert tok.text == "القاهرةُ" and tok.key == "القاهره"


@pytest.mark.parametrize(
    ("token", "stem"),
    [("للقاهرة", "القاهره"), ("والقاهرة", "القاهره"), ("بالقاهرة", "القاهره"), ("وبالقاهرة", "القاهره"),
     ("للوفاق", "الوفاق"), ("فالوفاق", "الوفاق"), ("لحفتر", "حفتر"), ("وحفتر", "حفتر")],
)
def test_clitic_readings_include_the_stem(token, stem):
    (tok,) = tokenize(token)
    assert stem in [r.stem for r in clitic_readings(tok.key)]


def test_bare_token_is_the_first_reading():
    assert clitic_readings("وليد")[0].stem == "وليد"


def test_short_remainders_are_not_readings():
    assert all(len(r.stem) >= 2 for r in clitic_readings("وب"))
    assert "ن" not in [r.stem for r in clitic_readings("بن")]


def test_key_index_maps_back_through_diacritics():
    assert text_offset_of_key_index("وَبِالقاهرة", 2) == 4


def test_article_and_kaf_are_split_only_for_trigger_words():
    assert "عاده" not in [r.stem for r in clitic_readings("كالعاده")]
    assert "عاده" in [r.stem for r in clitic_readings("كالعاده", strip_article=True)]


def test_tokens_are_immutable_values_equal_to_constructed_ones():
    from dataclasses import FrozenInstanceError

    from marsad.text.tokens import Token

    tok, *_ = tokenize("قصف مدفعي")
    assert tok == Token(0, 0, 3, "قصف", "قصف", "word") and hash(tok) == hash(Token(0, 0, 3, "قصف", "قصف", "word"))
    with pytest.raises(FrozenInstanceError):
        tok.key = "x"  # type: ignore[misc]
    assert [t.i for t in tokenize("أ ب، ج 5")] == [0, 1, 2, 3, 4]
