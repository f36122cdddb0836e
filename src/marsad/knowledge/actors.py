"""Actor dictionaries: who can be named in the news, and how.

The format is documented in docs/dictionaries.md. Each YAML file is a list of
actor entries; this module loads and validates them, reporting file and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from marsad.errors import DataFileError
from marsad.knowledge.yamlfile import LINE_KEY, read_entries
from marsad.memo import per_file

ACTOR_TYPES = ("PER", "ORG", "GPE")
SECTORS = (
    "GOV", "MIL", "REB", "PTY", "IGO", "NGO", "COP", "JUD", "LEG", "BUS", "MED",
    "CVL", "REL", "SPY", "UAF", "OPP", "INS", "ELI", "LAB", "EDU", "REF", "HLH",
    "TER", "CRM", "MNC", "SEP", "ETH", "AGR", "ENV", "IMG", "MOD", "RAD",
)
_ID = re.compile(r"^[A-Z0-9][A-Z0-9_-]*$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_KNOWN_FIELDS = {
    "id", "name", "type", "country", "cameo", "sector", "wikidata", "aliases",
    "titles", "member_of", "demonyms", "capital", "valid", "generic", "note", LINE_KEY,
}


@dataclass(frozen=True, slots=True)
class Title:
    """A title that designates a person for a period («رئيس المجلس الرئاسي»)."""

    text: str
    start: str | None = None  # ISO date (or year), inclusive
    end: str | None = None  # ISO date (or year), inclusive; None = still holds it
    context: str | None = None  # country code the article must be about

    def holds_on(self, date: str | None) -> bool:
        """True when the title is held on ``date`` (ISO). Without a date, current holders only."""
        if date is None:
            return self.end is None
        if self.start and date < self.start:
            return False
        return not (self.end and date[: len(self.end)] > self.end)


@dataclass(frozen=True, slots=True)
class Actor:
    """One dictionary entry: a person, organisation or state."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    country: str | None = None
    cameo: str | None = None
    sector: str | None = None
    wikidata: str | None = None
    titles: tuple[Title, ...] = ()
    context_aliases: tuple[Title, ...] = ()  # names valid only in articles about one country («الكرامة»)
    member_of: str | None = None
    demonyms: tuple[str, ...] = ()
    capital: tuple[str, ...] = ()
    generic: bool = False
    source: str = ""  # "actors/libya.yaml:212": where the entry is written
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def _as_list(value: Any, what: str, where: tuple[Path, int]) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return value
    raise DataFileError(where[0], where[1], f"'{what}' must be a string or a list")


def _check_arabic(items: list[Any], what: str, where: tuple[Path, int]) -> tuple[str, ...]:
    out = []
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise DataFileError(where[0], where[1], f"'{what}' has an empty or non-text item: {item!r}")
        if not _ARABIC.search(item):
            raise DataFileError(where[0], where[1], f"'{what}' item is not Arabic: {item!r}")
        out.append(item.strip())
    return tuple(dict.fromkeys(out))


