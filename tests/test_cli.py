"""The command line: outputs, and bad input that is reported, skipped and counted."""

import gzip
import json

import pytest
from click.testing import CliRunner

from marsad import __version__
from marsad.cli import main

GOOD = "اندلعت اشتباكات عنيفة في طرابلس بين قوات الوفاق وقوات حفتر."
OTHER = "قصفت طائرات حربية مواقع في إدلب."


@pytest.fixture
def runner():
    return CliRunner()


def run(runner, *args, stdin=None):
    return runner.invoke(main, list(args), input=stdin, catch_exceptions=False)


def test_version_and_help(runner):
    assert __version__ in run(runner, "--version").output
    for args in (["--help"], ["extract", "--help"]):
        result = run(runner, *args)
        assert result.exit_code == 0 and "Usage" in result.output


def test_summary_is_the_default(runner, tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    result = run(runner, "extract", str(tmp_path / "a.txt"))
    assert result.exit_code == 0
    assert "Events" in result.output and "ASSAULT" in result.output
    assert "processed 1, skipped 0" in result.stderr


def test_json_output_is_the_document(runner, tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    result = run(runner, "extract", str(tmp_path / "a.txt"), "--format", "json")
    doc = json.loads(result.stdout)
    assert doc["doc_id"] == "a" and doc["events"]


def test_directory_to_out_dir_writes_one_json_per_txt(runner, tmp_path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "one.txt").write_text(GOOD, encoding="utf-8")
    (src / "sub" / "two.txt").write_text(OTHER, encoding="utf-8")
    (src / "notes.md").write_text("ignored", encoding="utf-8")
    out = tmp_path / "out"
    result = run(runner, "extract", str(src), "--out", str(out))
    assert result.exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["one.json", "two.json"]
    assert json.loads((out / "two.json").read_text(encoding="utf-8"))["doc_id"] == "two"


def test_bad_inputs_are_reported_skipped_and_counted(runner, tmp_path):
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes("Le café est fermé depuis hier.".encode("latin-1"))
    (tmp_path / "windows.txt").write_bytes(OTHER.encode("cp1256"))
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PK")
    (tmp_path / "nodir").mkdir()
    out = tmp_path / "out"
    result = run(runner, "extract", str(tmp_path / "good.txt"), str(tmp_path / "empty.txt"),
                 str(tmp_path / "latin1.txt"), str(tmp_path / "windows.txt"), str(tmp_path / "binary.txt"),
                 str(tmp_path / "missing.txt"),
                 str(tmp_path / "nodir"), "--out", str(out))
    assert result.exit_code == 0  # something was processed
    err = result.stderr
    assert f"{tmp_path / 'empty.txt'}: empty document" in err
    assert f"{tmp_path / 'latin1.txt'}: neither UTF-8" in err
    assert f"{tmp_path / 'windows.txt'}: not UTF-8: read as windows-1256" in err
    assert f"{tmp_path / 'binary.txt'}: binary file" in err
    assert f"{tmp_path / 'missing.txt'}: no such file" in err
    assert f"{tmp_path / 'nodir'}: directory has no readable files" in err
    assert "processed 2, skipped 5" in err
    assert sorted(p.name for p in out.iterdir()) == ["good.json", "windows.json"]


def test_nothing_processed_is_a_failure(runner, tmp_path):
    result = run(runner, "extract", str(tmp_path / "missing.txt"))
    assert result.exit_code == 1
    assert "processed 0, skipped 1" in result.stderr


def jsonl_corpus(path, opener=open):
    lines = [
        json.dumps({"id": "A1", "text": GOOD}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "A2", "body": OTHER}, ensure_ascii=False),
        "",
        json.dumps(["a", "list"]),
        json.dumps({"id": "A3", "text": ""}),
        json.dumps({"text": OTHER, "date": "2019-07-01", "url": "http://x"}, ensure_ascii=False),
    ]
    with opener(path, "wt", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


@pytest.mark.parametrize("gz", [False, True])
def test_jsonl_in_jsonl_out_carries_ids_and_names_bad_lines(runner, tmp_path, gz):
    path = tmp_path / ("corpus.jsonl.gz" if gz else "corpus.jsonl")
    jsonl_corpus(path, gzip.open if gz else open)
    result = run(runner, "extract", str(path), "--format", "jsonl")
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["A1", "corpus-7"]
    assert rows[1]["date"] == "2019-07-01" and rows[1]["meta"]["url"] == "http://x"
    err = result.stderr
    assert f"{path}:2: malformed JSON" in err
    assert f"{path}:3: no text in field 'text'" in err
    assert f"{path}:5: expected a JSON object" in err
    assert "A3" in err or f"{path}:6" in err
    assert "processed 2, skipped 4" in err


def test_text_and_id_fields_can_be_renamed(runner, tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"key": "K9", "body": OTHER}, ensure_ascii=False) + "\n", encoding="utf-8")
    result = run(runner, "extract", str(path), "--format", "jsonl", "--text-field", "body", "--id-field", "key")
    assert json.loads(result.stdout)["id"] == "K9"


