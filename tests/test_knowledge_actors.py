import textwrap

import pytest

from marsad.errors import DataFileError
from marsad.knowledge.actors import iter_demonym_forms, load_actor_file, load_actors


def write(tmp_path, body, name="my.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def test_entry_loads_with_titles_and_provenance(tmp_path):
    path = write(tmp_path, """\
        # a comment
        - id: LBY-HAFTAR
          name: Khalifa Haftar
          type: PER
          country: LY
          aliases: [خليفة حفتر, حفتر]
          titles:
            - {title: القائد العام للجيش, from: 2015-03-02, context: LY}
        """)
    (actor,) = load_actor_file(path)
    assert actor.aliases == ("خليفة حفتر", "حفتر")
    assert actor.titles[0].start == "2015-03-02" and actor.titles[0].context == "LY"
    assert actor.source == "my.yaml:2"


def test_norway_country_code_is_not_a_boolean(tmp_path):
    path = write(tmp_path, "- {id: NOR, name: Norway, type: GPE, country: NO, aliases: [النرويج]}\n")
    assert load_actor_file(path)[0].country == "NO"


@pytest.mark.parametrize(
    ("body", "line", "reason"),
    [
        ("- {id: A, name: A, type: PER, aliases: [حفتر]}\n- {id: B, name: B, type: XYZ, aliases: [سراج]}\n", 2, "type"),
        ("- {id: A, name: A, type: PER}\n", 1, "alias"),
        ("- {id: A, name: A, type: PER, aliases: [Haftar]}\n", 1, "not Arabic"),
        ("- {id: a b, name: A, type: PER, aliases: [حفتر]}\n", 1, "upper-case"),
        ("- {id: A, name: A, type: PER, aliases: [حفتر], colour: red}\n", 1, "unknown field"),
        ("- id: A\n  name: A\n  type: PER\n  aliases: [حفتر\n", 5, "YAML syntax"),
        ("- {id: A, name: A, type: PER, aliases: [حفتر], titles: [{title: رئيس, from: 2019/01}]}\n", 1, "YYYY"),
    ],
)
def test_malformed_entries_name_file_and_line(tmp_path, body, line, reason):
    path = write(tmp_path, body)
    with pytest.raises(DataFileError) as err:
        load_actor_file(path)
    assert err.value.line == line
    assert reason in err.value.reason
    assert str(path) in str(err.value)


def test_duplicate_id_in_one_file_is_an_error_but_a_later_file_overrides(tmp_path):
    body = "- {id: A, name: A, type: PER, aliases: [حفتر]}\n- {id: A, name: B, type: PER, aliases: [سراج]}\n"
    dup = write(tmp_path, body)
    with pytest.raises(DataFileError, match="duplicate id A"):
        load_actors([dup])
    first = write(tmp_path, "- {id: A, name: Old, type: PER, aliases: [حفتر]}\n", "a.yaml")
    second = write(tmp_path, "- {id: A, name: New, type: PER, aliases: [حفتر]}\n", "b.yaml")
    assert [a.name for a in load_actors([first, second])] == ["New"]


def test_demonym_forms_are_generated():
    forms = set(iter_demonym_forms("ليبي"))
    assert {"ليبي", "ليبية", "ليبيون", "ليبيين", "الليبي", "الليبية", "الليبيين", "الليبيون"} <= forms
    assert set(iter_demonym_forms("أتراك")) == {"أتراك", "الأتراك"}