def _parse_title(raw: Any, where: tuple[Path, int]) -> Title:
    if isinstance(raw, str):
        raw = {"title": raw}
    if not isinstance(raw, dict) or "title" not in raw:
        raise DataFileError(where[0], where[1], f"a title needs a 'title' field: {raw!r}")
    line = raw.get(LINE_KEY, where[1])
    (text,) = _check_arabic([raw["title"]], "title", (where[0], line))
    dates = []
    for key in ("from", "to"):
        value = raw.get(key)
        if value is not None:
            value = str(value)
            if not _DATE.match(value):
                raise DataFileError(where[0], line, f"'{key}' must be YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
        dates.append(value)
    context = raw.get("context")
    return Title(text=text, start=dates[0], end=dates[1], context=str(context) if context else None)


def _parse_context_alias(raw: dict[str, Any], where: tuple[Path, int]) -> Title:
    """An alias written as ``{text: الكرامة, context: LY}``: a name only in articles about that country."""
    line = raw.get(LINE_KEY, where[1])
    if set(raw) - {"text", "context", LINE_KEY} or "text" not in raw or not raw.get("context"):
        raise DataFileError(where[0], line, f"an alias mapping needs exactly 'text' and 'context': {raw!r}")
    (text,) = _check_arabic([raw["text"]], "aliases", (where[0], line))
    return Title(text=text, context=str(raw["context"]))


def parse_actor(raw: dict[str, Any], path: Path, label: str) -> Actor:
    """Validate one raw YAML mapping and build an :class:`Actor`."""
    line = raw.get(LINE_KEY, 0)
    where = (path, line)
    unknown = set(raw) - _KNOWN_FIELDS
    if unknown:
        raise DataFileError(path, line, f"unknown field(s): {', '.join(sorted(unknown))}")
    for key in ("id", "name", "type"):
        if not raw.get(key):
            raise DataFileError(path, line, f"missing required field '{key}'")
    actor_id = str(raw["id"])
    if not _ID.match(actor_id):
        raise DataFileError(path, line, f"id {actor_id!r} must be upper-case letters, digits, '-' or '_'")
    if raw["type"] not in ACTOR_TYPES:
        raise DataFileError(path, line, f"type must be one of {', '.join(ACTOR_TYPES)}, got {raw['type']!r}")
    sector = raw.get("sector")
    if sector is not None and sector not in SECTORS:
        raise DataFileError(path, line, f"unknown sector {sector!r} (known: {' '.join(SECTORS)})")
    country = raw.get("country")
    if country is not None and not re.fullmatch(r"[A-Z]{2}", str(country)):
        raise DataFileError(path, line, f"country must be an ISO 3166-1 alpha-2 code, got {country!r}")
    raw_aliases = _as_list(raw.get("aliases"), "aliases", where)
    context_aliases = tuple(_parse_context_alias(a, where) for a in raw_aliases if isinstance(a, dict))
    aliases = _check_arabic([a for a in raw_aliases if not isinstance(a, dict)], "aliases", where)
    demonyms = _check_arabic(_as_list(raw.get("demonyms"), "demonyms", where), "demonyms", where)
    capital = _check_arabic(_as_list(raw.get("capital"), "capital", where), "capital", where)
    titles = tuple(_parse_title(t, where) for t in _as_list(raw.get("titles"), "titles", where))
    if not aliases and not titles and not context_aliases:
        raise DataFileError(path, line, "an actor needs at least one Arabic alias or title")
    return Actor(
        id=actor_id,
        name=str(raw["name"]),
        type=raw["type"],
        aliases=aliases,
        country=country,
        cameo=str(raw["cameo"]) if raw.get("cameo") else None,
        sector=sector,
        wikidata=str(raw["wikidata"]) if raw.get("wikidata") else None,
        titles=titles,
        context_aliases=context_aliases,
        member_of=str(raw["member_of"]) if raw.get("member_of") else None,
        demonyms=demonyms,
        capital=capital,
        generic=bool(raw.get("generic", False)),
        source=f"{label}:{line}",
    )


@per_file
def load_actor_file(path: str | Path, label: str | None = None) -> list[Actor]:
    """Load and validate one actor dictionary file.

    Args:
        path: the YAML file.
        label: how provenance names the file (default: its name).
    """
    path = Path(path)
    label = label or path.name
    return [parse_actor(raw, path, label) for raw in read_entries(path)]


def builtin_actor_paths() -> list[Path]:
    """The actor dictionaries that ship with Marsad, in a stable order."""
    folder = files("marsad.data") / "actors"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith((".yaml", ".yml")))


def load_actors(paths: Iterable[str | Path]) -> list[Actor]:
    """Load several files; a later entry with the same id overrides an earlier one."""
    by_id: dict[str, Actor] = {}
    seen_in: dict[str, str] = {}
    for path in paths:
        path = Path(path)
        label = f"actors/{path.name}" if path.parent.name == "actors" else str(path)
        for actor in load_actor_file(path, label):
            if actor.id in seen_in and seen_in[actor.id].split(":")[0] == label:
                raise DataFileError(path, int(actor.source.rsplit(":", 1)[1]),
                                    f"duplicate id {actor.id} (first at line {seen_in[actor.id].rsplit(':', 1)[1]})")
            by_id[actor.id] = actor
            seen_in[actor.id] = actor.source
    return list(by_id.values())


def iter_demonym_forms(base: str) -> Iterator[str]:
    """Inflect a nisba adjective: ليبي → ليبية ليبيون ليبيين ليبيان الليبي الليبية …

    Only forms built on a final ي are generated; broken plurals (أتراك) are
    written as further demonyms in the dictionary.
    """
    yield base
    if not base.endswith("ي"):
        if not base.startswith("ال"):
            yield "ال" + base
        return
    # feminine, plurals, duals, and the accusative «فلسطينيا» («120 فلسطينيا»)
    stems = [base + "ة", base + "ون", base + "ين", base + "ان", base + "تان", base + "تين", base + "ات", base + "ا"]
    for form in (base, *stems):
        if form != base:
            yield form
        yield "ال" + form
