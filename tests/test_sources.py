"""Reading every input format (marsad.sources and marsad.readers): what is read, with which metadata, and
exactly which Skips and Notices bad input gives (all files written here, by these tests)."""

import gzip
import io
import json
import sqlite3

import pytest
from click.testing import CliRunner

from marsad.cli import main
from marsad.sources import InputItem, JsonlFields, Notice, Skip, iter_inputs
from marsad.text.dates import parse_publication_date

GOOD = "اندلعت اشتباكات عنيفة في طرابلس بين قوات الوفاق وقوات حفتر."
OTHER = "قصفت طائرات حربية مواقع في إدلب وقتل خمسة مدنيين."
THIRD = "اعتقلت قوات الأمن ثلاثة أشخاص في حلب بعد مظاهرة."


def read(*paths, input_format="auto", fields=None, stdin=None):
    out = list(iter_inputs([str(p) for p in paths], input_format, fields, stdin=stdin))
    assert all(isinstance(x, InputItem | Skip | Notice) for x in out)
    return out


def split(out):
    return ([x for x in out if isinstance(x, InputItem)], [x for x in out if isinstance(x, Skip)],
            [x for x in out if isinstance(x, Notice)])


# --- directories -------------------------------------------------------------------------------------------

def test_sources_directory_is_walked_and_each_file_read_by_its_extension(tmp_path):
    d = tmp_path / "corpus"
    (d / "sub" / "deeper").mkdir(parents=True)
    (d / ".git").mkdir()
    (d / "a.txt").write_text(GOOD, encoding="utf-8")
    (d / "a.json").write_text(json.dumps({"title": "sidecar"}), encoding="utf-8")  # a's metadata, not an input
    (d / "sub" / "b.jsonl").write_text(json.dumps({"id": "b1", "text": OTHER}, ensure_ascii=False) + "\n",
                                       encoding="utf-8")
    (d / "sub" / "c.csv").write_text(f"id,text\nc1,{THIRD}\n", encoding="utf-8")
    (d / "sub" / "deeper" / "d.html").write_text(f"<html><body><p>{GOOD}</p></body></html>", encoding="utf-8")
    (d / "sub" / "e.rss").write_text(RSS, encoding="utf-8")
    (d / "report.pdf").write_bytes(b"%PDF-1.4")
    (d / "sub" / "notes.docx").write_bytes(b"PK\x03\x04")
    (d / "sub" / "other.pdf").write_bytes(b"%PDF-1.4")
    (d / ".hidden.txt").write_text(GOOD, encoding="utf-8")
    (d / ".git" / "config.txt").write_text(GOOD, encoding="utf-8")
    items, skips, notices = split(read(d))
    assert [i.doc_id for i in items] == ["a", "b1", "c1", "d", "urn:news:1", "https://example.org/a/3"]
    assert items[0].meta["title"] == "sidecar"
    assert [(s.source, s.reason.split(" (")[0]) for s in skips] == \
        [(f"{d / 'sub' / 'e.rss'}#2", "no article text in the feed entry")]
    assert [(n.source, n.message) for n in notices] == [(str(d), "ignored 3 files of other types (.docx, .pdf)")]


def test_sources_directory_without_readable_files_is_one_skip(tmp_path):
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / ".DS_Store").write_bytes(b"\x00")
    out = read(tmp_path)
    assert len(out) == 1 and isinstance(out[0], Skip)
    assert out[0].reason.startswith("directory has no readable files (looked for .txt, .jsonl")
    assert out[0].reason.endswith("; ignored 1 file of other types (.pdf))")


def test_sources_two_files_with_one_name_get_two_output_names(tmp_path):
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "x.txt").write_text(GOOD + sub, encoding="utf-8")
    items, _, _ = split(read(tmp_path))
    assert [i.name for i in items] == ["x", "b__x"]


# --- .txt metadata: front matter and sidecars ----------------------------------------------------------------

FRONT = "---\ntitle: قصف: يوم دام في إدلب\ndate: الأحد 7 نيسان 2019\nurl: https://example.org/1\n" \
        "outlet: \"عنب بلدي\"\nid: art-7\n---\n"


