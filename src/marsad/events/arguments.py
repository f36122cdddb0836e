"""Source, target and location from word order inside the clause — no parser upstream.

Rules, in the order they are tried (each names itself in the explanation):
- an agent marker after the trigger («من قبل X», «على يد X») gives the source;
- a verb: VSO when an actor follows it directly, else SVO with the closest
  actor before it in the clause; the next actor after it (or after a target
  preposition) is the target; a past verb followed by a count or a bare
  victim noun with no actor before it is read as a passive: no source;
- a verbal noun: the actor in its genitive («قصف مواقع الحوثيين», «زيارة
  أردوغان») is the target for acts done to someone (ASSAULT, COERCE …) and
  the source for acts someone does (CONSULT, REJECT …); a target preposition
  («هجوم على X») gives the target; a light verb's subject («شنت القوات
  التركية هجوما») gives the source;
- the location is a place after a place preposition in the clause, or a
  clause-initial «وفي X،» that frames the sentence;
- a verb joined by «و/ف» to an earlier verb event of the sentence shares its
  subject («قتلت قوات الأمن مسلحا واعتقلت 16 آخرين»);
- failing all that, the nearest actor earlier (later) in the same sentence is
  the source (target), across a comma, and the explanation says so.
Where the source is only implied by an earlier sentence it stays null.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from marsad.doc import Entity
from marsad.events.clause import Clauses, sentence_phrases, stems, token_range
from marsad.knowledge.eventdata import EventKnowledge
from marsad.text.tokens import Token, reads_as

FORCE_NOUNS = frozenset({
    "قوات", "القوات", "طائرات", "الطائرات", "مقاتلات", "المقاتلات", "الطيران", "طيران", "الجيش", "جيش", "عناصر",
    "وحدات", "الوحدات", "سفن", "السفن", "البحريه", "المدفعيه", "الشرطه", "الحكومه", "السلطات", "السلطه", "الامن",
    "مسلحون", "المسلحون", "مسلحين", "ميليشيات", "الميليشيات", "فصائل", "الفصائل", "دبابات", "الدبابات", "قوه",
    "مروحيات", "المروحيات", "الاستخبارات", "المخابرات", "الادارة", "الاداره", "الخارجيه", "الرئاسه",
})
# Types whose events are done to someone (a target is expected).
TARGETED_TYPES = frozenset({"ASSAULT", "COERCE", "ACCUSE", "REJECT", "THREATEN", "SANCTION", "REQUEST", "AID",
                            "SUPPORT", "CONSULT", "COOPERATE", "AGREE", "CONCEDE", "RETREAT"})
_ACTS_OF_FORCE = frozenset({"ASSAULT", "COERCE", "MOBILIZE", "SANCTION", "THREATEN"})
_RELATIVES = frozenset({"الذي", "التي", "الذين", "اللذين", "اللتين", "اللواتي"})


RECIPIENT_TYPES = frozenset({"AID", "SUPPORT", "REQUEST", "COOPERATE", "CONCEDE", "AGREE", "CONSULT"})


def _is_count_word(tok: Token) -> bool:
    from marsad.recognize.numbers import number_words

    words = number_words()
    return tok.kind == "number" or any(x in words.units or x in words.vague or x in words.multipliers
                                       for x in stems(tok))


def marked_passive(tok: Token) -> bool:
    """A verb written with its passive vowel: damma on the first letter («قُتل», «اُغتيل»)."""
    text = tok.text[1:] if tok.text[:1] in ("و", "ف") else tok.text
    return "\u064f" in text[:3]


def _is_participle(tok: Token) -> bool:
    """Active participles in the accusative («متهما», «مطالبا», «معتبرا»): مـ … ـا."""
    key = tok.key[1:] if tok.key[:1] in ("و", "ف") else tok.key
    return key.startswith("م") and key.endswith("ا") and len(key) >= 5


# Types whose verbal noun's genitive is the one acted upon.
PATIENT_GENITIVE = frozenset({"ASSAULT", "COERCE", "SANCTION", "THREATEN", "AID"})
_NEAR = 2  # tokens allowed between a verb and the actor right after it
_GENITIVE = 3  # tokens allowed between a verbal noun and its genitive actor
_FAR = 10  # tokens allowed between an argument and its trigger
_SENTENCE_FAR = 20  # the same, for the sentence-level fallback source


@dataclass
class Arguments:
    source: Entity | None = None
    target: Entity | None = None
    location: Entity | None = None
    why: dict[str, str] = field(default_factory=dict)


@dataclass
class ArgumentFinder:
    knowledge: EventKnowledge

    def find(self, tokens: list[Token], i: int, j: int, head: int, event_type: str, is_verb: bool,
             actors: list[Entity], places: list[Entity], clauses: Clauses, passive_light: bool,
             possessed: bool = False, shared_subject: Entity | None = None) -> Arguments:
        """Arguments of the event whose trigger is tokens [i, j); ``head`` is the trigger word itself."""
        args = Arguments()
        lo, hi = clauses.span(i, j)
        spans = [(a, *token_range(tokens, a)) for a in actors if not self._is_location_phrase(tokens, a)]
        before = [(a, s, e) for a, s, e in spans if lo <= s and e <= i and i - e <= _FAR]
        after = [(a, s, e) for a, s, e in spans if j <= s and e <= hi and s - j <= _FAR]
        inside = [a for a, s, e in spans if i < s and e <= head]  # between a light verb and its noun

        agent = self._agent_after(tokens, j, hi, after)
        if agent is not None:
            args.source, args.why["source"] = agent, "agent after «من قبل / على يد»"
        if args.source is None and lo > 0 and any(x in _RELATIVES for x in (tokens[lo - 1].key,)):
            # «القوات التي هاجمت»: the relative clause's verb has the noun before «التي» as its subject.
            head_noun = next((a for a, s, e in spans if e == lo - 1), None)
            if head_noun is not None:
                args.source, args.why["source"] = head_noun, "the actor a relative clause («التي/الذي») describes"
        if head > i:
            # A light verb and its noun («شنت القوات التركية هجوما على …», «أعلن الجيش مقتل 8 جنود»): the
            # verb's subject stands between them; what follows the noun is its genitive or its target.
            if inside and args.source is None:
                args.source, args.why["source"] = inside[0], "subject of the light verb (verb-subject order)"
            self._noun(tokens, i, j, head, event_type, before, after, inside, args, possessed, spans)
        elif is_verb and _is_participle(tokens[head]):
            # «متهما حماس بإطلاق …»: a circumstantial participle; its subject is the clause's actor before it.
            self._noun(tokens, i, j, head, "ASSAULT", before, after, inside, args, possessed, spans)
        elif is_verb:
            self._verb(tokens, i, j, before, after, args, passive_light)
        else:
            self._noun(tokens, i, j, head, event_type, before, after, inside, args, possessed, spans)
        if args.source is None and shared_subject is not None and not marked_passive(tokens[head]):
            # «قتلت قوات الأمن مسلحا واعتقلت 16 آخرين»: the count after «اعتقلت» is its object, not a passive subject.
            args.source, args.why["source"] = shared_subject, "subject shared with the verb «و/ف» joins it to"
        if args.source is None and "source" not in args.why:
            # The sentence's earlier actor, across a comma («قالت الحكومة، … واعتقلت»): never an earlier sentence.
            earlier = [(a, s, e) for a, s, e in spans if e <= i and i - e <= _SENTENCE_FAR
                       and not (a.sector == "CVL" and event_type in _ACTS_OF_FORCE)]
            if earlier:
                args.source = earlier[-1][0]
                args.why["source"] = "nearest actor earlier in the sentence (across a clause boundary)"
        if args.target is None and "target" not in args.why and event_type in TARGETED_TYPES:
            later = [a for a, s, _e in spans if s >= j and s - j <= _SENTENCE_FAR and a is not args.source]
            if later:
                args.target = later[0]
                args.why["target"] = "nearest actor later in the sentence (across a clause boundary)"
        if args.source is not None and args.source.sector == "CVL" and event_type in _ACTS_OF_FORCE:
            args.why["source"] = f"«{args.source.text}» (civilians) cannot carry out {event_type}: no source"
            args.source = None
        if args.target is not None and args.source is not None and args.target.actor_id == args.source.actor_id:
            args.target = None
            args.why.pop("target", None)
        self._location(tokens, i, j, lo, hi, places, args)
        return args

    def _agent_after(self, tokens: list[Token], j: int, hi: int, after: list) -> Entity | None:
        lengths = sentence_phrases(tokens, self.knowledge.agent_markers)
        for k in range(j, hi):
            n = lengths[k]
            if n:
                return next((a for a, s, _ in after if s == k + n), None)
        return None

    def _verb(self, tokens: list[Token], i: int, j: int, before: list, after: list, args: Arguments,
              passive: bool) -> None:
        first_after = after[0] if after else None
        if passive:
            if first_after:
                args.target, args.why["target"] = first_after[0], "subject of a verb of undergoing («تعرض»)"
            return
        if marked_passive(tokens[i]) and first_after is not None:
            args.target, args.why["target"] = first_after[0], "subject of a passive verb («اُغتيل القيادي»)"
            return
        subject_before = bool(before) and before[-1][2] == i and not marked_passive(tokens[i])
        if args.source is None and first_after is not None and not subject_before and \
                self._subject_after(tokens, j, first_after) and \
                not self._is_target_marker(tokens, first_after[1] - 1, j):
            args.source, args.why["source"] = first_after[0], "actor right after the verb (verb-subject order)"
            # «اقتحم عشرات العراقيين المحتجين»: an actor right after the subject is in apposition to it
            rest = [x for x in after[1:] if x[1] != first_after[2]]
        else:
            rest = after
            if args.source is None and before:
                adjacent = i - before[-1][2] <= 1
                if marked_passive(tokens[i]) or (self._looks_passive(tokens, j) and not adjacent):
                    args.why["source"] = "passive reading (passive vowel, or a count follows the verb): no source"
                else:
                    args.source, args.why["source"] = before[-1][0], "closest actor before the verb in the clause"
        if rest:
            args.target, args.why["target"] = rest[0][0], "next actor after the verb in the clause"

    def _noun(self, tokens: list[Token], i: int, j: int, head: int, event_type: str, before: list, after: list,
              inside: list[Entity], args: Arguments, possessed: bool, spans: list | None = None) -> None:
        genitive = None if possessed else next(  # «رفضها»: the pronoun is the genitive
            ((a, s) for a, s, _ in after if s - (head + 1) <= _GENITIVE and s >= head + 1
             and not self._is_target_marker(tokens, s - 1, head + 1)), None)
        marked = next((a for a, s, _ in after if self._is_target_marker(tokens, s - 1, j)), None)
        if genitive is not None and genitive[0].clitic.endswith(("ل", "لل")) and event_type not in RECIPIENT_TYPES:
            # «غارات للتحالف»: what belongs to an actor was done by it
            args.source, args.why["source"] = genitive[0], "actor after «لـ» (the one whose act it is)"
        elif genitive is not None and genitive[0].clitic.endswith(("ل", "لل")):
            # «دعما للحكومة», «مساعدات لليمن»: «لـ» marks the one who receives it
            args.target, args.why["target"] = genitive[0], "actor after «لـ» (the one who receives it)"
        elif genitive is not None:
            if event_type in PATIENT_GENITIVE:
                args.target, args.why["target"] = genitive[0], "genitive of the verbal noun (the one acted upon)"
            elif args.source is None:
                args.source, args.why["source"] = genitive[0], "genitive of the verbal noun (the one who acts)"
        if args.target is None and marked is not None and marked is not args.source:
            args.target, args.why["target"] = marked, "actor after a target preposition («على», «ضد», «مع»)"
        # «غارات شنتها قوات التحالف», «الغارة التي شنتها الطائرات الإسرائيلية» (past the relative's boundary)
        k = j + 1 if j < len(tokens) and tokens[j].key in _RELATIVES else j
        if args.source is None and k < len(tokens) and self._light_after(tokens[k]):
            pool = after if k == j else [x for x in spans or [] if x[1] > k]
            subject = next((a for a, s, _ in pool if 1 <= s - k <= 2), None)
            if subject is not None:
                args.source, args.why["source"] = subject, f"subject of «{tokens[k].text}» after the event noun"
        if args.source is None and inside:
            args.source, args.why["source"] = inside[0], "subject of the light verb (verb-subject order)"
        if args.source is None and before and (event_type not in PATIENT_GENITIVE or i - before[-1][2] <= _NEAR + 2):
            args.source, args.why["source"] = before[-1][0], "closest actor before the event noun in the clause"

    def _subject_after(self, tokens: list[Token], j: int, actor: tuple) -> bool:
        """The actor right after a verb is its subject — directly («قصفت إسرائيل»), or as the adjective
        of a force noun («قصفت الطائرات الروسية»); an adjective of anything else («ترفض الخطوة المصرية»)
        qualifies the object instead."""
        a, s, _e = actor
        if a.clitic.endswith(("ل", "ب")):  # a subject takes no preposition: «دعما للجيش»
            return False
        if s == j or all(_is_count_word(t) for t in tokens[j:s]):  # «تظاهر مئات المواطنين»
            return True
        titles = reads_as(self.knowledge.title_words)
        if s - j <= 2 and all(titles[t.key] for t in tokens[j:s]):
            return True  # «دعا الرئيس عمر البشير»
        return s - j == 1 and reads_as(FORCE_NOUNS)[tokens[j].key] and a.how == "demonym"

    def _is_target_marker(self, tokens: list[Token], k: int, lo: int) -> bool:
        """True when token k (just before an actor) is a target preposition after position lo."""
        if k < lo or k >= len(tokens):
            return False
        return reads_as(self.knowledge.target_markers)[tokens[k].key]

    @staticmethod
    def _looks_passive(tokens: list[Token], j: int) -> bool:
        nxt = tokens[j] if j < len(tokens) else None
        return nxt is not None and nxt.kind == "number"

    def _location(self, tokens: list[Token], i: int, j: int, lo: int, hi: int, places: list[Entity],
                  args: Arguments) -> None:
        for p in places:
            s, _ = token_range(tokens, p)
            if j <= s < hi and s - j <= _FAR and (self._place_marked(tokens, s) or tokens[s].key[:1] == "ب"):
                args.location = p
                args.why["location"] = f"place after «{tokens[s - 1].text if s > 0 else ''}» in the clause"
                return
        # «وفي عدن، تظاهر …»: a sentence-initial place frames the sentence.
        opener = tokens[0].key if tokens else ""
        for p in places:
            s, e = token_range(tokens, p)
            if e <= i and ((s == 1 and opener in ("في", "وفي")) or (s == 0 and tokens[0].key[:2] in ("وب", "في"))):
                args.location = p
                args.why["location"] = "place that opens the sentence («وفي X،»)"
                return

    def _light_after(self, tok: Token) -> bool:
        """A light verb with an object pronoun right after the noun («شنتها», «نفذها»)."""
        for stem in stems(tok):
            for suffix in ("ها", "ه", "هم"):
                if stem.endswith(suffix):
                    lv = self.knowledge.light_verbs.get(stem[: -len(suffix)])
                    if lv is not None and lv.voice == "active":
                        return True
        return False

    def _is_location_phrase(self, tokens: list[Token], a: Entity) -> bool:
        """«في شرق ليبيا», «إلى طرابلس»: a state or city named as a place is where, not who."""
        if a.place is None:
            return False
        s, _ = token_range(tokens, a)
        return self._place_marked(tokens, s) or (s < len(tokens) and tokens[s].key[:1] == "ب" and a.clitic != "")

    def _place_marked(self, tokens: list[Token], s: int) -> bool:
        return s > 0 and reads_as(self.knowledge.location_markers)[tokens[s - 1].key]
