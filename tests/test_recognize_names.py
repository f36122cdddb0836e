"""The name tagger's mentions: months, currencies, poisons and buildings are no persons or organisations;
a document that is mostly not Arabic text is not tagged and says so. Sentences written for these tests."""

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from marsad.cli import main
from marsad.doc import Document
from marsad.pipeline import TextComponent
from marsad.recognize.names import NameRecogniser, NotNames
from marsad.records import document_schema, document_to_dict
from marsad.text.script import MIN_ARABIC_SHARE, NOT_ARABIC, arabic_share, language_notice
from marsad.text.tokens import tokenize

ENGLISH = ("The army said on Monday that three people were killed when a car bomb exploded near the market in "
           "the north of the city. Officials from the ministry denied the report and promised an inquiry.")


def actors(doc):
    return [(e.text, e.type) for e in doc.entities if e.type in ("PER", "ORG")]


class StubTagger:
    """Tags each sentence with the BIO tags given for it: the name recogniser's filter, whatever the model says."""

    path = Path("stub.crfsuite")

    def __init__(self, tags):
        self.tags = tags

    def tag_document(self, sentences):
        return [self.tags[: len(words)] + ["O"] * (len(words) - len(self.tags)) for words in sentences]


def tagged(text, tags):
    doc = TextComponent()(Document(text=text))
    return NameRecogniser(StubTagger(tags))(doc)


@pytest.mark.parametrize(("text", "tags"), [
    ("وصل الوفد في نيسان 2018", ["O", "O", "O", "B-ORG", "O"]),
    ("وصل الوفد في نيسان 2018", ["O", "O", "O", "B-ORG", "I-ORG"]),
    ("بلغ سعر الريال اليمني مستوى قياسيا", ["O", "O", "B-ORG", "I-ORG", "O", "O"]),
    ("بلغ سعر الريال أمام الدولار مستوى قياسيا", ["O", "O", "B-ORG", "O", "B-PERS", "O", "O"]),
    ("قالت الشرطة إن الضابط تعرض لغاز نوفيتشوك", ["O", "O", "O", "O", "O", "B-ORG", "I-ORG"]),
    ("وأكد الخبراء أن نوفيتشوك مادة سامة", ["O", "O", "O", "B-PERS", "O", "O"]),
    ("تأجل الاجتماع إلى يوم الخميس المقبل", ["O", "O", "O", "O", "B-PERS", "I-PERS"]),
    ("تأجل الاجتماع إلى كانون الثاني", ["O", "O", "O", "B-PERS", "I-PERS"]),
    ("وصلت الشحنة في شهر رمضان", ["O", "O", "O", "O", "B-PERS"]),
    ("وصلت الشحنة في شباط الماضي", ["O", "O", "O", "B-PERS", "O"]),
    ("قالت شبكة سي إن إن", ["O", "O", "B-ORG", "O", "O"]),
])
def test_months_currencies_poisons_and_letters_are_no_names(text, tags):
    doc = tagged(text, tags)
    assert actors(doc) == [], actors(doc)


@pytest.mark.parametrize(("text", "tags", "name"), [
    ("قال القائد الميداني أبو خالد الصويعي إن قواته تقدمت", ["O", "O", "O", "B-PERS", "I-PERS", "I-PERS"],
     "أبو خالد الصويعي"),
    ("فاز ريال مدريد على منافسه", ["O", "B-ORG", "I-ORG", "O", "O"], "ريال مدريد"),
    ("وقال رمضان إن الحزب سيشارك", ["O", "B-PERS", "O", "O", "O"], "رمضان"),  # a month only as a date
    ("قالت شبكة بي بي سي", ["O", "O", "B-ORG", "I-ORG", "I-ORG"], "بي بي سي"),
    ("قالت شبكة بي بي سي", ["O", "O", "O", "B-ORG", "I-ORG"], "بي بي سي"),  # the letter left out joins
])
def test_real_names_stay(text, tags, name):
    doc = tagged(text, tags)
    assert [t for t, _ in actors(doc)] == [name]
    assert all(e.actor_id.startswith("NER:") for e in doc.entities)


def test_a_surname_that_is_a_month_joins_the_full_name():
    doc = tagged("قال حميد شباط إن شباط لن يستقيل", ["O", "B-PERS", "I-PERS", "O", "B-PERS", "O", "O"])
    assert [e.actor_id for e in doc.entities] == ["NER:PER:حميد شباط"] * 2


