"""Paragraphs: numbered (or unnumbered) paragraphs with their markings and levels."""

from __future__ import annotations

import functools
import re
from typing import Any, Final

from service.parsing.fields import scan
from service.parsing.fields.signer import parse_signer

_PARAGRAPH: Final = scan.ParagraphPattern(
    r"(?P<number>\d{1,3})[ \t]*\.(?!\d)[ \t]*"
    r"(?:\((?P<marking>[A-Za-z]{1,4}(?:(?:/{1,2}|-)[A-Za-z ]{1,12}){0,3})\)[ \t]*)?"
    r"(?=\S)"
)
# A line opening a header field, the last of which ends the header of unnumbered cables.
_HEADER_FIELD_TEXT: Final = (
    r"[ \t]*(?:SUBJ(?:ECT)?[ \t]*:|REFS?\b|REFTELS?\b|Classi?f?i?ed[ \t]+by\b|"
    r"E\.?[ \t]?O\.?[ \t]?\d{4,5}|TAGS?\b)"
)
_HEADER_FIELD_LINE: Final = re.compile(r"(?im)^" + _HEADER_FIELD_TEXT)
# The same after a line break, ending where it does: the break is a literal lead, which "^"
# is not.
_HEADER_FIELD_AFTER_BREAK: Final = re.compile(r"(?i)\n" + _HEADER_FIELD_TEXT)
# A paragraph's own marking at its start ("(SBU) Poloff delivered ..."), and a number written
# after it ("(C) 1. In a visit to The Hague", 03THEHAGUE1865).
_LEADING_MARKING: Final = re.compile(
    r"(?:\((?P<marking>[A-Za-z]{1,4}(?:(?:/{1,2}|-)[A-Za-z ]{1,12}){0,3})\)[ \t]*)?"
    r"(?:(?<![^ \t()])(?P<number>\d{1,3})\.(?!\d)[ \t]+)?"
)
# Paragraph numbers may skip a few (typos, removed paragraphs), never go back.
MAX_PARAGRAPH_GAP: Final = 3
# A partial extract may start late, but "2006." (a year on its own line) is no paragraph.
MAX_FIRST_PARAGRAPH_NUMBER: Final = 99
# A heading line with its underline, dropped from the end of the paragraph before it.
_TRAILING_HEADING: Final = re.compile(r"\n[^\n]{1,80}\n[ \t]*[-=][-= \t]{2,}$")
# The heading is looked for only in this many last characters of a paragraph.
HEADING_TAIL: Final = 240
_UNDERLINE_ENDINGS: Final = ("-", "=")
# Classification level of a paragraph marking's first part.
MARKING_LEVELS: Final = {
    "U": 0,
    "SBU": 0,
    "UNCLAS": 0,
    "FOUO": 0,
    "LOU": 1,
    "C": 2,
    "CNF": 2,
    "S": 3,
    "SNF": 3,
    "TS": 4,
}
_MARKING_HEAD: Final = re.compile(r"^[A-Z]+")


def parse_paragraphs(text: str | scan.Body) -> list[dict[str, Any]]:
    """Numbered paragraphs as {"number", "classification", "level", "text"}, in order."""
    body = scan.as_body(text)
    signer = parse_signer(body)
    text = "\n" + body.text  # so that a paragraph on the first line also follows a line break
    starts = _paragraph_starts(text)
    if not starts:
        return _unnumbered_paragraphs(text, signer)
    # One pass over the whole text for what every paragraph needs, lengths unchanged: a stray
    # "¶" is a Cablegate anchor, never text ("November\n¶2006."); tabs and the like are spaces.
    plain = _plain_spaces(text)
    # Each paragraph ends where the next starts; the last one before the signer line.
    ends = [match.start() for match, _ in starts[1:]]
    last_end = plain.rfind("\n" + signer, starts[-1][0].end()) if signer else -1
    ends.append(last_end if last_end >= 0 else len(text))
    paragraphs = []
    for (match, number), end in zip(starts, ends, strict=True):
        marking, level = _marking_and_level(match["marking"])
        paragraphs.append(
            {
                "number": number,
                "classification": marking,
                "level": level,
                "text": _paragraph_text(plain[match.end() : end]),
            }
        )
    return paragraphs


def _unnumbered_paragraphs(text: str, signer: str | None) -> list[dict[str, Any]]:
    """The blocks after the header of a cable whose paragraphs no "1." line opens.

    The text starts after the blank line that ends the last header field (SUBJECT, REF,
    Classified By, ...), or on the next line when none follows; without any header field, the
    fragment is not known to hold paragraphs at all. A number written after the marking
    ("(C) 1. In a visit", 03THEHAGUE1865) is kept, else the number is None; headings go.
    """
    header_fields = list(_HEADER_FIELD_AFTER_BREAK.finditer(text, 0, scan.HEADER_LIMIT))
    # a field opening the text is the first one: it is the last only when there is no other
    last_field = (
        header_fields[-1] if header_fields else _HEADER_FIELD_LINE.match(text, 0, scan.HEADER_LIMIT)
    )
    if last_field is None:
        return []
    blank = scan.BLANK_LINE.search(text, last_field.end())
    line_end = text.find("\n", last_field.end())
    start = blank.end() if blank else (line_end + 1 if line_end >= 0 else len(text))
    body = _plain_spaces(text[start:])
    if signer:
        body = _without_signer("\n" + body, signer)
    paragraphs = []
    for block in _blank_line_split(body):
        block = block.strip()
        if scan.may_hold_rule(block):
            block = "\n".join(scan.without_headings(block.split("\n")))
        if not block:
            continue
        marked = _LEADING_MARKING.match(block)
        marking = _marking(marked["marking"]) if marked else None
        number = marked["number"] if marked and (marking or not marked["marking"]) else None
        paragraph_text = _paragraph_text(
            block[marked.end() :] if marked and marked.end() else block
        )
        if paragraph_text:
            paragraphs.append(
                {
                    "number": int(number) if number else None,
                    "classification": marking,
                    "level": marking_level(marking),
                    "text": paragraph_text,
                }
            )
    return paragraphs


