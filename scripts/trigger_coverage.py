#!/usr/bin/env python3
"""Trigger coverage: is every annotated event mention at least a candidate?

For every gold event of the annotated TRAINING articles (required and optional),
this says whether Marsad produced an event of that type (or one of the gold's
``alt_types``) whose trigger overlaps the gold ``evidence`` span, the test the
scorer uses (../shared/eval/score.py). Two runs:

- training mode: the event coder with ``collect_features=True`` and no
  reportedness model (scripts/train_reportedness.py ``collecting_pipeline()``),
  so that candidates the trained filter would drop still count: what the
  lexicons can find at all;
- normal: the default pipeline, what ``marsad extract`` outputs.

It prints, per type, the gold events covered / total in both runs, and writes
the uncovered evidence strings, grouped by their likely trigger word (the first
content word of the evidence, normalised with ``match_key`` and stripped of
و/ف and the article), most frequent first, as a TSV and a markdown report under
/tmp (never into the repository). The grouping key is a guess for review, not a
lexicon entry: read the evidence strings before writing anything.

Usage: python scripts/trigger_coverage.py [--gold ../shared/data/events_train] [--out /tmp/trigger_coverage]
                                          [--triggers DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.events import coder as coder_module  # noqa: E402
from marsad.events.coder import EventCoder  # noqa: E402
from marsad.knowledge.eventdata import builtin_event_knowledge  # noqa: E402
from marsad.knowledge.triggers import (  # noqa: E402
    NOT_LEXICON,
    builtin_modality_path,
    builtin_trigger_paths,
    load_modality_file,
    load_trigger_file,
)
from marsad.pipeline import FACTORIES, Knowledge, Pipeline  # noqa: E402
from marsad.text.normalize import match_key  # noqa: E402
from marsad.text.tokens import tokenize  # noqa: E402

DEFAULT_GOLD = ROOT.parent / "shared" / "data" / "events_train"
HELD_OUT = (ROOT.parent / "shared" / "eval" / "dev").resolve()

# Words that open an evidence string but are not its trigger (prepositions, particles, auxiliaries).
_FUNCTION_WORDS = (
    "عن في من إلى الى على بعد قبل وسط بين مع ضد خلال منذ حتى عند لدى إثر اثر جراء نحو بشأن حول تجاه ضمن "
    "حينما عندما بينما كما إذ إذا لو الذي التي الذين اللذين اللتين أن إن أنه أنها لأن كي لكي لم لن لا ما قد "
    "لقد كان كانت كانوا يكون تكون سيكون تم يتم جرى جاء جاءت هو هي هم ذلك هذا هذه تلك عبر بعدما قبيل أمام "
    "مساء صباح يوم اليوم أمس غدا"
)
_FUNCTION = {match_key(w) for w in _FUNCTION_WORDS.split()}


def _collecting_pipeline(paths: list[Path]) -> Pipeline:
    """The event coder in training mode (as scripts/train_reportedness.py): every candidate kept."""
    coder = EventCoder([t for p in paths for t in load_trigger_file(p)],
                       load_modality_file(builtin_modality_path()), builtin_event_knowledge(), None,
                       collect_features=True)
    k = Knowledge()
    return Pipeline([FACTORIES[n](k) for n in ("text", "actors", "places", "quantities")] + [coder])


def _normal_pipeline(paths: list[Path]) -> Pipeline:
    """The default pipeline; with --triggers, its event coder reads those lexicons instead of the built-in."""
    saved = coder_module.builtin_trigger_paths
    coder_module.builtin_trigger_paths = lambda: list(paths)
    try:
        return Pipeline.default()
    finally:
        coder_module.builtin_trigger_paths = saved


def _strip(key: str) -> str:
    """«والاعتقال» → «اعتقال», «فهاجمت» → «هاجمت»: the grouping key of a word."""
    if key[:1] in ("و", "ف") and len(key) > 3:
        key = key[1:]
    for prefix in ("بال", "كال", "فال", "لل", "ال"):
        if key.startswith(prefix) and len(key) - len(prefix) >= 3:
            return key[len(prefix):]
    return key


def likely_trigger(evidence: str) -> str:
    """The first content word of an evidence string, normalised (a guess for grouping)."""
    words = [t.key for t in tokenize(evidence) if t.kind == "word"]
    for w in words:
        if w not in _FUNCTION and (w[:1] not in ("و", "ف") or w[1:] not in _FUNCTION):
            return _strip(w)
    return _strip(words[0]) if words else "?"


def _covered(g: dict, span: tuple[int, int], events: list[tuple[str, int, int]]) -> tuple[bool, str | None]:
    """(a candidate of an accepted type overlaps the evidence, the type of another candidate that does)."""
    types = [g["type"], *g.get("alt_types", [])]
    other = None
    for typ, a, b in events:
        if a < span[1] and span[0] < b:
            if typ in types:
                return True, None
            other = other or typ
    return False, other


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="../shared/eval/dev is the HELD-OUT evaluation set: the lexicons are grown from training evidence "
               "only, and listing dev's misses would turn the held-out figure into an in-sample one (every entry "
               "picked from it inflates it). The script refuses it unless --i-know-dev-is-held-out is given.")
    ap.add_argument("--gold", type=Path, default=DEFAULT_GOLD,
                    help="folder of NAME.txt + NAME.gold.json (default: ../shared/data/events_train)")
    ap.add_argument("--out", type=Path, default=Path("/tmp/trigger_coverage"),
                    help="output prefix: PREFIX.tsv and PREFIX.md (default /tmp/trigger_coverage)")
    ap.add_argument("--triggers", type=Path, default=None,
                    help="read the trigger lexicons (*.yaml) from this folder instead of the built-in ones "
                         "(to compare a saved copy with the current files)")
    ap.add_argument("--i-know-dev-is-held-out", action="store_true",
                    help="allow --gold ../shared/eval/dev. It is held out: looking at its misses and choosing "
                         "lexicon entries because of them makes the reported dev figure meaningless. Use it only "
                         "to report coverage after the lexicon is frozen, never to pick entries.")
    args = ap.parse_args(argv)
    gold_dir = args.gold.resolve()
    if (gold_dir == HELD_OUT or HELD_OUT in gold_dir.parents) and not args.i_know_dev_is_held_out:
        ap.error(f"{args.gold} is the held-out evaluation set: grow the lexicons from ../shared/data/events_train; "
                 "pass --i-know-dev-is-held-out only to report a final figure, never to choose entries")
    golds = sorted(gold_dir.glob("*.gold.json"))
    if not golds:
        ap.error(f"{args.gold}: no NAME.gold.json files")
    if args.out.resolve().is_relative_to(ROOT):
        ap.error("--out must lie outside the repository (the report quotes article text)")
    if args.triggers is not None:
        paths = sorted(p for p in args.triggers.glob("*.yaml") if p.name not in NOT_LEXICON)
    else:
        paths = builtin_trigger_paths()
    runs = {"training": _collecting_pipeline(paths), "normal": _normal_pipeline(paths)}

    # per type and run: [required covered, required total, optional covered, optional total]
    counts: dict[str, dict[str, list[int]]] = {r: defaultdict(lambda: [0, 0, 0, 0]) for r in runs}
    uncovered: dict[tuple[str, str], list[tuple[str, str, bool, str | None]]] = defaultdict(list)
    n_candidates = Counter()
    for gold_path in golds:
        name = gold_path.name.removesuffix(".gold.json")
        text = gold_path.with_name(f"{name}.txt").read_text(encoding="utf-8")
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        spans = []
        for g in gold.get("events", []):
            i = text.find(g["evidence"])
            if i < 0:
                print(f"{name}: evidence not found in the text, skipped: {g['evidence']!r}", file=sys.stderr)
                continue
            spans.append((g, (i, i + len(g["evidence"]))))
        for run, pipeline in runs.items():
            events = [(e.type, e.trigger.start, e.trigger.end) for e in pipeline(text, doc_id=name).events]
            n_candidates[run] += len(events)
            for g, span in spans:
                hit, other = _covered(g, span, events)
                c = counts[run][g["type"]]
                k = 2 if g.get("optional") else 0
                c[k] += hit
                c[k + 1] += 1
                if run == "training" and not hit:
                    uncovered[(g["type"], likely_trigger(g["evidence"]))].append(
                        (name, g["evidence"], bool(g.get("optional")), other))

    def ratio(a: int, b: int) -> str:
        return f"{a}/{b} ({a / b:.2f})" if b else "0/0"

    types = sorted(counts["training"], key=lambda t: -counts["training"][t][1])
    lines = ["| type | training: required | training: optional | normal: required | normal: optional |",
             "|---|---|---|---|---|"]
    totals = {r: [sum(c[i] for c in counts[r].values()) for i in range(4)] for r in runs}
    for t in [*types, "ALL"]:
        tr = totals["training"] if t == "ALL" else counts["training"][t]
        no = totals["normal"] if t == "ALL" else counts["normal"][t]
        lines.append(f"| {t} | {ratio(tr[0], tr[1])} | {ratio(tr[2], tr[3])} | {ratio(no[0], no[1])} | "
                     f"{ratio(no[2], no[3])} |")
    table = "\n".join(lines)
    print(f"{len(golds)} articles in {args.gold}; candidates: training mode {n_candidates['training']}, "
          f"normal {n_candidates['normal']}")
    print("gold events with a candidate of their type on the evidence (covered/total):")
    print(table)

    groups = sorted(uncovered.items(), key=lambda kv: (-sum(not o for _, _, o, _ in kv[1]), -len(kv[1]), kv[0]))
    tsv = args.out.with_suffix(".tsv")
    md = args.out.with_suffix(".md")
    tsv.parent.mkdir(parents=True, exist_ok=True)
    with tsv.open("w", encoding="utf-8") as f:
        f.write("type\tlikely_trigger\trequired\toptional\tother_type_there\tevidence (article)\n")
        for (typ, key), rows in groups:
            req = sum(not o for _, _, o, _ in rows)
            others = Counter(x for *_, x in rows if x)
            ev = " | ".join(f"{e.replace(chr(9), ' ')} ({n}{', opt' if o else ''})" for n, e, o, _ in rows)
            f.write(f"{typ}\t{key}\t{req}\t{len(rows) - req}\t"
                    f"{','.join(f'{t}:{c}' for t, c in others.most_common())}\t{ev}\n")
    with md.open("w", encoding="utf-8") as f:
        f.write(f"# Trigger coverage of {args.gold}\n\nIn-sample, {len(golds)} articles. Covered: a candidate "
                "of the gold type (or an alt_type) overlaps the evidence. Training mode keeps the candidates "
                "the reportedness filter drops.\n\n" + table + "\n\n## Uncovered, by type and likely trigger\n")
        for typ in types:
            mine = [(key, rows) for (t, key), rows in groups if t == typ]
            if not mine:
                continue
            f.write(f"\n### {typ} ({sum(len(r) for _, r in mine)} uncovered)\n\n")
            for key, rows in mine:
                req = sum(not o for _, _, o, _ in rows)
                others = Counter(x for *_, x in rows if x)
                note = f" — another type there: {dict(others)}" if others else ""
                f.write(f"- **{key}** ({req} required, {len(rows) - req} optional){note}: "
                        + "; ".join(f"«{e}»" + (" (opt)" if o else "") for _, e, o, _ in rows[:8])
                        + (" …" if len(rows) > 8 else "") + "\n")
    print(f"uncovered evidence, grouped by likely trigger word: {tsv} and {md}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
