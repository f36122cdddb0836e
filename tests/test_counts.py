"""Casualty and force counts (``marsad.recognize.quantities``, ``numbers``) and their score in ``marsad eval docs``.

Every sentence here is written for the test, one for each way news gives a count.
"""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from marsad.cli import main
from marsad.evaluate.counts import count_kind, score_counts
from marsad.recognize.numbers import find_numbers
from marsad.text.tokens import tokenize


def counts(pipeline, text: str) -> set[tuple[str, int | None]]:
    return {(q["what"], q["value"]) for q in pipeline(text).quantities}


@pytest.mark.parametrize(("text", "expected"), [
    ("قتل ثلاثة جنود في الكمين.", {("killed", 3)}),  # a number word
    ("أصيب جنديان بجروح طفيفة.", {("injured", 2)}),  # a dual noun after its verb
    ("تحدثت المنظمة عن نحو مئة معتقل.", {("detained", 100)}),
    ("أسفر الانفجار عن 11 قتيلا وجريحين.", {("killed", 11), ("injured", 2)}),  # a dual noun on its own
    ("أعلن المستشفى سقوط قتيلين و5 جرحى.", {("killed", 2), ("injured", 5)}),  # the noun's outcome wins
    ("وقال المسعفون إن 12 شخصا من سكان الحي قتلوا في القصف.", {("killed", 12)}),  # the verb after the noun
    ("وأكد الجيش أن ما لا يقل عن 9 عناصر من المجموعة لقوا حتفهم.", {("killed", 9)}),
    ("أعلنت الحكومة مقتل 30 مسلحا و4 جنود.", {("killed", 30), ("killed", 4)}),  # joined by و
    ("قتل 20 مدنيا بينهم خمسة أطفال.", {("killed", 20), ("killed", 5)}),  # a part of the count before
    ("أعلنت الوزارة مقتل صحفي في المدينة.", {("killed", 1)}),  # a singular noun after its outcome word
    ("وأفاد الأطباء أن طفلا توفي في المستشفى.", {("killed", 1)}),  # … or before its verb
    ("قتل في الحرب أكثر من 10.000 شخص.", {("killed", 10000)}),  # a dot between thousands
    ("واعتقلت الشرطة ما يصل إلى 300 شخص.", {("detained", 300)}),  # at most
    ("ونشرت الحكومة نحو ألفي جندي على الحدود.", {("fighters", 2000)}),
    ("وقد ارتفع عدد القتلى إلى 25 مساء.", {("killed", 25)}),
    ("أعلن الجيش مقتل الجنود الخمسة.", {("killed", 5)}),  # the number after its noun
])
def test_counts(pipeline, text, expected):
    assert counts(pipeline, text) == expected


@pytest.mark.parametrize("text", [
    "التقى الوزير صحفيا في مكتبه.",  # one person, nothing happened to him
    "وصل جنديان إلى القاعدة.",  # two soldiers, but no count of anything
    "وتمت صفقة تهجير القرى الثلاث.",  # «الثلاث» counts villages
    "لقي المدنيون حتفهم في أحد المباني.",  # «أحد المباني» is one of the buildings
    "وتتحمل الجماعة مسؤولية 40 بالمئة من القتلى.",  # a share, not a hundred dead
    "فر 200 سجين من السجن المركزي.",  # escaped prisoners are not displaced people
])
def test_no_count(pipeline, text):
    assert not {c for c in counts(pipeline, text) if c[0] in ("killed", "injured", "detained", "displaced")}


def test_a_day_is_no_count(pipeline):
    assert counts(pipeline, "قتل شخصان وأصيب آخرون الأحد في القصف.") == {("killed", 2)}


def test_a_verb_after_a_count_ends_its_clause(pipeline):
    got = counts(pipeline, "وقالت الوزارة إن طفلا توفي و13 شخصا نقلوا إلى المستشفى.")
    assert ("killed", 1) in got and ("killed", 13) not in got


