#!/usr/bin/env python3
"""The frequency audit of actors and places: the most frequent surfaces over the whole shared corpus, with what
Marsad resolved each to and a sample context, for a person to review.

Runs the recognisers (text, actors, places, names; not the event coder) over every article of the shared news
corpus, groups the mentions by surface (the words as written, proclitics removed) and writes, for the N most
frequent place surfaces and the N most frequent actor surfaces, one row each: rank, surface, mentions, the
resolution most mentions got, its share, the other resolutions, and up to three sample contexts.

A reviewed list (docs/audit/places.tsv, docs/audit/actors.tsv) has a ``verdict`` column: ``ok`` or ``wrong: why``.
Pass it with --reviewed and the verdicts are carried over to rows of the same surface and resolution, so a
re-run after a fix shows what is left to review (an empty verdict) and the error rate of what was reviewed.

Usage:
    python scripts/audit_surfaces.py --out /tmp/audit [--n 300] [--limit 5000] [--workers 2]
    python scripts/audit_surfaces.py --out /tmp/audit --reviewed docs/audit
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

DEFAULT_NEWS = ROOT.parent / "shared" / "data" / "news" / "ant_multisource_2018.jsonl.gz"
COMPONENTS = ("text", "actors", "places", "names")
FIELDS = ("rank", "surface", "mentions", "resolution", "share", "others", "context", "verdict")
CHUNK = 500
SAMPLES = 3  # contexts kept per surface

_pipeline = None


def _worker_pipeline():  # type: ignore[no-untyped-def]
    global _pipeline
    if _pipeline is None:
        from marsad.pipeline import Pipeline

        _pipeline = Pipeline.default(order=COMPONENTS)
    return _pipeline


def _surface(text: str, clitic: str | None) -> str:
    from marsad.text.normalize import match_key

    words = text.split()
    if clitic and words and words[0].startswith(clitic):
        words[0] = words[0][len(clitic):]
    return " ".join(match_key(w) for w in words)


def _context(text: str, start: int, end: int, width: int = 45) -> str:
    left, right = text[max(0, start - width):start], text[end:end + width]
    return " ".join(f"{left}[{text[start:end]}]{right}".split())


def audit_chunk(texts: list[str]) -> tuple[dict, dict]:
    """Per surface: a Counter of resolutions and one sample context, for places and for actors."""
    pipeline = _worker_pipeline()
    places: dict[str, list] = {}
    actors: dict[str, list] = {}
    for text in texts:
        try:
            doc = pipeline(text)
        except Exception:
            continue
        for e in doc.entities:
            surface = _surface(e.text, e.clitic)
            if not surface:
                continue
            if e.place is not None:
                resolution = f"{e.place.name} ({e.place.country or '-'}, {e.place.feature_class})"
                _count(places, surface, resolution, text, e)
            if e.type in ("PER", "ORG") or e.actor_id:
                resolution = f"{e.actor_id or '-'} | {e.canonical or e.type}"
                _count(actors, surface, resolution, text, e)
    return places, actors


def _count(table: dict, surface: str, resolution: str, text: str, e) -> None:  # type: ignore[no-untyped-def]
    """One mention more; up to SAMPLES contexts are kept: each resolution's first mention, then its 20th and
    200th (mentions far apart, mostly in other articles)."""
    row = table.setdefault(surface, [Counter(), []])
    row[0][resolution] += 1
    if row[0][resolution] in (1, 20, 200) and len(row[1]) < SAMPLES:
        row[1].append(f"{resolution.split(' | ')[0].split(' (')[0]}: {_context(text, e.start, e.end)}")


def _articles(news: Path, limit: int | None):  # type: ignore[no-untyped-def]
    with gzip.open(news, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f):
            if limit is not None and n >= limit:
                return
            try:
                text = json.loads(line).get("text") or ""
            except ValueError:
                continue
            if text.strip():
                yield text


def _chunks(items, size: int):  # type: ignore[no-untyped-def]
    chunk: list[str] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _merge(into: dict, part: dict) -> None:
    for surface, (counts, contexts) in part.items():
        row = into.setdefault(surface, [Counter(), []])
        row[0].update(counts)
        row[1].extend(contexts[:SAMPLES - len(row[1])])


def _read_reviewed(path: Path) -> dict[tuple[str, str], str]:
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as f:
        return {(r["surface"], r["resolution"]): r["verdict"] for r in csv.DictReader(f, delimiter="\t")
                if r.get("verdict")}


def write_table(path: Path, table: dict, n: int, reviewed: dict[tuple[str, str], str]) -> tuple[int, int, int]:
    """The N most frequent surfaces; returns (rows, reviewed rows, rows reviewed wrong)."""
    top = sorted(table.items(), key=lambda kv: (-sum(kv[1][0].values()), kv[0]))[:n]
    done = wrong = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, delimiter="\t", lineterminator="\n")
        out.writerow(FIELDS)
        for rank, (surface, (counts, contexts)) in enumerate(top, 1):
            total = sum(counts.values())
            (resolution, count), *rest = counts.most_common()
            verdict = reviewed.get((surface, resolution), "")
            done += bool(verdict)
            wrong += verdict.startswith("wrong")
            others = "; ".join(f"{r} ×{c}" for r, c in rest[:3])
            out.writerow([rank, surface, total, resolution, f"{count / total:.2f}", others, " ‖ ".join(contexts),
                          verdict])
    return len(top), done, wrong


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--news", type=Path, default=DEFAULT_NEWS)
    ap.add_argument("--out", type=Path, required=True, help="folder for places.tsv and actors.tsv")
    ap.add_argument("--n", type=int, default=300, help="surfaces listed of each kind (default 300)")
    ap.add_argument("--limit", type=int, default=None, help="read only the first N articles")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--reviewed", type=Path, default=None, help="folder of reviewed places.tsv / actors.tsv")
    args = ap.parse_args()
    if not args.news.is_file():
        sys.exit(f"no news corpus at {args.news} (pass --news)")
    args.out.mkdir(parents=True, exist_ok=True)

    from rich.progress import Progress

    places: dict = {}
    actors: dict = {}
    articles = 0
    chunks = list(_chunks(_articles(args.news, args.limit), CHUNK))
    with ProcessPoolExecutor(max_workers=args.workers) as pool, Progress(transient=True) as progress:
        task = progress.add_task("articles", total=sum(map(len, chunks)))
        for chunk, (p, a) in zip(chunks, pool.map(audit_chunk, chunks), strict=True):
            _merge(places, p)
            _merge(actors, a)
            articles += len(chunk)
            progress.advance(task, len(chunk))
    for kind, table in (("places", places), ("actors", actors)):
        reviewed = _read_reviewed(args.reviewed / f"{kind}.tsv") if args.reviewed else {}
        rows, done, wrong = write_table(args.out / f"{kind}.tsv", table, args.n, reviewed)
        rate = f", {wrong} of {done} reviewed wrong ({wrong / done:.1%})" if done else ""
        print(f"{kind}: {len(table):,} surfaces in {articles:,} articles; top {rows} -> {args.out / kind}.tsv{rate}")


if __name__ == "__main__":
    main()