def _paragraph_starts(text: str) -> list[tuple[re.Match[str], int]]:
    """Paragraph starts whose numbers rise from the first one by small steps, with each
    paragraph's number (read once, here)."""
    starts: list[tuple[re.Match[str], int]] = []
    last = 0
    for match in _paragraph_matches(text):
        number = int(match["number"])
        if starts and not last < number <= last + MAX_PARAGRAPH_GAP:
            continue
        if not starts and number > MAX_FIRST_PARAGRAPH_NUMBER:
            continue
        starts.append((match, number))
        last = number
    return starts


def _paragraph_matches(text: str) -> list[re.Match[str]]:
    """Every paragraph start in text, in order: what ``_PARAGRAPH.finditer`` returns.

    A "¶" opening its line is found by the pattern after the line break, with the same end;
    only the others need the "¶" pattern. ``str.find`` (a memchr) locates the marks in a
    fraction of the time a second regex scan of the whole text takes.
    """
    breaks = list(_PARAGRAPH.after_break.finditer(text))
    mark = text.find("¶")
    ends: set[int] | None = None  # made for the first mark inside a line (few cables have one)
    marks = []
    while mark >= 0:
        # "\n¶": the start, if it is one, is among the breaks (no match spans a line break)
        if not (mark and text[mark - 1] == "\n"):
            match = _PARAGRAPH.after_mark.match(text, mark)
            if match:
                if ends is None:
                    ends = {start.end() for start in breaks}
                if match.end() not in ends:
                    marks.append(match)
        mark = text.find("¶", mark + 1)
    return sorted(breaks + marks, key=scan.match_end) if marks else breaks


@functools.lru_cache(maxsize=256)
def _marking(raw: str | None) -> str | None:
    """A paragraph marking as written, upper case, without inner spaces; None if not one."""
    if raw is None:
        return None
    marking = raw.upper().replace(" ", "")
    return marking if marking_level(marking) is not None else None


@functools.lru_cache(maxsize=256)
def _marking_and_level(raw: str | None) -> tuple[str | None, int | None]:
    """A paragraph marking (as ``_marking`` reads it) and its level, in one cache lookup."""
    marking = _marking(raw)
    return marking, marking_level(marking)


@functools.lru_cache(maxsize=256)
def marking_level(marking: str | None) -> int | None:
    """Numeric level of a marking ("C" -> 2, "S/NF" -> 3, "SBU" -> 0), None if unknown."""
    if not marking:
        return None
    head = _MARKING_HEAD.match(marking)
    return MARKING_LEVELS.get(head.group(0)) if head else None


def _without_signer(body: str, signer: str) -> str:
    """The last paragraph without the signer line (and anything after it)."""
    at = body.rfind("\n" + signer)
    return body[:at] if at >= 0 else body


def _plain_spaces(text: str) -> str:
    """The text with "¶" and white space other than line breaks made spaces (same length)."""
    for other in ("¶", *scan.OTHER_SPACES):
        if other in text:
            text = text.replace(other, " ")
    return text


def _paragraph_text(body: str) -> str:
    """Paragraph text (of plain-spaced text): trailing heading dropped, lines joined."""
    body = body.rstrip()
    # An underline ends with "-" or "=" (the body ends in no space): most paragraphs are
    # turned away by their last character, before any regex is tried.
    if body.endswith(_UNDERLINE_ENDINGS):
        heading = _trailing_heading(body)
        if heading:
            body = body[: heading.start()]
    # The regex leads with a line break, which the engine scans for alone: a third of the
    # time of two substring tests ("\n\n", "\n ") over a paragraph without a blank line.
    blocks = scan.BLANK_LINE.split(body)
    if len(blocks) == 1:
        return _join_lines(body)  # one block, the usual paragraph
    chunks = [_join_lines(block) for block in blocks]
    return "\n\n".join(chunk for chunk in chunks if chunk)


def _trailing_heading(body: str) -> re.Match[str] | None:
    """The heading and its underline ending a right-stripped paragraph, if any.

    What ``_TRAILING_HEADING.search`` finds in the last HEADING_TAIL characters: the underline
    holds no line break, so a match can only start at the last line break but one, where the
    pattern is tried once instead of at every line break of the tail.
    """
    underline = body.rfind("\n")
    start = body.rfind("\n", 0, underline) if underline > 0 else -1
    if start < max(0, len(body) - HEADING_TAIL):
        return None
    return _TRAILING_HEADING.match(body, start)


def _join_lines(text: str) -> str:
    """Lines of plain-spaced text joined by one space, runs of spaces made one."""
    text = text.replace("\n", " ")
    if "  " in text:
        text = scan.SPACES_AFTER_PAIR.sub(" ", text)
    return text.strip()


def _blank_line_split(text: str) -> list[str]:
    """Text split at blank lines; clean bodies have no trailing spaces, so a plain split does."""
    if " \n" in text or "\t\n" in text:
        return scan.BLANK_LINE.split(text)
    return text.split("\n\n")
