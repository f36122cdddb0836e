"""Saved web pages (.html, .htm): the article's text by readability-lxml, its metadata from the page head.

readability-lxml finds the block that holds the article and drops menus,
comments and footers; on short pages it sometimes picks the wrong block, so
when it keeps less than half of the text of the page's paragraphs, the
paragraphs themselves are the text. Scripts and styles never become text.
"""

from __future__ import annotations

import codecs
import json
import logging
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from marsad.readers.base import (
    DEFAULT_MAX_CHARS,
    InputItem,
    Item,
    Notice,
    Skip,
    decode,
    decoded_as,
    encoding_notice,
    read_bytes,
    standard_meta,
)

SUFFIXES = (".html", ".htm")

_DROP = ("script", "style", "noscript", "template", "head", "svg", "iframe", "object")
_BLOCKS = frozenset(("address", "article", "aside", "blockquote", "caption", "dd", "details", "div", "dl", "dt",
                     "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
                     "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody",
                     "td", "tfoot", "th", "thead", "tr", "ul", "body", "html"))
_SPACE = re.compile(r"\s+")
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.IGNORECASE)
_NO_TEXT = "no article text in the HTML (neither readability nor the page's paragraphs found any)"
_DATE_META = ("article:published_time", "og:published_time", "date", "pubdate", "publishdate", "publish-date",
              "datepublished", "dc.date", "dc.date.issued", "dcterms.created", "sailthru.date")


@lru_cache(maxsize=1)
def _lxml() -> Any:
    import lxml.etree
    import lxml.html

    return lxml


@lru_cache(maxsize=1)
def _readability() -> Any:
    import readability

    # readability logs a traceback for pages it cannot parse; the reader reports those as Skips itself.
    logging.getLogger("readability.readability").setLevel(logging.CRITICAL)
    return readability


def _parse(markup: str) -> Any:
    """An lxml tree of ``markup``, parsed as UTF-8 bytes (lxml rejects str with an encoding declaration)."""
    lxml = _lxml()
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    return lxml.html.document_fromstring(markup.encode("utf-8", "surrogatepass"), parser=parser)


def _drop_non_text(root: Any) -> None:
    for el in list(root.iter(*_DROP)):
        if el.getparent() is not None:
            el.drop_tree()


