#!/usr/bin/env python3
"""Learn word clusters from unlabelled news, for the NER tagger's features.

Usage: python scripts/build_word_clusters.py [--news ../shared/data/news/ant_multisource_2018.jsonl.gz]
                                             [--conll ../shared/data/ner/anercorp/train.txt]
                                             [--out src/marsad/data/models/word_clusters.tsv]

Trains word2vec (gensim, skip-gram) on the 30,307 shared news articles plus the
NER training text (never the test text), twice: with a wide context window
(words grouped by topic: «رامسفيلد» beside «بوش») and a narrow one (words
grouped by kind: surnames beside surnames). Then k-means over each model's
normalised vectors at three granularities (64, 256 and 1024 clusters), the
way Brown cluster prefixes give coarse and fine classes. Words a dictionary never lists
(«الكوماندوز», a village, a surname) land beside words it does, which is what
lets the tagger generalise. Only the cluster ids ship (one line a word), not
the vectors. Needs the training extras: ``pip install -e '.[train]'``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.ner.clusters import CLUSTER_SIZES, CLUSTERS_NAME, cluster_key  # noqa: E402
from marsad.ner.conll import read_conll  # noqa: E402
from marsad.text.tokens import tokenize  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"


def news_sentences(path: Path) -> list[list[str]]:
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line).get("text") or ""
            words = [cluster_key(t.text) for t in tokenize(text) if t.kind != "punct"]
            # word2vec windows need no sentence split; chunks keep the lists short
            out.extend(words[k:k + 1000] for k in range(0, len(words), 1000))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--news", type=Path, default=SHARED / "news" / "ant_multisource_2018.jsonl.gz")
    ap.add_argument("--conll", type=Path, default=SHARED / "ner" / "anercorp" / "train.txt")
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "marsad" / "data" / "models" / CLUSTERS_NAME)
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--epochs", type=int, default=8)
    ap.add_argument("--windows", type=int, nargs="+", default=[5, 2], help="context words each side, one model each")
    ap.add_argument("--seed", type=int, default=13)
    args = ap.parse_args()

    from gensim.models import Word2Vec
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.preprocessing import normalize

    t0 = time.perf_counter()
    corpus = news_sentences(args.news)
    corpus += [[cluster_key(tok) for tok, _ in s] for s in read_conll(args.conll)]
    counts = Counter(w for s in corpus for w in s)
    print(f"{sum(counts.values()):,} words, {len(counts):,} distinct ({time.perf_counter() - t0:.0f} s)")

    words: list[str] = []
    columns = []
    for window in args.windows:
        model = Word2Vec(corpus, vector_size=args.dim, window=window, min_count=args.min_count, sg=1, negative=5,
                         epochs=args.epochs, workers=1, seed=args.seed)
        words = model.wv.index_to_key  # the same vocabulary (same corpus and min_count) for every window
        vectors = normalize(model.wv.vectors)
        print(f"word2vec, window {window}: {len(words):,} words ({time.perf_counter() - t0:.0f} s)")
        for k in CLUSTER_SIZES:
            km = MiniBatchKMeans(n_clusters=k, random_state=args.seed, batch_size=4096, n_init=3)
            columns.append([f"{window}.{c}" for c in km.fit_predict(vectors)])
            print(f"k-means {k}: done ({time.perf_counter() - t0:.0f} s)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_name(args.out.name + ".tmp")
    with gzip.open(tmp, "wt", encoding="utf-8") as fh:
        fh.write(f"# word2vec on {args.news.name} + {args.conll.name}, windows {args.windows}; "
                 f"k-means {CLUSTER_SIZES}; scripts/build_word_clusters.py\n")
        for n, word in enumerate(words):
            fh.write(word + "\t" + "\t".join(c[n] for c in columns) + "\n")
    tmp.replace(args.out)
    print(f"{args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
