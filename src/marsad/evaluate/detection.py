"""Sentence-level event detection against annotated sentences (``marsad eval detection``).

The gold format is the Arabic event gold standard's: one sentence a line with
``id``, ``text``, ``event_type`` and ``label`` ("yes" is positive; "easy no"
and "difficult no" are negatives; "ambiguous" is left out). A sentence counts
as detected when the system reports an *asserted* event of that type in it —
a forecast, denied or hypothetical attack is not a reported one — as
``../shared/eval/score_detection.py`` counts it.
"""

from __future__ import annotations

from collections.abc import Iterable


def _prf(tp: int, fp: int, fn: int, tn: int, types: list[str]) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"types": types, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "tp": tp, "fp": fp, "fn": fn, "tn": tn}


def detected_types(events: Iterable[dict], any_modality: bool = False) -> set[str]:
    return {str(e.get("type")) for e in events if any_modality or e.get("modality", "asserted") == "asserted"}


def score_detection(gold_rows: Iterable[dict], predicted: dict[str, set[str]]) -> dict:
    """Overall figures (score_detection.py's keys) and the same per event type under ``per_type``."""
    counts: dict[str, list[int]] = {}
    for row in gold_rows:
        if row["label"] == "ambiguous":
            continue
        positive = row["label"] == "yes"
        hit = row["event_type"] in predicted.get(str(row["id"]), set())
        c = counts.setdefault(row["event_type"], [0, 0, 0, 0])
        c[0 if positive and hit else 2 if positive else 1 if hit else 3] += 1
    total = [sum(c[k] for c in counts.values()) for k in range(4)]
    result = _prf(*total, sorted(counts))
    result["per_type"] = {t: _prf(*counts[t], [t]) for t in sorted(counts)}
    return result
