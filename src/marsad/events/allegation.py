"""Allegations: who accuses whom of what («اتهمت الحكومة الحوثيين بقصف الأحياء»).

The speaker's act is an event of its own (ACCUSE, by the speaker, against the accused). The act alleged is
coded too, with the accused as its doer and the speaker as the one it is «according to» — never with the
speaker as its source or the accused as its target, which is what word order alone gives. Three frames,
their words in ``data/events/attribution.yaml`` (``allegations``):

- accuse: «اتهم [speaker] [accused] بـ[act]» (or «بأن …»); a verb carrying an object pronoun («يتهمه
  أردوغان بتدبير …») names the speaker after it and an accused the sentence does not name;
- blame: «حمّل [speaker] [accused] المسؤولية عن [act]»;
- the accusation as a noun: «اتهامات [speaker] لـ[accused] بـ[act]» («لها» points back to the actor before it);
- attribute: «[act] الذي نسب إلى [accused]» (or «نسب [act] إلى [accused]»);
- deny: «نفت [speaker] أن تكون [act]»: the denial is the speaker's (REJECT); the act denied is «according to»
  the speaker (its modality, negated, comes from modality.py), its arguments are left to the other rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import compress

from marsad.doc import Entity
from marsad.events.arguments import marked_passive
from marsad.events.clause import Clauses, stems_of_key, token_range
from marsad.knowledge.eventdata import EventKnowledge
from marsad.memo import Memo
from marsad.text.tokens import Token, reads_as

_REACH = 10  # tokens allowed between the accusing verb and its «بـ» / «المسؤولية»
_ACT_BEFORE = 6  # tokens the attributed act may stand before «نسب»
_OBJECT_PRONOUNS = ("هما", "هم", "ها", "ه")
_THAT = frozenset({"بان", "بانه", "بانها", "بانهم", "بانهما", "ان", "انه", "انها", "انهم"})


@dataclass(frozen=True, slots=True)
class Allegation:
    """One allegation in a sentence: the accusing word, who speaks, who is accused (None: not named, or a
    pronoun), the tokens [start, end) of the act alleged and ``head``, the token of the act itself."""

    cue: int
    frame: str
    speaker: Entity | None
    accused: Entity | None
    start: int
    end: int
    head: int
    passive: bool = False  # «اُتهمت روسيا»: no speaker in the sentence
    def covers(self, start: int, j: int) -> bool:
        """Is the event whose words are tokens [start, j) part of what is alleged (not the accusing verb)?"""
        return self.start <= start < self.end and not start <= self.cue < j

    def is_the_act(self, start: int, i: int, j: int) -> bool:
        """Is that event the act the accused is said to have done (not another event inside the allegation)?"""
        return start <= self.head < j or self.head <= i <= self.head + 2  # «بتفجير سيارة مفخخة»


def find_allegations(tokens: list[Token], actors: list[Entity], clauses: Clauses, k: EventKnowledge
                     ) -> list[Allegation]:
    """The sentence's allegations, in order."""
    if not k.allegation_words:
        return []
    found = list(map(_cue_reader(k).__getitem__, [tok.key for tok in tokens]))
    hits = [(c, found[c]) for c in compress(range(len(tokens)), found)]
    if not hits:
        return []  # most sentences: one memo lookup a token, in C
    spans = [(a, *token_range(tokens, a)) for a in actors]
    in_actor = {q for _, s, e in spans for q in range(s, e)}
    out: list[Allegation] = []
    for c, (frame, pronoun) in hits:
        if frame == "accuse":
            allegation = _accusation(tokens, c, pronoun, spans, in_actor, clauses, k)
        elif frame == "accuse_noun":
            allegation = _accusation_noun(tokens, c, spans, in_actor, clauses, k)
        elif frame == "blame":
            allegation = _blame(tokens, c, pronoun, spans, in_actor, clauses, k)
        elif frame == "attribute":
            allegation = _attributed(tokens, c, spans, clauses)
        else:
            allegation = _denial(tokens, c, spans, clauses)
        if allegation is not None:
            out.append(allegation)
    return out


_FRAMES = ("accuse", "accuse_noun", "blame", "attribute", "deny")
_PRONOUN_FRAMES = ("accuse", "blame")  # «يتهمه», «حمّله»


def _cue_reader(k: EventKnowledge) -> Memo[str, tuple[str, bool] | None]:
    """Per token key: the allegation frame its word opens and whether it carries an object pronoun, or None
    (one reader per knowledge: the coder asks for it every sentence)."""
    words = k.allegation_words
    kept = _READERS.get(id(words))
    if kept is not None and kept[0] is words:
        return kept[1]

    # every form that opens a frame, bare or with an object pronoun (the first frame listed wins a form)
    forms: dict[str, tuple[str, bool]] = {}
    for frame in _FRAMES:
        for verb in words.get(frame, frozenset()):
            forms.setdefault(verb, (frame, False))
    for frame in _PRONOUN_FRAMES:
        for verb in words.get(frame, frozenset()):
            for suffix in _OBJECT_PRONOUNS:
                forms.setdefault(verb + suffix, (frame, True))

    def read(key: str) -> tuple[str, bool] | None:
        return next((forms[stem] for stem in stems_of_key(key) if stem in forms), None)

    reader: Memo[str, tuple[str, bool] | None] = Memo(read, 100_000)
    _READERS[id(words)] = (words, reader)
    return reader


