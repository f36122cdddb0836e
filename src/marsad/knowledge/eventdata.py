"""The event coder's knowledge besides the trigger lexicon: light verbs, clause words,
attribution, stances and the CAMEO scale (``data/triggers/*.yaml``, ``data/events/*.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from marsad.errors import DataFileError
from marsad.knowledge.morphology import present_forms, verb_forms
from marsad.knowledge.yamlfile import LINE_KEY, read_entries
from marsad.text.normalize import match_key, phrase_key

Phrase = tuple[str, ...]


def _phrases(words: list[str] | None) -> frozenset[Phrase]:
    return frozenset(k for k in (phrase_key(w) for w in words or []) if k)


@dataclass(frozen=True)
class LightVerb:
    voice: str  # active | passive | happening
    future: bool
    source: str


@dataclass
class EventKnowledge:
    light_verbs: dict[str, LightVerb] = field(default_factory=dict)  # word key → light verb
    not_event_before: frozenset[str] = frozenset()
    event_verbs: frozenset[str] = frozenset()
    not_trigger: frozenset[str] = frozenset()
    reporting_verbs: frozenset[str] = frozenset()
    stance_verbs: frozenset[str] = frozenset()  # «دانت», «رحب»: their subject takes a stance on the event
    attribution_preps: frozenset[Phrase] = frozenset()
    allegation_words: dict[str, frozenset[str]] = field(default_factory=dict)  # frame → verb or marker keys
    source_nouns: frozenset[Phrase] = frozenset()
    boundaries: frozenset[Phrase] = frozenset()
    agent_markers: frozenset[Phrase] = frozenset()
    target_markers: frozenset[str] = frozenset()
    location_markers: frozenset[str] = frozenset()
    background_frames: frozenset[Phrase] = frozenset()
    title_words: frozenset[str] = frozenset()
    stance_polarity: dict[str, str] = field(default_factory=dict)
    stance_objects: frozenset[Phrase] = frozenset()
    cameo_roots: dict[str, dict[str, Any]] = field(default_factory=dict)
    cameo_codes: dict[str, dict[str, Any]] = field(default_factory=dict)

    def scale(self, cameo: str | None) -> tuple[str | None, int | None, float | None]:
        """(root code, QuadClass, Goldstein value) of a CAMEO event code."""
        if not cameo:
            return None, None, None
        root = cameo[:2]
        info = self.cameo_roots.get(root)
        if info is None:
            return root, None, None
        goldstein = self.cameo_codes.get(cameo, {}).get("goldstein", info["goldstein"])
        return root, int(info["quad"]), float(goldstein)


def _yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise DataFileError(path, getattr(getattr(exc, "problem_mark", None), "line", -1) + 1, str(exc)) from exc
    if not isinstance(data, dict):
        raise DataFileError(path, 1, "expected a mapping of named lists")
    return data


def _load_light_verbs(path: Path) -> dict[str, LightVerb]:
    out: dict[str, LightVerb] = {}
    if not path.exists():
        return out
    for raw in read_entries(path):
        line = raw.get(LINE_KEY, 0)
        voice = raw.get("voice", "active")
        if voice not in ("active", "passive", "happening"):
            raise DataFileError(path, line, "voice must be active, passive or happening")
        source = f"triggers/{path.name}:{line}"
        for pair in raw.get("verbs") or []:
            if not (isinstance(pair, list) and len(pair) == 2):
                raise DataFileError(path, line, f"a verb is [past, present]; got {pair!r}")
            futures = {"س" + f for f in present_forms(pair[1])}
            for form in verb_forms(*pair):
                out.setdefault(match_key(form), LightVerb(voice, form in futures, source))
        for form in raw.get("forms") or []:
            out.setdefault(match_key(form), LightVerb(voice, form.startswith(("سي", "ست", "سن")), source))
    return out


def _load_context(path: Path) -> dict[str, frozenset[str]]:
    kinds: dict[str, set[str]] = {"not_event_before": set(), "event_verbs": set(), "not_trigger": set()}
    if path.exists():
        for raw in read_entries(path):
            if raw.get("kind") not in kinds:
                raise DataFileError(path, raw.get(LINE_KEY), f"kind must be one of {', '.join(kinds)}")
            kinds[raw["kind"]] |= {match_key(w) for w in raw.get("words") or []}
    return {k: frozenset(v) for k, v in kinds.items()}


@lru_cache(maxsize=1)
def builtin_event_knowledge() -> EventKnowledge:
    data = Path(str(files("marsad.data")))
    attribution = _yaml(data / "events" / "attribution.yaml")
    clauses = _yaml(data / "events" / "clauses.yaml")
    stances = _yaml(data / "events" / "stances.yaml")
    cameo = _yaml(data / "events" / "cameo.yaml")
    context = _load_context(data / "triggers" / "context.yaml")
    return EventKnowledge(
        light_verbs=_load_light_verbs(data / "triggers" / "light_verbs.yaml"),
        not_event_before=context["not_event_before"],
        event_verbs=context["event_verbs"],
        not_trigger=context["not_trigger"],
        reporting_verbs=frozenset(match_key(w) for w in attribution["reporting_verbs"]),
        stance_verbs=frozenset(match_key(w) for w in attribution.get("stance_verbs", [])),
        attribution_preps=_phrases(attribution["prepositions"]),
        allegation_words={frame: frozenset(match_key(w) for w in words)
                          for frame, words in (attribution.get("allegations") or {}).items()},
        source_nouns=_phrases(attribution["source_nouns"]),
        boundaries=_phrases(clauses["boundaries"]),
        agent_markers=_phrases(clauses["agent_markers"]),
        target_markers=frozenset(match_key(w) for w in clauses["target_markers"]),
        location_markers=frozenset(match_key(w) for w in clauses["location_markers"] if " " not in w),
        background_frames=_phrases(clauses["background_frames"]),
        title_words=frozenset(match_key(w) for w in clauses.get("title_words", []) if " " not in w),
        stance_polarity=dict(stances["polarity"]),
        stance_objects=_phrases(stances["objects"]),
        cameo_roots={str(k): v for k, v in cameo["roots"].items()},
        cameo_codes={str(k): v for k, v in cameo["codes"].items()},
    )
