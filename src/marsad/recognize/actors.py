"""Actor recogniser: dictionary names, titles, demonyms and capitals in the text."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from marsad.doc import Document, Entity
from marsad.knowledge.actors import Actor, Title, builtin_actor_paths, iter_demonym_forms, load_actors
from marsad.knowledge.places import builtin_cues
from marsad.knowledge.wordlists import builtin_word_list
from marsad.recognize.coreference import forces_of_a_leader, merge_title_and_name, surname_coreference
from marsad.recognize.matcher import Match, PhraseMatcher
from marsad.recognize.place_evidence import builtin_word_like
from marsad.text.normalize import phrase_key
from marsad.text.tokens import Token, reads_as

IDIOM = "idiom"  # an ActorHit that marks a fixed expression (data/actors/idioms.txt), not an actor


@dataclass(frozen=True, slots=True)
class ActorHit:
    """Why a phrase can name an actor."""

    actor_id: str
    how: str  # alias | title | demonym | capital | idiom
    phrase: str
    title: Title | None = None


class ActorIndex:
    """All actors, and a phrase matcher over every name they go by."""

    def __init__(self, actors: Iterable[Actor], place_cues: frozenset[str] = frozenset(),
                 followers: frozenset[str] = frozenset(), idioms: Iterable[str] = (),
                 subordinates: frozenset[str] = frozenset(), weak_surnames: frozenset[str] = frozenset(),
                 formers: frozenset[str] = frozenset()) -> None:
        self.actors: dict[str, Actor] = {a.id: a for a in actors}
        # One-word person names the corpus shows are mostly someone else («بيريز», «المنفى»): data/actors/surnames.tsv
        self.weak_surnames = weak_surnames
        self.word_like_places = frozenset(builtin_word_like())  # capitals that are mostly words or clubs
        self.subordinates = subordinates  # «نائب», «المتحدث باسم»: before a title, someone else
        self.formers = formers  # «السابق», «الراحل»: after a title, a former holder
        self.not_surnames = builtin_word_list("actors", "not_surnames.txt")  # «الشيخ», «الله»: end names, name no one

        self.followers = followers  # «قوات», «حكومة»: before a leader's name, his organisation
        self.place_cues = place_cues  # «في», «مدينة»: a capital after these is a place, not its state
        self.matcher: PhraseMatcher[ActorHit] = PhraseMatcher()
        # ISO alpha-2 → the state's actor id (LY → LBY), for generic agents.
        self.state_of: dict[str, str] = {
            a.country: a.id for a in self.actors.values() if a.type == "GPE" and a.country
        }
        for a in self.actors.values():
            for alias in a.aliases:
                self.matcher.add(alias, ActorHit(a.id, "alias", alias))
            for base in a.demonyms:
                for form in iter_demonym_forms(base):
                    self.matcher.add(form, ActorHit(a.id, "demonym", form))
            for capital in a.capital:
                self.matcher.add(capital, ActorHit(a.id, "capital", capital))
            for title in a.titles:
                self.matcher.add(title.text, ActorHit(a.id, "title", title.text, title))
            for alias in a.context_aliases:
                self.matcher.add(alias.text, ActorHit(a.id, "alias", alias.text, alias))
        # The one-word names of persons: the few matches that need more work.
        persons = set()
        for a in self.actors.values():
            if a.type == "PER":
                names = [*a.aliases, *(alias.text for alias in a.context_aliases)]
                persons.update(k[0] for k in map(phrase_key, names) if len(k) == 1)
        self.person_words: frozenset[str] = frozenset(persons)
        # Fixed expressions with an actor's word in them («مؤتمر صحفي», «للقضاء على»): in the same matcher, so
        # the longer phrase wins and no actor is read inside it (ActorRecogniser.matches drops them).
        for phrase in idioms:
            self.matcher.add(phrase, ActorHit("", IDIOM, phrase))

    @classmethod
    def from_paths(cls, paths: Iterable[str | Path]) -> ActorIndex:
        return cls(load_actors(paths), builtin_cues(), builtin_followers(), builtin_idioms(),
                   builtin_word_list("actors", "subordinates.txt"), builtin_weak_surnames(),
                   builtin_word_list("actors", "former.txt"))

    @classmethod
    def builtin(cls, extra: Iterable[str | Path] = ()) -> ActorIndex:
        """The shipped dictionaries, extended or overridden by ``extra`` files."""
        return cls.from_paths([*builtin_actor_paths(), *extra])

    def agent_of(self, actor: Actor, country: str | None) -> tuple[str, str] | None:
        """A generic agent of one country: its id and name («GEN-COP», LY → «LBY-COP», "Police … (Libya)")."""
        state = self.state_of.get(country or "")
        if not state:
            return None
        return f"{state}-{actor.sector or 'UNK'}", f"{actor.name} ({self.actors[state].name})"

    def lookup(self, phrase: str) -> list[ActorHit]:
        return self.matcher.lookup(phrase)


def builtin_followers() -> frozenset[str]:
    """Words before a leader's name that mean his forces or government (data/actors/followers.txt)."""
    return builtin_word_list("actors", "followers.txt")


