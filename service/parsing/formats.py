"""Input forms: detect which one a text is, and extract its telegram text and source metadata.

Every extractor returns an `Extracted`: the routing header (when the form keeps it apart), the
telegram text from the classification line on (or the whole telegram when it is not split),
and the metadata the source states beside the text, which wins over what the text says.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from service.parsing.errors import CableParseError

FORMATS: Final = (
    "plusd-text",
    "cablegate-html",
    "plusd-html",
    "telegram",
    "csv-row",
    "cablesearch-json",
)


@dataclass
class Extracted:
    """What one input form yields before the telegram itself is parsed."""

    format: str
    telegram: str
    header: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: list[dict[str, str]] = field(default_factory=list)


# --- detection -------------------------------------------------------------------------------

CABLEGATE_TABLE: Final = "<table class='cable'>"
# How far into a page its Cablegate table or PlusD fields are looked for (sidebars come first).
DETECTION_REACH: Final = 200_000
PLUSD_FIELD: Final = 'class="s_key"'
PLUSD_TEXT_START: Final = re.compile(r"\A\s*Identifier\s*\n\s*Created\b")
JSON_START: Final = re.compile(r"\A\s*(?:[A-Za-z_$][\w$]*\s*\()?\s*\{")
HTML_START: Final = re.compile(
    r"\A\s*(?:<!DOCTYPE|<html|<\?xml|<head|<body|<div|<table|<pre)", re.I
)
CSV_ROW_START: Final = re.compile(r'\A\s*"?\d+"?,"?\d{1,4}[-/]\d{1,2}[-/]\d{1,4}')


def detect_format(text: str, metadata: dict[str, Any] | None = None) -> str:
    """Name the input form of `text` (one of FORMATS)."""
    head = text[:2048]
    # rfind: the table comes after the sidebars, nearer the end of the page than its start
    if text.rfind(CABLEGATE_TABLE, 0, DETECTION_REACH) >= 0 or "cablegate.wikileaks" in head:
        return "cablegate-html"
    if text.find(PLUSD_FIELD, 0, DETECTION_REACH) >= 0:
        return "plusd-html"
    if JSON_START.match(head) and '"items"' in text[:5000]:
        return "cablesearch-json"
    if PLUSD_TEXT_START.match(head) or "\nCable title:" in head:
        return "plusd-text"
    if metadata or CSV_ROW_START.match(head):
        return "csv-row"
    if HTML_START.match(head) and "<pre" in text:
        return "cablegate-html"
    return "telegram"


# --- Cablegate HTML pages --------------------------------------------------------------------

# A tag (a comment "<!-- x -->" too): "<" to the next ">", never across another "<", so that a
# run of unclosed "<" is scanned once (a lazy ".*?" would rescan the rest of the text per "<").
HTML_TAG: Final = re.compile(r"<[^<>]*>")
CABLE_TABLE_END: Final = "</table>"
# Led by "/tag/" (the lookbehind checks the "href=" before it) so that the regex engine scans
# for the rare "/" rather than trying every "h" of the text.
PAGE_TAG_LINK: Final = re.compile(r"/tag/(?<=href=['\"]/tag/)([^'\"_]+)_\d+\.html")
# Rows of the cables.csv dump that leaked into a few early pages:
# "2007-09-11 09:44:00<TAB>07BERN881<TAB>Embassy Bern<TAB>SECRET<TAB>07STATE124823<TAB>VZCZC..."
CSV_DUMP_ROW: Final = re.compile(
    r"(?:\A|\n)(?:\d+\t)?\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\t(?P<id>[0-9A-Z]+)"
    r"\t[^\t\n]*\t[^\t\n]*\t[^\t\n]*\t"
)
CABLEGATE_LABELS: Final = ("reference_id", "created", "released", "classification", "origin")
# Entities the pages use most, decoded with plain replaces (html.unescape calls Python code
# for each entity, and a page has thousands of &#x000A;, which goes first). &amp; goes last so
# that "&amp;lt;" stays "&lt;".
LINE_BREAK_ENTITY: Final = "&#x000A;"
COMMON_ENTITIES: Final = (
    ("&quot;", '"'),
    ("&#39;", "'"),
    ("&lt;", "<"),
    ("&gt;", ">"),
)


def html_to_text(fragment: str) -> str:
    """Strip tags and decode entities."""
    if "<" in fragment:
        fragment = HTML_TAG.sub("", fragment)
    if "&" not in fragment:
        return fragment
    # Cablegate pages hold almost no entity but the line break: once it is replaced, a
    # one-character scan usually shows that nothing is left to decode.
    fragment = fragment.replace(LINE_BREAK_ENTITY, "\n")
    if "&" not in fragment:
        return fragment
    for entity, char in COMMON_ENTITIES:
        if entity in fragment:
            fragment = fragment.replace(entity, char)
    if fragment.count("&") == fragment.count("&amp;"):
        return fragment.replace("&amp;", "&")
    return html.unescape(fragment)


def find_blocks(page: str, open_tag: str, close_tag: str, start: int, end: int) -> list[str]:
    """Inner HTML of every <open_tag ...>...</close_tag> between start and end (plain finds)."""
    blocks: list[str] = []
    position = page.find(open_tag, start, end)
    while position >= 0:
        inner = page.find(">", position, end)
        close = page.find(close_tag, inner, end) if inner >= 0 else -1
        if close < 0:
            break
        blocks.append(page[inner + 1 : close])
        position = page.find(open_tag, close, end)
    return blocks


def extract_cablegate_html(page: str) -> Extracted:
    """The metadata table, the header <pre> and the body <pre> of a cablegate.wikileaks.org page."""
    # Sought from the end: the sidebars fill most of the page before the one table (the text
    # of the <pre> blocks after it is escaped, so it cannot hold the table's tag).
    table_at = page.rfind(CABLEGATE_TABLE)
    table_end = page.find(CABLE_TABLE_END, table_at) if table_at >= 0 else -1
    metadata: dict[str, Any] = {}
    if table_end > 0:
        cells = [
            html_to_text(cell).strip()
            for cell in find_blocks(page, "<td", "</td>", table_at, table_end)
        ]
        metadata = {
            label: value for label, value in zip(CABLEGATE_LABELS, cells, strict=False) if value
        }
    blocks = find_blocks(page, "<pre", "</pre>", max(table_end, 0), len(page))
    if not blocks:
        raise CableParseError("HTML page without a <pre> block holding a cable")
    tag_links = PAGE_TAG_LINK.findall(blocks[-1])
    if tag_links:
        metadata["page_tags"] = list(dict.fromkeys(tag_links))
    texts = [html_to_text(block) for block in blocks]
    header, telegram = (texts[0], texts[1]) if len(texts) >= 2 else (None, texts[0])
    extracted = Extracted("cablegate-html", telegram, header, metadata)
    unwrap_csv_dump(extracted)
    return extracted


def unwrap_csv_dump(extracted: Extracted) -> None:
    """Early pages show a raw cables.csv row (tab-separated, `\\` line ends): keep this cable's."""
    telegram = extracted.telegram
    if "\t" not in telegram[:2000] or not CSV_DUMP_ROW.search(telegram[:2000]):
        return
    telegram = telegram.replace("\\\n", "\n")
    rows = list(CSV_DUMP_ROW.finditer(telegram))
    wanted = extracted.metadata.get("reference_id")
    chosen = next((i for i, row in enumerate(rows) if row.group("id") == wanted), 0)
    row = rows[chosen]
    end = rows[chosen + 1].start() if chosen + 1 < len(rows) else len(telegram)
    header_and_body = telegram[row.end() : end]
    header, _, body = header_and_body.partition("\t")
    if not body:
        header, body = "", header
    extracted.telegram = body
    extracted.header = header or extracted.header
    extracted.warnings.append(
        {"code": "csv_dump_in_page", "message": "page body held raw cables.csv rows; row used"}
    )


