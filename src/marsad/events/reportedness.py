"""Is an asserted event candidate a report of a specific event? A small trained model.

News mentions far more attacks and protests than it reports: historical,
generic, alleged or background mentions. For the types with annotated data
(ASSAULT and PROTEST: the Arabic event gold standard), a logistic-regression
model over cues of the trigger's context scores each asserted candidate;
candidates under the threshold are dropped (logged at debug level). The
weights ship in ``data/models/reportedness.json`` and are rebuilt by
``scripts/train_reportedness.py``. Inference is a dot product: no dependency.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from marsad.events.clause import TIME_WORDS, Clauses, per_sentence, token_range
from marsad.knowledge.models import shipped_model
from marsad.text.tokens import Token

ALWAYS_KEPT = "__always_kept__"  # a candidate the coder keeps without asking the model (a verb of happening)
_FUNCTION_WORDS = frozenset({
    "^", "$", "في", "وفي", "ب", "علي", "من", "الي", "عن", "بعد", "قبل", "خلال", "اثر", "عقب", "منذ", "ان", "انه",
    "الذي", "التي", "ضد", "مع", "حول", "اثناء", "جراء", "بسبب", "نتيجه", "حيث", "و", "او", "كما", "لا", "لم", "لن",
    "قد", "وقد", "كان", "كانت", "تم", "هذه", "هذا", "اي", "كل", "عدد", "عده", ":", "،", ".", "(", "«", "»",
})


def context_features(tokens: list[Token], i: int, head: int, j: int, part: str, mode: str | None,
                     event_type: str, lemma: str, clauses: Clauses, numbers: set[int], actors: list, places: list,
                     has_source: bool, has_target: bool, has_location: bool, light: bool,
                     background: str | None, doc_year: int | None) -> dict[str, float]:
    """Sparse features of an event candidate (names are stable: the model's weights are keyed on them)."""
    f: dict[str, float] = {"bias": 1.0, f"part={part}": 1.0, f"mode={event_type}:{mode}": 1.0,
                           f"lemma={event_type}:{lemma}": 1.0, f"type={event_type}": 1.0}
    key = tokens[head].key
    definite = key.startswith("ال") or key[1:3] == "ال" or key[2:4] == "ال"
    f["definite"] = float(definite)
    f["plural"] = float(key.endswith(("ات", "ين", "ون")))
    f["clitic_b_l"] = float(key[:1] in ("ب", "ل") and not key.startswith("ال"))
    lo, hi = clauses.span(i, j)
    f["clauses_before"] = min(sum(clauses.is_boundary[:i]), 6) / 6
    f["position"] = min(i, 40) / 40
    f["sentence_long"] = float(len(tokens) > 40)
    f["count_in_clause"] = float(any(lo <= q < hi for q in numbers))
    f["count_in_sentence"] = float(bool(numbers))
    keys = [t.key for t in tokens[lo:hi]]
    f["time_in_clause"] = float(not TIME_WORDS.isdisjoint(keys) or not TIME_WORDS.isdisjoint([k[1:] for k in keys]))
    years = _years(tokens)
    f["earlier_year"] = float(bool(years) and (doc_year is None or years[0] < doc_year))
    f["named_actor_in_clause"] = float(any(lo <= token_range(tokens, a)[0] < hi and not a.actor_id.startswith(
        "GEN") and a.sector not in ("CVL",) for a in actors))
    f["place_in_clause"] = float(any(lo <= token_range(tokens, p)[0] < hi for p in places))
    f["source"] = float(has_source)
    f["target"] = float(has_target)
    f["location"] = float(has_location)
    f["light_verb"] = float(light)
    f["background_rule"] = float(background is not None)
    # Only closed-class neighbours: open-class words would learn the training sentences, not the language.
    prev = tokens[i - 1].key if i > 0 else "^"
    f[f"prev={prev if prev in _FUNCTION_WORDS else 'other'}"] = 1.0
    nxt = tokens[j].key if j < len(tokens) else "$"
    f[f"next={nxt if nxt in _FUNCTION_WORDS else 'other'}"] = 1.0
    return f


def _years(tokens: list[Token]) -> list[int]:
    """The years written in the sentence, smallest first (once a sentence: its candidates ask in turn)."""
    return per_sentence(tokens, "years", lambda: sorted(
        int(t.key) for t in tokens if t.kind == "number" and t.key.isdigit() and 1900 <= int(t.key) <= 2100))


@dataclass(frozen=True)
class ReportednessModel:
    weights: dict[str, float]
    thresholds: dict[str, float]  # per event type
    info: str

    @property
    def types(self) -> frozenset[str]:
        return frozenset(self.thresholds)

    def probability(self, features: dict[str, float]) -> float:
        z = sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@lru_cache(maxsize=1)
def builtin_reportedness() -> ReportednessModel | None:
    data = shipped_model("reportedness.json")
    if data is None:
        return None
    return ReportednessModel(weights=data["weights"], thresholds={k: float(v) for k, v in data["thresholds"].items()},
                             info=data.get("info", ""))
