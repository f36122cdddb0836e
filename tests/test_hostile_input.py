"""Bad input loses nothing and stops nothing: stray bytes, odd JSON, hostile file names, gzip bombs, special
files, concurrent and killed runs (issue #21). Sentences written for these tests."""

import csv
import gzip
import hashlib
import io
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from marsad.readers.base import decode
from marsad.sources import InputItem, Notice, Skip, iter_inputs
from marsad.store.sqlite import EventStore

TOWNS = ["إدلب", "حلب", "درعا", "حماة", "الرقة", "دير الزور", "حمص", "اللاذقية", "طرطوس", "القامشلي"]


def article(n: int) -> str:
    town = TOWNS[n % len(TOWNS)]
    return (f"قصفت الطائرات الحربية مواقع في {town} صباح اليوم وقتل {n + 3} مدنيين. "
            f"وخرج المئات في مظاهرة في {town} في اليوم {n}.")


def marsad(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "marsad", *args], capture_output=True, text=True, check=False,
                          cwd=cwd, errors="backslashreplace")


def peak_rss_mb(*args: str, cwd: Path | None = None) -> tuple[subprocess.CompletedProcess, float]:
    """Run marsad under a fresh Python that reports the largest resident set of its children (marsad and any
    worker), so nothing else this test process ran is counted."""
    probe = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:], capture_output=True); "
             "sys.stderr.buffer.write(p.stderr); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(p.returncode)")
    done = subprocess.run([sys.executable, "-c", probe, sys.executable, "-m", "marsad", *args], capture_output=True,
                          text=True, check=False, cwd=cwd, errors="backslashreplace")
    return done, int(done.stdout.strip().splitlines()[-1]) / 1024


