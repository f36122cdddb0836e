"""Curated place files: the gazetteer entries the project writes by hand.

Format: docs/places.md. Loading validates each entry and reports file and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from marsad.errors import DataFileError
from marsad.knowledge.wordlists import builtin_word_list
from marsad.knowledge.yamlfile import LINE_KEY, read_entries
from marsad.memo import per_file

PLACE_CLASSES = ("country", "admin1", "city", "other")
_ID = re.compile(r"^[A-Z0-9][A-Z0-9_-]*$")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_FIELDS = {"id", "name", "class", "country", "lat", "lon", "population", "aliases", "note", LINE_KEY}


@dataclass(frozen=True, slots=True)
class PlaceEntry:
    """A gazetteer entry with its Arabic names."""

    id: str
    name: str
    feature_class: str
    country: str | None
    lat: float
    lon: float
    population: int
    aliases: tuple[str, ...]
    source: str  # "places/libya.yaml:14" or "places/generated.tsv:812"
    curated: bool = True  # written by hand (wins) or generated from GeoNames / ISO 3166-2


def parse_place(raw: dict[str, Any], path: Path, label: str) -> PlaceEntry:
    """Validate one raw mapping and build a :class:`PlaceEntry`."""
    line = raw.get(LINE_KEY, 0)
    unknown = set(raw) - _FIELDS
    if unknown:
        raise DataFileError(path, line, f"unknown field(s): {', '.join(sorted(unknown))}")
    for key in ("id", "name", "class", "lat", "lon", "aliases"):
        if raw.get(key) is None:
            raise DataFileError(path, line, f"missing required field '{key}'")
    if not _ID.match(str(raw["id"])):
        raise DataFileError(path, line, f"id {raw['id']!r} must be upper-case letters, digits, '-' or '_'")
    if raw["class"] not in PLACE_CLASSES:
        raise DataFileError(path, line, f"class must be one of {', '.join(PLACE_CLASSES)}, got {raw['class']!r}")
    try:
        lat, lon = float(raw["lat"]), float(raw["lon"])
    except (TypeError, ValueError) as exc:
        raise DataFileError(path, line, "lat and lon must be numbers") from exc
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise DataFileError(path, line, f"coordinates out of range: {lat}, {lon}")
    aliases = raw["aliases"] if isinstance(raw["aliases"], list) else [raw["aliases"]]
    if not aliases or not all(isinstance(a, str) and _ARABIC.search(a) for a in aliases):
        raise DataFileError(path, line, "aliases must be a non-empty list of Arabic names")
    country = raw.get("country")
    if country is not None and not re.fullmatch(r"[A-Z]{2}", str(country)):
        raise DataFileError(path, line, f"country must be an ISO 3166-1 alpha-2 code, got {country!r}")
    try:
        population = int(raw.get("population") or 0)
    except (TypeError, ValueError) as exc:
        raise DataFileError(path, line, "population must be a whole number") from exc
    return PlaceEntry(
        id=str(raw["id"]), name=str(raw["name"]), feature_class=raw["class"], country=country,
        lat=lat, lon=lon, population=population,
        aliases=tuple(dict.fromkeys(a.strip() for a in aliases)), source=f"{label}:{line}",
    )


@per_file
def load_place_file(path: str | Path, label: str | None = None) -> list[PlaceEntry]:
    """Load and validate one curated place file."""
    path = Path(path)
    label = label or (f"places/{path.name}" if path.parent.name == "places" else str(path))
    entries = [parse_place(raw, path, label) for raw in read_entries(path)]
    seen: dict[str, str] = {}
    for e in entries:
        if e.id in seen:
            raise DataFileError(path, int(e.source.rsplit(":", 1)[1]), f"duplicate id {e.id} (first at {seen[e.id]})")
        seen[e.id] = e.source
    return entries


@per_file
def load_generated_tsv(path: str | Path) -> list[PlaceEntry]:
    """Load the generated layer (scripts/build_gazetteer.py writes it)."""
    path = Path(path)
    label = f"places/{path.name}"
    out = []
    with path.open(encoding="utf-8") as f:
        header: list[str] | None = None
        for lineno, line in enumerate(f, 1):
            if line.startswith("#") or not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            if header is None:
                header = cols
                continue
            if len(cols) != len(header):
                raise DataFileError(path, lineno, f"expected {len(header)} tab-separated columns, got {len(cols)}")
            row = dict(zip(header, cols, strict=True))
            try:
                out.append(PlaceEntry(
                    id=row["id"], name=row["name"], feature_class=row["class"], country=row["country"] or None,
                    lat=float(row["lat"]), lon=float(row["lon"]), population=int(row["population"] or 0),
                    aliases=tuple(row["aliases"].split("|")), source=f"{label}:{lineno}", curated=False,
                ))
            except (KeyError, ValueError) as exc:
                raise DataFileError(path, lineno, f"bad row: {exc}") from exc
    return out


def load_place_paths(paths: Iterable[str | Path]) -> list[PlaceEntry]:
    """Curated YAML files and generated TSV files, in order."""
    entries: list[PlaceEntry] = []
    for path in paths:
        path = Path(path)
        entries.extend(load_generated_tsv(path) if path.suffix == ".tsv" else load_place_file(path))
    return entries


def data_folder() -> Path:
    """The folder of the built-in place files (countries.yaml among them)."""
    return Path(str(files("marsad.data") / "places"))


def builtin_place_paths() -> list[Path]:
    """The place files that ship with Marsad: the generated layer first, then the curated files."""
    folder = data_folder()
    curated = sorted(p for p in folder.iterdir() if p.name.endswith((".yaml", ".yml")))
    generated = folder / "generated.tsv"
    return ([generated] if generated.exists() else []) + curated


def builtin_stopwords() -> frozenset[str]:
    """Everyday words that generated place names must not match."""
    return builtin_word_list("places", "stopwords.txt")


def builtin_cues() -> frozenset[str]:
    """Words that announce a place («في», «مدينة», «شمال»)."""
    return builtin_word_list("places", "cues.txt")
