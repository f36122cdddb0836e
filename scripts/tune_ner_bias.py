#!/usr/bin/env python3
"""Tune the NER decoder's bias against O on held-out training documents, and write it beside the model.

The CRF recalls less than it is precise; holding O back by a constant at decoding trades one for the
other. The constant is chosen on ANERcorp *training* documents the models have not seen: a model pair is
trained on four fifths of the training file (every fifth 20-sentence document held out), the held-out
documents are tagged with each bias of a grid, and the best F1 wins. The test file is never looked at.

Usage: python scripts/tune_ner_bias.py [--train ../shared/data/ner/anercorp/train.txt] [--write]
(--write stores the choice in src/marsad/data/models/ner-anercorp.decode.json; ~15 minutes on one core)
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_TRAIN = REPO.parent / "shared" / "data" / "ner" / "anercorp" / "train.txt"
GRID = (0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", type=Path, default=DEFAULT_TRAIN)
    ap.add_argument("--write", action="store_true", help="store the best bias beside the shipped model")
    args = ap.parse_args()

    from marsad.ner.conll import read_conll, score
    from marsad.ner.tagger import NerTagger, builtin_model_path, decode_settings_path
    from marsad.ner.train import documents, train

    docs = documents(read_conll(args.train))
    kept = [d for n, d in enumerate(docs) if n % 5 != 4]
    held = [d for n, d in enumerate(docs) if n % 5 == 4]
    with tempfile.TemporaryDirectory() as tmp:
        part = Path(tmp) / "train80.conll"
        part.write_text("\n\n".join("\n".join(f"{t} {g}" for t, g in s) for d in kept for s in d) + "\n",
                        encoding="utf-8")
        model = train(part, Path(tmp) / "m.crfsuite", progress=lambda m: print(f"training: {m}", flush=True))
        tagger = NerTagger(model)
        gold = [[g for _, g in s] for d in held for s in d]
        results = []
        for first in GRID:
            for second in GRID:
                tagger.with_recall_bias(first, second)
                predicted = [tags for d in held for tags in tagger.tag_document([[t for t, _ in s] for s in d])]
                overall = score(gold, predicted)["overall"]
                results.append((overall["f1"], first, second, overall["precision"], overall["recall"]))
    results.sort(reverse=True)
    base = next(r for r in results if r[1] == r[2] == 0.0)
    print(f"held-out documents: {len(held)} ({sum(len(s) for d in held for s in d):,} tokens)")
    print(f"no bias:  F1 {base[0]:.3f} (P {base[3]:.3f}, R {base[4]:.3f})")
    for f1, first, second, p, r in results[:5]:
        print(f"first {first:.2f} second {second:.2f}: F1 {f1:.3f} (P {p:.3f}, R {r:.3f})")
    best = results[0]
    if args.write:
        out = decode_settings_path(builtin_model_path())
        out.write_text(json.dumps({
            "o_bias": {"first": best[1], "second": best[2]},
            "tuned_on": "ANERcorp train.txt, every fifth 20-sentence document held out from a model trained on "
                        "the other four fifths (scripts/tune_ner_bias.py)",
            "held_out_f1": {"without": round(base[0], 4), "with": round(best[0], 4)},
        }, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
