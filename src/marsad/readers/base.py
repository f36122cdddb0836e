"""What every reader yields, the decoding they share, and the metadata keys the store reads.

The store reads ``meta["date"]`` (ISO yyyy-mm-dd), ``title``, ``url``,
``outlet`` (or ``source``) and ``encoding``; :func:`standard_meta` maps the
column and field names outlets actually use onto those keys, so CSV, JSON
Lines, sidecars and front matter all land in the same place.
"""

from __future__ import annotations

import codecs
import re
import threading
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeAlias

from marsad.text.dates import parse_publication_date

DATE_FIELDS = ("date", "published", "pubDate", "publication_date", "published_at")  # tried after --date-field
TITLE_FIELDS = ("title", "headline")
URL_FIELDS = ("url", "link")
OUTLET_FIELDS = ("outlet", "source", "site")


DEFAULT_MAX_CHARS = 1_000_000  # characters in one document (--max-chars)
MAX_MESSAGE = 300  # characters of a name or reason echoed in one message: a 1 GB "header" is not printed whole


@dataclass(frozen=True, slots=True)
class InputItem:
    """One article to analyse."""

    doc_id: str
    text: str
    source: str  # "a.txt", "corpus.jsonl:12", "feed.rss#3", "<stdin>"
    meta: dict[str, Any] = field(default_factory=dict)
    name: str = ""  # output file stem for per-document JSON files

    def __post_init__(self) -> None:
        # A file name's undecodable bytes and control characters can reach neither a terminal nor a UTF-8 store
        for attr in ("doc_id", "source", "name"):
            value = getattr(self, attr)
            if not value.isprintable():
                object.__setattr__(self, attr, shown(value))


@dataclass(frozen=True, slots=True)
class Skip:
    """An input that could not be read, and why (the reason starts with a short, stable category)."""

    source: str
    reason: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "source", clip(self.source))
        object.__setattr__(self, "reason", clip(self.reason))


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the user should know about an input that is still processed; ``replaced`` counts the bytes or
    characters that could not be read as they were and were replaced (a lossy read: counted in the summary)."""

    source: str
    message: str
    replaced: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "source", clip(self.source))
        object.__setattr__(self, "message", clip(self.message))


@dataclass
class LossyReads:
    """Inputs read with bytes or characters replaced, for the closing line: shown even with --quiet."""

    inputs: int = 0
    replaced: int = 0

    def count(self, notice: Notice) -> None:
        if notice.replaced:
            self.inputs += 1
            self.replaced += notice.replaced

    def summary(self) -> str:
        if not self.inputs:
            return ""
        return (f"; {self.inputs} input{'s' if self.inputs > 1 else ''} read with {self.replaced:,} unreadable "
                f"byte{'s' if self.replaced > 1 else ''} or character{'s' if self.replaced > 1 else ''} replaced")


_ESCAPE = re.compile(r"[^\S ]|[\x00-\x1f\x7f-\x9f\ud800-\udfff\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(m: re.Match[str]) -> str:
    c = m.group()
    if "\udc80" <= c <= "\udcff":  # a byte of a file name that was not UTF-8 (Python's surrogateescape)
        return f"\\x{ord(c) - 0xDC00:02x}"
    return c.encode("unicode_escape").decode("ascii") if ord(c) < 0x10000 else c


def shown(text: str) -> str:
    """``text`` safe to print and store: a file name's undecodable bytes as ``\\xNN``, control characters (a
    terminal's escape sequences, newlines) and bidi controls escaped."""
    return text if text.isprintable() else _ESCAPE.sub(_escape, text)


def clip(text: str, limit: int = MAX_MESSAGE) -> str:
    """:func:`shown`, cut to ``limit`` characters with the length said."""
    text = shown(text)
    if len(text) > limit:
        text = f"{text[:limit]}… ({len(text):,} characters)"
    return text


Item: TypeAlias = InputItem | Skip | Notice


