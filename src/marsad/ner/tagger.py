"""The CRF named-entity tagger: two passes over a document, loaded once per process.

The first pass tags each sentence from its own words; the second adds what
the first found anywhere in the document (marsad/ner/features.py,
``document_memory``), so a name recognised once is recognised everywhere.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from marsad.errors import MarsadError
from marsad.ner.clusters import builtin_clusters
from marsad.ner.features import (
    Lexicons,
    add_memory_features,
    builtin_lexicons,
    document_memory,
    recalls,
    token_features,
)

MODEL_NAME = "ner-anercorp.crfsuite"


def builtin_model_path() -> Path:
    return Path(str(files("marsad.data") / "models" / MODEL_NAME))


def second_pass_path(path: Path) -> Path:
    """The document-level model stored beside the first-pass one (``X.crfsuite`` → ``X.doc.crfsuite``)."""
    return path.with_name(path.name.removesuffix(".crfsuite") + ".doc.crfsuite")


def _open(path: Path):  # type: ignore[no-untyped-def]
    import pycrfsuite

    if not path.is_file():
        raise MarsadError(f"NER model not found: {path} (train one with `marsad train ner`)")
    tagger = pycrfsuite.Tagger()
    try:
        tagger.open(str(path))
    except (OSError, ValueError) as exc:
        raise MarsadError(f"not a CRF model: {path} ({exc})") from exc
    return tagger


class NerTagger:
    """BIO tagger over PERS, ORG, LOC, MISC (the ANERcorp label set)."""

    def __init__(self, model_path: str | Path, lexicons: Lexicons | None = None,
                 clusters: dict[str, tuple[str, ...]] | None = None) -> None:
        self.path = Path(model_path)
        self._first = _open(self.path)
        second = second_pass_path(self.path)
        self._second = _open(second) if second.is_file() else None
        self.lexicons = lexicons if lexicons is not None else builtin_lexicons()
        self.clusters = clusters if clusters is not None else builtin_clusters()
        # Features the models weigh; the rest are dropped before tagging (the same tags, much faster).
        self.known = frozenset(a for t in (self._first, self._second) if t is not None
                               for a, _label in t.info().state_features)

    @classmethod
    def builtin(cls) -> NerTagger:
        return _builtin()

    def tag(self, tokens: list[str]) -> list[str]:
        """One sentence, as its own document."""
        return self.tag_document([tokens])[0]

    def tag_document(self, sentences: list[list[str]]) -> list[list[str]]:
        """BIO tags for each sentence of one document."""
        features = [token_features(s, self.lexicons, self.clusters, self.known) if s else [] for s in sentences]
        first = [self._first.tag(f) if f else [] for f in features]
        if self._second is None:
            return first
        memory = document_memory(sentences, first)
        out = []
        for f, s, tags in zip(features, sentences, first, strict=True):
            # A sentence none of whose words the first pass tagged anywhere gains nothing from a second look.
            recalled = f and recalls(s, memory)
            out.append(self._second.tag(add_memory_features(f, s, memory)) if recalled else tags)
        return out


@lru_cache(maxsize=1)
def _builtin() -> NerTagger:
    return NerTagger(builtin_model_path())
