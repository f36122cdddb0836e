"""The NER tagger: CoNLL reading and scoring, the training path on a tiny corpus, the shipped model, and its
mentions in the pipeline (sentences written for these tests)."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from marsad.cli import main
from marsad.errors import DataFileError
from marsad.ner.conll import read_conll, score, spans
from marsad.ner.tagger import NerTagger, builtin_model_path, decode_settings_path, second_pass_path
from marsad.ner.train import DEFAULT_PARAMS, documents, evaluate, train, train_on_features

SHARED_NER = Path(__file__).resolve().parents[2] / "shared" / "data" / "ner" / "anercorp"

# Invented names in news-like sentences: the tiny training corpus of the training-path test.
TINY = [
    ("قال", "O"), ("الوزير", "O"), ("سالم", "B-PERS"), ("البرقاوي", "I-PERS"), ("في", "O"), ("مدينة", "O"),
    ("زوارة", "B-LOC"), ("إن", "O"), ("حركة", "B-ORG"), ("النور", "I-ORG"), ("الجديد", "I-ORG"), ("رفضت", "O"),
    ("العرض", "O"), (".", "O"),
]


def _write_conll(path: Path, sentences: list[list[tuple[str, str]]]) -> Path:
    path.write_text("\n\n".join("\n".join(f"{t} {g}" for t, g in s) for s in sentences) + "\n", encoding="utf-8")
    return path


def test_spans_and_exact_match_scoring():
    assert spans(["B-PERS", "I-PERS", "O", "B-LOC", "I-ORG"]) == {(0, 2, "PERS"), (3, 4, "LOC"), (4, 5, "ORG")}
    gold = [["B-PERS", "I-PERS", "O", "B-LOC"]]
    result = score(gold, [["B-PERS", "O", "O", "B-LOC"]])  # the person is cut short: not a match
    assert result["overall"]["precision"] == 0.5 and result["overall"]["recall"] == 0.5
    assert result["per_type"]["LOC"]["f1"] == 1.0 and result["per_type"]["PERS"]["f1"] == 0.0


def test_bad_conll_line_names_the_line(tmp_path):
    path = tmp_path / "bad.conll"
    path.write_text("قال O\nسالم Z-PERS\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="2"):
        read_conll(path)


def test_training_path_learns_a_tiny_corpus(tmp_path):
    conll = _write_conll(tmp_path / "tiny.conll", [TINY] * 120)
    model = train(conll, tmp_path / "tiny.crfsuite", iterations=60)
    assert model.is_file() and second_pass_path(model).is_file()
    tagger = NerTagger(model)
    assert tagger.tag([t for t, _ in TINY]) == [g for _, g in TINY]
    assert evaluate(tagger, conll)["overall"]["f1"] == 1.0


def test_training_on_given_features_learns_those_features(tmp_path):
    # The same words throughout; only the supplied features tell the tags apart, so a model that learnt from
    # features of its own making (the words) could not tag both sentences right.
    words = [("س", "O"), ("س", "O"), ("س", "O")]
    first, second = [("س", "B-PERS"), ("س", "O"), ("س", "O")], [("س", "O"), ("س", "O"), ("س", "B-LOC")]
    sentences = [first, second, words] * 40
    feats_of = {0: [["m=p"], ["m=o"], ["m=o"]], 1: [["m=o"], ["m=o"], ["m=l"]], 2: [["m=o"]] * 3}
    docs = documents(sentences)
    feats = [[feats_of[n % 3] for n in range(k, k + len(doc))] for k, doc in
             zip(range(0, len(sentences), 20), docs, strict=True)]
    model = train_on_features(docs, feats, tmp_path / "given.crfsuite", DEFAULT_PARAMS, two_pass=False)
    assert not second_pass_path(model).exists()
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    assert tagger.tag(feats_of[0]) == [g for _, g in first]
    assert tagger.tag(feats_of[1]) == [g for _, g in second]


def test_eval_ner_command_prints_json(tmp_path):
    conll = _write_conll(tmp_path / "mine.conll", [TINY])
    result = CliRunner().invoke(main, ["eval", "ner", str(conll), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert {"overall", "per_type", "sentences", "tokens"} <= set(scores)
    assert scores["tokens"] == len(TINY)
    missing = CliRunner().invoke(main, ["eval", "ner", str(conll), "--model", str(tmp_path / "mine.conll")])
    assert missing.exit_code != 0 and "not a CRF model" in missing.output


@pytest.mark.shared
@pytest.mark.skipif(not SHARED_NER.is_dir(), reason="needs ../shared/data/ner (ANERcorp)")
def test_shipped_model_on_a_fixed_slice_of_the_anercorp_test_file():
    # The first 300 test sentences (7,965 tokens); the full test file is scored in docs/accuracy.md.
    result = evaluate(NerTagger.builtin(), SHARED_NER / "test.txt", limit=300)
    assert result["overall"]["f1"] >= 0.70, result["overall"]
    assert result["per_type"]["LOC"]["f1"] >= 0.80


def test_model_mentions_become_entities_and_event_arguments(pipeline):
    doc = pipeline("وقال المتحدث باسم الجيش إن مسلحين بقيادة أبو خالد الصويعي هاجموا بلدة الفرناج جنوب طرابلس. "
                   "وأضاف أن الصويعي فر إلى الجنوب.")
    by_how = {}
    for e in doc.entities:
        by_how.setdefault(e.how, []).append(e)
    model = by_how.get("model", [])
    assert any(e.type == "PER" and "الصويعي" in e.text for e in model), [(e.text, e.how) for e in doc.entities]
    # The surname alone later joins the full name's id.
    ids = {e.actor_id for e in model if e.type == "PER"}
    assert len(ids) == 1 and all(i.startswith("NER:PER:") for i in ids)
    # Dictionary matches win: «طرابلس» stays the curated place, not a model mention.
    tripoli = [e for e in doc.entities if e.text == "طرابلس"]
    assert tripoli and tripoli[0].how == "place"
    assert all("NER model" in e.why for e in model)


# Sentences written for this test (names invented or common), with an empty sentence and a one-word one.
AGREEMENT_DOC = [words.split(" ") if words else [] for words in (
    "قال الرئيس التونسي الباجي قائد السبسي إن الحكومة ستعلن اليوم خطة جديدة",
    "",
    "وأعلنت حركة النهضة في بيان أن رئيسها راشد الغنوشي التقى وفدا من الاتحاد الأوروبي في تونس",
    "السبسي",
    "ونفى السبسي أن يكون الوفد قد ناقش ملف الهجرة غير النظامية مع مسؤولين في وزارة الداخلية",
    "وقتل ثلاثة أشخاص في هجوم على حاجز للجيش قرب مدينة القصرين غرب البلاد حسب مصادر أمنية",
)]


@pytest.fixture(scope="module")
def unbiased():
    """The shipped models decoded as crfsuite decodes them: no bias against O."""
    return NerTagger(builtin_model_path()).with_recall_bias(0.0, 0.0)


def test_fast_path_gives_the_tags_crfsuite_gives(unbiased):
    tagger = unbiased
    fast = tagger.tag_document(AGREEMENT_DOC)
    assert fast == tagger.tag_document_crfsuite(AGREEMENT_DOC)
    assert fast[1] == [] and len(fast[3]) == 1
    assert any(t != "O" for t in fast[0]) and any(t != "O" for t in fast[2])
    # The cache of per-word scores does not change a second run's answer.
    assert tagger.tag_document(AGREEMENT_DOC) == fast


@pytest.mark.shared
@pytest.mark.skipif(not SHARED_NER.is_dir(), reason="needs ../shared/data/ner (ANERcorp)")
def test_fast_path_agrees_with_crfsuite_on_the_anercorp_test_file(unbiased):
    from marsad.ner.train import documents

    tagger = unbiased
    docs = [[[t for t, _ in s] for s in doc] for doc in documents(read_conll(SHARED_NER / "test.txt")[:600])]
    fast = [tagger.tag_document(d) for d in docs]
    reference = [tagger.tag_document_crfsuite(d) for d in docs]
    tokens = sum(len(s) for d in docs for s in d)
    differ = sum(a != b for fd, rd in zip(fast, reference, strict=True) for fs, rs in zip(fd, rd, strict=True)
                 for a, b in zip(fs, rs, strict=True))
    assert tokens > 10_000 and differ <= tokens // 10_000  # weights are read at six decimals: near-ties may flip


def test_a_bias_against_o_finds_more_names_and_is_read_from_beside_the_model(tmp_path):
    import shutil

    from marsad.errors import MarsadError

    model = tmp_path / "m.crfsuite"
    shutil.copy(builtin_model_path(), model)
    shutil.copy(second_pass_path(builtin_model_path()), second_pass_path(model))
    assert NerTagger(model).recall_bias == {"first": 0.0, "second": 0.0}  # no settings file: crfsuite's tags
    decode_settings_path(model).write_text(json.dumps({"o_bias": {"first": 0.0, "second": 3.0}}), encoding="utf-8")
    biased = NerTagger(model)
    assert biased.recall_bias == {"first": 0.0, "second": 3.0}
    plain = NerTagger(model).with_recall_bias(0.0, 0.0)

    def named(tagger):
        return sum(t != "O" for s in tagger.tag_document(AGREEMENT_DOC) for t in s)

    assert named(biased) > named(plain)
    decode_settings_path(model).write_text('{"o_bias": "much"}', encoding="utf-8")
    with pytest.raises(MarsadError, match="decoding settings"):
        NerTagger(model)


def test_viterbi_finds_each_sentences_best_path_whatever_the_lengths():
    import itertools
    from types import SimpleNamespace

    import numpy as np

    from marsad.ner.decoder import viterbi

    rng = np.random.default_rng(7)
    labels = ["O", "B-X", "I-X"]
    weights = SimpleNamespace(labels=labels, transition=rng.normal(size=(3, 3)))
    lengths = [3, 1, 5, 2, 5, 4]  # unsorted, with ties: the sentences are decoded longest first
    emission = rng.normal(size=(sum(lengths), 3))

    def best(rows):
        def score(path):
            return sum(rows[t, k] for t, k in enumerate(path)) + sum(
                weights.transition[a, b] for a, b in itertools.pairwise(path))
        return [labels[k] for k in max(itertools.product(range(3), repeat=len(rows)), key=score)]

    bounds = np.cumsum([0, *lengths])
    expected = [best(emission[a:b]) for a, b in itertools.pairwise(bounds)]
    assert viterbi(weights, emission, lengths) == expected


def test_the_second_pass_sees_what_the_first_said_about_each_word_and_its_neighbours():
    from marsad.ner.features import document_memory, memory_features

    sentences = [["قال", "الرئيس", "دويسنبرج"], ["ونفى", "دويسنبرج", "ذلك"], ["وزار", "بغداد"]]
    first = [["O", "O", "B-PERS"], ["O", "O", "O"], ["O", "B-LOC"]]
    memory = document_memory(sentences, first)
    assert memory["دويسنبرج"] == {"PERS"} and memory["بغداد"] == {"LOC"} and "قال" not in memory
    assert memory_features(sentences[1], memory) == [
        ["mem=none", "1:mem=PERS"],  # «ونفى»: nothing of its own, a name after it
        ["mem=PERS"],  # the name the first pass missed here
        ["mem=none", "-1:mem=PERS"],
    ]
    # «وبغداد»: its stem «بغداد» was tagged, the word with the clitic never was
    assert memory_features(["وبغداد"], memory) == [["mem=none", "memstem=LOC"]]

    # A word tagged two ways: its labels in one order in every process (a set's order follows str hashing,
    # which each process seeds anew, and the order is the order the weights are summed in)
    both = {"ليبيا": {"PERS", "ORG", "LOC"}, "وفاق": {"ORG", "LOC"}}  # «وفاق»: the stem of «والوفاق»
    assert memory_features(["ليبيا", "والوفاق"], both) == [
        ["mem=LOC", "mem=ORG", "mem=PERS"],
        ["mem=none", "memstem=LOC", "memstem=ORG", "-1:mem=LOC", "-1:mem=ORG", "-1:mem=PERS"],
    ]


def test_context_rows_are_added_to_each_token_in_order():
    import numpy as np

    from marsad.ner.decoder import _add_rows

    rng = np.random.default_rng(3)
    counts = np.array([2, 0, 5, 1, 3])
    weights = rng.normal(size=(counts.sum(), 4)) * 1e6  # large and small values: the order shows in the sums
    weights[::2] *= 1e-9
    out = rng.normal(size=(len(counts), 4))
    expected = out.copy()
    row = 0
    for t, c in enumerate(counts):
        for _ in range(c):
            expected[t] += weights[row]
            row += 1
    _add_rows(out, weights, counts)
    assert np.array_equal(out, expected)


def test_context_rows_without_strings_are_the_rows_of_the_context_feature_strings(unbiased):
    """ContextRows finds a sentence's context rows from tables; they must be exactly the rows of the strings
    context_features makes, in the same order, for every length and for bigrams the model knows."""
    import random

    from marsad.ner.decoder import ContextRows, context_rows
    from marsad.ner.features import context_features
    from marsad.ner.tagger import _FastPath

    weights = _FastPath(unbiased).scores.models[0]
    direct = ContextRows(weights)
    known = [attr[3:].split("|", 1) for attr in weights.row if attr.startswith("bi=") and attr.count("|") == 1]
    assert len(known) > 100  # the model has bigram weights, so the test meets rows that are not zero
    rng = random.Random(7)
    words = [w for pair in known[:300] for w in pair] + ["|", "مدينة", "الجيش", "قال", "،", "x|y"]
    tags = ["O", "B-PERS", "I-PERS", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]
    for n in (0, 1, 2, 3, *(rng.randint(4, 40) for _ in range(200))):
        start = rng.randrange(len(known))
        stems = [w for pair in known[start:start + n] for w in pair][:n]  # runs of known bigrams, then noise
        stems += [rng.choice(words) for _ in range(n - len(stems))]
        if rng.random() < 0.3:
            rng.shuffle(stems)
        dict_tags = [rng.choice(tags) for _ in stems]
        assert direct(stems, dict_tags) == context_rows(weights, context_features(stems, dict_tags))
    hits = sum(r != weights.zero for r in direct([known[0][0], known[0][1]], ["O", "O"])[0])
    assert hits >= 1
