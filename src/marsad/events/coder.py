"""Event coder: triggers in each sentence, with source, target, place, modality, attribution and stance.

For each sentence: find trigger words (lexicon, with light verbs such as
«شن» folded in), drop those that are no event here (inside a name, after
«وزارة», a «الحرب» with no verb of happening, a reference to a past or
generic event), then read modality, arguments, attribution and stance.
Every dropped candidate is logged at debug level with the reason, so an
empty output can be diagnosed (`marsad extract -v`).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from itertools import compress
from pathlib import Path

from marsad.doc import Document, Entity, Event, Ref
from marsad.events.allegation import Allegation, find_allegations
from marsad.events.argmodel import ArgumentModel, EventContext, builtin_argument_model, candidate_features
from marsad.events.arguments import ArgumentFinder, Arguments
from marsad.events.attribution import Attribution, find_attributions
from marsad.events.background import background_reason, habitual_reason
from marsad.events.classifier import EventClassifier, builtin_event_classifier, event_features
from marsad.events.clause import Clauses, stems, token_range
from marsad.events.dating import event_date, publication_date
from marsad.events.modality import ModalityReader
from marsad.events.reportedness import ALWAYS_KEPT, ReportednessModel, builtin_reportedness, context_features
from marsad.events.stances import stance_for
from marsad.events.tagger import (
    LoggedWord,
    TriggerTagger,
    bare_forms,
    builtin_trigger_tagger,
    tagger_features,
    word_part,
)
from marsad.knowledge.eventdata import EventKnowledge, builtin_event_knowledge
from marsad.knowledge.triggers import (
    ModalityCue,
    TriggerEntry,
    builtin_modality_path,
    builtin_trigger_paths,
    load_modality_file,
    load_trigger_file,
)
from marsad.recognize.dateline import dateline_end
from marsad.recognize.dates import DateMention, find_dates
from marsad.recognize.matcher import PhraseMatcher
from marsad.recognize.numbers import find_numbers
from marsad.text.tokens import Token, reads_as

log = logging.getLogger(__name__)

_COORDINATION_WINDOW = 8  # tokens between two verbs that share a subject
_LIGHT_WINDOW = 3  # tokens between a light verb and its event noun
_EVENT_VERB_WINDOW = 3
_OTHER_SENSE_WINDOW = 3  # tokens after a trigger searched for a word of its other sense (its not_followed_by)
VERB_PARTS = ("past", "present", "future", "verb")


class EventCoder:
    """Pipeline component: adds events (and the stances they express)."""

    name = "events"
    requires = ("sentences", "tokens", "entities")
    assigns = ("events", "stances")

    def __init__(self, triggers: Iterable[TriggerEntry], cues: Iterable[ModalityCue],
                 knowledge: EventKnowledge | None = None, reportedness: ReportednessModel | None = None,
                 collect_features: bool = False, argument_model: ArgumentModel | None = None,
                 classifier: EventClassifier | None = None, tagger: TriggerTagger | None = None) -> None:
        self.knowledge = knowledge or EventKnowledge()
        self.reportedness = reportedness
        self.argument_model = argument_model
        self.classifier = classifier
        # training (scripts/train_events.py): every candidate's classifier features, none dropped by the filters
        self.event_log: list[tuple[str, int, dict[str, float]]] | None = None
        # training (scripts/train_arguments.py): each coded event's argument candidates, with their features
        self.argument_log: list[tuple[str, int, list]] | None = None
        self.collect_features = collect_features  # training: keep every candidate, with its features
        self.tagger = tagger
        # training (scripts/train_tagger.py): the bare forms whose words are logged, and each word's features
        self.tagger_vocabulary: frozenset[str] | None = None
        self.tagger_log: list[LoggedWord] | None = None
        # training: every lexicon match, kept or dropped (type, start and end of its words, start of its clause)
        self.match_log: list[tuple[str, int, int, int]] | None = None
        self.triggers: PhraseMatcher[tuple[TriggerEntry, str]] = PhraseMatcher(strip_article=True)
        cameos: dict[str, Counter[str]] = {}
        for entry in triggers:
            for form, part in entry.forms:
                self.triggers.add(form, (entry, part))
            if entry.cameo:
                cameos.setdefault(entry.type, Counter())[entry.cameo] += 1
        # the tagger's words: an entry per type, with the type's most common CAMEO code in the lexicons
        self._tagged_entries = {t: TriggerEntry(t, None, c.most_common(1)[0][0], (("*", "noun"),),
                                                f"trigger tagger ({TriggerTagger.path})")
                                for t, c in cameos.items()}
        self.modality = ModalityReader(list(cues))
        self._speech_verbs = self.knowledge.reporting_verbs | self.knowledge.stance_verbs
        self.arguments = ArgumentFinder(self.knowledge)

    @classmethod
    def builtin(cls, extra: Iterable[str | Path] = ()) -> EventCoder:
        triggers = [t for p in [*builtin_trigger_paths(), *extra] for t in load_trigger_file(p)]
        return cls(triggers, load_modality_file(builtin_modality_path()), builtin_event_knowledge(),
                   builtin_reportedness(), argument_model=builtin_argument_model(),
                   classifier=builtin_event_classifier(), tagger=builtin_trigger_tagger())

    def __call__(self, doc: Document) -> Document:
        doc_year = int(doc.date[:4]) if doc.date and doc.date[:4].isdigit() else None
        published = publication_date(doc.date)
        dateline = dateline_end(doc)  # where the report was filed: no argument, no location
        for sentence in doc.sentences:
            tokens = doc.sentence_tokens(sentence)
            if not tokens:
                continue
            matches = list(self.triggers.find(tokens))
            matched = {q for m in matches for q in range(m.start, m.end)}
            tagging = self.tagger is not None or self.tagger_log is not None
            words = self._tagger_words(tokens, matched) if tagging else []
            if not matches and not words:
                continue  # nothing to code: the sentence's clauses, speakers and dates are not needed
            ents = doc.entities_in(sentence.start, sentence.end)
            if dateline is not None and sentence.start < dateline:
                ents = [e for e in ents if e.start >= dateline]
            actors = [e for e in ents if e.actor_id and e.how != "place"]
            places = [e for e in ents if e.place is not None]
            clauses = Clauses(tokens, self.knowledge)
            attributions = find_attributions(doc, tokens, actors, clauses, self.knowledge)
            in_attribution = {k for a in attributions for k in range(a.start, a.end)}
            arg_actors = [a for a in actors if token_range(tokens, a)[0] not in in_attribution]
            allegations = find_allegations(tokens, arg_actors, clauses, self.knowledge)
            spans = doc.numbers.get(sentence.i)
            if spans is None:  # a pipeline without the quantities component
                spans = find_numbers(tokens)
            numbers = {q for n in spans for q in range(n.start, n.end)}
            dates = find_dates(tokens, published)
            last_verb: tuple[int, Entity] | None = None  # (end of the trigger, its subject)
            for m in matches:
                shared = last_verb[1] if last_verb and _coordinated(tokens, m.start, last_verb[0], m.payloads) \
                    else None
                payloads = _with_article(m.payloads) if m.prefix.endswith(("ال", "لل")) else m.payloads
                subject = self._candidate(doc, tokens, m.start, m.end, payloads, ents, arg_actors, places,
                                          clauses, attributions, numbers, doc_year, shared, dates,
                                          allegations=allegations)
                if subject is not None:
                    last_verb = (m.end, subject)
            if words:
                # a type the lexicons matched in a clause, kept or dropped, is theirs to decide there
                typed = [(m, t, clauses.span(m.start, m.end)) for m in matches
                         for t in dict.fromkeys(entry.type for entry, _ in m.payloads)]
                lexical = {(t, clause) for _, t, clause in typed}
                if self.match_log is not None:
                    self.match_log.extend((t, tokens[m.start].start, tokens[m.end - 1].end, tokens[lo].start)
                                          for m, t, (lo, _) in typed)
                self._tag(doc, tokens, words, ents, arg_actors, places, clauses, attributions, numbers, doc_year,
                          dates, allegations, lexical)
        return doc

    def _tagger_words(self, tokens: list[Token], matched: set[int]) -> list[int]:
        """The sentence's words the trigger tagger reads: of its vocabulary, and matched by no lexicon entry."""
        if self.tagger_vocabulary is not None:  # training: the words of the gold evidence
            vocabulary = self.tagger_vocabulary
            return [t for t, tok in enumerate(tokens) if tok.kind == "word" and t not in matched
                    and any(s in vocabulary for s in bare_forms(tok.key))]
        reads = self.tagger.reading  # type: ignore[union-attr]
        known = list(map(reads.__getitem__, [tok.key for tok in tokens]))  # few words are the tagger's
        return [t for t in compress(range(len(tokens)), known) if tokens[t].kind == "word" and t not in matched]

    def _tag(self, doc: Document, tokens: list[Token], words: list[int], ents: list[Entity], actors: list[Entity],
             places: list[Entity], clauses: Clauses, attributions: list[Attribution], numbers: set[int],
             doc_year: int | None, dates: list[DateMention], allegations: list[Allegation],
             lexical: set[tuple[str, tuple[int, int]]]) -> None:
        """The trigger tagger's candidates among ``words``: those no name covers; in each clause, the most
        probable of a type, and none of a type the lexicons matched there (``lexical``: (type, clause)), whether
        the coder kept that match or dropped it (the tagger does not overrule the classifier)."""
        named = {q for e in ents for q in range(*token_range(tokens, e))}
        actor_at = {token_range(tokens, a)[0]: a for a in actors}
        found = []
        for t in words:
            if t in named:
                continue
            lo, hi = clauses.span(t, t + 1)
            after = actor_at.get(t + 1)
            features = tagger_features(tokens, t, lo, hi, after.sector or "actor" if after else None, doc.relevance)
            if self.tagger_log is not None:
                self.tagger_log.append(LoggedWord(doc.doc_id, tokens[t].start, tokens[t].end, tokens[lo].start,
                                                  tokens[hi - 1].end, tokens[t].key, features))
            if self.tagger is not None:
                event_type, p = self.tagger.best(features)
                if event_type is not None and event_type in self._tagged_entries:
                    found.append((p, t, event_type, (lo, hi), features))
        coded = lexical | {(ev.type, clauses.span(*token_range(tokens, ev.trigger))) for ev in doc.events
                           if tokens[0].start <= ev.trigger.start < tokens[-1].end}
        for p, t, event_type, clause, features in sorted(found, reverse=True):
            if (event_type, clause) in coded:
                continue
            coded.add((event_type, clause))
            entry = self._tagged_entries[event_type]
            verdict = self.tagger.explain(features, event_type, p)  # type: ignore[union-attr]
            self._candidate(doc, tokens, t, t + 1, ((entry, word_part(tokens[t].key)),), ents, actors, places,
                            clauses, attributions, numbers, doc_year, None, dates, tagged=verdict,
                            allegations=allegations)

    def _candidate(self, doc: Document, tokens: list[Token], i: int, j: int,
                   payloads: tuple[tuple[TriggerEntry, str], ...], ents: list[Entity], actors: list[Entity],
                   places: list[Entity], clauses: Clauses, attributions: list[Attribution], numbers: set[int],
                   doc_year: int | None, shared_subject: Entity | None = None,
                   dates: list[DateMention] | None = None, tagged: str | None = None,
                   allegations: list[Allegation] | tuple[()] = ()) -> Entity | None:
        """Code one trigger match (or one word of the trigger tagger's, ``tagged`` its verdict); returns the
        subject of a verb event, which a verb coordinated with it shares."""
        k = self.knowledge
        entry, part = payloads[0]
        words = " ".join(t.text for t in tokens[i:j])
        first_end, last_start = tokens[i].end, tokens[j - 1].start
        for e in ents:
            if e.start < first_end and last_start < e.end:  # token_range(tokens, e) covers [i, j)
                log.debug("%s: «%s» dropped: part of the name «%s»", doc.doc_id, words, e.text)
                return None
        if j - i == 1 and tokens[i].key in k.not_trigger:
            log.debug("%s: «%s» dropped: a common word spelled like a trigger form", doc.doc_id, words)
            return None
        if i > 0 and reads_as(k.not_event_before)[tokens[i - 1].key]:
            log.debug("%s: «%s» dropped: «%s» before it names no event", doc.doc_id, words, tokens[i - 1].text)
            return None
        other_sense = self._other_sense_after(tokens, j, entry, clauses)
        if other_sense is not None:
            log.debug("%s: «%s» dropped: «%s» after it gives it another sense (%s)", doc.doc_id, words,
                      tokens[other_sense].text, entry.source)
            return None
        if entry.needs_event_verb and not self._event_verb_near(tokens, i, j, clauses):
            log.debug("%s: «%s» dropped: no verb of happening next to it", doc.doc_id, words)
            return None

        start, future_verb, passive, light_why, light = i, None, False, None, None
        is_verb = part in VERB_PARTS
        if part == "future":
            future_verb = i
        if not is_verb:
            light = self._light_verb(tokens, i, clauses)
            if light is not None:
                start, lv = light
                # «شن هجوما»: the verb's subject acts; «اندلعت مظاهرات»: the noun is what happened.
                is_verb, passive = lv.voice != "happening", lv.voice == "passive"
                future_verb = start if lv.future else None
                light_why = f"{'verb of happening' if lv.voice == 'happening' else 'light verb'} " \
                            f"«{tokens[start].text}» ({lv.source})"
        modality = self.modality.read(tokens, start, j, clauses, future_verb)
        modelled = self.reportedness is not None and entry.type in self.reportedness.types
        background = None
        if modality.modality == "asserted" and light_why is None:
            if part in ("noun", "noun_poss", "phrase"):
                background = background_reason(tokens, i, i, j, clauses, k, doc_year, actors, places, numbers,
                                               strict=modelled or self.collect_features)
            elif part == "present" and (modelled or self.collect_features):
                background = habitual_reason(tokens, i, j, clauses)
        args = self.arguments.find(tokens, start, j, i, entry.type, is_verb, actors, places, clauses, passive,
                                   possessed=part == "noun_poss",
                                   shared_subject=shared_subject if part in VERB_PARTS else None)
        features = probability = None
        # The classifier decides (or is being trained): the reference rule and the reportedness model only inform it
        judged = self.classifier is not None or self.event_log is not None or tagged is not None
        happening = light is not None and light[1].voice == "happening"  # «اندلعت الحرب» is a report
        scored = modality.modality == "asserted" and not happening and (self.collect_features or modelled)
        if happening and self.collect_features and modality.modality == "asserted":
            features = {ALWAYS_KEPT: 1.0}  # training sees it as detected whatever the model says
        if scored:
            features = context_features(
                tokens, start, i, j, part, entry.mode, entry.type, entry.forms[0][0], clauses, numbers, actors, places,
                args.source is not None, args.target is not None, args.location is not None,
                light_why is not None, background, doc_year)
            if modelled and self.reportedness is not None:
                probability = self.reportedness.probability(features)
                threshold = self.reportedness.thresholds[entry.type]
                if probability < threshold and not self.collect_features and not judged:
                    log.debug("%s: «%s» dropped: reportedness %.2f under %.2f (%s)", doc.doc_id, words,
                              probability, threshold, background or "model")
                    return None
        elif background and not judged:
            log.debug("%s: «%s» dropped as a reference, not a report: %s", doc.doc_id, words, background)
            return None
        judgement = None
        if judged and tagged is None:
            context = features if features and ALWAYS_KEPT not in features else context_features(
                tokens, start, i, j, part, entry.mode, entry.type, entry.forms[0][0], clauses, numbers, actors,
                places, args.source is not None, args.target is not None, args.location is not None,
                light_why is not None, background, doc_year)
            judgement = event_features(context, entry.type, entry.forms[0][0], tokens[i].key, part,
                                       modality.modality, doc.relevance, probability, background,
                                       doc.sentence_of_token(tokens[0].i).i,
                                       args.source.sector if args.source is not None else None)
            if self.classifier is not None:
                p = self.classifier.probability(judgement)
                if p < self.classifier.threshold_for(entry.type):
                    if log.isEnabledFor(logging.DEBUG):  # the explanation costs a sort: only when it is shown
                        log.debug("%s: «%s» dropped: %s", doc.doc_id, words,
                                  self.classifier.explain(judgement, p, entry.type))
                    return None
                verdict = self.classifier.explain(judgement, p, entry.type)
        # who did it to whom: ranked once the candidate is kept (the classifier reads the rules' choice)
        candidates = None
        if self.argument_model is not None or self.argument_log is not None:
            ctx = EventContext(start, i, j, entry.type, part, is_verb, passive)
            speakers = {q for a in attributions for q in range(a.start, a.end)}
            candidates = candidate_features(tokens, ctx, actors, clauses, speakers, k.reporting_verbs,
                                            {"source": args.source, "target": args.target}, args.why, numbers,
                                            self._speech_verbs)
            if self.argument_model is not None:
                rules = {role: args.why.get(role, "none found") for role in ("source", "target")}
                args.source, why_source, args.target, why_target = self.argument_model.choose(candidates)
                args.why["source"] = f"{why_source}; the rules: {rules['source']}"
                args.why["target"] = f"{why_target}; the rules: {rules['target']}"
        alleged = _alleged(allegations, start, i, j)
        if alleged is not None:
            _take_allegation(alleged, tokens, start, i, j, entry.type, args)
        why = {"trigger": f"{entry.source} {entry.type}/{entry.mode or '-'} «{words}» ({part})"}
        if judgement is not None and self.classifier is not None:
            why["event"] = verdict
        elif tagged is not None:
            why["event"] = tagged
        if light_why:
            why["light_verb"] = light_why
        why.update(args.why)
        why["modality"] = modality.why
        if probability is not None and self.reportedness is not None:
            why["reported"] = (f"reportedness model (data/models/reportedness.json): {probability:.2f}, " + (
                "one of the event classifier's features" if judged else
                f"threshold {self.reportedness.thresholds[entry.type]:.2f}"))
        attribution = self._attribution(tokens, start, attributions, clauses)
        if attribution is not None:
            why["attribution"] = f"«{tokens[attribution.start - 1].text}» names the speaker"
        if alleged is not None and alleged.speaker is not None and alleged.covers(start, j):
            s, e = token_range(tokens, alleged.speaker)
            attribution = Attribution(s, e, tokens[alleged.cue].text, alleged.speaker)
            why["attribution"] = f"alleged by «{alleged.speaker.text}» («{tokens[alleged.cue].text}»)"
        date_value, precision, date_ref, why["date"] = event_date(
            doc, tokens, start, j, dates or [], clauses, modality.modality)
        root, quad, goldstein = k.scale(entry.cameo)
        cue = None
        if modality.cue_start is not None:
            cue = doc.ref(tokens[modality.cue_start].start, tokens[modality.cue_end - 1].end)
        event = Event(
            type=entry.type, mode=entry.mode, cameo=entry.cameo, cameo_root=root, quad_class=quad,
            goldstein=goldstein, trigger=doc.ref(tokens[i].start, tokens[j - 1].end),
            sentence=_sentence_ref(doc, tokens),
            source=_ref(doc, args.source), target=_ref(doc, args.target), location=_ref(doc, args.location),
            modality=modality.modality, modality_cue=cue, attribution=_attribution_ref(doc, tokens, attribution),
            date=date_value, date_precision=precision, date_evidence=date_ref, why=why, features=features,
        )
        doc.events.append(event)
        if self.event_log is not None and judgement is not None:
            self.event_log.append((doc.doc_id, len(doc.events) - 1, judgement))
        if self.argument_log is not None and candidates is not None:
            self.argument_log.append((doc.doc_id, len(doc.events) - 1, [
                (None if e is None else (e.start, e.end, e.actor_id), f) for e, f in candidates]))
        stance = stance_for(doc, event, f"v{len(doc.events)}", tokens, start, j, clauses, ents, k)
        if stance is not None:
            doc.stances.append(stance)
        return args.source if part in VERB_PARTS else None

    def _light_verb(self, tokens: list[Token], i: int, clauses: Clauses):  # type: ignore[no-untyped-def]
        for back in range(1, _LIGHT_WINDOW + 1):
            p = i - back
            if p < 0 or clauses.is_boundary[p]:
                return None
            for s in stems(tokens[p]):
                lv = self.knowledge.light_verbs.get(s)
                if lv is not None:
                    return p, lv
        return None

    @staticmethod
    def _other_sense_after(tokens: list[Token], j: int, entry: TriggerEntry, clauses: Clauses) -> int | None:
        """The token, within the next few words of the trigger's clause, that the entry lists as showing its
        words in another sense («استشهد الخطيب بقول …»: cited, not martyred), if any."""
        if not entry.not_followed_by:
            return None
        for q in range(j, min(j + _OTHER_SENSE_WINDOW, len(tokens))):
            if clauses.is_boundary[q]:
                return None
            if tokens[q].key in entry.not_followed_by:
                return q
        return None

    def _event_verb_near(self, tokens: list[Token], i: int, j: int, clauses: Clauses) -> bool:
        lo, hi = clauses.span(i, j)
        window = range(max(lo, i - _EVENT_VERB_WINDOW), min(hi, j + _EVENT_VERB_WINDOW))
        verbs = self.knowledge.event_verbs
        lights = self.knowledge.light_verbs
        return any(s in verbs or (s in lights and lights[s].voice == "happening")
                   for q in window if q < i or q >= j for s in stems(tokens[q]))

    @staticmethod
    def _attribution(tokens: list[Token], start: int, attributions: list[Attribution], clauses: Clauses
                     ) -> Attribution | None:
        """The speaker of the sentence: the last one named before the trigger, else the first after it."""
        before = [a for a in attributions if a.end <= start]
        if before:
            return before[-1]
        return next((a for a in attributions if a.start > start), None)


