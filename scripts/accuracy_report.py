#!/usr/bin/env python3
"""Regenerate docs/accuracy.md from the current code: every evaluation set available, measured now.

Usage: python scripts/accuracy_report.py [--shared ../shared] [--out docs/accuracy.md]

Runs Marsad on the annotated dev articles, the development half of the
Arabic event gold standard (detection and argument spans) and the ANERcorp
test split, with the same scoring as `marsad eval` (which agrees with the
project's scorers), and writes the figures, the commands that reproduce
each, and examples of what goes wrong most often. Takes about a minute.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from gsr_arguments import argument_matches  # noqa: E402

import marsad  # noqa: E402
from marsad.evaluate.detection import detected_types, score_detection  # noqa: E402
from marsad.evaluate.documents import (  # noqa: E402
    actor_ok,
    analyse_article,
    entity_surfaces,
    gold_events,
    relaxed_pairs,
    score_document,
    summarise,
)
from marsad.ner.tagger import NerTagger  # noqa: E402
from marsad.ner.train import evaluate as evaluate_ner  # noqa: E402

ANCHORS_NER = [("AraBERTv0.1", 0.831), ("BiLSTM-CRF", 0.817), ("ConfliBERT-Arabic", 0.812), ("mBERT", 0.784)]


def f3(x: float) -> str:
    return f"{x:.3f}"


def dev_articles(pipeline, dev: Path) -> tuple[dict, list[tuple[str, dict, dict, str]]]:  # type: ignore[no-untyped-def]
    scores, runs = {}, []
    for gold_path in sorted(dev.glob("*.gold.json")):
        name = gold_path.name.removesuffix(".gold.json")
        text = (dev / f"{name}.txt").read_text(encoding="utf-8")
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        system, _ = analyse_article(pipeline, dev / f"{name}.txt")  # as `marsad extract` and `eval docs` read it
        system = system or {}
        scores[name] = score_document(name, gold, system, text)
        runs.append((name, gold, system, text))
    return summarise(scores, []), runs


def error_examples(runs: list[tuple[str, dict, dict, str]], n: int = 3) -> tuple[list[str], list[str], list[str]]:
    """Missed gold events, spurious system events, and events with the type right but an argument wrong."""
    missed: Counter[str] = Counter()
    missed_ex: dict[str, list[str]] = {}
    spurious: Counter[str] = Counter()
    spurious_ex: dict[str, list[str]] = {}
    args_wrong: list[str] = []
    for name, gold, system, text in runs:
        events = [(e, (e["trigger"]["start"], e["trigger"]["end"])) for e in system["events"] if e.get("trigger")]
        spans = []
        for g in gold.get("events", []):
            i = text.find(g["evidence"])
            span = (i, i + len(g["evidence"]))
            spans.append(span)
            on = [e for e, t in events if t[0] < span[1] and span[0] < t[1]]
            same = [e for e in on if e["type"] in (g["type"], *g.get("alt_types", []))]
            if not same and not g.get("optional"):
                missed[g["type"]] += 1
                missed_ex.setdefault(g["type"], []).append(f"{name}: «{g['evidence']}»")
            elif same and g.get("source") and not same[0].get("source") and len(args_wrong) < 2 * n:
                args_wrong.append(f"{name}: {g['type']} «{g['evidence']}» — gold source {g['source']}, "
                                  f"Marsad: none")
        for e, t in events:
            if not any(t[0] < s[1] and s[0] < t[1] for s in spans):
                spurious[e["type"]] += 1
                sentence = text[e["sentence"]["start"]:e["sentence"]["end"]].strip().replace("\n", " ")
                spurious_ex.setdefault(e["type"], []).append(f"{name}: {e['type']} «{e['trigger']['text']}» in "
                                                              f"«{sentence[:90]}…»")
    missed_lines = [f"   - **{t}** ({k} missed): " + "; ".join(missed_ex[t][:n]) for t, k in missed.most_common(4)]
    spurious_lines = [f"- **{t}** ({k} not in the gold): " + "; ".join(spurious_ex[t][:2])
                      for t, k in spurious.most_common(4)]
    return missed_lines, spurious_lines, [f"   - {x}" for x in args_wrong]


def role_accuracy(runs: list[tuple[str, dict, dict, str]]) -> dict[str, tuple[int, int]]:
    """Of the gold events matched with the right type and trigger (relaxed), and whose gold names an actor in the
    role: how many have the scorer's right source (target). Location is not annotated in the gold."""
    out = {"source": [0, 0], "target": [0, 0]}
    for name, gold, system, text in runs:
        entities = entity_surfaces(gold)
        for g, ev in relaxed_pairs(gold_events(name, gold, text), system["events"]):
            for role in out:
                if g.get(role):
                    out[role][1] += 1
                    out[role][0] += actor_ok(g[role], ev.get(role), text, entities)
    return {role: (ok, n) for role, (ok, n) in out.items()}


