"""Summary and comment: the text between a start marker and its end marker."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from service.parsing.fields import scan

# Summaries and comments without an "End Summary" stop at the next paragraph; with one, the
# end marker is looked for this far.
BLOCK_LIMIT: Final = 20000
MAX_MARKER_CANDIDATES: Final = 50

# "Summary:", "SUMMARY.", "Begin Summary", "SUMMARY AND COMMENT:", a "SUMMARY" heading line;
# only after a line start, a paragraph marking or a full stop, never inside a sentence.
_SUMMARY_START: Final = re.compile(
    r"(?im)(?:^|[(.)\]]|--)[ \t]*(?:begin[ \t]+)?summ?ary"
    r"(?:[ \t]+and[ \t]+(?:comments?|introduction|action[ \t]+requests?))?"
    r"[ \t]*(?::|\.|-{1,3}|$)[ \t]*"
)
_SUMMARY_END: Final = re.compile(r"(?i)\bend\s{1,8}(?:of\s{1,8})?summ?ary\b")
_COMMENT_START: Final = re.compile(
    r"(?im)(?:^|[(.)\]]|--)[ \t]*(?:begin[ \t]+)?comments?[ \t]*(?::|\.|-{1,3}|$)[ \t]*"
)
_COMMENT_END: Final = re.compile(r"(?i)\bend\s{1,8}(?:of\s{1,8})?comments?\b")
# The start of the next numbered paragraph, where a summary without an end marker stops.
_NEXT_PARAGRAPH: Final = scan.ParagraphPattern(r"\d{1,3}[ \t]*\.(?!\d)[ \t]*(?=[(A-Za-z])")
_NUMBERED_AT_START: Final = re.compile(
    r"[ \t]*(?:¶[ \t]*)?\d{1,3}[ \t]*\.(?!\d)[ \t]*(?=[(A-Za-z])"
)
# The marker written again under a heading ("COMMENT\n-------\n\n1. (C) Comment: ...").
_REPEATED_MARKER: Final = re.compile(r"(?i)^(?:summ?ary|comments?)[ \t]*:[ \t]*")
# A paragraph's own number and marking, removed inside a summary ("2. (C) ").
_PARAGRAPH_LEAD: Final = re.compile(
    r"^[ \t]*(?:¶[ \t]*)?(?:\d{1,3}[ \t]*\.(?!\d)[ \t]*)?"
    r"(?:\([A-Za-z]{1,4}(?:[/\-]{1,2}[A-Za-z ]{1,12}){0,3}\)[ \t]*)?"
)


# Hints: byte patterns that every marker's text matches in the lower-case Latin-1 copy
# (``scan.ascii_lowered``), from the keyword on for a start marker, from "end" on for an end marker.
# They lead with a literal, so the engine skips ahead to it; a window where no hint matches
# holds no marker, and the marker pattern (no literal prefix: a try at every position) is
# spared. Characters beyond Latin-1 are "?" in the copy: "?" stands in for the letters that
# match one of them ignoring case ("ſ" for s, "ı" for i, "K" for k) and for white space.
_HINT_SPACE: Final = rb"[\s\x1c-\x1f\x85\xa0?]"
_SUMMARY_START_HINT: Final = re.compile(rb"(?m)mary(?:[ \t]*(?:[:.\-]|$)|[ \t]+and[ \t])")
_SUMMARY_END_HINT: Final = re.compile(
    rb"end" + _HINT_SPACE + rb"{1,8}(?:of" + _HINT_SPACE + rb"{1,8})?[s?]umm?ary"
)
_COMMENT_START_HINT: Final = re.compile(rb"(?m)comment[s?]?[ \t]*(?:[:.\-]|$)")
_COMMENT_END_HINT: Final = re.compile(
    rb"end" + _HINT_SPACE + rb"{1,8}(?:of" + _HINT_SPACE + rb"{1,8})?comment"
)


@dataclass(frozen=True)
class _Markers:
    """The start and end markers of a block, the keyword every marker holds, and their hints."""

    start: re.Pattern[str]
    end: re.Pattern[str]
    keyword: str
    start_hint: re.Pattern[bytes]
    end_hint: re.Pattern[bytes]


# "mary" is in both spellings ("summary", "sumary") and rarer in text than "sum".
_SUMMARY_MARKERS: Final = _Markers(
    _SUMMARY_START, _SUMMARY_END, "mary", _SUMMARY_START_HINT, _SUMMARY_END_HINT
)
_COMMENT_MARKERS: Final = _Markers(
    _COMMENT_START, _COMMENT_END, "comment", _COMMENT_START_HINT, _COMMENT_END_HINT
)


def parse_summary(text: str | scan.Body) -> str | None:
    """Text between "Summary:" and "End Summary", paragraphs kept, numbers and markings removed."""
    return _marked_block(scan.as_body(text), _SUMMARY_MARKERS)


def parse_comment(text: str | scan.Body) -> str | None:
    """Text between "Comment:" and "End Comment" (the first comment of the cable)."""
    return _marked_block(scan.as_body(text), _COMMENT_MARKERS)


def _marked_block(body: scan.Body, markers: _Markers) -> str | None:
    """The text after a start marker up to its end marker, else to the next paragraph."""
    start = _marker_start(body, markers)
    if start is None:
        return _block_before_end_marker(body, markers)
    text = body.text
    begin = start.end()
    end = _find_marker(body, markers, end_marker=True, start=begin, end=begin + BLOCK_LIMIT)
    if end:
        stop = end.start()
    else:
        heading = _rest_of_line_is_rule(text, begin) or _rule_follows(text, begin)
        stop = _block_end_without_marker(text, begin, heading)
    block = _tidy_block(text[begin:stop])
    return block or None


def _find_marker(
    body: scan.Body,
    markers: _Markers,
    *,
    end_marker: bool,
    start: int = 0,
    end: int | None = None,
) -> re.Match[str] | None:
    """``scan.find`` of the start (or end) pattern, each keyword window screened by its hint.

    Where the hint matches, the marker search begins at the first place a match can start:
    an end marker starts where its hint does ("end"); a start marker holds no line break
    before its keyword, so it starts on the hint's line at the earliest.
    """
    pattern, hint = (
        (markers.end, markers.end_hint) if end_marker else (markers.start, markers.start_hint)
    )
    text = body.text
    lowered = body.lowered

    def hinted_start(window_start: int, window_end: int) -> int | None:
        hinted = hint.search(lowered, window_start, window_end)
        if hinted is None:
            return None
        at = hinted.start()
        return at if end_marker else max(window_start, text.rfind("\n", 0, at) + 1)

    return scan.find(pattern, body, markers.keyword, start, end, screen=hinted_start)


def _marker_start(body: scan.Body, markers: _Markers) -> re.Match[str] | None:
    """The first start marker; a bare word on its own line counts only when underlined.

    "SUMMARY" over a dashed rule or after a blank line is a heading; "COMMENTS" right under
    another line is more often the end of a wrapped subject ("...OFFICIAL'S JULY 30\nCOMMENTS").
    """
    text = body.text
    position = 0
    for _ in range(MAX_MARKER_CANDIDATES):
        start = _find_marker(body, markers, end_marker=False, start=position)
        if start is None:
            return None
        written = start.group().rstrip()
        if _after_end_word(text, start.start()):
            pass  # "End\nSummary.": an end marker wrapped before its keyword
        elif (
            written.endswith((":", ".", "-"))
            or _rule_follows(text, start.end())
            or _stands_alone(text, start.start())
            or _heading_over_paragraph(text, start)
        ):
            return start
        position = start.end()
    return None


def _after_end_word(text: str, position: int) -> bool:
    """Whether the word before position, across blanks and one line break, is "End" or "End
    of" (an end marker wrapped at its keyword: "[...]. End\nSummary.")."""
    before = text[max(0, position - 12) : position].rstrip().lower()
    return before.endswith("end") and not before[-4:-3].isalpha() or before.endswith(" end of")


