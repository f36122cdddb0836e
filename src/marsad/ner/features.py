"""Token features for the CRF tagger.

Word forms and keys, affixes after clitic stripping, shape, neighbours, word
clusters learned from unlabelled news (marsad/ner/clusters.py), and membership
in Marsad's own dictionaries (actor names and titles, place names, person-name
words) — never in the corpus's own gazetteers, which cannot ship.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from marsad.memo import Memo
from marsad.ner.clusters import cluster_key
from marsad.recognize.matcher import PhraseMatcher
from marsad.text.normalize import match_key
from marsad.text.tokens import clitic_readings

_ARTICLE_CLITICS = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ب", "ل", "ف")


@dataclass(frozen=True)
class Lexicons:
    """Word sets from the shipped knowledge, keyed by match key."""

    person_words: frozenset[str]  # words of person names («خليفة», «حفتر»)
    org_words: frozenset[str]
    place_words: frozenset[str]
    first_person: frozenset[str]  # first words of person names
    titles: frozenset[str]  # words of titles («الرئيس», «وزير»)
    org_heads: frozenset[str]  # first words of organisation names («حركة», «جبهة»)
    names: PhraseMatcher[str] | None = None  # whole dictionary names → PERS / ORG / LOC


@lru_cache(maxsize=1)
def builtin_lexicons() -> Lexicons:
    from marsad.knowledge.actors import builtin_actor_paths, load_actors
    from marsad.knowledge.places import builtin_place_paths, load_place_paths

    person, org, first, titles, heads = set(), set(), set(), set(), set()
    for a in load_actors(builtin_actor_paths()):
        for alias in a.aliases:
            words = [match_key(w) for w in alias.split()]
            if a.type == "PER":
                person.update(words)
                first.add(words[0])
            elif a.type == "ORG" and not a.generic:
                org.update(words)
                heads.add(words[0])
        for t in a.titles:
            titles.update(match_key(w) for w in t.text.split())
    places = {match_key(w) for p in load_place_paths(builtin_place_paths()) for alias in p.aliases
              for w in alias.split()}
    common = {"ال", "في", "من", "عن", "علي", "الي", "و"}
    names: PhraseMatcher[str] = PhraseMatcher()
    for a in load_actors(builtin_actor_paths()):
        if not a.generic:
            for alias in a.aliases:
                names.add(alias, _NAME_TYPES[a.type])
    for p in load_place_paths(builtin_place_paths()):
        for alias in p.aliases:
            names.add(alias, "LOC")
    return Lexicons(frozenset(person - common), frozenset(org - common), frozenset(places - common),
                    frozenset(first - common), frozenset(titles - common), frozenset(heads - common), names)


_NAME_TYPES = {"PER": "PERS", "ORG": "ORG", "GPE": "LOC"}


def dictionary_tags(tokens: list[str], keys: list[str], names: PhraseMatcher[str] | None) -> list[str]:
    """BIO tags from whole dictionary names found in the sentence («حركة المقاومة الإسلامية» → B-ORG I-ORG I-ORG)."""
    tags = ["O"] * len(tokens)
    if names is None:
        return tags
    for m in names.find_keys(keys):  # every token a word: the features were trained so
        kind = m.payloads[0]
        tags[m.start] = f"B-{kind}"
        for k in range(m.start + 1, m.end):
            tags[k] = f"I-{kind}"
    return tags


def stem_of(key: str) -> str:
    """The key without an article or a one-letter proclitic (of at least two letters left)."""
    for p in _ARTICLE_CLITICS:
        if key.startswith(p) and len(key) - len(p) >= 2:
            return key[len(p):]
    return key


_ARABIC_LETTERS = re.compile("[\u0621-\u064a]+")  # no digit, no Latin, all alphanumeric: "arabic"


def _shape(token: str) -> str:
    if _ARABIC_LETTERS.fullmatch(token):  # most words: the checks below would say "arabic", letter by letter
        return "arabic"
    if token.isdigit() or any(c.isdigit() for c in token):
        return "digit"
    if any("a" <= c.lower() <= "z" for c in token):
        return "latin"
    if all(not c.isalnum() for c in token):
        return "punct"
    return "arabic"


_NEIGHBOUR_CLUSTERS = (0, 1, 3, 4)  # the coarse ids of each clustering, for the words either side


def _cluster_features(prefix: str, key: str, stem: str, clusters: dict[str, tuple[str, ...]]) -> list[str]:
    ids = clusters.get(key)
    out = [f"{prefix}c{n}={c}" for n, c in enumerate(ids) if c != "-"] if ids else [f"{prefix}c=none"]
    if stem != key:
        sids = clusters.get(stem)
        if sids:
            out.extend(f"{prefix}sc{n}={c}" for n, c in enumerate(sids))
    return out


class _WordFeatures:
    """The features that depend on one word only — its own, and those it gives its neighbours — computed once
    per distinct word (news repeats its words: this is most of the tagger's speed)."""

    def __init__(self, lex: Lexicons, clusters: dict[str, tuple[str, ...]] | None,
                 known: frozenset[str] | None = None) -> None:
        self.lex, self.clusters, self.known = lex, clusters or {}, known
        self.cache: Memo[str, tuple[str, str, list[str], dict[int, list[str]]]] = Memo(self.compute, 200_000)

    def __call__(self, tok: str) -> tuple[str, str, list[str], dict[int, list[str]]]:
        return self.cache[tok]

    def compute(self, tok: str) -> tuple[str, str, list[str], dict[int, list[str]]]:
        """The word's features, not cached (for callers that cache what they make of them)."""
        hit = self._compute(tok)
        if self.known is not None:  # features the model has no weight for change nothing: drop them early
            known = self.known
            hit = (hit[0], hit[1], [x for x in hit[2] if x in known],
                   {d: [x for x in g if x in known] for d, g in hit[3].items()})
        return hit

    def _compute(self, tok: str) -> tuple[str, str, list[str], dict[int, list[str]]]:
        lex, clusters = self.lex, self.clusters
        key = cluster_key(tok)
        stem = stem_of(key)
        readings = {r.stem for r in clitic_readings(key)}
        f = [
            "b", f"k={key}", f"s={stem}", f"p1={stem[:1]}", f"p2={stem[:2]}", f"p3={stem[:3]}", f"p4={stem[:4]}",
            f"x1={stem[-1:]}", f"x2={stem[-2:]}", f"x3={stem[-3:]}", f"x4={stem[-4:]}",
            f"sh={_shape(tok)}", f"len={min(len(stem), 8)}", f"al={key.startswith('ال')}",
            f"kp1={key[:1]}", f"kp2={key[:2]}", f"kp3={key[:3]}", f"kx1={key[-1:]}", f"kx2={key[-2:]}", f"w={tok}",
            f"cl={key[:len(key) - len(stem)]}" if stem != key else "cl=",
        ]
        if readings & lex.person_words or stem in lex.person_words:
            f.append("g=per")
        if readings & lex.first_person or stem in lex.first_person:
            f.append("g=perfirst")
        if readings & lex.org_words or stem in lex.org_words:
            f.append("g=org")
        if readings & lex.org_heads:
            f.append("g=orghead")
        if readings & lex.place_words or stem in lex.place_words:
            f.append("g=loc")
        if key in lex.titles or stem in lex.titles:
            f.append("g=title")
        if clusters:
            f.extend(_cluster_features("", key, stem, clusters))
        given: dict[int, list[str]] = {}
        ids = clusters.get(key, ())
        for d in (-2, -1, 1, 2):
            g = [f"{-d}:s={stem}", f"{-d}:k={key}"]
            if d in (-1, 1):  # what this word tells the word on its other side
                g.append(f"{-d}:x2={stem[-2:]}")
                if stem in lex.titles or key in lex.titles:
                    g.append(f"{-d}:g=title")
                if stem in lex.person_words:
                    g.append(f"{-d}:g=per")
                if stem in lex.place_words:
                    g.append(f"{-d}:g=loc")
                if clusters:
                    g += [f"{-d}:c{n}={ids[n]}" for n in _NEIGHBOUR_CLUSTERS if n < len(ids)]
            given[d] = g
        return key, stem, f, given


@lru_cache(maxsize=4)
def _word_features(lex: _Identity, clusters: _Identity, known: _Identity) -> _WordFeatures:
    return _WordFeatures(lex.value, clusters.value, known.value)  # type: ignore[arg-type]


def token_features(tokens: list[str], lex: Lexicons, clusters: dict[str, tuple[str, ...]] | None = None,
                   known: frozenset[str] | None = None) -> list[list[str]]:
    """Feature strings for each token of a sentence (only those in ``known``, the model's, when given)."""
    words = _word_features(_Identity(lex), _Identity(clusters), _Identity(known))
    per_word = [words(t) for t in tokens]
    stems = [w[1] for w in per_word]
    dict_tags = dictionary_tags(tokens, [match_key(t) for t in tokens], lex.names)
    out = []
    n = len(tokens)
    keep = (lambda x: x in known) if known is not None else (lambda _x: True)
    for i, context in enumerate(context_features(stems, dict_tags)):
        f = list(per_word[i][2])
        for d in (-2, -1, 1, 2):
            if 0 <= i + d < n:
                f.extend(per_word[i + d][3][-d])
        f.extend(x for x in context if keep(x))
        out.append(f)
    return out


def word_features(lex: Lexicons, clusters: dict[str, tuple[str, ...]] | None = None,
                  known: frozenset[str] | None = None) -> _WordFeatures:
    """The cached per-word features: ``(key, stem, own features, {offset: features given to that neighbour})``."""
    return _word_features(_Identity(lex), _Identity(clusters), _Identity(known))


def context_features(stems: list[str], dict_tags: list[str]) -> list[list[str]]:
    """The features of each token that depend on its sentence: dictionary tags around it, stem bigrams, ends."""
    n = len(stems)
    out = []
    for i in range(n):
        context = [f"d={dict_tags[i]}"]
        if i > 0:
            context += [f"-1:d={dict_tags[i - 1]}", f"bi={stems[i - 1]}|{stems[i]}"]
        else:
            context.append("BOS")
        if i + 1 < n:
            context += [f"1:d={dict_tags[i + 1]}", f"bi+={stems[i]}|{stems[i + 1]}"]
        else:
            context.append("EOS")
        out.append(context)
    return out


class _Identity:
    """Hashes by identity, so the lexicons and clusters can key the per-word cache without being hashed."""

    def __init__(self, value: object) -> None:
        self.value = value

    def __hash__(self) -> int:
        return id(self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Identity) and other.value is self.value


KeyStem = tuple[str, str]  # a token's cluster key and its stem


def key_stems(tokens: list[str]) -> list[KeyStem]:
    return [(k, stem_of(k)) for k in map(cluster_key, tokens)]


def document_memory(sentences: list[list[str]], tags: list[list[str]],
                    looked_up: list[list[KeyStem]] | None = None) -> dict[str, set[str]]:
    """What a first pass tagged each word as, anywhere in the document: a name tagged once in a clear
    context («قال الرئيس دويسنبرج») is the same name where the context says nothing («ونفى دويسنبرج»).
    ``looked_up``: each sentence's keys and stems, when the caller has them."""
    memory: dict[str, set[str]] = {}
    for n, labels in enumerate(tags):
        pairs = looked_up[n] if looked_up is not None else key_stems(sentences[n])
        for (key, stem), label in zip(pairs, labels, strict=True):
            if label != "O":
                memory.setdefault(key, set()).add(label[2:])
                memory.setdefault(stem, set()).add(label[2:])
    return memory


def recalls(tokens: list[str], memory: dict[str, set[str]], looked_up: list[KeyStem] | None = None) -> bool:
    """Does the document memory say anything about any word of this sentence?"""
    pairs = looked_up if looked_up is not None else key_stems(tokens)
    return any(key in memory or stem in memory for key, stem in pairs)


def add_memory_features(features: list[list[str]], tokens: list[str], memory: dict[str, set[str]]) -> list[list[str]]:
    """The features of a sentence plus what the document's first pass said about each word and its neighbours."""
    return [f + extra for f, extra in zip(features, memory_features(tokens, memory), strict=True)]


def memory_features(tokens: list[str], memory: dict[str, set[str]],
                    looked_up: list[KeyStem] | None = None) -> list[list[str]]:
    """What the document's first pass said about each word and its neighbours (the second pass's features);
    ``looked_up``: the tokens' keys and stems, when the caller has them."""
    pairs = looked_up if looked_up is not None else key_stems(tokens)
    # Labels in sorted order, not a set's: str hashing differs from process to process, and so would the
    # order the weights are added in, and with it (in a near-tie) a tag.
    said = [sorted(labels) if (labels := memory.get(key)) else None for key, _ in pairs]  # most words: nothing
    last = len(pairs) - 1
    out = []
    for i, (key, stem) in enumerate(pairs):
        own = said[i]
        extra = [f"mem={t}" for t in own] if own else ["mem=none"]
        if stem != key and (of_stem := memory.get(stem)):
            extra += [f"memstem={t}" for t in sorted(of_stem)]
        if i > 0 and (before := said[i - 1]):
            extra += [f"-1:mem={t}" for t in before]
        if i < last and (after := said[i + 1]):
            extra += [f"1:mem={t}" for t in after]
        out.append(extra)
    return out
