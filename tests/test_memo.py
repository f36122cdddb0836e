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