def test_sources_front_matter_is_metadata_and_removed_from_the_text(tmp_path):
    (tmp_path / "a.txt").write_text(FRONT + OTHER, encoding="utf-8")
    (item,) = read(tmp_path / "a.txt")
    assert item.text == OTHER
    assert item.doc_id == "art-7" and item.name == "a"
    assert item.meta == {"title": "قصف: يوم دام في إدلب", "date": "2019-04-07", "url": "https://example.org/1",
                         "outlet": "عنب بلدي"}


def test_sources_front_matter_offsets_point_into_the_stored_body(tmp_path):
    (tmp_path / "a.txt").write_text(FRONT + "\n" + GOOD + " " + OTHER, encoding="utf-8")
    db = tmp_path / "s.db"
    result = CliRunner().invoke(main, ["ingest", str(tmp_path / "a.txt"), "--db", str(db), "-q"])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(db) as con:
        ((text, title, published, url, outlet),) = con.execute(
            "SELECT text, title, published, url, outlet FROM documents").fetchall()
        events = con.execute("SELECT trigger_start, trigger_end, trigger_text FROM events").fetchall()
    assert text == GOOD + " " + OTHER and "---" not in text
    assert (title, published, url, outlet) == ("قصف: يوم دام في إدلب", "2019-04-07", "https://example.org/1",
                                               "عنب بلدي")
    assert len(events) >= 2 and any(start > len(GOOD) for start, _, _ in events)
    assert all(text[start:end] == trigger for start, end, trigger in events)


@pytest.mark.parametrize(("content", "body", "message"), [
    ("---\ntitle: ok\nthis line is not metadata\n---\n" + GOOD, GOOD,
     "malformed front matter (line 3 is not 'key: value'); its metadata is ignored"),
    ("---\ntitle: never closed\n" + GOOD, "---\ntitle: never closed\n" + GOOD,
     "front matter not closed (no '---' line within 100 lines); read as text"),
])
def test_sources_bad_front_matter_is_a_notice_and_the_article_is_kept(tmp_path, content, body, message):
    (tmp_path / "a.txt").write_text(content, encoding="utf-8")
    out = read(tmp_path / "a.txt")
    assert [type(x) for x in out] == [Notice, InputItem]
    assert out[0].message == message and out[0].source == str(tmp_path / "a.txt")
    assert out[1].text == body and "title" not in out[1].meta


@pytest.mark.parametrize("sidecar", ["a.json", "a.meta.json"])
def test_sources_sidecar_metadata_reaches_the_item(tmp_path, sidecar):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / sidecar).write_text(json.dumps({"id": "x-1", "title": "عنوان", "published": "07/04/2019",
                                                "link": "https://example.org/x", "source": "الوسط"},
                                               ensure_ascii=False), encoding="utf-8")
    items, skips, notices = split(read(tmp_path))
    assert not skips and not notices
    (item,) = items
    assert item.doc_id == "x-1" and item.text == GOOD
    assert item.meta["title"] == "عنوان" and item.meta["date"] == "2019-04-07"
    assert item.meta["url"] == "https://example.org/x" and item.meta["source"] == "الوسط"


def test_sources_malformed_sidecar_is_a_notice(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "a.json").write_text("{title: no quotes", encoding="utf-8")
    out = read(tmp_path / "a.txt")
    assert [type(x) for x in out] == [Notice, InputItem]
    assert out[0].message.startswith("malformed metadata file a.json (")
    assert out[1].doc_id == "a" and out[1].meta == {}


def test_sources_unreadable_metadata_date_is_a_notice(tmp_path):
    (tmp_path / "a.txt").write_text("---\ndate: soon\n---\n" + GOOD, encoding="utf-8")
    out = read(tmp_path / "a.txt")
    assert [type(x) for x in out] == [Notice, InputItem]
    assert out[0].message == "unreadable date 'soon'; the article is processed without a date"
    assert "date" not in out[1].meta


