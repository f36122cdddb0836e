"""All cores: the same records with one process or several, in input order, and a dead worker loses nothing
(articles written for these tests)."""

import json
import os

import pytest
from click.testing import CliRunner

import marsad.parallel as parallel
from marsad.cli import main
from marsad.parallel import Analysed, PipelineSpec, analyse_stream, worker_count
from marsad.sources import InputItem, Notice, Skip

TOWNS = ["حلب", "إدلب", "درعا", "الموصل", "صنعاء", "مأرب", "بنغازي", "سرت"]


def article(n: int) -> str:
    town = TOWNS[n % len(TOWNS)]
    return (f"قصفت الطائرات الحربية مواقع في {town} وقتل {n + 2} مدنيين، بحسب مصادر محلية. "
            f"وتظاهر مئات في {town} يوم {n}.")


def stream(n: int) -> list:
    items: list = []
    for i in range(n):
        items.append(InputItem(f"a{i}", article(i), f"c.jsonl:{i + 1}", {"date": "2019-04-07"}))
        if i % 7 == 3:
            items.append(Skip(f"c.jsonl:{i + 1}b", "malformed JSON"))
        if i % 11 == 5:
            items.append(Notice(f"c.jsonl:{i + 1}", "a note"))
    items.append(InputItem("empty", "  ", "c.jsonl:999", {}))
    return items


def describe(elements: list) -> list:
    out = []
    for e in elements:
        if isinstance(e, Analysed):
            out.append(("analysed", e.item.doc_id, json.dumps(e.record, ensure_ascii=False, sort_keys=True),
                        e.error))
        else:
            out.append((type(e).__name__, e.source))
    return out


@pytest.fixture(scope="module")
def pipeline():
    return PipelineSpec().build()


def test_one_process_and_two_give_the_same_records_in_input_order(pipeline):
    items = stream(60)
    serial = describe(list(analyse_stream(items, PipelineSpec(), 1, pipeline=pipeline)))
    pooled = describe(list(analyse_stream(items, PipelineSpec(), 2, pipeline=pipeline, chunk_size=4)))
    assert pooled == serial
    assert [d[1] for d in serial if d[0] == "analysed"] == [f"a{i}" for i in range(60)] + ["empty"]
    assert serial[-1][3] == "empty document"  # an article that fails is reported in its place
    assert sum(1 for d in serial if d[0] == "Skip") == 9 and sum(1 for d in serial if d[0] == "Notice") == 5


def test_records_asked_for_as_json_lines_are_the_lines_of_the_records(pipeline):
    items = stream(12)
    records = [e for e in analyse_stream(items, PipelineSpec(), 1, pipeline=pipeline) if isinstance(e, Analysed)]
    for workers in (1, 2):
        lines = [e for e in analyse_stream(items, PipelineSpec(), workers, pipeline=pipeline, chunk_size=4,
                                           as_lines=True) if isinstance(e, Analysed)]
        assert [a.item.doc_id for a in lines] == [r.item.doc_id for r in records]
        for r, a in zip(records, lines, strict=True):
            assert a.record is None and a.ok == r.ok and a.error == r.error  # the line instead of the record
            if r.ok:
                assert json.loads(a.line) == {"id": r.item.doc_id, **r.record}
            else:
                assert a.line is None


class DyingPipeline:
    """Kills the process analysing «a13» (the first time, when ``once``; else always). Forked workers inherit it
    from this process, as they inherit the real pipeline."""

    def __init__(self, real, victim: str, marker=None):
        self.real, self.victim, self.marker = real, victim, marker

    def __call__(self, text, doc_id="doc", **kw):
        if doc_id == self.victim and (self.marker is None or not self.marker.exists()):
            if self.marker is not None:
                self.marker.write_text("x")
            os._exit(1)
        return self.real(text, doc_id=doc_id, **kw)


def test_a_worker_that_dies_costs_nothing(pipeline, tmp_path):
    marker = tmp_path / "died"
    items = stream(40)
    dying = DyingPipeline(pipeline, "a13", marker)
    pooled = describe(list(analyse_stream(items, PipelineSpec(), 2, pipeline=dying, chunk_size=3)))
    assert marker.exists(), "a worker died"
    assert pooled == describe(list(analyse_stream(items, PipelineSpec(), 1, pipeline=pipeline)))


def test_an_article_that_always_kills_its_worker_is_skipped_and_the_rest_goes_on(pipeline):
    poisoned = DyingPipeline(pipeline, "a5")
    out = [e for e in analyse_stream(stream(12), PipelineSpec(), 2, pipeline=poisoned, chunk_size=3)
           if isinstance(e, Analysed)]
    assert [e.item.doc_id for e in out] == [f"a{i}" for i in range(12)] + ["empty"]
    bad = next(e for e in out if e.item.doc_id == "a5")
    assert bad.record is None and "killed its worker" in bad.error
    assert all(e.record for e in out if e.item.doc_id not in ("a5", "empty"))


def test_workers_default_to_the_cores_but_not_more_than_the_input_needs():
    assert worker_count(3, None) == 3
    assert worker_count(8, 10) == 1  # one chunk: a pool would only cost its start-up
    assert worker_count(2, 1000) == 2
    assert worker_count(None, None) == parallel.default_workers() >= 1


def test_extract_and_ingest_give_the_same_output_with_one_and_two_workers(tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"a{i}", "text": article(i), "date": "2019-04-07"},
                                         ensure_ascii=False) + "\n" for i in range(40)), encoding="utf-8")
    outputs = []
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}.jsonl"
        r = CliRunner().invoke(main, ["extract", str(corpus), "--format", "jsonl", "--out", str(out), "-j", workers])
        assert r.exit_code == 0, r.output
        outputs.append(out.read_bytes())
        db = tmp_path / f"s{workers}.db"
        r = CliRunner().invoke(main, ["ingest", str(corpus), "--db", str(db), "-j", workers, "-q"])
        assert r.exit_code == 0 and "stored 40" in r.output, r.output
        import sqlite3

        with sqlite3.connect(db) as con:
            outputs.append(con.execute("SELECT d.id, d.doc_id, e.n, e.type, e.source_actor_id, e.target_actor_id, "
                                       "e.cluster_id, e.explanation FROM events e JOIN documents d "
                                       "ON d.id = e.document_id ORDER BY 1, 3").fetchall())
    assert outputs[0] == outputs[2] and outputs[1] == outputs[3]
    assert outputs[1], "the articles have events"


def test_a_long_analysis_settles_the_cycle_collector_once(monkeypatch):
    import gc

    monkeypatch.setattr(parallel, "_collector_settled", False)
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, *before[1:])
        list(analyse_stream(stream(2), PipelineSpec(), workers=1))
        assert gc.get_threshold()[0] == parallel._COLLECTOR_THRESHOLD
        assert gc.get_freeze_count() > 0  # the loaded knowledge is out of the collector's way
        gc.set_threshold(700, *before[1:])
        list(analyse_stream(stream(2), PipelineSpec(), workers=1))
        assert gc.get_threshold()[0] == 700  # once a process: a caller's own setting afterwards stands
    finally:
        gc.set_threshold(*before)
