"""The dashboard's JSON API (FastAPI) and its static page, read-only over a ``marsad.db``.

Every query is parameterised SQL built by ``marsad.store.query.EventFilter``; the database is opened with
``mode=ro`` and ``PRAGMA query_only``, one connection per worker thread. Aggregates (map, timeline, network,
counts) are cached per filter and invalidated when any writer commits a change (the store's ``store_changes``
counter, which every connection reads the same), so a dashboard open during an ingest stays current. Requests are
answered only for the Host names a local dashboard can have (``HostGuard``: no DNS rebinding). Nothing is fetched
from the network: the page, its scripts, fonts, boundaries and the /docs page are package files.
"""

from __future__ import annotations

import ipaddress
import json
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from marsad.records import ARGUMENT_OFFSETS, EVENT_ARGUMENTS
from marsad.store.filters import FilterError, event_filter
from marsad.store.query import EventFilter, count_events, find_article, fts_query, within
from marsad.store.sqlite import EventStore
from marsad.web.watch_views import FAILING_HOURS, FAILING_RUNS, LATE_HOURS, alerts_page, health, source_rows

STATIC = Path(str(files("marsad.web").joinpath("static")))
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'")
MAX_PAGE = 500
# SQLite's integers are 64-bit: a larger id cannot name a row (and would not fit the query's parameter)
RowId = Annotated[int, PathParam(ge=1, le=2**63 - 1)]
# an article's number, doc_id or event id (doc_id#vN); doc_ids may hold '/' (a feed entry's link)
ArticleKey = Annotated[str, PathParam(min_length=1, max_length=2000)]


class Store:
    """One read-only connection per thread to the same database file, and a small cache of aggregate results."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        EventStore(self.path, readonly=True).close()  # fails early, with the store's message, on a bad file
        self._local = threading.local()
        self._cache: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = EventStore(self.path, readonly=True).db
            db.execute("PRAGMA query_only = ON")
            self._local.db = db
        return db

    def cached(self, key: tuple, compute: Any) -> Any:
        # store_changes.n is bumped by triggers on every committed write, and is the same number on every connection
        # (PRAGMA data_version is not: each connection counts from its own start), so one cache serves all threads.
        # It is read before computing, so a value is never older than its key.
        version = self.db.execute("SELECT n FROM store_changes").fetchone()[0]
        key = (version, *key)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        value = compute()
        with self._lock:
            self._cache[key] = value
            while len(self._cache) > 256:
                self._cache.popitem(last=False)
        return value


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an IP literal, IPv6 with or without brackets) names this machine only."""
    host = _bare_host(host)
    if host == "localhost" or host.endswith(".localhost"):  # names browsers resolve to loopback themselves
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class HostGuard:
    """Answers only requests whose Host header (port ignored) is a name this server can legitimately have: an IP
    literal that is loopback or the bound address (any IP literal when bound to 0.0.0.0 / ::), ``localhost`` and
    ``*.localhost``, the bound name, or a name the user allowed. A DNS-rebinding page reaches the server under its
    own domain name, so it is refused, and cannot read the store through the user's browser."""

    def __init__(self, app: ASGIApp, allowed_hosts: Iterable[str] = (), bind_host: str = "127.0.0.1") -> None:
        self.app = app
        self.names = {_bare_host(h) for h in allowed_hosts if h.strip()}
        bind = _bare_host(bind_host)
        try:
            self.bind_ip: ipaddress.IPv4Address | ipaddress.IPv6Address | None = ipaddress.ip_address(bind)
        except ValueError:
            self.bind_ip = None
            if bind:
                self.names.add(bind)  # `--host mybox.lan`: the user chose that name for the server
        self.any_ip = self.bind_ip is not None and self.bind_ip.is_unspecified

    def allows(self, host_header: str) -> bool:
        host = _bare_host(_strip_port(host_header))
        if not host:
            return False
        if is_loopback(host):
            return True
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            return host in self.names
        # an IP literal is not a rebinding: the page's origin is the address itself
        return self.any_ip or ip == self.bind_ip

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            host = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), "")
            if not self.allows(host):
                if scope["type"] == "websocket":  # closed before it is accepted: the server answers 403
                    await send({"type": "websocket.close", "code": 1008})
                    return
                response = PlainTextResponse("Invalid Host header: this dashboard answers only its own address "
                                             "(marsad serve --allow-host NAME adds a name)\n", status_code=400)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _bare_host(host: str) -> str:
    return host.strip().strip("[]").rstrip(".").lower()


