"""Casualty and force counts as the project's scorer scores them (``counts``).

The article's distinct (kind, number) pairs: gold ``quantities`` whose ``what``
names a kind (killed, injured, detained, displaced, fighters) against the
system's. A vague gold count («عشرات», «مئات», «آلاف» marked approximate) and an
optional one are neither required nor an error.
"""

from __future__ import annotations

import re
from typing import Any

KINDS = (("killed", ("kill", "dead", "death")), ("injured", ("injur", "wound")),
         ("detained", ("arrest", "detain")), ("displaced", ("displac",)), ("fighters", ("fighter", "troop")))
_VAGUE = re.compile("عشرات|مئات|آلاف|الاف|العشرات|المئات|الآلاف")  # no citeable number


def count_kind(what: str) -> str | None:
    """The kind a quantity's ``what`` names, or None when it is no casualty or force count."""
    what = (what or "").lower()
    return next((kind for kind, stems in KINDS if any(s in what for s in stems)), None)


def count_pairs(items: list[dict[str, Any]], required_only: bool) -> set[tuple[str, float]]:
    out = set()
    for q in items:
        kind = count_kind(str(q.get("what", "")))
        vague = q.get("approximate") and _VAGUE.search(str(q.get("evidence", "")))
        if kind and isinstance(q.get("value"), (int, float)) and not (
                required_only and (q.get("optional") or vague)):
            out.add((kind, float(q["value"])))
    return out


def score_counts(gold: dict, system: dict) -> tuple[int, int, int, int]:
    """(gold pairs found, gold pairs required, system pairs right, system pairs) for one article."""
    gold_all = count_pairs(gold.get("quantities", []), False)
    gold_req = count_pairs(gold.get("quantities", []), True)
    found = count_pairs(system.get("quantities", []), False)
    return len(gold_req & found), len(gold_req), len(found & gold_all), len(found)
