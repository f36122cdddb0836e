"""What an alert asks for: the rules a watch configuration declares (config.py reads them, alerts.py applies them).

An :class:`AlertRule` matches single events; a :class:`SpikeRule` compares a day's count of events per group
(country, type) with the trailing baseline. Both are plain data, so a rule read from YAML and one built in a
test are the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class AlertRule:
    """Fires once per event cluster whose event passes every condition given (an empty condition passes all)."""

    name: str
    types: tuple[str, ...] = ()  # PLOVER types, e.g. ("ASSAULT",)
    modes: tuple[str, ...] = ()  # PLOVER modes
    actors: tuple[str, ...] = ()  # actor ids; the event's source or target is one of them
    countries: tuple[str, ...] = ()  # ISO alpha-2: the event's place is in one, or else its article is about one
    near: tuple[float, float, float] | None = None  # lat, lon, km: the event's place within km of the point
    modalities: tuple[str, ...] = ("asserted",)  # asserted by default: an alert is about what happened
    min_killed: int | None = None  # the article's counts of killed (quantities) reach this
    min_injured: int | None = None
    source: str = ""  # where the rule was declared (FILE:LINE), for messages


@dataclass(frozen=True)
class SpikeRule:
    """Fires once per group and day when the day's count is improbably high against the trailing baseline."""

    name: str
    by: tuple[str, ...] = ("country", "type")  # the grouping: country and/or type
    window_days: int = 1  # the span counted ("today")
    baseline_days: int = 28  # the trailing span it is compared with
    min_count: int = 3  # fewer events than this never make a spike
    p_value: float = 0.001  # the Poisson tail probability under which the count is a spike
    types: tuple[str, ...] = ()  # only these types counted (all when empty)
    modalities: tuple[str, ...] = ("asserted",)
    source: str = ""


@dataclass(frozen=True)
class Outputs:
    """Where alerts go besides the store's ``alerts`` table."""

    jsonl: str | None = None  # a file each alert is appended to, one JSON object a line
    webhook: str | None = None  # a URL each alert is POSTed to as JSON


@dataclass(frozen=True)
class Rules:
    alerts: tuple[AlertRule, ...] = ()
    spikes: tuple[SpikeRule, ...] = ()
    outputs: Outputs = field(default_factory=Outputs)
