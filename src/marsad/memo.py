"""A bounded per-word memo: what a stage works out for a word, kept for the next time the word comes.

News repeats its words, so most stages ask the same question of the same word over and over (its match
key, its clitic readings that start a phrase, whether a number can start there). A long run meets ever
more words, though, and every worker process holds its own memos: each one forgets everything once it
holds ``limit`` words, which keeps a process's memory bounded on any corpus (benchmarks/README.md).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(dict[K, V], Generic[K, V]):
    """``memo[key]`` is ``compute(key)``, computed once until the memo is full and starts again.

    A dict, so a known key costs one dict lookup; only a new one calls ``compute``."""

    def __init__(self, compute: Callable[[K], V], limit: int) -> None:
        super().__init__()
        self.compute = compute
        self.limit = limit

    def __missing__(self, key: K) -> V:
        if len(self) >= self.limit:
            self.clear()
        value = self[key] = self.compute(key)
        return value
