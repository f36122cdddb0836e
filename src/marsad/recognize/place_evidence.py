"""Place evidence: what in the text says that a gazetteer name is used as a place here.

Many place names are also everyday words: «فإن» (for, then) is spelled as Van, «عنه» (about him) as Anah,
«صور» (pictures) as Tyre, «الصعيد» (level, as in «على الصعيد العسكري») as Upper Egypt. How often a name is a
word was measured over the 30,000 articles of the shared corpus (scripts/build_place_evidence.py): each
occurrence of a gazetteer name counts as *in a place context* when

- a place cue word comes before it («في», «من», «إلى», «قرب», «مدينة», «محافظة», «ريف», «شمال» …:
  data/places/cues.txt; not a glued «ب», which is as often the word's preposition: «بصور», with pictures);
- another place name is beside it, on its own or after «و» or a comma («حلب وإدلب», «دمشق، حمص»);
- it opens the article's dateline («طهران - …», «صنعاء (رويترز)»).

Names that occur often and almost never so are listed in data/places/evidence.tsv; such a name is a place
only with evidence of this kind, or after an earlier mention of the same name in the article that had it. A city
named mostly in sport news («ميلان», «برشلونة») is, in an article the relevance model finds unpolitical, a club
unless the text says «مدينة»: «انتقل إلى ميلان» is a transfer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from marsad.errors import DataFileError
from marsad.recognize.matcher import Match
from marsad.text.tokens import Token, clitic_readings

EVIDENCE_FILE = "evidence.tsv"
CLUB_SHARE = 0.5
_JOINERS = frozenset({"،", ",", "و"})
_DATELINE_ENDS = frozenset({"-", "–", "—", ":", "(", "،", ","})


@dataclass(frozen=True, slots=True)
class WordLikeName:
    """A gazetteer name that the corpus shows is mostly a word: ``in_context`` of ``seen`` occurrences were places."""

    key: str
    seen: int
    in_context: int
    in_sport: int = 0  # mentions in sport news: a city named mostly there is mostly a club («ميلان»)

    @property
    def club(self) -> bool:
        return self.in_sport >= CLUB_SHARE * self.seen


def place_context(tokens: Sequence[Token], matches: Sequence[Match], n: int, cues: frozenset[str],
                  weak: frozenset[str] = frozenset()) -> str | None:
    """Why ``matches[n]`` (matches in token order) reads as a place here, or None when nothing says so. The cues
    in ``weak`` (prepositions: «في», «من», «حول») do not count: the caller passes them when the place's country
    is not the article's («في صور أطفال» in a Yemen article is "in pictures of children")."""
    m = matches[n]
    if _dated(tokens, m):
        return None  # «في آب 2018», «15 آب»: a month, not Ibb
    cue = cue_before(tokens, m.start, cues, weak)
    if cue is not None:
        return cue
    beside = _beside(tokens, matches, n)
    if beside is not None:
        return f"beside the place «{beside}»"
    if m.start == 0 and m.end < len(tokens) and tokens[m.end].text in _DATELINE_ENDS:
        return "opens the dateline"
    return None


def cue_before(tokens: Sequence[Token], i: int, cues: frozenset[str], weak: frozenset[str] = frozenset()) -> str | None:
    """A place cue word right before token ``i`` («في», «مدينة»; not one in ``weak``), said as evidence. A glued
    «ب» is none here: for a name that is also a word it is the word's preposition as often («بصور»: with
    pictures)."""
    if i > 0 and tokens[i - 1].kind == "word":
        cue = next((r.stem for r in clitic_readings(tokens[i - 1].key) if r.stem in cues and r.stem not in weak),
                   None)
        if cue is not None:
            return f"after «{cue}»"
    return None


def club_word_beside(tokens: Sequence[Token], start: int, end: int, is_club_word: Callable[[str], bool]
                     ) -> str | None:
    """A word right before or after tokens ``[start, end)`` that makes a city's name a club's: «ريال مدريد»,
    «نادي برشلونة», «مهاجم نيس», «مانشستر يونايتد», «ليون الفرنسي» (a city agrees in the feminine: «مدينة ليون
    الفرنسية»; the masculine is the club). ``is_club_word(key)``: a reading of the word is in
    data/places/club_words.txt."""
    for k in (start - 1, end):
        if 0 <= k < len(tokens) and tokens[k].kind == "word" and is_club_word(tokens[k].key):
            return tokens[k].text
    return None


def _dated(tokens: Sequence[Token], m: Match) -> bool:
    """A number right before or after the name (a day, a year), or the name paired with another month by a slash
    («آب/أغسطس»): the name is a month («آب», «أيار»)."""
    return ((m.start > 0 and tokens[m.start - 1].kind == "number")
            or (m.end < len(tokens) and (tokens[m.end].kind == "number" or tokens[m.end].text == "/")))


def _beside(tokens: Sequence[Token], matches: Sequence[Match], n: int) -> str | None:
    """The text of a place name right before ``matches[n]`` joined by «و», or right after it joined by «و» or a
    comma («صور وصيدا», «صور، صيدا»; not «بلغاريا، فإن …», where a clause starts after the comma)."""
    m = matches[n]
    if n > 0:
        p = matches[n - 1]
        gap = m.start - p.end
        if (gap == 0 and m.prefix.startswith("و")) or (gap == 1 and tokens[p.end].text == "و"):
            return " ".join(p.key)
    if n + 1 < len(matches):
        q = matches[n + 1]
        gap = q.start - m.end
        if (gap == 0 and q.prefix.startswith("و")) or (gap == 1 and tokens[m.end].text in _JOINERS):
            return " ".join(q.key)
    return None


def builtin_evidence_path() -> Path:
    return Path(str(files("marsad.data") / "places" / EVIDENCE_FILE))


def builtin_word_like() -> dict[str, WordLikeName]:
    path = builtin_evidence_path()
    return load_word_like(path) if path.is_file() else {}


def load_word_like(path: str | Path) -> dict[str, WordLikeName]:
    """The names that need place evidence, keyed by their phrase key joined with spaces."""
    path = Path(path)
    out: dict[str, WordLikeName] = {}
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.startswith("name\t"):
            continue
        parts = line.split("\t")
        try:
            key, seen, in_context = parts[0], int(parts[1]), int(parts[2])
            in_sport = int(parts[3]) if len(parts) > 3 else 0
        except (IndexError, ValueError) as exc:
            raise DataFileError(path, lineno, f"expected name, seen, in_context separated by tabs ({exc})") from exc
        out[key] = WordLikeName(key, seen, in_context, in_sport)
    return out