# --- PlusD HTML pages ------------------------------------------------------------------------

PLUSD_KEY_DIV: Final = '<div class="s_key">'
PLUSD_VALUE_DIV: Final = '<div class="s_val"'
DIV_END: Final = "</div>"
PLUSD_RAW_CONTENT: Final = re.compile(
    r'<div class="pane-header">Raw content</div><div class="pane-content">'
    r'<div class="text-content">([^<]*)</div>'
)
PLUSD_CONTENT: Final = re.compile(r'<div class="text-header[^"<>]*">([^<]*)</div>')
PLUSD_META_TAGS: Final = re.compile(r"^TAGS: (.+)$", re.M)
PLUSD_KEYS: Final = {
    "Date": "created",
    "Canonical ID": "reference_id",
    "Original Classification": "classification",
    "From": "origin",
    "Handling Restrictions": "handling",
}


def extract_plusd_html(page: str) -> Extracted:
    """The s_key/s_val fields and the raw telegram of a wikileaks.org/plusd page."""
    metadata: dict[str, Any] = {}
    for name, value in plusd_fields(page):
        key = PLUSD_KEYS.get(name)
        if key and key not in metadata and value and not value.startswith("-- N/A"):
            metadata[key] = value
    raw = PLUSD_RAW_CONTENT.search(page) or PLUSD_CONTENT.search(page)
    if not raw:
        raise CableParseError("PlusD page without its content pane")
    telegram = html_to_text(raw.group(1))
    meta_pane = page[raw.end() :]
    tags_line = PLUSD_META_TAGS.search(meta_pane)
    if tags_line:
        metadata["tags_line"] = html.unescape(tags_line.group(1))
    return Extracted("plusd-html", telegram, None, metadata)


