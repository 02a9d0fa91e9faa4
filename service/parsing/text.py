"""Text clean-up shared by every input form: decoding, line endings, page markers, banners."""

from __future__ import annotations

import re
from typing import Final

from service.parsing.errors import CableParseError

Warning_ = dict[str, str]

# Share of control characters above which bytes are taken for a binary file, not a cable.
BINARY_CONTROL_SHARE: Final = 0.1
_CONTROL_BYTES: Final = bytes(c for c in range(32) if c not in (9, 10, 12, 13))

# "ALMATY 00001457 002 OF 003", "MADRID 00000174 001.2 OF 002", "USUN NEW YORK 00000123 002 OF 004"
PAGE_MARKER: Final = re.compile(
    r"[ \t]*[A-Z][A-Z .'-]{1,40} \d{8}[ \t]+\d{3}(?:\.\d+)?[ \t]+OF[ \t]+\d{3}[ \t]*", re.I
)
# Where a marker's "002 OF 003" may be: " OF " (or " of ") before the page count. The patterns
# lead with the F, a rare letter, so that the search skips ahead to it (the parser's
# linear-time rule, docs/document.md "Speed"); the " O" before it, the digit before that and the
# rest of the line are checked at the few places found.
PAGE_COUNT_CANDIDATES: Final = (
    (" O", re.compile(r"F [ \t]*\d")),
    (" o", re.compile(r"f [ \t]*\d")),
)
# Page headers of older cables, often glued to the text around them:
# "CONFIDENTIAL\nPAGE 02 HARARE 05461 01 OF 02 271458Z", "PAGE 02  ROME  05149  01 OF 02  131611Z".
# The header itself starts with "PAGE ", so the engine can skip ahead to it; the banner line
# that may sit above it is looked for behind each header found (see remove_old_page_headers).
OLD_PAGE_HEADER: Final = re.compile(
    r"PAGE \d{2,3}[ \t]+(?:RUE[A-Z]{2,4}\d{3,4}[ \t]+)?[A-Z][A-Z ]{0,20}?[ \t]+\d{3,6}"
    r"(?:[ \t]+\d{2} OF \d{2}(?:[ \t]+\d{6}Z)?|[ \t]+\d{6}Z)[ \t]*"
)
OLD_PAGE_BANNER: Final = re.compile(
    r"(?:UNCLASSIFIED|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)[ \t]{0,20}\n[ \t\n]{0,20}\Z"
)
# The longest banner with its blanks: "LIMITED OFFICIAL USE", 20 blanks, a line break, 20 more.
OLD_PAGE_BANNER_REACH: Final = 20 + 20 + 1 + 20
# Letter-spaced banners: "C O N F I D E N T I A L", "S E C R E T", "U N C L A S"; press copies
# lower-case them ("S e c r e t") and a few double or drop the first letter ("SS E C R E T").
SPACED_BANNER: Final = re.compile(
    r"(?<![A-Za-z])(S?S E C R E T|E C R E T|C O N F I D E N T I A L|U N C L A S(?: S I F I E D)?|"
    r"T O P S E C R E T|E F T O)(?![A-Za-z])",
    re.I,
)
# Written with a literal "\n\n\n" lead (not \n{3,}) so that the engine can skip ahead to it.
BLANK_LINE_RUN: Final = re.compile(r"\n\n\n+")


def decode(data: str | bytes) -> tuple[str, list[Warning_]]:
    """Decode raw input to text: UTF-8, else cp1252 (latin-1 as last resort), with warnings."""
    if isinstance(data, str):
        return data, []
    if not data:
        raise CableParseError("empty input: no bytes to parse")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its byte order mark
        return data.decode("utf-16", errors="replace"), []
    if looks_binary(data):
        raise CableParseError("binary input: too many control bytes for a text cable")
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
        return text, [warning("decoded_as_cp1252", "input is not UTF-8; decoded as Windows-1252")]
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; latin-1 maps every byte, so it always succeeds.
        text = data.decode("latin-1")
        return text, [warning("decoded_as_latin1", "input is not UTF-8; decoded as Latin-1")]


