"""What a word or a name is, for the narrative reader (narrative_reader.py): whether a word
may be part of a name or a surname on its own, a name's surname, whether two names are one
person's, and which of two ways of taking part is the stronger."""

from __future__ import annotations

import functools
from typing import Final

from service.parsing import names
from service.parsing.person import HOW_RANK

# Prefixes of surnames written with a second capital ("McCain", "DeMint", "ElBaradei").
NAME_PREFIXES: Final = ("Mc", "Mac", "De", "Di", "Le", "La", "Du", "Da", "El", "Al", "Van", "Von")


def may_name_word(word: str) -> bool:
    """Whether a word of a run of capitalised words may be part of a name (Reader._may_name,
    which keeps the answer for the words of one cable: they recur)."""
    if word.isupper():
        return False  # an acronym ("GOP", "A/S")
    lower = word.rstrip(".,").lower().removesuffix("'s").removesuffix("’s")
    if lower in names.text_titles() or lower in names.place_words() or lower in names.peoples():
        return False
    return lower not in names.common_words() or lower in names.proper_words()


def name_parts(word: str) -> bool:
    """Whether the parts of a hyphenated word can make a name ("Jean-David", "AL-MALIKI"), not
    a phrase ("Tete-A-Tete", "London-based")."""
    parts = word.split("-")
    lowered = [part.lower() for part in parts]
    places = names.place_words()
    return (
        all(
            (len(part) > 1 and part[0].isupper()) or lower in names.NAME_PARTICLES
            for part, lower in zip(parts, lowered, strict=True)
        )
        and not all(lower in names.common_words() for lower in lowered)
        and not any(lower in places for lower in lowered)  # "Europe-North Africa", "US-UAE"
    )


@functools.lru_cache(maxsize=8192)
def may_be_surname(word: str) -> bool:
    """Whether a lone word can be a surname: no mixed-case acronym ("GoSL", "MbR"), no plural
    of a people or proper noun ("Iranians", "Tamils", "Spaniards", "Swedes")."""
    if sum(1 for char in word if char.isupper()) > 1 and not word.isupper():
        return word.startswith(NAME_PREFIXES) and len(word) > 4
    if not word.endswith("s"):
        return True
    if word.endswith(("ans", "ese")) or word[-2:] == "is":
        return False
    lower = word.lower()
    return lower[:-1] not in names.proper_words() and lower[:-1] not in names.peoples()


def surname(words: list[str]) -> str:
    """The surname of a name's words, lower-cased: its last word that is no suffix ("Fleury"
    of "Luiz Antonio Fleury Filho", "Simons" of "Thomas W. Simons Jr.")."""
    last = words[-1].lower()
    if len(words) == 1 or last.rstrip(".,") not in names.NAME_SUFFIXES:
        return last
    for word in reversed(words[1:]):
        lower = word.lower().rstrip(".,")
        if lower not in names.NAME_SUFFIXES:
            return lower
    return words[0].lower()


def agree(known: list[str], other: list[str]) -> bool:
    """Same surname, and first names that agree where both are given ("El Mullah" and "Van
    Voorst" give none: a particle opens the surname)."""
    if len(known) == 1 or len(other) == 1:
        return True
    if known[0].lower() in names.NAME_PARTICLES or other[0].lower() in names.NAME_PARTICLES:
        return True
    one, two = known[0].lower(), other[0].lower()
    return one == two or (min(len(one.rstrip(".")), len(two.rstrip("."))) == 1 and one[0] == two[0])


def stronger(one: str | None, other: str | None) -> str | None:
    if one is None:
        return other
    if other is None:
        return one
    return one if HOW_RANK[one] <= HOW_RANK[other] else other