def _alleged(allegations: list[Allegation] | tuple[()], start: int, i: int, j: int) -> Allegation | None:
    """The allegation whose accusing word the event at tokens [start, j) is, else the one that alleges it (the
    nearest accusing word before it)."""
    own = next((a for a in allegations if start <= a.cue < j or i <= a.cue < j), None)
    if own is not None:
        return own
    inside = [a for a in allegations if a.covers(start, j)]
    return max(inside, key=lambda a: a.cue) if inside else None


def _take_allegation(a: Allegation, tokens: list[Token], start: int, i: int, j: int, event_type: str,
                     args: Arguments) -> None:
    """Speaker and accused in their roles: the accusation's by the speaker against the accused; the act alleged
    done by the accused (to neither); another event inside the allegation is not the speaker's."""
    verb = tokens[a.cue].text
    if a.frame == "deny":  # «نفت»: the speaker denies (REJECT); what is denied keeps the other rules' arguments
        if not a.covers(start, j) and a.speaker is not None:
            args.source, args.why["source"] = a.speaker, f"the one who denies («{verb}»)"
        return
    if not a.covers(start, j):  # the accusing word itself: «اتهمت» ACCUSE, «حمّلت … المسؤولية»
        if a.frame == "attribute":
            return
        if a.speaker is not None:
            args.source, args.why["source"] = a.speaker, f"the one who accuses («{verb}»)"
        elif a.passive:
            args.source, args.why["source"] = None, f"«{verb}» is passive: the accuser is not named"
        elif a.accused is not None and args.source is a.accused:
            args.source, args.why["source"] = None, f"«{a.accused.text}» is the one accused, not the accuser"
        if a.accused is not None and a.accused is not args.source:
            args.target, args.why["target"] = a.accused, f"the one accused («{verb}»)"
        return
    parties = [p for p in (a.speaker, a.accused) if p is not None]
    if a.is_the_act(start, i, j):
        if a.accused is not None:
            args.source, args.why["source"] = a.accused, f"the one «{verb}» accuses of it (alleged act)"
        elif args.source is not None and any(args.source is p for p in parties):
            args.source, args.why["source"] = None, f"the accused of «{verb}» is not named (alleged act)"
        if args.target is not None and any(args.target is p for p in parties):
            args.target, args.why["target"] = None, f"the alleged act of «{verb}» is not done to its parties"
    elif args.source is not None and args.source is a.speaker:
        # «اتهمت بيونغ يانغ واشنطن بإثارة الصراع بفرض عقوبات»: the accused may do the other acts alleged, and do
        # them to the speaker, but the speaker does none of them
        args.source, args.why["source"] = None, f"inside what «{verb}» alleges: the speaker does none of it"