_READERS: dict[int, tuple[dict[str, frozenset[str]], Memo[str, tuple[str, bool] | None]]] = {}


def _parties(tokens: list[Token], c: int, stop: int, pronoun: bool, spans: list, clauses: Clauses
             ) -> tuple[Entity | None, Entity | None]:
    """Speaker and accused of a verb at ``c`` whose complement starts at ``stop``: verb-speaker-accused order,
    or speaker-verb-accused; with an object pronoun the actor after the verb is the speaker and the accused is
    the actor a relative clause describes («غولن، الذي يتهمه أردوغان»), if any; a passive verb («اُتهمت
    روسيا») has no speaker."""
    lo, _ = clauses.span(c, c + 1)
    between = _phrases_between(tokens, [(a, s, e) for a, s, e in spans if c < s and e <= stop])
    before = [a for a, s, e in spans if lo <= s and e == c and not _modifies(tokens, a, s)]  # «إيران اتهمت»
    if marked_passive(tokens[c]):
        return None, between[0][0] if between else None
    if pronoun:
        described = None
        if c > 0 and tokens[c - 1].key in _RELATIVE:
            described = next((a for a, s, e in reversed(spans) if c - 3 <= e - 1 < c - 1), None)
        return (between[0][0] if between else before[-1] if before else None), described
    if len(between) >= 2:
        return between[0][0], between[1][0]
    if not between:
        return (before[-1] if before else None), None
    if before:
        return before[-1], between[0][0]
    # one actor after the verb, none before: «اتهمت الحكومة جهات خارجية بـ…» (other words fill the accused's
    # place: the actor speaks) or «اتهمت الحكومة بـ…» (unvowelled passive: the actor is accused)
    first, end = between[0]
    if any(tok.kind == "word" for tok in tokens[end:stop]):
        return first, None
    return None, first


def _phrases_between(tokens: list[Token], spans: list) -> list[tuple[Entity, int]]:
    """The noun phrases the actors after the verb stand for, each (its first actor, its end): an actor right
    after another joins it when it is a demonym («ميليشيات الحوثي الإيرانية»), the same actor («وزير الدفاع
    البريطاني جافين وليامسون») or coordinated («هولندا وأستراليا»); an actor after a preposition («المدعومة من
    إيران», «لروسيا») modifies something else and is left out."""
    out: list[tuple[Entity, int]] = []
    last: Entity | None = None
    for a, s, e in spans:
        if _modifies(tokens, a, s):
            continue
        # «ميليشيات الحوثي ومن ورائها إيران»: a conjunction within a few words coordinates the two
        coordinated = bool(out) and s - out[-1][1] <= 3 and (
            a.clitic.startswith("و") or any(t.key.startswith("و") for t in tokens[out[-1][1]:s]))
        joins = coordinated or (bool(out) and s == out[-1][1] and last is not None and (
            a.how == "demonym" or (a.actor_id and a.actor_id == last.actor_id)
            or (last.how == "title" and a.type == "PER")))
        if joins:
            out[-1] = (out[-1][0], e)
        else:
            out.append((a, e))
        last = a
    return out


def _modifies(tokens: list[Token], a: Entity, s: int) -> bool:
    """An actor after a preposition («المدعومة من إيران», «لروسيا») modifies a noun: it is no party."""
    return a.clitic.endswith(("ل", "ب", "لل")) or (s > 0 and tokens[s - 1].key in _PREPOSITIONS)


def _head(tokens: list[Token], start: int, end: int, k: EventKnowledge) -> int:
    """The act's own word: past «بالوقوف خلف», «بالتورط في» and the like (the first word loses its «بـ»)."""
    involvement = reads_as(k.allegation_words.get("involvement", frozenset()))
    h = start
    for _ in range(4):
        if h + 1 >= end:
            break
        key = tokens[h].key
        bare = key[1:] if h == start and key.startswith("ب") else key
        if not (involvement[bare] or involvement[key]):
            break
        h += 1
    return h


def _complement(tokens: list[Token], c: int, in_actor: set[int], clauses: Clauses, k: EventKnowledge) -> int | None:
    """The first word after the accusing word, outside a name and in its clause, that starts with «بـ»."""
    for t in range(c + 1, min(len(tokens), c + 1 + _REACH)):
        tok = tokens[t]
        if clauses.is_boundary[t]:
            return None
        if t in in_actor or tok.kind != "word" or not tok.key.startswith("ب") or len(tok.key) < 3 \
                or tok.key in k.allegation_words.get("not_complement", frozenset()):
            continue
        return t
    return None