def write_index_dir(d, lines):
    for name, text in (("a", GOOD), ("b", OTHER), ("c", "---\ntitle: من المقدمة\n---\n" + THIRD)):
        (d / f"{name}.txt").write_text(text, encoding="utf-8")
    (d / "index.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_sources_index_jsonl_beside_txt_files_is_their_metadata_not_articles(tmp_path):
    write_index_dir(tmp_path, [
        json.dumps({"name": "a", "published": "2018-04-29", "title": "عنوان أ", "outlet": None}, ensure_ascii=False),
        "{broken",
        json.dumps({"title": "no name"}),
        json.dumps({"file": "c.txt", "title": "من الفهرس", "url": "https://example.org/c"}, ensure_ascii=False),
    ])
    items, skips, notices = split(read(tmp_path))
    assert not skips and [i.doc_id for i in items] == ["a", "b", "c"]
    a, b, c = items
    assert a.meta["date"] == "2018-04-29" and a.meta["title"] == "عنوان أ" and "outlet" not in a.meta
    assert b.meta == {}
    assert c.meta["title"] == "من المقدمة" and c.meta["url"] == "https://example.org/c"  # front matter wins
    # each problem of the index is told once, with the file it is in, not once per article
    messages = [n.message for n in notices]
    assert len(messages) == 2 and all("index.jsonl" in m for m in messages)
    assert messages[0].startswith("malformed line 2 of the index index.jsonl")
    assert messages[1].startswith("line 3 of the index index.jsonl names no article")


def test_sources_index_jsonl_without_txt_files_is_read_as_articles(tmp_path):
    (tmp_path / "index.jsonl").write_text(json.dumps({"id": "r1", "text": GOOD}) + "\n", encoding="utf-8")
    items, skips, _ = split(read(tmp_path))
    assert not skips and [i.doc_id for i in items] == ["r1"]


def test_sources_changed_index_is_read_again(tmp_path):
    write_index_dir(tmp_path, [json.dumps({"name": "a", "title": "الأول"}, ensure_ascii=False)])
    assert split(read(tmp_path / "a.txt"))[0][0].meta["title"] == "الأول"
    write_index_dir(tmp_path, [json.dumps({"name": "a", "title": "الثاني الجديد"}, ensure_ascii=False)])
    assert split(read(tmp_path / "a.txt"))[0][0].meta["title"] == "الثاني الجديد"


# --- CSV and TSV -------------------------------------------------------------------------------------------

def test_sources_csv_rows_with_exact_skips_by_physical_line(tmp_path):
    long_text = GOOD * 4000  # over csv's default 128 KiB field limit
    csv_text = (
        "id,title,date,text,link,site\n"                                  # 1
        f"r1,عنوان,2019-04-07,{GOOD},https://example.org/1,الوسط\n"       # 2
        f'r2,,07/04/2019,"{OTHER}\nسطر ثان, بفاصلة",,\n'                  # 3-4: a quoted field over two lines
        "r3,too,few\n"                                                    # 5
        "\n"                                                              # 6: blank, ignored
        "r4,,,  ,,\n"                                                     # 7: empty text
        f",,,{long_text},,\n"                                              # 8: no id: FILE-LINE
        f'r6,,,"{THIRD}" extra,,\n'                                       # 9: text after a closing quote
        f'r7,,,"{THIRD},,\n'                                              # 10: a quote never closed
    )
    path = tmp_path / "news.csv"
    path.write_text(csv_text, encoding="utf-8")
    items, skips, notices = split(read(path))
    assert not notices
    assert [(i.doc_id, i.source) for i in items] == [("r1", f"{path}:2"), ("r2", f"{path}:3"),
                                                     ("news-8", f"{path}:8")]
    assert items[0].text == GOOD
    assert items[0].meta == {"id": "r1", "title": "عنوان", "date": "2019-04-07", "link": "https://example.org/1",
                             "site": "الوسط", "url": "https://example.org/1", "outlet": "الوسط"}
    assert items[1].text == f"{OTHER}\nسطر ثان, بفاصلة" and items[1].meta["date"] == "2019-04-07"
    assert items[2].text == long_text
    assert [(s.source, s.reason) for s in skips] == [
        (f"{path}:5", "malformed CSV row (3 fields, the header has 6)"),
        (f"{path}:7", "no article text in the row (column 'text' is empty)"),
        (f"{path}:9", "malformed CSV row (',' expected after '\"')"),
        (f"{path}:10", "malformed CSV row (an unclosed quote runs to the end of the file)"),
    ]


def test_sources_csv_without_a_text_column_is_one_skip_naming_the_columns(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(f"headline,story\nعنوان,{GOOD}\nعنوان,{OTHER}\n", encoding="utf-8")
    (skip,) = read(path)
    assert skip == Skip(str(path), "no text column (the columns are headline, story; "
                                   "name the one with the article with --text-field)")
    items, _, _ = split(read(path, fields=JsonlFields(text="story")))
    assert [i.text for i in items] == [GOOD, OTHER] and items[0].meta["title"] == "عنوان"


def test_sources_csv_common_column_names_and_tsv_and_gzip(tmp_path):
    (tmp_path / "a.tsv").write_text(f"ID\tContent\tpubDate\turl\n7\t{GOOD}\t٧ أبريل ٢٠١٩\thttps://x/1\n",
                                    encoding="utf-8")
    (tmp_path / "b.csv.gz").write_bytes(gzip.compress(f"body,published\n{OTHER},2019/04/07\n".encode()))
    (tmp_path / "c.csv").write_text(f"article;date\n{THIRD};2019-04-07\n", encoding="utf-8")  # Excel's ';'
    items, skips, _ = split(read(tmp_path / "a.tsv", tmp_path / "b.csv.gz", tmp_path / "c.csv"))
    assert not skips
    assert [(i.doc_id, i.text, i.meta["date"]) for i in items] == [
        ("7", GOOD, "2019-04-07"), ("b-2", OTHER, "2019-04-07"), ("c-2", THIRD, "2019-04-07")]
    assert items[0].meta["url"] == "https://x/1"


def test_sources_csv_in_windows_1256_is_read_with_a_notice(tmp_path):
    path = tmp_path / "w.csv"
    path.write_bytes(f"id,text,title\nw1,{GOOD},عنوان\nw2,{OTHER},\n".encode("cp1256"))
    out = read(path)
    assert [type(x) for x in out] == [Notice, InputItem, InputItem]
    assert out[0] == Notice(str(path), "not UTF-8: read as windows-1256")
    assert out[1].text == GOOD and out[1].meta["title"] == "عنوان" and out[1].meta["encoding"] == "windows-1256"
    assert out[2].text == OTHER


def test_sources_utf16_files_from_notepad_and_excel_are_read_with_a_notice(tmp_path):
    (tmp_path / "n.txt").write_bytes(GOOD.encode("utf-16"))  # with its byte-order mark
    (tmp_path / "x.tsv").write_bytes(f"id\ttext\nu1\t{OTHER}\n".encode("utf-16"))  # Excel's "Unicode text"
    out = read(tmp_path / "n.txt", tmp_path / "x.tsv")
    assert [type(x) for x in out] == [Notice, InputItem, Notice, InputItem]
    assert out[0].message == "not UTF-8: read as utf-16" and out[1].text == GOOD
    assert (out[3].doc_id, out[3].text, out[3].meta["encoding"]) == ("u1", OTHER, "utf-16")


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty CSV file (no header row)"),
    (b"id,text\n", "no rows in the CSV file (only a header)"),
    (b"id,text\n\x00\x01\x02", "binary file (contains NUL bytes), not text"),
    (b"\x1f\x8b\x08\xff\xfebroken", "neither UTF-8 (bad byte at offset 1) nor Arabic in Windows-1256"),
])
def test_sources_unusable_csv_files_are_one_skip(tmp_path, data, reason):
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    (skip,) = read(path)
    assert isinstance(skip, Skip) and skip.reason.startswith(reason)


