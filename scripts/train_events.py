#!/usr/bin/env python3
"""Train the event classifier (src/marsad/data/models/events.json) on the annotated training articles.

Every candidate the coder finds in ../shared/data/events_train (with the classifier off, and neither the
reference rule nor the reportedness model dropping anything: both become features) is labelled by the scorer's
relaxed match: it is an event when a gold event of its type has its trigger in the evidence (optional gold events
count: the scorer does not hold them against a system). The Arabic event gold standard's development half
(ASSAULT and PROTEST sentences, each an event report or not) adds each sentence's asserted candidates of its
type, labelled by the sentence. Non-political articles of the shared corpus (sport,
culture, technology; a seeded draw that shares nothing with scripts/nonpolitical_sample.py's evaluation sample)
add negatives at a lower weight: what the lexicon finds in a match report is no event. A logistic regression
(AdaGrad, L2) learns the weights; the threshold maximises the mean of the training articles' relaxed F1 and the
gold standard's sentence detection F1, both 5-fold cross-validated (by article, by sentence), and stays at 0.5
unless another beats it by THRESHOLD_MARGIN (with --per-type, each type then takes a threshold of its own by the
same measure); those figures,
the strict one and the in-sample ones are written into the model's info. ../shared/eval/dev is held out: never read.

Usage: python scripts/train_events.py [--gold ../shared/data/events_train] [--out PATH] [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import random
import sys
import zlib
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from train_arguments import FOLDS, SEED, annotated, article_folds, strict_f1  # noqa: E402

from marsad.evaluate.documents import gold_event_of, gold_events  # noqa: E402
from marsad.events.classifier import EventClassifier  # noqa: E402
from marsad.events.coder import EventCoder  # noqa: E402
from marsad.pipeline import Pipeline  # noqa: E402
from marsad.records import document_to_dict  # noqa: E402

EPOCHS = 12
L2 = 1e-4
RATE = 0.2
NEGATIVE_ARTICLES = 300  # non-political articles whose candidates are all negatives
# A threshold other than 0.5 must beat it by this much in the objective: the objective's differences between
# neighbouring thresholds are often ~0.001, well under what another draw of folds changes.
THRESHOLD_MARGIN = 0.005
NONPOLITICAL_BUDGET = 0.2  # asserted events per non-political article a type's own threshold may not push past
NEGATIVE_WEIGHT = 0.5
MIN_COUNT = 2  # features seen fewer times are left out
THRESHOLDS = [round(0.05 * k, 2) for k in range(2, 15)]


def run(pipeline: Pipeline, coder: EventCoder, name: str, text: str) -> tuple[dict, dict[int, dict[str, float]]]:
    coder.event_log = []
    record = document_to_dict(pipeline(text, doc_id=name))
    log = {k: f for _, k, f in coder.event_log}
    coder.event_log = None
    return record, log


def labelled(article: dict) -> list[tuple[dict[str, float], int]]:
    located = gold_events(article["name"], article["gold"], article["text"])
    return [(article["features"][k], int(gold_event_of(ev, located) is not None))
            for k, ev in enumerate(article["record"]["events"]) if k in article["features"]]


def train(rows: list[tuple[dict[str, float], int, float]], epochs: int = EPOCHS) -> dict[str, float]:
    counts: dict[str, int] = {}
    for f, _, _ in rows:
        for name in f:
            counts[name] = counts.get(name, 0) + 1
    index = {name: n for n, name in enumerate(sorted(k for k, c in counts.items() if c >= MIN_COUNT))}
    encoded = [(np.array([index[n] for n in f if n in index], dtype=np.int64),
                np.array([v for n, v in f.items() if n in index]), y, wt) for f, y, wt in rows]
    w = np.zeros(len(index))
    g2 = np.full(len(index), 1e-8)
    order = list(range(len(encoded)))
    rnd = random.Random(SEED)
    for _ in range(epochs):
        rnd.shuffle(order)
        for n in order:
            idx, val, y, wt = encoded[n]
            z = float(w[idx] @ val)
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            grad = wt * (p - y) * val + L2 * w[idx]
            g2[idx] += grad * grad
            w[idx] -= RATE * grad / np.sqrt(g2[idx])
    names = sorted(index, key=index.get)  # type: ignore[arg-type]
    return {n: round(float(w[index[n]]), 4) for n in names if abs(w[index[n]]) >= 1e-3}


def scores_with(articles: list[dict], probs: dict[str, dict[int, float]], threshold: float,
                by_type: dict[str, float] | None = None) -> tuple[dict, dict]:
    """Relaxed and strict figures with the events scoring under their type's threshold (``by_type``, else
    ``threshold``) left out."""
    by_type = by_type or {}
    records = []
    for a in articles:
        p = probs.get(a["name"], {})
        records.append({**a["record"], "events": [ev for k, ev in enumerate(a["record"]["events"])
                                                  if p.get(k, 1.0) >= by_type.get(ev["type"], threshold)]})
    return strict_f1(articles, records)


def per_type_thresholds(articles: list[dict], probs: dict[str, dict[int, float]], threshold: float,
                        detection: dict[float, dict[str, float]],
                        negative_probs: list[list[tuple[float, str, bool]]] | None = None) -> dict[str, float]:
    """From the common threshold, each type in turn (most candidates first) takes the threshold that maximises the
    articles' cross-validated relaxed F1, the other types' held; for ASSAULT and PROTEST the mean of that and the
    gold standard's detection F1 of the type, as the common threshold was chosen. A threshold that would keep more
    than NONPOLITICAL_BUDGET asserted events per non-political article (cross-validated, ``negative_probs``) is
    not taken (the common threshold's own rate, if higher, is the budget)."""
    budget = max(NONPOLITICAL_BUDGET, nonpolitical_rate(negative_probs or [], threshold))
    counts: dict[str, int] = {}
    for a in articles:
        for ev in a["record"]["events"]:
            counts[ev["type"]] = counts.get(ev["type"], 0) + 1
    chosen: dict[str, float] = {}
    for typ in sorted(counts, key=lambda t: -counts[t]):
        def objective(t: float, typ: str = typ) -> float:
            relaxed = scores_with(articles, probs, threshold, {**chosen, typ: t})[0]["f1"]
            return 0.5 * relaxed + 0.5 * detection[t][typ] if detection and typ in GSR_TYPES else relaxed
        allowed = [t for t in THRESHOLDS if t == threshold or negative_probs is None
                   or nonpolitical_rate(negative_probs, threshold, {**chosen, typ: t}) <= budget]
        best = max(allowed, key=lambda t: (round(objective(t), 4), t == threshold))
        if best != threshold:
            chosen[typ] = best
    return chosen


def negative_articles(shared: Path, n: int) -> list[dict]:
    """A seeded draw of non-political articles (sport, culture, technology) of the shared corpus, none of them in
    scripts/nonpolitical_sample.py's evaluation sample nor among the annotated training articles."""
    from nonpolitical_sample import SECTIONS, draw

    held = {row["id"] for row in draw(shared, 300, 22)}  # the evaluation sample: never trained on
    train_ids = {json.loads(line).get("ant_id") for line in
                 (shared / "data" / "events_train" / "index.jsonl").read_text(encoding="utf-8").splitlines() if line}
    with gzip.open(shared / "data" / "news" / "ant_multisource_2018.jsonl.gz", "rt", encoding="utf-8") as f:
        pool = sorted((row for row in map(json.loads, f) if row.get("section") in SECTIONS
                       and row["id"] not in held and row["id"] not in train_ids), key=lambda row: row["id"])
    return random.Random(SEED + 1).sample(pool, n)


def negatives(shared: Path, n: int, pipeline: Pipeline, coder: EventCoder
              ) -> list[list[tuple[dict[str, float], str, bool]]]:
    """Per non-political article, its candidates: (features, type, asserted); every one of them is no event."""
    out = []
    for row in negative_articles(shared, n):
        record, log = run(pipeline, coder, row["id"], row["text"])
        events = record["events"]
        out.append([(f, events[k]["type"], events[k]["modality"] == "asserted") for k, f in log.items()])
    return out


def nonpolitical_rate(probs: list[list[tuple[float, str, bool]]], threshold: float,
                      by_type: dict[str, float] | None = None) -> float:
    """Asserted events kept per non-political article (each candidate: its cross-validated probability, type,
    asserted), the figure scripts/nonpolitical_sample.py reports on its own sample."""
    by_type = by_type or {}
    kept = sum(1 for article in probs for p, typ, asserted in article
               if asserted and p >= by_type.get(typ, threshold))
    return kept / len(probs) if probs else 0.0


GSR_TYPES = ("ASSAULT", "PROTEST")


def gsr_rows(gsr: Path, pipeline: Pipeline, coder: EventCoder) -> list[tuple[str, str, int, list[dict[str, float]]]]:
    """The Arabic event gold standard's development half: (type, sentence id, label, the features of each asserted
    candidate of that type). A sentence is an event report of its type or not; its candidates inherit that."""
    rows = []
    for typ in GSR_TYPES:
        for line in (gsr / f"{typ.lower()}_detection.jsonl").open(encoding="utf-8"):
            row = json.loads(line)
            if row["label"] == "ambiguous":
                continue
            record, log = run(pipeline, coder, str(row["id"]), row["text"])
            feats = [log[k] for k, ev in enumerate(record["events"])
                     if k in log and ev["type"] == typ and ev["modality"] == "asserted"]
            rows.append((typ, str(row["id"]), int(row["label"] == "yes"), feats))
    return rows


def detection_f1(rows: list[tuple[str, str, int, list[dict[str, float]]]], probs: dict[str, list[float]],
                 threshold: float, typ: str) -> float:
    """Sentence detection F1 for ``typ``: detected when a candidate of the type scores at the threshold."""
    tp = fp = fn = 0
    for t, sid, y, _ in rows:
        if t != typ:
            continue
        hit = any(p >= threshold for p in probs.get(f"{t}:{sid}", []))
        tp += hit and y
        fp += hit and not y
        fn += y and not hit
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "data" / "events_train")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "marsad" / "data" / "models" / "events.json")
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles (a quick check)")
    ap.add_argument("--negatives", type=int, default=NEGATIVE_ARTICLES)
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    ap.add_argument("--no-gsr", dest="gsr", action="store_false",
                    help="leave out the Arabic event gold standard's sentences (a quick check)")
    ap.add_argument("--per-type", action="store_true",
                    help="let each type take a threshold of its own, within a budget of non-political events "
                         "(off for the shipped model: unbounded, on 2026-12-06, it raised cross-validated relaxed F1 "
                         "from 0.597 to 0.614 but took the non-political sample from 0.20 to 0.51 events an article; "
                         "within the budget it gains 0.596 -> 0.599)")
    args = ap.parse_args(argv)
    if "eval" in args.gold.resolve().parts and "dev" in args.gold.resolve().parts:
        ap.error("the dev articles are held out: train on ../shared/data/events_train")
    pipeline = Pipeline.default()
    coder = next(c for c in pipeline.components if isinstance(c, EventCoder))
    coder.classifier = None
    coder.tagger = None  # the classifier judges the lexicons' candidates; the tagger's are its own (train_tagger.py)
    # the word-order rules' arguments only: the argument model is trained after this one, on the events it keeps
    # (train_arguments.py), so the two must not read each other (a verb's subject passed on to the next one did)
    coder.argument_model = None
    articles = annotated(args.gold, args.limit)
    for a in articles:
        a["record"], a["features"] = run(pipeline, coder, a["name"], a["text"])
    negative = negatives(args.shared, args.negatives, pipeline, coder)
    extra = [(f, 0, NEGATIVE_WEIGHT) for article in negative for f, _, _ in article]
    gsr = gsr_rows(args.shared / "data" / "arabic_event_gsr", pipeline, coder) if args.gsr else []
    print(f"{len(articles)} articles, {len(extra)} negatives from non-political news, {len(gsr)} gold standard "
          "sentences", file=sys.stderr)
    gsr_fold = {f"{t}:{sid}": n % FOLDS for n, (t, sid, _, _) in
                enumerate(sorted(gsr, key=lambda r: zlib.crc32(f"{r[0]}:{r[1]}".encode())))}

    fold_of = article_folds(articles)
    cv: dict[str, dict[int, float]] = {}
    gsr_cv: dict[str, list[float]] = {}
    negative_cv: list[list[tuple[float, str, bool]]] = [[] for _ in negative]  # by article, as negative
    for fold in range(FOLDS):
        rows = [(f, y, 1.0) for a in articles if fold_of[a["name"]] != fold for f, y in labelled(a)]
        rows += [(f, 0, NEGATIVE_WEIGHT) for n, article in enumerate(negative) if n % FOLDS != fold
                 for f, _, _ in article]
        rows += [(f, y, 1.0) for t, sid, y, feats in gsr if gsr_fold[f"{t}:{sid}"] != fold for f in feats]
        model = EventClassifier(train(rows, args.epochs), 0.5, "")
        for a in articles:
            if fold_of[a["name"]] == fold:
                cv[a["name"]] = {k: model.probability(f) for k, f in a["features"].items()}
        for t, sid, _, feats in gsr:
            if gsr_fold[f"{t}:{sid}"] == fold:
                gsr_cv[f"{t}:{sid}"] = [model.probability(f) for f in feats]
        for n, article in enumerate(negative):
            if n % FOLDS == fold:
                negative_cv[n] = [(model.probability(f), typ, asserted) for f, typ, asserted in article]
    by_threshold = {t: scores_with(articles, cv, t) for t in THRESHOLDS}
    detection = {t: {typ: detection_f1(gsr, gsr_cv, t, typ) for typ in GSR_TYPES} for t in THRESHOLDS}

    def objective(t: float) -> float:  # the articles' relaxed F1, and the gold standard's detection where read
        if not gsr:
            return by_threshold[t][0]["f1"]
        return 0.5 * by_threshold[t][0]["f1"] + 0.5 * sum(detection[t].values()) / len(GSR_TYPES)

    threshold = max(THRESHOLDS, key=objective)
    if objective(threshold) - objective(0.5) < THRESHOLD_MARGIN:
        threshold = 0.5  # a probability's natural cut, unless another is clearly better (not by a fold's noise)
    by_type = per_type_thresholds(articles, cv, threshold, detection if gsr else {}, negative_cv) \
        if args.per_type else {}
    print("thresholds of their own: " + (", ".join(f"{t} {v}" for t, v in sorted(by_type.items())) or "none"),
          file=sys.stderr)
    typed_detection = {typ: detection[by_type.get(typ, threshold)][typ] for typ in GSR_TYPES} if gsr else {}
    for t in THRESHOLDS:  # the curve the threshold was read off
        print(f"threshold {t}: cross-validated relaxed F1 {by_threshold[t][0]['f1']:.3f}, strict "
              f"{by_threshold[t][1]['f1']:.3f}" + "".join(f", {typ} detection {detection[t][typ]:.3f}"
                                                          for typ in GSR_TYPES if gsr), file=sys.stderr)
    rows = [(f, y, 1.0) for a in articles for f, y in labelled(a)] + extra
    rows += [(f, y, 1.0) for _, _, y, feats in gsr for f in feats]
    model = EventClassifier(train(rows, args.epochs), threshold, "")
    inside = {a["name"]: {k: model.probability(f) for k, f in a["features"].items()} for a in articles}
    own = f" ({len(by_type)} types with thresholds of their own)" if by_type else ""
    figures = {
        "every candidate (no classifier, no reportedness filter)": scores_with(articles, {}, 0.0),
        f"classifier, 5-fold cross-validated by article, threshold {threshold}{own}":
            scores_with(articles, cv, threshold, by_type),
        "classifier, in-sample": scores_with(articles, inside, threshold, by_type),
    }
    lines = [f"{what}: events relaxed F1 {r['f1']:.3f} (P {r['precision']:.3f}, R {r['recall']:.3f}), strict F1 "
             f"{s['f1']:.3f}" for what, (r, s) in figures.items()]
    rate = nonpolitical_rate(negative_cv, threshold, by_type)
    lines.append(f"non-political articles, 5-fold cross-validated: {rate:.2f} asserted events an article (the "
                 "lexicons' candidates, before the tagger)")
    if gsr:
        lines.append("gold standard sentence detection, 5-fold cross-validated: " + ", ".join(
            f"{typ} F1 {typed_detection[typ]:.3f}" for typ in GSR_TYPES))
    for line in lines:
        print(line)
    info = (f"Trained {date.today().isoformat()} by scripts/train_events.py on {len(articles)} articles of "
            f"{args.gold.name} ({len(rows) - len(extra)} candidates) and {len(extra)} candidates of "
            f"{args.negatives} non-political articles (weight {NEGATIVE_WEIGHT}). " + "; ".join(lines) + ".")
    args.out.write_text(json.dumps({"info": info, "threshold": threshold, "thresholds": by_type,
                                    "weights": model.weights,
                                    "gsr_cv_f1": {typ: round(typed_detection[typ], 3) for typ in GSR_TYPES}
                                    if gsr else {}},
                                   ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({len(model.weights)} weights, threshold {threshold})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
