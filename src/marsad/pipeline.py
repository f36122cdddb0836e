"""The pipeline: an ordered list of components, configured in one place.

text → document (sentences, tokens) → recognisers (actors, places) → event
coder. Each component is a callable that takes a :class:`Document`, adds a
layer and returns it; it declares what it ``requires`` and ``assigns`` so the
order can be checked when the pipeline is built.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from marsad.doc import Document, Sentence
from marsad.errors import InputError, MarsadError
from marsad.readers.base import DEFAULT_MAX_CHARS
from marsad.text.script import language_notice
from marsad.text.sentences import split_sentences
from marsad.text.tokens import tokenize

MAX_SENTENCE_TOKENS = 150  # longer "sentences" are cut (see TextComponent)


class Component(Protocol):
    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]

    def __call__(self, doc: Document) -> Document: ...


class TextComponent:
    """Sentences and tokens with offsets; the notice for a document that is mostly not Arabic text."""

    name = "text"
    requires: tuple[str, ...] = ()
    assigns = ("sentences", "tokens", "language")

    def __call__(self, doc: Document) -> Document:
        doc.language_notice = language_notice(doc.text)
        tokens = tokenize(doc.text)
        doc.set_tokens(tokens)
        sentences = []
        k = 0
        for start, end in split_sentences(doc.text):
            while k < len(tokens) and tokens[k].end <= start:
                k += 1
            first = k
            while k < len(tokens) and tokens[k].start < end:
                k += 1
            # Text with no sentence punctuation (lists, scraped pages) is cut into pieces: the
            # recognisers and the coder work within a sentence and must not face one of 10,000 words.
            for a in range(first, max(k, first + 1), MAX_SENTENCE_TOKENS):
                b = min(k, a + MAX_SENTENCE_TOKENS)
                s_start = start if a == first else tokens[a].start
                s_end = end if b == k else tokens[b - 1].end
                sentences.append(Sentence(len(sentences), s_start, s_end, a, b))
        doc.sentences = sentences
        return doc


@dataclass
class Knowledge:
    """User files that extend the built-in knowledge."""

    actor_files: Sequence[str | Path] = ()
    place_files: Sequence[str | Path] = ()
    trigger_files: Sequence[str | Path] = ()


@lru_cache(maxsize=4)
def _actor_index(actor_files: tuple[str | Path, ...]):  # type: ignore[no-untyped-def]
    """One actor index for the actor recogniser and the generic agents' countries."""
    from marsad.recognize.actors import ActorIndex

    return ActorIndex.builtin(actor_files)


def _build_actors(k: Knowledge) -> Component:
    from marsad.recognize.actors import ActorRecogniser

    return ActorRecogniser(_actor_index(tuple(k.actor_files)))


def _build_agents(k: Knowledge) -> Component:
    from marsad.recognize.agents import AgentCountry

    return AgentCountry(_actor_index(tuple(k.actor_files)))


@lru_cache(maxsize=4)
def _gazetteer(place_files: tuple[str | Path, ...]):  # type: ignore[no-untyped-def]
    """One gazetteer for the place recogniser and the name recogniser's geocoding (it is large)."""
    from marsad.recognize.places import Gazetteer

    return Gazetteer.builtin(place_files)


def _build_places(k: Knowledge) -> Component:
    from marsad.recognize.places import PlaceRecogniser

    return PlaceRecogniser(_gazetteer(tuple(k.place_files)))


def _build_names(k: Knowledge) -> Component:
    from marsad.ner.tagger import NerTagger
    from marsad.recognize.names import NameRecogniser

    return NameRecogniser(NerTagger.builtin(), _gazetteer(tuple(k.place_files)))


def _build_quantities(k: Knowledge) -> Component:
    from marsad.recognize.quantities import QuantityRecogniser

    return QuantityRecogniser()


def _build_relevance(k: Knowledge) -> Component:
    from marsad.recognize.relevance import RelevanceScorer, builtin_relevance

    return RelevanceScorer(builtin_relevance())


def _build_events(k: Knowledge) -> Component:
    from marsad.events.coder import EventCoder

    return EventCoder.builtin(k.trigger_files)


# The registry: every component, by name, with the factory that builds it.
FACTORIES: dict[str, Callable[[Knowledge], Component]] = {
    "text": lambda k: TextComponent(),
    "actors": _build_actors,
    "places": _build_places,
    "names": _build_names,
    "agents": _build_agents,
    "quantities": _build_quantities,
    "relevance": _build_relevance,
    "events": _build_events,
}
# Relevance first after the text: it reads only the words, and the place recogniser asks it whether «ميلان» is
# the city or, in sport news, the club.
DEFAULT_ORDER = ("text", "relevance", "actors", "places", "names", "agents", "quantities", "events")


@dataclass
class Pipeline:
    """Runs components in order over documents."""

    components: list[Component]
    max_chars: int = DEFAULT_MAX_CHARS
    names: list[str] = field(init=False)

    def __post_init__(self) -> None:
        have: set[str] = set()
        for c in self.components:
            missing = set(c.requires) - have
            if missing:
                raise MarsadError(f"component '{c.name}' needs {', '.join(sorted(missing))} from an earlier component")
            have.update(c.assigns)
        self.names = [c.name for c in self.components]

    @classmethod
    def default(cls, knowledge: Knowledge | None = None, order: Sequence[str] = DEFAULT_ORDER,
                max_chars: int = DEFAULT_MAX_CHARS) -> Pipeline:
        knowledge = knowledge or Knowledge()
        return cls([FACTORIES[name](knowledge) for name in order], max_chars=max_chars)

    def __call__(self, text: str, doc_id: str = "doc", date: str | None = None,
                 meta: dict[str, Any] | None = None) -> Document:
        """Analyse one text. Raises InputError for an empty or oversized document."""
        if not text.strip():
            raise InputError(doc_id, "empty document")
        if len(text) > self.max_chars:
            raise InputError(doc_id, f"document has {len(text):,} characters, over the limit of {self.max_chars:,}")
        doc = Document(text=text, doc_id=doc_id, date=date, meta=dict(meta or {}))
        for component in self.components:
            doc = component(doc)
        return doc

    def pipe(self, items: Iterable[tuple[str, str, dict[str, Any]]],
             on_error: Callable[[str, MarsadError], None]) -> Iterator[Document]:
        """Analyse ``(doc_id, text, meta)`` items; failures go to ``on_error`` and the stream goes on."""
        for doc_id, text, meta in items:
            try:
                yield self(text, doc_id=doc_id, date=meta.get("date"), meta=meta)
            except MarsadError as exc:
                on_error(doc_id, exc)
