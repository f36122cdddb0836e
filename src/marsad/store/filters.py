"""The event filters as a user writes them (``marsad query``/``export`` options, the dashboard API's parameters)
read into an :class:`~marsad.store.query.EventFilter`: one parser, so the CLI and the API accept the same values
and refuse the others with the same message.

- dates: ISO (``2018-03-12``; ``2018-03`` and ``2018`` mean the first day for a start, the last for an end),
  ``12/03/2018`` (day first) and Arabic month names («12 آذار 2018», «12 مارس 2018»), read as the input reader
  reads publication dates (``text/dates.py``), and always ISO by the time they reach SQL (dates are compared as
  text there: ``12/03/2018`` would sort after every 2018 date);
- countries: an ISO alpha-2 code or an English or Arabic name of the shipped country list
  (``data/places/countries.yaml``): ``LY``, ``Libya``, ``ليبيا``;
- event types and modalities: those of the ontology (``knowledge/triggers.py``), in any case.

Anything else raises :class:`FilterError`, naming the value and what is accepted.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from marsad.knowledge.triggers import MODALITIES, PLOVER_TYPES
from marsad.store.query import EventFilter
from marsad.text.dates import parse_publication_date
from marsad.text.normalize import ascii_digits, match_key

DATE_FORMS = "YYYY-MM-DD, YYYY-MM, YYYY, DD/MM/YYYY or a day, Arabic month and year («12 آذار 2018», «12 مارس 2018»)"
_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
# The whole value must be a date: the reader's parser finds a date inside running text («… 12/03/2018 …»)
_WHOLE_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}(?:[T ][\d:.+\-Z]*)?|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}"
                         r"|\d{1,2}\s+[\u0621-\u064a][\u0621-\u064a/\s]*\s+\d{4}")  # «12 تشرين الأول/أكتوبر 2018»
_NEAR = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*(?:,\s*(\d+(?:\.\d+)?)\s*)?$")


class FilterError(ValueError):
    """A filter value that means nothing: ``option`` is the filter's name without dashes (``since``), ``message``
    says what was given and what is accepted, the same words for the CLI and the API."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(f"{option}: {message}")
        self.option = option
        self.message = message


def parse_date(value: str, option: str, end: bool = False) -> str:
    """``value`` as an ISO date; a month or a year alone is its first day, or with ``end`` its last day."""
    text = ascii_digits(value.strip())
    m = _YEAR.match(text)
    if m:
        return f"{m.group(1)}-12-31" if end else f"{m.group(1)}-01-01"
    m = _MONTH.match(text)
    if m and 1 <= int(m.group(2)) <= 12:
        year, month = int(m.group(1)), int(m.group(2))
        day = calendar.monthrange(year, month)[1] if end else 1
        return f"{year:04d}-{month:02d}-{day:02d}"
    iso = parse_publication_date(text) if _WHOLE_DATE.fullmatch(text) else None
    if iso is None:
        raise FilterError(option, f"{value!r} is not a date; accepted: {DATE_FORMS}")
    return iso


@dataclass(frozen=True)
class _Countries:
    codes: dict[str, str]  # code -> English name
    names: dict[str, str]  # casefolded English name or match key of an Arabic name -> code


@cache
def _countries() -> _Countries:
    from marsad.knowledge.places import data_folder, load_place_file

    path = data_folder() / "countries.yaml"
    codes: dict[str, str] = {}
    names: dict[str, str] = {}
    for entry in load_place_file(path):
        if entry.feature_class != "country" or not entry.country:
            continue
        codes.setdefault(entry.country, entry.name)
        names.setdefault(entry.name.casefold(), entry.country)
        for alias in entry.aliases:
            names.setdefault(match_key(alias), entry.country)
    return _Countries(codes, names)


def parse_country(value: str, option: str = "country") -> str:
    """An ISO alpha-2 code (any case) or a country's English or Arabic name → the code (``Libya`` → ``LY``)."""
    countries = _countries()
    text = " ".join(value.split())
    if text.upper() in countries.codes:
        return text.upper()
    code = countries.names.get(text.casefold()) or countries.names.get(match_key(text))
    if code:
        return code
    raise FilterError(option, f"{value!r} is not a country; accepted: an ISO alpha-2 code (LY, SY, YE…) or the "
                              "English or Arabic name of a country (Libya, ليبيا)")


def parse_types(values: Iterable[str], option: str = "type") -> tuple[str, ...]:
    """PLOVER event types, in any case, checked against the ontology."""
    return _one_of(values, option, PLOVER_TYPES, str.upper, "an event type")


def parse_modalities(values: Iterable[str], option: str = "modality") -> tuple[str, ...]:
    """Modalities (asserted, expected, negated, hypothetical), in any case."""
    return _one_of(values, option, MODALITIES, str.lower, "a modality")


def _one_of(values: Iterable[str], option: str, accepted: Iterable[str], case: Callable[[str], str],
            what: str) -> tuple[str, ...]:
    """Each value, in ``case``, if ``accepted`` holds it (repeats dropped); else a FilterError listing them."""
    accepted = tuple(accepted)
    out = []
    for value in values:
        v = case(value.strip())
        if v not in accepted:
            raise FilterError(option, f"{value!r} is not {what}; accepted: {', '.join(accepted)}")
        out.append(v)
    return tuple(dict.fromkeys(out))


def parse_near(value: str, option: str = "near", default_km: float | None = None) -> tuple[float, float, float]:
    """``LAT,LON,KM`` (``LAT,LON`` too when ``default_km`` is given) → (lat, lon, km), within the globe's range."""
    m = _NEAR.match(value)
    form = "LAT,LON,KM" if default_km is None else "LAT,LON[,KM]"
    if not m or (m.group(3) is None and default_km is None):
        raise FilterError(option, f"{value!r} is not a point and radius; accepted: {form}, e.g. 32.89,13.19,50")
    lat, lon = float(m.group(1)), float(m.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise FilterError(option, f"{value!r}: latitude must be within -90..90 and longitude within -180..180")
    return lat, lon, float(m.group(3)) if m.group(3) is not None else float(default_km or 0)


def event_filter(since: str | None = None, until: str | None = None, types: Iterable[str] = (),
                 modalities: Iterable[str] = (), actor: str | None = None, country: str | None = None,
                 text: str | None = None, near: str | None = None, min_relevance: float | None = None,
                 default_km: float | None = None) -> EventFilter:
    """The filter the user's values describe; :class:`FilterError` for the first value that means nothing."""
    first = parse_date(since, "since") if since else None
    last = parse_date(until, "until", end=True) if until else None
    if first and last and first > last:
        raise FilterError("since", f"{since!r} ({first}) is later than the until date {until!r} ({last})")
    return EventFilter(
        since=first, until=last, types=parse_types(types), modalities=parse_modalities(modalities),
        actor=(actor or "").strip() or None, country=parse_country(country) if country else None,
        text=(text or "").strip() or None, near=parse_near(near, default_km=default_km) if near else None,
        min_relevance=min_relevance,
    )
