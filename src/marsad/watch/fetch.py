"""A polite HTTP fetcher for `marsad watch`: it says who it is, asks robots.txt, waits its turn per host, gives up
on time and size, retries what is worth retrying, and asks only for what changed.

A site is an origin (scheme, host, port), as robots.txt is: one request at a time to an origin, with a delay
between two, while different origins proceed in parallel (each source polls in its own thread). Every limit
ends in a :class:`FetchResult` whose ``error`` says why, never in an exception: one bad site costs its source
that poll, never the cycle.
"""

from __future__ import annotations

import email.utils
import threading
import time
import urllib.robotparser
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx2

from marsad import __version__

USER_AGENT = f"Marsad/{__version__} (+https://github.com/marsad-events/marsad; offline event coder)"
ROBOTS_AGENT = "Marsad"
MAX_REDIRECTS = 5
MAX_RETRY_AFTER = 60.0  # seconds: a server asking for a longer wait is retried at the next poll instead
_RETRY_STATUS = {429, 500, 502, 503, 504}


@dataclass(frozen=True)
class FetchResult:
    url: str  # the final URL, after redirects
    status: int | None = None
    body: bytes | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    error: str | None = None  # why there is no body (a 304 is not an error)
    # an error the next poll would meet again (robots.txt forbids it, a 4xx other than 429, too large, too many
    # redirects), rather than one that may clear (a timeout, a 5xx or 429 after the retries, a refused connection)
    lasting: bool = False


class _TooLarge(Exception):
    pass


class _Deadline(Exception):
    pass


