#!/usr/bin/env python3
"""Events per 1,000 words on real news, and a random sample of events to read by hand.

Precision must not be bought with silence: this prints how many events of
each type and modality Marsad codes per 1,000 words of middleEast articles.

Usage: python scripts/event_rates.py [--n 500] [--sample 30] [--corpus NEWS.jsonl.gz]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import marsad  # noqa: E402
from marsad.text.dates import parse_publication_date  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--sample", type=int, default=30)
    ap.add_argument("--corpus", type=Path,
                    default=ROOT.parent / "shared" / "data" / "news" / "ant_multisource_2018.jsonl.gz")
    args = ap.parse_args()
    pipeline = marsad.default_pipeline()
    words = 0
    by_type: Counter[str] = Counter()
    by_modality: Counter[str] = Counter()
    with_source = with_target = with_location = 0
    events = []
    n = 0
    with gzip.open(args.corpus, "rt", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if row.get("section") != "middleEast" or not row.get("text", "").strip():
                continue
            doc = pipeline(row["text"], doc_id=row["id"], date=parse_publication_date(row.get("published")))
            words += len(row["text"].split())
            for ev in doc.events:
                by_type[ev.type] += 1
                by_modality[ev.modality] += 1
                with_source += ev.source is not None
                with_target += ev.target is not None
                with_location += ev.location is not None
                events.append((row["id"], ev))
            n += 1
            if n == args.n:
                break
    total = sum(by_type.values())
    print(f"{n} middleEast articles, {words:,} words, {total:,} events: {1000 * total / words:.1f} per 1,000 words")
    print("by type (per 1,000 words):", ", ".join(f"{t} {1000 * c / words:.2f}" for t, c in by_type.most_common()))
    print("by modality:", ", ".join(f"{m} {c}" for m, c in by_modality.most_common()))
    print(f"with a source {with_source / total:.0%}, a target {with_target / total:.0%}, "
          f"a location {with_location / total:.0%}")
    rng = random.Random(0)
    print(f"\nA random sample of {args.sample} events, to read by hand:")
    for doc_id, ev in rng.sample(events, min(args.sample, len(events))):
        src = ev.source.text if ev.source else "—"
        tgt = ev.target.text if ev.target else "—"
        print(f"- [{doc_id}] {ev.type}/{ev.modality} «{ev.trigger.text}» {src} → {tgt} | {ev.sentence.text[:110]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
