"""Reading CoNLL-style NER files and scoring them (exact entity match, micro-averaged, as CoNLL).

Format: one ``TOKEN TAG`` a line (split on the last space), a blank line
between sentences; tags are BIO (``B-PERS``, ``I-LOC``, ``O``).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from marsad.errors import DataFileError

Sentence = list[tuple[str, str]]


def read_conll(path: str | Path) -> list[Sentence]:
    path = Path(path)
    sentences: list[Sentence] = []
    current: Sentence = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(path, None, f"cannot read: {exc}") from exc
    for lineno, line in enumerate(lines, 1):
        line = line.rstrip()
        if not line:
            if current:
                sentences.append(current)
                current = []
            continue
        if " " not in line and "\t" not in line:
            raise DataFileError(path, lineno, "expected 'TOKEN TAG'")
        token, tag = line.replace("\t", " ").rsplit(" ", 1)
        if tag != "O" and not (tag[:2] in ("B-", "I-") and len(tag) > 2):
            raise DataFileError(path, lineno, f"tag must be O, B-TYPE or I-TYPE, got {tag!r}")
        current.append((token, tag))
    if current:
        sentences.append(current)
    return sentences


def spans(tags: list[str]) -> set[tuple[int, int, str]]:
    """Entity spans (start, end, type) of a BIO sequence; a stray I- starts an entity."""
    out = set()
    start, kind = None, None
    for i, tag in enumerate([*tags, "O"]):
        if tag == "O" or tag.startswith("B-") or (tag.startswith("I-") and tag[2:] != kind):
            if start is not None:
                out.add((start, i, kind))
                start, kind = None, None
            if tag != "O":
                start, kind = i, tag[2:]
    return out


def score(gold: list[list[str]], predicted: list[list[str]]) -> dict:
    """Precision, recall and F1 overall and per type (exact span and type)."""
    tp: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    for g, p in zip(gold, predicted, strict=True):
        gs, ps = spans(g), spans(p)
        for s in gs:
            n_gold[s[2]] += 1
        for s in ps:
            n_pred[s[2]] += 1
        for s in gs & ps:
            tp[s[2]] += 1

    def prf(t: int, ng: int, np_: int) -> dict:
        p = t / np_ if np_ else 0.0
        r = t / ng if ng else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "gold": ng, "predicted": np_}

    result = {"overall": prf(sum(tp.values()), sum(n_gold.values()), sum(n_pred.values()))}
    result["per_type"] = {k: prf(tp[k], n_gold[k], n_pred[k]) for k in sorted(n_gold | n_pred)}
    return result
