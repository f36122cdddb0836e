"""Event trigger and modality-cue lexicons (format: docs/triggers.md)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from marsad.errors import DataFileError
from marsad.knowledge.yamlfile import LINE_KEY, read_entries

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
MODALITIES = ("asserted", "expected", "negated", "hypothetical")


@dataclass(frozen=True, slots=True)
class TriggerEntry:
    type: str
    mode: str | None
    cameo: str | None
    forms: tuple[str, ...]
    source: str


@dataclass(frozen=True, slots=True)
class ModalityCue:
    modality: str
    position: str  # before | after
    window: int  # tokens
    cues: tuple[str, ...]
    imperfect_next: bool
    source: str


def _forms(raw: dict[str, Any], key: str, path: Path, line: int) -> tuple[str, ...]:
    value = raw.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise DataFileError(path, line, f"'{key}' must be a non-empty list of words")
    return tuple(v.strip() for v in value)


def _label(path: Path) -> str:
    return f"triggers/{path.name}" if path.parent.name == "triggers" else str(path)


def load_trigger_file(path: str | Path) -> list[TriggerEntry]:
    path = Path(path)
    out = []
    for raw in read_entries(path):
        line = raw.get(LINE_KEY, 0)
        if raw.get("type") not in PLOVER_TYPES:
            raise DataFileError(path, line, f"type must be a PLOVER event type, got {raw.get('type')!r}")
        cameo = raw.get("cameo")
        out.append(TriggerEntry(
            type=raw["type"], mode=raw.get("mode"), cameo=str(cameo) if cameo is not None else None,
            forms=_forms(raw, "forms", path, line), source=f"{_label(path)}:{line}",
        ))
    return out


def load_modality_file(path: str | Path) -> list[ModalityCue]:
    path = Path(path)
    out = []
    for raw in read_entries(path):
        line = raw.get(LINE_KEY, 0)
        if raw.get("modality") not in MODALITIES[1:]:
            raise DataFileError(path, line, f"modality must be one of {', '.join(MODALITIES[1:])}")
        if raw.get("position", "before") not in ("before", "after"):
            raise DataFileError(path, line, "position must be 'before' or 'after'")
        out.append(ModalityCue(
            modality=raw["modality"], position=raw.get("position", "before"), window=int(raw.get("window", 4)),
            cues=_forms(raw, "cues", path, line), imperfect_next=bool(raw.get("imperfect_next", False)),
            source=f"{_label(path)}:{line}",
        ))
    return out


def builtin_trigger_paths() -> list[Path]:
    folder = files("marsad.data") / "triggers"
    return sorted(Path(str(p)) for p in folder.iterdir()
                  if p.name.endswith(".yaml") and p.name != "modality.yaml")


def builtin_modality_path() -> Path:
    return Path(str(files("marsad.data") / "triggers" / "modality.yaml"))
