#!/usr/bin/env python3
"""Validate trigger lexicon files and print counts: entries, lemmas, generated forms, per PLOVER type.

Usage: python scripts/check_triggers.py [FILE.yaml ...]   (default: the built-in lexicons)
"""
from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from marsad.errors import DataFileError
from marsad.knowledge.triggers import builtin_trigger_paths, load_trigger_file
from marsad.text.normalize import phrase_key


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or builtin_trigger_paths()
    failed = False
    entries = []
    for path in paths:
        try:
            loaded = load_trigger_file(path)
        except DataFileError as exc:
            print(f"ERROR {exc}")
            failed = True
            continue
        entries.extend(loaded)
        print(f"{path.name}: {len(loaded)} entries, {sum(len(e.forms) for e in loaded)} forms")
    by_type: Counter[str] = Counter()
    forms_by_key: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for e in entries:
        by_type[e.type] += len(e.forms)
        for form, _part in e.forms:
            forms_by_key[phrase_key(form)].add(f"{e.type} ({e.source})")
    clashes = {k: v for k, v in forms_by_key.items() if len({x.split()[0] for x in v}) > 1}
    for key, where in sorted(clashes.items())[:40]:
        print(f"SAME FORM, DIFFERENT TYPES «{' '.join(key)}»: {', '.join(sorted(where))}")
    print(f"total: {len(entries)} entries, {len(forms_by_key)} distinct forms")
    print(f"forms by type: {dict(sorted(by_type.items()))}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
