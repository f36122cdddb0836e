"""The trained models that ship in the package (``data/models/*.json``), read the one way they all are."""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib.resources import files
from typing import Any


def shipped_model(name: str) -> dict[str, Any] | None:
    """``data/models/NAME``'s JSON (weights, threshold, info …), or None where a trimmed install left it out:
    the component that uses it then runs without it."""
    path = files("marsad.data") / "models" / name
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def strongest(names: Sequence[str], pulls: Sequence[float], signed: bool = False, zeros: bool = False) -> str:
    """The three features that pull a decision hardest, as «name +w.ww, …»: by magnitude, or with ``signed`` the
    most positive; features that pull nothing (or, signed, against) are left out unless ``zeros``. Every kept
    event's explanation is made with it: the sort's key is a C method."""
    key = pulls.__getitem__ if signed else list(map(abs, pulls)).__getitem__
    top = sorted(range(len(pulls)), key=key, reverse=True)[:3]
    return ", ".join(f"{names[k]} {pulls[k]:+.2f}" for k in top if zeros or (pulls[k] > 0 if signed else pulls[k]))
