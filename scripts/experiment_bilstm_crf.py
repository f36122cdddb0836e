#!/usr/bin/env python3
"""Experiment: a BiLSTM-CRF tagger on ANERcorp, alone and averaged with the shipped CRF (not shipped).

The published BiLSTM-CRF anchor on ANERcorp is 81.7 F1; the shipped CRF scores 0.722. This script
measures what the same architecture gives here, on a CPU, with only the data Marsad may use: word
vectors learned from the 30,307 shared news articles and ANERcorp's training text (never the test text),
a character CNN, the stem after و ب ل ف ال, and Marsad's own dictionary features (the ones the CRF
uses). Per token: word and stem vectors (100 + 100, frozen unless --tune-vectors), characters (CNN, 50),
whole-name dictionary tag (10), twelve dictionary-word flags. Then one BiLSTM layer and a CRF.
Training stops at the epoch that scores best on the last 420 training sentences (consecutive ones,
like unseen articles). The test file is scored once, at the end. docs/ner.md has the figures.

Usage (needs torch and gensim: pip install -e '.[experiment]'; ~10 min for the vectors and ~10 min
for 20 epochs on two cores):
    python scripts/experiment_bilstm_crf.py --vectors /tmp/w2v.kv          # builds the vectors if absent
    python scripts/experiment_bilstm_crf.py --vectors /tmp/ft.kv --fasttext  # vectors from letter n-grams
    python scripts/experiment_bilstm_crf.py --vectors /tmp/w2v.kv --with-crf # averaged with the shipped CRF
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from marsad.ner.clusters import cluster_key  # noqa: E402
from marsad.ner.conll import Sentence, read_conll, score  # noqa: E402
from marsad.ner.features import builtin_lexicons, dictionary_tags, stem_of  # noqa: E402
from marsad.text.normalize import match_key  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
DICT_TAGS = ["O", "B-PERS", "I-PERS", "B-ORG", "I-ORG", "B-LOC", "I-LOC"]
HELD_OUT = 420


def build_vectors(path: Path, train: Path, fasttext: bool) -> None:
    from build_word_clusters import news_sentences
    from gensim.models import FastText, Word2Vec

    corpus = news_sentences(SHARED / "news" / "ant_multisource_2018.jsonl.gz")
    corpus += [[cluster_key(t) for t, _ in s] for s in read_conll(train)]
    common = {"vector_size": 100, "window": 5, "min_count": 3, "sg": 1, "negative": 5, "epochs": 5, "seed": 13}
    if fasttext:
        model = FastText(corpus, workers=1, min_n=2, max_n=4, bucket=200_000, **common)
    else:
        model = Word2Vec(corpus, workers=2, **common)
    model.wv.save(str(path))


class Encoder:
    """Sentences → integer arrays: word and stem ids, dictionary tags and flags, letters, gold tags."""

    def __init__(self, vectors, sentences: list[Sentence], tags: list[str], subword: bool) -> None:  # type: ignore[no-untyped-def]
        self.lex = builtin_lexicons()
        self.tags = tags
        # All the vectors' words, plus every word of the given sentences when vectors come from letter
        # n-grams (fastText gives any word a vector: what a shipped model would compute at run time).
        words = ["<pad>", "<unk>", *vectors.index_to_key]
        self.ids = {w: i for i, w in enumerate(words)}
        for s in sentences if subword else []:
            for tok, _ in s:
                for k in (cluster_key(tok), stem_of(cluster_key(tok))):
                    self.ids.setdefault(k, len(self.ids))
        self.table = np.random.default_rng(1).normal(0, 0.1, (len(self.ids), vectors.vector_size)).astype(np.float32)
        for w, i in self.ids.items():
            if i > 1 and (subword or w in vectors.key_to_index):
                self.table[i] = vectors[w]
        self.table[0] = 0
        self.chars = {"<pad>": 0, "<unk>": 1}
        for s in sentences:
            for tok, _ in s:
                for c in tok:
                    self.chars.setdefault(c, len(self.chars))

    def __call__(self, sentence: Sentence) -> tuple:
        toks = [t for t, _ in sentence]
        keys = [cluster_key(t) for t in toks]
        mks = [match_key(t) for t in toks]
        sets = (self.lex.person_words, self.lex.org_words, self.lex.place_words, self.lex.first_person,
                self.lex.titles, self.lex.org_heads)
        flags = [[float(m in s) for s in sets] + [float(stem_of(m) in s) for s in sets] for m in mks]
        dtags = [DICT_TAGS.index(d) for d in dictionary_tags(toks, mks, self.lex.names)]
        return ([self.ids.get(k, 1) for k in keys], [self.ids.get(stem_of(k), 1) for k in keys], dtags, flags,
                [[self.chars.get(c, 1) for c in t[:20]] for t in toks], [self.tags.index(t) for _, t in sentence])


def make_model(enc: Encoder, hidden: int, dropout: float, tune_vectors: bool):  # type: ignore[no-untyped-def]
    import torch
    from torch import nn

    class BiLstmCrf(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.words = nn.Embedding.from_pretrained(torch.tensor(enc.table), freeze=not tune_vectors, padding_idx=0)
            self.letters = nn.Embedding(len(enc.chars), 30, padding_idx=0)
            self.conv = nn.Conv1d(30, 50, 3, padding=1)
            self.dict_tags = nn.Embedding(len(DICT_TAGS), 10)
            self.drop = nn.Dropout(dropout)
            self.lstm = nn.LSTM(2 * enc.table.shape[1] + 50 + 10 + 12, hidden, batch_first=True, bidirectional=True)
            k = len(enc.tags)
            self.out = nn.Linear(2 * hidden, k)
            self.trans = nn.Parameter(torch.zeros(k, k))
            self.start = nn.Parameter(torch.zeros(k))
            self.end = nn.Parameter(torch.zeros(k))

        def emissions(self, wid, sid, did, flags, cid, lengths):  # type: ignore[no-untyped-def]
            b, n = wid.shape
            c = self.letters(cid.view(b * n, -1)).transpose(1, 2)
            c = torch.relu(self.conv(c)).max(dim=2).values.view(b, n, -1)
            x = self.drop(torch.cat([self.words(wid), self.words(sid), c, self.dict_tags(did), flags], dim=2))
            packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
            h, _ = nn.utils.rnn.pad_packed_sequence(self.lstm(packed)[0], batch_first=True, total_length=n)
            return self.out(self.drop(h))

        def nll(self, em, tags, mask):  # type: ignore[no-untyped-def]
            gold = self.start[tags[:, 0]] + em[:, 0].gather(1, tags[:, :1]).squeeze(1)
            alpha = self.start + em[:, 0]
            for t in range(1, em.shape[1]):
                m = mask[:, t]
                emitted = em[:, t].gather(1, tags[:, t:t + 1]).squeeze(1)
                gold = gold + m * (self.trans[tags[:, t - 1], tags[:, t]] + emitted)
                step = torch.logsumexp(alpha.unsqueeze(2) + self.trans + em[:, t].unsqueeze(1), dim=1)
                alpha = m.unsqueeze(1) * step + (1 - m.unsqueeze(1)) * alpha
            gold = gold + self.end[tags.gather(1, (mask.sum(1).long() - 1).unsqueeze(1)).squeeze(1)]
            return (torch.logsumexp(alpha + self.end, dim=1) - gold).sum()

        def marginals(self, em, n: int) -> np.ndarray:  # type: ignore[no-untyped-def]
            """Per-token label probabilities (forward-backward over the CRF)."""
            e = em[:n]
            fwd = [self.start + e[0]]
            for t in range(1, n):
                fwd.append(torch.logsumexp(fwd[-1].unsqueeze(1) + self.trans + e[t].unsqueeze(0), dim=0))
            bwd = [self.end]
            for t in range(n - 1, 0, -1):
                bwd.append(torch.logsumexp(self.trans + (e[t] + bwd[-1]).unsqueeze(0), dim=1))
            return torch.softmax(torch.stack(fwd) + torch.stack(bwd[::-1]), dim=1).numpy()

    return BiLstmCrf()


def collate(items: list[tuple]):  # type: ignore[no-untyped-def]
    import torch

    b, n = len(items), max(len(e[0]) for e in items)
    longest = max(len(c) for e in items for c in e[4])
    wid, sid, did, tags = (torch.zeros(b, n, dtype=torch.long) for _ in range(4))
    mask, flags = torch.zeros(b, n), torch.zeros(b, n, 12)
    cid = torch.zeros(b, n, longest, dtype=torch.long)
    for i, (w, s, d, f, c, t) in enumerate(items):
        k = len(w)
        wid[i, :k], sid[i, :k], did[i, :k], tags[i, :k] = (torch.tensor(x) for x in (w, s, d, t))
        flags[i, :k], mask[i, :k] = torch.tensor(f), 1
        for j, letters in enumerate(c):
            cid[i, j, :len(letters)] = torch.tensor(letters)
    return (wid, sid, did, flags, cid, [len(e[0]) for e in items]), tags, mask


def bio_decode(probs: np.ndarray, labels: list[str]) -> list[str]:
    """Most probable BIO-valid sequence under per-token probabilities (an I- only after its own type): the
    tagger's Viterbi (ner/decoder.py) over log probabilities, with forbidden steps as transitions."""
    from types import SimpleNamespace

    from marsad.ner.decoder import viterbi

    allowed = np.array([[-1e9 if b.startswith("I-") and a[2:] != b[2:] else 0.0 for b in labels] for a in labels])
    logp = np.log(probs + 1e-9)
    logp[0] += np.array([-1e9 if t.startswith("I-") else 0.0 for t in labels])  # no I- to begin a sentence
    return viterbi(SimpleNamespace(labels=labels, transition=allowed), logp, [len(logp)])[0]


