"""One person of a cable as the document holds it, and one person once.

`make_participant` builds the participant dict of docs/document.md (name proper-cased, its
folded search key and words, how the person took part); `merge_participants` keeps one dict a
person where several sources name them ("Ordway" in a list, the signer and Classified By).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from service.parsing import names

SOURCE_LIST: Final = "participants"

SOURCE_SIGNER: Final = "signer"

SOURCE_CLASSIFIED_BY: Final = "classified_by"

SOURCE_TAG: Final = "tag"

SOURCE_TEXT: Final = "text"

# How a participant took part (docs/document.md), strongest first: a person found in several
# places keeps the strongest. A list or person TAG alone says "listed"; the signer and the
# Classified By official alone "wrote".
HOW_MET: Final = "met"

HOW_SPOKE: Final = "spoke"

HOW_BRIEFED: Final = "briefed"

HOW_ATTENDED: Final = "attended"

HOW_LISTED: Final = "listed"

HOW_WROTE: Final = "wrote"

HOW_ORDER: Final = (HOW_MET, HOW_SPOKE, HOW_BRIEFED, HOW_ATTENDED, HOW_LISTED, HOW_WROTE)

HOW_RANK: Final = {how: rank for rank, how in enumerate(HOW_ORDER)}

_HOW_OF_SOURCE: Final = {
    SOURCE_LIST: HOW_LISTED,
    SOURCE_TAG: HOW_LISTED,
    SOURCE_SIGNER: HOW_WROTE,
    SOURCE_CLASSIFIED_BY: HOW_WROTE,
}


def make_participant(
    name: str,
    *,
    role: str | None = None,
    affiliation: str | None = None,
    note: str | None = None,
    source: str,
    how: str | None = None,
) -> dict[str, Any]:
    """One participant dict: name proper-cased, with its search key and words; `how` defaults to
    what its source says (a list: listed, the signer: wrote)."""
    display = names.proper_case(" ".join(name.split()))
    key = names.fold(display)
    return {
        "name": display,
        "search_key": key,
        "search_words": key.split(),
        "role": names.display_role(" ".join(role.split())) if role else None,
        "affiliation": affiliation or None,
        "note": note or None,
        "sources": [source],
        "how": how or _HOW_OF_SOURCE.get(source, HOW_LISTED),
    }


def name_words(participant: dict[str, Any]) -> list[str]:
    """Folded words of a name for matching: hyphenated names whole, no "Jr."/"III"."""
    name: str = participant["name"]
    if name.isascii() and name.replace(" ", "").isalpha():
        # Words of ASCII letters alone ("Geoff Pyatt", the usual name) fold to lower case.
        words: Iterable[str] = name.lower().split()
    else:
        words = (names.fold(_without_particle(word)).replace(" ", "") for word in name.split())
    return [word for word in words if word and word not in names.NAME_SUFFIXES]


def _without_particle(word: str) -> str:
    """A hyphenated word without a leading particle: "al-Asad" and "Asad" are one surname."""
    head, _, rest = word.partition("-")
    return rest if rest and head.lower() in names.NAME_PARTICLES else word


def same_person(left_words: list[str], right_words: list[str]) -> bool:
    """Same last name, and first names that agree (or an initial) where both are given (the
    _name_words of two participants)."""
    if not left_words or not right_words or left_words[-1] != right_words[-1]:
        return False
    # "Carol van Voorst" and "Van Voorst": particles belong to the last name.
    left_first = [word for word in left_words[:-1] if word not in names.NAME_PARTICLES]
    right_first = [word for word in right_words[:-1] if word not in names.NAME_PARTICLES]
    if not left_first or not right_first:
        return True
    one, other = left_first[0], right_first[0]
    return one == other or (min(len(one), len(other)) == 1 and one[0] == other[0])


def _absorb(into: dict[str, Any], other: dict[str, Any]) -> bool:
    """Merge other into into: the fuller name, first role/affiliation/note, all sources; whether
    into took other's name."""
    fuller = len(other["search_words"]) > len(into["search_words"])
    if fuller:
        for key in ("name", "search_key", "search_words"):
            into[key] = other[key]
    for key in ("role", "affiliation", "note"):
        if into.get(key) is None and other.get(key) is not None:
            into[key] = other[key]
    join_taking_part(into, other)
    return fuller


def join_taking_part(into: dict[str, Any], other: dict[str, Any]) -> None:
    """Give into the stronger of the two `how`s and every source of other."""
    if HOW_RANK[other["how"]] < HOW_RANK[into["how"]]:
        into["how"] = other["how"]
    for source in other["sources"]:
        if source not in into["sources"]:
            into["sources"].append(source)


def merge_participants(*groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One list where the same person found in several groups appears once."""
    merged: list[dict[str, Any]] = []
    # The merged participants with their _name_words (worked out once each, and again only
    # when a fuller name is taken), by last name: only same last names can match.
    by_last_name: dict[str, list[tuple[list[str], dict[str, Any]]]] = {}
    for group in groups:
        for participant in group:
            words = name_words(participant)
            candidates = by_last_name.setdefault(words[-1] if words else "", [])
            for index, (known, twin) in enumerate(candidates):
                if same_person(known, words):
                    if _absorb(twin, participant):
                        candidates[index] = (name_words(twin), twin)
                    break
            else:
                copy = {**participant, "sources": list(participant["sources"])}
                merged.append(copy)
                candidates.append((words, copy))
    return merged
