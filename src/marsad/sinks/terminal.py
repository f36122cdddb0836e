"""A readable summary of one document for the terminal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from marsad.doc import Document, Entity, Ref
from marsad.text.normalize import match_key


def _clip(s: str, n: int = 90) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _who(ref: Ref | None) -> str:
    if ref is None:
        return "—"
    return f"{ref.text} [{ref.actor_id}]" if ref.actor_id else ref.text


def _actor_name(e: Entity) -> str:
    """The dictionary's name of the actor; for a name no dictionary knows (the name tagger's), the name its
    id was made from («NER:PER:…», the full name for a surname alone) or else the mention itself."""
    if e.canonical:
        return e.canonical
    if e.actor_id and e.actor_id.startswith("NER:"):
        name = e.actor_id.split(":", 2)[2]
        return name if name and name not in match_key(e.text) else e.text
    return e.text


def print_summary(doc: Document, console: Console) -> None:
    """Actors and places as tables; events, counts and stances as short blocks with their evidence."""
    console.rule(Text(f"{doc.doc_id}  ·  {len(doc.sentences)} sentences, {len(doc.tokens)} tokens", style="bold"))
    if doc.language_notice:
        console.print(f"[yellow]Note: {doc.language_notice}: Marsad reads Arabic; names were not looked for[/yellow]")
    if doc.country_context:
        console.print(f"About: {', '.join(doc.country_context[:3])}")
    actors = Table(title="Actors")
    for col in ("text", "actor", "type", "chars"):
        actors.add_column(col, overflow="fold")
    places = Table(title="Places")
    for col in ("text", "place", "lat, lon", "class"):
        places.add_column(col, overflow="fold")
    for e in doc.entities:
        if e.actor_id:
            actors.add_row(e.text, f"{_actor_name(e)} [{e.actor_id}]", e.type, f"{e.start}-{e.end}")
        if e.place:
            p = e.place
            places.add_row(e.text, f"{p.name} ({p.country or '-'})", f"{p.lat:.3f}, {p.lon:.3f}", p.feature_class)
    for table in (actors, places):
        if table.row_count:
            console.print(table)
        else:
            console.print(f"[dim]no {str(table.title).lower()} found[/dim]")
    console.print(Text("Events", style="bold"))
    if not doc.events:
        console.print("[dim]no events found (marsad extract -v says why candidates were dropped)[/dim]")
    for n, ev in enumerate(doc.events, 1):
        head = Text(f"v{n} {ev.type}", style="bold")
        head.append(f" ({ev.modality})  «{ev.trigger.text}»  chars {ev.trigger.start}-{ev.trigger.end}")
        console.print(head)
        line = f"   source: {_who(ev.source)}   target: {_who(ev.target)}"
        if ev.location is not None:
            line += f"   where: {ev.location.text}"
        if ev.attribution is not None:
            line += f"   according to: {ev.attribution.text}"
        console.print(line, highlight=False)
        console.print(f"   evidence: {_clip(ev.sentence.text)}", style="dim", highlight=False)
    for q in doc.quantities:
        about = f" of {q['of']['text']}" if q["of"] else ""
        value = q["value"] if q["value"] is not None else f"{q['min']}–{q['max']}"
        console.print(f"Count: {q['what']} {value}{about}  «{q['text']}»", highlight=False)
    for s in doc.stances:
        console.print(f"Stance: {s['holder']['text']} {s['polarity']}s «{s['object']['text']}»", highlight=False)
