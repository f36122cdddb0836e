"""What a person reads (issue #24): the summary's evidence and Arabic, the closing line, the JSON Lines schema,
the help, the README's commands and the progress bar."""

import json
import re
from io import StringIO
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

import marsad
from marsad.cli import main
from marsad.records import document_schema

EXAMPLES = Path(marsad.__file__).resolve().parent / "data" / "examples"
README = Path(marsad.__file__).resolve().parents[2] / "README.md"
MARIB = str(EXAMPLES / "marib.txt")
DEMO = str(EXAMPLES / "demo.jsonl")


def run(*args, env=None):
    return CliRunner().invoke(main, list(args), catch_exceptions=False, env=env)


def _events(path):
    """Each article's events from --format jsonl, in the order the summary shows them."""
    lines = run("extract", path, "--format", "jsonl").output.splitlines()
    return [[ev["trigger"]["text"] for ev in json.loads(line)["events"]] for line in lines if line.startswith("{")]


def _shown_evidence(path, env):
    out = run("extract", path, env=env).output
    return [line.removeprefix("   evidence: ") for line in out.splitlines() if line.startswith("   evidence: ")]


@pytest.mark.parametrize("path", [MARIB, DEMO])
def test_every_trigger_is_marked_inside_its_shown_evidence(path):
    triggers = [t for doc in _events(path) for t in doc]
    shown = _shown_evidence(path, {"MARSAD_BIDI": "off"})
    assert len(triggers) == len(shown) > 0
    for trigger, evidence in zip(triggers, shown, strict=True):
        assert f"⟦{trigger}⟧" in evidence, (trigger, evidence)
        assert len(evidence) <= 90


def test_the_evidence_window_is_cut_at_words_with_an_ellipsis_on_each_cut_side():
    from marsad.sinks.terminal import evidence_window

    words = [f"كلمة{i}" for i in range(40)]
    sentence = " ".join(words)
    start = sentence.index("كلمة20")
    before, trigger, after = evidence_window(sentence, start, start + len("كلمة20"), 60)
    assert trigger == "كلمة20"
    assert before.startswith("…") and after.endswith("…")
    assert before[1:].split()[0] in words and after[:-1].split()[-1] in words  # whole words only
    assert abs(len(before) - len(after)) <= 8  # centred
    assert len(before + trigger + after) + 2 <= 60


def test_arabic_evidence_is_in_visual_order_with_the_trigger_in_it():
    from bidi import get_display

    triggers = _events(MARIB)[0]
    shown = _shown_evidence(MARIB, {"MARSAD_BIDI": "on"})
    for trigger, evidence in zip(triggers, shown, strict=True):
        assert get_display(trigger) in evidence
    first = shown[0]  # «اليمن: معارك عنيفة على …»: cut at its logical end, so «…» is drawn on the left
    assert first.startswith("…") and first.endswith(get_display("اليمن:"))


def _rows(table_text):
    return [line for line in table_text.splitlines() if line.startswith(("┏", "┃", "┡", "│", "└"))]


def test_arabic_table_cells_are_in_visual_order_right_aligned_and_the_borders_line_up(monkeypatch):
    monkeypatch.setenv("MARSAD_BIDI", "on")  # the test's console is no terminal
    from bidi import get_display

    from marsad.sinks.bidi import bidi_cells

    logical = "المتحدث العسكري باسم الحوثيين يحيى سريع"
    table = Table()
    for col in ("text", "actor"):
        table.add_column(col)
    table.add_row(*bidi_cells(["مأرب", "Marib (YE)"]))
    table.add_row(*bidi_cells([logical, "Yahya Saree [YEM-SAREE]"]))
    console = Console(file=StringIO(), width=50)
    console.print(table)
    lines = _rows(console.file.getvalue())
    assert len({cell_len(line) for line in lines}) == 1  # every border where the one above it is
    cells = [line.split("│")[1] for line in lines if line.startswith("│")]
    assert cells[0].rstrip().endswith(get_display("مأرب"))  # right-aligned
    assert cells[0].startswith("  ")
    width = len(cells[0]) - 2
    wrapped = [c.strip() for c in cells[1:]]  # wrapped in logical order, each line reordered on its own
    assert len(wrapped) > 1
    assert " ".join(get_display(w) for w in wrapped) == logical
    assert all(len(c) - 2 == width for c in cells)


def test_a_cut_arabic_cell_ends_with_the_ellipsis_at_its_logical_end(monkeypatch):
    monkeypatch.setenv("MARSAD_BIDI", "on")  # the test's console is no terminal
    from bidi import get_display

    from marsad.sinks.bidi import bidi_cell, clip_logical

    logical = "أسفرت الاشتباكات عن مقتل 14 مقاتلا على الأقل من الطرفين"
    table = Table()
    table.add_column("evidence", max_width=20)
    table.add_row(bidi_cell(logical, overflow="ellipsis"))
    console = Console(file=StringIO(), width=40)
    console.print(table)
    lines = _rows(console.file.getvalue())
    assert len({cell_len(line) for line in lines}) == 1
    (cell,) = [line.split("│")[1].strip() for line in lines if line.startswith("│")]
    assert cell == get_display(clip_logical(logical, 20))
    assert cell.startswith("…") and get_display(cell).endswith("…")  # the left: where the Arabic stops


