"""Polling one source, in a thread of its own: a feed (fetched conditionally, each new entry's page fetched and
read) or a folder (new and changed files). A poll touches no database: it is given the keys its source has
already handled and the feed's validators, and puts one :class:`Unit` per new entry and one :class:`Done` on a
queue, for the runner to analyse and store (watch/runner.py).
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from marsad.readers.base import DEFAULT_MAX_CHARS, InputItem, Notice, Skip
from marsad.watch.config import SourceConfig
from marsad.watch.fetch import Fetcher


@dataclass
class Unit:
    source: str
    key: str  # the canonical URL, or path|size|mtime for a file
    version: str | None = None  # a feed entry's updated/published date and title (entry_version)
    items: list[InputItem] = field(default_factory=list)
    issues: list[Skip | Notice] = field(default_factory=list)


@dataclass
class Done:
    source: str
    error: str | None = None  # the source failed as a whole (feed unreachable, not a feed, folder missing)
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    unchanged: int = 0  # entries already handled before
    retry_later: int = 0  # entries whose page failed for a reason that may pass: not marked seen
    complete: bool = True  # every entry handled: the validators may be kept


def canonical_url(url: str) -> str:
    """The URL an article is known by: no fragment, no utm_* tracking parameters, host in lower case."""
    parts = urlsplit(url.strip())
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not k.lower().startswith("utm_")])
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", query, ""))


def entry_version(entry: Any) -> str:
    """What changes when an outlet edits an article: its feed entry's updated (else published) date and title."""
    keys = set(entry.keys())  # not entry.get("updated"): feedparser maps a missing one to published, with a warning
    when = (entry["updated"] if "updated" in keys else None) or entry.get("published") or ""
    return f"{when}|{entry.get('title') or ''}".strip()


def poll_feed(src: SourceConfig, fetcher: Fetcher, seen: dict[str, str | None], etag: str | None,
              last_modified: str | None,
              out: queue.Queue[Any], stop: threading.Event, max_chars: int = DEFAULT_MAX_CHARS) -> None:
    from marsad.readers import feeds, html

    result = fetcher.get(src.location, etag, last_modified)
    if result.not_modified:
        out.put(Done(src.name, etag=etag, last_modified=last_modified, not_modified=True))
        return
    if result.body is None:
        out.put(Done(src.name, error=result.error or "no body"))
        return
    try:
        feed = feeds.feedparser_module().parse(result.body)
    except Exception as exc:  # feedparser catches most itself; a crash is this source's error, not the cycle's
        out.put(Done(src.name, error=f"cannot parse the feed ({type(exc).__name__}: {exc})"))
        return
    entries = feed.get("entries") or []
    if not entries:
        why = feed.get("bozo_exception")
        out.put(Done(src.name, error=f"malformed feed ({type(why).__name__}: {why})" if feed.get("bozo") and why
                     else "feed has no entries"))
        return
    done = Done(src.name, etag=result.etag, last_modified=result.last_modified)
    outlet = (feed.get("feed") or {}).get("title")
    for n, entry in enumerate(entries, 1):
        if stop.is_set():
            done.complete = False
            break
        link = entry.get("link")
        label = f"{src.location}#{n}"
        if not isinstance(link, str) or not link.strip():
            out.put(Unit(src.name, f"{src.location}#{entry.get('id') or n}", issues=[Skip(label, "entry has no link")]))
            continue
        key = canonical_url(link)
        version = entry_version(entry)
        if key in seen and (seen[key] is None or seen[key] == version):
            done.unchanged += 1  # handled before, and not edited since (an edit is a new version: fetched again)
            continue
        meta: dict[str, Any] = {"url": key, "watch_source": src.name}
        for name, value in (("title", entry.get("title")), ("outlet", outlet)):
            if isinstance(value, str) and value.strip():
                meta[name] = value.strip()
        date, _ = feeds.entry_date(entry)
        if date:
            meta["date"] = date
        page = fetcher.get(key)
        unit = Unit(src.name, key, version=version)
        if page.body is not None:
            for item in html.read_html(page.body, key, key, key):
                if isinstance(item, InputItem):
                    page_meta = {k: v for k, v in item.meta.items() if k not in meta or k == "title"}
                    unit.items.append(InputItem(key, item.text[: max_chars + 1], key, {**meta, **page_meta}))
                else:
                    unit.issues.append(item)
        else:
            if not page.lasting:
                done.retry_later += 1  # a timeout, a 5xx or 429, a refused connection: the next poll tries again
                done.complete = False
                continue
            unit.issues.append(Skip(key, f"page not fetched: {page.error}"))
        if not unit.items:  # no page text: the feed's own summary, if it has one, stands for the article
            try:
                text = feeds.entry_text(entry)
            except Exception as exc:  # HTML lxml cannot parse costs this entry, not the feed (as read_feed has it)
                unit.issues.append(Skip(key, f"cannot parse the entry's HTML ({type(exc).__name__}: {exc})"))
                text = ""
            if text:
                unit.items.append(InputItem(key, text, key, {**meta, "text_from": "feed summary"}))
        out.put(unit)
    out.put(done)


def poll_folder(src: SourceConfig, seen: dict[str, str | None], out: queue.Queue[Any], stop: threading.Event,
                max_chars: int = DEFAULT_MAX_CHARS) -> None:
    """Each file below the folder not yet seen with its size and modification time (an edited file is new)."""
    from marsad.sources import JsonlFields, read_file, walk_dir

    root = Path(src.location)
    if not root.is_dir():
        out.put(Done(src.name, error=f"{root}: no such directory"))
        return
    files, _, problems = walk_dir(root, "auto")
    done = Done(src.name)
    for path, fmt in files:
        if stop.is_set():
            done.complete = False
            break
        try:
            st = path.stat()
        except OSError:
            continue  # gone since the walk
        key = f"{path.relative_to(root)}|{st.st_size}|{st.st_mtime_ns}"
        if key in seen:
            done.unchanged += 1
            continue
        unit = Unit(src.name, key)
        for item in read_file(path, fmt, JsonlFields(), max_chars):
            if isinstance(item, InputItem):
                meta = {**item.meta, "watch_source": src.name}
                unit.items.append(InputItem(item.doc_id, item.text, item.source, meta, item.name))
            else:
                unit.issues.append(item)
        out.put(unit)
    if problems and not files:
        done.error = "; ".join(p.reason for p in problems if isinstance(p, Skip))[:300] or None
    out.put(done)
