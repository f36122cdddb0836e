"""Spike detection: is today's count of incidents per group (country, type) improbably high for its recent past?

For each group the incidents dated in the window (the last ``window_days`` up to today) are counted, and so are
those of the ``baseline_days`` before it. If the group's rate had not changed, the window's count would be
Poisson with mean λ = baseline × window / baseline_days; the window is a spike when its count reaches the rule's
``min_count`` and P(X ≥ count | λ) is under the rule's ``p_value``. λ has a floor (``LAMBDA_FLOOR``) so that a group
with no history is not infinitely surprising: its first events still need ``min_count``. docs/alerts.md explains
the choice.

An incident is an event cluster (reports of one incident by several outlets count once: a burst of coverage is
not a burst of violence); an event without a cluster counts alone; and the events of one sentence with one type,
source and target are one incident, counted where its located event is. Only day-precise dates are counted: an event
dated "in March" says nothing about one day.
"""

from __future__ import annotations

import math
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from marsad.watch.rules import SpikeRule


def incident_key(event: Any) -> tuple:
    """Events of one sentence of an article with one type, source and target are one incident: «قصفت ... وقتل 7»
    is coded twice (a strike and a killing, two clusters: one located, one not) but is one thing that happened."""
    return (event["document_id"], event["sentence_start"], event["type"], event["source_actor_id"],
            event["target_actor_id"])

LAMBDA_FLOOR = 0.1  # events per window expected of a group with no history (see docs/alerts.md)
ALL = "*"  # the subject's part for a dimension the rule does not group by


def poisson_tail(k: int, lam: float) -> float:
    """P(X ≥ k) for X ~ Poisson(λ), accurate in the far tail (where 1 − CDF would round to 0).

    Above the mean the terms are summed upwards from k, each from the last (pmf(i+1) = pmf(i)·λ/(i+1)), starting
    from pmf(k) in logs (math.lgamma), so nothing overflows; below the mean the tail is 1 − P(X < k), a sum of at
    most k terms that are not small."""
    if k <= 0:
        return 1.0
    if lam <= 0:
        return 0.0
    if k <= lam:
        term = math.exp(-lam)
        below = term
        for i in range(1, k):
            term *= lam / i
            below += term
        return max(0.0, 1.0 - below)
    term = math.exp(k * math.log(lam) - lam - math.lgamma(k + 1))
    total, i = 0.0, k
    while term > 0 and term > total * 1e-17:
        total += term
        i += 1
        term *= lam / i
    return min(1.0, total)


@dataclass
class Spike:
    """One group whose window count is a spike: the figures, and the window's incidents (as one event each)."""

    country: str
    type: str
    day: str  # the window's last day
    count: int
    baseline: int
    expected: float  # λ
    p_value: float
    examples: list[tuple[int, int]] = field(default_factory=list)  # (document_id, event n), most reported first

    @property
    def subject(self) -> str:
        return f"{self.country}|{self.type}|{self.day}"


_EVENTS = """
SELECT e.rowid, e.document_id, e.n, e.type, e.date, e.cluster_id, e.sentence_start, e.source_actor_id,
       e.target_actor_id, ifnull(c.articles, 1) AS articles,
       (SELECT p.country FROM places p WHERE p.lat = e.lat AND p.lon = e.lon LIMIT 1) AS place_country,
       (SELECT group_concat(dc.country) FROM document_countries dc WHERE dc.document_id = e.document_id)
           AS article_countries
FROM events e LEFT JOIN event_clusters c ON c.id = e.cluster_id
WHERE e.date BETWEEN ? AND ? AND e.date_precision = 'day'
"""


def find_spikes(db: sqlite3.Connection, rule: SpikeRule, today: date) -> list[Spike]:
    """The groups whose count in the window ending ``today`` is a spike under ``rule``, in subject order."""
    window_start = today - timedelta(days=rule.window_days - 1)
    base_start = window_start - timedelta(days=rule.baseline_days)
    sql, params = _EVENTS, [base_start.isoformat(), today.isoformat() + "\uffff"]  # dates may carry a time
    if rule.types:
        sql += f" AND e.type IN ({', '.join('?' * len(rule.types))})"
        params += [t.upper() for t in rule.types]
    if rule.modalities:
        sql += f" AND e.modality IN ({', '.join('?' * len(rule.modalities))})"
        params += list(rule.modalities)
    incidents: dict[tuple, list[sqlite3.Row]] = defaultdict(list)
    for row in db.execute(sql + " ORDER BY e.document_id, e.n", params):
        incidents[incident_key(row)].append(row)  # counted where its located event is
    window: dict[tuple[str, str], dict[object, tuple[int, int, int]]] = defaultdict(dict)
    baseline: dict[tuple[str, str], set[object]] = defaultdict(set)
    for rows in incidents.values():
        row = next((r for r in rows if r["place_country"]), rows[0])
        incident = row["cluster_id"] if row["cluster_id"] is not None else ("event", row["rowid"])
        in_window = row["date"][:10] >= window_start.isoformat()
        for group in _groups(row, rule.by):
            if in_window:
                # the incident's first mention stands for it; its article count ranks the examples
                window[group].setdefault(incident, (row["articles"], row["document_id"], row["n"]))
            else:
                baseline[group].add(incident)
    spikes = []
    for group, incidents in window.items():
        count, base = len(incidents), len(baseline.get(group, ()))
        lam = max(base * rule.window_days / rule.baseline_days, LAMBDA_FLOOR)
        p = poisson_tail(count, lam)
        if count >= rule.min_count and p < rule.p_value:
            ranked = sorted(incidents.values(), key=lambda a: (-a[0], a[1], a[2]))
            spikes.append(Spike(group[0], group[1], today.isoformat(), count, base, lam, p,
                                [(doc, n) for _, doc, n in ranked]))
    return sorted(spikes, key=lambda s: s.subject)


def _groups(row: sqlite3.Row, by: tuple[str, ...]) -> list[tuple[str, str]]:
    """The (country, type) groups an event counts in: its place's country when it is located in a known one, else
    each country its article is about (none: it is not counted by country)."""
    etype = row["type"] if "type" in by else ALL
    if "country" not in by:
        return [(ALL, etype)]
    if row["place_country"]:
        countries = [row["place_country"]]
    else:
        countries = sorted(set((row["article_countries"] or "").split(","))) if row["article_countries"] else []
    return [(c, etype) for c in countries if c]
