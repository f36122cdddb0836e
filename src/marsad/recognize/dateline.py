"""Datelines: «دبي، الإمارات العربية المتحدة (CNN) --», «القاهرة، 5 مارس (رويترز) -».

An article often opens with where (and when, and by whom) it was filed. The places there say where the reporter
was, not where anything happened, and the state in it is nobody's attacker or target: «دبي، الإمارات العربية
المتحدة (CNN) -- قتل خمسة أشخاص» must not make the UAE the killer. A dateline is read only at the very start of
an article: place names (as the place recogniser found them) separated by commas, perhaps a date, perhaps the
agency in brackets, then a dash or a colon (or the bracketed agency alone closing it).
"""

from __future__ import annotations

from marsad.doc import Document

MAX_TOKENS = 16  # a dateline is short
_SEPARATORS = frozenset("،,")
_ENDS = frozenset({"-", "–", "—", ":"})


def dateline_end(doc: Document) -> int | None:
    """The character offset where the article's dateline ends, or None when it has none."""
    if not doc.sentences:
        return None
    tokens = doc.sentence_tokens(doc.sentences[0])[:MAX_TOKENS]
    places = [e for e in doc.entities_in(doc.sentences[0].start, doc.sentences[0].end) if e.place is not None]
    seen_place = seen_source = False
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.text in _ENDS:
            if not seen_place:
                return None
            while i + 1 < len(tokens) and tokens[i + 1].text in _ENDS:
                i += 1
            return tokens[i].end
        if tok.text == "(":
            close = next((k for k in range(i + 1, min(i + 7, len(tokens))) if tokens[k].text == ")"), None)
            if close is None or not seen_place:
                return None
            seen_source, i = True, close + 1
            continue
        if seen_source:  # «(رويترز)» and no dash: the bracket closed it
            return tokens[i - 1].end
        if tok.text in _SEPARATORS or tok.kind == "number":
            i += 1
            continue
        place = next((e for e in places if e.start <= tok.start < e.end), None)
        if place is not None:
            seen_place = True
            i = next((k for k in range(i, len(tokens)) if tokens[k].start >= place.end), len(tokens))
            continue
        near_number = any(0 <= k < len(tokens) and tokens[k].kind == "number" for k in (i - 1, i + 1))
        if tok.kind == "word" and near_number and seen_place:  # the month of a date: «5 مارس»
            i += 1
            continue
        return None
    return None
