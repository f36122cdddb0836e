#!/usr/bin/env python3
"""Compare the throughput of this working tree with an earlier git revision, runs taken alternately.

Usage: python benchmarks/compare_revisions.py --base e5d8c4f [--runs 3] [--n 2000] [--side-by-side]

A shared VM's speed drifts by ±20% over minutes, so one run of each says little. This runs
bench_extract.py (this tree's copy, the same harness for both) for the base revision and for the
working tree in turn, `--runs` times each, and prints each stage's median articles/s and the ratio.
With --side-by-side the two run at the same time, each pinned to a core of its own (swapped every run),
so both see the same moment of the machine; the ratio printed is then the median of the runs' ratios.
The base's code is checked out into a temporary git worktree and put first on PYTHONPATH; the
worktree is removed afterwards. Run by hand, not in CI; put the figures in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGE = re.compile(r"^\s+(\w+)\s+[\d.]+ s\s+(\d+) articles/s", re.MULTILINE)
END_TO_END = re.compile(r"end to end: ([\d.]+) articles/s")


def start_bench(n: int, src: Path | None, core: int | None = None) -> subprocess.Popen[str]:
    """Start one bench_extract.py run (``src``: the code to put first; ``core``: the one CPU to run on)."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src) + os.pathsep + env.get("PYTHONPATH", "")
    pin = (lambda: os.sched_setaffinity(0, {core})) if core is not None else None
    return subprocess.Popen([sys.executable, str(ROOT / "benchmarks" / "bench_extract.py"), "--n", str(n)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=pin)


def figures_of(run: subprocess.Popen[str]) -> dict[str, float]:
    """Articles/s per stage and end to end, once the run has finished."""
    out, err = run.communicate()
    if run.returncode != 0:
        raise SystemExit(f"bench_extract.py failed:\n{err}")
    figures = {name: float(rate) for name, rate in STAGE.findall(out)}
    total = END_TO_END.search(out)
    if total is None:
        raise SystemExit(f"bench_extract.py printed no end-to-end figure:\n{out}")
    figures["end to end"] = float(total.group(1))
    return figures


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", required=True, help="git revision to compare with (a commit, tag or branch)")
    ap.add_argument("--runs", type=int, default=3, help="runs of each, alternating (default 3)")
    ap.add_argument("--n", type=int, default=2000, help="middleEast articles per run (default 2000)")
    ap.add_argument("--side-by-side", action="store_true",
                    help="run base and tree at once, one core each (needs two cores; Linux)")
    args = ap.parse_args()
    if args.side_by_side and len(os.sched_getaffinity(0)) < 2:
        raise SystemExit("--side-by-side needs two cores")
    cores = sorted(os.sched_getaffinity(0))[:2] if args.side_by_side else None

    with tempfile.TemporaryDirectory(prefix="marsad-base-") as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(tree), args.base],
                       check=True)
        try:
            base: list[dict[str, float]] = []
            here: list[dict[str, float]] = []
            for r in range(1, args.runs + 1):
                if cores is not None:
                    a, b = cores if r % 2 else cores[::-1]
                    runs = start_bench(args.n, tree / "src", a), start_bench(args.n, None, b)
                    base.append(figures_of(runs[0]))
                    here.append(figures_of(runs[1]))
                else:
                    base.append(figures_of(start_bench(args.n, tree / "src")))
                    here.append(figures_of(start_bench(args.n, None)))
                print(f"run {r}: base {base[-1]['end to end']:.1f}, "
                      f"this tree {here[-1]['end to end']:.1f} articles/s", flush=True)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False)

    how = "side by side" if cores is not None else "alternately"
    print(f"\nmedian articles/s of {args.runs} runs each, {how}, {args.n} articles ({args.base} → this tree):")
    for stage in here[0]:
        h = statistics.median(f[stage] for f in here)
        if stage not in base[0]:  # a stage the base has not got (a new component): its own speed only
            print(f"  {stage:12s} {'(new)':>8s} → {h:8.1f}")
            continue
        b = statistics.median(f[stage] for f in base)
        # side by side, each run's two figures share a moment of the machine: the median of their ratios
        ratio = statistics.median(x[stage] / y[stage] for x, y in zip(here, base, strict=True)) if cores \
            else h / b
        print(f"  {stage:12s} {b:8.1f} → {h:8.1f}   {ratio:.2f}×")


if __name__ == "__main__":
    main()
