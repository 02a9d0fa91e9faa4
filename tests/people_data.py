"""Mentioned people for stored test documents: the parser does not fill `mentioned` yet, so
the query tests give documents some, folded as the parser folds participants' names."""

from __future__ import annotations

import copy
import re
from typing import Any

from service.query.people import fold

PEOPLE_KEYS = ("name", "search_key", "search_words", "role", "affiliation")


def mentioned(name: str, role: str | None = None, affiliation: str | None = None) -> dict[str, Any]:
    """One entry of `mentioned`, as docs/document.md describes it."""
    key = " ".join(re.findall(r"\w+", fold(name)))
    return {
        "name": name,
        "search_key": key,
        "search_words": key.split(),
        "role": role,
        "affiliation": affiliation,
    }


def with_mentioned(documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Copies of the documents, each mentioning the participants of the next one (so that a
    name is a participant in some cables and only mentioned in others), every third one also
    Nursultan Nazarbayev (a participant of none)."""
    copies = copy.deepcopy(documents)
    for index, document in enumerate(copies):
        following = documents[(index + 1) % len(documents)]
        people = [
            {key: person.get(key) for key in PEOPLE_KEYS}
            for person in following.get("participants") or []
        ]
        if index % 3 == 0:
            people.append(mentioned("Nursultan Nazarbayev", "President", "Kazakhstan"))
        document["mentioned"] = people
    return copies
