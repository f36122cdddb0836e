#!/usr/bin/env python3
"""How often the event's source and target match the annotated spans of the Arabic event gold standard.

For each annotated event in ``{assault,protest}_spans.jsonl`` (source actor,
verb and target actor as token lists), take the system's event of that type
in the sentence whose trigger overlaps the annotated verb tokens, and count
whether its source (target) shares a word with the annotated source
(target). Annotations with an empty role are not counted for that role.

Usage: python scripts/gsr_arguments.py [--gsr ../shared/data/arabic_event_gsr]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import marsad  # noqa: E402
from marsad.text.normalize import match_key  # noqa: E402


def words(text: str) -> set[str]:
    keys = set()
    for w in text.split():
        k = match_key(w.strip("«»\"'،,.()"))
        for p in ("وال", "بال", "لل", "ال", "و", "ب", "ل"):
            if k.startswith(p) and len(k) - len(p) >= 3:
                k = k[len(p):]
                break
        if len(k) >= 2:
            keys.add(k)
    return keys


def argument_matches(pipeline, gsr: Path, typ: str) -> dict:  # type: ignore[no-untyped-def]
    """Counts for one event type: annotated events, found by trigger, source and target right."""
    found = src_n = src_ok = tgt_n = tgt_ok = total = 0
    for line in (gsr / f"{typ.lower()}_spans.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        doc = pipeline(row["text"])
        for span in row["spans"]:
            total += 1
            verb = words(" ".join(span["verb"]))
            match = next((e for e in doc.events if e.type == typ and words(e.trigger.text) & verb), None)
            if match is None:
                continue
            found += 1
            for role, ref in (("source_actor", match.source), ("target_actor", match.target)):
                gold = words(" ".join(span[role]))
                if not gold:
                    continue
                ok = ref is not None and bool(words(ref.text) & gold)
                if role == "source_actor":
                    src_n, src_ok = src_n + 1, src_ok + ok
                else:
                    tgt_n, tgt_ok = tgt_n + 1, tgt_ok + ok
    return {"total": total, "found": found, "source_n": src_n, "source_ok": src_ok, "target_n": tgt_n,
            "target_ok": tgt_ok}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gsr", type=Path, default=ROOT.parent / "shared" / "data" / "arabic_event_gsr")
    args = ap.parse_args()
    pipeline = marsad.default_pipeline()
    for typ in ("ASSAULT", "PROTEST"):
        m = argument_matches(pipeline, args.gsr, typ)
        src = m["source_ok"] / max(m["source_n"], 1)
        tgt = m["target_ok"] / max(m["target_n"], 1)
        print(f"{typ}: {m['total']} annotated events, {m['found']} found by trigger ({m['found'] / m['total']:.0%}); "
              f"of those, source right {m['source_ok']}/{m['source_n']} ({src:.0%}), "
              f"target right {m['target_ok']}/{m['target_n']} ({tgt:.0%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
