#!/usr/bin/env python3
"""Draw the fixed, seeded sample of non-political news that issue #22's acceptance is measured on, and count the
events Marsad codes in it.

300 articles of the shared corpus's sport, culture and technology sections
(../shared/data/news/ant_multisource_2018.jsonl.gz), none of the annotated
training articles, drawn with a fixed seed; writes them as JSON Lines and prints
events per article and by type. Ideally few events: these sections report
matches, films and phones, and «هجمة مرتدة» is a counter-attack in football.

Usage: python scripts/nonpolitical_sample.py [--shared ../shared] [--n 300] [--seed 22] [--out sample.jsonl]
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

SECTIONS = ("sport", "culture", "technology")


def draw(shared: Path, n: int, seed: int) -> list[dict]:
    train_ids = {json.loads(line).get("ant_id") for line in
                 (shared / "data" / "events_train" / "index.jsonl").read_text(encoding="utf-8").splitlines() if line}
    with gzip.open(shared / "data" / "news" / "ant_multisource_2018.jsonl.gz", "rt", encoding="utf-8") as f:
        pool = [row for row in map(json.loads, f) if row.get("section") in SECTIONS and row["id"] not in train_ids]
    pool.sort(key=lambda row: row["id"])
    return random.Random(seed).sample(pool, n)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--seed", type=int, default=22)
    ap.add_argument("--out", type=Path, default=None, help="also write the sample here (JSON Lines)")
    args = ap.parse_args(argv)
    sample = draw(args.shared, args.n, args.seed)
    if args.out:
        args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in sample), encoding="utf-8")
    import marsad

    pipeline = marsad.default_pipeline()
    types: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    for row in sample:
        doc = pipeline(row["text"], doc_id=row["id"], date=None)
        for ev in doc.events:
            if ev.modality == "asserted":
                types[ev.type] += 1
                examples.setdefault(ev.type, []).append(f"{row['id']}: «{ev.trigger.text}»")
    total = sum(types.values())
    print(f"{len(sample)} articles ({', '.join(SECTIONS)}; seed {args.seed}): {total} asserted events, "
          f"{total / len(sample):.2f} per article")
    for t, k in types.most_common():
        print(f"  {t:10s} {k:4d}  e.g. " + "; ".join(examples[t][:3]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
