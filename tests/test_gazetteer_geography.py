"""Every curated place lies in the country it is filed under: a guard against a wrong coordinate or country
code in the hand-written gazetteer files (the district and site lists are long, and a slip puts a dot on the
wrong map). Checked against the dashboard's Natural Earth boundaries, 25 km of slack for thinned borders."""

import json
from pathlib import Path

from marsad.geo import great_circle_km
from marsad.knowledge.places import builtin_place_paths, load_place_file

BOUNDARIES = Path(__file__).resolve().parents[1] / "src/marsad/web/static/countries.geojson"
SLACK_KM = 25
# Natural Earth's short names where they differ from countries.yaml's, and territories it draws apart.
NE_NAMES = {"United States": ["United States of America"], "South Sudan": ["S. Sudan"],
            "Western Sahara": ["W. Sahara", "Morocco"], "North Macedonia": ["Macedonia"],
            "Czech Republic": ["Czechia"], "Democratic Republic of the Congo": ["Dem. Rep. Congo"],
            "Central African Republic": ["Central African Rep."],
            "Bosnia and Herzegovina": ["Bosnia and Herz."], "Somalia": ["Somalia", "Somaliland"],
            "Ukraine": ["Ukraine", "Russia"]}  # Natural Earth draws Crimea in Russia
# Seas, straits, islands and exclaves that lie off their country's mainland outline, and regions across borders.
OFFSHORE = {"YE-RED-SEA", "YE-GULF-ADEN", "OM-HORMUZ", "YE-HANISH", "LY-SITE-SIRTE-GULF", "IR-ABU-MUSA",
            "IR-TUNBS", "IR-KHARG", "IR-SIRRI", "IR-FARSI-ISLAND", "IR-GTUNB", "IR-LTUNB", "IT-LAMPEDUSA",
            "SA-TIRAN", "ES-MELILLA", "ML-LIPTAKO", "IQ-ARAR-CROSSING"}


def _outlines() -> dict[str, list[list[list[float]]]]:
    out: dict[str, list] = {}
    for feature in json.loads(BOUNDARIES.read_text(encoding="utf-8"))["features"]:
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        out[feature["properties"]["name"]] = [p[0] for p in polygons if p]
    return out


def _inside(lon: float, lat: float, ring: list[list[float]]) -> bool:
    crossing = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
            crossing = not crossing
    return crossing


def test_every_curated_place_lies_in_its_country():
    outlines = _outlines()
    curated = [p for p in builtin_place_paths() if p.suffix == ".yaml"]
    countries = {e.country: e.name for p in curated for e in load_place_file(p) if e.feature_class == "country"}
    wrong, checked = [], 0
    for path in curated:
        for e in load_place_file(path):
            if e.feature_class == "country" or e.id in OFFSHORE or not e.country:  # «أوروبا»: no one country
                continue
            rings = [r for name in NE_NAMES.get(countries.get(e.country, ""), [countries.get(e.country, "")])
                     for r in outlines.get(name, [])]
            assert rings, f"{path.name}: {e.id}: no outline for country {e.country}"
            checked += 1
            if any(_inside(e.lon, e.lat, r) for r in rings):
                continue
            distance = min(great_circle_km(e.lat, e.lon, y, x) for r in rings for x, y in r)
            if distance > SLACK_KM:
                wrong.append(f"{path.name}: {e.id} ({e.lat}, {e.lon}) is {distance:.0f} km outside {e.country}")
    assert checked > 2000
    assert not wrong, "\n".join(wrong)
