"""A bounded per-word memo: what a stage works out for a word, kept for the next time the word comes.

News repeats its words, so most stages ask the same question of the same word over and over (its match
key, its clitic readings that start a phrase, whether a number can start there). A long run meets ever
more words, though, and every worker process holds its own memos: each one forgets everything once it
holds ``limit`` words, which keeps a process's memory bounded on any corpus (benchmarks/README.md).

:func:`per_file` does the same for knowledge files: several components read the same dictionaries.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, Generic, TypeVar

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


def per_file(load: Callable[..., list[V]]) -> Callable[..., list[V]]:
    """A loader of one knowledge file that parses each version of the file once a process.

    The actor recogniser, the NER's lexicons and the CLI all read the same dictionaries; parsing their YAML
    was a third of the start-up time, twice over. The key is the file's resolved path, size and modification
    time (with the other arguments), so an edited file is read again; a file that fails to load is never
    remembered. The entries must be immutable: each call gets a new list of the same objects."""
    loaded: dict[tuple[Any, ...], tuple[V, ...]] = {}

    @functools.wraps(load)
    def cached(path: Any, *args: Any, **kwargs: Any) -> list[V]:
        try:
            resolved = Path(path).resolve()
            stat = resolved.stat()
        except OSError:  # the loader says what is wrong with it
            return load(path, *args, **kwargs)
        key = (str(resolved), stat.st_size, stat.st_mtime_ns, args, tuple(sorted(kwargs.items())))
        if key not in loaded:
            loaded[key] = tuple(load(path, *args, **kwargs))
        return list(loaded[key])

    return cached
