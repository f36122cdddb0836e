"""Event trigger and modality-cue lexicons (format: docs/triggers.md)."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from marsad.errors import DataFileError
from marsad.knowledge.morphology import noun_forms, present_forms, verb_forms
from marsad.knowledge.yamlfile import LINE_KEY, read_entries
from marsad.text.normalize import match_key

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
MODALITIES = ("asserted", "expected", "negated", "hypothetical")


@dataclass(frozen=True, slots=True)
class TriggerEntry:
    """One lexicon entry: words for one PLOVER type and mode."""

    type: str
    mode: str | None
    cameo: str | None
    forms: tuple[tuple[str, str], ...]  # (surface form, part: past | present | future | noun | phrase)
    source: str
    needs_event_verb: bool = False  # «الحرب» is an event only with a verb of happening nearby
    # match keys of words that, within the next few words of the trigger's clause (as written, preposition
    # included), show the entry's words in another sense: «استشهد» "was martyred", «استشهد بقول …» "cited …"
    not_followed_by: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class ModalityCue:
    modality: str
    position: str  # before | after
    window: int  # tokens
    cues: tuple[str, ...]
    imperfect_next: bool
    source: str
    # a governing verb («نفى», «رفض», «من المتوقع»): how much farther it reaches past a complementiser «أن»
    reach: int = 0
    not_in: tuple[str, ...] = ()  # phrases in which the cue word is no cue: «لا تزال», «بدون طيار»
    not_after: tuple[str, ...] = ()  # words that, just before the cue, undo it: «كان … قد» is past perfect
    not_on: tuple[str, ...] = ()  # words it does not govern, nor what follows them: «رفضت الطلب»


def _forms(raw: dict[str, Any], key: str, path: Path, line: int) -> tuple[str, ...]:
    value = raw.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise DataFileError(path, line, f"'{key}' must be a non-empty list of words")
    return tuple(v.strip() for v in value)


def _label(path: Path) -> str:
    return f"triggers/{path.name}" if path.parent.name == "triggers" else str(path)


_TRIGGER_FIELDS = {"type", "mode", "cameo", "verbs", "nouns", "forms", "phrases", "needs_event_verb", "not_followed_by",
                   "note", LINE_KEY}


def _generated_forms(raw: dict[str, Any], path: Path, line: int) -> tuple[tuple[str, str], ...]:
    forms: list[tuple[str, str]] = []
    for pair in raw.get("verbs") or []:
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)):
            raise DataFileError(path, line, f"a verb is [past, present], e.g. [قصف, يقصف]; got {pair!r}")
        past, present = pair
        try:
            generated = verb_forms(past, present)
        except ValueError as exc:
            raise DataFileError(path, line, str(exc)) from exc
        present_set = set(present_forms(present))
        for form in generated:
            if form.startswith("س") and form[1:] in present_set:
                part = "future"
            elif form in present_set or any(form.startswith(p) for p in present_set):
                part = "present"
            else:
                part = "past"
            forms.append((form, part))
    for key, part in (("nouns", "noun"), ("forms", "verb"), ("phrases", "phrase")):
        values = raw.get(key) or []
        if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
            raise DataFileError(path, line, f"'{key}' must be a list of words")
        for v in values:
            v = v.strip()
            if part == "noun":
                forms.extend((f, "noun" if f in (v, v + "ا") else "noun_poss") for f in noun_forms(v))
            elif part == "verb" and " " not in v:
                # irregular verb forms written out: a verb of unknown tense, except the future «سيدعو»
                forms.append((v, "future" if v[:1] == "س" and v[1:2] in ("ي", "ت", "ن") else "verb"))
            else:
                forms.append((v, "phrase"))
    if not forms:
        raise DataFileError(path, line, "an entry needs verbs, nouns, forms or phrases")
    return tuple(dict.fromkeys(forms))


def load_trigger_file(path: str | Path) -> list[TriggerEntry]:
    """Load a trigger lexicon (docs/triggers.md), generating the surface forms."""
    path = Path(path)
    out = []
    for raw in read_entries(path):
        line = raw.get(LINE_KEY, 0)
        unknown = set(raw) - _TRIGGER_FIELDS
        if unknown:
            raise DataFileError(path, line, f"unknown field(s): {', '.join(sorted(unknown))}")
        if raw.get("type") not in PLOVER_TYPES:
            raise DataFileError(path, line, f"type must be a PLOVER event type, got {raw.get('type')!r}")
        cameo = raw.get("cameo")
        out.append(TriggerEntry(
            type=raw["type"], mode=raw.get("mode"), cameo=str(cameo) if cameo is not None else None,
            forms=_generated_forms(raw, path, line), source=f"{_label(path)}:{line}",
            needs_event_verb=bool(raw.get("needs_event_verb", False)),
            not_followed_by=frozenset(match_key(w) for w in _forms(raw, "not_followed_by", path, line))
            if "not_followed_by" in raw else frozenset(),
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
            source=f"{_label(path)}:{line}", reach=int(raw.get("reach", 0)),
            not_in=_forms(raw, "not_in", path, line) if "not_in" in raw else (),
            not_after=_forms(raw, "not_after", path, line) if "not_after" in raw else (),
            not_on=_forms(raw, "not_on", path, line) if "not_on" in raw else (),
        ))
    return out


NOT_LEXICON = ("modality.yaml", "light_verbs.yaml", "context.yaml")


def builtin_trigger_paths() -> list[Path]:
    folder = files("marsad.data") / "triggers"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".yaml") and p.name not in NOT_LEXICON)


def builtin_modality_path() -> Path:
    return Path(str(files("marsad.data") / "triggers" / "modality.yaml"))
