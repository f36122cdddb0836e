"""The dashboard API's response times over a store: median and p95 ms of the main endpoints, in-process.

    python benchmarks/bench_api.py --db marsad.db [--repeat 20]

Each endpoint is called once cold (the first call, before any cache), then ``--repeat`` times; the filters vary
between calls of a kind so that the per-filter aggregate cache does not answer them all.
"""

from __future__ import annotations

import argparse
import statistics
import time

from fastapi.testclient import TestClient

from marsad.web.app import create_app


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    c = TestClient(create_app(args.db))
    ev = c.get("/api/events", params={"type": "ASSAULT", "limit": 1}).json()["events"][0]
    months = [f"2018-{m:02d}" for m in range(1, 13)]
    types = ["ASSAULT", "CONSULT", "AGREE", "COERCE", "ACCUSE", "AID"]
    cases = {
        "events (type+dates, page)": lambda i: ("/api/events", {"type": types[i % 6], "since": months[i % 12] + "-01",
                                                                "until": "2018-12-31", "limit": 50}),
        "events (country)": lambda i: ("/api/events", {"country": ["SY", "YE", "IQ", "LY"][i % 4]}),
        "events (text search)": lambda i: ("/api/events", {"q": ["حلب", "صنعاء", "بغداد", "طرابلس"][i % 4]}),
        "map points": lambda i: ("/api/map", {"type": types[i % 6]} if i % 2 else {}),
        "timeline (week)": lambda i: ("/api/timeline", {"bucket": "week", "type": types[i % 6]}),
        "timeline (day, all)": lambda i: ("/api/timeline", {}),
        "network": lambda i: ("/api/network", {"type": types[i % 6]} if i % 2 else {}),
        "one event's evidence": lambda i: (f"/api/events/{ev['article']}/{ev['n']}", {}),
        "one article": lambda i: (f"/api/articles/{ev['article']}", {}),
        "article search": lambda i: ("/api/search", {"q": ["حلب", "صنعاء", "بغداد", "طرابلس"][i % 4]}),
    }
    print(f"{'endpoint':28} {'cold ms':>8} {'median ms':>10} {'p95 ms':>8}")
    for name, make in cases.items():
        times = []
        for i in range(args.repeat + 1):
            url, params = make(i)
            t = time.perf_counter()
            r = c.get(url, params=params)
            times.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, (url, r.status_code, r.text[:200])
        cold, warm = times[0], sorted(times[1:])
        p95 = warm[min(len(warm) - 1, int(0.95 * len(warm)))]
        print(f"{name:28} {cold:8.1f} {statistics.median(warm):10.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()
