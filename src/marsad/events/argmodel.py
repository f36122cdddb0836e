"""Who did it and to whom: a trained ranking of the sentence's entities for an event's source and target.

The word-order rules (arguments.py) choose right only about half the time on the 420 annotated training
articles, even when the right actor is in the sentence. This model ranks, for each role, every entity of
the sentence and *none*: a linear score over readable features of the candidate against the trigger
(direction and distance, the preposition before it, a reporting verb or a clause boundary between, its type
and sector, whether it is the sentence's speaker, whether the rules chose it), softmax-normalised. The
weights ship in ``data/models/arguments.json`` and are rebuilt by ``scripts/train_arguments.py``; inference
is a sum of weights. Each choice names its strongest features in the event's explanation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, repeat

from marsad.doc import Entity
from marsad.events.arguments import FORCE_NOUNS
from marsad.events.clause import Clauses, per_sentence, token_range
from marsad.knowledge.models import shipped_model, strongest
from marsad.text.normalize import match_key
from marsad.text.tokens import Token, reads_as

ROLES = ("source", "target")
NONE = None  # the candidate "no one in this sentence"
# Closed-class words before a candidate that mark its role (normalised keys, as Token.key spells them).
_MARKERS = frozenset({"علي", "ضد", "من", "الي", "مع", "بين", "عن", "لدي", "حول", "تجاه", "بحق", "في", "ل", "ب",
                      "و", "قبل", "يد", "وزير", "رئيس", "قال", "قالت", "اكد", "اكدت", "ان", "بان", "انه"})
_TWO_WORD_MARKERS = frozenset({("من", "قبل"), ("علي", "يد"), ("من", "جانب"), ("بحسب", ""), ("نسب", "الي")})


_FORCE_KEYS = frozenset(match_key(w) for w in FORCE_NOUNS)  # as Token.key spells them («الطايرات»)


def _bucket(n: int) -> str:
    return str(n) if n <= 3 else "4-6" if n <= 6 else "7-10" if n <= 10 else "11+"


@dataclass(frozen=True, slots=True)
class EventContext:
    """What the ranking needs to know of the event: trigger tokens [i, j) (``start``: its light verb), type."""

    start: int
    i: int
    j: int
    event_type: str
    part: str
    is_verb: bool
    passive: bool


def candidate_features(tokens: list[Token], ctx: EventContext, ents: list[Entity], clauses: Clauses,
                       speakers: set[int], reporting: frozenset[str], rule: dict[str, Entity | None],
                       rule_why: dict[str, str] | None = None, numbers: frozenset[int] | set[int] = frozenset(),
                       speech: frozenset[str] = frozenset()) -> list[tuple[Entity | None, dict[str, list[str]]]]:
    """Every candidate (the sentence's entities outside the trigger, then *none*) with its features per role.

    ``rule`` is the word-order rules' choice per role and ``rule_why`` their reason: a strong rule (a genitive,
    «من قبل», «ل» before a recipient) earns more trust than the fallback to the nearest actor. ``numbers``: the
    sentence's tokens inside a count; ``speech``: reporting and stance verbs (match keys)."""
    reasons = {role: _reason_key((rule_why or {}).get(role)) for role in ROLES}
    forces, speaks = reads_as(_FORCE_KEYS), reads_as(speech)
    said = _reporting_before(tokens, reporting)
    spans = []
    for e in ents:
        s, t = token_range(tokens, e)
        if t <= s or (s < ctx.j and ctx.start < t and not (ctx.start < s and t <= ctx.i)):
            continue  # empty, or overlapping the trigger (an entity between a light verb and its noun is kept)
        spans.append((e, s, t))
    before = sorted((ctx.start - t for _, _, t in spans if t <= ctx.start))
    after = sorted((s - ctx.j for _, s, _ in spans if s >= ctx.j))
    out: list[tuple[Entity | None, dict[str, list[str]]]] = []
    T, v = ctx.event_type, "verb" if ctx.is_verb else "noun"
    for e, s, t in spans:
        if t <= ctx.start:
            direction, dist = "before", ctx.start - t
            rank = before.index(dist) + 1
            between = range(t, ctx.start)
        elif s >= ctx.j:
            direction, dist = "after", s - ctx.j
            rank = after.index(dist) + 1
            between = range(ctx.j, s)
        else:
            direction, dist, rank, between = "inside", 0, 1, range(0)
        prev = tokens[s - 1].key if s > 0 else "^"
        prev2 = (tokens[s - 2].key, prev) if s > 1 else ("^", prev)
        marker = prev if prev in _MARKERS else "other"
        two = " ".join(prev2) if prev2 in _TWO_WORD_MARKERS else "-"
        crosses = clauses.crosses(min(s, ctx.start), max(t - 1, ctx.j - 1)) if direction != "inside" else False
        reported = said[between.stop] > said[between.start]
        kind = "generic" if (e.actor_id or "").startswith("GEN") else e.type
        base = [
            f"dir={direction}", f"dir={direction}|{v}", f"dir={direction}|{T}", f"dist={_bucket(dist)}|{direction}",
            f"rank={min(rank, 3)}|{direction}", f"rank={min(rank, 3)}|{direction}|{v}",
            f"marker={marker}|{direction}", f"marker={marker}|{T}", f"marker2={two}", f"clitic={e.clitic or '-'}",
            f"clitic={e.clitic or '-'}|{direction}|{T}",  # «دعم إيران للحوثيين»: «لـ» marks the recipient
            f"crosses={crosses}|{direction}", f"reported_between={reported}|{direction}",
            f"kind={kind}", f"kind={kind}|{T}", f"sector={e.sector or '-'}|{T}", f"known={e.actor_id is not None}",
            f"how={e.how or '-'}", f"speaker={s in speakers}", f"speaker={s in speakers}|{T}",
            f"passive={ctx.passive}|{direction}", f"part={ctx.part}|{direction}",
            f"marker={marker}|{direction}|{v}", f"rank={min(rank, 3)}|{direction}|{T}",
            f"sentence_start={s == 0}", f"kind={kind}|{direction}|{v}",
            # «الطائرات الروسية», «القوات التركية»: a demonym after a force noun names who acts
            f"after_force_noun={forces[prev]}|{direction}|{v}", f"after_force_noun={forces[prev]}|{T}",
            # «قتل ثلاثة جنود»: the counted are victims far more often than doers (the verb is passive, unvowelled)
            f"counted={s - 1 in numbers}|{direction}", f"counted={s - 1 in numbers}|{direction}|{T}",
            # «دانت السعودية الهجوم»: the subject of a reporting or stance verb speaks about the event
            f"after_speech_verb={speaks[prev]}|{direction}|{T}",
        ]
        feats: dict[str, list[str]] = {"trusted": []}  # the roles a trusted rule gave this candidate
        for role in ROLES:
            chosen = rule.get(role) is e
            other = rule.get("target" if role == "source" else "source") is e
            why = [f"rule_reason={reasons[role]}", f"rule_reason={reasons[role]}|{T}"] if chosen else []
            if chosen and reasons[role] in TRUSTED:
                feats["trusted"].append(role)
            # unprefixed: the model keeps one weight table a role (the weights file names them "role|feature")
            feats[role] = [*base, f"rule_chose={chosen}", f"rule_chose={chosen}|{T}", f"rule_chose_other_role={other}",
                           *why]
        out.append((e, feats))
    n = _bucket(len(spans))
    none: dict[str, list[str]] = {}
    for role in ROLES:
        rule_none = rule.get(role) is None
        none[role] = ["none", f"none|{T}", f"none|{v}", f"none|cands={n}", f"none|rule_none={rule_none}",
                      f"none|rule_none={rule_none}|{T}", f"none|passive={ctx.passive}",
                      f"none|before={_bucket(len(before))}", f"none|after={_bucket(len(after))}",
                      *([f"none|rule_reason={reasons[role]}"] if rule_none else [])]
    out.append((NONE, none))
    return out