def test_a_building_is_a_place_without_an_actor():
    for tags in (["O", "B-PERS", "I-PERS", "O", "O", "O"], ["O", "O", "B-ORG", "O", "O", "O"]):
        doc = tagged("أعلن قصر كينزنغتون أن الأمير سيزور", tags)
        assert [(e.text, e.type, e.actor_id) for e in doc.entities] == [("قصر كينزنغتون", "LOC", None)]
        assert "building" in doc.entities[0].why
    doc = tagged("نقل الجرحى إلى المستشفى", ["O", "O", "O", "B-PERS"])
    assert doc.entities == []


def test_words_before_a_name_are_left_out():
    doc = tagged("أثار اغتيال بابتشينكو ضجة", ["O", "B-PERS", "I-PERS", "O"])
    assert [(e.text, e.actor_id) for e in doc.entities] == [("بابتشينكو", "NER:PER:بابتشينكو")]
    assert tagged("أدان شن هجوم كيماوي", ["O", "B-PERS", "I-PERS", "I-PERS"]).entities == []


def test_the_word_list_is_read_in_groups():
    words = NotNames.builtin()
    for group in ("never", "date", "near_date", "along", "letters", "lead", "place"):
        assert getattr(words, group), group
    junk = [words.junk(tokenize(s), 0, len(tokenize(s))) for s in ("بالدولار", "نيسان 2018", "الليرة التركية")]
    assert all(junk), junk
    assert words.junk(tokenize("العتيبي"), 0, 1) is None  # an adjective-like name alone is a name


def test_the_real_tagger_finds_no_junk_names(pipeline):
    for text in ("وصل الوفد في نيسان 2018 إلى العاصمة.", "بلغ سعر الريال أمام الدولار مستوى قياسيا.",
                 "قالت الشرطة إن الضابط تعرض لغاز نوفيتشوك في المدينة.", "وأضاف أن نوفيتشوك مادة سامة.",
                 "وقالت نيسان إن المفاوضات ستستأنف."):
        doc = pipeline(text)
        assert not [e for e in doc.entities if e.how == "model" and e.type in ("PER", "ORG")], actors(doc)
    doc = pipeline("أعلن قصر كينزنغتون أن الأمير سيزور المدينة.")
    assert [(e.text, e.type, e.actor_id) for e in doc.entities if e.how == "model"] == [
        ("قصر كينزنغتون", "LOC", None)]


def test_arabic_share_and_its_threshold():
    assert arabic_share("123 !! --") is None and language_notice("123 !! --") is None
    assert arabic_share(ENGLISH) == 0 and language_notice(ENGLISH) == NOT_ARABIC
    mixed = "قال الرئيس Donald Trump في مقابلة مع شبكة CNN إن بلاده ستنسحب من الاتفاق النووي مع إيران."
    assert arabic_share(mixed) > MIN_ARABIC_SHARE and language_notice(mixed) is None
    assert language_notice("Le ministre a déclaré que l'armée avait quitté la ville.") == NOT_ARABIC


def test_a_document_mostly_not_arabic_gets_the_notice_and_no_model_names(pipeline):
    doc = pipeline(ENGLISH)
    assert doc.language_notice == NOT_ARABIC
    assert not [e for e in doc.entities if e.how == "model"]
    record = document_to_dict(doc)
    assert record["language_notice"] == NOT_ARABIC
    jsonschema.validate(record, document_schema())
    arabic = pipeline("وقال الرئيس Donald Trump إن القوات الأمريكية ستبقى في سوريا حتى نهاية العام.")
    assert arabic.language_notice is None
    assert document_to_dict(arabic)["language_notice"] is None


def test_the_command_line_notes_the_document_and_the_table_names_unknown_actors(tmp_path):
    (tmp_path / "english.txt").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "arabic.txt").write_text("وقال القائد الميداني أبو خالد الصويعي إن قواته تقدمت نحو البلدة. "
                                         "وأضاف الصويعي أن الهجوم سيستمر.", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(main, ["extract", str(tmp_path / "english.txt"), str(tmp_path / "arabic.txt")],
                           catch_exceptions=False)
    assert result.exit_code == 0
    assert f"marsad: note: {tmp_path / 'english.txt'}: mostly not Arabic text" in result.stderr
    assert "arabic.txt: mostly" not in result.stderr
    assert "processed 2, skipped 0; 1 mostly not Arabic text" in result.stderr
    assert "None" not in result.stdout
    assert "أبو خالد الصويعي [NER:PER:" in result.stdout

    result = runner.invoke(main, ["extract", str(tmp_path / "english.txt"), "--format", "json"],
                           catch_exceptions=False)
    assert json.loads(result.stdout)["language_notice"] == NOT_ARABIC
