"""Modality: asserted, expected, negated or hypothetical — and the cue that says so.

A cue must govern the trigger: it stands in the same clause, within its
window, and nothing but the trigger's own verb phrase lies between
(punctuation and clause words such as «الذي», «بينما» end the search; the
complementiser «أن» does not: «من المقرر أن يزور», «نفى أن يكون»).

Scope: a governing verb or noun passes its meaning to the event it governs —
refusing, failing, denying, cancelling negate it («رفضت أنقرة إطلاق سراح
القس», «فشلوا في التوصل إلى اتفاق», «نفت أن تكون تعرضت لهجوم»); intending,
expecting, hoping, preparing make it expected («عزمه سحب القوات», «من
المتوقع أن يشارك … في المظاهرات»); demanding, urging, threatening, being
ready make it hypothetical («طالب بالإفراج», «هدد بوقف المساعدات»). Such a
cue (``reach`` in modality.yaml) reaches farther when a complementiser «أن»
stands between it and the trigger: the governing verb's subject may stand
between them («نفت الحكومة السورية أن تكون …»).

A governing cue does not govern the words of its ``not_on`` nor what follows
them: refusing a request leaves the request asserted («رفضت اللجنة طلب
المحامية»). A cue word inside a phrase of its entry's ``not_in`` is no cue («لا تزال تقصف»
is still bombing, «طائرات بدون طيار» are drones), and one right after a word
of ``not_after`` is none either («كان الجيش قد أعلن» is a past perfect, not
'may').
"""

from __future__ import annotations

from dataclasses import dataclass

from marsad.events.clause import Clauses, per_sentence, stems_of_key
from marsad.knowledge.triggers import ModalityCue
from marsad.memo import Memo
from marsad.text.normalize import phrase_key
from marsad.text.tokens import Token

_COMPLEMENTISERS = frozenset({"ان"})
_NOT_AFTER_WINDOW = 4  # tokens before a cue searched for its not_after words


@dataclass(frozen=True, slots=True)
class ModalityReading:
    modality: str
    cue_start: int | None  # token index of the cue
    cue_end: int | None
    why: str


@dataclass(frozen=True, slots=True)
class _Cue:
    cue: ModalityCue
    keys: list[tuple[str, ...]]
    firsts: frozenset[str]  # the words its phrases can start with (most tokens start none)
    not_in: list[tuple[str, ...]]
    not_after: frozenset[str]
    not_on: frozenset[str]