def test_sources_truncated_csv_gz_is_a_skip(tmp_path):
    path = tmp_path / "t.csv.gz"
    path.write_bytes(gzip.compress(f"id,text\n1,{GOOD}\n".encode())[:20])
    (skip,) = read(path)
    assert isinstance(skip, Skip) and skip.reason.startswith("cannot read:")


# --- HTML pages ----------------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="{charset}">
<title>اشتباكات في طرابلس | الوسط</title>
{head}
<style>p {{ color: red }}</style>
</head><body>
<nav><ul><li><a href="/">الرئيسية</a></li><li><a href="/x">سياسة</a></li></ul></nav>
<article><h1>اشتباكات عنيفة</h1>
<p>{good}</p>
<script>alert(1)</script>
<p>وقالت مصادر محلية إن القصف طال   أحياء سكنية
جنوب المدينة.<br>وأضافت أن <b>عدداً</b> من المدنيين قتلوا.</p>
<p>{other}</p>
<p>{third}</p>
</article>
<footer><p>جميع الحقوق محفوظة</p></footer>
<script>var tracking = "do not read me";</script>
</body></html>"""


def page(head: str = "", charset: str = "utf-8") -> str:
    return PAGE.format(head=head, charset=charset, good=GOOD, other=OTHER, third=THIRD)


def test_sources_html_text_has_paragraphs_and_never_script_text(tmp_path):
    path = tmp_path / "p.html"
    path.write_text(page(), encoding="utf-8")
    (item,) = read(path)
    assert "alert" not in item.text and "tracking" not in item.text and "color" not in item.text
    assert GOOD in item.text and OTHER in item.text and THIRD in item.text
    assert "قتلوا." in item.text and "جميع الحقوق" not in item.text  # readability dropped the footer
    assert "طال أحياء سكنية جنوب المدينة.\nوأضافت أن عدداً من" in item.text  # whitespace collapsed, <br> kept
    assert f"{GOOD}\n\n" in item.text
    assert item.doc_id == "p" and item.meta == {"title": "اشتباكات في طرابلس | الوسط"}


def test_sources_html_metadata_from_the_head(tmp_path):
    path = tmp_path / "p.htm"
    path.write_text(page("""<meta property="og:title" content="اشتباكات عنيفة في طرابلس">
