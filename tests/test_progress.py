"""The progress bar's total: counted from the inputs without parsing them."""

import gzip

from marsad.sinks.progress import estimate_total


def test_the_total_counts_articles_in_every_kind_of_input(tmp_path):
    (tmp_path / "a.txt").write_text("نص", encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "b.txt").write_text("نص", encoding="utf-8")
    (sub / "notes.pdf").write_bytes(b"%PDF")
    (sub / "c.csv").write_text("id,text\n1,نص\n2,نص\n", encoding="utf-8")
    with gzip.open(tmp_path / "d.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write('{"text": "نص"}\n' * 7)
    (tmp_path / "feed.rss").write_text("<rss><channel><item>a</item><item>b</item></channel></rss>", encoding="utf-8")
    assert estimate_total([str(tmp_path)]) == 1 + 1 + 2 + 7 + 2
    assert estimate_total([str(tmp_path / "d.jsonl.gz"), str(tmp_path / "a.txt")]) == 8


def test_no_total_for_a_stream_and_none_for_what_is_missing(tmp_path):
    assert estimate_total(["-"]) is None
    assert estimate_total([str(tmp_path / "missing.jsonl")]) == 0
