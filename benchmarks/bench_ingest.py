#!/usr/bin/env python3
"""Ingest against extract alone on the same articles: the store must not be the bottleneck.

Usage: python benchmarks/bench_ingest.py [--n 500] [--corpus ../shared/data/news/ant_multisource_2018.jsonl.gz]
Prints articles/s for the pipeline alone, for the pipeline plus the SQLite store, and the store's share.
Run by hand (not in CI's pass/fail); put the figures in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import itertools
import tempfile
import time
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "news" / "ant_multisource_2018.jsonl.gz"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = ap.parse_args()

    from marsad.parallel import PipelineSpec
    from marsad.pipeline import Pipeline
    from marsad.records import document_to_dict
    from marsad.sources import InputItem, iter_inputs
    from marsad.store.ingest import ingest
    from marsad.store.sqlite import EventStore

    items = [i for i in itertools.islice(iter_inputs([str(args.corpus)]), args.n) if isinstance(i, InputItem)]
    pipeline = Pipeline.default()

    def extract_all() -> float:
        t = time.perf_counter()
        for item in items:
            document_to_dict(pipeline(item.text, doc_id=item.doc_id, date=item.meta.get("date"), meta=item.meta))
        return time.perf_counter() - t

    extract_all()  # warm the caches both timed runs share (the NER tagger's per-word features)
    extract_s = extract_all()

    with tempfile.TemporaryDirectory() as tmp:
        store = EventStore(Path(tmp) / "bench.db")
        run = store.start_run("bench")
        t = time.perf_counter()
        ingest(items, PipelineSpec(), store, run, lambda *_: None, workers=1, pipeline=pipeline)
        ingest_s = time.perf_counter() - t
        counts = store.counts()
        store.close()
        size_mb = (Path(tmp) / "bench.db").stat().st_size / 1e6
    print(f"{len(items)} articles; {counts['events']} events, {counts['entities']} entities stored ({size_mb:.1f} MB)")
    print(f"extract alone:       {len(items) / extract_s:6.1f} articles/s")
    print(f"ingest (with store): {len(items) / ingest_s:6.1f} articles/s "
          f"({(ingest_s - extract_s) / ingest_s:.0%} of the time in the store)")


if __name__ == "__main__":
    main()