def rows(db: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return con.execute(sql, params).fetchall()


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---- 1. a stray byte in UTF-8 is UTF-8 ------------------------------------------------------------------------


def _csv_bytes(texts: list[str]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["id", "text"])
    for n, text in enumerate(texts):
        writer.writerow([f"r{n}", text])
    return buf.getvalue().encode("utf-8")


def _with_stray_byte(data: bytes, near_end: bool = True) -> bytes:
    at = data.rindex("مظاهرة".encode()) if near_end else data.index("مظاهرة".encode())
    return data[:at] + b"\xd8" + data[at:]


def test_a_stray_byte_in_utf8_text_is_replaced_not_a_reason_for_windows_1256(tmp_path):
    texts = [article(n) for n in range(30)]
    (tmp_path / "rows.csv").write_bytes(_with_stray_byte(_csv_bytes(texts)))
    (tmp_path / "one.txt").write_bytes(_with_stray_byte("\n".join(texts[:3]).encode()))
    lines = [json.dumps({"id": f"j{n}", "text": t}, ensure_ascii=False).encode() for n, t in enumerate(texts[:5])]
    lines[4] = _with_stray_byte(lines[4])
    (tmp_path / "lines.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    out = list(iter_inputs([str(tmp_path / n) for n in ("rows.csv", "one.txt", "lines.jsonl")]))
    items = [x for x in out if isinstance(x, InputItem)]
    assert len(items) == 30 + 1 + 5
    assert not any(isinstance(x, Skip) for x in out)
    for item in items:  # Arabic read as Arabic: «قصفت» survives in every article, the stray byte is one U+FFFD
        assert "قصفت الطائرات" in item.text and item.meta.get("encoding") is None
    assert sum(item.text.count("\ufffd") for item in items) == 3
    lossy = [x for x in out if isinstance(x, Notice) and x.replaced]
    assert [(Path(x.source).name, x.replaced) for x in lossy] == [("rows.csv", 1), ("one.txt", 1), ("lines.jsonl", 1)]
    assert "line 31" in lossy[0].message and "line 3" in lossy[1].message and "line 5" in lossy[2].message
    assert not any(isinstance(x, Notice) and "1256" in x.message for x in out)


def test_windows_1256_still_read_and_decided_by_valid_utf8_share():
    arabic = "\n".join(article(n) for n in range(5))
    assert decode(arabic.encode("cp1256"), "w").encoding == "windows-1256"
    mostly = arabic.encode() + b"\xd8\xd8"  # two stray bytes among hundreds of valid multi-byte sequences
    assert decode(mostly, "u").encoding == "utf-8" and decode(mostly, "u").replaced == 2
    assert isinstance(decode("café naïve".encode("latin-1"), "l"), Skip)  # not mostly UTF-8, not Arabic


def test_quiet_does_not_hide_a_lossy_read_from_the_closing_line(tmp_path):
    (tmp_path / "rows.csv").write_bytes(_with_stray_byte(_csv_bytes([article(n) for n in range(3)])))
    done = marsad("ingest", str(tmp_path / "rows.csv"), "--db", str(tmp_path / "x.db"), "-q", "-j", "1")
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith(
        "marsad: stored 3, already stored 0, skipped 0; 1 input read with 1 unreadable byte or character replaced")
    assert rows(tmp_path / "x.db", "SELECT COUNT(*) FROM events")[0][0] >= 3
    assert rows(tmp_path / "x.db", "SELECT COUNT(*) FROM run_issues WHERE reason LIKE '%replaced%'") == [(1,)]


# ---- 2. one odd item never stops the run -----------------------------------------------------------------------


def test_deep_json_a_lone_surrogate_and_nul_bytes_cost_at_most_their_own_line(tmp_path):
    lines = [json.dumps({"id": f"a{n}", "text": article(n)}, ensure_ascii=False) for n in range(12)]
    lines[3] = "[" * 990 + "]" * 990
    lines[5] = '{"id": "s5", "text": "' + article(5) + '\\ud83d", "title": "\\udc00عنوان"}'
    lines[7] = json.dumps({"id": "z7", "text": article(7) + "\u0000"})
    (tmp_path / "odd.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "odd.db"
    done = marsad("ingest", str(tmp_path / "odd.jsonl"), "--db", str(db), "-j", "2")
    assert done.returncode == 0, done.stderr
    assert "odd.jsonl:4: malformed JSON (nested too deeply to read)" in done.stderr
    assert "marsad: stored 11, already stored 0, skipped 1" in done.stderr
    texts = dict(rows(db, "SELECT doc_id, text FROM documents"))
    assert texts["s5"] == article(5) + "\ufffd" and texts["z7"] == article(7)
    assert json.loads(rows(db, "SELECT meta FROM documents WHERE doc_id = 's5'")[0][0])["title"] == "\ufffdعنوان"
    out = marsad("extract", str(tmp_path / "odd.jsonl"), "--format", "jsonl", "--out", str(tmp_path / "o.jsonl"))
    assert out.returncode == 0 and len((tmp_path / "o.jsonl").read_text(encoding="utf-8").splitlines()) == 11


def test_file_names_that_are_not_utf8_or_carry_escape_sequences(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    with open(os.fsencode(folder) + b"/caf\xe9.txt", "wb") as f:  # Latin-1 «café»: not a UTF-8 name
        f.write(article(1).encode())
    (folder / "red\x1b[31m.txt").write_text(article(2), encoding="utf-8")
    (folder / "empty\x1b[2J.txt").write_text(" ", encoding="utf-8")
    done = marsad("ingest", str(folder), "--db", str(tmp_path / "n.db"), "-j", "1")
    assert done.returncode == 0, done.stderr
    assert "stored 2" in done.stderr and "\x1b" not in done.stderr
    assert "empty\\x1b[2J.txt" in done.stderr  # the skipped file is named, its escape shown, not run
    sources = sorted(s for (s,) in rows(tmp_path / "n.db", "SELECT source FROM documents"))
    assert [Path(s).name for s in sources] == ["caf\\xe9.txt", "red\\x1b[31m.txt"]
    out = marsad("extract", str(folder), "--out", str(tmp_path / "json"))
    assert out.returncode == 0, out.stderr
    assert sorted(p.name for p in (tmp_path / "json").iterdir()) == ["caf\\xe9.json", "red\\x1b[31m.json"]
    out = marsad("extract", str(folder), "--format", "jsonl", "--out", str(tmp_path / "o.jsonl"))
    assert out.returncode == 0, out.stderr
    ids = [json.loads(line)["id"] for line in (tmp_path / "o.jsonl").read_text(encoding="utf-8").splitlines()]
    assert sorted(ids) == ["caf\\xe9", "red\\x1b[31m"]


# ---- 4. caps: gzip bombs, huge files, long messages -------------------------------------------------------------

BOMB_MB = 300


def _bomb(path: Path, head: bytes, tail: bytes) -> None:
    block = b"a" * (1 << 20)
    with gzip.open(path, "wb", compresslevel=6) as f:
        f.write(head)
        for _ in range(BOMB_MB):
            f.write(block)
        f.write(tail)


def test_gzip_bombs_stay_under_500_mb_and_the_good_rows_after_them_are_read(tmp_path):
    good = json.dumps({"id": "ok", "text": article(1)}, ensure_ascii=False).encode()
    _bomb(tmp_path / "line.jsonl.gz", b'{"id": "x", "text": "', b'"}\n' + good + b"\n")
    _bomb(tmp_path / "header.csv.gz", b"", b"\n")  # a 300 MB "header"
    _bomb(tmp_path / "field.csv.gz", b'id,text\n1,"', b'"\n2,' + article(2).encode() + b"\n")
    db = tmp_path / "b.db"
    done, mb = peak_rss_mb("ingest", "line.jsonl.gz", "header.csv.gz", "field.csv.gz", "--db", str(db), "-j", "1",
                           cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert mb < 500, f"peak RSS {mb:.0f} MB"
    assert len(done.stderr) < 3000  # no 300 MB header echoed
    assert "line.jsonl.gz:1: document over the limit of 1,000,000 characters" in done.stderr
    assert "header.csv.gz: document over the limit" in done.stderr
    assert "field.csv.gz:2: malformed CSV row (document over the limit" in done.stderr
    assert sorted(t for (t,) in rows(db, "SELECT text FROM documents")) == sorted([article(1), article(2)])


def test_files_too_large_for_max_chars_are_not_read_whole(tmp_path):
    (tmp_path / "big.txt").write_text("خبر " * 40_000, encoding="utf-8")
    (tmp_path / "big.html").write_text("<p>" + "خبر " * 200_000 + "</p>", encoding="utf-8")
    (tmp_path / "ok.txt").write_text(article(3), encoding="utf-8")
    out = list(iter_inputs([str(tmp_path)], max_chars=1000))
    skips = {Path(x.source).name: x.reason for x in out if isinstance(x, Skip)}
    assert skips["big.txt"].startswith("too large (document over the limit of 1,000 characters")
    assert skips["big.html"].startswith("too large (a page of over")
    assert [x.text for x in out if isinstance(x, InputItem)] == [article(3)]


def test_messages_echo_at_most_a_few_hundred_characters(tmp_path):
    header = ",".join(f"column{n}" for n in range(5000))
    (tmp_path / "wide.csv").write_text(header + "\n" + ",".join("x" * 5000) + "\n", encoding="utf-8")
    (skip,) = [x for x in iter_inputs([str(tmp_path / "wide.csv")]) if isinstance(x, Skip)]
    assert skip.reason.startswith("no text column (the columns are column0, column1")
    assert len(skip.reason) < 400 and skip.reason.endswith("characters)")


# ---- 7. repeated ids -------------------------------------------------------------------------------------------


def test_ten_thousand_rows_with_one_id_get_short_distinct_names(tmp_path):
    (tmp_path / "rep.jsonl").write_text("".join(json.dumps({"id": "same", "text": "خبر"}) + "\n"
                                                for _ in range(10_000)), encoding="utf-8")
    names = [x.name for x in iter_inputs([str(tmp_path / "rep.jsonl")]) if isinstance(x, InputItem)]
    assert len(set(names)) == 10_000 and names[:3] == ["same", "same_2", "same_3"]
    assert max(map(len, names)) <= len("same_10000")  # not a name of 9,999 underscores
    unnamed = [x.name for x in iter_inputs([str(tmp_path / "rep.jsonl")], unique_names=False)
               if isinstance(x, InputItem)]
    assert set(unnamed) == {"same"}  # ingest and JSON Lines output write no per-article files


# ---- 8. concurrent and killed runs ----------------------------------------------------------------------------


def _corpus(path: Path, n: int, start: int = 0) -> Path:
    path.write_text("".join(json.dumps({"id": f"d{k}", "text": article(k)}, ensure_ascii=False) + "\n"
                            for k in range(start, start + n)), encoding="utf-8")
    return path


def test_two_ingests_of_the_same_input_at_once_store_each_article_once(tmp_path):
    corpus = _corpus(tmp_path / "c.jsonl", 300)
    db = tmp_path / "c.db"
    EventStore(db).close()
    runs = [subprocess.Popen([sys.executable, "-m", "marsad", "ingest", str(corpus), "--db", str(db), "-j", "1",
                              "--batch-size", "10", "-q"], stderr=subprocess.PIPE, text=True) for _ in range(2)]
    errs = [p.communicate(timeout=300)[1] for p in runs]
    assert [p.returncode for p in runs] == [0, 0], errs
    assert not any("Error" in e for e in errs), errs
    assert rows(db, "SELECT COUNT(*), COUNT(DISTINCT content_hash) FROM documents") == [(300, 300)]
    log = rows(db, "SELECT status, stored, already_stored FROM runs ORDER BY id")
    assert [s for s, _, _ in log] == ["finished", "finished"]
    assert sum(stored for _, stored, _ in log) == 300 and all(a + b == 300 for _, a, b in log)


def test_a_killed_run_says_what_it_committed_and_a_live_run_is_not_called_interrupted(tmp_path):
    corpus = _corpus(tmp_path / "k.jsonl", 3000)
    db = tmp_path / "k.db"
    proc = subprocess.Popen([sys.executable, "-m", "marsad", "ingest", str(corpus), "--db", str(db), "-j", "1",
                             "--batch-size", "20", "-q"], stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            time.sleep(0.2)
            if db.exists() and rows(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'documents'")[0][0] \
                    and rows(db, "SELECT COUNT(*) FROM documents")[0][0] >= 60:
                break
        # a second writer starting now must leave the live run alone
        EventStore(db).start_run("a concurrent run")
        assert rows(db, "SELECT status FROM runs WHERE id = 1") == [("running",)]
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    stored = rows(db, "SELECT COUNT(*) FROM documents WHERE run_id = 1")[0][0]
    assert 60 <= stored < 3000
    assert rows(db, "SELECT status, stored FROM runs WHERE id = 1") == [("running", stored)]
    done = marsad("ingest", str(corpus), "--db", str(db), "-j", "1", "-q")
    assert done.returncode == 0, done.stderr
    log = rows(db, "SELECT id, status, stored, already_stored FROM runs ORDER BY id")
    assert log[0] == (1, "interrupted", stored, 0)  # its process is gone: interrupted, with what it committed
    assert log[-1] == (3, "finished", 3000 - stored, stored)
    assert rows(db, "SELECT COUNT(*) FROM documents") == [(3000,)]


def test_ingest_that_stores_nothing_exits_non_zero(tmp_path):
    (tmp_path / "empty.txt").write_text("   ", encoding="utf-8")
    done = marsad("ingest", str(tmp_path / "empty.txt"), "--db", str(tmp_path / "e.db"), "-j", "1")
    assert done.returncode == 1 and "stored 0, already stored 0, skipped 1" in done.stderr
    _corpus(tmp_path / "one.jsonl", 1)
    assert marsad("ingest", str(tmp_path / "one.jsonl"), "--db", str(tmp_path / "e.db"), "-j", "1").returncode == 0
    again = marsad("ingest", str(tmp_path / "one.jsonl"), "--db", str(tmp_path / "e.db"), "-j", "1")
    assert again.returncode == 0 and "already stored 1" in again.stderr  # a re-run is no failure


# ---- 9. special files, NUL bytes, truncated gzip ---------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and symbolic links as on Linux and macOS")
def test_every_entry_of_a_directory_is_accounted_for(tmp_path):
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text(article(1), encoding="utf-8")
    (root / "sub" / "b.txt").write_text(article(2), encoding="utf-8")
    (tmp_path / "secret.txt").write_text("كلمة السر", encoding="utf-8")
    os.symlink(root / "a.txt", root / "inside.txt")  # a link within the tree is read
    os.symlink(tmp_path / "secret.txt", root / "outside.txt")
    os.symlink(root / "missing.txt", root / "dangling.txt")
    os.symlink(root / "loop2.txt", root / "loop1.txt")
    os.symlink(root / "loop1.txt", root / "loop2.txt")
    os.symlink(tmp_path, root / "up")
    os.mkfifo(root / "pipe.txt")
    out = list(iter_inputs([str(root)]))
    skips = {Path(x.source).name: x.reason for x in out if isinstance(x, Skip)}
    assert skips["outside.txt"].startswith("symbolic link to a file outside the input directory")
    assert skips["dangling.txt"].startswith("dangling symbolic link")
    assert skips["loop1.txt"] == skips["loop2.txt"] == "symbolic link loop"
    assert skips["up"].startswith("symbolic link to a directory: not followed")
    assert skips["pipe.txt"] == "not a regular file (a FIFO (named pipe)): not read"
    texts = sorted(x.text for x in out if isinstance(x, InputItem))
    assert texts == sorted([article(1), article(1), article(2)])
    assert not any("كلمة السر" in t for t in texts)


def test_nul_bytes_after_the_first_8_kb_are_not_stored(tmp_path):
    text = "خبر عن حلب. " * 1000
    (tmp_path / "n.txt").write_bytes(text.encode() + b"\x00\x00" + "وفي إدلب.".encode())
    out = list(iter_inputs([str(tmp_path / "n.txt")]))
    (item,) = [x for x in out if isinstance(x, InputItem)]
    assert "\x00" not in item.text and item.text.endswith("وفي إدلب.")
    assert any(isinstance(x, Notice) and x.replaced == 2 for x in out)


@pytest.mark.parametrize("name", ["t.jsonl.gz", "t.csv.gz"])
def test_a_truncated_gzip_says_where_it_stopped(tmp_path, name):
    if name.endswith(".csv.gz"):
        data = _csv_bytes([article(n) for n in range(200)])
    else:
        data = _corpus(tmp_path / "x.jsonl", 200).read_bytes()
    packed = gzip.compress(data)
    (tmp_path / name).write_bytes(packed[: len(packed) // 2])
    out = list(iter_inputs([str(tmp_path / name)]))
    items = [x for x in out if isinstance(x, InputItem)]
    (skip,) = [x for x in out if isinstance(x, Skip)]
    assert 0 < len(items) < 200
    assert "stopped after line" in skip.reason and skip.source.startswith(str(tmp_path / name) + ":")
    stopped = int(skip.reason.split("stopped after line ")[1].split(",")[0])
    assert skip.source.endswith(f":{stopped + 1}") and stopped >= len(items)


# ---- the fuzz test: every good item stored once, every bad one reported with its source ----------------------


def _fuzz_corpus(root: Path, seed: int) -> tuple[dict[str, str], set[str]]:
    """A few hundred items in JSON Lines, CSV and .txt, good and bad mixed at random; returns the texts that must
    be stored (by hash, with the source that holds them) and the sources that must be reported as skipped."""
    rnd = random.Random(seed)
    good: dict[str, str] = {}
    bad: set[str] = set()
    n = 0

    def fresh() -> str:
        nonlocal n
        n += 1
        return article(1000 + n)

    jsonl = []
    for line in range(1, 201):
        kind = rnd.choice(["good"] * 6 + ["deep", "broken", "array", "notext", "surrogate", "stray", "huge", "nul",
                                           "cp1256", "binary"])
        text = fresh()
        source = f"f.jsonl:{line}"
        row = json.dumps({"id": f"f{line}", "text": text}, ensure_ascii=False).encode()
        if kind == "deep":
            row = b"[" * 5000 + b"]" * 5000
        elif kind == "broken":
            row = row[: len(row) // 2]
        elif kind == "array":
            row = b"[1, 2]"
        elif kind == "notext":
            row = json.dumps({"id": f"f{line}", "body": text}).encode()
        elif kind == "huge":
            row = json.dumps({"id": f"f{line}", "text": text * 200}, ensure_ascii=False).encode()
        elif kind == "binary":
            row = bytes(rnd.randrange(256) for _ in range(60)).replace(b"\n", b"") + b"\x00"
        elif kind == "surrogate":
            row = row[:-2] + b'\\udc80"}'
            text += "\ufffd"
        elif kind == "stray":
            cut = row.index("مدنيين".encode())
            row = row[:cut] + b"\xd8" + row[cut:]
            text = text.replace("مدنيين", "\ufffdمدنيين")
        elif kind == "nul":
            row = row[:-2] + b'\\u0000"}'
        elif kind == "cp1256":
            row = json.dumps({"id": f"f{line}", "text": text}, ensure_ascii=False).encode("cp1256")
        if kind in ("deep", "broken", "array", "notext", "huge", "binary"):
            bad.add(source)
        else:
            good[sha(text)] = source
        jsonl.append(row)
    (root / "f.jsonl").write_bytes(b"\n".join(jsonl) + b"\n")

    buf = io.StringIO(newline="")
    writer = csv.writer(buf)
    writer.writerow(["id", "text"])
    lineno = 1
    for row_no in range(100):
        kind = rnd.choice(["good"] * 5 + ["empty", "fields", "huge"])
        text = fresh()
        lineno += 1
        if kind == "empty":
            writer.writerow([f"c{row_no}", ""])
            bad.add(f"g.csv:{lineno}")
        elif kind == "fields":
            writer.writerow([f"c{row_no}", text, "extra"])
            bad.add(f"g.csv:{lineno}")
        elif kind == "huge":
            writer.writerow([f"c{row_no}", text * 200])
            bad.add(f"g.csv:{lineno}")
        else:
            writer.writerow([f"c{row_no}", text])
            good[sha(text)] = f"g.csv:{lineno}"
    (root / "g.csv").write_text(buf.getvalue(), encoding="utf-8")

    texts = root / "texts"
    texts.mkdir()
    for k in range(60):
        kind = rnd.choice(["good"] * 4 + ["empty", "binary", "latin1", "huge"])
        text = fresh()
        path = texts / f"t{k:02d}.txt"
        if kind == "empty":
            path.write_text("\n \n", encoding="utf-8")
        elif kind == "binary":
            path.write_bytes(b"\x00\x01PK" + bytes(rnd.randrange(256) for _ in range(200)))
        elif kind == "latin1":
            path.write_bytes("déjà vu, naïve café ".encode("latin-1") * 5)
        elif kind == "huge":
            path.write_text(text * 200, encoding="utf-8")
        else:
            path.write_text(text, encoding="utf-8")
            good[sha(text)] = f"texts/{path.name}"
            continue
        bad.add(f"texts/{path.name}")
    return good, bad


@pytest.mark.parametrize("seed", [21, 2026])
def test_fuzzed_corpus_every_good_item_stored_once_every_bad_one_reported(tmp_path, seed):
    good, bad = _fuzz_corpus(tmp_path, seed)
    db = tmp_path / "fuzz.db"
    args = ("ingest", "f.jsonl", "g.csv", "texts", "--db", str(db), "--max-chars", "2000", "-j", "2")
    done, mb = peak_rss_mb(*args, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert mb < 500, f"peak RSS {mb:.0f} MB"
    stored = rows(db, "SELECT content_hash, source FROM documents")
    assert len(stored) == len({h for h, _ in stored})  # nothing twice
    assert dict(stored) == good  # every good item, each from its own source, and nothing else
    reported = {s for (s,) in rows(db, "SELECT source FROM run_issues WHERE kind = 'skipped'")}
    assert reported == bad
    for source in bad:
        assert f"skipped {source}: " in done.stderr
    again = marsad(*args, cwd=tmp_path)  # a re-run adds nothing
    assert again.returncode == 0 and f"stored 0, already stored {len(good)}" in again.stderr
    assert rows(db, "SELECT COUNT(*) FROM documents") == [(len(good),)]
