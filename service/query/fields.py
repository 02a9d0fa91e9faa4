"""Which cable fields a response may show, and the default sets."""

from __future__ import annotations

from service.query.errors import ParameterError

# Every key of the parsed document (docs/document.md) plus the store's ingestion keys.
DOCUMENT_FIELDS = (
    "reference_id", "reference_id_as_written", "created", "released", "classification",
    "classification_level", "caveats", "origin", "station", "title", "subject",
    "subject_classification", "tags", "tag_details", "tag_keys", "precedence",
    "date_time_group", "transmission_id", "sender", "sender_routing", "to", "info", "excluded",
    "sections", "handling", "office_distribution", "executive_order", "declassify_on",
    "declassification", "classified_by", "references", "summary", "comment", "paragraphs",
    "signer", "participants", "mentioned", "body", "header", "format", "sha256",
    "parser_version", "warnings", "ingested_at", "source",
)  # fmt: skip
# The listing leaves out the text (body, header and the paragraphs that repeat the body); the
# raw text is served only by GET /cables/<id>/raw.
TEXT_FIELDS = frozenset({"body", "header", "paragraphs"})
LISTING_FIELDS = tuple(field for field in DOCUMENT_FIELDS if field not in TEXT_FIELDS)
SUMMARY_FIELDS = ("reference_id", "created", "classification", "origin", "subject")


def choose_fields(requested: list[str] | None, default: tuple[str, ...]) -> list[str]:
    """The requested fields (validated: ParameterError naming `fields`) or the default set."""
    if not requested:
        return list(default)
    unknown = [name for name in requested if name not in DOCUMENT_FIELDS]
    if unknown:
        raise ParameterError("fields", "unknown field(s) " + ", ".join(unknown[:10]))
    return list(dict.fromkeys(requested))
