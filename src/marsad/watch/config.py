"""A watch configuration (docs/watch.md) read from YAML into plain data, every mistake named by FILE:LINE and key.

The YAML is read with the dictionaries' line-keeping loader (knowledge/yamlfile.py), so an analyst who mistypes
a key or an interval is told where, as with a bad dictionary entry. Unknown keys are errors: a misspelt
``min_kiled`` silently ignored would be an alert that never fires.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marsad.errors import DataFileError
from marsad.knowledge.yamlfile import LINE_KEY, read_yaml
from marsad.watch.rules import AlertRule, Outputs, Rules, SpikeRule

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)?\s*$", re.IGNORECASE)
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$", re.IGNORECASE)
_BYTES = {"b": 1, "kb": 1000, "mb": 1000**2, "gb": 1000**3}
_NAME = re.compile(r"^[\w.-]+$")


@dataclass(frozen=True)
class FetchSettings:
    timeout: float = 20.0  # seconds: connecting, each read, and the whole request
    max_bytes: int = 5_000_000
    per_host_delay: float = 1.0  # seconds between two requests to one host
    retries: int = 2  # more tries after a connection error, a 5xx or a 429
    backoff: float = 1.0  # seconds before the first retry, doubled at each


@dataclass(frozen=True)
class SourceConfig:
    name: str
    kind: str  # feed | folder
    location: str  # the feed's URL or the folder's path
    every: float  # seconds between polls
    line: int = 0  # where the source is declared


@dataclass(frozen=True)
class WatchConfig:
    path: str
    every: float = 600.0
    sources: tuple[SourceConfig, ...] = ()
    rules: Rules = field(default_factory=Rules)
    fetch: FetchSettings = field(default_factory=FetchSettings)


class ConfigError(DataFileError):
    """A watch configuration that cannot be used: FILE:LINE: what is wrong."""


def parse_duration(value: Any) -> float:
    """``30s``, ``10m``, ``2h``, ``1d`` (a bare number is seconds) → seconds; ValueError otherwise."""
    m = _DURATION.match(str(value))
    if not m or isinstance(value, bool) or float(m.group(1)) <= 0:
        raise ValueError(f"{value!r} is not a duration; write e.g. 30s, 10m, 2h or 1d")
    return float(m.group(1)) * _SECONDS[(m.group(2) or "s").lower()]


def parse_size(value: Any) -> int:
    """``500KB``, ``5MB`` (a bare number is bytes) → bytes; ValueError otherwise."""
    m = _SIZE.match(str(value))
    if not m or isinstance(value, bool) or float(m.group(1)) <= 0:
        raise ValueError(f"{value!r} is not a size; write e.g. 500KB or 5MB")
    return int(float(m.group(1)) * _BYTES[(m.group(2) or "b").lower()])


class _Reader:
    """Checks one mapping's keys and values, naming the file, the mapping's line and the key on error."""

    def __init__(self, path: Path, raw: Any, what: str, line: int) -> None:
        self.path = path
        if not isinstance(raw, dict):
            raise ConfigError(path, line, f"{what} must be a mapping (key: value), got {raw!r}")
        self.line = raw.get(LINE_KEY, line)
        self.raw = {k: v for k, v in raw.items() if k != LINE_KEY}
        self.what = what

    def error(self, key: str, message: str) -> ConfigError:
        return ConfigError(self.path, self.line, f"{self.what}: '{key}': {message}")

    def allow(self, *keys: str) -> None:
        unknown = [str(k) for k in self.raw if k not in keys]
        if unknown:
            raise ConfigError(self.path, self.line, f"{self.what}: unknown key(s) {', '.join(map(repr, unknown))}; "
                                                    f"accepted: {', '.join(keys)}")

    def get(self, key: str, convert: Any = None, default: Any = None) -> Any:
        if key not in self.raw or self.raw[key] is None:
            return default
        try:
            return convert(self.raw[key]) if convert else self.raw[key]
        except (ValueError, TypeError) as exc:
            raise self.error(key, str(getattr(exc, "message", exc))) from exc

    def parsed(self, key: str, parse: Callable[[], Any]) -> Any:
        """``parse()``, with a filter's refusal («no such type», the store's own words) reported at this key."""
        from marsad.store.filters import FilterError

        try:
            return parse()
        except FilterError as exc:
            raise self.error(key, exc.message) from exc

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.raw.get(key)
        if value is None:
            return ()
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str | int) and not isinstance(v, bool) for v in values):
            raise self.error(key, f"expected a list of names, got {value!r}")
        return tuple(str(v) for v in values)


def load_config(path: str | Path) -> WatchConfig:
    """The configuration in ``path``; :class:`ConfigError` (FILE:LINE: key: what is wrong) for any mistake."""
    path = Path(path)
    data = read_yaml(path, ConfigError)
    top = _Reader(path, data, "the configuration", 1)
    top.allow("every", "sources", "alerts", "outputs", "fetch")
    every = top.get("every", parse_duration, 600.0)
    sources = _sources(path, top, every)
    alerts, spikes = _alert_rules(path, top)
    outputs = Outputs()
    if "outputs" in top.raw:
        out = _Reader(path, top.raw["outputs"], "outputs", top.line)
        out.allow("jsonl", "webhook")
        webhook = out.get("webhook", str)
        if webhook and not re.match(r"^https?://", webhook):
            raise out.error("webhook", f"{webhook!r} is not an http:// or https:// URL")
        outputs = Outputs(jsonl=out.get("jsonl", str), webhook=webhook)
    fetch = FetchSettings()
    if "fetch" in top.raw:
        f = _Reader(path, top.raw["fetch"], "fetch", top.line)
        f.allow("timeout", "max_bytes", "per_host_delay", "retries", "backoff")
        fetch = FetchSettings(timeout=f.get("timeout", parse_duration, fetch.timeout),
                              max_bytes=f.get("max_bytes", parse_size, fetch.max_bytes),
                              per_host_delay=f.get("per_host_delay", _delay, fetch.per_host_delay),
                              retries=f.get("retries", _count, fetch.retries),
                              backoff=f.get("backoff", _delay, fetch.backoff))
    return WatchConfig(str(path), every, sources, Rules(alerts, spikes, outputs), fetch)


def _delay(value: Any) -> float:
    return 0.0 if str(value).strip() in ("0", "0s") else parse_duration(value)


def _items(top: _Reader, key: str) -> list[Any]:
    value = top.raw.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise top.error(key, "expected a list of entries (each starting with '- ')")
    return value


def _sources(path: Path, top: _Reader, every: float) -> tuple[SourceConfig, ...]:
    out: list[SourceConfig] = []
    seen: dict[str, int] = {}
    for raw in _items(top, "sources"):
        r = _Reader(path, raw, "source", top.line)
        r.allow("name", "feed", "folder", "every")
        name = r.get("name", str)
        if not name or not _NAME.match(name):
            raise r.error("name", f"each source needs a name of letters, digits, '-', '_' or '.', got {name!r}")
        if name in seen:
            raise r.error("name", f"{name!r} is already the name of the source at line {seen[name]}")
        seen[name] = r.line
        kinds = [k for k in ("feed", "folder") if k in r.raw]
        if len(kinds) != 1:
            raise r.error("feed", f"source {name!r} needs exactly one of 'feed' (a URL) or 'folder' (a path)")
        location = str(r.raw[kinds[0]])
        if kinds[0] == "feed" and not re.match(r"^https?://[^/\s]+", location):
            raise r.error("feed", f"{location!r} is not an http:// or https:// URL")
        if kinds[0] == "folder":
            location = str(path.parent / Path(location).expanduser())
        out.append(SourceConfig(name, kinds[0], location, r.get("every", parse_duration, every), r.line))
    return tuple(out)


def _alert_rules(path: Path, top: _Reader) -> tuple[tuple[AlertRule, ...], tuple[SpikeRule, ...]]:
    from marsad.store.filters import parse_country, parse_modalities, parse_near, parse_types

    alerts: list[AlertRule] = []
    spikes: list[SpikeRule] = []
    seen: dict[str, int] = {}
    for raw in _items(top, "alerts"):
        r = _Reader(path, raw, "alert", top.line)
        name = r.get("name", str)
        if not name:
            raise r.error("name", "each alert needs a name")
        if name in seen:  # alerts are unique by (rule, subject): a second rule of the name would never fire
            raise r.error("name", f"{name!r} is already the name of the alert at line {seen[name]}")
        seen[name] = r.line
        r.what = f"alert {name!r}"
        source = f"{path}:{r.line}"

        types = r.parsed("types", lambda r=r: parse_types(r.strings("types")))
        modalities = r.parsed("modalities", lambda r=r: parse_modalities(r.strings("modalities"))) or ("asserted",)
        if "spike" in r.raw:
            r.allow("name", "spike", "types", "modalities")
            s = _Reader(path, r.raw["spike"], f"alert {name!r}: spike", r.line)
            s.allow("by", "window", "baseline", "min_count", "p_value")
            by = s.strings("by") or ("country", "type")
            if not set(by) <= {"country", "type"}:
                raise s.error("by", f"{list(by)!r}: group by country and/or type")
            window, baseline = s.get("window", parse_duration, 86400.0), s.get("baseline", parse_duration, 28 * 86400.0)
            for key, secs in (("window", window), ("baseline", baseline)):
                if secs % 86400:
                    raise s.error(key, "must be whole days (1d, 7d, 28d)")
            spikes.append(SpikeRule(name, tuple(by), int(window // 86400), int(baseline // 86400),
                                    s.get("min_count", _positive_int, 3), s.get("p_value", _probability, 0.001),
                                    types, modalities, source))
            continue
        r.allow("name", "types", "modes", "actors", "countries", "near", "modalities", "min_killed", "min_injured")
        countries = tuple(r.parsed("countries", lambda c=c: parse_country(c, "countries"))
                          for c in r.strings("countries"))
        near = None
        if "near" in r.raw:
            n = _Reader(path, r.raw["near"], f"alert {name!r}: near", r.line)
            n.allow("lat", "lon", "km")
            values = [n.get(k) for k in ("lat", "lon", "km")]
            if any(v is None for v in values):
                raise n.error("near", "needs lat, lon and km")
            near = r.parsed("near", lambda v=values: parse_near(",".join(str(x) for x in v), "near"))
        alerts.append(AlertRule(name, types, r.strings("modes"), r.strings("actors"), countries, near, modalities,
                                r.get("min_killed", _count), r.get("min_injured", _count), source))
    return tuple(alerts), tuple(spikes)


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"expected a whole number of at least 0, got {value!r}")
    return value


def _positive_int(value: Any) -> int:
    if _count(value) < 1:
        raise ValueError(f"expected a whole number of at least 1, got {value!r}")
    return value


def _probability(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1:
        raise ValueError(f"expected a probability between 0 and 1, got {value!r}")
    return float(value)