def _reporting_before(tokens: list[Token], reporting: frozenset[str]) -> list[int]:
    """``said[q]``: how many reporting verbs stand before token q (once a sentence and set of verbs: every
    candidate of every event asks whether one stands between it and its trigger)."""
    reports = reads_as(reporting)
    return per_sentence(tokens, ("reporting before", reporting),
                        lambda: [0, *accumulate(map(reports.__getitem__, [t.key for t in tokens]))])


# Rule reasons (as _reason_key writes them) right in 92-100% of the training articles' cases, or syntactically
# certain («قتلت قوات الأمن مسلحا واعتقلت 16 آخرين»: one subject): their choice is kept.
TRUSTED = frozenset(("agent after", "actor after a target preposition", "subject of the light verb",
                     "subject shared with the verb"))


def _reason_key(why: str | None) -> str:
    """The rule's reason without its particulars: «genitive of the verbal noun», «nearest actor later …»."""
    if not why:
        return "-"
    return why.split("«")[0].split("(")[0].split(":")[0].strip()[:60] or "-"


@dataclass(frozen=True)
class ArgumentModel:
    weights: dict[str, float]  # "role|feature" → weight, as the file holds them
    info: str
    path: str = "data/models/arguments.json"
    by_role: dict[str, dict[str, float]] = field(init=False)

    def __post_init__(self) -> None:
        tables: dict[str, dict[str, float]] = {role: {} for role in ROLES}
        for name, weight in self.weights.items():
            role, _, feature = name.partition("|")
            if role in tables:
                tables[role][feature] = weight
        object.__setattr__(self, "by_role", tables)

    def score(self, role: str, features: list[str]) -> float:
        return sum(map(self.by_role[role].get, features, repeat(0.0)))  # the loop in C: ~60 scores an event

    def choose(self, candidates: list[tuple[Entity | None, dict[str, list[str]]]]
               ) -> tuple[Entity | None, str, Entity | None, str]:
        """The best source and target together: the pair with the highest summed score, never one actor in both
        roles (a greedy source would take the target's best candidate); each with why."""
        scores = {role: [(self.score(role, f[role]), e, f[role]) for e, f in candidates] for role in ROLES}
        for role in ROLES:  # a rule that is all but certain keeps its choice; the model fills the other role
            kept = [x for x, (_, f) in zip(scores[role], candidates, strict=True) if role in f.get("trusted", ())]
            if kept:
                scores[role] = kept
        best: tuple[float, int, int] | None = None
        for a, (sa, ea, _) in enumerate(scores["source"]):
            for b, (sb, eb, _) in enumerate(scores["target"]):
                if ea is not None and eb is not None and (ea is eb or (ea.actor_id and ea.actor_id == eb.actor_id)):
                    continue
                if best is None or sa + sb > best[0]:
                    best = (sa + sb, a, b)
        assert best is not None  # none/none is always a pair
        _, a, b = best
        source, why_source = self._why("source", scores["source"], a)
        target, why_target = self._why("target", scores["target"], b)
        return source, why_source, target, why_target

    def _why(self, role: str, scored: list[tuple[float, Entity | None, list[str]]], k: int
             ) -> tuple[Entity | None, str]:
        top = max(s for s, _, _ in scored)
        total = sum(math.exp(s - top) for s, _, _ in scored)
        score, entity, feats = scored[k]
        weights = list(map(self.by_role[role].get, feats, repeat(0.0)))
        reasons = strongest(feats, weights, zeros=True)
        what = f"«{entity.text}»" if entity is not None else "no one in the sentence"
        return entity, f"argument model ({self.path}): {what}, p={math.exp(score - top) / total:.2f} ({reasons})"


@lru_cache(maxsize=1)
def builtin_argument_model() -> ArgumentModel | None:
    data = shipped_model("arguments.json")
    if data is None:
        return None
    return ArgumentModel(weights=data["weights"], info=data.get("info", ""))
