#!/usr/bin/env python3
"""Train the relevance model (src/marsad/data/models/relevance.json): is an article political/conflict news?

The labels are the outlets' own sections in the shared news corpus
(../shared/data/news/ant_multisource_2018.jsonl.gz): middleEast and
internationalNews are relevant; sport, culture, technology and economy are
not. Those six are all the sections the corpus has; an article of any other
section would be left out (economy stays negative although oil and sanctions
stories touch politics: the outlet's editors judged them business news).

Held out of everything: the articles of the event training set
(../shared/data/events_train, by ANT id) and the dev articles
(../shared/eval/dev: by URL and title, and any corpus article that carries
one of their lines, since scraped CNN pages embed neighbouring stories).

Features: the article's words (marsad.text.tokens, keyed by match_key; numbers
and punctuation dropped), log(1 + count), the vector scaled to unit length.
Vocabulary: the words most unevenly spread between the two classes (chi-square
over document frequency, on the training split only). Model: L2-regularised
logistic regression fitted with Nesterov-accelerated gradient descent in numpy;
the regularisation is chosen on a validation part of the training split. A
seeded 20% of the articles, stratified by section, is held out for the figures.

Usage: python scripts/train_relevance.py [--corpus PATH] [--out PATH] [--limit N] [--vocab N] [--seed N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import math
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.text.normalize import match_key  # noqa: E402
from marsad.text.tokens import tokenize  # noqa: E402

SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "data" / "news" / "ant_multisource_2018.jsonl.gz"
EVENTS_TRAIN = SHARED / "data" / "events_train" / "index.jsonl"
DEV = SHARED / "eval" / "dev"
OUT = ROOT / "src" / "marsad" / "data" / "models" / "relevance.json"

POSITIVE = ("middleEast", "internationalNews")
NEGATIVE = ("sport", "culture", "technology", "economy")
HELD_OUT_SHARE = 0.2
VALIDATION_SHARE = 0.15  # of the training split, to choose the regularisation
L2_GRID = (3e-6, 1e-5, 3e-5, 1e-4, 3e-4)
MIN_DF = 5  # a word must occur in this many training articles (fewer on a --limit slice)
DEV_LINE = 60  # characters of a dev line that mark an article as carrying it
ITERATIONS = 400
# Words that tell the outlet or its house style, not the topic: outlet names, and month names (BBC and France 24
# write «حزيران», others «يونيو», and the outlets mix sections differently): the model must not learn them.
NOT_TOPIC = frozenset(match_key(w) for w in (
    "CNN", "BBC", "فرانس", "سكاي", "نيوز",
    "يناير", "فبراير", "مارس", "أبريل", "إبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر",
    "ديسمبر", "كانون", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين",
))


def word_counts(text: str) -> Counter[str]:
    """The article's words by match key: what the pipeline component counts from doc.tokens."""
    return Counter(t.key for t in tokenize(text) if t.kind == "word" and len(t.key) > 1 and t.key not in NOT_TOPIC)


def held_out_articles() -> tuple[set[str], set[str], list[str]]:
    """Ids of the event training articles; URLs and titles of the dev articles; prefixes of their lines."""
    train_ids = {json.loads(line).get("ant_id") for line in EVENTS_TRAIN.open(encoding="utf-8")} - {None}
    keys: set[str] = set()
    lines: list[str] = []
    for line in (DEV / "index.jsonl").open(encoding="utf-8"):
        d = json.loads(line)
        keys |= {d[k] for k in ("url", "title") if d.get(k)}
    for path in sorted(DEV.glob("*.txt")):
        lines += [s.strip()[:DEV_LINE] for s in path.read_text(encoding="utf-8").splitlines()
                  if len(s.strip()) >= DEV_LINE]
    return train_ids, keys, lines


def load(corpus: Path, limit: int | None, seed: int) -> tuple[list[dict], dict[str, int]]:
    train_ids, dev_keys, dev_lines = held_out_articles()
    rows, dropped = [], Counter()
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r["section"] not in POSITIVE + NEGATIVE:
                dropped["other section"] += 1
            elif not r["text"].strip():
                dropped["empty"] += 1
            elif r["id"] in train_ids:
                dropped["events_train"] += 1
            elif r.get("url") in dev_keys or r.get("title") in dev_keys or any(s in r["text"] for s in dev_lines):
                dropped["dev"] += 1
            else:
                rows.append(r)
    rows.sort(key=lambda r: r["id"])  # the file's order must not matter
    if limit is not None and limit < len(rows):
        # a stratified sample, so a slice of a few hundred still has every section
        rng = np.random.default_rng(seed)
        keep = set(rng.choice(len(rows), size=limit, replace=False).tolist())
        rows = [r for i, r in enumerate(rows) if i in keep]
    return rows, dict(dropped)


