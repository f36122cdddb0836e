#!/usr/bin/env python3
"""List the gold entities of an annotated set that the actor dictionaries miss.

Usage:
    marsad extract /work/shared/data/events_train --out /tmp/out -q
    python scripts/missing_actors.py /work/shared/data/events_train /tmp/out [--min N] [--json]

Two lists, grouped by gold canonical name (with type, number of articles,
and every gold surface seen, most frequent first):

  missing   required gold entities (not `optional`) that no system entity
            matches, in the scorer's sense (marsad.evaluate.matching, which agrees
            with score.py);
  ner-only  gold entities matched only by entities the NER tagger made
            (actor_id starting with "NER:"): names the tagger knows but the
            dictionaries do not.

Many "missing" ones are descriptions («قائد ميداني», «المعتقل») that no
dictionary should hold; the list is for an editor to read, not to copy.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.evaluate.matching import span_text, surface_match  # noqa: E402  the scorer's matching


def collect(gold_dir: Path, sys_dir: Path) -> tuple[dict, dict]:
    missing: dict[str, dict] = {}
    ner_only: dict[str, dict] = {}

    def note(table: dict, g: dict, doc: str, extra: list[str] | None = None) -> None:
        row = table.setdefault(g["canonical"], {"types": Counter(), "docs": [], "surfaces": Counter(),
                                                "ner_texts": Counter()})
        row["types"][g.get("type", "?")] += 1
        row["docs"].append(doc)
        row["surfaces"].update(g.get("surfaces", []))
        row["ner_texts"].update(extra or [])

    for gold_path in sorted(gold_dir.glob("*.gold.json")):
        name = gold_path.name[: -len(".gold.json")]
        sys_path = sys_dir / f"{name}.json"
        if not sys_path.exists():
            print(f"warning: no system output for {name}", file=sys.stderr)
            continue
        text = (gold_dir / f"{name}.txt").read_text(encoding="utf-8")
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        system = json.loads(sys_path.read_text(encoding="utf-8"))
        ents = [(span_text(e, text), str(e.get("actor_id") or "")) for e in system.get("entities", [])]
        ents = [(t, a) for t, a in ents if t.strip()]
        for g in gold.get("entities", []):
            hits = [(t, a) for t, a in ents if surface_match(t, g["surfaces"])]
            if not hits:
                if not g.get("optional"):
                    note(missing, g, name)
            elif all(a.startswith("NER:") for _, a in hits):
                note(ner_only, g, name, [t for t, _ in hits])
    return missing, ner_only


def rows(table: dict, min_docs: int) -> list[dict]:
    out = []
    for canonical, row in table.items():
        if len(row["docs"]) < min_docs:
            continue
        out.append({"canonical": canonical, "type": row["types"].most_common(1)[0][0], "count": len(row["docs"]),
                    "docs": row["docs"], "surfaces": [s for s, _ in row["surfaces"].most_common()],
                    "ner_texts": [s for s, _ in row["ner_texts"].most_common()]})
    out.sort(key=lambda r: (-r["count"], r["canonical"]))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold_dir", type=Path)
    ap.add_argument("system_dir", type=Path)
    ap.add_argument("--min", type=int, default=1, dest="min_docs", help="only names missing in at least N articles")
    ap.add_argument("--json", action="store_true", help="print JSON instead of text")
    args = ap.parse_args(argv)

    missing, ner_only = collect(args.gold_dir, args.system_dir)
    result = {"missing": rows(missing, args.min_docs), "ner_only": rows(ner_only, args.min_docs)}
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    for title, key in (("MISSING (required gold entities no system entity matches)", "missing"),
                       ("NER-ONLY (matched only by NER-made entities)", "ner_only")):
        items = result[key]
        print(f"== {title}: {len(items)} names, {sum(r['count'] for r in items)} mentions-by-article")
        for r in items:
            docs = ", ".join(r["docs"][:4]) + (" …" if len(r["docs"]) > 4 else "")
            print(f"{r['count']:3d}  {r['type']:4s} {r['canonical']}  [{docs}]")
            print(f"       surfaces: {' | '.join(r['surfaces'])}")
            if r["ner_texts"]:
                print(f"       NER text: {' | '.join(r['ner_texts'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
