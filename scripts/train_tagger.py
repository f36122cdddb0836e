#!/usr/bin/env python3
"""Train the trigger tagger (src/marsad/data/models/tagger.json) on the annotated training articles.

The pipeline (shipped models, the tagger off) logs the features of every word the lexicons did not match whose bare
form occurs in a gold evidence string. Each gold event (required first, then optional: both are events the scorer
accepts) labels the first content word of its evidence with its type when the lexicons matched no word of the
evidence (when they did, its other words are context or a light verb, not a missed trigger: «تفجير حافلة» teaches
nothing of «حافلة», «شن هجوما» nothing of «شن»); other words of a gold evidence are left out (a tagger that picks
them is not wrong), every other word is *no event*. As in the coder, the tagger proposes no event of a type the
lexicons matched in the clause, whether the coder kept that match or not. Non-political
articles of the shared corpus (train_events.py's seeded draw, disjoint from the evaluation sample) add words that
are all *no event*. The vocabulary is the bare forms labelled at least twice; a softmax regression (AdaGrad, L2)
learns the weights. Each type's threshold (or none: the tagger leaves the type to the lexicons) maximises the
relaxed F1 of the shipped pipeline's events plus the tagger's, 5-fold cross-validated by article (the folds of
train_events.py; the other models fixed, trained on all the articles). ../shared/eval/dev is held out: never read.

Usage: python scripts/train_tagger.py [--gold ../shared/data/events_train] [--out PATH] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from train_arguments import FOLDS, SEED, annotated, article_folds, strict_f1  # noqa: E402
from train_events import negative_articles  # noqa: E402
from trigger_coverage import _FUNCTION  # noqa: E402

from marsad.evaluate.documents import gold_event_of, gold_events, relaxed_pairs  # noqa: E402
from marsad.events.coder import EventCoder  # noqa: E402
from marsad.events.tagger import NONE, LoggedWord, TriggerTagger, bare_forms  # noqa: E402
from marsad.pipeline import Pipeline  # noqa: E402
from marsad.records import document_to_dict  # noqa: E402
from marsad.text.tokens import tokenize  # noqa: E402

EPOCHS = 6
L2 = 1e-5
RATE = 0.3
MIN_LABELS = 2  # a bare form enters the vocabulary when it was labelled this often
MIN_SHARE = 0.15  # … and in at least this share of their occurrences
MIN_COUNT = 3  # features seen fewer times are left out
NEGATIVE_ARTICLES = 150
THRESHOLDS = [round(0.05 * k, 2) for k in range(3, 19)]

def stem(key: str) -> str:
    return bare_forms(key)[-1]


def label_words(article: dict) -> list[tuple[LoggedWord, str | None]]:
    """Each logged word with its label: a type, NONE, or None (inside a gold evidence but not its first word)."""
    located = sorted(gold_events(article["name"], article["gold"], article["text"]),
                     key=lambda gs: bool(gs[0].get("optional")))
    label: dict[int, str | None] = {}
    text = article["text"]
    for g, (a, b) in located:
        if any(s < b and a < e for _, s, e, _ in article["matches"]):
            continue  # a lexicon matched a word of it («شن هجوما»: «هجوم»): its words are no missed trigger
        inside = [n for n, w in enumerate(article["words"]) if a <= w.start and w.end <= b]
        # The evidence's first content word, whatever the lexicons made of it: when a lexicon matched it
        # («تفجير حافلة»), the words after it («حافلة») are its context, not a trigger the lexicons missed.
        head = next((t for t in tokenize(text[a:b]) if t.kind == "word" and t.key not in _FUNCTION), None)
        first = next((n for n in inside if head is not None and article["words"][n].start == a + head.start), None)
        for n in inside:
            if n == first and label.get(n) is None:
                label[n] = g["type"]
            else:
                label.setdefault(n, None)
    return [(w, label.get(n, NONE)) for n, w in enumerate(article["words"])]


def vocabulary(rows: list[tuple[str, str]], types: set[str] | None = None) -> frozenset[str]:
    """Bare forms labelled an event (of ``types``, when given) at least MIN_LABELS times and in at least MIN_SHARE
    of their occurrences."""
    counts = Counter(s for s, label in rows if label not in (None, NONE) and (types is None or label in types))
    seen = Counter(s for s, _ in rows)
    return frozenset(s for s, c in counts.items() if c >= MIN_LABELS and c >= MIN_SHARE * seen[s])


def train(rows: list[tuple[list[str], str]], classes: tuple[str, ...], epochs: int = EPOCHS) -> dict:
    counts = Counter(n for f, _ in rows for n in f)
    index = {n: k for k, n in enumerate(sorted(n for n, c in counts.items() if c >= MIN_COUNT))}
    cls = {c: k for k, c in enumerate(classes)}
    encoded = [(np.array([index[n] for n in f if n in index], dtype=np.int64), cls[y]) for f, y in rows]
    w = np.zeros((len(index), len(classes)))
    g2 = np.full((len(index), len(classes)), 1e-8)
    order = list(range(len(encoded)))
    rnd = random.Random(SEED)
    for _ in range(epochs):
        rnd.shuffle(order)
        for n in order:
            idx, y = encoded[n]
            z = w[idx].sum(axis=0)
            p = np.exp(z - z.max())
            p /= p.sum()
            p[y] -= 1.0
            grad = p[None, :] + L2 * w[idx]
            g2[idx] += grad * grad
            w[idx] -= RATE * grad / np.sqrt(g2[idx])
    names = sorted(index, key=index.get)  # type: ignore[arg-type]
    return {n: {str(c): round(float(v), 2) for c, v in enumerate(w[index[n]]) if abs(v) >= 0.03} for n in names
            if np.abs(w[index[n]]).max() >= 0.03}


def model_of(weights: dict, classes: tuple[str, ...], vocab: frozenset[str],
             thresholds: dict[str, float]) -> TriggerTagger:
    return TriggerTagger(classes, {n: {int(c): v for c, v in row.items()} for n, row in weights.items()}, vocab,
                         thresholds, "")


def tagged_events(article: dict, model: TriggerTagger, thresholds: dict[str, float]) -> list[dict]:
    """What the coder adds: per clause and type the most probable word, none where the pipeline coded the type."""
    found = []
    for w in article["words"]:
        if not model.reads(w.key):
            continue
        p = model.probabilities(w.features)
        c = max(range(1, len(p)), key=p.__getitem__)
        if p[c] >= thresholds.get(model.classes[c], 2.0):
            found.append((p[c], w.start, w.end, w.clause_start, w.clause_end, model.classes[c]))
    coded = [(ev["type"], ev["trigger"]["start"]) for ev in article["record"]["events"]]
    lexical = {(t, clause) for t, _, _, clause in article["matches"]}  # kept or dropped: the coder's call
    out = []
    for p, s, e, cs, ce, typ in sorted(found, reverse=True):
        if (typ, cs) in lexical or any(t == typ and cs <= start < ce for t, start in coded):
            continue
        coded.append((typ, s))
        out.append({"type": typ, "trigger": {"start": s, "end": e}, "modality": "asserted", "p": p})
    return out


def write_model(path: Path, head: dict, weights: dict[str, dict[str, float]]) -> None:
    """The model as JSON with one line a feature, its weights a list by class (0 for none), so that it stays small
    and its diffs read."""
    n = len(head["classes"])
    rows = ",\n".join(f"{json.dumps(name, ensure_ascii=False)}: "
                      f"{json.dumps([row.get(str(c), 0) for c in range(n)], separators=(',', ':'))}"
                      for name, row in sorted(weights.items()))
    text = json.dumps(head, ensure_ascii=False, indent=0, sort_keys=True)
    path.write_text(text.removesuffix("\n}") + ',\n"weights": {\n' + rows + "\n}\n}\n", encoding="utf-8")


def per_type_thresholds(articles: list[dict], models: dict[str, TriggerTagger], types: tuple[str, ...]
                        ) -> dict[str, float]:
    """Each type's threshold (or none: the tagger proposes no event of the type), chosen greedily, type by type, for
    the best relaxed F1 of the pipeline's events plus the tagger's: each proposal counts as a hit on a required or
    an optional gold event its word lies in that no pipeline event or earlier proposal matched, else as an error."""
    base_sys = base_req = n_gold = 0
    proposals: dict[str, list[tuple[float, int, int]]] = {t: [] for t in types}  # (p, required hit, optional hit)
    lowest = {t: THRESHOLDS[0] for t in types}
    for a in articles:
        located = gold_events(a["name"], a["gold"], a["text"])
        pairs = relaxed_pairs(located, a["record"]["events"])
        used = {id(g) for g, _ in pairs}
        base_sys += len(a["record"]["events"])
        base_req += sum(1 for g, _ in pairs if not g.get("optional"))
        n_gold += sum(1 for g, _ in located if not g.get("optional"))
        for ev in tagged_events(a, models[a["name"]], lowest):
            g = gold_event_of(ev, [(g, span) for g, span in located if id(g) not in used])
            if g is not None:
                used.add(id(g))
            proposals[ev["type"]].append((ev["p"], int(g is not None and not g.get("optional")),
                                          int(g is not None and bool(g.get("optional")))))
    base_tp_sys = base_req + sum(1 for a in articles for g, _ in relaxed_pairs(
        gold_events(a["name"], a["gold"], a["text"]), a["record"]["events"]) if g.get("optional"))
    chosen: dict[str, float] = {}
    state = [base_sys, base_req, base_tp_sys]

    def f1(n_sys: int, req: int, tp_sys: int) -> float:
        p, r = tp_sys / n_sys if n_sys else 0.0, req / n_gold if n_gold else 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    for typ in sorted(types, key=lambda t: -len(proposals[t])):
        best, best_f = None, f1(*state)
        for t in THRESHOLDS:
            kept = [x for x in proposals[typ] if x[0] >= t]
            f = f1(state[0] + len(kept), state[1] + sum(x[1] for x in kept),
                   state[2] + sum(x[1] + x[2] for x in kept))
            if f > best_f + 1e-4:
                best, best_f = t, f
        if best is not None:
            kept = [x for x in proposals[typ] if x[0] >= best]
            state = [state[0] + len(kept), state[1] + sum(x[1] for x in kept),
                     state[2] + sum(x[1] + x[2] for x in kept)]
            chosen[typ] = best
    return chosen


def collect(gold: Path, limit: int | None, pipeline: Pipeline, coder: EventCoder) -> list[dict]:
    articles = annotated(gold, limit)
    evidence = {stem(t.key) for a in articles for g in a["gold"].get("events", [])
                for t in tokenize(g["evidence"]) if t.kind == "word" and t.key not in _FUNCTION}
    coder.tagger_vocabulary = frozenset(evidence)
    for a in articles:
        a["record"], a["words"], a["matches"] = logged(pipeline, coder, a["name"], a["text"])
    return articles


def logged(pipeline: Pipeline, coder: EventCoder, name: str, text: str
           ) -> tuple[dict, list[LoggedWord], list[tuple[str, int, int, int]]]:
    """The article's record, the words the tagger reads and every lexicon match (coder.match_log)."""
    coder.tagger_log, coder.match_log = [], []
    record = document_to_dict(pipeline(text, doc_id=name))
    words, matches, coder.tagger_log, coder.match_log = coder.tagger_log, coder.match_log, None, None
    return record, words, matches


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "data" / "events_train")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "marsad" / "data" / "models" / "tagger.json")
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles (a quick check)")
    ap.add_argument("--negatives", type=int, default=NEGATIVE_ARTICLES)
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    ap.add_argument("--l2", type=float, default=L2)
    ap.add_argument("--min-count", type=int, default=MIN_COUNT)
    ap.add_argument("--min-share", type=float, default=MIN_SHARE)
    args = ap.parse_args(argv)
    globals().update(L2=args.l2, MIN_COUNT=args.min_count, MIN_SHARE=args.min_share)
    if "eval" in args.gold.resolve().parts and "dev" in args.gold.resolve().parts:
        ap.error("the dev articles are held out: train on ../shared/data/events_train")
    pipeline = Pipeline.default()
    coder = next(c for c in pipeline.components if isinstance(c, EventCoder))
    coder.tagger = None
    articles = collect(args.gold, args.limit, pipeline, coder)
    for a in articles:
        a["labelled"] = [(w, y) for w, y in label_words(a) if y is not None]
    extra = []
    for row in negative_articles(args.shared, args.negatives) if args.negatives else []:
        extra.extend(logged(pipeline, coder, row["id"], row["text"])[1])
    classes = (NONE, *sorted({y for a in articles for _, y in a["labelled"] if y != NONE}))
    print(f"{len(articles)} articles, {sum(len(a['labelled']) for a in articles)} words, "
          f"{len(extra)} words of {args.negatives} non-political articles; classes {', '.join(classes[1:])}",
          file=sys.stderr)

    def rows_of(chosen: list[dict], types: set[str] | None = None) -> tuple[list[tuple[list[str], str]],
                                                                           frozenset[str]]:
        vocab = vocabulary([(stem(w.key), y) for a in chosen for w, y in a["labelled"]], types)
        rows = [(w.features, y) for a in chosen for w, y in a["labelled"] if any(s in vocab for s in bare_forms(w.key))]
        rows += [(w.features, NONE) for w in extra if any(s in vocab for s in bare_forms(w.key))]
        return rows, vocab

    fold_of = article_folds(articles)
    cv: dict[str, TriggerTagger] = {}
    for fold in range(FOLDS):
        rows, vocab = rows_of([a for a in articles if fold_of[a["name"]] != fold])
        model = model_of(train(rows, classes, args.epochs), classes, vocab, {})
        for a in articles:
            if fold_of[a["name"]] == fold:
                cv[a["name"]] = model
        print(f"fold {fold + 1}/{FOLDS}: {len(rows)} words, vocabulary {len(vocab)}", file=sys.stderr)

    def figures(models: dict[str, TriggerTagger], thresholds: dict[str, float]) -> tuple[dict, dict, int]:
        records, added = [], 0
        for a in articles:
            new = tagged_events(a, models[a["name"]], thresholds)
            added += len(new)
            records.append({**a["record"], "events": a["record"]["events"] + new})
        relaxed, strict = strict_f1(articles, records)
        return relaxed, strict, added

    thresholds = per_type_thresholds(articles, cv, classes[1:])
    for typ in classes[1:]:
        print(f"{typ}: threshold {thresholds.get(typ, 'off')}", file=sys.stderr)
    # the shipped tagger reads only the words labelled with a type it proposes: the same for the folds' figure
    for fold in range(FOLDS):
        narrow = rows_of([a for a in articles if fold_of[a["name"]] != fold], set(thresholds))[1]
        model = next(cv[a["name"]] for a in articles if fold_of[a["name"]] == fold)
        narrowed = replace(model, vocabulary=narrow, thresholds=thresholds)
        cv.update({a["name"]: narrowed for a in articles if fold_of[a["name"]] == fold})
    chosen = figures(cv, thresholds)
    rows, vocab = rows_of(articles)
    weights = train(rows, classes, args.epochs)
    # a type none of whose words is labelled often enough in all the articles (a tiny slice) proposes nothing
    thresholds = {t: v for t, v in thresholds.items() if rows_of(articles, {t})[1]}
    vocab = rows_of(articles, set(thresholds))[1]
    final = model_of(weights, classes, vocab, thresholds)
    base = strict_f1(articles, [a["record"] for a in articles])
    inside = figures({a["name"]: final for a in articles}, thresholds)
    lines = [f"{what}: events relaxed F1 {r['f1']:.3f} (P {r['precision']:.3f}, R {r['recall']:.3f}), strict F1 "
             f"{s['f1']:.3f}" for what, (r, s) in {
                 "the pipeline without the tagger (other models in-sample)": base,
                 "with the tagger, 5-fold cross-validated by article": chosen[:2],
                 "with the tagger, in-sample": inside[:2]}.items()]
    for line in lines:
        print(line)
    info = (f"Trained {date.today().isoformat()} by scripts/train_tagger.py on {len(articles)} articles of "
            f"{args.gold.name} ({len(rows)} words, those of {args.negatives} non-political articles among them). "
            + "; ".join(lines) + ".")
    write_model(args.out, {"info": info, "thresholds": thresholds, "classes": list(classes),
                           "vocabulary": sorted(vocab)}, weights)
    print(f"wrote {args.out} ({len(weights)} features, {len(vocab)} words, {len(thresholds)} types)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