def plusd_fields(page: str) -> list[tuple[str, str]]:
    """(name, value) of each s_key/s_val pair, found by plain forward finds (linear time)."""
    found: list[tuple[str, str]] = []
    position = page.find(PLUSD_KEY_DIV)
    while position >= 0:
        key_end = page.find(DIV_END, position)
        value_start = page.find(PLUSD_VALUE_DIV, key_end) if key_end >= 0 else -1
        value_open_end = page.find(">", value_start) if value_start >= 0 else -1
        value_end = page.find(DIV_END, value_open_end) if value_open_end >= 0 else -1
        if value_end < 0:
            break
        name = html_to_text(page[position + len(PLUSD_KEY_DIV) : key_end])
        value = html_to_text(page[value_open_end + 1 : value_end])
        found.append((name.strip().rstrip(":").strip('", '), " ".join(value.split())))
        position = page.find(PLUSD_KEY_DIV, value_end)
    return found


# --- PlusD text copies (the seed) ------------------------------------------------------------

PLUSD_TEXT_LABELS: Final = ("Identifier", "Created", "Classification", "Origin")
PLUSD_TEXT_TITLE: Final = re.compile(r"^Cable title:[ \t]*\n?(?:[ \t]*\n)*(?P<title>[^\n]*)", re.M)
PLUSD_TEXT_TAGS: Final = re.compile(r"^Tags:[ \t]*(?P<tags>[^\n]*)", re.M)
PLUSD_TEXT_TELEGRAM: Final = re.compile(
    r"^(?:VZCZC|[A-Z]{1,2} R[A-Z]{3,}|[ZOPR]{1,2} \d{6}Z|FM )", re.M
)
PLUSD_TEXT_NOISE: Final = "pdf how-to read a cable"


def extract_plusd_text(text: str) -> Extracted:
    """Four label lines then their four values, 'Cable title:', 'Tags:', then the telegram."""
    lines = text.lstrip().split("\n", 8)
    metadata: dict[str, Any] = {}
    labels = [line.strip() for line in lines[:4]]
    if labels == list(PLUSD_TEXT_LABELS):
        values = [line.strip() for line in lines[4:8]]
        keys = ("reference_id", "created", "classification", "origin")
        # a truncated copy may stop before all four values
        metadata = {key: value for key, value in zip(keys, values, strict=False) if value}
    title = PLUSD_TEXT_TITLE.search(text)
    if title and title.group("title").strip():
        metadata["title"] = title.group("title").strip()
    tags = PLUSD_TEXT_TAGS.search(text)
    search_from = tags.end() if tags else 0
    if tags and tags.group("tags").strip():
        metadata["tags_line"] = tags.group("tags").strip()
    start = PLUSD_TEXT_TELEGRAM.search(text, search_from)
    telegram = text[start.start() :] if start else text[search_from:]
    telegram = telegram.replace(PLUSD_TEXT_NOISE + "\n", "", 1)
    return Extracted("plusd-text", telegram, None, metadata)


# --- cablesearch.org JSON / JSONP ------------------------------------------------------------

JSONP_WRAPPER: Final = re.compile(r"\A\s*[A-Za-z_$][\w$]*\s*\((?P<body>.*)\)\s*;?\s*\Z", re.S)
# cablesearch prefixes the text with the cable's date line: "Wednesday, 19 November 2008, 06:43"
CABLESEARCH_DATE_LINE: Final = re.compile(
    r"\A[A-Z][a-z]+day, \d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d\n"
)


