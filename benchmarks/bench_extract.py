#!/usr/bin/env python3
"""Throughput of `extract` per stage on real news articles; prints articles/s, words/s, tokens/s and peak RSS.

Usage: python benchmarks/bench_extract.py [--n 500] [--corpus ../shared/data/news/ant_multisource_2018.jsonl.gz]
Run by hand (not in CI's pass/fail); put the figures in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import time
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "news" / "ant_multisource_2018.jsonl.gz"


def load_articles(path: Path, n: int, section: str = "middleEast") -> list[str]:
    texts = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row.get("section") == section and row.get("text", "").strip():
                texts.append(row["text"])
                if len(texts) == n:
                    break
    return texts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=500, help="number of middleEast articles")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = ap.parse_args()

    from marsad.doc import Document
    from marsad.pipeline import Pipeline

    t0 = time.perf_counter()
    pipeline = Pipeline.default()
    load_s = time.perf_counter() - t0
    try:  # what extract and ingest do once the knowledge is loaded (marsad/parallel.py)
        from marsad.parallel import settle_collector
    except ImportError:  # a revision from before it (compare_revisions.py)
        pass
    else:
        settle_collector()
    texts = load_articles(args.corpus, args.n)
    words = sum(len(t.split()) for t in texts)
    print(f"{len(texts)} articles, {words:,} words ({words / len(texts):.0f} per article); "
          f"knowledge loaded in {load_s:.2f} s")

    stage_s = dict.fromkeys(pipeline.names, 0.0)
    n_tokens = 0
    t_all = time.perf_counter()
    for i, text in enumerate(texts):
        doc = Document(text=text, doc_id=str(i))
        for name, component in zip(pipeline.names, pipeline.components, strict=True):
            t = time.perf_counter()
            doc = component(doc)
            stage_s[name] += time.perf_counter() - t
        n_tokens += len(doc.tokens)
    total = time.perf_counter() - t_all
    for name, s in stage_s.items():
        print(f"  {name:8} {s:7.2f} s  {len(texts) / s:9.0f} articles/s  {words / s:11,.0f} words/s"
              f"  {n_tokens / s:11,.0f} tokens/s")
    print(f"end to end: {len(texts) / total:.1f} articles/s, {words / total:,.0f} words/s on one core")
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS: {rss_mb:.0f} MB")


if __name__ == "__main__":
    main()
