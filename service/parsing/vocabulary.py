"""The parser's vocabulary, for the layers around it: the one place the query layer takes
classification levels, paragraph markings, handling captions, the sources and ways of taking
part, and the folding of names from, so that a value the parser writes is a value a query
accepts (the paragraph marking `CNF` is level 2 in both).

Each table is defined once, beside the parser code that reads it; this module only names them.
"""

from __future__ import annotations

from typing import Final

from service.parsing.fields import HANDLING_CAPTIONS, MARKING_LEVELS, marking_level
from service.parsing.header import LEVEL_NAMES
from service.parsing.names import fold, proper_case
from service.parsing.person import (
    HOW_ORDER,
    SOURCE_CLASSIFIED_BY,
    SOURCE_LIST,
    SOURCE_SIGNER,
    SOURCE_TAG,
    SOURCE_TEXT,
)

# Where a participant may come from, in the order docs/document.md lists them.
PARTICIPANT_SOURCES: Final = (
    SOURCE_LIST,
    SOURCE_TEXT,
    SOURCE_SIGNER,
    SOURCE_CLASSIFIED_BY,
    SOURCE_TAG,
)
# Level names ("CONFIDENTIAL") -> level (2).
LEVELS_BY_NAME: Final = {name: level for level, name in enumerate(LEVEL_NAMES)}

__all__ = [
    "HANDLING_CAPTIONS",
    "HOW_ORDER",
    "LEVELS_BY_NAME",
    "LEVEL_NAMES",
    "MARKING_LEVELS",
    "PARTICIPANT_SOURCES",
    "fold",
    "marking_level",
    "proper_case",
]
