"""parse_cable: any input form in, the complete document of docs/document.md out."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Any, Final

from service.parsing import fields, participants
from service.parsing.errors import CableParseError
from service.parsing.formats import Extracted, extract
from service.parsing.glossary import routing_name
from service.parsing.header import (
    MONTHS,
    LineMatch,
    dtg_datetime,
    find_fm_address,
    parse_classification_line,
    parse_routing,
    recipients_after,
    split_header_at_fm_and_line,
)
from service.parsing.labels import (
    classification_from_text,
    classification_label,
    normalize_classification,
    routing_level,
)
from service.parsing.reference_ids import (
    canonicalize_reference_id,
    make_reference_id,
    nearest_station,
    origin_for_sender,
    origin_for_station,
    station_for_sender,
)
from service.parsing.text import (
    decode,
    normalize_newlines,
    normalize_telegram,
    remove_page_markers,
    replacement_warnings,
    tidy_body,
    warning,
)

PARSER_VERSION: Final = "1.3.0"

# How far into the body a repeated opening block (classification line to Classified By) is sought.
OPENING_LIMIT: Final = 6000

# "Thursday, 12 March 2009, 10:15": the date line press copies put above the telegram.
PRESS_DATE_LINE: Final = re.compile(
    r"\A\s*[A-Z][a-z]+day, \d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d[ \t]*\n"
)
# "Cable dated:2002-11-15T12:40:00" glued before the classification line of a few pages.
# The label is found by a plain substring search (see cable_dated), the date matched after it.
CABLE_DATED: Final = re.compile(r":\s*(?P<date>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)")
CABLE_DATED_LABEL: Final = "Cable dated"
# How far into a telegram the "Cable dated:" stamp is looked for.
CABLE_DATED_LIMIT: Final = 20_000
STATION_OF_ID: Final = re.compile(r"^(?:\d{2}|\d{4})([A-Z]+?)\d+(?:_[a-z])?$")
# Words that show a text is a cable at all, when no classification line or FM line is found.
CABLE_SIGNS: Final = re.compile(r"^(?:TAGS?\b|SUBJECT\s*:|E\.? ?O\.? ?\d{5})", re.M)
# The sources' date forms, read by regex (strptime is slow and raises on every miss):
# "2006-04-21 04:16:00", "2006-04-21T04:16:00Z", "12/28/1966 18:48", "1974 May 23, 15:15 (Thursday)"
METADATA_DATES: Final = (
    re.compile(
        r"(?P<year>\d{4})-(?P<month>\d\d)-(?P<day>\d\d)"
        r"(?:[ T](?P<hour>\d\d):(?P<minute>\d\d)(?::(?P<second>\d\d))?Z?)?"
    ),
    re.compile(
        r"(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4})"
        r"(?: (?P<hour>\d{1,2}):(?P<minute>\d\d)(?::(?P<second>\d\d))?)?"
    ),
    re.compile(
        r"(?P<year>\d{4}) (?P<month_name>[A-Za-z]{3}) (?P<day>\d{1,2}),"
        r" (?P<hour>\d\d):(?P<minute>\d\d)(?: \([A-Za-z]+\))?"
    ),
)


def parse_cable(
    data: str | bytes, *, format: str = "auto", metadata: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Parse one cable in any supported form into the document described in docs/document.md."""
    if not isinstance(data, str | bytes):
        raise CableParseError(f"expected str or bytes, got {type(data).__name__}")
    raw_bytes = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    raw, warnings = decode(data)
    if not raw or raw.isspace():  # (strip() would copy the whole text to find out)
        raise CableParseError("empty input: nothing but whitespace")
    warnings += replacement_warnings(raw)
    extracted = extract(normalize_newlines(raw), format, metadata)
    warnings += extracted.warnings
    document = assemble(extracted, warnings)
    document.update(
        raw=raw,
        format=extracted.format,
        sha256=hashlib.sha256(raw_bytes).hexdigest(),
        parser_version=PARSER_VERSION,
        warnings=warnings,
    )
    return document


