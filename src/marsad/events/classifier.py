"""Is this candidate an event the article reports? A trained decision for every trigger the lexicon finds.

The lexicon finds words that can name events; many do not here: «هجمة مرتدة» in a football report, «طلب» in a
phone review, an attack the article only recalls. A logistic regression over readable features of the candidate
(its lexicon entry and word, part of speech, modality, tense and definiteness cues of its context, counts,
actors and places in its clause, the reference-not-report rule, the reportedness model's score, and the
article's relevance: how political it is, recognize/relevance.py) gives the probability that an annotator
would code it; under its type's threshold it is dropped, and the explanation names the strongest features either way.
It absorbs the reportedness model, whose score is one of its features. Weights: ``data/models/events.json``,
rebuilt by ``scripts/train_events.py`` from ``../shared/data/events_train``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat
from operator import mul

from marsad.knowledge.models import shipped_model, strongest


def _bucket(x: float, edges: tuple[float, ...]) -> str:
    return str(next((i for i, edge in enumerate(edges) if x < edge), len(edges)))


def event_features(context: dict[str, float], event_type: str, lemma: str, word: str, part: str, modality: str,
                   relevance: float | None, reported: float | None, background: str | None, sentence: int,
                   source_sector: str | None) -> dict[str, float]:
    """The candidate's features: the reportedness model's context features and the decision's own."""
    T = event_type
    f = {f"ctx:{name}": value for name, value in context.items()}
    f.update({f"T={T}": 1.0, f"T={T}|mod={modality}": 1.0, f"mod={modality}": 1.0, f"lemma={T}:{lemma}": 1.0,
              f"word={T}:{word}": 1.0, f"part={part}|T={T}": 1.0, f"background={background is not None}|T={T}": 1.0,
              f"sentence={_bucket(sentence, (1, 2, 5, 10))}": 1.0,
              f"source_sector={source_sector or '-'}|T={T}": 1.0})
    if relevance is not None:
        f["relevance"] = relevance
        f[f"relevance|T={T}"] = relevance
        f[f"relevance={_bucket(relevance, (0.2, 0.5, 0.8))}|T={T}"] = 1.0
    if reported is not None:
        f["reported"] = reported
        f[f"reported|T={T}"] = reported
    return f


@dataclass(frozen=True)
class EventClassifier:
    weights: dict[str, float]
    threshold: float
    info: str
    path: str = "data/models/events.json"
    by_type: dict[str, float] = field(default_factory=dict)  # types with a threshold of their own

    def threshold_for(self, event_type: str) -> float:
        return self.by_type.get(event_type, self.threshold)

    def probability(self, features: dict[str, float]) -> float:
        z = sum(map(mul, map(self.weights.get, features, repeat(0.0)), features.values()))  # the loops in C
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def explain(self, features: dict[str, float], p: float, event_type: str | None = None) -> str:
        pulls = list(map(mul, map(self.weights.get, features, repeat(0.0)), features.values()))
        reasons = strongest(list(features), pulls)
        threshold = self.threshold if event_type is None else self.threshold_for(event_type)
        verdict = "kept" if p >= threshold else "dropped"
        return f"event classifier ({self.path}): {p:.2f}, threshold {threshold:.2f}, {verdict} ({reasons})"


@lru_cache(maxsize=1)
def builtin_event_classifier() -> EventClassifier | None:
    data = shipped_model("events.json")
    if data is None:
        return None
    return EventClassifier(weights=data["weights"], threshold=float(data["threshold"]), info=data.get("info", ""),
                           by_type={t: float(v) for t, v in data.get("thresholds", {}).items()})
