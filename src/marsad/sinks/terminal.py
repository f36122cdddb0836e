"""A readable summary of one document for the terminal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from marsad.doc import Document


def _clip(s: str, n: int = 70) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def print_summary(doc: Document, console: Console) -> None:
    """Actors, places and events with their evidence, as tables."""
    console.rule(Text(f"{doc.doc_id}  ·  {len(doc.sentences)} sentences, {len(doc.tokens)} tokens", style="bold"))
    if doc.country_context:
        console.print(f"About: {', '.join(doc.country_context[:3])}")
    actors = Table(title="Actors", show_lines=False, expand=False)
    for col in ("text", "actor", "type", "where", "why"):
        actors.add_column(col, overflow="fold")
    places = Table(title="Places")
    for col in ("text", "place", "lat, lon", "class", "why"):
        places.add_column(col, overflow="fold")
    for e in doc.entities:
        where = f"{e.start}-{e.end}"
        if e.actor_id:
            actors.add_row(e.text, f"{e.canonical} [{e.actor_id}]", e.type, where, _clip(e.why, 60))
        if e.place:
            p = e.place
            places.add_row(e.text, f"{p.name} ({p.country or '-'})", f"{p.lat:.3f}, {p.lon:.3f}", p.feature_class,
                           _clip(e.why, 60))
    events = Table(title="Events")
    for col in ("type", "trigger", "source", "target", "location", "modality", "evidence"):
        events.add_column(col, overflow="fold")
    for ev in doc.events:
        events.add_row(
            ev.type, ev.trigger.text, ev.source.text if ev.source else "—", ev.target.text if ev.target else "—",
            ev.location.text if ev.location else "—", ev.modality, _clip(ev.sentence.text),
        )
    for table, rows in ((actors, actors.row_count), (places, places.row_count), (events, events.row_count)):
        if rows:
            console.print(table)
        else:
            console.print(f"[dim]no {str(table.title).lower()} found[/dim]")
