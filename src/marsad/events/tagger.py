"""Trigger tagger: event words the lexicons do not list, learned from the annotated articles.

The trigger lexicons find most event words, but the annotated training articles show a long tail they miss:
«وصف» and «اعتبر» opening a condemnation, «بدعم» of a military ally, «حرب» with no verb of happening, «استعادة»
of positions. The tagger reads every word whose bare form (proclitics and article removed) was an annotated
trigger in training (its vocabulary) and that no lexicon entry already matched, and a softmax regression over
readable features (the word and its bare forms, its neighbours, the words of its clause, the actor after it,
the article's relevance) gives each PLOVER type's probability, or no event. A word whose best type reaches the
threshold becomes a candidate like a lexicon match, with the tagger's explanation (its strongest features).
Weights: ``data/models/tagger.json``, rebuilt by ``scripts/train_tagger.py`` from ``../shared/data/events_train``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from marsad.knowledge.models import shipped_model, strongest
from marsad.memo import Memo
from marsad.text.tokens import STEMS_WITHOUT_ARTICLE, Token

WINDOW = 5  # tokens either side of the word whose keys are features, within its clause
NONE = "-"  # the class "no event"


class LoggedWord(NamedTuple):
    """A word the coder handed the tagger, as training logs it (``EventCoder.tagger_log``)."""

    doc_id: str
    start: int  # the word's characters
    end: int
    clause_start: int  # its clause's characters
    clause_end: int
    key: str
    features: list[str]


def bare_forms(key: str) -> tuple[str, ...]:
    """The key and its readings without proclitics or article («وبدعم» → وبدعم, بدعم, دعم)."""
    return STEMS_WITHOUT_ARTICLE[key]


def word_part(key: str) -> str:
    """A guess at the word's part of speech, for the coder's argument rules: a word with the article, a feminine
    or plural ending is a noun, any other a verb («وصف», «اعتبرت»)."""
    bare = bare_forms(key)[-1]
    if key.startswith(("ال", "بال", "وال", "فال", "لل", "كال")) or bare.endswith(("ه", "ات", "ين", "ون")):
        return "noun"
    return "verb"


def tagger_features(tokens: list[Token], t: int, lo: int, hi: int, next_actor: str | None,
                    relevance: float | None) -> list[str]:
    """Features of token ``t`` in a clause spanning tokens [lo, hi)."""
    key = tokens[t].key
    f = ["bias", f"w={key}", *(f"s={s}" for s in bare_forms(key)[1:]), f"part={word_part(key)}"]
    f.append(f"p={tokens[t - 1].key}" if t > lo else "p=^")
    f.append(f"n={tokens[t + 1].key}" if t + 1 < hi else "n=$")
    f.extend(f"c={tokens[q].key}" for q in range(max(lo, t - WINDOW), min(hi, t + WINDOW + 1))
             if q != t and tokens[q].kind == "word")
    f.append(f"actor_after={next_actor or '-'}")
    if t - lo <= 1:
        f.append("clause_start")
    if relevance is not None:
        f.append(f"relevance={min(int(relevance * 4), 3)}")
    return f


@dataclass(frozen=True)
class TriggerTagger:
    classes: tuple[str, ...]  # NONE first
    weights: dict[str, dict[int, float]]  # feature → {class index: weight}, zeros left out
    vocabulary: frozenset[str]  # bare forms the tagger reads
    thresholds: dict[str, float]  # per type; a type with none is left to the lexicons
    info: str
    path: str = "data/models/tagger.json"

    def __post_init__(self) -> None:
        # inference: each feature's weights as one row of every class, summed column by column in C
        zero = (0.0,) * len(self.classes)
        rows = {n: tuple(row.get(c, 0.0) for c in range(len(self.classes))) for n, row in self.weights.items()}
        object.__setattr__(self, "_rows", rows)
        object.__setattr__(self, "_zero", zero)
        object.__setattr__(self, "reading", Memo(lambda key: any(s in self.vocabulary for s in bare_forms(key)),
                                                 100_000))

    def reads(self, key: str) -> bool:
        """Is the word (a match key) one the tagger reads: one of its bare forms in the vocabulary?"""
        return self.reading[key]  # type: ignore[attr-defined, no-any-return]

    def probabilities(self, features: list[str]) -> list[float]:
        rows, zero = self._rows, self._zero  # type: ignore[attr-defined]
        z = list(map(sum, zip(*[rows.get(name, zero) for name in features], strict=True)))
        top = max(z)
        e = [math.exp(v - top) for v in z]
        total = sum(e)
        return [v / total for v in e]

    def best(self, features: list[str]) -> tuple[str | None, float]:
        """The most probable event type and its probability; None when it is under its type's threshold."""
        p = self.probabilities(features)
        c = max(range(1, len(p)), key=p.__getitem__)
        return (self.classes[c] if p[c] >= self.thresholds.get(self.classes[c], 2.0) else None), p[c]

    def explain(self, features: list[str], event_type: str, p: float) -> str:
        c = self.classes.index(event_type)
        rows, zero = self._rows, self._zero  # type: ignore[attr-defined]
        pulls = [rows.get(n, zero)[c] - rows.get(n, zero)[0] for n in features]  # for the type, against no event
        threshold = self.thresholds[event_type]
        return (f"trigger tagger ({self.path}): {event_type} {p:.2f}, threshold {threshold:.2f} "
                f"({strongest(features, pulls, signed=True)})")


def tagger_from_data(data: dict) -> TriggerTagger:
    def by_class(row: list[float] | dict[str, float]) -> dict[int, float]:  # a list by class, or {class: weight}
        pairs = enumerate(row) if isinstance(row, list) else ((int(c), w) for c, w in row.items())
        return {c: w for c, w in pairs if w}

    return TriggerTagger(classes=tuple(data["classes"]),
                         weights={n: by_class(row) for n, row in data["weights"].items()},
                         vocabulary=frozenset(data["vocabulary"]),
                         thresholds={t: float(v) for t, v in data["thresholds"].items()},
                         info=data.get("info", ""))


@lru_cache(maxsize=1)
def builtin_trigger_tagger() -> TriggerTagger | None:
    data = shipped_model("tagger.json")
    return None if data is None else tagger_from_data(data)