def assemble(extracted: Extracted, warnings: list[dict[str, str]]) -> dict[str, Any]:
    """Every field of the document, from the extracted header, telegram and metadata."""
    header, body, opening, fm_address_at = telegram_parts(extracted)
    routing = parse_routing(header, fm_address_at=fm_address_at)
    line = parse_classification_line(body, known=opening)
    if line is None and routing["sender"] is None and not cable_signs(extracted, body):
        raise CableParseError("no cable structure: no classification line, FM line or TAGS")
    body = tidy_body(remove_repeated_opening(body, line))
    # One Body for every field reader: what they share is computed once for this cable.
    cable_body = fields.Body(body)
    handling = fields.parse_handling(cable_body)
    meta = extracted.metadata
    dtg = dtg_datetime(routing["dtg_match"])
    recipients = recipients_after(header, routing["fm_match"])
    sender = routing["sender"] or routed_sender(routing["sender_routing"], dtg)

    reference_id, as_written = reference_id_of(meta, line, sender, routing, dtg, warnings)
    classification, level, caveats = classification_of(meta, line, handling, warnings, header)
    subject_text, subject_marking = subject_of(cable_body, meta)
    tags = tags_of(cable_body, meta, warnings)
    tag_details = fields.tag_details(tags)
    station = station_of(reference_id)
    declassification = fields.parse_declassification(cable_body)
    classified_by = fields.parse_classified_by(cable_body)
    signer = fields.parse_signer(cable_body)
    taking_part, mentioned = people_of(cable_body, signer, classified_by, tags, subject_text)
    document: dict[str, Any] = {
        "reference_id": reference_id,
        "reference_id_as_written": as_written,
        "created": created_of(meta, dtg, warnings),
        "released": iso_datetime(parse_metadata_date(meta.get("released"))),
        "classification": classification,
        "classification_level": level,
        "caveats": caveats,
        "origin": origin_of(meta, sender, station, line, warnings),
        "station": station,
        "title": meta.get("title") or subject_text,
        "subject": subject_text,
        "subject_classification": subject_marking,
        "tags": tags,
        "tag_details": tag_details,
        "tag_keys": fields.tag_keys(tags, details=tag_details),
        "precedence": precedence_of(recipients, routing),
        "date_time_group": routing["date_time_group"],
        "transmission_id": routing["transmission_id"],
        "sender": routing["sender"],
        "sender_routing": routing["sender_routing"],
        **recipients,
        "sections": (line["sections"] or 1) if line else None,
        "handling": handling,
        "office_distribution": fields.parse_office_distribution(cable_body),
        "executive_order": declassification.get("executive_order"),
        "declassify_on": declassification.get("declassify_on"),
        "declassification": declassification.get("declassification"),
        "classified_by": classified_by,
        "references": references_of(cable_body, reference_id, meta),
        "summary": fields.parse_summary(cable_body),
        "comment": fields.parse_comment(cable_body),
        "paragraphs": fields.parse_paragraphs(cable_body),
        "signer": signer,
        "participants": taking_part,
        "mentioned": mentioned,
        "body": body,
        "header": header or None,
    }
    if not subject_text:
        warnings.append(warning("no_subject", "no SUBJECT line found"))
    if routing["sender"] is None and routing["date_time_group"] is None:
        warnings.append(warning("no_routing_header", "no FM line or date-time group found"))
    return document


def telegram_parts(extracted: Extracted) -> tuple[str, str, LineMatch | None, int | None]:
    """The routing header, the clean telegram text from the classification line on, that
    line as the split found it (parse_classification_line takes it as `known`, instead of
    searching the text again), and where the header's FM address starts, when known (for
    parse_routing's `fm_address_at`)."""
    fm_address_at = None
    telegram = normalize_telegram(extracted.telegram)
    press_date = PRESS_DATE_LINE.match(telegram)
    if press_date:
        telegram = telegram[press_date.end() :]
    dated = cable_dated(telegram)
    if dated:
        extracted.metadata.setdefault("created", dated.group("date"))
        start = dated.start() - len(CABLE_DATED_LABEL)
        telegram = f"{telegram[:start]}\n{telegram[dated.end() :]}"
    if extracted.header is not None:
        header = normalize_telegram(extracted.header)
        more_header, body, line, _ = split_header_at_fm_and_line(telegram)
        # Some pages repeat the routing header at the top of the body, whole where the first
        # block is cut short: a whole one replaces the first, a partial one extends it.
        if find_fm_address(more_header):
            header = more_header
        elif more_header.strip() and parse_classification_line(body, known=line):
            header = f"{header}\n{more_header}"
        else:
            body, line = telegram, None
    else:
        header, body, line, fm_address_at = split_header_at_fm_and_line(telegram)
    stripped = header.strip("\n")
    if fm_address_at is not None:
        # (positions in the header move back by the line breaks stripped before it)
        fm_address_at -= len(header) - len(header.lstrip("\n"))
    return stripped, remove_page_markers(body), line, fm_address_at


def cable_dated(telegram: str) -> re.Match[str] | None:
    """The first "Cable dated:2002-11-15T12:40:00" stamp (the match starts at its colon)."""
    # A substring search skips ahead to the label and its colon, where the date is matched (a
    # regex led by the colon would stop at every colon of the text).
    stamp = CABLE_DATED_LABEL + ":"
    label = telegram.find(stamp, 0, CABLE_DATED_LIMIT)
    while label >= 0:
        dated = CABLE_DATED.match(telegram, label + len(CABLE_DATED_LABEL), CABLE_DATED_LIMIT)
        if dated:
            return dated
        label = telegram.find(stamp, label + 1, CABLE_DATED_LIMIT)
    return None