def detection(pipeline, path: Path) -> dict:  # type: ignore[no-untyped-def]
    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    predicted = {}
    for row in rows:
        if row["label"] != "ambiguous":
            doc = pipeline(row["text"], doc_id=str(row["id"]))
            predicted[str(row["id"])] = detected_types({"type": e.type, "modality": e.modality} for e in doc.events)
    return score_detection(rows, predicted)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "accuracy.md")
    args = ap.parse_args()
    pipeline = marsad.default_pipeline()
    dev = args.shared / "eval" / "dev"
    gsr = args.shared / "data" / "arabic_event_gsr"
    report, runs = dev_articles(pipeline, dev)
    train_report, train_runs = dev_articles(pipeline, args.shared / "data" / "events_train")
    roles = {"dev (held out)": role_accuracy(runs), "events_train (in-sample)": role_accuracy(train_runs)}
    arg_info = json.loads((ROOT / "src" / "marsad" / "data" / "models" / "arguments.json").read_text())["info"]
    missed, spurious, args_wrong = error_examples(runs)
    det = {t: detection(pipeline, gsr / f"{t.lower()}_detection.jsonl") for t in ("ASSAULT", "PROTEST")}
    spans = {t: argument_matches(pipeline, gsr, t) for t in ("ASSAULT", "PROTEST")}
    ner = evaluate_ner(NerTagger.builtin(), args.shared / "data" / "ner" / "anercorp" / "test.txt")
    events_model = json.loads((ROOT / "src" / "marsad" / "data" / "models" / "events.json").read_text())
    cv = events_model["gsr_cv_f1"]
    tagger_info = json.loads((ROOT / "src" / "marsad" / "data" / "models" / "tagger.json").read_text())["info"]

    rel = report["events_relaxed"]
    n_gold, n_sys = rel["gold"], rel["system"]
    correct = round(rel["recall"] * n_gold)
    extra = n_sys - round(rel["precision"] * n_sys)
    lines = [
        "# Accuracy, measured",
        "",
        f"Regenerated by `python scripts/accuracy_report.py` on {date.today().isoformat()} from the code at "
        f"this commit (marsad {marsad.__version__}). Every figure below can be reproduced with the command "
        "beside it; `marsad eval` agrees with the project's scorers (`../shared/eval/score.py`, "
        "`score_detection.py`) to the last decimal, and a test checks that.",
        "",
        "## Annotated articles (21 dev articles, `../shared/eval/dev`)",
        "",
        "    marsad eval docs ../shared/eval/dev          # add --json for every figure below",
        "",
        "| | precision | recall | F1 | gold | system |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for key, label in (("entities", "entities"), ("places", "places (within tolerance)"),
                       ("events_relaxed", "events, relaxed (type and trigger)"),
                       ("events_strict", "events, strict (source and target too)"),
                       ("counts", "casualty and force counts (kind and number)")):
        m = report[key]
        lines.append(f"| {label} | {f3(m['precision'])} | {f3(m['recall'])} | {f3(m['f1'])} | {m['gold']} | "
                     f"{m['system']} |")
    lines += [f"| modality accuracy (matched events) | | | {f3(report['modality_accuracy'])} | | |", "",
              "Per document (F1: entities / places / events relaxed / strict):", ""]
    lines.append("| document | entities | places | relaxed | strict |")
    lines.append("|---|---:|---:|---:|---:|")
    for name, d in report["per_document"].items():
        lines.append(f"| {name} | {d['entities']['f1']:.2f} | {d['places']['f1']:.2f} | "
                     f"{d['events_relaxed']['f1']:.2f} | {d['events_strict']['f1']:.2f} |")
    lines += ["", "Per event type:", "", "| type | gold | system | relaxed P | relaxed R | relaxed F1 | strict F1 |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for t, m in report["per_type"].items():
        r = m["relaxed"]
        lines.append(f"| {t} | {r['gold']} | {r['system']} | {r['precision']:.2f} | {r['recall']:.2f} | "
                     f"{r['f1']:.2f} | {m['strict']['f1']:.2f} |")
    tr = train_report
    lines += [
        "",
        "## Held out, cross-validated and in-sample",
        "",
        "The dev articles above are held out: nothing was trained, tuned or added to a lexicon by looking at "
        "them. The 420 annotated training articles (`../shared/data/events_train`) train the argument model, "
        "the event classifier and the trigger tagger and grew the trigger lexicon and modality cues, so the whole "
        "system's figure on them is in-sample; the models' cross-validated figures (5 folds by article, "
        "`python scripts/train_arguments.py`, `python scripts/train_events.py`, `python scripts/train_tagger.py`) "
        "are the honest ones.",
        "",
        "    marsad eval docs ../shared/data/events_train",
        "",
        "| events | dev (held out) relaxed | dev strict | train (in-sample) relaxed | train strict | train modality |",
        "|---|---:|---:|---:|---:|---:|",
        f"| F1 | {f3(report['events_relaxed']['f1'])} | {f3(report['events_strict']['f1'])} | "
        f"{f3(tr['events_relaxed']['f1'])} | {f3(tr['events_strict']['f1'])} | {f3(tr['modality_accuracy'])} |",
        "",
        f"Argument model ({arg_info.split(' by ')[0].lower()}): " + arg_info.split("). ", 1)[1],
        "",
        f"Event classifier ({events_model['info'].split(' by ')[0].lower()}): "
        + events_model["info"].split("). ", 1)[1],
        "",
        f"Trigger tagger ({tagger_info.split(' by ')[0].lower()}): " + tagger_info.split("). ", 1)[1],
        "",
        "Each model's cross-validated figure holds the other models fixed (trained on all the articles): "
        "the figures of the whole system on the training articles are in-sample.",
        "",
        "Per role: of the events matched with the right type and trigger whose gold names an actor in the role, "
        "the share with that actor right (the gold annotates no event location, so location is not scored):",
        "",
        "| role | " + " | ".join(roles) + " |",
        "|---|" + "---:|" * len(roles),
        *[f"| {role} | " + " | ".join(f"{ok / max(n, 1):.2f} ({ok}/{n})" for ok, n in (r[role] for r in
                                                                                        roles.values())) + " |"
          for role in ("source", "target")],
        "",
        "Per event type on the training articles (in-sample):",
        "",
        "| type | gold | system | relaxed P | relaxed R | relaxed F1 | strict F1 |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *[f"| {t} | {m['relaxed']['gold']} | {m['relaxed']['system']} | {m['relaxed']['precision']:.2f} | "
          f"{m['relaxed']['recall']:.2f} | {m['relaxed']['f1']:.2f} | {m['strict']['f1']:.2f} |"
          for t, m in tr["per_type"].items()],
    ]
    lines += [
        "",
        "## Sentence-level event detection (Arabic event gold standard, development half)",
        "",
        "    marsad eval detection ../shared/data/arabic_event_gsr/assault_detection.jsonl",
        "    marsad eval detection ../shared/data/arabic_event_gsr/protest_detection.jsonl",
        "",
        "A sentence counts as detected when Marsad reports an asserted event of the type in it.",
        "",
        "| type | precision | recall | F1 | tp | fp | fn | tn | 5-fold CV F1 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for t, m in det.items():
        lines.append(f"| {t} | {f3(m['precision'])} | {f3(m['recall'])} | {f3(m['f1'])} | {m['tp']} | {m['fp']} | "
                     f"{m['fn']} | {m['tn']} | {cv[t]:.3f} |")
    lines += [
        "",
        "The event classifier (`data/models/events.json`) was trained on these same sentences (with the "
        "training articles), so the F1 above is in-sample; the cross-validated column (5 folds by sentence) is "
        "the honest figure for unseen text (keyword baseline: ASSAULT 0.29, PROTEST 0.12).",
        "",
        "Sources and targets against the annotated spans (`python scripts/gsr_arguments.py`): of the annotated "
        "events whose trigger Marsad found,",
        "",
    ]
    for t, m in spans.items():
        lines.append(f"- {t}: {m['found']} of {m['total']} found by trigger; source right "
                     f"{m['source_ok']}/{m['source_n']} ({m['source_ok'] / max(m['source_n'], 1):.0%}), target "
                     f"right {m['target_ok']}/{m['target_n']} ({m['target_ok'] / max(m['target_n'], 1):.0%})")
    o = ner["overall"]
    lines += [
        "",
        "## Named entities (ANERcorp test split, 25,008 tokens)",
        "",
        "    marsad eval ner ../shared/data/ner/anercorp/test.txt",
        "",
        "| type | precision | recall | F1 |",
        "|---|---:|---:|---:|",
    ]
    for t, m in ner["per_type"].items():
        lines.append(f"| {t} | {f3(m['precision'])} | {f3(m['recall'])} | {f3(m['f1'])} |")
    lines.append(f"| **overall** | **{f3(o['precision'])}** | **{f3(o['recall'])}** | **{f3(o['f1'])}** |")
    lines += [
        "",
        "## Compared with the published anchors",
        "",
        "| system | ANERcorp test F1 | hardware |",
        "|---|---:|---|",
        f"| **Marsad CRF (this release)** | **{o['f1']:.3f}** | one CPU core, 66,000 tokens/s (bench_ner.py) |",
        *[f"| {name} | {f:.3f} | GPU-trained neural model |" for name, f in ANCHORS_NER],
        "",
        "Event coding: UniversalPetrarch publishes no Arabic figure; on its Spanish validation it coded 44% "
        f"of the events correctly and produced 316% extra events. On the dev articles Marsad finds "
        f"{rel['recall']:.0%} of the gold events ({correct} of {n_gold}) with the right type and trigger, and "
        f"{extra} of its {n_sys} events ({extra / n_gold:.0%} of the gold count) match no gold event. These "
        "are different corpora and languages: the comparison says only that the two are of a different order.",
        "",
        "## What goes wrong most often",
        "",
        "Strict coding fails mostly on arguments, not on events. The three commonest causes, by reading the "
        "dev articles' errors:",
        "",
        "1. **No source found.** Most often the source is named only in an earlier sentence, and Marsad leaves "
        "it empty on purpose (precision first: a guess across sentences is wrong as often as right); otherwise "
        "it is in a phrase Marsad does not know as an actor. Examples:",
        *args_wrong,
        "2. **Gold actors that are descriptions, not names** («المدنيين», «50 عائلة», «سياح»): Marsad knows "
        "the common ones as generic agents; the rest have no entity to point at.",
        "3. **Events the lexicon does not know or the model filters out.** Missed events, most frequent types "
        "first:",
        *missed,
        "",
        "Events Marsad reports that the annotators did not: common words the lexicon takes for events in "
        "that sentence («البحث» a search, «الصادر» issued), references to earlier events, and events the "
        "annotators left out:",
        "",
        *spurious,
        "",
        "Named entities: the tagger misses mostly transliterated foreign names and company names it has never "
        "seen; organisations are the weakest class (as in every published system).",
        "",
    ]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