class ModalityReader:
    def __init__(self, cues: list[ModalityCue]) -> None:
        self.cues: list[_Cue] = []
        for cue in cues:
            keys = [k for k in (phrase_key(c) for c in cue.cues) if k]
            self.cues.append(_Cue(cue, keys, frozenset(k[0] for k in keys),
                                  [k for k in (phrase_key(c) for c in cue.not_in) if k],
                                  frozenset(k[0] for k in (phrase_key(c) for c in cue.not_after) if k),
                                  frozenset(k[0] for k in (phrase_key(c) for c in cue.not_on) if k)))
        self._readings: Memo[str, frozenset[str]] = Memo(_readings, 100_000)  # token key → key and stems

    def read(self, tokens: list[Token], i: int, j: int, clauses: Clauses, future_verb: int | None
             ) -> ModalityReading:
        """Modality of the event whose trigger (with its light verb) is tokens [i, j)."""
        for c in self._cues_in(tokens):
            found = self._find(tokens, i, j, c, clauses)
            if found is not None:
                a, b = found
                text = " ".join(t.text for t in tokens[a:b])
                return ModalityReading(c.cue.modality, a, b, f"{c.cue.source} cue «{text}»")
        if future_verb is not None:
            return ModalityReading("expected", future_verb, future_verb + 1,
                                   f"future prefix سـ on «{tokens[future_verb].text}»")
        return ModalityReading("asserted", None, None, "no modality cue governs the trigger: asserted")

    def _cues_in(self, tokens: list[Token]) -> list[_Cue]:
        """The cues, in order, a word of the sentence may start: only they can be found, whatever the trigger
        (worked out once a sentence; its events ask one after the other)."""
        def present() -> list[_Cue]:
            words = frozenset().union(*map(self._readings.__getitem__, [tok.key for tok in tokens]))
            return [c for c in self.cues if not c.firsts.isdisjoint(words)]

        return per_sentence(tokens, self, present)

    def _find(self, tokens: list[Token], i: int, j: int, c: _Cue, clauses: Clauses) -> tuple[int, int] | None:
        cue = c.cue
        if cue.reach and not self._readings[tokens[j - 1].key].isdisjoint(c.firsts):
            return None  # the trigger is itself such a governing word: «تهدد بالتدخل … وتهدد العرب»
        if cue.position == "before":
            # between a light verb and its noun («أعلن عزمه سحب القوات»), or inside a trigger phrase: not counted
            for k in range(j - 2, i, -1):
                if clauses.is_boundary[k]:
                    return None
                found = self._match_at(tokens, k, c, clauses)
                if found is not None and found[1] < j:
                    return None if self._blocked(tokens, found[1], j, c.not_on) else found
        k, step, stop = (i - 1, -1, -1) if cue.position == "before" else (j, 1, len(tokens))
        window, walked = cue.window, 0
        while k != stop and walked < window:
            tok = tokens[k]
            walked += 1
            if clauses.is_boundary[k] and tok.key not in _COMPLEMENTISERS:
                return None
            if tok.key in _COMPLEMENTISERS and step < 0 and cue.reach:
                window = max(window, walked + cue.reach)  # the governing verb and its subject lie beyond «أن»
            found = self._match_at(tokens, k, c, clauses)
            if found is not None:
                return None if step < 0 and self._blocked(tokens, found[1], j, c.not_on) else found
            k += step
        return None

    def _blocked(self, tokens: list[Token], a: int, j: int, words: frozenset[str]) -> bool:
        """Does a word the cue does not govern stand in tokens [a, j)? «رفضت اللجنة طلب المحامية»: the request
        was made; the refusal governs neither it nor what it asks for."""
        return bool(words) and any(not words.isdisjoint(self._readings[t.key]) for t in tokens[a:j])

    def _match_at(self, tokens: list[Token], k: int, c: _Cue, clauses: Clauses) -> tuple[int, int] | None:
        readings = self._readings[tokens[k].key]
        if readings.isdisjoint(c.firsts):
            return None  # no phrase of this cue starts here
        for key in c.keys:
            n = len(key)
            if key[0] not in readings or tuple(t.key for t in tokens[k + 1:k + n]) != key[1:]:
                continue
            if c.cue.imperfect_next and not (k + n < len(tokens) and _imperfect(tokens[k + n].key)):
                continue
            if self._inside(tokens, k, c.not_in) or self._after(tokens, k, c.not_after, clauses):
                continue
            return k, k + n
        return None

    def _inside(self, tokens: list[Token], k: int, phrases: list[tuple[str, ...]]) -> bool:
        """Is token k part of one of these phrases (its first word may carry proclitics)?"""
        for phrase in phrases:
            n = len(phrase)
            for s in range(max(0, k - n + 1), min(k, len(tokens) - n) + 1):
                if phrase[0] in self._readings[tokens[s].key] and \
                        tuple(t.key for t in tokens[s + 1:s + n]) == phrase[1:]:
                    return True
        return False

    def _after(self, tokens: list[Token], k: int, words: frozenset[str], clauses: Clauses) -> bool:
        """Does one of these words stand shortly before token k, in its clause?"""
        if not words:
            return False
        for p in range(k - 1, max(-1, k - 1 - _NOT_AFTER_WINDOW), -1):
            if clauses.is_boundary[p]:
                return False
            if not words.isdisjoint(self._readings[tokens[p].key]):
                return True
        return False


def _imperfect(key: str) -> bool:
    """Does this word read as an imperfect verb («يهاجم», «تكون»), not a perfect one («اتهمت», «أعلن», «تم»,
    «نفت»)? The perfect of forms IV, VII, VIII, X starts with alif, as does the rare first person imperfect: a
    word after «قد» starting with alif is taken as perfect; so is one ending in the perfect's «ت» or «وا»."""
    if key[:1] not in ("ي", "ت") or len(key) < 3:
        return False
    return not (key.endswith("وا") or (key[0] == "ت" and key.endswith("ت")) or key in _PERFECT_WITH_T)


_PERFECT_WITH_T = frozenset({"تم", "تمت"})


def _readings(key: str) -> frozenset[str]:
    """A token key and its stems of more than one letter."""
    return frozenset({key, *(s for s in stems_of_key(key) if len(s) > 1)})
