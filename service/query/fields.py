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


# `fields=*`: every key above (the text included). The raw input (`raw`) is a field of NDJSON
# exports only; one cable's raw upload is GET /cables/<id>/raw.
ALL_FIELDS = "*"
RAW_FIELD = "raw"
# Every field selection keeps the key a cable is known by: items without it are of no use.
KEY_FIELD = "reference_id"


def choose_fields(
    requested: list[str] | None, default: tuple[str, ...], *, raw_allowed: bool = False
) -> list[str]:
    """The requested fields (validated, 400 naming `fields`), `reference_id` first, or the
    default set; `*` stands for every document key."""
    if not requested:
        return list(default)
    names: list[str] = []
    for name in requested:
        names.extend(DOCUMENT_FIELDS if name == ALL_FIELDS else [name])
    if RAW_FIELD in names and not raw_allowed:
        message = "raw is exported only as NDJSON (format=ndjson); see GET /cables/{id}/raw"
        raise ParameterError("fields", message)
    unknown = [name for name in names if name not in DOCUMENT_FIELDS and name != RAW_FIELD]
    if unknown:
        raise ParameterError("fields", "unknown field(s) " + ", ".join(unknown[:10]))
    return list(dict.fromkeys([KEY_FIELD, *names]))
