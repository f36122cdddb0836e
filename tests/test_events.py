"""The event coder on sentences written for these tests (general news language, no dev article)."""

import pytest
from click.testing import CliRunner

from marsad.cli import main
from marsad.knowledge.morphology import noun_forms, verb_forms


def events(doc, typ=None):
    return [e for e in doc.events if typ is None or e.type == typ]


def one(doc, typ):
    found = events(doc, typ)
    assert len(found) == 1, [(e.type, e.trigger.text) for e in doc.events]
    return found[0]


def test_verb_forms_are_generated_from_two_stems():
    forms = set(verb_forms("قصف", "يقصف"))
    assert {"قصف", "قصفت", "قصفوا", "يقصف", "تقصف", "يقصفون", "سيقصف", "قصفها", "يقصفونها"} <= forms
    assert {"هجوم", "هجوما", "هجومهم"} <= set(noun_forms("هجوم"))
    assert "غارتها" in noun_forms("غارة")


@pytest.mark.parametrize("text", [
    "قصفت الطائرات الإسرائيلية مواقع في غزة فجر اليوم.",
    "وقصفوا مواقع في غزة فجر اليوم بحسب الجيش الإسرائيلي.",
    "استمر القصف الإسرائيلي على غزة اليوم.",
])
def test_conjugations_and_clitics_match(pipeline, text):
    assert events(pipeline(text), "ASSAULT")


def test_vso_source_target_and_location(pipeline):
    ev = one(pipeline("اعتقلت قوات الأمن العراقية خمسة مسلحين من تنظيم داعش في الموصل أمس."), "COERCE")
    assert ev.source.actor_id == "IRQ-COP" or ev.source.text.startswith("قوات الأمن")
    assert ev.location.text == "الموصل" and ev.location.lat is not None
    assert ev.modality == "asserted"


def test_light_verb_subject_is_the_source(pipeline):
    ev = one(pipeline("شنت القوات التركية هجوما على مواقع حزب العمال الكردستاني في شمال العراق."), "ASSAULT")
    assert "التركية" in ev.source.text
    assert ev.target is not None and ev.target.actor_id == "TUR-PKK"
    assert "light_verb" in ev.why


@pytest.fixture(scope="module")
def rules_pipeline():
    """The pipeline with the word-order rules choosing source and target, as they do without the argument model
    (the model reads their choice as a feature, so they are tested on their own), on every candidate."""
    from marsad.events.coder import EventCoder
    from marsad.pipeline import Pipeline

    pipeline = Pipeline.default()  # its own: the shared one keeps its model
    coder = next(c for c in pipeline.components if isinstance(c, EventCoder))
    coder.argument_model = coder.classifier = None
    return pipeline


def test_verbal_noun_genitive_is_the_target_of_an_attack(rules_pipeline):
    doc = rules_pipeline("وأدى قصف مواقع الحوثيين في صعدة يوم الأحد إلى مقتل عشرة مسلحين.")
    (ev,) = [e for e in events(doc, "ASSAULT") if e.trigger.text == "قصف"]
    assert ev.target is not None and ev.target.actor_id == "YEM-HOUTHI"


def test_verbal_noun_genitive_is_the_source_of_a_visit(pipeline):
    ev = one(pipeline("وجاءت زيارة أردوغان إلى الدوحة بعد أسبوع من التوتر."), "CONSULT")
    assert ev.source.actor_id == "TUR-ERDOGAN"


def test_coordinated_verb_shares_the_subject(pipeline):
    doc = pipeline("قالت الشرطة العراقية إن قوات الأمن قتلت ثلاثة مسلحين في كركوك واعتقلت 12 آخرين.")
    (arrest,) = events(doc, "COERCE")
    assert arrest.source is not None and arrest.source.text == "قوات الأمن"
    assert "و/ف" in arrest.why["source"]
    # Without a verb event before it, a count after the verb still reads as a passive: no source.
    (killing,) = events(pipeline("وقتل 12 شخصا في كركوك أمس."), "ASSAULT")
    assert killing.source is None


