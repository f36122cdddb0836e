"""What the shipped knowledge covers: counts, and samples that must resolve (written independently of the data)."""

import pytest

from marsad.knowledge.actors import builtin_actor_paths, load_actors
from marsad.knowledge.places import builtin_place_paths, load_place_paths
from marsad.knowledge.stats import count_knowledge
from marsad.recognize.actors import ActorIndex


@pytest.fixture(scope="module")
def actors():
    return load_actors(builtin_actor_paths())


@pytest.fixture(scope="module")
def index(actors):
    return ActorIndex(actors)


def test_counts_reach_the_coverage_goals(actors):
    stats = count_knowledge(actors, load_place_paths(builtin_place_paths()))
    assert stats.actors >= 1500
    assert stats.aliases + stats.titles >= 6000
    assert stats.demonym_forms >= 1500
    assert stats.places >= 5000 and stats.places_curated >= 500


def test_every_un_member_state_is_known(actors):
    states = {a.country for a in actors if a.type == "GPE"}
    assert len(states) >= 195
    for code in ("LY", "EG", "SD", "SS", "SY", "IQ", "YE", "PS", "IL", "LB", "TN", "DZ", "MA", "MR", "SO", "SA", "AE",
                 "QA", "KW", "BH", "OM", "IR", "TR", "US", "RU", "FR", "GB", "CN", "DE", "NO"):
        assert code in states, code


@pytest.mark.parametrize(
    ("phrase", "actor_id"),
    [
        ("حكومة الوفاق", "LBY-GNA"), ("الجيش الوطني الليبي", "LBY-LNA"), ("خليفة حفتر", "LBY-HAFTAR"),
        ("قوات الدعم السريع", "SDN-RSF"), ("هيئة تحرير الشام", "SYR-HTS"), ("قوات سوريا الديمقراطية", "SYR-SDF"),
        ("الحشد الشعبي", "IRQ-PMF"), ("جماعة الحوثي", "YEM-HOUTHI"), ("المجلس الانتقالي الجنوبي", "YEM-STC"),
        ("حركة حماس", "PSE-HAMAS"), ("حزب الله", "LBN-HEZBOLLAH"), ("تنظيم الدولة الإسلامية", "INT-ISIS"),
        ("مجلس الأمن الدولي", "IGO-UNSC"), ("جامعة الدول العربية", "IGO-ARAB-LEAGUE"), ("حلف شمال الأطلسي", "IGO-NATO"),
        ("الحرس الثوري الإيراني", "IRN-IRGC"), ("جماعة الإخوان المسلمين", "INT-MB"), ("روسيا", "RUS"),
        ("الولايات المتحدة", "USA"), ("المملكة العربية السعودية", "SAU"),
    ],
)
def test_sampled_names_resolve(index, phrase, actor_id):
    ids = {h.actor_id for h in index.lookup(phrase)}
    assert actor_id in ids, (phrase, ids)


@pytest.mark.parametrize("word", ["ليبي", "ليبية", "الليبيين", "السوريون", "اليمنية", "العراقي", "التركية", "أتراك"])
def test_demonyms_in_every_form(index, word):
    from marsad.recognize.matcher import PhraseMatcher  # noqa: F401  (index uses it)
    from marsad.text.tokens import tokenize

    assert index.matcher.find(tokenize(word)), word


def test_every_member_of_points_at_a_known_actor(actors):
    ids = {a.id for a in actors}
    dangling = [(a.id, a.member_of) for a in actors if a.member_of and a.member_of not in ids]
    assert not dangling
