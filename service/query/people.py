"""The conditions that find people: `participant`, `person`, `classified_by` and autocompletion.

A participant (`participants`) took part in what the cable reports; a mentioned person
(`mentioned`) is only named in it. Both lists hold `{name, search_key, search_words, ...}`
with the same case- and accent-folded `search_words`, which every engine indexes, so
`participant=` is one index look-up and `person=` the union of two.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from service.parsing.vocabulary import PARTICIPANT_SOURCES as PARTICIPANT_SOURCES
from service.parsing.vocabulary import fold as fold
from service.query.conditions import Condition, Person, WordPrefix, all_of, any_of

if TYPE_CHECKING:
    from service.query.clauses import Context

_WORD = re.compile(r"\w+")
# The people lists of a document: who took part, and who is only named.
PARTICIPANTS, MENTIONED = "participants", "mentioned"
PEOPLE_LISTS = (PARTICIPANTS, MENTIONED)


def words_match(list_name: str, words: list[str], sources: list[str] | None = None) -> Condition:
    """One person of the list whose search words hold all `words` (and comes from `sources`)."""
    return Person(list_name, tuple(words), tuple(sources or ()))


def person_match(words: list[str]) -> Condition:
    """One participant or mentioned person whose search words hold all `words`."""
    return any_of(*(words_match(list_name, words) for list_name in PEOPLE_LISTS))


def build_participants(values: list[Any], context: Context) -> Condition:
    """Each participant parameter names one person who took part in the cable."""
    sources = context.values.get("participant_source")
    return all_of(*(words_match(PARTICIPANTS, words, sources) for words in values))


def build_persons(values: list[Any], _: Context) -> Condition:
    """Each person parameter names one person the cable involves or mentions."""
    return all_of(*(person_match(words) for words in values))


def build_classified_by(values: list[Any], _: Context) -> Condition:
    """The classifying official's name holds all the words."""
    return words_match(PARTICIPANTS, values[0], ["classified_by"])


def prefixes_clause(prefixes: list[str], lists: tuple[str, ...] = PEOPLE_LISTS) -> Condition:
    """Cables naming, in `lists`, words starting with each (folded) prefix: autocompletion."""
    return all_of(*(WordPrefix(lists, prefix) for prefix in prefixes))


@dataclass(frozen=True)
class NameCount:
    """A name for autocompletion: in how many cables it is named (in either list, once per
    cable) and in how many it took part (is among `participants`)."""

    name: str
    named: int
    took_part: int

    def entry(self) -> dict[str, Any]:
        """As GET /participants shows it: `count` is the cables it took part in (the key's
        meaning since before `mentioned` existed), `mentioned_count` those only naming it."""
        return {
            "name": self.name,
            "count": self.took_part,
            "mentioned_count": self.named - self.took_part,
        }


def name_order(name: NameCount) -> tuple[int, int, str]:
    """The order names are shown and cut in, on every engine: the most often named first, then
    those taking part most often, then by name (code point order, as MongoDB compares
    strings)."""
    return (-name.named, -name.took_part, name.name)


def matching_names(
    took_part: Counter[Any], named: Counter[Any], prefixes: list[str]
) -> list[NameCount]:
    """The names whose folded words start with every prefix, in `name_order`, from the
    `participants` (took part) and `persons` (named) facet counts: how an engine that has
    every name of the matching cables at hand answers `count_names`."""
    found = [
        NameCount(name, total, took_part[name])
        for name, total in named.items()
        if isinstance(name, str) and starts_all(name_words(name), prefixes)
    ]
    return sorted(found, key=name_order)


def name_words(name: str) -> list[str]:
    """A name's folded words, as the parser writes them in `search_words`."""
    return _WORD.findall(fold(name))


def starts_all(words: list[str], prefixes: list[str]) -> bool:
    """Every prefix begins some word of the name."""
    return all(any(word.startswith(prefix) for word in words) for prefix in prefixes)
