#!/usr/bin/env python3
"""Tagging speed of the NER model on one core: tokens/s, crfsuite against the array path, and peak RSS.

Usage: python benchmarks/bench_ner.py [--conll ../shared/data/ner/anercorp/test.txt] [--repeat 3]
Run by hand (not in CI's pass/fail); put the figures in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

DEFAULT_CONLL = Path(__file__).resolve().parents[2] / "shared" / "data" / "ner" / "anercorp" / "test.txt"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--conll", type=Path, default=DEFAULT_CONLL)
    ap.add_argument("--repeat", type=int, default=3, help="passes over the file; the best is reported")
    args = ap.parse_args()

    from marsad.ner.conll import read_conll
    from marsad.ner.features import token_features
    from marsad.ner.tagger import NerTagger
    from marsad.ner.train import documents

    t0 = time.perf_counter()
    tagger = NerTagger.builtin()
    print(f"model, clusters and lexicons loaded in {time.perf_counter() - t0:.2f} s")
    docs = [[[t for t, _ in s] for s in doc] for doc in documents(read_conll(args.conll))]
    n_tokens = sum(len(s) for doc in docs for s in doc)

    best_total = best_features = best_crfsuite = float("inf")
    for _ in range(args.repeat):
        t = time.perf_counter()
        for doc in docs:
            for s in doc:
                token_features(s, tagger.lexicons, tagger.clusters)
        best_features = min(best_features, time.perf_counter() - t)
        t = time.perf_counter()
        for doc in docs:
            tagger.tag_document_crfsuite(doc)
        best_crfsuite = min(best_crfsuite, time.perf_counter() - t)
        t = time.perf_counter()
        for doc in docs:
            tagger.tag_document(doc)
        best_total = min(best_total, time.perf_counter() - t)
    print(f"{n_tokens:,} tokens in {len(docs)} documents of 20 sentences")
    print(f"feature strings only:            {n_tokens / best_features:,.0f} tokens/s")
    print(f"two passes through crfsuite:     {n_tokens / best_crfsuite:,.0f} tokens/s (feature strings, tag)")
    print(f"two passes, summed weights:      {n_tokens / best_total:,.0f} tokens/s (what the pipeline runs)")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
