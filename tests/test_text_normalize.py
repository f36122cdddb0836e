import pytest

from marsad.text.normalize import ascii_digits, match_key, phrase_key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("أنقرة", "انقره"),  # hamza on alef, ta marbuta
        ("إيران", "ايران"),
        ("مصطفى", "مصطفي"),  # alef maqsura
        ("آمال", "امال"),
        ("ٱلله", "الله"),  # alef wasla
        ("القاهرةُ", "القاهرة"),  # diacritics
        ("عـــاجل", "عاجل"),  # tatweel
        ("مُؤتمر", "موتمر"),
        ("رئيس", "رييس"),
    ],
)
def test_match_key_unifies_spellings(a, b):
    assert match_key(a) == match_key(b)


def test_match_key_keeps_distinct_words_distinct():
    assert match_key("مصر") != match_key("مصري")
    assert match_key("حلب") != match_key("حلبة")


@pytest.mark.parametrize(("text", "expected"), [("١١٫٥", "11.5"), ("۱۲۳", "123"), ("2019", "2019"), ("٣,٠٠٠", "3,000")])
def test_digits_become_ascii(text, expected):
    assert match_key(text) == expected
    assert len(ascii_digits(text)) == len(text)


def test_phrase_key_splits_words_and_drops_punctuation():
    assert phrase_key("قوات «الوفاق»،") == ("قوات", "الوفاق")
