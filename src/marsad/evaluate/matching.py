"""The matching conventions of the gold format (docs/annotating.md): when a system mention counts as a gold one.

These follow ``../shared/eval/score.py`` exactly, so that ``marsad eval`` and
the project's scorer agree to the last decimal (a test checks it): names are
compared after removing diacritics, unifying hamza/alef/ya/ta-marbuta forms
and punctuation, and stripping one proclitic group from each word.
"""

from __future__ import annotations

import re

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ALEFS = re.compile("[أإآٱ]")
_PUNCT = re.compile(r"[^\w\s]")
_PREFIXES = ("وبال", "وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")


def norm(text: str) -> str:
    text = _ALEFS.sub("ا", _DIACRITICS.sub("", text))
    text = text.replace("ى", "ي").replace("ة", "ه").replace("ؤ", "و").replace("ئ", "ي")
    return " ".join(_PUNCT.sub(" ", text).split())


def _strip_prefix(token: str) -> str:
    for p in _PREFIXES:
        if token.startswith(p) and len(token) - len(p) >= 2:
            return token[len(p):]
    return token


def key_tokens(text: str) -> list[str]:
    return [_strip_prefix(t) for t in norm(text).split()]


def surface_match(system_text: str, surfaces: list[str]) -> bool:
    """The same name, allowing attached clitics, or one a whole-token part of the other covering at least
    half of its tokens («السراج» ~ «فائز السراج»; «السعودية» is not «وكالة الأنباء السعودية»)."""
    s = key_tokens(system_text)
    if not s:
        return False
    for surface in surfaces:
        g = key_tokens(surface)
        if not g:
            continue
        if s == g:
            return True
        short, long_ = (s, g) if len(s) <= len(g) else (g, s)
        if 2 * len(short) >= len(long_) and _contains(long_, short):
            return True
    return False


def _contains(big: list[str], small: list[str]) -> bool:
    n = len(small)
    return any(big[i:i + n] == small for i in range(len(big) - n + 1))


def span_text(item: dict | None, text: str) -> str:
    if not item:
        return ""
    if isinstance(item.get("start"), int) and isinstance(item.get("end"), int):
        return text[item["start"]:item["end"]]
    return item.get("text") or ""
