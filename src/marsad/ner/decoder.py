"""The CRF's tagging done with arrays: scores summed per distinct word, one Viterbi for a whole document.

A linear-chain CRF's score for a label at a token is the sum of the
weights of the token's features for that label; the features split into
those of the word itself, those a word gives its neighbours (both fixed
per distinct word, so their sums are cached per word), and a few that
depend on the context (dictionary tags, bigrams, the document memory).
Summing weight vectors instead of passing feature strings to crfsuite,
and decoding all sentences of a document at once, gives the tags crfsuite
gives (checked in tests/test_ner.py) several times faster.

The weights are read from the crfsuite model itself (``Tagger.info()``),
which prints them with six decimals: a label whose score is within ~1e-5
of another's may come out differently, which the agreement test bounds.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain, pairwise, repeat
from typing import Any

import numpy as np

_SLOTS = (-2, -1, 1, 2)  # the neighbour offsets a word's "given" features are for


class CrfWeights:
    """One model's state weights (a row per attribute, a column per label) and transition weights."""

    def __init__(self, tagger: Any, info: Any = None) -> None:
        info = info or tagger.info()
        self.labels: list[str] = list(tagger.labels())
        column = {label: n for n, label in enumerate(self.labels)}
        attrs = sorted({a for a, _ in info.state_features})
        self.row = {a: n for n, a in enumerate(attrs)}
        self.zero = len(attrs)  # the row of every attribute the model has no weight for
        self.state = np.zeros((len(attrs) + 1, len(self.labels)))
        for (attr, label), w in info.state_features.items():
            self.state[self.row[attr], column[label]] = w
        self.transition = np.zeros((len(self.labels), len(self.labels)))
        for (a, b), w in info.transitions.items():
            self.transition[column[a], column[b]] = w

    def rows(self, attrs: Iterable[str]) -> list[int]:
        return list(map(self.row.get, attrs, repeat(self.zero)))

    def rows_of(self, groups: Iterable[list[str]]) -> list[int]:
        """The rows of several lists of attributes, one after the other (millions of lookups an hour: map, so
        the loop runs in C)."""
        return list(map(self.row.get, chain.from_iterable(groups), repeat(self.zero)))


def share_rows(models: list[CrfWeights]) -> None:
    """Give the models one row numbering (the union of their attributes), so that a feature string is looked
    up once for all of them."""
    if all(m.row is models[0].row for m in models):
        return
    attrs = sorted(set().union(*(m.row for m in models)))
    row = {a: n for n, a in enumerate(attrs)}
    for m in models:
        state = np.zeros((len(attrs) + 1, len(m.labels)))
        state[[row[a] for a in m.row]] = m.state[list(m.row.values())]
        m.row, m.zero, m.state = row, len(attrs), state


class WordScores:
    """Per distinct word and model: the summed weights of the word's own features and of those it gives each
    neighbour. The features of a new word are made once for all the models."""

    LIMIT = 60_000  # words kept (~22 MB a model); news repeats its words, so most lookups hit

    def __init__(self, models: list[CrfWeights]) -> None:
        share_rows(models)
        self.models = models
        self.index: dict[str, int] = {}
        self.tables = [np.zeros((1024, 1 + len(_SLOTS), len(m.labels))) for m in models]

    def ids(self, words: list[str], features: Any) -> np.ndarray:
        """Row numbers of ``words`` in the tables, computing the missing ones from ``features(word)``."""
        index = self.index
        found = list(map(index.get, words))
        if None in found:
            missing = [w for w in dict.fromkeys(words) if w not in index]
            if len(index) + len(missing) > self.LIMIT:
                index.clear()
                missing = list(dict.fromkeys(words))
            self._grow(len(index) + len(missing))
            self._add(missing, features)
            found = list(map(index.__getitem__, words))
        return np.array(found, dtype=np.intp)

    def _grow(self, need: int) -> None:
        size = len(self.tables[0])
        if need > size:
            bigger = min(max(need, 2 * size), self.LIMIT)
            for m, table in enumerate(self.tables):
                grown = np.zeros((bigger, *table.shape[1:]))
                grown[:size] = table
                self.tables[m] = grown

    def _add(self, words: list[str], features: Any) -> None:
        """Score sums of new words, all at once: one gather and one segmented sum per model."""
        first = len(self.index)
        groups: list[list[str]] = []  # per word, its own features then the four given lists
        for n, w in enumerate(words, first):
            _, _, own, given = features(w)
            self.index[w] = n
            groups.append(own)
            groups.extend(given[d] for d in _SLOTS)
        sizes = np.fromiter((len(g) for g in groups), dtype=np.intp, count=len(groups))
        bounds = np.concatenate(([0], np.cumsum(sizes)[:-1]))
        rows = self.models[0].rows_of(groups)  # the models share their rows
        rows.append(self.models[0].zero)  # so that an empty last segment still has a row to point at
        for model, table in zip(self.models, self.tables, strict=True):
            sums = np.add.reduceat(model.state[rows], bounds, axis=0)
            sums[sizes == 0] = 0.0  # reduceat gives an empty segment the next row, not nothing
            table[first:first + len(words)] = sums.reshape(len(words), 1 + len(_SLOTS), -1)