def remove_repeated_opening(body: str, line: dict[str, Any] | None) -> str:
    """Drop the opening block (classification line to Classified By, or a preview cut off by
    "...") when the text that follows starts with a copy of it."""
    if line is None:
        return body
    first_line = body[line["start"] : line["end"]].strip()
    start = body.find(first_line, line["end"], OPENING_LIMIT)
    if start < 0:
        return body
    opening = " ".join(body[line["start"] : start].split())
    # A few pages open with a preview of the cable cut off by "...", then the whole text.
    opening = opening.removesuffix("...").rstrip()
    following = " ".join(body[start : 2 * start - line["start"] + 200].split())
    return body[start:] if opening and following.startswith(opening) else body


def cable_signs(extracted: Extracted, body: str) -> bool:
    """Whether a text without header or classification line still looks like a cable."""
    return bool(extracted.metadata.get("reference_id")) or bool(CABLE_SIGNS.search(body[:20_000]))


def routed_sender(indicator: str | None, dtg: datetime | None) -> str | None:
    """The sender named by the DE line's routing indicator, as it was in the cable's year."""
    if not indicator:
        return None
    return routing_name(indicator, year=dtg.year if dtg else None)


def reference_id_of(
    meta: dict[str, Any],
    line: dict[str, Any] | None,
    sender: str | None,
    routing: dict[str, Any],
    dtg: datetime | None,
    warnings: list[dict[str, str]],
) -> tuple[str | None, str | None]:
    """Canonical id from the metadata, else from the DTG year and the classification line's
    station (the sender's where the line's is redacted) and serial, else the sender's station
    (FM line, else DE routing) and the DE line's sequence number."""
    written = meta.get("reference_id")
    if written:
        canonical = canonicalize_reference_id(str(written))
        return canonical, (str(written) if str(written) != canonical else None)
    station = station_for_sender(sender) if sender else None
    if dtg and line and line["station"] and line["serial"]:
        # a station redacted on the banner ("SECTION 01 OF 02 XXXXXXXXXXXX 000004"): the sender's
        if station and not line["station"].replace("X", "").strip():
            return make_reference_id(dtg.year, station, line["serial"]), None
        return make_reference_id(dtg.year, line["station"], line["serial"]), None
    if dtg and station and routing["sequence_number"]:
        return make_reference_id(dtg.year, station, routing["sequence_number"]), None
    warnings.append(warning("no_reference_id", "no reference id in metadata or section line"))
    return None, None


def station_of(reference_id: str | None) -> str | None:
    """The station code inside a reference id ('06ALMATY1457' -> 'ALMATY')."""
    match = STATION_OF_ID.match(reference_id or "")
    return match.group(1) if match else None


def parse_metadata_date(value: Any) -> datetime | None:
    """A metadata date in any source's format ('2006-04-21 04:16:00', '12/28/1966 18:48')."""
    if not value:
        return None
    text = str(value).strip()
    for pattern in METADATA_DATES:
        match = pattern.fullmatch(text)
        if match:
            return date_from_parts(match)
    return None


def date_from_parts(match: re.Match[str]) -> datetime | None:
    """A datetime from a METADATA_DATES match, None when the parts are out of range."""
    parts = match.groupdict()
    month_name = parts.get("month_name")
    month = MONTHS.get(month_name.upper()) if month_name else int(parts["month"])
    try:
        return datetime(
            int(parts["year"]),
            month or 0,
            int(parts["day"]),
            int(parts["hour"] or 0),
            int(parts["minute"] or 0),
            int(parts.get("second") or 0),
        )
    except ValueError:
        return None


def iso_datetime(value: datetime | None) -> str | None:
    """UTC ISO 8601 with a Z, to the second ("2006-04-21T04:16:00Z")."""
    if value is None:
        return None
    # The parser's datetimes are naive (UTC), so isoformat adds no offset.
    return value.isoformat(timespec="seconds") + "Z"


def created_of(
    meta: dict[str, Any], dtg: datetime | None, warnings: list[dict[str, str]]
) -> str | None:
    """Metadata date, with the DTG's minutes when both agree on the date and hour.

    Cablegate pages print the minutes wrong (hour mod 12) but the date and hour right, so the
    DTG repairs them; when the two disagree on the hour the metadata is kept as it is.
    """
    stated = parse_metadata_date(meta.get("created"))
    if stated is None:
        if meta.get("created"):
            warnings.append(warning("bad_metadata_date", f"unreadable date {meta['created']!r}"))
        if dtg is None:
            warnings.append(warning("no_created", "no date in metadata or date-time group"))
        return iso_datetime(dtg)
    if dtg and (dtg.date(), dtg.hour) == (stated.date(), stated.hour):
        return iso_datetime(dtg)
    return iso_datetime(stated)


