"""A Dask cluster: shards read like the local input, the store after `load` is the local store, row for row,
whether 1 process, 2 processes or a LocalCluster(2) did the work — and a worker killed mid-job loses and
doubles nothing. Every listener is on 127.0.0.1 (distributed.connect)."""

import gzip
import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import shared_path
from marsad.cli import main
from marsad.distributed import connect, recipe_of, run_job
from marsad.parallel import PipelineSpec
from marsad.readers.base import InputItem, JsonlFields
from marsad.shards import plan_shards, read_shard, shard_size_for
from marsad.sinks.dataset import Dataset
from marsad.sources import iter_inputs
from process_tree import alive, can_list_children, descendants, survivors, wait_for

pytest.importorskip("dask.distributed")

TABLES = ("documents", "sentences", "entities", "actors", "places", "events", "event_clusters", "quantities",
          "stances", "document_countries", "run_issues")


def store_rows(db: Path) -> dict[str, list]:
    """Every table's rows, without the columns that name the run (which differ between runs by design)."""
    con = sqlite3.connect(db)
    out = {}
    for table in TABLES:
        cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})") if r[1] not in ("run_id", "id", "at")]
        quoted = ", ".join(f'"{c}"' for c in cols)
        out[table] = con.execute(f"SELECT {quoted} FROM {table} ORDER BY {quoted}").fetchall()
    con.close()
    return out


def describe(elements) -> list:
    return [(type(e).__name__, e.source, getattr(e, "doc_id", None), getattr(e, "text", None),
             getattr(e, "reason", getattr(e, "message", None))) for e in elements]


