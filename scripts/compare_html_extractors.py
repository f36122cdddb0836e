#!/usr/bin/env python3
"""Measure Marsad's page reader (readers/html.py: readability-lxml) against trafilatura on saved news pages.

For each PAGES/NAME.html with its truth in PAGES/NAME.gold.json — {"title": …, "date": "YYYY-MM-DD",
"body": the article's text} — both extractors read the page, and the script prints, per extractor, how often the
title is right (after normalising spaces and letter forms), how often the date is, and the body's word-level
precision, recall and F1 against the gold body (bags of words, so paragraph order and breaks do not count).

    pip install trafilatura        # for this script only: it is no dependency of Marsad
    python scripts/compare_html_extractors.py PAGES [--json]

Without trafilatura installed only Marsad's reader is measured. `marsad watch` reads pages with the reader that
measures better on the outlets it follows (docs/watch.md); saved pages of those outlets, with their truth, are
what this needs.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.readers.base import InputItem  # noqa: E402
from marsad.readers.html import read_html  # noqa: E402
from marsad.text.normalize import match_key  # noqa: E402


def marsad_reader(data: bytes, name: str) -> dict[str, str | None]:
    for item in read_html(data, name, name, name):
        if isinstance(item, InputItem):
            return {"title": item.meta.get("title"), "date": item.meta.get("date"), "body": item.text}
    return {"title": None, "date": None, "body": ""}


def trafilatura_reader(data: bytes, name: str) -> dict[str, str | None]:
    import trafilatura

    doc = trafilatura.bare_extraction(data.decode("utf-8", "replace"), with_metadata=True)
    if doc is None:
        return {"title": None, "date": None, "body": ""}
    doc = doc if isinstance(doc, dict) else doc.as_dict()
    return {"title": doc.get("title"), "date": doc.get("date"), "body": doc.get("text") or ""}


def words(text: str | None) -> Counter[str]:
    return Counter(match_key(w) for w in (text or "").split() if match_key(w))


def body_scores(found: str | None, gold: str) -> tuple[float, float]:
    """(precision, recall) of the found body's words against the gold body's."""
    f, g = words(found), words(gold)
    common = sum((f & g).values())
    return (common / sum(f.values()) if f else 0.0, common / sum(g.values()) if g else 0.0)


def same_title(found: str | None, gold: str | None) -> bool:
    return bool(found) and bool(gold) and " ".join(words(found)) == " ".join(words(gold))


def measure(pages: Path, readers: dict) -> dict[str, dict[str, float]]:
    golds = sorted(pages.glob("*.gold.json"))
    if not golds:
        raise SystemExit(f"{pages}: no NAME.gold.json beside NAME.html")
    out: dict[str, dict[str, float]] = {}
    for label, reader in readers.items():
        titles = dates = 0
        precision = recall = 0.0
        for gold_path in golds:
            name = gold_path.name[: -len(".gold.json")]
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            found = reader((pages / f"{name}.html").read_bytes(), name)
            titles += same_title(found["title"], gold.get("title"))
            dates += bool(gold.get("date")) and (found["date"] or "")[:10] == gold["date"][:10]
            p, r = body_scores(found["body"], gold.get("body", ""))
            precision, recall = precision + p, recall + r
        n = len(golds)
        p, r = precision / n, recall / n
        out[label] = {"pages": n, "title": titles / n, "date": dates / n, "body_precision": p, "body_recall": r,
                      "body_f1": 2 * p * r / (p + r) if p + r else 0.0}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pages", type=Path)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    readers = {"marsad (readability-lxml)": marsad_reader}
    try:
        import trafilatura  # noqa: F401
        readers["trafilatura"] = trafilatura_reader
    except ImportError:
        print("trafilatura is not installed: measuring Marsad's reader only", file=sys.stderr)
    results = measure(args.pages, readers)
    if args.json:
        print(json.dumps(results, indent=1))
        return 0
    for label, r in results.items():
        print(f"{label:28} pages {r['pages']:.0f}  title {r['title']:.2f}  date {r['date']:.2f}  body P "
              f"{r['body_precision']:.3f} R {r['body_recall']:.3f} F1 {r['body_f1']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
