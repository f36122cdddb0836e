"""Named errors. Library code raises these; only the CLI chooses exit codes."""

from __future__ import annotations

from pathlib import Path


class MarsadError(Exception):
    """Base class for every error Marsad reports to a user."""


class InputError(MarsadError):
    """An input document (file, JSONL line, stdin) could not be used.

    Args:
        source: where the input came from ("corpus.jsonl:12", "a.txt", "<stdin>").
        reason: a short human-readable explanation.
    """

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class DataFileError(MarsadError):
    """A knowledge file (dictionary, lexicon, gazetteer) is malformed."""

    def __init__(self, path: str | Path, line: int | None, reason: str) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {reason}")
        self.path = str(path)
        self.line = line
        self.reason = reason
