"""Training and evaluating the CRF tagger on CoNLL files (``marsad train ner``, ``marsad eval ner``).

CoNLL files have no article boundaries, so runs of ``DOC_SENTENCES``
consecutive sentences stand for documents, in training and in evaluation.
The second-pass model learns from first-pass tags it has not seen trained on
(out-of-fold predictions), so it trusts them no more than they deserve.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from marsad.ner.clusters import builtin_clusters
from marsad.ner.conll import Sentence, read_conll, score
from marsad.ner.features import add_memory_features, builtin_lexicons, document_memory, token_features
from marsad.ner.tagger import NerTagger, second_pass_path

DOC_SENTENCES = 20
FOLDS = 5
# Chosen on ANERcorp's training half (the test half only reports).
DEFAULT_PARAMS = {"c1": 0.05, "c2": 0.01, "max_iterations": 200}


def documents(sentences: list[Sentence]) -> list[list[Sentence]]:
    return [sentences[k:k + DOC_SENTENCES] for k in range(0, len(sentences), DOC_SENTENCES)]


def _fit(items: list[tuple[list[list[str]], list[str]]], out: Path, params: dict) -> Path:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for features, tags in items:
        trainer.append(features, tags)
    trainer.set_params({"c1": params["c1"], "c2": params["c2"], "max_iterations": params["max_iterations"],
                        "feature.possible_transitions": True, "feature.minfreq": 1})
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    trainer.train(str(tmp))
    tmp.replace(out)
    return out


def train(train_path: str | Path, out: str | Path, *, c1: float = DEFAULT_PARAMS["c1"],
          c2: float = DEFAULT_PARAMS["c2"], iterations: int = int(DEFAULT_PARAMS["max_iterations"]),
          limit: int | None = None, two_pass: bool = True, progress: Callable[[str], None] | None = None) -> Path:
    """Train the first-pass model (and the second-pass one beside it) on a CoNLL file."""
    params = {"c1": c1, "c2": c2, "max_iterations": iterations}
    lex, clusters = builtin_lexicons(), builtin_clusters()
    docs = documents(read_conll(train_path)[:limit])
    feats = [[token_features([t for t, _ in s], lex, clusters) for s in doc] for doc in docs]
    return train_on_features(docs, feats, out, params, two_pass=two_pass, progress=progress)


def train_on_features(docs: list[list[Sentence]], feats: list[list[list[list[str]]]], out: str | Path,
                      params: dict, *, two_pass: bool = True, progress: Callable[[str], None] | None = None) -> Path:
    """Both passes from first-pass features already made for each sentence of each document (scripts that try
    other features call this too)."""
    import pycrfsuite

    out = Path(out)
    tags = [[[tag for _, tag in s] for s in doc] for doc in docs]
    say = progress or (lambda _msg: None)
    say("first pass")
    _fit([(f, t) for fd, td in zip(feats, tags, strict=True) for f, t in zip(fd, td, strict=True)], out, params)
    second = second_pass_path(out)
    second.unlink(missing_ok=True)
    if not two_pass or len(docs) < FOLDS:
        return out
    predicted: list[list[list[str]]] = [[] for _ in docs]
    fold_model = out.with_name(out.name + ".fold")
    for fold in range(FOLDS):
        say(f"first pass, fold {fold + 1}/{FOLDS}")
        _fit([(f, t) for n, (fd, td) in enumerate(zip(feats, tags, strict=True)) if n % FOLDS != fold
              for f, t in zip(fd, td, strict=True)], fold_model, params)
        tagger = pycrfsuite.Tagger()
        tagger.open(str(fold_model))
        for n in range(fold, len(docs), FOLDS):
            predicted[n] = [tagger.tag(f) for f in feats[n]]
        tagger.close()
    fold_model.unlink(missing_ok=True)
    say("second pass")
    items = []
    for doc, fd, td, pd in zip(docs, feats, tags, predicted, strict=True):
        words = [[t for t, _ in s] for s in doc]
        memory = document_memory(words, pd)
        items.extend((add_memory_features(f, w, memory), t) for f, w, t in zip(fd, words, td, strict=True))
    _fit(items, second, params)
    return out


def evaluate(tagger: NerTagger, conll_path: str | Path, limit: int | None = None) -> dict:
    """CoNLL exact-match precision, recall and F1, overall and per type."""
    return evaluate_sentences(tagger, read_conll(conll_path)[:limit])


def evaluate_sentences(tagger: NerTagger, sentences: list[Sentence]) -> dict:
    """The same for sentences already read (runs of ``DOC_SENTENCES`` stand for documents)."""
    gold = [[tag for _, tag in s] for s in sentences]
    predicted = [tags for doc in documents(sentences) for tags in tagger.tag_document([[t for t, _ in s]
                                                                                      for s in doc])]
    result = score(gold, predicted)
    result["sentences"] = len(sentences)
    result["tokens"] = sum(len(s) for s in sentences)
    return result
