"""RSS and Atom feeds (.rss, .atom, .xml): one article per entry, parsed by feedparser.

feedparser reads RSS 0.9x–2.0, RSS 1.0 and Atom, and is lenient with the
broken XML many outlets publish. The publication day is taken from the date
string as written: feedparser's own ``published_parsed`` is converted to
UTC, which moves a late-evening article in Baghdad or Tripoli to the next day.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from marsad.readers.base import DEFAULT_MAX_CHARS, InputItem, Item, Notice, Skip, read_bytes, stem_of
from marsad.readers.html import html_to_text
from marsad.text.dates import parse_publication_date

SUFFIXES = (".rss", ".atom", ".xml")


@lru_cache(maxsize=1)
def feedparser_module() -> Any:
    import feedparser

    return feedparser


def entry_text(entry: Any) -> str:
    """content:encoded / Atom content, else summary / description, as plain text."""
    parts = [c for c in entry.get("content") or [] if (c.get("value") or "").strip()]
    if parts:
        chosen = max(parts, key=lambda c: len(c["value"]))
        value, kind = chosen["value"], chosen.get("type") or "text/html"
    else:
        detail = entry.get("summary_detail") or {}
        value, kind = entry.get("summary") or "", detail.get("type") or "text/html"
    if "html" in kind:
        return html_to_text(value)
    return value.strip()


def entry_date(entry: Any) -> tuple[str | None, str | None]:
    """``(iso_date, raw)``: the publisher's day, from the written string first (see the module docstring)."""
    for key in ("published", "updated", "created"):
        raw = entry.get(key)
        if raw:
            parsed = parse_publication_date(raw)
            if parsed:
                return parsed, raw
            struct = entry.get(f"{key}_parsed")
            if struct:
                return dt.datetime.fromtimestamp(calendar.timegm(struct), dt.UTC).date().isoformat(), raw
            return None, raw
    return None, None


def read_feed(data: bytes, label: str) -> Iterator[Item]:
    """One InputItem per entry (source ``FILE#N``); a file that is not a feed is one Skip."""
    feedparser = feedparser_module()
    try:
        feed = feedparser.parse(data)
    except Exception as exc:  # feedparser catches most errors itself; a crash here must not end the run
        yield Skip(label, f"cannot parse the feed ({type(exc).__name__}: {exc})")
        return
    entries = feed.get("entries") or []
    if not entries:
        why = feed.get("bozo_exception")
        if feed.get("version"):
            yield Skip(label, f"feed has no entries ({feed['version']}" + (f"; {why})" if why else ")"))
        else:
            detail = f"{type(why).__name__}: {why}" if why else "well-formed XML, but no RSS or Atom elements"
            yield Skip(label, f"not a feed ({detail})")
        return
    if feed.get("bozo") and not isinstance(feed.get("bozo_exception"), feedparser.CharacterEncodingOverride):
        yield Notice(label, f"feed is not well-formed ({feed.get('bozo_exception')}); "
                            f"read {len(entries)} entries leniently")
    outlet = (feed.get("feed") or {}).get("title")
    stem = stem_of(label)
    for n, entry in enumerate(entries, 1):
        source = f"{label}#{n}"
        try:
            text = entry_text(entry)
        except Exception as exc:  # an entry's HTML that lxml cannot parse: skip the entry, not the feed
            yield Skip(source, f"cannot parse the entry's HTML ({type(exc).__name__}: {exc})")
            continue
        if not text:
            yield Skip(source, "no article text in the feed entry (no content, summary or description)")
            continue
        meta: dict[str, Any] = {}
        for key, value in (("title", entry.get("title")), ("url", entry.get("link")), ("outlet", outlet)):
            if isinstance(value, str) and value.strip():
                meta[key] = value.strip()
        date, raw = entry_date(entry)
        if date:
            meta["date"] = date
        elif raw:
            yield Notice(source, f"unreadable date {raw!r}; the article is processed without a date")
        doc_id = str(entry.get("id") or entry.get("link") or f"{stem}-{n}")
        yield InputItem(doc_id, text, source, meta, f"{stem}-{n}")


def read_feed_file(path: Path, max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Item]:
    from marsad.readers.html import page_cap

    cap = page_cap(max_chars)
    data = read_bytes(path, cap, f"a feed of over {cap:,} bytes")
    if isinstance(data, Skip):
        yield data
        return
    yield from read_feed(data, str(path))
