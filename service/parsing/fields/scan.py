"""Shared text scanning of the field readers: the header before paragraph 1, keyword scans,
paragraph starts, white space and rule lines.

The patterns are compiled once, free of nested or overlapping quantifiers, so that a megabyte
on one line is scanned in linear time; keyword patterns are tried only where a fast substring
scan finds their keyword (``find``, ``match_at_keyword``).

What the readers derive from the whole body (the lower-case Latin-1 copy, ``ascii_lowered``,
also read by participants.py; the header; where a keyword first occurs; the signer and the
caption zone) is held by a ``Body``, made once per cable by ``parse_cable`` and handed to every
reader, so that each is computed once per cable; a reader given a str makes its own Body.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

# The header (captions, E.O., TAGS, SUBJECT, REF, Classified By) comes before paragraph 1;
# when no paragraph 1 is found, only this many characters are searched for header fields.
HEADER_LIMIT: Final = 6000
# How far from its keyword a header field may run (a wrapped subject, a long REF list).
FIELD_LIMIT: Final = 3000

# Start of paragraph 1 ("1. (C)", "¶1.(SBU)", "1.  PRESS REPORTS"): the end of the header.
_FIRST_PARAGRAPH_REST: Final = r"1[ \t]*\.(?!\d)[ \t]*(?=[(A-Za-z])"
_FIRST_PARAGRAPH_AT_START: Final = re.compile(r"[ \t]*(?:[¶\ufffd][ \t]*)?" + _FIRST_PARAGRAPH_REST)
# A keyword pattern is tried only this near each place its keyword occurs (see find).
KEYWORD_LEAD: Final = 80
KEYWORD_TAIL: Final = 64
# No real cable holds its keyword this often before the field: past it, give up (a megabyte of
# "summary summary ..." must not cost a regex attempt per word).
MAX_KEYWORD_HITS: Final = 500
# A screen (see find): given a window (start, end) around a keyword, where in it the
# pattern's search may begin, or None when the window can hold no match.
Screen = Callable[[int, int], int | None]
BLANK_LINE: Final = re.compile(r"\n[ \t]*\n")
_SPACE_RUN: Final = re.compile(r"  +")
OTHER_SPACES: Final = ("\t", "\r", "\f", "\v", "\xa0")
# Characters of a dashed underline below a heading ("-------", "- - - -", "=====", and the
# typographic dashes of cables typed again, "‐‐‐‐").
RULE_CHARACTER_TEXT: Final = "-=_*/\u2010\u2012\u2013\u2014 \t"
# The first character of a rule line.
_RULE_MARKS: Final = "-=_*/\u2010\u2012\u2013\u2014"


class ParagraphPattern:
    """A paragraph start: after a line break, or after a "¶" anywhere (flattened cables).

    Each of the two patterns starts with a literal (the linear-time rule); one pattern led by
    a character set would have no such lead.
    """

    def __init__(self, rest: str) -> None:
        # "\ufffd" is a "¶" whose byte was lost in decoding (raw telegrams read as UTF-8).
        # Every rest opens with the paragraph number: the lookahead turns away most line
        # breaks with one test, before the optional blanks and mark are tried (a third faster).
        self.after_break = re.compile(r"\n(?=[ \t¶\ufffd\d])[ \t]*(?:[¶\ufffd][ \t]*)?" + rest)
        self.after_mark = re.compile(r"¶[ \t]*" + rest)

    def search(self, text: str, start: int = 0, end: int = HEADER_LIMIT) -> re.Match[str] | None:
        """The first paragraph start in text[start:end]."""
        found = self.after_break.search(text, start, end)
        if "¶" not in text:
            return found
        marked = self.after_mark.search(text, start, found.start() if found else end)
        return marked or found

    def match_at(self, text: str, position: int) -> re.Match[str] | None:
        """A paragraph start at position (a line break or a "¶" there)."""
        return self.after_break.match(text, position) or self.after_mark.match(text, position)

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> list[re.Match[str]]:
        """Every paragraph start in text[start:end], in order, each once."""
        end = len(text) if end is None else end
        breaks = list(self.after_break.finditer(text, start, end))  # in order, each once
        if "¶" not in text:
            return breaks
        # A "¶" opening its line is found by both patterns: only the others are merged in.
        ends = {match.end() for match in breaks}
        marks = [m for m in self.after_mark.finditer(text, start, end) if m.end() not in ends]
        if not marks:
            return breaks
        return sorted(breaks + marks, key=match_end)


def match_end(match: re.Match[str]) -> int:
    """Where a match ends (a sort key)."""
    return match.end()


_FIRST_PARAGRAPH: Final = ParagraphPattern(_FIRST_PARAGRAPH_REST)


def squeeze(text: str) -> str:
    """Line breaks, tabs and runs of spaces made one space, ends trimmed.

    Replacing the few kinds of white space a clean body holds, then collapsing only the runs,
    is twice as fast as splitting the text into words and joining them.
    """
    text = text.replace("\n", " ")
    for other in OTHER_SPACES:
        if other in text:
            text = text.replace(other, " ")
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    return text.strip()


def is_rule_line(line: str) -> bool:
    """Whether a line is a dashed underline: its first character rejects almost every line."""
    stripped = line.strip()
    return (
        len(stripped) >= 3
        and stripped[0] in _RULE_MARKS
        and not stripped.strip(RULE_CHARACTER_TEXT)
    )


def _header_text(text: str) -> str:
    """The part of a cable before paragraph 1 (at most HEADER_LIMIT characters)."""
    if _FIRST_PARAGRAPH_AT_START.match(text):
        return ""
    match = _FIRST_PARAGRAPH.search(text, 0, HEADER_LIMIT)
    return text[: match.start()] if match else text[:HEADER_LIMIT]


def ascii_lowered(text: str) -> bytes:
    """The text as Latin-1 bytes, ASCII letters in lower case: one byte per character.

    Positions match the text's, and this copy costs a tenth of ``str.lower`` on the bodies
    holding "¶" or other wide characters; characters beyond Latin-1 become "?".
    """
    return text.encode("latin-1", "replace").lower()


class Body:
    """A cable body (or any fragment of one), with what the field readers derive from it.

    ``text`` never changes. The lower-case copy, the header and the first place of each keyword
    are made when first asked for, once; ``signer`` and the caption zone are filled by the
    readers that compute them (``signer.parse_signer``, ``captions``), which read them back on
    later calls: ``parse_paragraphs`` needs the signer, both caption readers the zone.
    """

    __slots__ = (
        "text",
        "_lowered",
        "_header",
        "_keyword_places",
        "signer",
        "signer_read",
        "caption_zone",
        "caption_spans",
        "caption_spans_read",
    )

    def __init__(self, text: str) -> None:
        self.text: Final = text
        self._lowered: bytes | None = None
        self._header: Body | None = None
        self._keyword_places: dict[str, int] = {}
        # set by signer.parse_signer: the signer (maybe None), once signer_read
        self.signer: str | None = None
        self.signer_read = False
        # set by the caption readers (captions._caption_zone, captions._caption_spans)
        self.caption_zone: str | None = None
        self.caption_spans: tuple[tuple[int, int, str], ...] | None = None
        self.caption_spans_read = False

    @property
    def lowered(self) -> bytes:
        """``ascii_lowered`` of the text."""
        if self._lowered is None:
            self._lowered = ascii_lowered(self.text)
        return self._lowered

    @property
    def header(self) -> Body:
        """The part of the text before paragraph 1 (at most HEADER_LIMIT characters)."""
        if self._header is None:
            self._header = Body(_header_text(self.text))
        return self._header

    def first_keyword_place(self, keyword: str) -> int:
        """Where keyword first occurs in the lower-case copy, -1 if nowhere.

        A third of the cables hold no "summary" or no "comment": without this, the search for
        an end marker without a start one would scan the whole text a second time for nothing.
        """
        place = self._keyword_places.get(keyword)
        if place is None:
            place = self.lowered.find(keyword.encode("ascii"))
            self._keyword_places[keyword] = place
        return place


def as_body(text: str | Body) -> Body:
    """The Body given, or a new one of the text given."""
    return text if isinstance(text, Body) else Body(text)


def find(
    pattern: re.Pattern[str],
    body: Body,
    keyword: str,
    start: int = 0,
    end: int | None = None,
    *,
    screen: Screen | None = None,
) -> re.Match[str] | None:
    """pattern.search(body.text, start, end), tried only around the places keyword occurs.

    Every match of pattern holds keyword (an ASCII word, any case), so a fast byte scan of
    the body's lower-case copy finds the few places worth a regex attempt; the fields are all
    read from the same body, whose copy is made once. `screen`, when given, is asked about
    each window first (see Screen), sparing the regex where no match can be.
    """
    text = body.text
    end = len(text) if end is None else min(end, len(text))
    lowered = body.lowered
    word = keyword.encode("ascii")
    position = body.first_keyword_place(keyword)
    if position < 0:
        return None  # nowhere in the text: no window needs a second scan to say so
    if position < start:
        position = lowered.find(word, start, end)
    elif position + len(word) > end:
        position = -1
    hits = 0
    while position >= 0 and hits < MAX_KEYWORD_HITS:
        hits += 1
        window_start = max(start, position - KEYWORD_LEAD)
        window_end = min(end, position + KEYWORD_TAIL)
        first = window_start if screen is None else screen(window_start, window_end)
        if first is not None:
            match = pattern.search(text, first, window_end)
            if match:
                return match
        position = lowered.find(word, position + 1, end)
    return None


def match_at_keyword(
    pattern: re.Pattern[str], body: Body, keyword: str, end: int | None = None
) -> re.Match[str] | None:
    """The first match of a pattern that starts with its keyword, tried at each occurrence.

    Like find, but a pattern that opens with its keyword ("Classified By", "TAGS", "SUBJ")
    is tried at the keyword's place only, not over a window around it.
    """
    text = body.text
    end = len(text) if end is None else min(end, len(text))
    lowered = body.lowered
    word = keyword.encode("ascii")
    position = lowered.find(word, 0, end)
    hits = 0
    while position >= 0 and hits < MAX_KEYWORD_HITS:
        hits += 1
        match = pattern.match(text, position, end)
        if match:
            return match
        position = lowered.find(word, position + 1, end)
    return None


# The first non-blank character of a line that may be a rule, at the start of a chunk or
# after a line break ("\s" as in str.strip, which is_rule_line uses).
_RULE_LINE_LEAD: Final = re.compile("\\s*[-=_*/\u2010\u2012\u2013\u2014]")
_RULE_LINE_AFTER_BREAK: Final = re.compile("\\n\\s*[-=_*/\u2010\u2012\u2013\u2014]")
# A heading line is at most this long.
MAX_HEADING_LENGTH: Final = 80
# A run of two spaces or more, as _SPACE_RUN ("  +"), written as two spaces and then any
# more: the engine then scans for the pair itself, where a pattern whose literal prefix is one
# space tries a match at every space (a third slower over a paragraph).
SPACES_AFTER_PAIR: Final = re.compile("   *")


def without_headings(lines: list[str]) -> list[str]:
    """Lines without rules and the headings they underline ("Bio notes\n-------")."""
    kept: list[str] = []
    for line in lines:
        if is_rule_line(line):
            if kept and len(kept[-1]) <= MAX_HEADING_LENGTH:
                kept.pop()
            continue
        kept.append(line)
    return kept


def may_hold_rule(chunk: str) -> bool:
    """Whether a line of chunk may be a rule: its first non-blank character is a rule mark.

    Most chunks have none, and are spared the line-by-line check of ``without_headings``.
    """
    return bool(_RULE_LINE_LEAD.match(chunk) or _RULE_LINE_AFTER_BREAK.search(chunk))