def looks_binary(data: bytes) -> bool:
    """Whether a byte string is binary rather than text (NULs or many control bytes)."""
    sample = data[:4096]
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > BINARY_CONTROL_SHARE * len(sample)


def replacement_warnings(text: str) -> list[Warning_]:
    """Warn when the text holds U+FFFD replacement characters (lost bytes)."""
    count = text.count("\ufffd")
    if not count:
        return []
    return [warning("decoded_with_replacement", f"{count} undecodable character(s) replaced")]


def normalize_newlines(text: str) -> str:
    """CRLF and lone CR become LF, form feeds line breaks, no-break spaces spaces."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\xa0" in text:
        text = text.replace("\xa0", " ")
    if "\f" in text:
        text = text.replace("\f", "\n")
    return text


def normalize_telegram(text: str) -> str:
    """normalize_newlines, and tabs expanded (after extraction: some forms separate by tabs)."""
    text = normalize_newlines(text)
    return text.expandtabs(8) if "\t" in text else text


def closed_banner(match: re.Match[str]) -> str:
    """One letter-spaced banner closed up, upper case, with a doubled or lost S repaired."""
    word = match.group(1).replace(" ", "").upper()
    return "SECRET" if word in ("SSECRET", "ECRET") else word


def remove_page_markers(text: str) -> str:
    """Drop page-break marker lines ('ALMATY 00001457 002 OF 003') and old 'PAGE 02' headers."""
    marker_lines = page_marker_lines(text)
    if marker_lines:
        text = cut_spans(text, marker_lines)
    return remove_old_page_headers(text)


def page_marker_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line that is a page marker, its line break included."""
    marker_lines: list[tuple[int, int]] = []
    for space_o, candidates in PAGE_COUNT_CANDIDATES:
        checked_line_end = -1
        for candidate in candidates.finditer(text):
            position = candidate.start() - 2
            # "002 OF 003": a digit before " OF " is cheap to check and rules out the prose
            if (
                position <= checked_line_end
                or text[position : position + 2] != space_o
                or not text[position - 1 : position].isdigit()
            ):
                continue
            line_start = text.rfind("\n", 0, position) + 1
            line_end = text.find("\n", position)
            line_end = len(text) if line_end < 0 else line_end
            checked_line_end = line_end
            if PAGE_MARKER.fullmatch(text, line_start, line_end):
                marker_lines.append((line_start, line_end + 1))
    return marker_lines


def remove_old_page_headers(text: str) -> str:
    """Replace each old 'PAGE 02 HARARE 05461 01 OF 02 271458Z' header, and the banner line
    just above it, by a line break."""
    pieces: list[str] = []
    kept_from = 0
    for header in OLD_PAGE_HEADER.finditer(text):
        start = header.start()
        window_start = max(kept_from, start - OLD_PAGE_BANNER_REACH)
        banner = OLD_PAGE_BANNER.search(text[window_start:start])
        if banner:
            start = window_start + banner.start()
        pieces.append(text[kept_from:start])
        pieces.append("\n")
        kept_from = header.end()
    if not pieces:
        return text
    pieces.append(text[kept_from:])
    return "".join(pieces)


def cut_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """The text without the given (start, end) spans."""
    pieces: list[str] = []
    kept_from = 0
    for start, end in sorted(spans):
        if start >= kept_from:
            pieces.append(text[kept_from:start])
            kept_from = end
    return "".join(pieces) + text[kept_from:]


def tidy_body(text: str) -> str:
    """Trailing spaces off, runs of blank lines collapsed to one, ends trimmed."""
    text = "\n".join(map(str.rstrip, text.split("\n")))
    if BLANK_LINE_RUN.search(text):
        text = BLANK_LINE_RUN.sub("\n\n", text)
    return text.strip("\n")


def warning(code: str, message: str) -> Warning_:
    """One warning entry of the document."""
    return {"code": code, "message": message}
