"""Modality: asserted, expected, negated or hypothetical — and the cue that says so.

A cue must govern the trigger: it stands in the same clause, within its
window, and nothing but the trigger's own verb phrase lies between
(punctuation and clause words such as «الذي», «بينما» end the search; the
complementiser «أن» does not: «من المقرر أن يزور», «نفى أن يكون»).
"""

from __future__ import annotations

from dataclasses import dataclass

from marsad.events.clause import Clauses, stems_of_key
from marsad.knowledge.triggers import ModalityCue
from marsad.memo import Memo
from marsad.text.normalize import phrase_key
from marsad.text.tokens import Token

_IMPERFECT = ("ي", "ت", "ن", "ا")
_COMPLEMENTISERS = frozenset({"ان"})


@dataclass(frozen=True, slots=True)
class ModalityReading:
    modality: str
    cue_start: int | None  # token index of the cue
    cue_end: int | None
    why: str


class ModalityReader:
    def __init__(self, cues: list[ModalityCue]) -> None:
        keyed = [(cue, [phrase_key(c) for c in cue.cues]) for cue in cues]
        # each cue's phrases, and the words they can start with (most tokens start none)
        self.cues = [(cue, keys, frozenset(k[0] for k in keys if k)) for cue, keys in keyed]
        self._readings: Memo[str, frozenset[str]] = Memo(_readings, 100_000)  # token key → key and stems

    def read(self, tokens: list[Token], i: int, j: int, clauses: Clauses, future_verb: int | None
             ) -> ModalityReading:
        """Modality of the event whose trigger (with its light verb) is tokens [i, j)."""
        for cue, keys, firsts in self.cues:
            found = self._find(tokens, i, j, cue, keys, firsts, clauses)
            if found is not None:
                a, b = found
                text = " ".join(t.text for t in tokens[a:b])
                return ModalityReading(cue.modality, a, b, f"{cue.source} cue «{text}»")
        if future_verb is not None:
            return ModalityReading("expected", future_verb, future_verb + 1,
                                   f"future prefix سـ on «{tokens[future_verb].text}»")
        return ModalityReading("asserted", None, None, "no modality cue governs the trigger: asserted")

    def _find(self, tokens: list[Token], i: int, j: int, cue: ModalityCue, keys: list[tuple[str, ...]],
              firsts: frozenset[str], clauses: Clauses) -> tuple[int, int] | None:
        if cue.position == "before":
            positions = range(i - 1, max(-1, i - 1 - cue.window), -1)
        else:
            positions = range(j, min(len(tokens), j + cue.window))
        for k in positions:
            tok = tokens[k]
            if clauses.is_boundary[k] and tok.key not in _COMPLEMENTISERS:
                return None
            readings = self._readings[tok.key]
            if readings.isdisjoint(firsts):
                continue  # no phrase of this cue starts here
            for key in keys:
                n = len(key)
                if key[0] not in readings or tuple(t.key for t in tokens[k + 1:k + n]) != key[1:]:
                    continue
                if cue.imperfect_next and not (k + n < len(tokens) and tokens[k + n].key[:1] in _IMPERFECT):
                    continue
                return k, k + n
        return None


def _readings(key: str) -> frozenset[str]:
    """A token key and its stems of more than one letter."""
    return frozenset({key, *(s for s in stems_of_key(key) if len(s) > 1)})
