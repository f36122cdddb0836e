#!/usr/bin/env python3
"""Train the reportedness model (src/marsad/data/models/reportedness.json) on the Arabic event gold standard.

For every asserted ASSAULT or PROTEST candidate the event coder finds in the
annotated sentences (development half, ../shared/data/arabic_event_gsr), its
context features and the sentence's label (yes / no) train a logistic
regression. The threshold of each type maximises the mean of two F1 scores: sentence
detection, 5-fold cross-validated over the gold standard's sentences, and
the type's events in the annotated dev articles (../shared/eval/dev). Both
figures are written into the model's info: the cross-validated one is the
figure to report, not the in-sample one.

Usage: python scripts/train_reportedness.py [--gsr ../shared/data/arabic_event_gsr] [--out PATH]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import zlib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.events.coder import EventCoder  # noqa: E402
from marsad.events.reportedness import ALWAYS_KEPT  # noqa: E402
from marsad.knowledge.eventdata import builtin_event_knowledge  # noqa: E402
from marsad.knowledge.triggers import (  # noqa: E402
    builtin_modality_path,
    builtin_trigger_paths,
    load_modality_file,
    load_trigger_file,
)
from marsad.pipeline import FACTORIES, Knowledge, Pipeline  # noqa: E402

TYPES = ("ASSAULT", "PROTEST")
MIN_COUNT = 3  # lexical features seen fewer times are dropped
TOLERANCE = 0.05  # detection F1 that may be given up for the articles' sake


def collecting_pipeline() -> Pipeline:
    coder = EventCoder([t for p in builtin_trigger_paths() for t in load_trigger_file(p)],
                       load_modality_file(builtin_modality_path()), builtin_event_knowledge(), None,
                       collect_features=True)
    k = Knowledge()
    return Pipeline([FACTORIES[n](k) for n in ("text", "actors", "places", "quantities")] + [coder])


def dev_candidates(dev: Path) -> tuple[list[tuple[str, dict[str, float] | None, frozenset]], dict[str, int]]:
    """Annotated articles: ASSAULT/PROTEST candidates (type, features, gold events it matches), gold counts."""
    pipeline = collecting_pipeline()
    out, n_gold = [], dict.fromkeys(TYPES, 0)
    for gold_path in sorted(dev.glob("*.gold.json")):
        text = gold_path.with_name(gold_path.name.replace(".gold.json", ".txt")).read_text(encoding="utf-8")
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        spans = []
        for n, g in enumerate(gold["events"]):
            i = text.find(g["evidence"])
            spans.append((f"{gold_path.name}:{n}", g, i, i + len(g["evidence"])))
            if g["type"] in n_gold and not g.get("optional"):
                n_gold[g["type"]] += 1
        for e in pipeline(text).events:
            if e.type in TYPES and e.modality == "asserted":
                hits = frozenset(key for key, g, a, b in spans if not g.get("optional")
                                 and e.type in [g["type"], *g.get("alt_types", [])]
                                 and e.trigger.start < b and a < e.trigger.end)
                out.append((e.type, e.features, hits))
    return out, n_gold


def dev_f1(dev: tuple, w: dict[str, float], typ: str, threshold: float) -> float:
    """Relaxed-style F1 of one type on the annotated articles, keeping candidates at this threshold."""
    rows, n_gold = dev
    kept = [hits for t, f, hits in rows if t == typ and (f is None or prob(w, f) >= threshold)]
    found = frozenset().union(*kept) if kept else frozenset()
    p = sum(1 for h in kept if h) / len(kept) if kept else 0.0
    r = len(found) / n_gold[typ] if n_gold[typ] else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def candidates(gsr: Path) -> list[tuple[str, str, int, list[dict[str, float]]]]:
    """(type, sentence id, label, features of each asserted candidate of that type)."""
    pipeline = collecting_pipeline()
    rows = []
    for typ in TYPES:
        for line in (gsr / f"{typ.lower()}_detection.jsonl").open(encoding="utf-8"):
            row = json.loads(line)
            if row["label"] == "ambiguous":
                continue
            doc = pipeline(row["text"], doc_id=row["id"])
            feats = [e.features for e in doc.events if e.type == typ and e.features is not None]
            rows.append((typ, row["id"], int(row["label"] == "yes"), feats))
    return rows


def train(examples: list[tuple[dict[str, float], int]], epochs: int = 40, rate: float = 0.05,
          l2: float = 1e-3, seed: int = 0) -> dict[str, float]:
    w: dict[str, float] = {}
    rng = random.Random(seed)
    data = list(examples)
    pos = sum(y for _, y in data) or 1
    weight_pos = (len(data) - pos) / pos  # balance the classes
    for epoch in range(epochs):
        rng.shuffle(data)
        step = rate / (1 + epoch * 0.1)
        for x, y in data:
            z = sum(w.get(f, 0.0) * v for f, v in x.items())
            p = 1 / (1 + math.exp(-max(-30, min(30, z))))
            g = (p - y) * (weight_pos if y else 1.0)
            for f, v in x.items():
                w[f] = w.get(f, 0.0) - step * (g * v + l2 * w.get(f, 0.0))
    return w


def prob(w: dict[str, float], x: dict[str, float]) -> float:
    if ALWAYS_KEPT in x:
        return 1.0
    z = sum(w.get(f, 0.0) * v for f, v in x.items())
    return 1 / (1 + math.exp(-max(-30, min(30, z))))


def f1(rows, scores, typ: str, threshold: float) -> float:
    tp = fp = fn = 0
    for (t, _sid, y, _f), s in zip(rows, scores, strict=True):
        if t != typ:
            continue
        hit = any(p >= threshold for p in s)
        tp += y and hit
        fp += (not y) and hit
        fn += y and not hit
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def prune(rows) -> set[str]:
    counts = Counter(f for _t, _s, _y, feats in rows for x in feats for f in x)
    return {f for f, n in counts.items() if n >= MIN_COUNT}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gsr", type=Path, default=ROOT.parent / "shared" / "data" / "arabic_event_gsr")
    ap.add_argument("--dev", type=Path, default=ROOT.parent / "shared" / "eval" / "dev",
                    help="annotated articles, used only to choose the thresholds")
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "marsad" / "data" / "models" / "reportedness.json")
    args = ap.parse_args()
    rows = candidates(args.gsr)
    keep = prune(rows)
    rows = [(t, s, y, [{f: v for f, v in x.items() if f in keep} for x in feats]) for t, s, y, feats in rows]
    folds = 5
    order = sorted(range(len(rows)), key=lambda r: zlib.crc32(rows[r][1].encode()))  # stable across runs
    fold_of = {r: n % folds for n, r in enumerate(order)}
    cv_scores: list[list[float]] = [[] for _ in rows]
    for fold in range(folds):
        train_ex = [(x, y) for r, (_t, _s, y, feats) in enumerate(rows) if fold_of[r] != fold for x in feats
                    if ALWAYS_KEPT not in x]
        w = train(train_ex)
        for r, (_t, _s, _y, feats) in enumerate(rows):
            if fold_of[r] == fold:
                cv_scores[r] = [prob(w, x) for x in feats]
    weights = train([(x, y) for _t, _s, y, feats in rows for x in feats if ALWAYS_KEPT not in x])
    # The threshold serves two readers: sentence detection (the gold standard, cross-validated) and
    # whole articles (the annotated dev articles). Among the thresholds whose detection F1 is within
    # TOLERANCE of the best, it takes the one best for the articles.
    dev_rows = dev_candidates(args.dev) if args.dev.exists() else None
    thresholds, cv, dev_scores = {}, {}, {}
    for typ in TYPES:
        curve = [(f1(rows, cv_scores, typ, th / 100), th / 100) for th in range(5, 96)]
        best = max(g for g, _ in curve)
        near = [(dev_f1(dev_rows, weights, typ, th) if dev_rows else 0.0, -th, g) for g, th in curve
                if g >= best - TOLERANCE]
        d, neg_th, g = max(near)
        cv[typ], dev_scores[typ], thresholds[typ] = round(g, 4), round(d, 4), -neg_th
    weights = {f: round(v, 5) for f, v in sorted(weights.items()) if abs(v) > 1e-4}
    info = (f"Logistic regression over event-context features, trained on {len(rows)} sentences of the Arabic "
            f"event gold standard (development half). Cross-validated (5-fold, by sentence) detection F1: "
            + ", ".join(f"{t} {cv[t]:.3f} at threshold {thresholds[t]:.2f}" for t in TYPES)
            + f"; among thresholds within {TOLERANCE} of the best, chosen for the type's F1 on the annotated dev "
            + "articles ("
            + ", ".join(f"{t} {dev_scores[t]:.3f}" for t in TYPES) + ").")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"info": info, "cv_f1": cv, "thresholds": thresholds, "weights": weights},
                                   ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(info)
    print(f"{len(weights)} weights -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