<meta property="og:site_name" content="الوسط"><meta property="og:url" content="https://example.org/og">
<meta property="article:published_time" content="2019-04-07T23:30:00+02:00">
<link rel="canonical" href="https://example.org/news/1">
<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2018-01-01"}</script>"""),
                    encoding="utf-8")
    (item,) = read(path)
    assert item.meta == {"title": "اشتباكات عنيفة في طرابلس", "outlet": "الوسط", "url": "https://example.org/news/1",
                         "date": "2019-04-07"}
    assert "NewsArticle" not in item.text


@pytest.mark.parametrize(("head", "date"), [
    ('<script type="application/ld+json">[{"@graph": [{"@type": "NewsArticle", '
     '"datePublished": "2019-04-06T10:00:00+03:00"}]}]</script>', "2019-04-06"),
    ('<meta name="pubdate" content="الأحد 7 نيسان 2019">', "2019-04-07"),
    ('<meta itemprop="datePublished" content="07/04/2019">', "2019-04-07"),
    ('</head><body><time datetime="2019-04-05">5 أبريل</time><head>', "2019-04-05"),
    ('</head><body><time datetime="2020-01-01">اليوم</time><span itemprop="datePublished" '
     'datetime="2019-04-04">4 أبريل</span><head>', "2019-04-04"),  # schema.org before the header's clock
])
def test_sources_html_dates_from_json_ld_meta_and_time(tmp_path, head, date):
    path = tmp_path / "p.html"
    path.write_text(page(head), encoding="utf-8")
    (item,) = read(path)
    assert item.meta["date"] == date