def extract_cablesearch_json(text: str) -> Extracted:
    """One cable from a cablesearch.org API response (plain JSON or JSONP)."""
    wrapped = JSONP_WRAPPER.match(text)
    try:
        payload = json.loads(wrapped.group("body") if wrapped else text)
    except json.JSONDecodeError as error:
        raise CableParseError(f"cablesearch JSON does not decode: {error.msg}") from None
    items = payload.get("items") if isinstance(payload, dict) else None
    if not isinstance(items, list) or not items or not isinstance(items[0], dict):
        raise CableParseError("cablesearch JSON without an item")
    item = items[0]
    body = CABLESEARCH_DATE_LINE.sub("", str(item.get("text") or ""), count=1)
    metadata: dict[str, Any] = {
        key: str(item[source]).strip()
        for key, source in (
            ("reference_id", "id"),
            ("created", "date"),
            ("classification", "classification"),
            ("origin", "origin"),
            ("subject", "subject"),
        )
        if item.get(source)
    }
    tags = item.get("tags")
    if isinstance(tags, list):
        metadata["page_tags"] = [str(tag) for tag in tags]
    elif tags:
        metadata["tags_line"] = str(tags)
    header = str(item["header"]) if item.get("header") else None
    return Extracted("cablesearch-json", body, header, metadata)


# --- cables.csv rows -------------------------------------------------------------------------

CSV_COLUMNS: Final = ("row", "created", "reference_id", "origin", "classification", "references")


def extract_csv_row(text: str, metadata: dict[str, Any] | None) -> Extracted:
    """A cables.csv row: the header+content text plus its columns, or one raw CSV line."""
    if metadata is None and CSV_ROW_START.match(text):
        return extract_raw_csv_line(text)
    return Extracted("csv-row", text, None, dict(metadata or {}))


def extract_raw_csv_line(text: str) -> Extracted:
    """One line of the dump: 8 columns, quotes backslash-escaped (MySQL style)."""
    reader = csv.reader(io.StringIO(text), escapechar="\\", doublequote=False)
    try:
        row = next(reader)
    except (StopIteration, csv.Error) as error:
        raise CableParseError(f"cables.csv row does not parse: {error}") from None
    if len(row) < 8:
        raise CableParseError(f"cables.csv row has {len(row)} columns, expected 8")
    metadata = {key: value for key, value in zip(CSV_COLUMNS, row, strict=False) if value}
    return Extracted("csv-row", row[6] + "\n" + row[7], None, metadata)


# --- cables.csv fields printed above a telegram -----------------------------------------------

# Some copies start with the cables.csv columns, one per line: row number, date, id, origin,
# classification and (optionally) references, then the header ("09MEXICO160").
EMBEDDED_ROW: Final = re.compile(
    r"\A[\s>\"',]*(?:\d{1,6}\n)?"
    r"(?P<created>\d{4}-\d\d-\d\d \d\d:\d\d(?::\d\d)?|\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d\d)\n"
    r"(?P<reference_id>\d{2,4}[A-Z][A-Z0-9_]*\d)\n(?P<origin>[^\n]{2,80})\n"
    r"(?P<classification>[A-Z][A-Z/ ]+)\n(?:(?P<references>\d{2}[A-Z][A-Z0-9|]*)\n)?"
)
EMBEDDED_ROW_FIELDS: Final = ("created", "reference_id", "origin", "classification", "references")


def take_embedded_row(extracted: Extracted) -> None:
    """Move cables.csv columns printed above the telegram into the metadata (source wins)."""
    match = EMBEDDED_ROW.match(extracted.telegram)
    if match is None:
        return
    for key in EMBEDDED_ROW_FIELDS:
        if match.group(key):
            extracted.metadata.setdefault(key, match.group(key).strip())
    extracted.telegram = extracted.telegram[match.end() :]
    extracted.warnings.append(
        {"code": "csv_fields_in_text", "message": "cables.csv columns above the telegram were read"}
    )


# --- raw telegrams ---------------------------------------------------------------------------


def extract_telegram(text: str) -> Extracted:
    """A bare telegram: all of it is text, nothing is metadata."""
    return Extracted("telegram", text)


EXTRACTORS: dict[str, Callable[[str], Extracted]] = {
    "cablegate-html": extract_cablegate_html,
    "plusd-html": extract_plusd_html,
    "plusd-text": extract_plusd_text,
    "cablesearch-json": extract_cablesearch_json,
    "telegram": extract_telegram,
}


def extract(text: str, format: str = "auto", metadata: dict[str, Any] | None = None) -> Extracted:
    """Detect (unless forced) the input form and extract its parts."""
    chosen = detect_format(text, metadata) if format == "auto" else format
    if chosen not in FORMATS:
        raise CableParseError(f"unknown format {format!r}; expected one of {', '.join(FORMATS)}")
    if chosen == "csv-row":
        extracted = extract_csv_row(text, metadata)
    else:
        extracted = EXTRACTORS[chosen](text)
        if metadata:
            extracted.metadata.update({key: value for key, value in metadata.items() if value})
    take_embedded_row(extracted)
    return extracted
