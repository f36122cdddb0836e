"""Reported allegations (marsad/events/allegation.py, issue #22 item 6): the speaker's act is coded by the speaker,
the act alleged by the accused and «according to» the speaker. Sentences written for these tests; the shipped
pipeline where the event classifier keeps the alleged act, the candidate pipeline (classifier off) for the rest."""

import pytest


def events(pipeline, text):
    return [(e.type, e.source.text if e.source else None, e.target.text if e.target else None,
             e.attribution.text if e.attribution else None, e) for e in pipeline(text).events]


def one(pipeline, text, typ):
    found = [x for x in events(pipeline, text) if x[0] == typ]
    assert len(found) == 1, found
    return found[0]


def test_the_accused_did_the_act_according_to_the_accuser(pipeline):
    text = "واتهمت فنزويلا الولايات المتحدة بقصف مواقع للجيش على الحدود."
    _, source, target, said_by, _ = one(pipeline, text, "ACCUSE")
    assert (source, target, said_by) == ("فنزويلا", "الولايات المتحدة", None)
    _, source, target, said_by, ev = one(pipeline, text, "ASSAULT")
    assert source == "الولايات المتحدة" and target != "فنزويلا" and said_by == "فنزويلا"
    assert "accuses of it" in ev.why["source"] and "alleged by «فنزويلا»" in ev.why["attribution"]


def test_speaker_before_the_verb_and_a_modifier_of_the_accused(pipeline):
    # «المدعومة من إيران» describes the accused: Iran is neither the speaker nor the accused
    text = "وأكد المتحدث أن الحكومة اليمنية اتهمت ميليشيات الحوثي المدعومة من إيران بقصف الأحياء السكنية في تعز."
    _, source, target, _, _ = one(pipeline, text, "ACCUSE")
    assert (source, target) == ("الحكومة اليمنية", "ميليشيات الحوثي")
    _, source, _, said_by, _ = one(pipeline, text, "ASSAULT")
    assert source == "ميليشيات الحوثي" and said_by == "الحكومة اليمنية"


def test_blame_for_an_attack(candidate_pipeline):
    text = "وحمّلت الحكومة الأفغانية حركة طالبان المسؤولية عن تفجير انتحاري استهدف مركزا للشرطة في كابل أمس."
    _, source, target, _, _ = one(candidate_pipeline, text, "ACCUSE")
    assert (source, target) == ("الحكومة الأفغانية", "حركة طالبان")
    assaults = [x for x in events(candidate_pipeline, text) if x[0] == "ASSAULT"]
    assert assaults and all(source == "حركة طالبان" and said_by == "الحكومة الأفغانية"
                            for _, source, _, said_by, _ in assaults)


def test_an_attack_attributed_to_a_group(candidate_pipeline):
    found = [x for x in events(candidate_pipeline, "وقتل عشرون شخصا في هجوم انتحاري نسب إلى تنظيم داعش في كابل.")
             if x[4].trigger.text == "هجوم انتحاري"]
    assert [(t, s) for t, s, *_ in found] == [("ASSAULT", "تنظيم داعش")]


def test_an_object_pronoun_accuses_the_one_the_relative_clause_describes(candidate_pipeline):
    text = "وقال المعارض التركي فتح الله غولن، الذي يتهمه الرئيس رجب طيب أردوغان بتدبير المحاولة الانقلابية، إنه بريء."
    _, source, target, _, _ = one(candidate_pipeline, text, "ACCUSE")
    assert (source, target) == ("رجب طيب أردوغان", "فتح الله غولن")


def test_a_passive_accusation_names_no_accuser(candidate_pipeline):
    _, source, target, _, ev = one(candidate_pipeline, "واتُّهمت روسيا بتدبير الهجوم بغاز الأعصاب في بريطانيا.",
                                   "ACCUSE")
    assert (source, target) == (None, "روسيا") and "passive" in ev.why["source"]


def test_the_denier_rejects_and_the_denied_act_is_according_to_them(candidate_pipeline):
    text = "ونفى الجيش الإسرائيلي أن تكون قواته أطلقت النار على المتظاهرين."
    _, source, _, _, _ = one(candidate_pipeline, text, "REJECT")
    assert source == "الجيش الإسرائيلي"
    _, _, _, said_by, ev = one(candidate_pipeline, text, "ASSAULT")
    assert said_by == "الجيش الإسرائيلي" and ev.modality == "negated"


@pytest.mark.parametrize("text", [
    "واتهمت المعارضة الحكومة بسبب الأزمة الاقتصادية وانتقدت أداءها.",  # «بسبب» introduces a reason, no act
    "وقصف الجيش السوري مواقع لهيئة تحرير الشام في ريف حماة.",  # no allegation at all
])
def test_no_allegation_leaves_the_other_rules_alone(candidate_pipeline, text):
    for *_, ev in events(candidate_pipeline, text):
        assert "accuse" not in ev.why.get("source", "") and "alleg" not in ev.why.get("source", "")
        assert "alleged by" not in ev.why.get("attribution", "")


def test_an_accusation_noun_with_lam_names_accuser_and_accused(candidate_pipeline):
    # the bundled example's pattern: «اتهامات X لها بـ…», «لها» pointing back to the actor before the noun
    text = "ونفت إيران الاتهامات البريطانية لها بدعم الهجمات على السفن."
    _, source, target, _, _ = one(candidate_pipeline, text, "ACCUSE")
    assert (source, target) == ("البريطانية", "إيران")
    _, source, _, said_by, _ = one(candidate_pipeline, text, "SUPPORT")
    assert source == "إيران" and said_by == "البريطانية"
    _, source, target, _, _ = one(candidate_pipeline,
                                  "ورفضت روسيا اتهامات الولايات المتحدة لها بالتدخل في الانتخابات.", "ACCUSE")
    assert (source, target) == ("الولايات المتحدة", "روسيا")


def test_the_singular_nouns_genitive_is_the_one_accused(candidate_pipeline):
    text = "وطالب المتظاهرون بمحاسبة الجيش بعد اتهام الشرطة بقتل ثلاثة محتجين."
    _, source, target, _, _ = one(candidate_pipeline, text, "ACCUSE")
    # The accuser is not said; the argument model may take the protesters of the clause before (a fit-dependent
    # choice: the 2026-12-07 retraining does), never the accused.
    assert target == "الشرطة" and source != "الشرطة"
    _, source, _, _, _ = one(candidate_pipeline, text, "ASSAULT")
    assert source == "الشرطة"


def test_the_speaker_does_none_of_what_is_alleged(candidate_pipeline):
    # the accused may do the other acts alleged, and do them to the speaker («بفرض عقوبات»), the speaker none
    text = "واتهمت إيران الولايات المتحدة بدعم الاحتجاجات التي شهدتها طهران."
    for typ, source, _, _, _ in events(candidate_pipeline, text):
        if typ != "ACCUSE":
            assert source != "إيران", typ