def test_lam_marks_who_receives_support(rules_pipeline):
    ev = one(rules_pipeline("وتواصل السعودية تقديم الدعم للجيش اليمني في مأرب."), "SUPPORT")
    assert ev.target is not None and "للجيش" in ev.target.text
    assert ev.source is None or ev.source.actor_id == "SAU"
    ev = one(rules_pipeline("وجاء الدعم للجيش اليمني بعد هجوم الحوثيين على مأرب."), "SUPPORT")
    assert ev.target is not None and "للجيش" in ev.target.text and "receives" in ev.why["target"]


@pytest.mark.parametrize(("text", "modality"), [
    ("أكدت الحكومة أنها لن توقع الاتفاق مع المعارضة.", "negated"),
    ("لم تقصف الطائرات أي موقع في درعا.", "negated"),
    ("ومن المقرر أن يزور الرئيس التركي القاهرة الشهر المقبل.", "expected"),
    ("وسيعقد الطرفان محادثات في جنيف الأسبوع المقبل.", "expected"),
    ("حذر مراقبون من إمكانية اندلاع اشتباكات في المدينة.", "hypothetical"),
    ("قد يهاجم التنظيم المدينة في أي وقت.", "hypothetical"),
    ("وقد هاجم تنظيم داعش مدينة الرمادي فجر اليوم.", "asserted"),
])
def test_modality(candidate_pipeline, text, modality):
    doc = candidate_pipeline(text)  # the modality of every candidate, whether the classifier keeps it or not
    main_types = {"AGREE", "ASSAULT", "CONSULT"}
    found = [e.modality for e in doc.events if e.type in main_types]
    assert found and found[0] == modality, [(e.type, e.trigger.text, e.modality) for e in doc.events]


def test_negation_does_not_reach_across_a_clause(pipeline):
    doc = pipeline("لم يعلق الجيش، بينما قصفت الطائرات مواقع في إدلب اليوم.")
    assert one(doc, "ASSAULT").modality == "asserted"


def test_attribution_names_the_speaker(pipeline):
    doc = pipeline("وقالت مصادر عسكرية يمنية إن اشتباكات عنيفة اندلعت اليوم في مأرب.")
    ev = one(doc, "ASSAULT")
    assert ev.attribution is not None and ev.attribution.text.startswith("مصادر عسكرية")
    assert ev.source is None or "يمنية" not in ev.source.text  # the speaker is not the attacker
    doc = pipeline("وبحسب المرصد السوري لحقوق الإنسان، قتل عشرة مدنيين في غارات على إدلب اليوم.")
    assert any(e.attribution and e.attribution.actor_id == "SYR-SOHR" for e in doc.events)


def test_context_words_block_non_events(candidate_pipeline):
    pipeline = candidate_pipeline  # the rules' part: what becomes a candidate at all
    doc = pipeline("قال وزير الحرب السابق إن وزارة الدفاع ستصدر بيانا.")
    assert not events(doc, "ASSAULT")
    doc = pipeline("الحرب في سوريا مأساة.")
    assert not events(doc, "ASSAULT")  # «الحرب» needs a verb of happening
    doc = pipeline("اندلعت الحرب بين البلدين اليوم.")
    assert events(doc, "ASSAULT")


def test_quantities_with_words_digits_and_ranges(pipeline):
    doc = pipeline("وأسفر الهجوم عن مقتل أحد عشر جنديا وإصابة عشرات آخرين، فيما اعتقلت الشرطة 1,200 شخص.")
    got = {(q["what"], q["value"], q["min"], q["max"]) for q in doc.quantities}
    assert ("killed", 11, 11, 11) in got
    assert ("injured", None, 20, 99) in got
    assert ("detained", 1200, 1200, 1200) in got