def test_shards_read_exactly_what_the_local_readers_read(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lines = [json.dumps({"id": f"n{i}", "text": f"نص الخبر رقم {i}", "date": "2019-04-0" + str(1 + i % 9)},
                        ensure_ascii=False) for i in range(23)]
    lines[5] = "{broken"
    Path("big.jsonl.gz").write_bytes(gzip.compress("\n".join(lines).encode()))  # no final newline
    (tmp_path / "corpus" / "sub").mkdir(parents=True)
    for i in range(7):
        (tmp_path / "corpus" / ("sub" if i % 2 else "") / f"t{i}.txt").write_text(f"خبر {i}", encoding="utf-8")
    Path("corpus/notes.pdf").write_bytes(b"%PDF")
    Path("bad.txt").write_bytes(b"")
    inputs = ["big.jsonl.gz", "missing.txt", "corpus", "bad.txt"]

    shards = plan_shards(inputs, size=4)
    assert len(shards) > 6
    assert [s.lines for s in shards[:6]] == [(1, 5), (5, 9), (9, 13), (13, 17), (17, 21), (21, 24)]
    fields = JsonlFields()
    from_shards = [e for s in shards for e in read_shard(s, fields, tmp_path)]
    assert describe(from_shards) == describe(iter_inputs(inputs))
    # the empty file is an article to the reader (the pipeline refuses it)
    assert sum(isinstance(e, InputItem) for e in from_shards) == 22 + 7 + 1
    # A shard's name changes when its file does (a re-run must not take old output for new input).
    recipe = recipe_of(PipelineSpec())
    before = shards[-1].shard_id(fields, recipe)
    Path("bad.txt").write_text("خبر جديد", encoding="utf-8")
    assert plan_shards(inputs, size=4)[-1].shard_id(fields, recipe) != before


def test_a_changed_sidecar_or_folder_index_makes_a_new_shard(tmp_path):
    (tmp_path / "a.txt").write_text("خبر", encoding="utf-8")
    fields, recipe = JsonlFields(), recipe_of(PipelineSpec())

    def shard_id():
        (shard,) = plan_shards([str(tmp_path)], size=4)
        return shard.shard_id(fields, recipe)

    seen = [shard_id()]
    (tmp_path / "a.json").write_text(json.dumps({"date": "2019-04-01"}), encoding="utf-8")
    seen.append(shard_id())
    (tmp_path / "index.jsonl").write_text(json.dumps({"name": "a", "title": "عنوان"}) + "\n", encoding="utf-8")
    seen.append(shard_id())
    assert len(set(seen)) == 3


def test_the_default_shard_size_follows_the_input_not_the_cluster():
    assert [shard_size_for(n) for n in (None, 100, 2000, 30_307, 10**7)] == [500, 20, 32, 474, 500]


def test_standard_input_cannot_go_to_a_cluster():
    from marsad.errors import MarsadError

    with pytest.raises(MarsadError, match="standard input"):
        plan_shards(["-"])


@pytest.fixture(scope="module")
def news200(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("news") / "news200.jsonl"
    with gzip.open(shared_path("data", "news", "ant_multisource_2018.jsonl.gz"), "rt", encoding="utf-8") as f:
        lines = [next(f) for _ in range(200)]
    lines.insert(50, "not json\n")  # a bad line is reported in its place by every route
    lines.insert(120, lines[10])  # a repeated article is stored once by every route
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def local_store(news200, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("one") / "one.db"
    result = CliRunner().invoke(main, ["ingest", str(news200), "--db", str(db), "-j", "1", "-q"])
    assert result.exit_code == 0, result.output
    assert "stored 200, already stored 1, skipped 1" in result.output
    return db


@pytest.mark.shared
def test_one_process_two_processes_and_a_dask_cluster_store_the_same(news200, local_store, tmp_path):
    two = tmp_path / "two.db"
    result = CliRunner().invoke(main, ["ingest", str(news200), "--db", str(two), "-j", "2", "-q"])
    assert result.exit_code == 0, result.output

    out = tmp_path / "parquet"
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", str(news200), "--cluster", "local:2", "--out", str(out),
                                  "--shard-size", "40", "-q"])
    assert result.exit_code == 0, result.output
    assert "6 shards (0 done before), 201 articles" in result.output  # the repeat is only dropped at load
    loaded = tmp_path / "loaded.db"
    result = runner.invoke(main, ["load", str(out), "--db", str(loaded), "-q"])
    assert result.exit_code == 0, result.output
    assert "stored 200, already stored 1, skipped 1" in result.output

    reference = store_rows(local_store)
    assert len(reference["events"]) > 50  # enough to compare (the first 200 lines are mostly culture news)
    assert store_rows(two) == reference
    assert store_rows(loaded) == reference

    # Re-running resumes (nothing to do) and loading again adds nothing.
    result = runner.invoke(main, ["ingest", str(news200), "--cluster", "local:1", "--out", str(out),
                                  "--shard-size", "40", "-q"])
    assert "6 shards (6 done before)" in result.output
    result = runner.invoke(main, ["load", str(out), "--db", str(loaded), "-q"])
    assert "stored 0, already stored 201" in result.output
    assert store_rows(loaded)["events"] == reference["events"]

    # The events dataset opens as one table, partitioned by month.
    duckdb = pytest.importorskip("duckdb")
    n, distinct = duckdb.connect().execute(
        f"SELECT count(*), count(DISTINCT event) FROM read_parquet('{out}/events/*/*.parquet', "
        "hive_partitioning = true)").fetchone()
    assert distinct == len(reference["events"]) and n >= distinct  # the repeat's events are dropped at load

def guarded_for() -> int | None:
    """In a worker: the parent it ends with (lifeline.guard), if any."""
    from marsad import lifeline

    return lifeline._guarded[1] if lifeline._guarded else None


@pytest.mark.shared
def test_a_worker_killed_mid_job_loses_and_doubles_nothing(news200, local_store, tmp_path):
    out = str(tmp_path / "parquet")
    spec, fields = PipelineSpec(), JsonlFields()
    shards = plan_shards([str(news200)], size=15)
    killed: list[int] = []
    with connect("local:2") as client:
        assert all(addr.startswith("tcp://127.0.0.1:") for addr in client.scheduler_info()["workers"])
        before = client.run(os.getpid)

        def kill_one(manifest: dict) -> None:
            if killed:
                return
            busy = [addr for addr, keys in client.processing().items() if keys]  # a worker half-way through a shard
            if busy:
                os.kill(before[busy[0]], signal.SIGKILL)
                killed.append(before[busy[0]])

        stats = run_job(client, shards, spec, fields, out, "test", on_shard=kill_one)
        after = client.run(os.getpid)
        guarded = client.run(guarded_for)
    assert set(guarded.values()) == {os.getpid()}  # the restarted worker too ends if this process is killed
    assert killed and killed[0] not in after.values()  # the worker did die (its nanny started another)
    assert stats.failed == [] and stats.articles == 201
    dataset = Dataset(out)
    manifests = [dataset.manifest(s.shard_id(fields, recipe_of(spec))) for s in shards]
    assert all(manifests)
    rows = [r for m in manifests for r in dataset.read_articles(m)]
    assert len(rows) == 201 and len({(r["source"]) for r in rows}) == 201  # every article, once
    loaded = tmp_path / "loaded.db"
    result = CliRunner().invoke(main, ["load", out, "--db", str(loaded), "-q"])
    assert "stored 200, already stored 1, skipped 1" in result.output
    assert store_rows(loaded) == store_rows(local_store)


def test_cluster_cli_on_a_small_corpus_and_an_unfinished_job(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    towns = ["حلب", "إدلب", "درعا", "مأرب", "سرت"]
    Path("c.jsonl").write_text("".join(
        json.dumps({"id": f"a{i}", "date": f"2019-0{1 + i % 3}-07",
                    "text": f"قصفت الطائرات الحربية مواقع في {towns[i % 5]} وقتل {i + 2} مدنيين."},
                   ensure_ascii=False) + "\n" for i in range(12)), encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", "c.jsonl", "--out", "o"]).exit_code == 2  # --out without --cluster
    result = runner.invoke(main, ["ingest", "c.jsonl", "--cluster", "local:1"])
    assert result.exit_code == 2 and "--out" in result.output
    result = runner.invoke(main, ["ingest", "c.jsonl", "--cluster", "local:1", "--out", "o", "--shard-size", "5"])
    assert result.exit_code == 0, result.output
    assert "3 shards (0 done before), 12 articles" in result.output
    assert sorted(p.name for p in Path("o/articles").iterdir()) == ["month=2019-01", "month=2019-02",
                                                                    "month=2019-03"]
    assert not list(Path("o/_tmp").iterdir())  # no half-written file is left
    # A shard without its manifest is unfinished: load names the job and keeps to what is complete.
    manifests = sorted(Path("o/shards").iterdir())
    manifests[1].unlink()
    result = runner.invoke(main, ["load", "o", "--db", "s.db"])
    assert result.exit_code == 0, result.output
    assert "1 of 3 shards not finished" in result.output and "stored 7" in result.output
    result = runner.invoke(main, ["ingest", "c.jsonl", "--cluster", "local:1", "--out", "o", "--shard-size", "5",
                                  "-q"])
    assert "3 shards (2 done before)" in result.output
    result = runner.invoke(main, ["load", "o", "--db", "s.db"])
    assert "stored 5, already stored 7" in result.output and "not finished" not in result.output
    # A damaged part file: its shard is named and passed over, the others are stored.
    part = sorted(Path("o/articles").rglob("*.parquet"))[0]
    part.write_bytes(b"PAR1 not really")
    result = runner.invoke(main, ["load", "o", "--db", "fresh.db"])
    assert result.exit_code == 0, result.output
    assert "skipped shard" in result.output and "re-run the job" in result.output
    assert "stored 7, already stored 0" in result.output and "(2 shards of 1 job)" in result.output
    result = runner.invoke(main, ["load", "nowhere", "--db", "s.db"])
    assert result.exit_code == 1 and "no cluster job output" in result.output


@pytest.mark.skipif(not can_list_children(), reason="reads the process tree from /proc")
def test_a_killed_cluster_ingest_leaves_no_worker_behind(tmp_path):
    towns = ["حلب", "إدلب", "درعا", "مأرب", "سرت"]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(
        json.dumps({"id": f"a{i}", "date": "2019-01-07",
                    "text": f"قصفت الطائرات الحربية مواقع في {towns[i % 5]} وقتل {i + 2} مدنيين. " * 20},
                   ensure_ascii=False) + "\n" for i in range(2000)), encoding="utf-8")
    out = tmp_path / "o"
    proc = subprocess.Popen([sys.executable, "-m", "marsad", "ingest", str(corpus), "--cluster", "local:2",
                             "--out", str(out), "--shard-size", "20", "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # killed once the workers are at work: a shard is done
    _kill_and_expect_no_survivor(proc, lambda: (out / "shards").is_dir() and any((out / "shards").iterdir()),
                                 "a shard")


def _kill_and_expect_no_survivor(proc: subprocess.Popen, ready, what: str) -> None:
    """Once ``ready()``, SIGKILL ``proc`` (whose two Dask workers must be running) and fail if any process it
    started is still alive 5 s later."""
    try:
        wait_for(ready, 120, what, proc)
        children = descendants(proc.pid)
        running = alive(children)
    finally:
        proc.kill()
        proc.wait()
    assert sum("spawn_main" in command for command in running.values()) == 2, running  # the workers
    left = survivors(children, timeout=5)
    assert not left, f"processes outlived the killed parent: {left}"


WEDGED = """
import sys, time
from marsad.distributed import connect

def wedged():
    return sum(range(10**11))  # long in C, holding the GIL: no thread of the worker runs meanwhile

if __name__ == "__main__":
    with connect("local:2") as client:
        workers = list(client.scheduler_info()["workers"])
        futures = [client.submit(wedged, pure=False, workers=[w]) for w in workers]
        while sum(map(len, client.processing().values())) < 2:
            time.sleep(0.05)
        time.sleep(1)
        open(sys.argv[1], "w").close()
        time.sleep(600)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG")
def test_a_worker_busy_holding_the_gil_ends_when_the_local_cluster_process_is_killed(tmp_path):
    """Dask's own guard is a thread in the worker, which cannot run while the analysis holds the GIL (a long
    regular expression, say); the kernel's signal (marsad.distributed.ParentGuard) needs none."""
    script = tmp_path / "wedged.py"
    script.write_text(WEDGED, encoding="utf-8")
    wedged = tmp_path / "wedged"
    proc = subprocess.Popen([sys.executable, str(script), str(wedged)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _kill_and_expect_no_survivor(proc, wedged.exists, "two wedged workers")
