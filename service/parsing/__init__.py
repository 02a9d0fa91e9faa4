"""The cable parser: a pure package (the standard library only).

`parse_cable` turns any supported input form into the document of docs/document.md; the
`parse_<field>` functions read one field from any fragment of a cable that holds it.
"""

from __future__ import annotations

from service.parsing.cable import PARSER_VERSION, parse_cable
from service.parsing.errors import CableParseError
from service.parsing.fields import (
    parse_classified_by,
    parse_declassification,
    parse_references,
    parse_signer,
    parse_subject,
    parse_summary,
    parse_tags,
)
from service.parsing.header import parse_recipients
from service.parsing.participants import parse_participants
from service.parsing.reference_ids import canonicalize_reference_id

__all__ = [
    "PARSER_VERSION",
    "CableParseError",
    "canonicalize_reference_id",
    "parse_cable",
    "parse_classified_by",
    "parse_declassification",
    "parse_participants",
    "parse_recipients",
    "parse_references",
    "parse_signer",
    "parse_subject",
    "parse_summary",
    "parse_tags",
]
