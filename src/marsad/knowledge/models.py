"""The trained models that ship in the package (``data/models/*.json``), read the one way they all are."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any


def shipped_model(name: str) -> dict[str, Any] | None:
    """``data/models/NAME``'s JSON (weights, threshold, info …), or None where a trimmed install left it out:
    the component that uses it then runs without it."""
    path = files("marsad.data") / "models" / name
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))
