"""What a phrase resolves to, and why: the text behind `marsad dict lookup`."""

from __future__ import annotations

from marsad.doc import Document
from marsad.recognize.actors import IDIOM, ActorIndex, choose_hit
from marsad.recognize.places import Gazetteer
from marsad.text.tokens import tokenize


def lookup_report(index: ActorIndex, gazetteer: Gazetteer, phrase: str, date: str | None,
                  countries: list[str]) -> str:
    """Every actor and place reading of ``phrase``, which one wins for this date and these countries, and why."""
    tokens = tokenize(phrase)
    lines = []
    matches = index.matcher.find(tokens)
    doc = Document(text=phrase, date=date, country_context=countries)
    for m in matches:
        words = " ".join(t.text for t in tokens[m.start:m.end])
        if m.payloads[0].how == IDIOM:
            lines.append(f"«{words}»: a fixed expression (actors/idioms.txt), no actor")
            continue
        chosen = choose_hit(index, m.payloads, doc)
        clitic = f" (read as proclitic «{m.prefix}» + «{' '.join(m.key)}»)" if m.prefix else ""
        lines.append(f"«{words}»{clitic}:")
        for hit in m.payloads:
            a = index.actors[hit.actor_id]
            mark = "→" if hit == chosen else " "
            extra = ""
            if hit.title is not None:
                t = hit.title
                extra = f", title held {t.start or '…'} to {t.end or 'now'}"
                extra += f" in {t.context} articles" if t.context else ""
            lines.append(f"  {mark} {a.id}  {a.name}  [{a.type}, {a.cameo or '-'}, {a.sector or '-'}, "
                         f"{a.country or 'intl'}]  via {hit.how} «{hit.phrase}»{extra}  ({a.source})")
        if chosen is None:
            lines.append("    (no reading fits this date / country: give --date or --country)")
    for m in gazetteer.matcher.find(tokens):
        words = " ".join(t.text for t in tokens[m.start:m.end])
        best = gazetteer.choose(m.payloads, countries)
        lines.append(f"«{words}» as a place:")
        for pid in m.payloads:
            e = gazetteer.entries[pid]
            mark = "→" if e is best else " "
            lines.append(f"  {mark} {e.name} ({e.country}, {e.feature_class}) {e.lat:.3f}, {e.lon:.3f} "
                         f"pop. {e.population:,}  ({e.source})")
    return "\n".join(lines) if lines else f"«{phrase}»: no actor or place of that name"