def _accusation(tokens: list[Token], c: int, pronoun: bool, spans: list, in_actor: set[int], clauses: Clauses,
                k: EventKnowledge) -> Allegation | None:
    """«اتهم X Y بـ…»: the act after the «بـ» complement."""
    t = _complement(tokens, c, in_actor, clauses, k)
    if t is None:
        return None
    start = t + 1 if tokens[t].key in _THAT else t
    if start >= len(tokens):
        return None
    _, end = clauses.span(start, start + 1)
    speaker, accused = _parties(tokens, c, t, pronoun, spans, clauses)
    return Allegation(c, "accuse", speaker, accused, start, end, _head(tokens, start, end, k),
                      marked_passive(tokens[c]))


def _accusation_noun(tokens: list[Token], c: int, spans: list, in_actor: set[int], clauses: Clauses,
                     k: EventKnowledge) -> Allegation | None:
    """«اتهامات الحكومة اليمنية لإيران بتهريب أسلحة»: the noun's genitive accuses, the actor after «لـ» is
    accused; «لها/له/لهم» points back to the actor before the noun («ولم تعلق طهران على اتهامات … لها»)."""
    t = _complement(tokens, c, in_actor, clauses, k)
    stop = t if t is not None else clauses.span(c, c + 1)[1]
    genitive = next((a for a, s, _ in spans if s == c + 1 and not _modifies(tokens, a, s)), None)
    accused = next((a for a, s, e in spans if c < s and e <= stop and a.clitic.endswith(("ل", "لل"))), None)
    if accused is None and any(tok.key in _TO_THEM for tok in tokens[c + 1:stop]):
        accused = next((a for a, s, e in reversed(spans) if e <= c and not _modifies(tokens, a, s)), None)
    speaker = genitive
    if accused is None and not tokens[c].key.endswith("ات"):
        # «اتهام جيش النظام بعدم الاكتراث»: with no «لـ», the singular's genitive is the one accused
        speaker, accused = None, genitive
    if speaker is None and accused is None:
        return None
    if t is None:  # no act named: the accusation's own parties only
        return Allegation(c, "accuse", speaker, accused, c + 1, c + 1, -1)
    start = t + 1 if tokens[t].key in _THAT else t
    if start >= len(tokens):
        return None
    _, end = clauses.span(start, start + 1)
    return Allegation(c, "accuse", speaker, accused, start, end, _head(tokens, start, end, k))


def _blame(tokens: list[Token], c: int, pronoun: bool, spans: list, in_actor: set[int], clauses: Clauses,
           k: EventKnowledge) -> Allegation | None:
    """«حمّل X Y المسؤولية (الكاملة) عن …»."""
    responsibility = k.allegation_words.get("responsibility", frozenset())
    n = len(tokens)
    for t in range(c + 1, min(n, c + 1 + _REACH)):
        if clauses.is_boundary[t]:
            return None
        if t in in_actor or tokens[t].key not in responsibility:
            continue
        about = next((q for q in range(t + 1, min(n, t + 3)) if tokens[q].key == "عن"), None)
        if about is None or about + 1 >= n:
            return None
        _, end = clauses.span(about + 1, about + 2)
        speaker, accused = _parties(tokens, c, t, pronoun, spans, clauses)
        return Allegation(c, "blame", speaker, accused, about + 1, end, _head(tokens, about + 1, end, k))
    return None


def _attributed(tokens: list[Token], c: int, spans: list, clauses: Clauses) -> Allegation | None:
    """«الهجوم الذي نسب إلى X» / «نسب الهجوم إلى X»: the accused right after «إلى»."""
    to = next((q for q in range(c + 1, min(len(tokens), c + 1 + _REACH)) if tokens[q].key == "الي"), None)
    if to is None or clauses.crosses(c, to):
        return None
    accused = next((a for a, s, _ in spans if s == to + 1), None)
    if accused is None:
        return None
    start = max(0, c - _ACT_BEFORE)
    if to > c + 1:  # «نسب الهجوم إلى X»
        head = c + 1
    elif c == 0:
        return None
    else:  # «الهجوم (الذي) نسب إلى X»
        head = max(start, c - 2 if tokens[c - 1].key in _RELATIVE else c - 1)
    return Allegation(c, "attribute", None, accused, start, to, head)


def _denial(tokens: list[Token], c: int, spans: list, clauses: Clauses) -> Allegation | None:
    """«نفت الوزارة أن تكون طائراتها قصفت …»: the rest of the clause, spoken by the actor after (or before) it."""
    lo, hi = clauses.span(c, c + 1)
    if hi <= c + 1:
        return None
    after = next((a for a, s, _ in spans if c < s <= c + 2 and not _modifies(tokens, a, s)), None)
    before = next((a for a, s, e in reversed(spans) if lo <= s and e == c and not _modifies(tokens, a, s)), None)
    return Allegation(c, "deny", after or before, None, c + 1, hi, -1)


_RELATIVE = frozenset({"الذي", "التي", "الذين"})
_TO_THEM = frozenset({"له", "لها", "لهم", "لهما"})
_PREPOSITIONS = frozenset({"من", "في", "علي", "عن", "الي", "مع", "ضد", "بين", "لدي", "حول"})
