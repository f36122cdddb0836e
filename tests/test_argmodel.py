"""The trained argument model (marsad/events/argmodel.py): who did it and to whom, on every candidate (the event
classifier off: it decides whether, not who). Sentences written for these tests; the training path on a tiny
slice and the shipped model's figures on a fixed slice of ../shared."""

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, SHARED, shared_path, train_script
from marsad.events.argmodel import builtin_argument_model


def args_of(doc, typ):
    (ev,) = [e for e in doc.events if e.type == typ]
    return (ev.source.text if ev.source else None), (ev.target.text if ev.target else None), ev


def test_the_shipped_model_is_used_and_explains_itself(candidate_pipeline):
    model = builtin_argument_model()
    assert model is not None and "cross-validated" in model.info
    _, _, ev = args_of(candidate_pipeline("وقصف الجيش السوري مواقع لهيئة تحرير الشام في ريف حماة."), "ASSAULT")
    assert ev.why["source"].startswith("argument model (data/models/arguments.json): «الجيش السوري», p=")
    assert "; the rules: " in ev.why["source"] and "(" in ev.why["target"]  # strongest features, then the rules


def test_planes_of_a_country_are_its_attack_not_its_target(candidate_pipeline):
    # issue #22: «قصفت الطائرات الروسية مواقع للفصائل» gave Russia as the target (the rules still do)
    source, target, _ = args_of(candidate_pipeline("قصفت الطائرات الروسية مواقع للفصائل المسلحة في ريف إدلب الجنوبي."),
                                "ASSAULT")
    assert source == "الروسية" and target == "للفصائل المسلحة"


def test_the_army_that_announces_a_strike_made_it(candidate_pipeline):
    source, target, _ = args_of(candidate_pipeline("وأعلن الجيش الإسرائيلي أنه استهدف مواقع لحركة حماس في قطاع غزة."),
                                "ASSAULT")
    assert target == "لحركة حماس" and source in (None, "الجيش الإسرائيلي")


def test_a_visit_has_its_visitor_and_no_made_up_host(candidate_pipeline):
    source, target, _ = args_of(candidate_pipeline("وجاءت زيارة أردوغان إلى الدوحة بعد أسبوع من التوتر."), "CONSULT")
    assert source == "أردوغان" and target is None


def test_one_actor_never_fills_both_roles(candidate_pipeline):
    doc = candidate_pipeline("واتهم الرئيس التركي رجب طيب أردوغان الاتحاد الأوروبي بعدم الوفاء بالتزاماته.")
    source, target, _ = args_of(doc, "ACCUSE")
    assert source == "الرئيس التركي رجب طيب أردوغان" and target == "الاتحاد الأوروبي"
    for ev in doc.events:
        assert not (ev.source and ev.target and ev.source.actor_id and ev.source.actor_id == ev.target.actor_id)


SUPPORT_AFTER_ATTACK = "وجاء الدعم للجيش اليمني بعد هجوم الحوثيين على مأرب."


def test_the_recipient_after_lam_is_kept(candidate_pipeline):
    source, target, _ = args_of(candidate_pipeline(SUPPORT_AFTER_ATTACK), "SUPPORT")
    assert target == "للجيش اليمني" and source != target


@pytest.mark.xfail(strict=True, reason="known error since the 2026-12-06 retraining: with the army taken as the "
                                       "recipient, the model takes the Houthis, the genitive of another event "
                                       "(«هجوم الحوثيين»), as the supporter (p=0.11) rather than no one")
def test_the_genitive_of_another_event_is_not_the_supporter(candidate_pipeline):
    source, _, _ = args_of(candidate_pipeline(SUPPORT_AFTER_ATTACK), "SUPPORT")
    assert source is None


def test_who_condemns_an_attack_neither_made_it_nor_suffered_it(pipeline):
    # issue #22: «دانت السعودية … الهجوم الانتحاري» gave Saudi Arabia as the attacker
    doc = pipeline("دانت السعودية الهجوم الانتحاري الذي استهدف مسجدا في كابول.", doc_id="c")
    (condemns,) = [e for e in doc.events if e.type == "ACCUSE"]
    assert condemns.source is not None and condemns.source.text == "السعودية"
    for ev in doc.events:
        if ev.type == "ASSAULT":
            assert "السعودية" not in {r.text for r in (ev.source, ev.target) if r}, ev.why


def test_the_subject_of_a_relative_light_verb_made_the_attack(pipeline):
    """«الغارة التي شنتها الطائرات الإسرائيلية»: the relative clause names who carried out the strike."""
    doc = pipeline("وأدانت فرنسا الغارة التي شنتها الطائرات الإسرائيلية على مخيم للاجئين.", doc_id="r")
    (strike,) = [e for e in doc.events if e.type == "ASSAULT"]
    assert strike.source is not None and strike.source.text == "الإسرائيلية"
    assert "«شنتها» after the event noun" in strike.why["source"]


@pytest.mark.shared
def test_training_runs_on_a_tiny_slice(tmp_path):
    gold = shared_path("data", "events_train")
    model = train_script("train_arguments.py", tmp_path / "arguments.json", "--gold", str(gold), "--limit", "12",
                         "--epochs", "2")
    assert "5-fold cross-validated by article" in model["info"] and len(model["weights"]) > 100
    assert any(name.startswith("source|rule_chose=True") for name in model["weights"])
    refused = subprocess.run([sys.executable, str(REPO / "scripts" / "train_arguments.py"), "--gold",
                              str(SHARED / "eval" / "dev"), "--out", str(tmp_path / "x.json")],
                             capture_output=True, text=True, check=False)
    assert refused.returncode == 2 and "held out" in refused.stderr


@pytest.mark.shared
def test_the_shipped_model_beats_the_rules_on_a_fixed_slice():
    """Strict event F1 (type, trigger, source, target) on the first 60 training articles, with the rules' choice
    and with the model's: in-sample (the model was trained on them), so only a floor against a broken model; the
    cross-validated figures are in docs/accuracy.md."""
    gold = shared_path("data", "events_train")
    sys.path.insert(0, str(REPO / "scripts"))
    import train_arguments as t

    articles = t.collect(Path(gold), 60)
    _, rules = t.strict_f1(articles, [t.with_model(a, None) for a in articles])
    _, model = t.strict_f1(articles, [t.with_model(a, builtin_argument_model()) for a in articles])
    assert model["f1"] >= rules["f1"] + 0.03, (rules, model)