def _strip_port(host: str) -> str:
    host = host.strip()
    if host.startswith("["):  # [::1]:8765
        return host[:host.find("]") + 1] if "]" in host else host
    if host.count(":") == 1:  # name:8765 or 1.2.3.4:8765; a bare IPv6 literal has several colons
        return host.split(":")[0]
    return host


def filters(
    since: Annotated[str | None, Query(max_length=60, description="first event date, inclusive: YYYY-MM-DD, YYYY-MM, "
                                       "YYYY, DD/MM/YYYY or «12 آذار 2018»")] = None,
    until: Annotated[str | None, Query(max_length=60, description="last event date, inclusive (the same forms; "
                                       "a month or year alone means its last day)")] = None,
    type: Annotated[list[str] | None, Query(description="PLOVER event types, e.g. ASSAULT", max_length=20)] = None,
    modality: Annotated[list[str] | None, Query(description="asserted, expected, hypothetical, negated",
                                                max_length=4)] = None,
    actor: Annotated[str | None, Query(max_length=200, description="an actor id, or words of source/target")] = None,
    country: Annotated[str | None, Query(max_length=60, description="articles about it: ISO alpha-2 code or English "
                                         "or Arabic name (LY, Libya, ليبيا)")] = None,
    q: Annotated[str | None, Query(max_length=200, description="full-text search in the articles")] = None,
    near: Annotated[str | None, Query(max_length=100,
                                      description="lat,lon[,km]: events within km (default 1) of a point")] = None,
) -> EventFilter:
    # the CLI's parser (store/filters.py): the same values are accepted, the others refused with the same words
    try:
        return event_filter(since, until, type or (), modality or (), actor, country, q, near, default_km=1.0)
    except FilterError as exc:
        raise HTTPException(422, str(exc)) from exc


Filter = Annotated[EventFilter, Depends(filters)]


def _key(flt: EventFilter) -> tuple:
    return (flt.since, flt.until, flt.types, flt.modalities, flt.actor, flt.country, flt.text, flt.near)


FROM = " FROM events e JOIN documents d ON d.id = e.document_id"
ROW = ("SELECT d.id AS article, d.doc_id, d.doc_id || '#v' || e.n AS event, d.published, d.title, d.outlet, e.n, "
       "e.type, e.mode, e.cameo, "
       "e.quad_class, e.goldstein, e.modality, e.date, e.trigger_text, e.source_text, e.source_actor_id, "
       "sa.name AS source_name, e.target_text, e.target_actor_id, ta.name AS target_name, e.location_text, "
       "e.lat, e.lon, e.attribution_text, e.cluster_id, c.mentions, c.articles"
       " FROM events e JOIN documents d ON d.id = e.document_id LEFT JOIN event_clusters c ON c.id = e.cluster_id"
       " LEFT JOIN actors sa ON sa.actor_id = e.source_actor_id LEFT JOIN actors ta ON ta.actor_id = e.target_actor_id")


