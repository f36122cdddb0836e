"""Word clusters learned from unlabelled news (scripts/build_word_clusters.py), as tagger features."""

from __future__ import annotations

import gzip
import re
import sys
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from marsad.text.normalize import match_key

CLUSTERS_NAME = "word_clusters.tsv.gz"
CLUSTER_SIZES = (64, 256, 1024)
_DIGITS = re.compile(r"\d")


def cluster_key(word: str) -> str:
    """The form clusters are learned and looked up under: the match key, digits folded to 0."""
    return _DIGITS.sub("0", match_key(word))


def load_clusters(path: str | Path) -> dict[str, tuple[str, ...]]:
    """word → cluster ids, coarse to fine."""
    out: dict[str, tuple[str, ...]] = {}
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            word, *ids = line.rstrip("\n").split("\t")
            out[word] = tuple(sys.intern(x) for x in ids)
    return out


@lru_cache(maxsize=1)
def builtin_clusters() -> dict[str, tuple[str, ...]]:
    path = Path(str(files("marsad.data") / "models" / CLUSTERS_NAME))
    return load_clusters(path) if path.is_file() else {}