def test_sources_html_charsets(tmp_path):
    declared = tmp_path / "declared.html"
    declared.write_bytes(page(charset="windows-1256").encode("cp1256"))
    guessed = tmp_path / "guessed.html"
    guessed.write_bytes(page(charset="utf-8").replace('<meta charset="utf-8">', "").encode("cp1256"))
    bom = tmp_path / "bom.html"
    bom.write_bytes(b"\xef\xbb\xbf" + page(charset="windows-1256").encode("utf-8"))  # the BOM wins
    out = read(declared, guessed, bom)
    assert [type(x) for x in out] == [InputItem, Notice, InputItem, InputItem]
    assert out[0].meta["encoding"] == "windows-1256" and GOOD in out[0].text
    assert out[1] == Notice(str(guessed), "not UTF-8: read as windows-1256 (the page declares no charset)")
    assert out[2].meta["encoding"] == "windows-1256" and GOOD in out[2].text
    assert "encoding" not in out[3].meta and GOOD in out[3].text


def test_sources_html_charset_in_http_equiv(tmp_path):
    path = tmp_path / "old.html"
    path.write_bytes(page().replace('<meta charset="utf-8">', '<meta http-equiv="Content-Type" '
                                    'content="text/html; charset=windows-1256">').encode("cp1256"))
    out = read(path)
    assert [type(x) for x in out] == [InputItem] and GOOD in out[0].text
    assert out[0].meta["encoding"] == "windows-1256"


def test_sources_sidecar_named_on_the_command_line_is_not_an_article(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "a.json").write_text(json.dumps({"title": "t"}), encoding="utf-8")
    out = read(tmp_path / "a.json", tmp_path / "a.txt")  # as `marsad extract dir/*` gives them
    assert [type(x) for x in out] == [Notice, InputItem] and out[1].meta == {"title": "t"}


def test_sources_html_falls_back_to_the_pages_paragraphs_when_readability_misses_them(tmp_path):
    # readability passes over a block whose class looks like comments and picks the comma-rich junk
    path = tmp_path / "miss.html"
    path.write_text(f"<html><body><div class='comment'><p>{GOOD}<script>alert(1)</script></p><p>{OTHER}</p></div>"
                    f"<div class='content'>{'كلام، ' * 50}</div></body></html>", encoding="utf-8")
    (item,) = read(path)
    assert item.text == f"{GOOD}\n\n{OTHER}"


def test_sources_html_to_text_drops_script_and_style_inside_paragraphs():
    from marsad.readers.html import html_to_text

    fragment = (f"<p>{GOOD}<script>alert(1)</script><style>p {{color: red}}</style> <noscript>x</noscript>"
                f"</p><ul><li>{OTHER}</li><li>{THIRD}</li></ul>")
    assert html_to_text(fragment) == f"{GOOD}\n\n{OTHER}\n\n{THIRD}"


@pytest.mark.parametrize("data", [
    b"",
    b"   \n",
    b"<html><head><title>t</title><script>alert(1)</script></head><body><img src=x></body></html>",
    b"<html><body><script>document.write('text')</script><style>p{}</style></body></html>",
])
def test_sources_html_without_text_is_a_skip(tmp_path, data):
    path = tmp_path / "empty.html"
    path.write_bytes(data)
    (skip,) = read(path)
    assert skip == Skip(str(path), "no article text in the HTML (neither readability nor the page's paragraphs "
                                   "found any)")


def test_sources_hostile_html_never_raises(tmp_path):
    for n, data in enumerate([b"<" * 5000, b"<html>" + b"<div>" * 3000 + GOOD.encode() + b"</html>",
                              b"\xff\xfe<\x00h\x00", b"<?xml version='1.0' encoding='utf-8'?><p>" + GOOD.encode(),
                              b"<html><body><p>" + b"\xd8" * 50 + b"</p></body></html>"]):
        path = tmp_path / f"h{n}.html"
        path.write_bytes(data)
        out = read(path)
        assert out and all(isinstance(x, InputItem | Skip | Notice) for x in out)
    (item,) = read(tmp_path / "h3.html")
    assert item.text == GOOD


# --- RSS and Atom feeds --------------------------------------------------------------------------------------

RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>وكالة الأنباء</title><link>https://example.org</link><description>أخبار</description>
<item><title>قصف على إدلب</title><link>https://example.org/a/1</link><guid>urn:news:1</guid>
<pubDate>Sun, 07 Apr 2019 01:30:00 +0300</pubDate>
<description>ملخص قصير</description>
<content:encoded><![CDATA[<p>{OTHER}</p><script>alert(1)</script><p>{GOOD}</p>]]></content:encoded></item>
<item><title>بلا نص</title><link>https://example.org/a/2</link></item>
<item><title>وصف فقط</title><link>https://example.org/a/3</link><pubDate>الأحد 7 نيسان 2019</pubDate>
<description>&lt;p&gt;{THIRD}&lt;/p&gt;</description></item>
</channel></rss>
"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>المرصد</title><id>urn:feed</id>
<updated>2019-04-08T00:00:00Z</updated>
<entry><title>اشتباكات</title><id>tag:example.org,2019:1</id><link href="https://example.org/e/1"/>
<published>2019-04-07T23:30:00+03:00</published><updated>2019-04-08T01:00:00+03:00</updated>
<content type="html">&lt;p&gt;{GOOD}&lt;/p&gt;</content></entry>
<entry><title>ملخص</title><updated>2019-04-06T10:00:00Z</updated><summary>{THIRD}</summary></entry>
<entry><title>موعد</title><published>قريبا</published><summary>{OTHER}</summary></entry>
</feed>
"""


def test_sources_rss_entries_with_exact_skips(tmp_path):
    path = tmp_path / "news.rss"
    path.write_text(RSS, encoding="utf-8")
    items, skips, notices = split(read(path))
    assert not notices
    assert [(i.doc_id, i.source, i.name) for i in items] == [("urn:news:1", f"{path}#1", "news-1"),
                                                             ("https://example.org/a/3", f"{path}#3", "news-3")]
    assert items[0].text == f"{OTHER}\n\n{GOOD}" and "alert" not in items[0].text
    # the publisher's day: 01:30 in +03:00 is still 7 April, though it is 6 April in UTC
    assert items[0].meta == {"title": "قصف على إدلب", "url": "https://example.org/a/1", "outlet": "وكالة الأنباء",
                             "date": "2019-04-07"}
    assert items[1].text == THIRD and items[1].meta["date"] == "2019-04-07"
    assert skips == [Skip(f"{path}#2", "no article text in the feed entry (no content, summary or description)")]


def test_sources_atom_entries(tmp_path):
    path = tmp_path / "feed.atom"
    path.write_text(ATOM, encoding="utf-8")
    out = read(path)
    items, skips, notices = split(out)
    assert not skips
    assert [(i.doc_id, i.text, i.meta.get("date")) for i in items] == [
        ("tag:example.org,2019:1", GOOD, "2019-04-07"), ("feed-2", THIRD, "2019-04-06"), ("feed-3", OTHER, None)]
    assert items[0].meta["outlet"] == "المرصد" and items[0].meta["url"] == "https://example.org/e/1"
    assert notices == [Notice(f"{path}#3", "unreadable date 'قريبا'; the article is processed without a date")]


@pytest.mark.parametrize(("data", "reason"), [
    (b"hello, this is not a feed", "not a feed (SAXParseException: "),
    (b"<?xml version='1.0'?><config><a>1</a></config>", "not a feed (well-formed XML, but no RSS or Atom elements)"),
    (b"<rss version='2.0'><channel><title>x</title></channel></rss>", "feed has no entries (rss20)"),
    (b"<feed xmlns='http://www.w3.org/2005/Atom'><title>x</title></feed>", "feed has no entries (atom10)"),
])
def test_sources_not_a_feed_is_one_skip(tmp_path, data, reason):
    path = tmp_path / "x.xml"
    path.write_bytes(data)
    (skip,) = read(path)
    assert isinstance(skip, Skip) and skip.source == str(path) and skip.reason.startswith(reason)


def test_sources_broken_feed_is_read_leniently_with_a_notice(tmp_path):
    path = tmp_path / "broken.rss"
    path.write_text(f"<rss version='2.0'><channel><title>x</title><item><title>a & b</title>"
                    f"<description>{GOOD}</description></item>", encoding="utf-8")
    out = read(path)
    assert [type(x) for x in out] == [Notice, InputItem]
    assert out[0].message.startswith("feed is not well-formed (") and out[1].text == GOOD


# --- --input-format and standard input ------------------------------------------------------------------------

def test_sources_explicit_format_forces_the_reader(tmp_path):
    path = tmp_path / "table.txt"
    path.write_text(f"id,text\nt1,{GOOD}\n", encoding="utf-8")
    (item,) = read(path, input_format="csv")
    assert (item.doc_id, item.text, item.source) == ("t1", GOOD, f"{path}:2")
    (item,) = read(path)  # auto: a .txt is text
    assert item.text.startswith("id,text")


@pytest.mark.parametrize(("data", "input_format", "doc_id", "text"), [
    (f"<html><body><p>{GOOD}</p></body></html>".encode(), "auto", "stdin", GOOD),
    (RSS.encode(), "auto", "urn:news:1", f"{OTHER}\n\n{GOOD}"),
    (f"text\n{GOOD}\n".encode(), "csv", "stdin-2", GOOD),
    (f"---\ntitle: t\n---\n{GOOD}".encode(), "auto", "stdin", GOOD),
])
def test_sources_standard_input_in_each_format(data, input_format, doc_id, text):
    items, _, _ = split(read("-", input_format=input_format, stdin=io.BytesIO(data)))
    assert (items[0].doc_id, items[0].text) == (doc_id, text)


def test_cli_input_format_choices_are_the_readers():
    from marsad.cli_store import ingest_command
    from marsad.sources import FORMATS

    for command in (main.commands["extract"], ingest_command):
        (option,) = [p for p in command.params if p.name == "input_format"]
        assert tuple(option.type.choices) == FORMATS, command.name


def test_cli_reads_new_formats_and_reports_by_category(tmp_path):
    (tmp_path / "news.rss").write_text(RSS, encoding="utf-8")
    (tmp_path / "t.csv").write_text(f"id,text\n1,{GOOD}\n2,\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(tmp_path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert len([x for x in result.stdout.splitlines() if x.startswith("{")]) == 3
    assert "processed 3, skipped 2 (1 no article text in the feed entry; 1 no article text in the row)" \
        in result.stderr
    forced = CliRunner().invoke(main, ["extract", str(tmp_path / "t.csv"), "--input-format", "feed"])
    assert "not a feed" in forced.stderr


# --- publication dates in metadata ----------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    ("7 أبريل 2019", "2019-04-07"),
    ("الأحد 7 نيسان 2019", "2019-04-07"),
    ("٧ أبريل ٢٠١٩", "2019-04-07"),
    ("2019/04/07", "2019-04-07"),
    ("07/04/2019", "2019-04-07"),          # day first, as Arabic sites write it
    ("04/25/2019", "2019-04-25"),          # only month first makes sense
    ("2019-04-07 10:30", "2019-04-07"),
    ("الأحد، 7 نيسان/أبريل 2019 - 10:30", "2019-04-07"),
    ("15 كانون الثاني 2020", "2020-01-15"),  # a two-word Levantine month
    ("3 تشرين الأول/أكتوبر 2018", "2018-10-03"),
    ("12 جوان 2019", "2019-06-12"),          # Maghrebi
    ("نشر في 1 من مارس 2021", "2021-03-01"),
    ("٢٠١٩/٠٤/٠٧", "2019-04-07"),
    ("07.04.2019", "2019-04-07"),
    ("7 April 2019", "2019-04-07"),
    ("Sun, 07 Apr 2019 01:30:00 +0300", "2019-04-07"),
    ("2019-04-07T23:30:00-05:00", "2019-04-07"),  # the written day, not UTC's
    ("32 أبريل 2019", None),
    ("30/02/2019", None),
    ("7 أبريل", None),                       # no year: not a publication date
    ("قريبا", None),
    ("", None),
])
def test_sources_publication_dates_in_metadata(value, expected):
    assert parse_publication_date(value) == expected
