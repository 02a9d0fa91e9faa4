"""Fields read from the telegram body: TAGS, subject, references, classification lines, summary,
comment, signer, paragraphs, handling captions and office distribution.

Every ``parse_<field>(text)`` works on any fragment of a cable that holds the field, from a few
lines to a whole clean body (``parse_cable`` passes the body without routing header and page
markers). What each returns:

- ``parse_tags`` -> list[str]; ``tag_details`` -> list of {"tag", "kind", "title", "corrected"};
  ``tag_keys`` -> list[str]
- ``parse_subject`` -> str | None; ``parse_subject_marking`` -> str | None ("C", "SBU", "S/NF");
  ``parse_subject_and_marking`` -> both at once
- ``parse_references`` -> list of {"kind", "id", "bullet", "text"}
- ``parse_classified_by`` -> {"name", "title", "reasons"} | None
- ``parse_declassification`` -> {"executive_order", "declassify_on", "declassification"}
- ``parse_summary`` / ``parse_comment`` -> str | None (paragraphs joined by a blank line)
- ``parse_signer`` -> str | None
- ``parse_paragraphs`` -> list of {"number", "classification", "level", "text"}
- ``parse_handling`` -> list[str]; ``parse_office_distribution`` -> list[str]
- ``marking_level`` -> int | None, the level of a paragraph marking ("S/NF" -> 3)

Header fields (TAGS, SUBJECT, REF, captions) are read before paragraph 1 only, so that body
text quoting "subject:" or "ref" is never taken for them.

One module per field: ``tags``, ``subject``, ``references``, ``classified_by``,
``declassification``, ``blocks`` (summary and comment), ``signer``, ``paragraphs`` and
``captions`` (handling and office distribution); ``scan`` holds the text scanning they share.

The patterns are compiled once and keep the parser's linear-time rule (docs/document.md,
"Speed"): no nested or overlapping quantifiers, a literal or rare character leading every
pattern searched over a whole text, and keyword patterns tried only where a substring scan
finds their keyword (``scan.find``, ``scan.match_at_keyword``). Every reader takes the
text, or a ``Body`` (``scan.Body``): ``parse_cable`` makes one per cable and hands it to every
reader, so that what they share (the lower-case Latin-1 copy, ``scan.ascii_lowered``, also read
by participants.py; the header; the caption zone; the signer) is computed once per cable.
"""

from __future__ import annotations

from service.parsing.fields.blocks import parse_comment, parse_summary
from service.parsing.fields.captions import (
    HANDLING_CAPTIONS,
    parse_handling,
    parse_office_distribution,
)
from service.parsing.fields.classified_by import parse_classified_by
from service.parsing.fields.declassification import parse_declassification
from service.parsing.fields.paragraphs import MARKING_LEVELS, marking_level, parse_paragraphs
from service.parsing.fields.references import parse_references
from service.parsing.fields.scan import Body
from service.parsing.fields.signer import parse_signer
from service.parsing.fields.subject import (
    parse_subject,
    parse_subject_and_marking,
    parse_subject_marking,
)
from service.parsing.fields.tags import PERSON_TAG_LEAD, parse_tags, tag_details, tag_keys

__all__ = [
    "Body",
    "HANDLING_CAPTIONS",
    "MARKING_LEVELS",
    "PERSON_TAG_LEAD",
    "marking_level",
    "parse_classified_by",
    "parse_comment",
    "parse_declassification",
    "parse_handling",
    "parse_office_distribution",
    "parse_paragraphs",
    "parse_references",
    "parse_signer",
    "parse_subject",
    "parse_subject_and_marking",
    "parse_subject_marking",
    "parse_summary",
    "parse_tags",
    "tag_details",
    "tag_keys",
]