def _heading_over_paragraph(text: str, start: re.Match[str]) -> bool:
    """Whether a bare marker past the header is a heading: a blank line, then a paragraph.

    "...air incursions.\nComment\n\n¶7. (S) The November 17 BFM" (09KABUL3161); in the
    header the same shape is the end of a wrapped subject.
    """
    end = start.end()
    blank = scan.BLANK_LINE.match(text, end) if text[end : end + 1] == "\n" else None
    if blank is None or not _NEXT_PARAGRAPH.match_at(text, blank.end() - 1):
        return False
    # a numbered paragraph before it: the marker is in the text, not in the header
    return bool(_NUMBERED_AT_START.match(text) or _NEXT_PARAGRAPH.search(text, 0, start.start()))


def _stands_alone(text: str, position: int) -> bool:
    """Whether the line holding position follows a blank line (or starts the text)."""
    line_start = text.rfind("\n", 0, position) + 1
    if line_start == 0:
        return True
    previous_start = text.rfind("\n", 0, line_start - 1) + 1
    previous = text[previous_start : line_start - 1]
    return not previous.strip() or scan.is_rule_line(previous)


def _block_before_end_marker(body: scan.Body, markers: _Markers) -> str | None:
    """A block with an end marker but no start one: the paragraph holding "End Summary"."""
    text = body.text
    end = _find_marker(body, markers, end_marker=True, end=BLOCK_LIMIT)
    if end is None:
        return None
    begin = -1
    for paragraph in _NEXT_PARAGRAPH.finditer(text, 0, end.start()):
        begin = paragraph.start()
    if begin < 0:
        begin = max(
            (blank.end() for blank in scan.BLANK_LINE.finditer(text, 0, end.start())), default=0
        )
    block = _tidy_block(text[begin : end.start()])
    return block or None