def builtin_surname_path() -> Path:
    return Path(str(files("marsad.data") / "actors" / "surnames.tsv"))


def builtin_weak_surnames() -> frozenset[str]:
    """The one-word person names that need the article's support (scripts/build_surname_evidence.py)."""
    path = builtin_surname_path()
    if not path.is_file():
        return frozenset()
    rows = path.read_text(encoding="utf-8").splitlines()
    return frozenset(r.split("\t", 1)[0] for r in rows if r and not r.startswith(("#", "name\t")))


def builtin_idioms() -> list[str]:
    """Fixed expressions that contain an actor's word but name no actor (data/actors/idioms.txt)."""
    text = files("marsad.data").joinpath("actors", "idioms.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def country_context(index: ActorIndex, matches: list[Match[ActorHit]]) -> list[str]:
    """Countries the article is about, most mentioned first (from unambiguous mentions)."""
    counts: Counter[str] = Counter()
    for m in matches:
        # Titles, capitals and context-bound names depend on the context: they cannot set it. A news agency
        # («رويترز», «فرانس برس») says who reported, not where the news is.
        countries = {index.actors[h.actor_id].country for h in m.payloads
                     if h.title is None and h.how != "capital" and index.actors[h.actor_id].sector != "MED"}
        countries.discard(None)
        if len(countries) == 1:
            counts[countries.pop()] += 1  # type: ignore[index]
    return [c for c, _ in counts.most_common()]


def choose_hit(index: ActorIndex, hits: tuple[ActorHit, ...], doc: Document,
               seen: frozenset[str] | set[str] = frozenset()) -> ActorHit | None:
    """Pick the reading of a matched phrase that fits this article, or None.

    Preference: an actor already named in the article (cheap coreference:
    «حافظ الأسد» … «الأسد»), then one of the article's countries (a generic
    agent belongs to the main one), then a named actor over a generic agent,
    then a name over a title or adjective.
    """
    usable = []
    for h in hits:
        if h.title is not None:
            if h.title.context and h.title.context not in doc.country_context[:2]:
                continue
            if not h.title.holds_on(doc.date):
                continue
        usable.append(h)
    if not usable:
        return None
    if len(usable) == 1:
        return usable[0]  # most phrases have one reading: nothing to rank
    rank = {c: i for i, c in enumerate(doc.country_context)}

    def score(h: ActorHit) -> tuple[bool, int, bool, bool]:
        actor = index.actors[h.actor_id]
        country_rank = 0 if actor.generic else rank.get(actor.country or "", len(rank))
        return (h.actor_id not in seen, country_rank, actor.generic, h.how != "alias")

    return min(usable, key=score)


class ActorRecogniser:
    """Pipeline component: adds actor entities (and sets ``doc.country_context``)."""

    name = "actors"
    requires = ("tokens",)
    assigns = ("entities", "country_context")

    def __init__(self, index: ActorIndex) -> None:
        self.index = index

    def matches(self, tokens: list[Token]) -> list[Match[ActorHit]]:
        """The dictionary matches outside fixed expressions."""
        return [m for m in self.index.matcher.find(tokens) if m.payloads[0].how != IDIOM]

    def __call__(self, doc: Document) -> Document:
        matches = self.matches(doc.tokens)
        if not doc.country_context:
            doc.country_context = country_context(self.index, matches)
        seen: set[str] = set()
        supported = self._support(matches)
        chosen: list[tuple[Match[ActorHit], ActorHit]] = []
        located: dict[int, dict[str, str]] = {}  # sentence → countries named there as places, with their words
        for m in matches:
            hits = m.payloads
            capital = any(h.how == "capital" for h in hits)
            countries = self._countries_named(hits)  # a state's name or a capital
            if countries and self._after(doc, m, _INSIDE):
                for country in countries:
                    sentence = doc.sentence_of_token(m.start).i
                    located.setdefault(sentence, {}).setdefault(country, doc.text[
                        doc.tokens[m.start].start:doc.tokens[m.end - 1].end])
            if capital:
                hits = self._capital_as_state(doc, m, hits, self._after(doc, m, self.index.place_cues))
            if len(m.key) == 1 and m.key[0] in self.index.person_words:
                hits = self._supported_surnames(m, hits, supported)
            hit = choose_hit(self.index, hits, doc, seen)
            if hit is None:
                continue
            seen.add(hit.actor_id)
            chosen.append((m, hit))
        for n, (m, hit) in enumerate(chosen):
            if hit.how == "title":
                unresolved = self._unresolved_title(doc, m, hit)
                if unresolved is not None:
                    doc.entities.append(unresolved)
                    continue
            hint = self._sentence_country(doc, chosen, n, located) if self.index.actors[hit.actor_id].generic else None
            doc.entities.append(self._entity(doc, m, hit, hint))
        merge_title_and_name(doc)
        surname_coreference(doc, self.index.not_surnames)
        forces_of_a_leader(doc, self.index.actors, self.index.followers)
        return doc

    def _support(self, matches: list[Match[ActorHit]]) -> tuple[set[str], set[str]]:
        """What the article gives a bare surname to stand on: the persons named in more than one word
        («فلورنتينو بيريز»), and the countries of its other unambiguous mentions."""
        full_names: set[str] = set()
        countries: set[str] = set()
        for m in matches:
            for h in m.payloads:
                actor = self.index.actors[h.actor_id]
                if actor.type == "PER" and h.how == "alias" and len(m.key) > 1:
                    full_names.add(actor.id)
            if len(m.key) == 1 and any(self.index.actors[h.actor_id].type == "PER" for h in m.payloads):
                continue
            named = {self.index.actors[h.actor_id].country for h in m.payloads
                     if h.title is None and self.index.actors[h.actor_id].sector != "MED"}
            if len(named) == 1 and None not in named:
                countries.update(named)  # type: ignore[arg-type]
        return full_names, countries

    def _supported_surnames(self, m: Match[ActorHit], hits: tuple[ActorHit, ...],
                            supported: tuple[set[str], set[str]]) -> tuple[ActorHit, ...]:
        """A person's one-word name stands for him where the corpus shows it nearly always does («ترامب»);
        one that is often someone or something else («بيريز»: Florentino Pérez; «المنفى»: exile) only when the
        article supports it: his full name is in it, or his country is. Where the word has another reading
        (the Houthi movement for «الحوثي»), only his full name supports him."""
        full_names, countries = supported
        others = any(self.index.actors[h.actor_id].type != "PER" for h in hits)
        weak = m.key[0] in self.index.weak_surnames

        def keep(h: ActorHit) -> bool:
            actor = self.index.actors[h.actor_id]
            if actor.type != "PER" or h.how != "alias" or actor.generic or actor.id in full_names:
                return True
            if others:
                return False
            return not weak or actor.country in countries

        return tuple(h for h in hits if keep(h))

    def _unresolved_title(self, doc: Document, m: Match[ActorHit], hit: ActorHit) -> Entity | None:
        """«نائب الرئيس التركي» (someone under the title-holder) and «الرئيس الإسرائيلي الأسبق» (a former holder):
        a title the dictionary cannot resolve to the person who holds it today. None for a plain title."""
        before = doc.tokens[m.start - 1] if m.start > 0 else None
        after = doc.tokens[m.end] if m.end < len(doc.tokens) else None
        if before is not None and _reads_as(before, self.index.subordinates):
            if before.key == "باسم" and m.start > 1 and doc.tokens[m.start - 2].kind == "word":
                before = doc.tokens[m.start - 2]  # «المتحدث باسم»
            start, end = before.start, doc.tokens[m.end - 1].end
            word = doc.text[start:doc.tokens[m.start].start].strip()
            why = f"«{word}» before the title «{hit.phrase}»: someone under the title-holder, not him"
        elif after is not None and _reads_as(after, self.index.formers):
            start, end, word = doc.tokens[m.start].start, after.end, after.text
            why = f"«{word}» after the title «{hit.phrase}»: a former holder, not today's"
        else:
            return None
        actor = self.index.actors[hit.actor_id]
        return Entity(start=start, end=end, text=doc.text[start:end], type="PER", country=actor.country,
                      how="title", why=f"{why} ({actor.name}); unresolved")

    @staticmethod
    def _after(doc: Document, m: Match[ActorHit], words: frozenset[str]) -> bool:
        """Does the name come after one of ``words`` or a glued «ب»? «في طهران», «بطهران» (with _INSIDE: where
        something happens, not «من إيران», where something comes from); «في القاهرة» (with the place cues: the
        name is where something is, not who does it)."""
        return m.prefix.endswith("ب") or (m.start > 0 and _reads_as(doc.tokens[m.start - 1], words))

    def _countries_named(self, hits: tuple[ActorHit, ...]) -> set[str]:
        """The countries a state's name or a capital stands for."""
        out = set()
        for h in hits:
            actor = self.index.actors[h.actor_id]
            if actor.country and not actor.generic and actor.type == "GPE" and h.how in ("alias", "capital"):
                out.add(actor.country)
        return out

    def _sentence_country(self, doc: Document, chosen: list[tuple[Match[ActorHit], ActorHit]], n: int,
                          located: dict[int, dict[str, str]]) -> tuple[str, str] | None:
        """The country a generic agent's own sentence gives it, and why: a demonym or state right after it
        («البرلمان الإيراني», «المخابرات العسكرية الروسية»), else the one country the sentence names as a place
        («اقتحمت الشرطة منزلا في طهران»). None: the article's country decides."""
        m = chosen[n][0]
        if n + 1 < len(chosen):
            after, hit = chosen[n + 1]
            actor = self.index.actors[hit.actor_id]
            between = doc.tokens[m.end:after.start]
            # «الميليشيات الموالية لإيران», «القوات المدعومة من روسيا»: a state after a preposition is not the owner.
            owner = not after.prefix and not any(t.key in _PREPOSITIONS for t in between)
            if (owner and len(between) <= 2 and all(t.kind == "word" for t in between) and not actor.generic
                    and actor.type == "GPE" and actor.country and hit.how in ("alias", "demonym")):
                words = doc.text[doc.tokens[after.start].start:doc.tokens[after.end - 1].end]
                return actor.country, f"«{words}» in the phrase"
        countries = located.get(doc.sentence_of_token(m.start).i, {})
        if len(countries) == 1:
            (country, words), = countries.items()
            return country, f"«{words}» in the sentence"
        return None

    def _capital_as_state(self, doc: Document, m: Match[ActorHit], hits: tuple[ActorHit, ...],
                          locative: bool) -> tuple[ActorHit, ...]:
        """A capital stands for its state («القاهرة ترفض») only where it is not a location
        («في القاهرة», «بطرابلس») and its state is one the article is about, and never where the corpus shows
        its name is mostly a club's («مدريد», «روما»: places/evidence.tsv)."""
        club = len(m.key) == 1 and m.key[0] in self.index.word_like_places

        def keep(h: ActorHit) -> bool:
            if h.how != "capital":
                return True
            return not locative and not club and self.index.actors[h.actor_id].country in doc.country_context

        return tuple(h for h in hits if keep(h))

    def _entity(self, doc: Document, m: Match[ActorHit], hit: ActorHit,
                hint: tuple[str, str] | None = None) -> Entity:
        actor = self.index.actors[hit.actor_id]
        start, end = doc.tokens[m.start].start, doc.tokens[m.end - 1].end
        actor_id, canonical, country = actor.id, actor.name, actor.country
        why = f"{actor.source} {hit.how} «{hit.phrase}»"
        if m.prefix:
            why += f" (with proclitic {m.prefix})"
        agent = ""
        if actor.generic:
            country, reason = hint if hint else (doc.country_context[0] if doc.country_context else None,
                                                 ARTICLE_CONTEXT)
            agent = actor.id if not hint else ""
            reading = self.index.agent_of(actor, country)
            if reading:
                actor_id, canonical = reading
                why += f"; {_AGENT_READ} {canonical.rsplit(' (', 1)[1][:-1]}'s ({reason})"
        return Entity(
            start=start, end=end, text=doc.text[start:end], type=actor.type, actor_id=actor_id,
            canonical=canonical, cameo=actor.cameo, sector=actor.sector, country=country,
            how=hit.how, clitic=m.prefix, why=why, agent=agent,
        )


ARTICLE_CONTEXT = "article context"
_PREPOSITIONS = frozenset({"من", "في", "على", "الى", "عن", "مع", "ضد", "لدى", "عبر"})  # match keys
_INSIDE = frozenset({"في", "داخل"})
_AGENT_READ = "generic agent read as"


def reread_agent(index: ActorIndex, entity: Entity, country: str, reason: str) -> None:
    """Give a generic agent another country («الشرطة» in «… في طهران»: Iran's police), saying why."""
    reading = index.agent_of(index.actors[entity.agent], country)
    if reading is None:
        return
    entity.actor_id, entity.canonical = reading
    entity.country, entity.agent = country, ""
    first = entity.why.split(f"; {_AGENT_READ} ")[0]
    entity.why = f"{first}; {_AGENT_READ} {reading[1].rsplit(' (', 1)[1][:-1]}'s ({reason})"


def _reads_as(token: Token, words: frozenset[str]) -> bool:
    return token.kind == "word" and reads_as(words)[token.key]