Rows = tuple[list[int], list[int]]  # feature rows of consecutive tokens, and how many of them each token has


def context_rows(weights: CrfWeights, context: list[list[str]]) -> Rows:
    """The rows of tokens' context features (``context[i]``: token i's), token after token, and their counts."""
    return weights.rows_of(context), [len(c) for c in context]


class ContextRows:
    """:func:`context_rows` of :func:`marsad.ner.features.context_features`, without making the strings.

    Every token of every sentence has its context features made and looked up, most of them stem
    bigrams («bi=A|B») that the model never saw. Here a dictionary-tag feature's row comes from a table
    per tag, and a bigram's from a table per first stem: a stem that starts no known bigram (most) is ruled
    out by one lookup of a string whose hash Python already holds. Same rows, same order (tested)."""

    def __init__(self, weights: CrfWeights) -> None:
        row, zero = weights.row, weights.zero
        self.zero, self.bos, self.eos = zero, row.get("BOS", zero), row.get("EOS", zero)
        self.tags = {prefix: _TagRows(row, zero, prefix) for prefix in ("d=", "-1:d=", "1:d=")}
        self.pairs: dict[str, dict[str, dict[str, int]]] = {"bi=": {}, "bi+=": {}}
        for attr, n in row.items():
            for prefix, table in self.pairs.items():
                if attr.startswith(prefix):
                    pair = attr[len(prefix):]
                    for at, ch in enumerate(pair):  # a stem may itself be «|»: every split that gives the string
                        if ch == "|":
                            table.setdefault(pair[:at], {})[pair[at + 1:]] = n

    def __call__(self, stems: list[str], dict_tags: list[str]) -> Rows:
        n = len(stems)
        if n == 0:
            return [], []
        here = list(map(self.tags["d="].__getitem__, dict_tags))
        if n == 1:
            return [here[0], self.bos, self.eos], [3]
        before = list(map(self.tags["-1:d="].__getitem__, dict_tags[:-1]))  # what token i gives token i + 1
        after = list(map(self.tags["1:d="].__getitem__, dict_tags[1:]))  # what token i + 1 gives token i
        zero, pairs = self.zero, list(pairwise(stems))
        bi, bi_next = self.pairs["bi="], self.pairs["bi+="]
        back = [t.get(b, zero) if (t := bi.get(a)) else zero for a, b in pairs]  # token i + 1's «bi=»
        ahead = [t.get(b, zero) if (t := bi_next.get(a)) else zero for a, b in pairs]  # token i's «bi+=»
        rows = [here[0], self.bos, after[0], ahead[0]]
        # the middle tokens' rows, in context_features' order: here, -1:d, bi, 1:d, bi+
        rows.extend(chain.from_iterable(zip(here[1:-1], before[:-1], back[:-1], after[1:], ahead[1:], strict=True)))
        rows += [here[-1], before[-1], back[-1], self.eos]
        return rows, [4, *repeat(5, n - 2), 4]


