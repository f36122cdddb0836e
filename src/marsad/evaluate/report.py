"""Terminal tables for ``marsad eval docs`` and ``marsad eval detection``."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

_PARTS = (("entities", "entities"), ("places", "places"), ("events_relaxed", "events (relaxed)"),
          ("events_strict", "events (strict)"), ("counts", "counts"))


def _prf_row(m: dict) -> list[str]:
    return [f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}", str(m["gold"]), str(m["system"])]


def print_docs_report(report: dict, console: Console | None = None) -> None:
    console = console or Console()
    overall = Table(title=f"Scores over {len(report['per_document'])} documents (micro-averaged)")
    for col in ("", "precision", "recall", "F1", "gold", "system"):
        overall.add_column(col, justify="left" if not col else "right")
    for key, label in _PARTS:
        overall.add_row(label, *_prf_row(report[key]))
    overall.add_row("modality accuracy", "", "", f"{report['modality_accuracy']:.3f}", "", "")
    console.print(overall)
    if report["documents_missing_output"]:
        console.print("no result for: " + ", ".join(report["documents_missing_output"]))

    docs = Table(title="Per document (F1)")
    for col in ("document", "entities", "places", "relaxed", "strict", "counts", "modality"):
        docs.add_column(col, justify="left" if col == "document" else "right")
    for name, d in report["per_document"].items():
        docs.add_row(name, *(f"{d[k]['f1']:.2f}" for k, _ in _PARTS), f"{d['modality_accuracy']:.2f}")
    console.print(docs)

    types = Table(title="Per event type")
    for col in ("type", "gold", "system", "relaxed P", "relaxed R", "relaxed F1", "strict F1"):
        types.add_column(col, justify="left" if col == "type" else "right")
    for t, m in report["per_type"].items():
        r = m["relaxed"]
        types.add_row(t, str(r["gold"]), str(r["system"]), f"{r['precision']:.2f}", f"{r['recall']:.2f}",
                      f"{r['f1']:.2f}", f"{m['strict']['f1']:.2f}")
    console.print(types)

    confusion = report["confusion"]
    columns = sorted({s for row in confusion.values() for s in row})
    matrix = Table(title="Event types: gold (rows) against system (columns, first 4 letters); "
                         "— = missed or spurious", padding=(0, 0), collapse_padding=True)
    matrix.add_column("gold \\ system", no_wrap=True)
    for c in columns:
        matrix.add_column("—" if c.startswith("(") else c[:4], justify="right", no_wrap=True, min_width=4)
    for g, row in confusion.items():
        matrix.add_row("—" if g.startswith("(") else g, *(str(row.get(c, "")) for c in columns))
    console.print(matrix)


def print_detection_report(result: dict, console: Console | None = None) -> None:
    console = console or Console()
    table = Table(title="Sentence-level detection (asserted events)")
    for col in ("type", "precision", "recall", "F1", "tp", "fp", "fn", "tn"):
        table.add_column(col, justify="left" if col == "type" else "right")
    rows = list(result["per_type"].items())
    if len(rows) > 1:
        rows.append(("overall", result))
    for name, m in rows:
        table.add_row(name, f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}",
                      *(str(m[k]) for k in ("tp", "fp", "fn", "tn")))
    console.print(table)
