"""Surface forms of trigger words, generated from a few stems.

The lexicon lists a verb as its past and present third-person masculine
singular («قصف», «يقصف») and a noun as written («غارة»); the forms news
actually uses — conjugations, the accusative «هجوما», pronoun suffixes
«قصفها», «غارته» — are generated here. Proclitics (و ف ب ل ك) and the article
are handled by the matcher, not here. Irregular (hollow, defective) verbs are
listed with their forms in the lexicon instead.
"""

from __future__ import annotations

from collections.abc import Iterator

_OBJECT_SUFFIXES = ("ه", "ها", "هم", "هما", "هن")
# Third person only (and ت for "she/you"): first-person forms are rare in news and collide with nouns
# («أسلحة» would read as «أسلح» + «ه», "I arm him").
_PRESENT_PREFIXES = ("ي", "ت")


def past_forms(past: str) -> Iterator[str]:
    """قصف → قصف قصفت قصفوا قصفا قصفتا قصفن (third person: what news reports)."""
    for suffix in ("", "ت", "وا", "ا", "تا", "ن"):
        yield past + suffix


def present_forms(present: str) -> Iterator[str]:
    """يقصف → يقصف تقصف يقصفون تقصفون يقصفان تقصفان يقصفن يقصفوا تقصفوا يقصفا تقصفا."""
    if not present.startswith("ي"):
        raise ValueError(f"a present stem starts with ي (third person masculine): {present!r}")
    stem = present[1:]
    for prefix in _PRESENT_PREFIXES:
        yield prefix + stem
    for prefix in ("ي", "ت"):
        for suffix in ("ون", "ان", "وا", "ا"):
            yield prefix + stem + suffix
    yield "ي" + stem + "ن"


def with_object_suffixes(form: str) -> Iterator[str]:
    """قصفوا → قصفوه قصفوها …; يقصف → يقصفه يقصفها …"""
    base = form[:-1] if form.endswith("وا") else form
    for suffix in _OBJECT_SUFFIXES:
        yield base + suffix


def verb_forms(past: str, present: str) -> list[str]:
    """Every generated form of a regular verb, the future «سـ» forms included (the coder reads them as expected)."""
    forms: list[str] = []
    for form in [*past_forms(past), *present_forms(present)]:
        forms.append(form)
        forms.extend(with_object_suffixes(form))
    forms.extend("س" + f for f in present_forms(present))
    return list(dict.fromkeys(forms))


def noun_forms(noun: str) -> list[str]:
    """هجوم → هجوم هجوما هجومه هجومها هجومهم; غارة → غارة غارته غارتها …; multi-word nouns as they are."""
    if " " in noun:
        return [noun]
    forms = [noun]
    stem = noun[:-1] + "ت" if noun.endswith("ة") else noun
    if not noun.endswith(("ة", "ى", "ا", "اء", "ات")):
        forms.append(noun + "ا")  # accusative indefinite: «شن هجوما»
    forms.extend(stem + s for s in ("ه", "ها", "هم", "هما"))
    return forms