class _TagRows(dict[str, int]):
    """A dictionary-tag feature's row per tag («O», «B-PERS» …), filled as the tags come."""

    def __init__(self, row: dict[str, int], zero: int, prefix: str) -> None:
        super().__init__()
        self.row, self.zero, self.prefix = row, zero, prefix

    def __missing__(self, tag: str) -> int:
        value = self[tag] = self.row.get(self.prefix + tag, self.zero)
        return value


def emissions(scores: WordScores, model: int, words: list[str], starts: np.ndarray, features: Any,
              context: list[Rows]) -> np.ndarray:
    """Label scores (tokens × labels) for a document's tokens, sentences one after the other.

    ``starts[i]`` is the position of token i in its sentence; ``context``: groups of the tokens' context
    feature rows (:func:`context_rows`, for all the tokens in order), added group after group and, within
    a group, each token's rows in order."""
    ids = scores.ids(words, features)  # first: it may grow the tables
    per_word = scores.tables[model][ids]  # (tokens, 5, labels)
    out = per_word[:, 0].copy()
    n = len(words)
    for d in _SLOTS:
        # token i gets what its neighbour i+d gives the word at offset -d, if that neighbour is in its sentence
        if n <= abs(d):
            continue
        given = per_word[:, 1 + _SLOTS.index(-d)]
        if d > 0:
            same = starts[d:] >= d
            out[:-d][same] += given[d:][same]
        else:
            same = starts[-d:] >= -d
            out[-d:][same] += given[:d][same]
    state = scores.models[model].state
    for rows, counts in context:
        _add_rows(out, state[rows], np.asarray(counts, dtype=np.intp))
    return out


def _add_rows(out: np.ndarray, weights: np.ndarray, counts: np.ndarray) -> None:
    """``out[t] += `` each of token t's ``counts[t]`` consecutive rows of ``weights``, one at a time and in order
    (the sums crfsuite makes): every token's first row at once, then every second row, and so on."""
    first = np.cumsum(counts) - counts
    for k in range(int(counts.max(initial=0))):
        having = np.flatnonzero(counts > k)
        out[having] += weights[first[having] + k]


def viterbi(weights: CrfWeights, emission: np.ndarray, lengths: list[int]) -> list[list[str]]:
    """The best label sequence of each sentence (``lengths`` tokens each, consecutive rows of ``emission``),
    all sentences advanced together one position at a time.

    The sentences are ranked longest first, so those still going at a position are a prefix of the rank
    and each step works on a slice, with no mask. The forward pass keeps only each position's best scores;
    the way back recomputes, for the one label chosen at a position, which label before it gave that
    score (the same sums, so the same first best as crfsuite), instead of storing a pointer for every
    label at every position."""
    labels, into = weights.labels, np.ascontiguousarray(weights.transition.T)  # into[b, a]: a → b
    count = len(lengths)
    if count == 0 or min(lengths) == 0:
        raise ValueError("every sentence needs a token")
    lens = np.asarray(lengths, dtype=np.intp)
    order = np.argsort(-lens, kind="stable")
    rank = np.empty(count, dtype=np.intp)
    rank[order] = np.arange(count)
    ranked_lens = lens[order]
    longest = int(ranked_lens[0])
    going = np.searchsorted(-ranked_lens, -np.arange(longest), side="left").tolist()  # sentences longer than t
    # Position-major: row t holds every sentence's position t, the best scores overwrite the emissions.
    best = np.zeros((longest, count, len(labels)))
    first_rows = np.repeat(np.cumsum(lens) - lens, lens)
    best[np.arange(len(emission)) - first_rows, np.repeat(rank, lens)] = emission
    for t in range(1, longest):
        k = going[t]
        best[t, :k] += (best[t - 1, :k, None, :] + into).max(axis=2)
    ranked = np.arange(count)
    paths = np.zeros((count, longest), dtype=np.intp)
    paths[ranked, ranked_lens - 1] = best[ranked_lens - 1, ranked].argmax(axis=1)
    for t in range(longest - 1, 0, -1):
        k = going[t]
        paths[:k, t - 1] = (best[t - 1, :k] + into[paths[:k, t]]).argmax(axis=1)
    rows = paths.tolist()
    return [[labels[x] for x in rows[rank[s]][:m]] for s, m in enumerate(lengths)]
