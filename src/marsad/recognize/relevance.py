"""How political/conflict-related an article is: a word-count classifier over the tokens already on the doc.

A logistic regression over the article's words (their match keys, log(1 + count),
scaled to unit length) gives the probability that the article is political or
conflict news rather than sport, culture, technology or business. It was
trained on the outlets' own sections of the shared news corpus; the weights
ship in ``data/models/relevance.json`` and are rebuilt by
``scripts/train_relevance.py``. The explanation is the words that pushed the
decision hardest, as written in the article.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter, mul

from marsad.doc import Document
from marsad.knowledge.models import shipped_model

MODEL_PATH = "data/models/relevance.json"  # as the output record names it, relative to the package
STRONGEST = 5  # words kept as the explanation
POLITICAL = 0.5  # from this probability on, an article is political/conflict news; under it sport, culture …


_KEY = attrgetter("key")
_LOG1P = tuple(math.log1p(n) for n in range(1024))  # the feature of a count, looked up rather than computed


@dataclass(frozen=True)
class RelevanceModel:
    weights: dict[str, float]  # word key → weight
    bias: float
    info: str = ""

    def score(self, counts: Counter[str], top: int = STRONGEST) -> tuple[float, list[tuple[str, float]]]:
        """Probability of political/conflict news from the article's word-key counts, and the ``top`` words that
        pulled hardest towards that decision: (key, weight × feature), the pull signed (+ towards relevant).

        Written as map/zip/sort over lists, loops in C: the component must cost well under 1% of the pipeline.
        """
        keys = [k for k in counts if k in self.weights]
        if not keys:
            return _sigmoid(self.bias), []
        n = list(map(counts.__getitem__, keys))
        values = list(map(_LOG1P.__getitem__, n)) if max(n) < len(_LOG1P) else [math.log1p(c) for c in n]
        pulls = list(map(mul, map(self.weights.__getitem__, keys), values))
        norm = math.sqrt(math.fsum(map(mul, values, values)))
        p = _sigmoid(self.bias + math.fsum(pulls) / norm)
        best = sorted(zip(pulls, keys, strict=True), reverse=p >= POLITICAL)[:top]
        return p, [(k, pull / norm) for pull, k in best if pull and (pull > 0) == (p >= POLITICAL)]


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@lru_cache(maxsize=1)
def builtin_relevance() -> RelevanceModel | None:
    data = shipped_model("relevance.json")
    if data is None:
        return None
    return RelevanceModel({k: float(v) for k, v in data["weights"].items()}, float(data["bias"]), data.get("info", ""))


class RelevanceScorer:
    """Sets ``doc.relevance`` (0..1) and ``doc.relevance_why``: the words that decided it, with their pull."""

    name = "relevance"
    requires = ("tokens",)
    assigns = ("relevance",)

    def __init__(self, model: RelevanceModel | None) -> None:
        self.model = model

    def __call__(self, doc: Document) -> Document:
        if self.model is None:  # no model shipped (a trimmed install): the article stays unscored
            return doc
        keys = list(map(_KEY, doc.tokens))  # map, filter, Counter, list.index: loops in C, not Python (speed)
        p, strongest = self.model.score(Counter(filter(self.model.weights.__contains__, keys)))
        doc.relevance = p
        doc.relevance_why = [(doc.tokens[keys.index(k)].text, c) for k, c in strongest]  # as first written
        return doc