def test_quantity_is_about_the_actor_before_it(pipeline):
    doc = pipeline("ويبلغ تعداد مقاتلي قوات الدعم السريع نحو ٤٠ ألف عنصر بحسب تقديرات.")
    (q,) = doc.quantities
    assert q["what"] == "fighters" and q["value"] == 40000 and q["approximate"]
    assert q["of"]["actor_id"] == "SDN-RSF"


def test_stances(pipeline):
    doc = pipeline("رفضت حركة حماس المبادرة المصرية، فيما رحبت السلطة الفلسطينية بالمبادرة.")
    stances = {(s["holder"]["actor_id"], s["polarity"]) for s in doc.stances}
    assert ("PSE-HAMAS", "reject") in stances
    assert any(p == "support" for _a, p in stances)


def test_cameo_scale(pipeline):
    ev = one(pipeline("قصفت الطائرات الروسية مواقع المعارضة في إدلب اليوم."), "ASSAULT")
    assert ev.cameo_root == ev.cameo[:2] and ev.quad_class == 4 and ev.goldstein <= -9
    ev = one(pipeline("التقى وزير الخارجية السعودي نظيره الأمريكي في الرياض اليوم."), "CONSULT")
    assert ev.quad_class == 1 and ev.goldstein > 0


def test_every_event_explains_itself(pipeline):
    doc = pipeline("قصفت الطائرات الروسية مواقع المعارضة في إدلب اليوم، وقالت موسكو إنها لن تتوقف.")
    for ev in doc.events:
        assert ev.why["trigger"].startswith("triggers/") and ev.why["modality"]


def test_verbose_logs_why_candidates_were_dropped(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("قال وزير الحرب إن الحرب في سوريا مأساة.", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(path), "-v", "--format", "json"])
    assert "dropped" in result.stderr


def test_a_trigger_word_inside_a_name_codes_no_event(pipeline):
    doc = pipeline("وقالت إنها كانت مع السيدة فاطمة الزهراء ابنة علي بن أبي طالب في المدينة.")
    assert "علي بن أبي طالب" in [e.text for e in doc.entities]
    assert [v.trigger.text for v in doc.events] == []  # «طالب» ("demanded") is the name's last word here


def test_martyred_is_an_attack_but_cited_is_not(candidate_pipeline):
    pipeline = candidate_pipeline  # the lexicon entry's reading; whether it is reported is the classifier's call
    # «استشهد» is "was martyred", but «استشهد ب…» before what is quoted is "cited" (conflict.yaml's
    # not_followed_by); what comes after is searched a few words into the clause, not past it.
    attacks = [
        "استشهد شاب برصاص قوات الاحتلال قرب نابلس صباح اليوم.",
        "واستشهد ثلاثة مسعفين بقصف استهدف سيارتهم في ريف حماة.",
        "واستشهد طفلان، بحسب تصريحات وزارة الصحة، في القصف.",
    ]
    citations = [
        "واستشهد الكاتب بقول المتنبي في مقدمة كتابه الجديد.",
        "واستشهدت الوزيرة بتقرير للأمم المتحدة عن الفقر في المنطقة.",
        "واستشهد إمام المسجد بالآية الكريمة في خطبة الجمعة.",
    ]
    for text in attacks:
        assert "ASSAULT" in [e.type for e in pipeline(text).events], text
    for text in citations:
        assert [e.type for e in pipeline(text).events] == [], text


def test_not_followed_by_must_be_a_list_of_words(tmp_path):
    from marsad.errors import DataFileError
    from marsad.knowledge.triggers import load_trigger_file

    path = tmp_path / "mine.yaml"
    path.write_text("- {type: ASSAULT, mode: unspecified, cameo: '190', forms: [استشهد], not_followed_by: بقول}\n",
                    encoding="utf-8")
    with pytest.raises(DataFileError, match="not_followed_by"):
        load_trigger_file(path)
    path.write_text("- {type: ASSAULT, mode: unspecified, cameo: '190', forms: [استشهد], not_followed_by: [بقول]}\n",
                    encoding="utf-8")
    (entry,) = load_trigger_file(path)
    assert entry.not_followed_by == {"بقول"}