class Fetcher:
    """Fetch URLs politely (module docstring). Thread-safe: one instance serves every source of a cycle."""

    def __init__(self, timeout: float = 20.0, max_bytes: int = 5_000_000, per_host_delay: float = 1.0,
                 retries: int = 2, backoff: float = 1.0, user_agent: str = USER_AGENT) -> None:
        self.timeout, self.max_bytes, self.per_host_delay = timeout, max_bytes, per_host_delay
        self.retries, self.backoff = retries, backoff
        self.client = httpx2.Client(timeout=httpx2.Timeout(timeout, connect=timeout), follow_redirects=False,
                                    headers={"User-Agent": user_agent}, trust_env=False)
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}  # origin -> when its last request ended (monotonic)
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._down: dict[str, str] = {}  # origin -> why it did not answer for robots.txt: not asked again this run

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """``url``'s body (or ``not_modified`` when the validators still hold), following up to 5 redirects."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for _ in range(MAX_REDIRECTS + 1):
            why = self._disallowed(url)
            if why:
                return FetchResult(url, error=why, lasting=True)
            down = self._down.get(_origin(url))
            if down:  # a host that hangs would hang every request: one timeout per run is enough
                return FetchResult(url, error=down)
            result, location = self._with_retries(url, headers)
            if location is None:
                return result
            url = urljoin(url, location)
        return FetchResult(url, error=f"more than {MAX_REDIRECTS} redirects", lasting=True)

    # ---- one request, retried -------------------------------------------------------------------------

    def _with_retries(self, url: str, headers: dict[str, str]) -> tuple[FetchResult, str | None]:
        tries = self.retries + 1
        for attempt in range(tries):
            result, location, retry_after = self._once(url, headers)
            retryable = retry_after is not None
            if not retryable or attempt == tries - 1:
                if retryable and result.error and tries > 1:
                    result = FetchResult(url, result.status, error=f"{result.error} (after {tries} tries)")
                return result, location
            wait = max(retry_after or 0.0, self.backoff * 2**attempt)
            if wait > MAX_RETRY_AFTER:
                return FetchResult(url, result.status, error=f"{result.error} (asks to wait {wait:.0f} s; "
                                                             "retried at the next poll)"), None
            time.sleep(wait)
        raise AssertionError("unreachable")

    def _once(self, url: str, headers: dict[str, str]) -> tuple[FetchResult, str | None, float | None]:
        """One request: (result, redirect location or None, None or the wait before a retry worth making)."""
        with self._turn(url):
            try:
                return self._request(url, headers)
            except httpx2.TimeoutException as exc:
                return FetchResult(url, error=f"timed out after {self.timeout:g} s ({type(exc).__name__})"), None, None
            except _Deadline:
                return FetchResult(url, error=f"timed out after {self.timeout:g} s (the server sends too slowly)"), \
                    None, None
            except (httpx2.ConnectError, httpx2.RemoteProtocolError, httpx2.ReadError) as exc:
                return FetchResult(url, error=f"cannot connect ({type(exc).__name__}: {exc})"), None, 0.0
            except httpx2.HTTPError as exc:
                return FetchResult(url, error=f"request failed ({type(exc).__name__}: {exc})"), None, None

    def _request(self, url: str, headers: dict[str, str]) -> tuple[FetchResult, str | None, float | None]:
        deadline = time.monotonic() + self.timeout
        with self.client.stream("GET", url, headers=headers) as response:
            status = response.status_code
            validators = {"etag": response.headers.get("etag"), "last_modified": response.headers.get("last-modified")}
            if status in (301, 302, 303, 307, 308) and response.headers.get("location"):
                return FetchResult(url, status), response.headers["location"], None
            if status == 304:
                return FetchResult(url, status, not_modified=True, **validators), None, None
            if status in _RETRY_STATUS:
                return FetchResult(url, status, error=f"HTTP {status}"), None, _retry_after(response)
            if status != 200:
                return FetchResult(url, status, error=f"HTTP {status}", lasting=400 <= status < 500), None, None
            try:
                body = self._read(response, deadline)
            except _TooLarge:
                return FetchResult(url, status, error=f"larger than {self.max_bytes} bytes", lasting=True), None, None
            return FetchResult(url, status, body, **validators), None, None

    def _read(self, response: httpx2.Response, deadline: float) -> bytes:
        """The body, stopped past max_bytes (never read whole) or past the deadline (a server that trickles)."""
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise _TooLarge
        chunks, size = [], 0
        for chunk in response.iter_bytes():  # as they come: a chunk size would wait for a trickle to fill it
            size += len(chunk)
            if size > self.max_bytes:
                raise _TooLarge
            if time.monotonic() > deadline:
                raise _Deadline
            chunks.append(chunk)
        return b"".join(chunks)

    # ---- politeness -------------------------------------------------------------------------------------

    def _turn(self, url: str) -> _Turn:
        origin = _origin(url)
        with self._guard:
            lock = self._locks.setdefault(origin, threading.Lock())
        return _Turn(self, origin, lock)

    def _disallowed(self, url: str) -> str | None:
        """Why robots.txt forbids ``url``, or None; robots.txt is fetched once per origin (per Fetcher)."""
        origin = _origin(url)
        with self._guard:
            lock = self._robots_locks.setdefault(origin, threading.Lock())
        with lock:
            if origin not in self._robots:
                self._robots[origin] = self._fetch_robots(origin)
        parser = self._robots[origin]
        if parser is not None and not parser.can_fetch(ROBOTS_AGENT, url):
            return f"disallowed by {origin}/robots.txt"
        return None

    def _fetch_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | None:
        """The origin's rules; None (everything allowed) when it has none (4xx) or they cannot be read in time.

        RFC 9309 reads an unreachable robots.txt as 'disallow all'; a server error here is instead retried
        by the next run, and the page requests themselves then fail and are reported, which says more."""
        result, _, _ = self._once(origin + "/robots.txt", {})
        if result.body is None:
            if result.status is None and result.error:  # no answer at all: timed out, refused
                self._down[origin] = f"{result.error} (asking for robots.txt)"
            return None
        parser = urllib.robotparser.RobotFileParser()
        parser.parse(result.body.decode("utf-8", "replace").splitlines())
        return parser


class _Turn:
    """Holds an origin's lock for one request, starting no sooner than per_host_delay after the last one ended."""

    def __init__(self, fetcher: Fetcher, origin: str, lock: threading.Lock) -> None:
        self.fetcher, self.origin, self.lock = fetcher, origin, lock

    def __enter__(self) -> None:
        self.lock.acquire()
        last = self.fetcher._last.get(self.origin)
        if last is not None:
            wait = last + self.fetcher.per_host_delay - time.monotonic()
            if wait > 0:
                time.sleep(wait)

    def __exit__(self, *exc: object) -> None:
        self.fetcher._last[self.origin] = time.monotonic()
        self.lock.release()


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{(parts.netloc or '').lower()}"


def _retry_after(response: httpx2.Response) -> float:
    """Retry-After in seconds (a number or an HTTP date); 0 when absent or unreadable."""
    value = (response.headers.get("retry-after") or "").strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return 0.0
    return max(0.0, when.timestamp() - time.time())