def classification_of(
    meta: dict[str, Any],
    line: dict[str, Any] | None,
    handling: list[str],
    warnings: list[dict[str, str]],
    routing_header: str = "",
) -> tuple[str | None, int | None, list[str]]:
    """Cablegate label, level and caveats: the metadata's, else the text's banner and captions,
    else the level the routing header's security line gives ("ZNY CCCCC"), with a warning."""
    if meta.get("classification"):
        label, level, caveats = normalize_classification(str(meta["classification"]))
        if label:
            return label, level, caveats
        warnings.append(
            warning("unknown_classification", f"unknown label {meta['classification']!r}")
        )
    if line is None:
        level = routing_level(routing_header)
        if level is None:
            warnings.append(warning("no_classification", "no classification line found"))
            return None, None, []
        warnings.append(
            warning(
                "classification_from_routing",
                "no classification line found; the level is the routing header's (ZNY CCCCC)",
            )
        )
        return classification_label(level, []), level, []
    level, caveats = classification_from_text(line, handling)
    return classification_label(level, caveats), level, caveats


def origin_of(
    meta: dict[str, Any],
    sender: str | None,
    station: str | None,
    line: dict[str, Any] | None,
    warnings: list[dict[str, str]],
) -> str | None:
    """The metadata's origin, else the sender's (FM line, else DE routing), else the station's
    (`station`, that of the reference id, else the classification line's)."""
    if meta.get("origin"):
        return str(meta["origin"])
    origin = origin_for_sender(sender) if sender else None
    station = station or (line["station"] if line else None)
    if origin is None and station:
        origin = origin_for_station(station) or origin_for_station(
            nearest_station(station) or station
        )
    if origin is None:
        warnings.append(warning("no_origin", "no origin in metadata, FM line or station"))
    return origin


def subject_of(body: fields.Body, meta: dict[str, Any]) -> tuple[str | None, str | None]:
    """The subject without its leading '(C)' marking, and that marking; else the source's."""
    subject, marking = fields.parse_subject_and_marking(body)
    if subject:
        return subject, marking
    return (str(meta["subject"]), None) if meta.get("subject") else (None, None)


def tags_of(body: fields.Body, meta: dict[str, Any], warnings: list[dict[str, str]]) -> list[str]:
    """TAGS of the cable text, then those of the source's own TAGS field the text lacks.

    A PlusD TAGS field adds the person TAGS its text line leaves out; Cablegate's tag links
    (split person names, codes of wrapped lines missed) are used only when the text has none.
    """
    tags = fields.parse_tags(body)
    if meta.get("tags_line"):
        listed = fields.parse_tags("TAGS: " + str(meta["tags_line"]))
        tags = list(dict.fromkeys(tags + listed))
    if not tags and meta.get("page_tags"):
        tags = list(dict.fromkeys(str(tag).upper() for tag in meta["page_tags"]))
    if not tags:
        warnings.append(warning("no_tags_line", "no TAGS line found"))
    return tags


def precedence_of(recipients: dict[str, list[dict[str, Any]]], routing: dict[str, Any]) -> Any:
    """The TO line's precedence, else the header's precedence letter."""
    for recipient in recipients["to"]:
        if recipient["precedence"]:
            return recipient["precedence"]
    return routing["header_precedence"]


def references_of(body: fields.Body, reference_id: str | None, meta: dict[str, Any]) -> list[Any]:
    """REF entries of the text, plus cable ids the source metadata lists that the text lacks."""
    references: list[dict[str, Any]] = fields.parse_references(body, reference_id=reference_id)
    listed = meta.get("references")
    if isinstance(listed, str):
        listed = listed.split("|")
    if not isinstance(listed, list | tuple):
        listed = []
    known = {reference["id"] for reference in references if reference.get("id")}
    for cable_id in listed:
        if not isinstance(cable_id, str) or not cable_id.strip():
            continue
        canonical = canonicalize_reference_id(cable_id)
        if canonical not in known:
            known.add(canonical)
            references.append({"kind": "cable", "id": canonical, "bullet": None, "text": None})
    return references


def people_of(
    body: fields.Body,
    signer: str | None,
    classified_by: dict[str, Any] | None,
    tags: list[str],
    subject: str | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The cable's participants (lists, the narrative, the signer, the classifying official and
    person TAGS, each person once) and everyone else it names (`mentioned`)."""
    named = participants.participants_from_fields(signer, classified_by, tags)
    return participants.people(body, named, subject)
