"""All cores: the same records with one process or several, in input order, and a dead worker loses nothing
(articles written for these tests)."""

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

import marsad.parallel as parallel
from marsad.cli import main
from marsad.parallel import Analysed, PipelineSpec, analyse_stream, worker_count
from marsad.pipeline import Pipeline
from marsad.sources import InputItem, Notice, Skip
from process_tree import can_list_children, descendants, survivors, wait_for

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


class Tripping:
    """A pipeline component with bugs that odd articles trip: it raises on some, and on others leaves a value in
    the record that cannot be written (a lone surrogate) or cannot leave its worker (a generator)."""

    name, requires, assigns = "tripping", (), ()

    def __init__(self, raises=(), surrogate=(), unpicklable=()):
        self.raises, self.surrogate, self.unpicklable = dict(raises), set(surrogate), set(unpicklable)

    def __call__(self, doc):
        if doc.doc_id in self.raises:
            raise self.raises[doc.doc_id]
        if doc.doc_id in self.surrogate:
            doc.meta["note"] = "half a pair: \ud83d"
        if doc.doc_id in self.unpicklable:
            doc.meta["note"] = (n for n in ())
        return doc


def analysed(elements) -> dict:
    return {e.item.doc_id: e for e in elements if isinstance(e, Analysed)}


def test_an_article_that_trips_a_bug_is_skipped_with_its_reason_and_the_rest_goes_on(pipeline):
    bug = Tripping(raises={"a3": RecursionError("maximum recursion depth exceeded"), "a8": IndexError("x" * 500)},
                   surrogate={"a10"})
    odd = Pipeline([*pipeline.components, bug], max_chars=pipeline.max_chars)
    items = stream(20)
    clean = analysed(analyse_stream(items, PipelineSpec(), 1, pipeline=pipeline))
    for workers in (1, 2):
        for as_lines in (False, True):
            out = analysed(analyse_stream(items, PipelineSpec(), workers, pipeline=odd, chunk_size=4,
                                          as_lines=as_lines))
            assert list(out) == list(clean), (workers, as_lines)  # every article, in its place
            errors = {doc_id: a.error for doc_id, a in out.items() if not a.ok}
            assert errors.pop("a3") == "internal error (RecursionError: maximum recursion depth exceeded)"
            reason = errors.pop("a8")
            assert reason.startswith("internal error (IndexError: xxx") and len(reason) == 200
            if as_lines:  # the line could not be written: skipped, not a crash of the writer
                assert errors.pop("a10").startswith("internal error (UnicodeEncodeError: 'utf-8' codec can't "
                                                    "encode character '\\ud83d'")
            assert errors == {"empty": "empty document"}
            for doc_id, a in out.items():
                if a.ok and doc_id != "a10":
                    assert (json.loads(a.line) if as_lines else a.record) == (
                        {"id": doc_id, **clean[doc_id].record} if as_lines else clean[doc_id].record)


def test_an_article_whose_record_cannot_leave_its_worker_is_skipped_and_the_rest_goes_on(pipeline):
    odd = Pipeline([*pipeline.components, Tripping(unpicklable={"a5"})], max_chars=pipeline.max_chars)
    out = analysed(analyse_stream(stream(12), PipelineSpec(), 2, pipeline=odd, chunk_size=4))
    assert list(out) == [f"a{i}" for i in range(12)] + ["empty"]
    assert out["a5"].error == "internal error (TypeError: cannot pickle 'generator' object)"
    assert all(a.record for doc_id, a in out.items() if doc_id not in ("a5", "empty"))


WATCHED = """
import os, sys, time
from marsad import lifeline

lifeline.die_with_parent = lambda: False  # the watchdog alone, as where there is no PR_SET_PDEATHSIG
parent = os.getpid()
if os.fork() == 0:
    lifeline.guard(parent, poll_s=0.1)
    time.sleep(60)
    os._exit(0)
if os.fork() == 0:  # a worker whose parent died before it could guard itself: it ends at once
    while os.getppid() == parent:
        time.sleep(0.01)
    lifeline.guard(parent, poll_s=60)
    time.sleep(60)
    os._exit(0)
time.sleep(60)
"""


@pytest.mark.skipif(not can_list_children(), reason="reads the process tree from /proc")
def test_a_worker_ends_when_its_parent_is_killed_even_without_the_kernels_signal(tmp_path):
    script = tmp_path / "watched.py"
    script.write_text(WATCHED, encoding="utf-8")
    parent = subprocess.Popen([sys.executable, str(script)])
    try:
        wait_for(lambda: len(descendants(parent.pid)) == 2, 30, "two workers", parent)
        workers = descendants(parent.pid)
    finally:
        parent.kill()
        parent.wait()
    left = survivors(workers, timeout=3)
    assert not left, f"workers outlived their killed parent: {left}"
