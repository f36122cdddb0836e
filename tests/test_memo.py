from marsad.memo import Memo


def test_a_memo_computes_each_key_once_and_forgets_all_when_full():
    calls = []

    def length(word):
        calls.append(word)
        return len(word)

    memo = Memo(length, limit=2)
    assert memo["حفتر"] == 4 and memo["حفتر"] == 4 and calls == ["حفتر"]
    assert memo["ليبيا"] == 5 and len(memo) == 2
    assert memo["طرابلس"] == 6  # full: the memo starts again rather than growing
    assert len(memo) == 1 and calls == ["حفتر", "ليبيا", "طرابلس"]
    assert memo["حفتر"] == 4 and calls[-1] == "حفتر"


def test_a_knowledge_file_is_parsed_once_until_it_changes(tmp_path):
    import os

    import pytest

    from marsad.errors import DataFileError
    from marsad.knowledge.actors import load_actor_file

    path = tmp_path / "mine.yaml"
    path.write_text("- id: X-ONE\n  name: One\n  type: ORG\n  aliases: [حركة واحد]\n", encoding="utf-8")
    first = load_actor_file(path)
    again = load_actor_file(path)
    assert again == first and again is not first and again[0] is first[0]  # the same entries, a new list
    assert load_actor_file(path, "another label")[0].source == "another label:1"  # other arguments: loaded anew

    path.write_text("- id: X-TWO\n  name: Two\n  type: ORG\n  aliases: [حركة اثنين]\n", encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # an edit within the clock's tick
    assert [a.id for a in load_actor_file(path)] == ["X-TWO"]

    path.write_text("- id: X-TWO\n  aliases: [\n", encoding="utf-8")
    for _ in range(2):  # a file that fails is reported each time, never remembered
        with pytest.raises(DataFileError):
            load_actor_file(path)