def _tree_text(root: Any) -> str:
    """Plain text of an element: block elements become paragraph breaks, ``<br>`` a line break."""
    lxml = _lxml()
    pieces: list[str] = []
    for event, el in lxml.etree.iterwalk(root, events=("start", "end")):
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag == "br":
                pieces.append("\n")
            elif tag in _BLOCKS:
                pieces.append("\n\n")
            if el.text:
                pieces.append(_SPACE.sub(" ", el.text))
        else:
            if tag in _BLOCKS:
                pieces.append("\n\n")
            if el.tail and el is not root:
                pieces.append(_SPACE.sub(" ", el.tail))
    lines = [line.strip() for line in "".join(pieces).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(markup: str) -> str:
    """Plain text with paragraph breaks from an HTML page or fragment (a feed's content, readability's summary)."""
    if not markup.strip():
        return ""
    root = _parse(markup)
    _drop_non_text(root)
    return _tree_text(root)


def decode_html(data: bytes, label: str) -> tuple[str | Skip, str, bool]:
    """``(text, encoding, guessed)``: by byte-order mark, else the page's ``<meta charset>``, else as .txt files are.

    ``guessed`` is True when Windows-1256 was assumed without the page saying so.
    """
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = decode(data, label)  # the byte-order mark decides, whatever the page declares
        return text, ("" if isinstance(text, Skip) else decoded_as(text)), False
    m = _META_CHARSET.search(data[:4096])
    if m and b"\x00" not in data[:8192]:
        try:
            name = codecs.lookup(m.group(1).decode("ascii")).name
            text = data.decode(name)
            return text, re.sub(r"^cp(125\d)$", r"windows-\1", name), False  # the name .txt files are noted with
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown declaration: decode as if there were none
    text = decode(data, label)
    if isinstance(text, Skip):
        return text, "", False
    return text, decoded_as(text), decoded_as(text) == "windows-1256"


def _json_ld_date(root: Any) -> str | None:
    def find(node: Any) -> str | None:
        if isinstance(node, dict):
            value = node.get("datePublished")
            if isinstance(value, str) and value.strip():
                return value
            nodes = list(node.values())
        elif isinstance(node, list):
            nodes = node
        else:
            return None
        for child in nodes:
            found = find(child)
            if found:
                return found
        return None

    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() == "application/ld+json" and script.text:
            try:
                found = find(json.loads(script.text))
            except (json.JSONDecodeError, RecursionError):
                continue
            if found:
                return found
    return None


def page_meta(root: Any) -> dict[str, str]:
    """Title, date, URL and outlet as the page's head (Open Graph, schema.org, JSON-LD) gives them."""
    metas: dict[str, str] = {}
    for el in root.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        content = (el.get("content") or "").strip()
        if key and content:
            metas.setdefault(key, content)
    out: dict[str, str] = {}
    title = metas.get("og:title") or next((_SPACE.sub(" ", t.text_content()).strip() for t in root.iter("title")), "")
    if title:
        out["title"] = title
    date = next((metas[k] for k in _DATE_META if k in metas), None) or _json_ld_date(root)
    # schema.org markup before a bare <time>: the first <time> on a page is often the header's clock
    candidates = [*root.xpath("//*[@itemprop='datePublished']"), *root.iter("time")]
    for el in candidates if not date else ():
        date = (el.get("datetime") or el.get("content") or "").strip() or None
        if date:
            break
    if date:
        out["date"] = date
    canonical = next((el.get("href") for el in root.iter("link")
                      if "canonical" in (el.get("rel") or "").lower().split() and el.get("href")), None)
    if canonical or metas.get("og:url"):
        out["url"] = (canonical or metas["og:url"]).strip()
    if metas.get("og:site_name"):
        out["outlet"] = metas["og:site_name"]
    return out


def _paragraphs(root: Any) -> list[str]:
    return [p for p in (_tree_text(el) for el in root.iter("p")) if p]


def read_html(data: bytes, label: str, doc_id: str, name: str) -> Iterator[Item]:
    """One article from the bytes of a saved page; never raises on a bad page."""
    text, encoding, guessed = decode_html(data, label)
    if isinstance(text, Skip):
        yield text
        return
    if guessed:
        yield Notice(label, "not UTF-8: read as windows-1256 (the page declares no charset)")
    elif getattr(text, "replaced", 0):
        yield from encoding_notice(text, label, data)
    if not text.strip():
        yield Skip(label, _NO_TEXT)
        return
    try:
        root = _parse(str(text))
        meta, notices = standard_meta(page_meta(root), label)
        _drop_non_text(root)
        paragraphs = _paragraphs(root)
        try:
            body = html_to_text(_readability().Document(str(text)).summary())
        except _readability().readability.Unparseable:
            body = ""
    except Exception as exc:  # lxml and readability raise many types on hostile pages; report, never crash
        yield Skip(label, f"cannot parse the HTML ({type(exc).__name__}: {exc})")
        return
    flat = _SPACE.sub(" ", body)
    kept = {_SPACE.sub(" ", p) for p in body.split("\n\n")}  # a set first: pages can have thousands of <p>
    covered = sum(len(p) for p in paragraphs if _SPACE.sub(" ", p) in kept or _SPACE.sub(" ", p) in flat)
    if covered < 0.5 * sum(len(p) for p in paragraphs):
        body = "\n\n".join(paragraphs)
    if not body.strip():
        yield Skip(label, _NO_TEXT)
        return
    yield from notices
    if encoding != "utf-8":
        meta["encoding"] = encoding
    yield InputItem(doc_id, body, label, meta, name)


def page_cap(max_chars: int) -> int:
    """The largest page or feed file read: its text is a small part of its markup, so a generous multiple."""
    return 16 * max_chars + (1 << 20)


def read_html_file(path: Path, name: str | None = None, max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Item]:
    cap = page_cap(max_chars)
    data = read_bytes(path, cap, f"a page of over {cap:,} bytes")
    if isinstance(data, Skip):
        yield data
        return
    yield from read_html(data, str(path), path.stem, name or path.stem)