def test_jsonl_to_out_file(runner, tmp_path):
    path = tmp_path / "c.jsonl"
    jsonl_corpus(path)
    out = tmp_path / "res.jsonl"
    run(runner, "extract", str(path), "--format", "jsonl", "--out", str(out))
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2


def test_stdin_text_and_stdin_jsonl(runner):
    result = run(runner, "extract", "-", "--format", "json", stdin=GOOD.encode())
    assert json.loads(result.stdout)["doc_id"] == "stdin"
    line = json.dumps({"id": "S1", "text": GOOD}, ensure_ascii=False)
    result = run(runner, "extract", "-", "--format", "jsonl", stdin=line.encode())
    assert json.loads(result.stdout)["id"] == "S1"


def test_oversized_document_is_skipped(runner, tmp_path):
    (tmp_path / "big.txt").write_text(GOOD * 10, encoding="utf-8")
    (tmp_path / "ok.txt").write_text(OTHER, encoding="utf-8")
    result = run(runner, "extract", str(tmp_path), "--max-chars", "200", "--format", "jsonl")
    assert "over the limit" in result.stderr and "processed 1, skipped 1" in result.stderr


def test_malformed_user_dictionary_is_a_clear_error(runner, tmp_path):
    bad = tmp_path / "mine.yaml"
    bad.write_text("- {id: X, name: X, type: BAD, aliases: [حفتر]}\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    result = runner.invoke(main, ["extract", str(tmp_path / "a.txt"), "--dict", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:1: type must be one of" in result.output


def test_user_dictionary_adds_an_actor(runner, tmp_path):
    mine = tmp_path / "mine.yaml"
    mine.write_text("- {id: XX-BRIGADE, name: Falcon Brigade, type: ORG, country: LY, aliases: [كتيبة الصقور]}\n",
                    encoding="utf-8")
    text = tmp_path / "a.txt"
    text.write_text("هاجمت كتيبة الصقور مواقع في سرت.", encoding="utf-8")
    result = run(runner, "extract", str(text), "--dict", str(mine), "--format", "json")
    assert "XX-BRIGADE" in [e["actor_id"] for e in json.loads(result.stdout)["entities"]]


def test_publication_dates_are_read_and_resolve_titles(runner, tmp_path):
    text = "قال وزير الخارجية الأمريكي إن بلاده تدعم الحل السياسي."
    rows = [{"id": "old", "text": text, "published": "Sun, 18 Feb 2018 21:35:43 +0400"},
            {"id": "new", "text": text, "date": "2023-05-01T10:00:00Z"},
            {"id": "bad", "text": text, "date": "someday"}]
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    result = run(runner, "extract", str(path), "--format", "jsonl")
    docs = {d["id"]: d for d in map(json.loads, result.stdout.splitlines())}
    assert docs["old"]["date"] == "2018-02-18" and docs["new"]["date"] == "2023-05-01"
    minister = {k: [e["actor_id"] for e in d["entities"] if e["text"].startswith("وزير")] for k, d in docs.items()}
    assert minister["old"] == ["USA-TILLERSON"]
    assert minister["new"] == ["USA-BLINKEN"]
    assert docs["bad"]["date"] is None
    assert f"{path}:3: unreadable date 'someday'" in result.stderr
    assert "processed 3, skipped 0" in result.stderr


def test_dict_lookup_explains_readings_and_stats_counts(runner):
    result = run(runner, "dict", "lookup", "«للوفاق»")
    assert result.exit_code == 0
    assert "LBY-GNA" in result.output and "actors/libya.yaml:" in result.output and "proclitic" in result.output
    lebanon = run(runner, "dict", "lookup", "طرابلس", "--country", "LB").output
    assert "→ Tripoli (Lebanon) (LB" in lebanon
    assert run(runner, "dict", "lookup", "زخرفستان").exit_code == 1
    stats = run(runner, "dict", "stats").output
    assert "actors" in stats and "places" in stats