def _with_article(payloads: tuple[tuple[TriggerEntry, str], ...]) -> tuple[tuple[TriggerEntry, str], ...]:
    """«الدعم», «بالقصف»: a word with the article is a noun, whichever verb it is also spelled like."""
    nouns = tuple(p for p in payloads if p[1] not in VERB_PARTS)
    return nouns or tuple((entry, "noun") for entry, _ in payloads)


def _coordinated(tokens: list[Token], i: int, previous_end: int,
                 payloads: tuple[tuple[TriggerEntry, str], ...]) -> bool:
    """«قوات الأمن قتلت مسلحا واعتقلت 16 آخرين»: a verb joined by «و/ف» shortly after another verb event."""
    key = tokens[i].key
    if not 0 < i - previous_end <= _COORDINATION_WINDOW or key[:1] not in ("و", "ف"):
        return False
    return all(key != form for entry, _ in payloads for form, _ in entry.forms)


def _sentence_ref(doc: Document, tokens: list[Token]) -> Ref:
    sentence = doc.sentence_of_token(tokens[0].i)
    return doc.ref(sentence.start, sentence.end)


def _attribution_ref(doc: Document, tokens: list[Token], a: Attribution | None) -> Ref | None:
    if a is None:
        return None
    return doc.ref(tokens[a.start].start, tokens[a.end - 1].end, actor_id=a.actor.actor_id if a.actor else None)


def _ref(doc: Document, e: Entity | None) -> Ref | None:
    if e is None:
        return None
    lat = e.place.lat if e.place else None
    lon = e.place.lon if e.place else None
    return doc.ref(e.start, e.end, actor_id=e.actor_id, lat=lat, lon=lon)