def test_a_range_counts_its_lower_end(pipeline):
    (q,) = pipeline("وتقدر الأجهزة أن ما بين 1500 إلى 1700 مقاتل موجودون في المنطقة.").quantities
    assert (q["what"], q["value"], q["min"], q["max"]) == ("fighters", 1500, 1500, 1700)


@pytest.mark.parametrize(("text", "values"), [
    ("بين ألفين وثلاثة آلاف", [(2000, 2000, 3000)]),
    ("ألفين وثلاثمئة", [(2300, 2300, 2300)]),  # one number: its parts fall
    ("ألف مليون", [(1000, 1000, 1000), (1000000, 1000000, 1000000)]),
    ("1.5 مليون", [(1500000, 1500000, 1500000)]),
    ("بين 3 دول", [(3, 3, 3)]),  # no range without its upper end
])
def test_numbers(text, values):
    assert [(n.value, n.low, n.high) for n in find_numbers(tokenize(text))] == values


def test_count_scoring_follows_score_py():
    assert count_kind("civilians killed") == "killed" and count_kind("troops deployed") == "fighters"
    assert count_kind("age at death") == "killed" and count_kind("villages") is None
    gold = {"quantities": [{"what": "killed", "value": 5}, {"what": "wounded", "value": 7},
                           {"what": "injured", "value": 50, "approximate": True, "evidence": "عشرات الجرحى"}]}
    system = {"quantities": [{"what": "killed", "value": 5}, {"what": "injured", "value": 50},
                             {"what": "detained", "value": 2}, {"what": "people", "value": 9}]}
    assert score_counts(gold, system) == (1, 2, 2, 3)  # the vague gold count is optional


ARTICLES = {  # NAME → (article, its gold)
    "b1": ("قالت مصادر طبية إن غارة جوية أدت الخميس إلى مقتل 12 شخصا وإصابة ثلاثة آخرين في بلدة جنوبية.",
           {"quantities": [{"what": "killed", "value": 12}, {"what": "injured", "value": 3}]}),
    "b2": ("وأعلنت الشرطة الأحد اعتقال خمسة أشخاص بعد اشتباكات مع محتجين أمس في العاصمة.",
           {"quantities": [{"what": "arrested", "value": 5}]}),
}


def _folder(tmp_path: Path) -> Path:
    d = tmp_path / "articles"
    d.mkdir()
    for name, (text, gold) in ARTICLES.items():
        (d / f"{name}.txt").write_text(text, encoding="utf-8")
        (d / f"{name}.gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    index = [{"name": "b1", "published": "2019-05-02", "title": "غارة"},
             {"name": "b2", "published": "2019-05-05", "outlet": "test"}]
    (d / "index.jsonl").write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in index), encoding="utf-8")
    return d


def test_eval_docs_reads_articles_as_extract_does(tmp_path):
    d = _folder(tmp_path)
    extracted, evaluated = tmp_path / "extract", tmp_path / "eval"
    run = CliRunner().invoke(main, ["extract", str(d), "--out", str(extracted), "-q", "--workers", "1"])
    assert run.exit_code == 0, run.output
    run = CliRunner().invoke(main, ["eval", "docs", str(d), "--out", str(evaluated), "--json"])
    assert run.exit_code == 0, run.output
    report = json.loads(run.output)
    for name in ARTICLES:
        mine = json.loads((evaluated / f"{name}.json").read_text(encoding="utf-8"))
        assert mine == json.loads((extracted / f"{name}.json").read_text(encoding="utf-8"))
    assert json.loads((evaluated / "b1.json").read_text(encoding="utf-8"))["date"] == "2019-05-02"  # from the index
    scored = json.loads(CliRunner().invoke(main, ["eval", "docs", str(d), "--system", str(extracted),
                                                  "--json"]).output)
    assert {k: scored[k] for k in ("entities", "events_relaxed", "counts")} == \
        {k: report[k] for k in ("entities", "events_relaxed", "counts")}
    assert report["counts"]["gold"] == 3 and report["counts"]["recall"] == 1.0
    assert report["per_document"]["b2"]["counts"]["f1"] == 1.0
