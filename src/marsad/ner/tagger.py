"""The CRF named-entity tagger: two passes over a document, loaded once per process.

The first pass tags each sentence from its own words; the second adds what
the first found anywhere in the document (marsad/ner/features.py,
``document_memory``), so a name recognised once is recognised everywhere.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from marsad.errors import MarsadError
from marsad.memo import Memo
from marsad.ner.clusters import builtin_clusters, cluster_key
from marsad.ner.features import (
    Lexicons,
    add_memory_features,
    builtin_lexicons,
    dictionary_tags,
    document_memory,
    memory_features,
    recalls,
    stem_of,
    token_features,
    word_features,
)
from marsad.text.tokens import token_key

if TYPE_CHECKING:
    from marsad.ner.decoder import Rows

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
        # The models' weights, parsed once: which features they know, and the fast path's arrays.
        self._infos = [t.info() for t in (self._first, self._second) if t is not None]
        self.known = frozenset(a for info in self._infos for a, _label in info.state_features)
        self._fast: _FastPath | None = None
        self.recall_bias = _read_bias(self.path)

    def with_recall_bias(self, first: float = 0.0, second: float = 0.0) -> NerTagger:
        """Decode this tagger with another bias against O from now on (scripts/tune_ner_bias.py tries several;
        the shipped one comes from the settings file beside the model)."""
        self.recall_bias = {"first": first, "second": second}
        return self

    @classmethod
    def builtin(cls) -> NerTagger:
        return _builtin()

    def tag(self, tokens: list[str]) -> list[str]:
        """One sentence, as its own document."""
        return self.tag_document([tokens])[0]

    def tag_document(self, sentences: list[list[str]]) -> list[list[str]]:
        """BIO tags for each sentence of one document (the models' weights summed with arrays: decoder.py)."""
        if self._fast is None:
            self._fast = _FastPath(self)
        return self._fast.tag_document(sentences)

    def tag_document_crfsuite(self, sentences: list[list[str]]) -> list[list[str]]:
        """The same through crfsuite's own tagger (the reference the fast path is tested against)."""
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


class _FastPath:
    """Both passes with summed weight vectors (ner/decoder.py): the tags crfsuite gives, faster."""

    def __init__(self, tagger: NerTagger) -> None:
        from marsad.ner.decoder import ContextRows, CrfWeights, WordScores

        self.tagger = tagger
        # Per distinct word, only its score sums (decoder.WordScores) and its key and stem are kept, not its
        # feature strings: those are made again if the word comes back after the scores forgot it.
        # Unfiltered by the models' known features: a feature without a weight sums as a zero row
        # (CrfWeights.rows), which gives the same sums without first hashing every new string against `known`.
        self.words = word_features(tagger.lexicons, tagger.clusters)
        self._keys: Memo[str, tuple[str, str]] = Memo(_key_stem, 50_000)
        models = [CrfWeights(t, info) for t, info in zip((tagger._first, tagger._second), tagger._infos, strict=False)]
        self.scores = WordScores(models)
        self.context_rows = ContextRows(models[0])  # after WordScores: the models share their rows
        self.two_pass = len(models) == 2

    def _run(self, model: int, sentences: list[list[str]], context: list[Rows]) -> list[list[str]]:
        import numpy as np

        from marsad.ner.decoder import emissions, viterbi

        words = [t for s in sentences for t in s]
        starts = np.fromiter((i for s in sentences for i in range(len(s))), dtype=np.intp, count=len(words))
        table = emissions(self.scores, model, words, starts, self.words.compute, context)
        bias = self.tagger.recall_bias["first" if model == 0 else "second"]
        if bias:
            table[:, self.scores.models[model].labels.index("O")] -= bias
        return viterbi(self.scores.models[model], table, [len(s) for s in sentences])

    def tag_document(self, sentences: list[list[str]]) -> list[list[str]]:
        from marsad.ner.decoder import context_rows

        present = [n for n, s in enumerate(sentences) if s]
        out: list[list[str]] = [[] for _ in sentences]
        if not present:
            return out
        real = [sentences[n] for n in present]
        keys = self._keys
        looked_up = [[keys[t] for t in s] for s in real]
        names = self.tagger.lexicons.names
        weights = self.scores.models[0]  # the models share their rows (decoder.share_rows)
        # Each sentence's context features, looked up once for both passes.
        contexts = [self.context_rows([stem for _, stem in ks], dictionary_tags(s, [token_key(t) for t in s], names))
                    for s, ks in zip(real, looked_up, strict=True)]
        first = self._run(0, real, [_stack(contexts)])
        for n, tags in zip(present, first, strict=True):
            out[n] = tags
        if not self.two_pass:
            return out
        memory = document_memory(real, first, looked_up)
        # A sentence none of whose words the first pass tagged anywhere gains nothing from a second look.
        again = [n for n, s in enumerate(real) if recalls(s, memory, looked_up[n])]
        if again:
            sentences_again = [real[n] for n in again]
            base = _stack([contexts[n] for n in again])
            recalled = _stack([context_rows(weights, memory_features(real[n], memory, looked_up[n])) for n in again])
            # Each token's context rows, then its memory rows: the order the weights are added in.
            for n, tags in zip(again, self._run(1, sentences_again, [base, recalled]), strict=True):
                out[present[n]] = tags
        return out


def _stack(parts: list[Rows]) -> Rows:
    """Sentences' context rows and counts, for the sentences one after the other."""
    rows: list[int] = []
    counts: list[int] = []
    for r, c in parts:
        rows.extend(r)
        counts.extend(c)
    return rows, counts


def _key_stem(token: str) -> tuple[str, str]:
    key = cluster_key(token)
    return key, stem_of(key)


def decode_settings_path(path: Path) -> Path:
    """The decoding settings stored beside a model (``X.crfsuite`` → ``X.decode.json``)."""
    return path.with_name(path.name.removesuffix(".crfsuite") + ".decode.json")


def _read_bias(path: Path) -> dict[str, float]:
    """How much each pass's O label is held back, from the settings file beside the model (none: 0 and 0).

    The CRF is more precise than it recalls (0.80 against 0.66 on ANERcorp); lowering the score of O by a
    constant trades a little of the one for more of the other. The constant is tuned on held-out training
    documents, never on the test file (scripts/tune_ner_bias.py)."""
    import json

    settings = decode_settings_path(path)
    if not settings.is_file():
        return {"first": 0.0, "second": 0.0}
    try:
        data = json.loads(settings.read_text(encoding="utf-8"))
        return {"first": float(data["o_bias"]["first"]), "second": float(data["o_bias"]["second"])}
    except (ValueError, KeyError, TypeError) as exc:
        raise MarsadError(f"{settings}: not valid decoding settings ({exc})") from exc


@lru_cache(maxsize=1)
def _builtin() -> NerTagger:
    return NerTagger(builtin_model_path())
