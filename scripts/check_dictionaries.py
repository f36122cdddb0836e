#!/usr/bin/env python3
"""Validate actor dictionary files and print counts: the check an editor runs after a change.

Usage: python scripts/check_dictionaries.py [FILE.yaml ...]   (default: the built-in ones)
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from marsad.errors import DataFileError
from marsad.knowledge.actors import builtin_actor_paths, load_actor_file


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or builtin_actor_paths()
    failed = False
    ids: dict[str, str] = {}
    for path in paths:
        try:
            actors = load_actor_file(path)
        except DataFileError as exc:
            print(f"ERROR {exc}")
            failed = True
            continue
        for a in actors:
            if a.id in ids:
                print(f"DUPLICATE id {a.id}: {a.source} and {ids[a.id]}")
                failed = True
            ids[a.id] = a.source
        n_alias = sum(len(a.aliases) + len(a.titles) for a in actors)
        types = Counter(a.type for a in actors)
        print(f"{path.name}: {len(actors)} actors, {n_alias} aliases/titles, {dict(types)}")
    print(f"total: {len(ids)} actors")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