def crf_marginals(test: list[Sentence], labels: list[str]) -> list[np.ndarray]:
    """The shipped CRF's label probabilities, both passes, documents of 20 sentences as in `marsad eval ner`."""
    from marsad.ner.features import add_memory_features, document_memory, token_features
    from marsad.ner.tagger import NerTagger
    from marsad.ner.train import documents

    tagger = NerTagger.builtin()
    out = []
    for doc in documents(test):
        words = [[t for t, _ in s] for s in doc]
        feats = [token_features(w, tagger.lexicons, tagger.clusters, tagger.known) for w in words]
        memory = document_memory(words, [tagger._first.tag(f) for f in feats])
        for f, w in zip(feats, words, strict=True):
            crf = tagger._second
            crf.tag(add_memory_features(f, w, memory))
            known = set(crf.labels())
            out.append(np.array([[crf.marginal(y, i) if y in known else 0.0 for y in labels] for i in range(len(w))]))
    return out


def report(name: str, gold: list[Sentence], predicted: list[list[str]]) -> None:
    r = score([[t for _, t in s] for s in gold], predicted)
    o = r["overall"]
    per = ", ".join(f"{k} {v['f1']:.3f}" for k, v in r["per_type"].items())
    print(f"{name}: P {o['precision']:.3f} R {o['recall']:.3f} F1 {o['f1']:.3f} ({per})", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", type=Path, default=SHARED / "ner" / "anercorp" / "train.txt")
    ap.add_argument("--test", type=Path, default=SHARED / "ner" / "anercorp" / "test.txt")
    ap.add_argument("--vectors", type=Path, required=True, help="gensim KeyedVectors; built here if absent")
    ap.add_argument("--fasttext", action="store_true", help="vectors from letter n-grams (any word gets one)")
    ap.add_argument("--tune-vectors", action="store_true", help="let training move the word vectors")
    ap.add_argument("--with-crf", action="store_true", help="also average probabilities with the shipped CRF")
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--hidden", type=int, default=150)
    ap.add_argument("--dropout", type=float, default=0.5)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    import torch
    from gensim.models import KeyedVectors
    from torch import nn

    torch.manual_seed(args.seed)
    random.seed(args.seed)
    if not args.vectors.exists():
        t0 = time.perf_counter()
        build_vectors(args.vectors, args.train, args.fasttext)
        print(f"vectors: {args.vectors} ({time.perf_counter() - t0:.0f} s)", flush=True)
    train_all, test = read_conll(args.train), read_conll(args.test)
    train, held = train_all[:-HELD_OUT], train_all[-HELD_OUT:]
    labels = sorted({t for s in train_all for _, t in s})
    enc = Encoder(KeyedVectors.load(str(args.vectors)), train + held + test if args.fasttext else train,
                  labels, subword=args.fasttext)
    e_train, e_held, e_test = ([enc(s) for s in part] for part in (train, held, test))
    model = make_model(enc, args.hidden, args.dropout, args.tune_vectors)
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=1e-3)

    def probabilities(encoded: list[tuple]) -> list[np.ndarray]:
        model.eval()
        out: list[np.ndarray] = []
        with torch.no_grad():
            for i in range(0, len(encoded), 64):
                x, _, _ = collate(encoded[i:i + 64])
                em = model.emissions(*x)
                out.extend(model.marginals(em[k], n) for k, n in enumerate(x[5]))
        model.train()
        return out

    def f1(encoded: list[tuple], gold: list[Sentence]) -> float:
        pred = [bio_decode(p, labels) for p in probabilities(encoded)]
        return score([[t for _, t in s] for s in gold], pred)["overall"]["f1"]

    best, best_state, t0 = -1.0, None, time.perf_counter()
    by_length = sorted(range(len(e_train)), key=lambda i: len(e_train[i][0]))  # batches of like lengths
    for epoch in range(args.epochs):
        batches = [by_length[i:i + args.batch] for i in range(0, len(by_length), args.batch)]
        random.shuffle(batches)
        for batch in batches:
            x, tags, mask = collate([e_train[i] for i in batch])
            loss = model.nll(model.emissions(*x), tags, mask)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
        held_f1 = f1(e_held, held)
        if held_f1 > best:
            best, best_state = held_f1, {k: v.clone() for k, v in model.state_dict().items()}
        print(f"epoch {epoch + 1}: held-out F1 {held_f1:.3f} ({time.perf_counter() - t0:.0f} s)", flush=True)
    model.load_state_dict(best_state)
    lstm = probabilities(e_test)
    report("BiLSTM-CRF, test", test, [bio_decode(p, labels) for p in lstm])
    if args.with_crf:
        crf = crf_marginals(test, labels)
        report("shipped CRF, test", test, [bio_decode(p, labels) for p in crf])
        report("average of both, test", test, [bio_decode((a + b) / 2, labels) for a, b in zip(lstm, crf, strict=True)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