def _rest_of_line_is_rule(text: str, position: int) -> bool:
    """Whether the marker ends its line ("SUMMARY", "Comment -------"): a heading."""
    line_end = text.find("\n", position, position + 200)
    rest = text[position : line_end if line_end >= 0 else position + 200].strip()
    # empty once the rule characters are stripped: all of it is rule (stops at the first other)
    return not rest.strip(scan.RULE_CHARACTER_TEXT)


def _rule_follows(text: str, position: int) -> bool:
    """Whether the line after position is a dashed underline (a heading)."""
    newline = text.find("\n", position, position + 200)
    if newline < 0:
        return False
    following = text[newline + 1 : text.find("\n", newline + 1, newline + 200)]
    return scan.is_rule_line(following)


def _block_end_without_marker(text: str, begin: int, heading: bool) -> int:
    """End of a summary with no end marker: the paragraph after a heading, else this one."""
    search_from = begin
    if heading:
        first = _NEXT_PARAGRAPH.search(text, begin, begin + BLOCK_LIMIT)
        if first is None:
            return min(len(text), begin + BLOCK_LIMIT)
        search_from = first.end()
    following = _NEXT_PARAGRAPH.search(text, search_from, search_from + BLOCK_LIMIT)
    return following.start() if following else min(len(text), search_from + BLOCK_LIMIT)


def _without_paragraph_lead(text: str) -> str:
    """Text without its own number and marking ("2. (C) ").

    The pattern opens with "^": a match and a slice, where a sub would try every position.
    """
    if text[:1].isalpha():
        return text  # a lead opens with a blank, "¶", a digit or "(": the text starts at once
    lead = _PARAGRAPH_LEAD.match(text)
    return text[lead.end() :] if lead else text


def _tidy_block(block: str) -> str:
    """Paragraphs of a block, each on one line, without numbers, markings or rules."""
    block = block.replace("¶", "\n\n")
    # Tests of the whole block, each made once: a chunk holds only what the block does (a
    # chunk's rule line opens the block or follows one of its line breaks).
    rules = scan.may_hold_rule(block)
    others = [other for other in scan.OTHER_SPACES if other in block]
    paragraphs = []
    # Split at blank lines by the pattern, which leads with a line break; blocks need not
    # the substring tests for trailing blanks that ``paragraphs._blank_line_split`` makes.
    for chunk in scan.BLANK_LINE.split(block):
        if not chunk:
            continue  # before a "¶" opening the block, between two blank lines
        if rules and scan.may_hold_rule(chunk):
            joined = " ".join(scan.without_headings(chunk.split("\n")))
        else:
            joined = chunk.replace("\n", " ")
        # what scan.squeeze does, for a text already on one line
        paragraph = _without_paragraph_lead(joined.strip())
        for other in others:
            paragraph = paragraph.replace(other, " ")
        if "  " in paragraph:
            paragraph = scan.SPACES_AFTER_PAIR.sub(" ", paragraph)
        paragraph = paragraph.strip().strip(" -")
        # the pattern opens with "^": a match and a slice, where a sub would try every position
        repeated = _REPEATED_MARKER.match(paragraph)
        if repeated:
            paragraph = paragraph[repeated.end() :]
        # upper() never shortens a text: only a short paragraph can be the bare marker
        if paragraph and (len(paragraph) > 7 or paragraph.upper() not in {"SUMMARY", "COMMENT"}):
            paragraphs.append(paragraph)
    text = "\n\n".join(paragraphs).rstrip(" (-")
    # "(Comment: ... intent.)" without an end marker keeps its closing parenthesis: drop it
    if text.endswith(")") and text.count(")") > text.count("("):
        text = text[:-1].rstrip()
    return text
