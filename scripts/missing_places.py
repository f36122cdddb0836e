#!/usr/bin/env python3
"""List gold places the system does not locate: a gazetteer to-do list.

For each required gold place (``places`` in NAME.gold.json) that no system
entity matches by surface *and* by coordinates within the gold tolerance,
print it grouped by canonical name, most frequent first, with its surfaces
and why it missed: the surface was found but placed too far away ("far",
with the system's coordinates), or not found at all ("unfound").

Usage:
    python -m marsad extract GOLD_DIR --out OUT -q
    python scripts/missing_places.py GOLD_DIR OUT [--json]

It matches as the project's scorer does (``marsad.evaluate.matching``, which a
test holds to score.py), so a "miss" here is a miss there. Run it on training
articles only.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.evaluate.matching import km, span_text, surface_match  # noqa: E402  the scorer's matching


def located_entities(system: dict, text: str) -> list[tuple[str, tuple[float, float]]]:
    out = []
    for e in system.get("entities", []):
        place = e.get("place")
        if not place or place.get("lat") is None or place.get("lon") is None:
            continue
        out.append((span_text(e, text), (float(place["lat"]), float(place["lon"]))))
    return out


def missing_places(gold_dir: Path, system_dir: Path) -> dict[str, dict]:
    """canonical → {count, surfaces: Counter, docs: [...], far: Counter of 'text@lat,lon', unfound: int}."""
    out: dict[str, dict] = defaultdict(lambda: {
        "count": 0, "surfaces": Counter(), "docs": [], "far": Counter(), "unfound": 0, "gold": None,
    })
    for gold_path in sorted(gold_dir.glob("*.gold.json")):
        name = gold_path.name[: -len(".gold.json")]
        text = (gold_dir / f"{name}.txt").read_text(encoding="utf-8")
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        sys_path = system_dir / f"{name}.json"
        system = json.loads(sys_path.read_text(encoding="utf-8")) if sys_path.exists() else {}
        located = located_entities(system, text)
        for g in gold.get("places", []):
            if g.get("optional"):
                continue
            tol = g.get("tolerance_km", 50)
            gll = (g["lat"], g["lon"])
            named = [(t, ll) for t, ll in located if surface_match(t, g["surfaces"])]
            if any(km(ll, gll) <= tol for _, ll in named):
                continue
            rec = out[g["canonical"]]
            rec["count"] += 1
            rec["gold"] = (g["lat"], g["lon"], tol)
            rec["surfaces"].update(g["surfaces"])
            rec["docs"].append(name)
            if named:
                for t, ll in named:
                    rec["far"][f"{t}@{ll[0]:.2f},{ll[1]:.2f} ({km(ll, gll):.0f} km)"] += 1
            else:
                rec["unfound"] += 1
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold_dir", type=Path)
    ap.add_argument("system_dir", type=Path)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--min", type=int, default=1, help="only places missed at least this often")
    args = ap.parse_args(argv)
    if "dev" in args.gold_dir.resolve().parts:
        raise SystemExit("refusing to read a held-out dev folder")
    miss = missing_places(args.gold_dir, args.system_dir)
    rows = sorted(miss.items(), key=lambda kv: (-kv[1]["count"], kv[0]))
    rows = [(k, v) for k, v in rows if v["count"] >= args.min]
    if args.json:
        print(json.dumps({k: {"count": v["count"], "unfound": v["unfound"], "gold": v["gold"],
                              "surfaces": dict(v["surfaces"]), "far": dict(v["far"]), "docs": v["docs"]}
                          for k, v in rows}, ensure_ascii=False, indent=1))
        return 0
    total = sum(v["count"] for _, v in rows)
    print(f"{total} required gold places missed, {len(rows)} canonical names")
    for k, v in rows:
        lat, lon, tol = v["gold"]
        surfaces = ", ".join(f"{s}×{n}" if n > 1 else s for s, n in v["surfaces"].most_common())
        line = f"{v['count']:3d}  {k} ({lat:.2f},{lon:.2f} ±{tol}km)  unfound {v['unfound']}  [{surfaces}]"
        if v["far"]:
            line += "  far: " + "; ".join(f for f, _ in v["far"].most_common(3))
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