def split(sections: list[str], share: float, rng: np.random.Generator) -> np.ndarray:
    """A boolean mask choosing ``share`` of each section's items, at random."""
    mask = np.zeros(len(sections), dtype=bool)
    by_section: dict[str, list[int]] = {}
    for i, s in enumerate(sections):
        by_section.setdefault(s, []).append(i)
    for s in sorted(by_section):
        idx = np.array(by_section[s])
        rng.shuffle(idx)
        mask[idx[:max(1, round(share * len(idx)))]] = True
    return mask


def choose_vocabulary(counts: list[Counter[str]], y: np.ndarray, size: int, min_df: int) -> list[str]:
    """The ``size`` words whose document frequency differs most between the classes (chi-square)."""
    df_pos: Counter[str] = Counter()
    df_neg: Counter[str] = Counter()
    for c, label in zip(counts, y, strict=True):
        (df_pos if label else df_neg).update(c.keys())
    n_pos, n_neg = int(y.sum()), int(len(y) - y.sum())
    n = n_pos + n_neg
    scored = []
    for w in set(df_pos) | set(df_neg):
        a, b = df_pos[w], df_neg[w]  # articles with the word, by class
        if a + b < min_df or w in NOT_TOPIC:
            continue
        c_, d = n_pos - a, n_neg - b
        den = (a + b) * (c_ + d) * (a + c_) * (b + d)
        chi2 = n * (a * d - b * c_) ** 2 / den if den else 0.0
        scored.append((-chi2, w))
    scored.sort()
    return sorted(w for _, w in scored[:size])


