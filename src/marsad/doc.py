"""The document model: text, sentences, tokens and annotation layers.

In the spirit of spaCy's ``Doc``: the text is never altered, every annotation
is a span of character offsets into it, and pipeline components add layers
without re-parsing anything.
"""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field
from typing import Any

from marsad.text.tokens import Token


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence: characters ``[start, end)`` and tokens ``[token_start, token_end)``."""

    i: int
    start: int
    end: int
    token_start: int
    token_end: int


@dataclass(frozen=True, slots=True)
class Place:
    """Where a place mention points: a gazetteer entry."""

    id: str
    name: str  # English
    name_ar: str
    lat: float
    lon: float
    country: str | None
    feature_class: str  # country | admin1 | city | other
    precision: str  # country | admin1 | city | other: how exact the point is


@dataclass(slots=True)
class Entity:
    """A mention of an actor or a place."""

    start: int
    end: int
    text: str
    type: str  # PER | ORG | GPE | LOC
    actor_id: str | None = None
    canonical: str | None = None  # English name of the actor or place
    place: Place | None = None
    cameo: str | None = None
    sector: str | None = None
    country: str | None = None
    how: str = ""  # alias | title | demonym | capital | place | model
    clitic: str = ""  # proclitics glued to the first word («و», «لل»), not part of the name
    why: str = ""  # "actors/libya.yaml:12 alias «حفتر»"
    agent: str = ""  # a generic agent given the article's country («GEN-COP»), which the sentence may overrule


@dataclass(frozen=True, slots=True)
class Ref:
    """A span of the text, optionally resolved to an entity."""

    start: int
    end: int
    text: str
    actor_id: str | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass(slots=True)
class Event:
    """A coded event: who did what to whom, where, how sure."""

    type: str  # PLOVER event type
    trigger: Ref
    sentence: Ref
    mode: str | None = None
    cameo: str | None = None
    cameo_root: str | None = None
    quad_class: int | None = None  # 1 verbal coop., 2 material coop., 3 verbal conflict, 4 material conflict
    goldstein: float | None = None
    source: Ref | None = None
    target: Ref | None = None
    location: Ref | None = None
    modality: str = "asserted"  # asserted | expected | negated | hypothetical
    modality_cue: Ref | None = None
    attribution: Ref | None = None
    date: str | None = None  # ISO 8601: written in the sentence, else the publication date
    date_precision: str = "unknown"  # day | week | month | unknown
    date_evidence: Ref | None = None  # the words the date was read from, when written in the text
    why: dict[str, str] = field(default_factory=dict)
    features: dict[str, float] | None = field(default=None, repr=False)  # for training the reportedness model


@dataclass(slots=True)
class Document:
    """An article and everything Marsad found in it."""

    text: str
    doc_id: str = "doc"
    date: str | None = None  # publication date, ISO, when known
    meta: dict[str, Any] = field(default_factory=dict)
    sentences: list[Sentence] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    quantities: list[dict[str, Any]] = field(default_factory=list)
    numbers: dict[int, list[Any]] = field(default_factory=dict)  # sentence index → NumberSpans (sentence tokens)
    stances: list[dict[str, Any]] = field(default_factory=list)
    country_context: list[str] = field(default_factory=list)  # countries the article is about, most salient first
    relevance: float | None = None  # probability of political/conflict news (recognize/relevance.py)
    relevance_why: list[tuple[str, float]] = field(default_factory=list)  # the words that decided it, with their pull
    language_notice: str | None = None  # "mostly not Arabic text" (marsad/text/script.py), else None
    _token_starts: list[int] = field(default_factory=list, repr=False)
    _entity_starts: list[int] = field(default_factory=list, repr=False)
    _entity_starts_for: tuple[int, int] = field(default=(0, -1), repr=False)  # (id, len) of the indexed list

    @property
    def text_sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def set_tokens(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self._token_starts = [t.start for t in tokens]

    def ref(self, start: int, end: int, **extra: Any) -> Ref:
        """A :class:`Ref` for ``text[start:end]``."""
        return Ref(start, end, self.text[start:end], **extra)

    def token_at(self, char: int) -> int:
        """Index of the token that starts at or before ``char``."""
        return max(0, bisect.bisect_right(self._token_starts, char) - 1)

    def sentence_of_token(self, token_index: int) -> Sentence:
        lo, hi = 0, len(self.sentences) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.sentences[mid].token_start <= token_index:
                lo = mid
            else:
                hi = mid - 1
        return self.sentences[lo]

    def sentence_tokens(self, sentence: Sentence) -> list[Token]:
        return self.tokens[sentence.token_start:sentence.token_end]

    def entities_in(self, start: int, end: int) -> list[Entity]:
        """Entities lying within ``[start, end)``, in text order (binary search: documents can be long)."""
        if self._entity_starts_for != (id(self.entities), len(self.entities)):
            self.entities.sort(key=lambda e: (e.start, e.end))
            self._entity_starts = [e.start for e in self.entities]
            self._entity_starts_for = (id(self.entities), len(self.entities))
        lo = bisect.bisect_left(self._entity_starts, start)
        hi = bisect.bisect_left(self._entity_starts, end)
        return [e for e in self.entities[lo:hi] if e.end <= end]

    def to_dict(self) -> dict[str, Any]:
        from marsad.records import document_to_dict

        return document_to_dict(self)

    def to_json(self, indent: int | None = None) -> str:
        import json

        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)
