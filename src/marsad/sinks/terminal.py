"""A readable summary of one document for the terminal.

Arabic goes through sinks/bidi.py: in visual order for terminals that do not apply the bidirectional
algorithm themselves (``MARSAD_BIDI=off`` for those that do), right-aligned in tables.
"""

from __future__ import annotations

import re

from rich.console import Console
from rich.table import Table
from rich.text import Text

from marsad.doc import Document, Entity, Event, Ref
from marsad.sinks.bidi import ELLIPSIS, BidiCell, bidi_cells, visual
from marsad.text.normalize import match_key

EVIDENCE_CHARS = 90
MARK_OPEN, MARK_CLOSE = "⟦", "⟧"  # the trigger, legible without colour; mirrored by the bidi algorithm in Arabic
_EVIDENCE_LABEL = "   evidence: "


def _one_line(s: str) -> str:
    return re.sub(r"\s+", " ", s)


def evidence_window(sentence: str, start: int, end: int, width: int = EVIDENCE_CHARS) -> tuple[str, str, str]:
    """The words of ``sentence`` around its characters ``[start, end)`` (the trigger) in about ``width``
    characters: (before, trigger, after), cut at word boundaries with «…» where cut. The trigger sits in the
    middle unless the sentence ends first on one side, which then leaves its room to the other."""
    before, trigger, after = (_one_line(x) for x in (sentence[:start], sentence[start:end], sentence[end:]))
    before, after = before.lstrip(), after.rstrip()
    room = max(width - len(trigger) - len(MARK_OPEN + MARK_CLOSE), 0)
    left = room // 2
    right = room - left
    if len(before) < left:
        right += left - len(before)
    elif len(after) < right:
        left += right - len(after)
    return _cut_before(before, left), trigger, _cut_after(after, right)


def _cut_before(text: str, n: int) -> str:
    if len(text) <= n:
        return text
    kept = text[len(text) - max(n - 1, 0):]
    if not text[len(text) - len(kept) - 1].isspace():  # started inside a word: drop that word's end
        kept = kept.split(" ", 1)[1] if " " in kept else ""
    return ELLIPSIS + kept.lstrip()


def _cut_after(text: str, n: int) -> str:
    if len(text) <= n:
        return text
    kept = text[: max(n - 1, 0)]
    if not text[len(kept)].isspace():  # ends inside a word: drop that word's start
        kept = kept.rsplit(" ", 1)[0] if " " in kept else ""
    return kept.rstrip() + ELLIPSIS


def evidence_text(ev: Event, width: int = EVIDENCE_CHARS) -> str:
    """The event's evidence in logical order: the window of its sentence with the trigger between ⟦ ⟧."""
    sentence = ev.sentence.text
    start = ev.trigger.start - ev.sentence.start
    if not (start >= 0 and start + len(ev.trigger.text) <= len(sentence)
            and sentence[start:start + len(ev.trigger.text)] == ev.trigger.text):
        start = max(sentence.find(ev.trigger.text), 0)  # a trigger outside its sentence's span: find it
    before, trigger, after = evidence_window(sentence, start, start + len(ev.trigger.text), width)
    return f"{before}{MARK_OPEN}{trigger}{MARK_CLOSE}{after}"


def _evidence(ev: Event, console: Console) -> Text | BidiCell:
    """The evidence line: one line in visual order with the trigger in reverse video; wrapped by
    :class:`BidiCell` (without the highlight) only on a terminal too narrow for a useful window."""
    width = min(EVIDENCE_CHARS, console.width - len(_EVIDENCE_LABEL))
    if width < 30:
        return BidiCell(_EVIDENCE_LABEL + evidence_text(ev), style="dim")
    shown = visual(evidence_text(ev, width), base_dir=None)
    line = Text(_EVIDENCE_LABEL, style="dim")
    marks = [i for i, c in enumerate(shown) if c in (MARK_OPEN, MARK_CLOSE)]
    if len(marks) == 2:
        line.append(shown[: marks[0]], style="dim")
        line.append(shown[marks[0]: marks[1] + 1], style="bold reverse")
        line.append(shown[marks[1] + 1:], style="dim")
    else:
        line.append(shown, style="dim")
    return line


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
        console.print(f"About: {', '.join(doc.country_context[:3])}", highlight=False)
    actors = Table(title="Actors")
    for col in ("text", "actor", "type", "chars"):
        actors.add_column(col, overflow="fold", justify="right" if col == "text" else "left")
    places = Table(title="Places")
    for col in ("text", "place", "lat, lon", "class"):
        places.add_column(col, overflow="fold", justify="right" if col == "text" else "left")
    for e in doc.entities:
        if e.actor_id:
            actors.add_row(*bidi_cells([e.text, f"{_actor_name(e)} [{e.actor_id}]", e.type, f"{e.start}-{e.end}"]))
        if e.place:
            p = e.place
            places.add_row(*bidi_cells([e.text, f"{p.name} ({p.country or '-'})", f"{p.lat:.3f}, {p.lon:.3f}",
                                        p.feature_class]))
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
        head.append(f" ({ev.modality})  «{visual(ev.trigger.text)}»  chars {ev.trigger.start}-{ev.trigger.end}")
        console.print(head)
        line = f"   source: {_who(ev.source)}   target: {_who(ev.target)}"
        if ev.location is not None:
            line += f"   where: {ev.location.text}"
        if ev.attribution is not None:
            line += f"   according to: {ev.attribution.text}"
        console.print(BidiCell(line))
        console.print(_evidence(ev, console))
    for q in doc.quantities:
        about = f" of {q['of']['text']}" if q["of"] else ""
        value = q["value"] if q["value"] is not None else f"{q['min']}–{q['max']}"
        console.print(BidiCell(f"Count: {q['what']} {value}{about}  «{q['text']}»"))
    for s in doc.stances:
        console.print(BidiCell(f"Stance: {s['holder']['text']} {s['polarity']}s «{s['object']['text']}»"))