def features(counts: list[Counter[str]], vocab: dict[str, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A sparse matrix as (row, column, value) arrays: log(1 + count), each row scaled to unit length."""
    rows, cols, vals = [], [], []
    for i, c in enumerate(counts):
        items = [(vocab[w], math.log1p(n)) for w, n in c.items() if w in vocab]
        norm = math.sqrt(sum(v * v for _, v in items)) or 1.0
        for j, v in items:
            rows.append(i)
            cols.append(j)
            vals.append(v / norm)
    return np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64), np.array(vals, dtype=np.float64)


def matvec(x: tuple[np.ndarray, np.ndarray, np.ndarray], w: np.ndarray, n: int) -> np.ndarray:
    rows, cols, vals = x
    return np.bincount(rows, weights=vals * w[cols], minlength=n)


def fit(x: tuple[np.ndarray, np.ndarray, np.ndarray], y: np.ndarray, n_features: int,
        l2: float) -> tuple[np.ndarray, float]:
    """Minimise mean log loss + l2/2 |w|² (the bias unpenalised) by Nesterov-accelerated gradient descent."""
    rows, cols, vals = x
    n = len(y)
    # rows have unit length, so the loss's gradient is 0.25-Lipschitz (times the largest eigenvalue of XᵀX/n ≤ 1)
    step = 1.0 / (0.25 * 2 + l2)  # the bias column adds at most as much again
    theta = np.zeros(n_features + 1)
    prev = theta.copy()
    for t in range(1, ITERATIONS + 1):
        look = theta + (t - 1) / (t + 2) * (theta - prev)
        z = matvec(x, look[:-1], n) + look[-1]
        g = 1.0 / (1.0 + np.exp(-z)) - y
        grad = np.empty_like(theta)
        grad[:-1] = np.bincount(cols, weights=vals * g[rows], minlength=n_features) / n + l2 * look[:-1]
        grad[-1] = g.mean()
        prev, theta = theta, look - step * grad
    return theta[:-1], float(theta[-1])


def predict(x: tuple[np.ndarray, np.ndarray, np.ndarray], w: np.ndarray, b: float, n: int) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(matvec(x, w, n) + b)))


def figures(p: np.ndarray, y: np.ndarray) -> dict[str, float]:
    guess = p >= 0.5
    tp = int((guess & (y == 1)).sum())
    precision = tp / max(1, int(guess.sum()))
    recall = tp / max(1, int(y.sum()))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    # AUC: the chance a relevant article outscores an irrelevant one (Mann-Whitney, ties counted half)
    order = np.argsort(p, kind="mergesort")
    ranks = np.empty(len(p))
    sorted_p = p[order]
    i = 0
    while i < len(p):
        j = i
        while j + 1 < len(p) and sorted_p[j + 1] == sorted_p[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    n_pos, n_neg = int(y.sum()), int(len(y) - y.sum())
    auc = (ranks[y == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg) if n_pos and n_neg else float("nan")
    return {"accuracy": round(float((guess == (y == 1)).mean()), 4), "precision": round(precision, 4),
            "recall": round(recall, 4), "f1": round(f1, 4), "auc": round(float(auc), 4)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--limit", type=int, default=None, help="Train on a seeded sample of N articles (tests).")
    ap.add_argument("--vocab", type=int, default=4000, help="Vocabulary size.")
    ap.add_argument("--seed", type=int, default=2018)
    args = ap.parse_args()

    rows, dropped = load(args.corpus, args.limit, args.seed)
    sections = [r["section"] for r in rows]
    y = np.array([s in POSITIVE for s in sections], dtype=np.float64)
    print(f"{len(rows)} articles ({int(y.sum())} relevant); left out: {dropped}", file=sys.stderr)
    counts = [word_counts(r["text"]) for r in rows]

    rng = np.random.default_rng(args.seed)
    test = split(sections, HELD_OUT_SHARE, rng)
    train_idx, test_idx = np.flatnonzero(~test), np.flatnonzero(test)
    min_df = MIN_DF if args.limit is None else 2
    vocab_list = choose_vocabulary([counts[i] for i in train_idx], y[train_idx], args.vocab, min_df)
    vocab = {w: j for j, w in enumerate(vocab_list)}

    def matrix(idx: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return features([counts[i] for i in idx], vocab)

    # the regularisation: the best log loss on a validation part of the training split
    val = split([sections[i] for i in train_idx], VALIDATION_SHARE, rng)
    fit_idx, val_idx = train_idx[~val], train_idx[val]
    x_fit, x_val = matrix(fit_idx), matrix(val_idx)
    best = None
    for l2 in L2_GRID:
        w, b = fit(x_fit, y[fit_idx], len(vocab), l2)
        p = np.clip(predict(x_val, w, b, len(val_idx)), 1e-9, 1 - 1e-9)
        loss = float(-(y[val_idx] * np.log(p) + (1 - y[val_idx]) * np.log(1 - p)).mean())
        print(f"l2 {l2:g}: validation log loss {loss:.4f}", file=sys.stderr)
        if best is None or loss < best[0]:
            best = (loss, l2)
    assert best is not None
    l2 = best[1]
    w, b = fit(matrix(train_idx), y[train_idx], len(vocab), l2)
    held = figures(predict(matrix(test_idx), w, b, len(test_idx)), y[test_idx])
    print(f"held out ({len(test_idx)} articles): {held}", file=sys.stderr)

    model = {
        "info": (f"Logistic regression (L2 {l2:g}) over {len(vocab)} words, log(1 + count) scaled to unit length: "
                 f"the probability that an article is political/conflict news. Trained on {len(train_idx)} "
                 f"articles of {args.corpus.name} labelled by section; on {len(test_idx)} held-out articles "
                 f"(seeded 20%, stratified by section) accuracy {held['accuracy']}, F1 {held['f1']}, "
                 f"AUC {held['auc']}. Rebuild: python scripts/train_relevance.py"),
        "trained": dt.date.today().isoformat(),
        "data": {
            "corpus": args.corpus.name, "articles": len(rows), "train": len(train_idx), "held_out": len(test_idx),
            "positive_sections": list(POSITIVE), "negative_sections": list(NEGATIVE), "left_out": dropped,
            "limit": args.limit, "seed": args.seed,
        },
        "held_out": held,
        "features": "match_key of word tokens (numbers, punctuation and one-letter words dropped), "
                    "log(1 + count), the vector scaled to unit length",
        "l2": l2,
        "vocabulary_size": len(vocab),
        "bias": round(b, 5),
        "weights": {word: round(float(v), 4)
                    for word, v in zip(vocab_list, w, strict=True)},  # all of them: the scaling counts every word
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB)", file=sys.stderr)


if __name__ == "__main__":
    main()