def create_app(db_path: str | Path, allowed_hosts: Iterable[str] = (), bind_host: str = "127.0.0.1") -> FastAPI:
    """The dashboard over ``db_path``. It answers Host headers that name this machine (loopback, ``localhost``),
    the address it is bound to (``bind_host``; any IP literal for 0.0.0.0 / ::) and ``allowed_hosts``."""
    store = Store(db_path)
    app = FastAPI(title="Marsad dashboard API", version="1", docs_url=None, redoc_url=None,
                  description="Read-only access to a Marsad event store: events with their evidence, articles, "
                              "and the aggregates behind the dashboard's map, timeline and actor network.")
    app.state.store = store
    # added first, so the security headers below wrap its 400 too
    app.add_middleware(HostGuard, allowed_hosts=tuple(allowed_hosts), bind_host=bind_host)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Any:
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    @app.exception_handler(sqlite3.OperationalError)
    async def sqlite_error(request: Request, exc: sqlite3.OperationalError) -> JSONResponse:
        return JSONResponse({"detail": f"query failed: {exc}"}, status_code=400)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        return FileResponse(STATIC / "docs.html", media_type="text/html")

    @app.get("/api/stats", summary="What the store holds: counts, date range, event types")
    def stats() -> dict[str, Any]:
        def compute() -> dict[str, Any]:
            db = store.db
            one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
            return {
                "documents": one("SELECT count(*) FROM documents"),
                "events": one("SELECT count(*) FROM events"),
                "clusters": one("SELECT count(*) FROM event_clusters"),
                "actors": one("SELECT count(*) FROM actors"),
                "first_date": one("SELECT min(date) FROM events"),
                "last_date": one("SELECT max(date) FROM events"),
                "types": [r[0] for r in db.execute("SELECT DISTINCT type FROM events ORDER BY type")],
                # the change counter: the page polls this endpoint and reloads its panels when the number moves
                "changes": one("SELECT n FROM store_changes"),
            }
        return store.cached(("stats",), compute)

    @app.get("/api/events", summary="Events that pass the filters, a page at a time, with the total")
    def events(flt: Filter, limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
               offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> dict[str, Any]:
        where, params = flt.where()
        total = store.cached(("count", *_key(flt)), lambda: count_events(store.db, flt))
        if flt.near:
            rows = [r for r in (dict(x) for x in store.db.execute(ROW + where + " ORDER BY e.date DESC, d.id, e.n",
                                                                   params)) if within(r, flt.near)]
            rows = rows[offset:offset + limit]
        else:
            # the page's rows are chosen first, on the events alone; only those 50 are joined to their names
            page = ("SELECT e.rowid" + FROM + where + " ORDER BY e.date DESC, e.document_id, e.n LIMIT ? OFFSET ?")
            rows = [dict(r) for r in store.db.execute(
                ROW + f" WHERE e.rowid IN ({page}) ORDER BY e.date DESC, d.id, e.n", [*params, limit, offset])]
        return {"total": total, "limit": limit, "offset": offset, "events": rows}

    @app.get("/api/map", summary="Geolocated events grouped by place and quad class (the map's points)")
    def map_points(flt: Filter) -> dict[str, Any]:
        def compute() -> dict[str, Any]:
            where, params = flt.where()
            where = (where + " AND" if where else " WHERE") + " e.lat IS NOT NULL"
            sql = ("SELECT e.lat, e.lon, e.quad_class, count(*) AS n, max(c.mentions) AS mentions, "
                   "min(e.location_text) AS place, group_concat(DISTINCT e.type) AS types" + FROM +
                   " LEFT JOIN event_clusters c ON c.id = e.cluster_id" + where +
                   " GROUP BY e.lat, e.lon, e.quad_class ORDER BY n DESC LIMIT 5000")
            pts = [dict(r) for r in store.db.execute(sql, params)]
            if flt.near:
                pts = [p for p in pts if within(p, flt.near)]
            return {"points": pts}
        return store.cached(("map", *_key(flt)), compute)

    @app.get("/api/timeline", summary="Events per day or week, by type")
    def timeline(flt: Filter, bucket: Literal["day", "week"] = "day") -> dict[str, Any]:
        def compute() -> dict[str, Any]:
            where, params = flt.where()
            where = (where + " AND" if where else " WHERE") + " e.date IS NOT NULL"
            b = "e.date" if bucket == "day" else "date(e.date, '-6 days', 'weekday 1')"
            if flt.near:
                rows = [r for r in (dict(x) for x in store.db.execute(
                    f"SELECT {b} AS bucket, e.type, e.lat, e.lon" + FROM + where, params)) if within(r, flt.near)]
                agg: dict[tuple, int] = {}
                for r in rows:
                    agg[(r["bucket"], r["type"])] = agg.get((r["bucket"], r["type"]), 0) + 1
                out = [{"bucket": k[0], "type": k[1], "n": v} for k, v in sorted(agg.items())]
            else:
                out = [dict(r) for r in store.db.execute(
                    f"SELECT {b} AS bucket, e.type, count(*) AS n" + FROM + where + " GROUP BY 1, 2 ORDER BY 1",
                    params)]
            return {"bucket": bucket, "series": out}
        return store.cached(("timeline", bucket, *_key(flt)), compute)

    @app.get("/api/network", summary="Actors (nodes) and events between them (edges: cooperation / conflict)")
    def network(flt: Filter, limit: Annotated[int, Query(ge=1, le=500)] = 80) -> dict[str, Any]:
        def compute() -> dict[str, Any]:
            where, params = flt.where()
            where = (where + " AND" if where else " WHERE") + \
                " e.source_actor_id IS NOT NULL AND e.target_actor_id IS NOT NULL AND e.source_actor_id != " \
                "e.target_actor_id"
            sql = ("SELECT e.source_actor_id AS source, e.target_actor_id AS target, count(*) AS n, "
                   "sum(e.quad_class IN (1, 2)) AS cooperation, sum(e.quad_class IN (3, 4)) AS conflict" + FROM +
                   where + " GROUP BY 1, 2 ORDER BY n DESC LIMIT ?")
            edges = [dict(r) for r in store.db.execute(sql, [*params, limit])] if not flt.near else []
            ids = sorted({e["source"] for e in edges} | {e["target"] for e in edges})
            nodes = []
            if ids:
                marks = ", ".join("?" * len(ids))
                nodes = [dict(r) for r in store.db.execute(
                    f"SELECT actor_id AS id, name, type, country, mentions FROM actors WHERE actor_id IN ({marks})",
                    ids)]
            known = {n["id"] for n in nodes}
            nodes += [{"id": i, "name": i, "type": None, "country": None, "mentions": 0} for i in ids if i not in known]
            return {"nodes": nodes, "edges": edges}
        return store.cached(("network", limit, *_key(flt)), compute)

    def article_id(key: str) -> tuple[int, int | None]:
        """The article's row id, and the event number when ``key`` is an event id; 404 when nothing has it."""
        found, event = find_article(store.db, key)
        if found is None:
            if key.isascii() and key.isdigit() and int(key) >= 2**63:  # beyond SQLite's integers: names no row
                raise HTTPException(422, f"article: {key} is not an article number (at most {2**63 - 1})")
            raise HTTPException(404, f"no article {key!r}: give an article's number, its doc_id (as the exports "
                                     "write it) or an event id doc_id#vN; '#' is %23 in a URL")
        return found, event

    @app.get("/api/events/{article:path}/{n}",
             summary="One event with its evidence: the article and highlighted spans",
             description="``article``: the article's number, its doc_id or an event id of it (doc_id#vN, '#' as "
                         "%23); a doc_id stored with several texts means the latest. ``n``: the event's number.")
    def evidence(article: ArticleKey, n: RowId) -> dict[str, Any]:
        row_id, _ = article_id(article)
        row = store.db.execute(ROW + " WHERE e.document_id = ? AND e.n = ?", (row_id, n)).fetchone()
        if row is None:
            raise HTTPException(404, f"no event {n} in article {article!r}")
        ev = dict(row)
        extra = store.db.execute("SELECT trigger_start, trigger_end, sentence_start, sentence_end, date_precision, "
                                 "cameo_root, explanation, " + ", ".join(ARGUMENT_OFFSETS) +
                                 " FROM events WHERE document_id = ? AND n = ?", (row_id, n)).fetchone()
        ev.update({k: v for k, v in dict(extra).items() if k != "explanation"})
        ev["explanation"] = json.loads(extra["explanation"])
        doc = store.db.execute("SELECT id, doc_id, title, url, outlet, published, text FROM documents WHERE id = ?",
                               (row_id,)).fetchone()
        text = doc["text"]
        spans = [{"role": "trigger", "start": ev["trigger_start"], "end": ev["trigger_end"],
                  "text": text[ev["trigger_start"]:ev["trigger_end"]]}]
        for role in EVENT_ARGUMENTS:
            span = (ev[f"{role}_start"], ev[f"{role}_end"]) if ev[f"{role}_start"] is not None else \
                _find(text, ev[f"{role}_text"], ev["sentence_start"], ev["sentence_end"], spans)
            if span:
                spans.append({"role": role, "start": span[0], "end": span[1], "text": text[span[0]:span[1]]})
        return {"event": ev, "article": dict(doc), "spans": sorted(spans, key=lambda s: s["start"])}

    @app.get("/api/articles/{article:path}", summary="One article with all its extracted records",
             description="``article``: its number, its doc_id, or an event id of it as the exports write it "
                         "(doc_id#vN, '#' as %23); a doc_id stored with several texts (an edited article) means "
                         "the latest.")
    def article_view(article: ArticleKey) -> dict[str, Any]:
        db = store.db
        row_id, event = article_id(article)
        if event is not None and db.execute("SELECT 1 FROM events WHERE document_id = ? AND n = ?",
                                            (row_id, event)).fetchone() is None:
            raise HTTPException(404, f"no event {article!r}: its article has no event v{event}")
        doc = db.execute("SELECT id, doc_id, title, url, outlet, published, text, country_context FROM documents "
                         "WHERE id = ?", (row_id,)).fetchone()
        if doc is None:
            raise HTTPException(404, "no such article")
        out = dict(doc)
        out["country_context"] = json.loads(out["country_context"])
        out["entities"] = [dict(r) for r in db.execute(
            'SELECT n, start, "end", text, type, actor_id, canonical, place_name, lat, lon, explanation FROM entities '
            "WHERE document_id = ? ORDER BY n", (row_id,))]
        out["events"] = [dict(r) for r in db.execute(ROW + " WHERE e.document_id = ? ORDER BY e.n", (row_id,))]
        out["quantities"] = [dict(r) for r in db.execute(
            'SELECT n, start, "end", text, what, unit, value, of_text, of_start, of_end, explanation FROM quantities '
            "WHERE document_id = ? ORDER BY n", (row_id,))]
        out["stances"] = [dict(r) for r in db.execute(
            "SELECT n, holder_text, holder_actor_id, holder_start, holder_end, object_text, object_start, object_end, "
            "polarity, event, explanation FROM stances "
            "WHERE document_id = ? ORDER BY n", (row_id,))]
        return out

    @app.get("/api/search", summary="Articles whose text matches the words (full-text search)")
    def search(q: Annotated[str, Query(min_length=1, max_length=200)],
               limit: Annotated[int, Query(ge=1, le=200)] = 50) -> dict[str, Any]:
        match = fts_query(q)
        if not match:
            return {"articles": []}
        rows = store.db.execute(
            "SELECT d.id AS article, d.doc_id, d.title, d.published, d.outlet, "
            "(SELECT count(*) FROM events e WHERE e.document_id = d.id) AS events FROM documents d "
            "WHERE d.id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? LIMIT ?) "
            "ORDER BY d.published DESC", (match, limit))
        return {"articles": [dict(r) for r in rows]}

    @app.get("/api/alerts", summary="Alerts raised by `marsad watch`, newest first",
             description="``since_id``: only alerts with a larger id (what a poller has not seen yet). ``payload`` is "
                         "the alert's JSON as the watch wrote it (an event alert: rule, sentence, trigger, source, "
                         "target, place, date, mentions, articles, url...; a spike: count, baseline, expected, "
                         "p_value, examples); ``article`` and ``event`` name its evidence when it has one.")
    def alerts(limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
               since_id: Annotated[int, Query(ge=0, le=2**63 - 1)] = 0) -> dict[str, Any]:
        return store.cached(("alerts", limit, since_id), lambda: alerts_page(store.db, limit, since_id))

    @app.get("/api/sources", summary="The sources `marsad watch` polls, with their health",
             description="``health``: ``ok`` (green), ``late`` (amber: a failure or two, or no success for "
                         f"{LATE_HOURS} h), ``failing`` (red: {FAILING_RUNS}+ failures in a row, or no success for "
                         f"{FAILING_HOURS} h, or never), ``waiting`` (not polled yet). ``today``: articles stored "
                         "from it since midnight UTC.")
    def sources() -> dict[str, Any]:
        today = datetime.now(UTC).date().isoformat()
        rows = store.cached(("sources", today), lambda: source_rows(store.db, today))
        # health depends on the time as well as the rows: computed on each request, so a watch that stopped turns red
        now = datetime.now(UTC)
        return {"sources": [{**r, **health(r, now)} for r in rows]}

    return app


def _find(text: str, needle: str | None, start: int, end: int, taken: list[dict]) -> tuple[int, int] | None:
    """Where ``needle`` (an argument's words, in a store from before its offsets were kept) is in the event's
    sentence, else anywhere, preferring a place that does not overlap a span already found."""
    if not needle:
        return None
    for lo, hi in ((start, end), (0, len(text))):
        i = text.find(needle, lo, hi)
        while i >= 0:
            if not any(i < s["end"] and s["start"] < i + len(needle) for s in taken):
                return i, i + len(needle)
            i = text.find(needle, i + 1, hi)
    return None
