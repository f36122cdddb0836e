#!/usr/bin/env python3
"""Scaling: the same articles through `ingest` with 1 and 2 local workers and through a Dask LocalCluster.

Usage: python benchmarks/bench_cluster.py [--n 400] [--workers 2] [--shard-size N]
Prints wall time, articles/s and the efficiency of N workers against one (speed-up / N), for
  local -j 1, local -j N (process pool, SQLite store), Dask local:1 and local:N (Parquet out, then load).
Each run pays its own start-up (knowledge loading, and for Dask the cluster): that is part of the figure.
Run by hand (not in CI's pass/fail); put the figures in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "news" / "ant_multisource_2018.jsonl.gz"
MARSAD = [sys.executable, "-m", "marsad"]


def write_sample(corpus: Path, n: int, out: Path, section: str = "middleEast") -> None:
    with gzip.open(corpus, "rt", encoding="utf-8") as f, out.open("w", encoding="utf-8") as w:
        kept = 0
        for line in f:
            if json.loads(line).get("section") == section:
                w.write(line)
                kept += 1
                if kept == n:
                    return


def timed(args: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run([*MARSAD, *args, "-q"], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=400, help="middleEast articles")
    ap.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--shard-size", type=int, default=None, help="default: as marsad ingest chooses")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = ap.parse_args()
    n_workers = args.workers

    with tempfile.TemporaryDirectory() as tmp:
        sample = Path(tmp) / "sample.jsonl"
        write_sample(args.corpus, args.n, sample)
        runs: list[tuple[str, int, float]] = []
        for w in (1, n_workers):
            runs.append((f"local -j {w}", w, timed(["ingest", str(sample), "--db", f"{tmp}/j{w}.db", "-j", str(w)])))
        for w in (1, n_workers):
            out = f"{tmp}/dask{w}"
            size = ["--shard-size", str(args.shard_size)] if args.shard_size else []
            job = timed(["ingest", str(sample), "--cluster", f"local:{w}", "--out", out, *size])
            load = timed(["load", out, "--db", f"{tmp}/dask{w}.db"])
            runs.append((f"dask local:{w} (+ load {load:.1f} s)", w, job + load))
    base = {kind: s for label, w, s in runs if w == 1 for kind in [label.split()[0]]}
    print(f"{args.n} middleEast articles, {os.cpu_count()} cores, shard size {args.shard_size or 'default'}")
    print(f"{'run':34} {'wall s':>8} {'art/s':>8} {'efficiency':>10}")
    for label, w, s in runs:
        eff = base[label.split()[0]] / s / w
        print(f"{label:34} {s:8.1f} {args.n / s:8.1f} {eff:10.2f}")


if __name__ == "__main__":
    main()