@dataclass
class JsonlFields:
    """Which fields (JSON Lines) or columns (CSV) hold the text, the id and the date."""

    text: str = "text"
    id: str = "id"
    date: str = "date"


def count_lines(path: Path, *, unterminated_last: bool = False) -> int:
    """Newlines in a file (gunzipped if it ends in .gz), counted in 1 MB blocks without decoding; with
    ``unterminated_last``, a last line without its newline counts too. Raises OSError or EOFError."""
    import gzip

    opener = gzip.open if path.name.lower().endswith(".gz") else open
    n, last = 0, b"\n"
    with opener(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            n += block.count(b"\n")
            last = block[-1:]
    return n + (unterminated_last and last != b"\n")


def read_bytes(path: Path, cap: int | None = None, what: str = "") -> bytes | Skip:
    """The file's bytes, or a Skip saying why it cannot be read; over ``cap`` bytes it is not read whole."""
    try:
        with open(path, "rb") as fh:
            data = fh.read() if cap is None else fh.read(cap + 1)
    except OSError as exc:
        return Skip(str(path), f"cannot read: {exc.strerror or exc}")
    if cap is not None and len(data) > cap:
        return Skip(str(path), f"too large ({what or f'over {cap:,} bytes'}; --max-chars raises the limit)")
    return data


class Decoded(str):
    """Text decoded from bytes, and how: ``encoding``, and the invalid bytes ``replaced`` with U+FFFD (the offsets
    of the first few in ``bad_offsets``). A plain ``str`` from :func:`decode` means strict UTF-8."""

    encoding = "utf-8"
    replaced = 0
    bad_offsets: tuple[int, ...] = ()


def _decoded(text: str, encoding: str, replaced: int = 0, bad_offsets: tuple[int, ...] = ()) -> Decoded:
    out = Decoded(text)
    out.encoding, out.replaced, out.bad_offsets = encoding, replaced, bad_offsets
    return out


_tally = threading.local()  # the error handler's count for the decode running on this thread
_HIGH = bytes(range(0x80, 0x100))
_MOSTLY_VALID = 0.5  # UTF-8 when at least this share of the bytes ≥ 0x80 form valid UTF-8 sequences


def _count_and_replace(exc: UnicodeError) -> tuple[str, int]:
    assert isinstance(exc, UnicodeDecodeError)
    _tally.count += exc.end - exc.start
    if len(_tally.offsets) < 5:
        _tally.offsets.append(exc.start)
    return "\ufffd", exc.end


codecs.register_error("marsad-count-replace", _count_and_replace)


def tally_start() -> None:
    """Start counting what the "marsad-count-replace" error handler replaces on this thread."""
    _tally.count, _tally.offsets = 0, []


def tally_count() -> int:
    return int(getattr(_tally, "count", 0))


def decode_replacing(data: bytes, encoding: str) -> tuple[str, int, tuple[int, ...]]:
    """``data`` decoded with each invalid byte replaced by U+FFFD: the text, how many bytes were replaced, and
    the offsets of the first few."""
    tally_start()
    text = data.decode(encoding, "marsad-count-replace")
    return text, _tally.count, tuple(_tally.offsets)


def decode(data: bytes, source: str, binary_check: bool = True) -> str | Skip:
    """UTF-8 (with or without a byte-order mark), UTF-16 with its byte-order mark, else Windows-1256
    when that reads as Arabic text.

    Text that is mostly valid UTF-8 is UTF-8: a few invalid bytes (a stray byte, a character cut in two) are
    replaced with U+FFFD and counted, never a reason to read all of it in another encoding. "Mostly valid" is
    the share of its bytes ≥ 0x80 that form valid UTF-8 sequences (Windows-1256 Arabic almost never does), not
    how the text looks once decoded. Windows-1256 is how much Arabic text was saved on Windows, and UTF-16 is
    what Notepad and Excel call "Unicode"; :func:`encoding_notice` says when either was used or bytes were
    replaced."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text, bad, offsets = decode_replacing(data, "utf-16")
        return _decoded(text, "utf-16", bad, offsets)
    if binary_check and b"\x00" in data[:8192]:
        return Skip(source, "binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start
    text, bad, offsets = decode_replacing(data, "utf-8-sig")
    high = len(data) - len(data.translate(None, _HIGH))
    if (high - bad) >= _MOSTLY_VALID * high:
        return _decoded(text, "utf-8", bad, offsets)
    try:
        text = data.decode("cp1256")
    except UnicodeDecodeError:
        text = ""
    letters = [c for c in text[:4000] if c.isalpha()]
    if letters and sum("\u0600" <= c <= "\u06ff" for c in letters) >= 0.5 * len(letters):
        return _decoded(text, "windows-1256")
    return Skip(source, f"neither UTF-8 (bad byte at offset {start}) nor Arabic in Windows-1256; "
                        "re-save the file as UTF-8")


def decoded_as(text: str) -> str:
    return getattr(text, "encoding", "utf-8")


def replaced_note(replaced: int, lines: list[int] | None = None, encoding: str = "utf-8") -> str:
    """'not valid UTF-8: 3 bytes replaced with U+FFFD (line 12, 40)'."""
    where = ""
    if lines:
        more = ", …" if replaced > len(lines) else ""
        where = f" (line{'s' if len(lines) > 1 or more else ''} {', '.join(map(str, lines))}{more})"
    name = {"utf-8": "UTF-8", "utf-16": "UTF-16"}.get(encoding, encoding)
    return f"not valid {name}: {replaced} byte{'s' if replaced > 1 else ''} replaced with U+FFFD{where}"


def encoding_notice(text: str, source: str, data: bytes | None = None) -> Iterator[Notice]:
    """The notes every reader gives when the text was not UTF-8 (Windows-1256 is a guess: say so), and when
    invalid bytes were replaced (on which lines of ``data``, when given)."""
    encoding = decoded_as(text)
    if encoding != "utf-8":
        yield Notice(source, f"not UTF-8: read as {encoding}")
    replaced = getattr(text, "replaced", 0)
    if replaced:
        offsets = getattr(text, "bad_offsets", ())
        lines = sorted({data.count(b"\n", 0, o) + 1 for o in offsets}) if data is not None else None
        yield Notice(source, replaced_note(replaced, lines, encoding), replaced=replaced)


def over_limit(max_chars: int, what: str) -> str:
    """The reason for a document too long for ``--max-chars``, found while reading (``what``: the line or field)."""
    return f"document over the limit of {max_chars:,} characters (--max-chars): {what}"


# The reasons a document is too long, from the readers (over_limit) and from the analysis
_TOO_LONG = (re.compile(r"^document has [\d,]+ characters, over the limit of ([\d,]+)"),
             re.compile(r"^document over the limit of ([\d,]+) characters \(--max-chars\)"))


def skip_category(reason: str) -> str:
    """The closing line's name for a kind of skip: the reason without its particulars, so that documents
    of different lengths over ``--max-chars`` make one group («too long (over --max-chars 1,000,000)»)."""
    for pattern in _TOO_LONG:
        match = pattern.match(reason)
        if match:
            return f"too long (over --max-chars {match.group(1)})"
    if reason.startswith("too large (") and "--max-chars" in reason:
        return "too large (over the bytes --max-chars allows)"
    return reason.split(" (")[0].split(":")[0]


READ_ERRORS = (OSError, EOFError, zlib.error)  # what reading a truncated or corrupt (gzipped) file raises


def stopped_reading(label: str, lineno: int, exc: BaseException, what: str = "lines") -> Skip:
    """A file that could not be read past line ``lineno`` (a truncated .gz): where it stopped, and that what came
    before was read."""
    if lineno == 0:
        return Skip(label, f"cannot read: {exc}")
    return Skip(f"{label}:{lineno + 1}", f"cannot read further ({exc}); stopped after line {lineno}, the {what} "
                                         "before it were read")


class LineTally:
    """What a file read line by line had to say about its encoding: a note the first time a line is not UTF-8
    (``later`` adds to it), and a closing note counting the bytes replaced and their first lines."""

    def __init__(self, label: str, later: str = "") -> None:
        self.label, self.later = label, later
        self.encodings: set[str] = set()
        self.replaced, self.lines = 0, []

    def add(self, encoding: str, replaced: int, lineno: int) -> Notice | None:
        """Count one line; the note to give now, if its encoding is a new one."""
        if replaced:
            self.replaced += replaced
            if len(self.lines) < 5:
                self.lines.append(lineno)
        if encoding == "utf-8" or encoding in self.encodings:
            return None
        self.encodings.add(encoding)
        return Notice(f"{self.label}:{lineno}" if self.later else self.label,
                      f"not UTF-8: read as {encoding}{self.later}")

    def closing(self, encoding: str = "utf-8") -> Iterator[Notice]:
        if self.replaced:
            yield Notice(self.label, replaced_note(self.replaced, self.lines, encoding), replaced=self.replaced)


def capped_lines(stream: IO[bytes], cap: int) -> Iterator[bytes | int]:
    """The lines of a binary stream; a line over ``cap`` bytes is read through (never held whole) and given as
    its length. Read errors (a truncated .gz) are raised to the caller, who knows the line number."""
    while True:
        line = stream.readline(cap + 1)
        if not line:
            return
        if len(line) <= cap or line.endswith(b"\n"):
            yield line
            continue
        n = len(line)
        while True:
            more = stream.readline(1 << 20)
            n += len(more)
            if not more or more.endswith(b"\n"):
                break
        yield n


def stem_of(label: str) -> str:
    """The id prefix for rows and entries without an id: the file name before its first dot."""
    if label == "<stdin>":
        return "stdin"
    return label.replace("\\", "/").rsplit("/", 1)[-1].split(".")[0] or "doc"


_UNSAFE = re.compile(r"[^\w.-]+")


def safe_name(doc_id: str) -> str:
    """An output file stem from an id that may be a URL or contain ``/`` or ``..``."""
    name = _UNSAFE.sub("_", doc_id).strip("._")[:120]
    return name or "doc"


def _first(record: Mapping[str, Any], names: tuple[str, ...]) -> Any:
    lower = {str(k).lower(): v for k, v in record.items()}
    for n in names:
        v = lower.get(n.lower())
        if v not in (None, ""):
            return v
    return None


def standard_meta(record: Mapping[str, Any], source: str, date_field: str = "date",
                  skip: tuple[str, ...] = ()) -> tuple[dict[str, Any], list[Notice]]:
    """The record's scalar fields (minus ``skip``) plus the standard keys the store reads.

    Returns the metadata and a Notice for a date that is present but unreadable (the
    article is still processed, without a date).
    """
    meta: dict[str, Any] = {k: v for k, v in record.items()
                            if k not in skip and isinstance(v, str | int | float | bool) and v != ""}
    for key, names in (("title", TITLE_FIELDS), ("url", URL_FIELDS)):
        value = _first(record, names)
        if key not in meta and isinstance(value, str):
            meta[key] = value.strip()
    outlet = _first(record, OUTLET_FIELDS)
    if "outlet" not in meta and "source" not in meta and isinstance(outlet, str):
        meta["outlet"] = outlet.strip()
    notices: list[Notice] = []
    raw_date = _first(record, (date_field, *DATE_FIELDS))
    meta.pop("date", None)
    if raw_date is not None:
        parsed = parse_publication_date(raw_date)
        if parsed:
            meta["date"] = parsed
        else:
            notices.append(Notice(source, f"unreadable date {raw_date!r}; the article is processed without a date"))
    return meta, notices