def test_the_summary_tables_show_arabic_in_visual_order_unless_marsad_bidi_is_off():
    from bidi import get_display

    on = run("extract", MARIB, env={"MARSAD_BIDI": "on"}).output
    off = run("extract", MARIB, env={"MARSAD_BIDI": "off"}).output
    row = re.compile(r"^│ +(\S+) │ Marib \(YE\)", re.M)
    assert row.search(on).group(1) == get_display("مأرب")  # padded on the left: right-aligned
    assert row.search(off).group(1) == "مأرب"
    for out in (on, off):
        for table in re.findall(r"^┏.*?^└[^\n]*", out, re.M | re.S):  # Actors, then Places
            assert len({cell_len(line) for line in _rows(table)}) == 1


def _oversized(tmp_path):
    (tmp_path / "a.txt").write_text("نص " * 40, encoding="utf-8")
    (tmp_path / "b.txt").write_text("نص " * 41, encoding="utf-8")
    return str(tmp_path)


def test_documents_over_max_chars_are_one_group_in_the_closing_line(tmp_path):
    out = run("extract", _oversized(tmp_path), "--max-chars", "50", "--format", "jsonl").output
    assert "marsad: processed 0, skipped 2 (2 too long (over --max-chars 50))" in out


def test_ingest_groups_them_too(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    out = run("ingest", _oversized(folder), "--db", str(tmp_path / "s.db"), "--max-chars", "50").output
    assert "skipped 2 (2 too long (over --max-chars 50))" in out


def test_the_skip_groups_of_the_readers_limits(tmp_path):
    from marsad.readers.base import skip_category

    found_reading = skip_category("document over the limit of 1,000 characters (--max-chars): a line of 9,000 bytes")
    found_analysing = skip_category("document has 5,000 characters, over the limit of 1,000")
    assert found_reading == found_analysing == "too long (over --max-chars 1,000)"
    assert skip_category("malformed JSON (Expecting value)") == "malformed JSON"


@pytest.mark.parametrize("path", [MARIB, DEMO])
def test_json_lines_output_validates_against_the_shipped_schema(path):
    lines = [line for line in run("extract", path, "--format", "jsonl").output.splitlines() if line.startswith("{")]
    assert lines
    schema = document_schema()
    for line in lines:
        record = json.loads(line)
        assert next(iter(record)) == "id"
        jsonschema.validate(record, schema)


def test_extract_help_says_the_real_default_and_every_kind_of_input():
    text = " ".join(run("extract", "--help").output.split())
    assert "default on a terminal" not in text and "every .txt below it" not in text
    assert "default without --out" in text
    for kind in (".html", ".csv", ".rss", ".atom", ".jsonl"):
        assert kind in text.split("Options:")[0], kind


def test_format_is_case_insensitive():
    result = run("extract", MARIB, "--format", "JSON")
    assert result.exit_code == 0
    assert json.loads(result.output[result.output.index("{"): result.output.rindex("}") + 1])["doc_id"] == "marib"


def test_the_readme_says_how_to_reach_the_command():
    using = README.read_text(encoding="utf-8").split("## Using it", 1)[1].split("\n## ", 1)[0]
    assert ". .venv/bin/activate" in using or ".venv/bin/marsad" in using
    setup = README.read_text(encoding="utf-8")
    assert ".venv/bin/python -m pytest" in setup  # the set-up commands are kept as they were
    assert "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/marsad extract" in setup


class _Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def _render(progress):
    console = Console(file=StringIO(), width=140)
    console.print(progress.make_tasks_table(progress.tasks))
    return console.file.getvalue()


def test_the_progress_bar_labels_its_times_and_waits_before_showing_a_rate():
    from marsad.sinks.progress import progress_bar

    bar = progress_bar(True, 100)
    clock = _Clock()
    bar.get_time = clock
    task = bar.add_task("articles", total=100)
    clock.now = 0.00001
    bar.update(task, advance=1)
    first = _render(bar)
    assert "articles/s" not in first  # one article in ten microseconds is no rate
    clock.now = 8.0
    bar.update(task, advance=99)
    last = _render(bar)
    assert "elapsed 0:00:08, left 0:00:00" in last
    assert re.search(r"\b12\.\d articles/s", last)


def test_the_rate_shows_after_two_seconds_even_with_few_articles():
    from marsad.sinks.progress import progress_bar

    bar = progress_bar(True, None)
    clock = _Clock()
    bar.get_time = clock
    task = bar.add_task("articles", total=None)
    clock.now = 1.0
    bar.update(task, advance=1)
    assert "articles/s" not in _render(bar)
    clock.now = 3.0
    bar.update(task, advance=2)
    shown = _render(bar)
    assert "articles/s" in shown and "elapsed 0:00:03" in shown and "left" not in shown


def test_output_that_is_no_terminal_stays_in_logical_order_unless_asked():
    """A summary piped to a file keeps the text as written; MARSAD_BIDI=on still reorders it."""
    piped = run("extract", MARIB, env={"MARSAD_BIDI": None}).output  # CliRunner's output is no terminal
    row = re.compile(r"^│ +(\S+) │ Marib \(YE\)", re.M)
    assert row.search(piped).group(1) == "مأرب"
