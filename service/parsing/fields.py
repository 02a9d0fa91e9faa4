"""Fields read from the telegram body: TAGS, subject, references, classification lines, summary,
comment, signer, paragraphs, handling captions and office distribution.

Every ``parse_<field>(text)`` works on any fragment of a cable that holds the field, from a few
lines to a whole clean body (engineer 1's ``parse_cable`` passes the body without routing header
and page markers). What each returns:

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

The patterns are compiled once, free of nested or overlapping quantifiers, so that a megabyte
on one line is scanned in linear time; keyword patterns are tried only where a fast substring
scan finds their keyword (``_find``, ``_match_at_keyword``), and the lower-case Latin-1 copy
(``ascii_lowered``, shared with participants.py), the header, the caption zone and the signer
of the body being parsed are cached, since ``parse_cable`` calls every function on the same
body. Every whole-text pass costs about a microsecond per kilobyte here, so passes are few.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from service.parsing.glossary import is_known_tag, split_glued_tags, tag_info
from service.parsing.reference_ids import (
    canonicalize_reference_id,
    make_reference_id,
    nearest_station,
)

# The header (captions, E.O., TAGS, SUBJECT, REF, Classified By) comes before paragraph 1;
# when no paragraph 1 is found, only this many characters are searched for header fields.
HEADER_LIMIT: Final = 6000
# How far from its keyword a header field may run (a wrapped subject, a long REF list).
FIELD_LIMIT: Final = 3000
# Summaries and comments without an "End Summary" stop at the next paragraph; with one, the
# end marker is looked for this far.
BLOCK_LIMIT: Final = 20000
# The signer is one of the last lines.
TAIL_LIMIT: Final = 1500
SIGNER_LOOKBACK_LINES: Final = 8

# --- shared patterns -----------------------------------------------------------------------

# Start of paragraph 1 ("1. (C)", "¶1.(SBU)", "1.  PRESS REPORTS"): the end of the header.
_FIRST_PARAGRAPH_REST: Final = r"1[ \t]*\.(?!\d)[ \t]*(?=[(A-Za-z])"
_FIRST_PARAGRAPH_AT_START: Final = re.compile(r"[ \t]*(?:[¶\ufffd][ \t]*)?" + _FIRST_PARAGRAPH_REST)
# A keyword pattern is tried only this near each place its keyword occurs (see _find).
KEYWORD_LEAD: Final = 80
KEYWORD_TAIL: Final = 64
# No real cable holds its keyword this often before the field: past it, give up (a megabyte of
# "summary summary ..." must not cost a regex attempt per word).
MAX_KEYWORD_HITS: Final = 500
# A screen (see _find): given a window (start, end) around a keyword, where in it the
# pattern's search may begin, or None when the window can hold no match.
Screen = Callable[[int, int], int | None]
MAX_MARKER_CANDIDATES: Final = 50
_BLANK_LINE: Final = re.compile(r"\n[ \t]*\n")
_SPACE_RUN: Final = re.compile(r"  +")
_OTHER_SPACES: Final = ("\t", "\r", "\f", "\v", "\xa0")
# Characters of a dashed underline below a heading ("-------", "- - - -", "=====").
_RULE_CHARACTER_TEXT: Final = "-=_*/ \t"
# The first character of a rule line.
_RULE_MARKS: Final = "-=_*/"

# --- TAGS ------------------------------------------------------------------------------------

# "TAGS:", "TAGS", "TAG PTER", "Tags: parm": the keyword, then the codes.
_TAGS_KEYWORD: Final = re.compile(
    r"(?:(?<![A-Za-z])TAGS?(?:[ \t]*:|[ \t]+(?=[A-Z]{2}))|(?<![A-Za-z])[Tt]ags?[ \t]*:)[ \t]*"
)
# Where a TAGS line written on one line with the next field stops. The pattern opens with
# the set of the fields' first characters, in both cases ("ſ" is an s ignoring case), which
# the regex engine skips ahead to, then checks that the letter opens a word, and which field
# it opens; only that part ignores case. (A pattern led by a lookbehind or lookahead, or by a
# set of letters under IGNORECASE, is tried at every position instead: see _CAPTION_ZONE_END.)
_TAGS_STOP: Final = re.compile(
    "[CERScers\u017f¶](?i:(?<![A-Za-z].)"
    r"(?:(?<=S)UBJ(?:ECT)?\s*:|(?<=R)EFS?\s*:|(?<=R)EF\b|(?<=C)LASSI?F?I?ED\s+BY|(?<=E)\.\s?O\."
    r"|(?<=¶)))"
)
_TAGS_GROUP: Final = re.compile(r"\(([^()]*)\)")
_TAG_TOKEN: Final = re.compile(r"[A-Za-z][A-Za-z'\-]*|,")
# Words of a tag list that are not codes and must not extend a TAGS line.
_TAG_LINE_LEAD: Final = re.compile(r"(?i)^\s*(?:SUBJ|REF|CLASSI|E\.\s?O|¶|\d)")
PERSON_TAG_LEAD: Final = "OVIP"
# Longest run of words joined into one multi-word tag ("ITALIAN POLITICS", "BIDEN, JOSEPH").
_MAX_TAG_WORDS: Final = 4


class _ParagraphPattern:
    """A paragraph start: after a line break, or after a "¶" anywhere (flattened cables).

    Each of the two patterns starts with a literal, which the regex engine finds with a fast
    scan; one pattern led by a character set would be tried at every position.
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
        return sorted(breaks + marks, key=_match_end)


def _match_end(match: re.Match[str]) -> int:
    """Where a match ends (a sort key)."""
    return match.end()


_FIRST_PARAGRAPH: Final = _ParagraphPattern(_FIRST_PARAGRAPH_REST)


def _squeeze(text: str) -> str:
    """Line breaks, tabs and runs of spaces made one space, ends trimmed.

    Replacing the few kinds of white space a clean body holds, then collapsing only the runs,
    is twice as fast as splitting the text into words and joining them.
    """
    text = text.replace("\n", " ")
    for other in _OTHER_SPACES:
        if other in text:
            text = text.replace(other, " ")
    if "  " in text:
        text = _SPACE_RUN.sub(" ", text)
    return text.strip()


def _blank_line_split(text: str) -> list[str]:
    """Text split at blank lines; clean bodies have no trailing spaces, so a plain split does."""
    if " \n" in text or "\t\n" in text:
        return _BLANK_LINE.split(text)
    return text.split("\n\n")


def _is_rule_line(line: str) -> bool:
    """Whether a line is a dashed underline: its first character rejects almost every line."""
    stripped = line.strip()
    return (
        len(stripped) >= 3
        and stripped[0] in _RULE_MARKS
        and not stripped.strip(_RULE_CHARACTER_TEXT)
    )


@functools.lru_cache(maxsize=8)
def _header(text: str) -> str:
    """The part of a cable before paragraph 1 (at most HEADER_LIMIT characters)."""
    if _FIRST_PARAGRAPH_AT_START.match(text):
        return ""
    match = _FIRST_PARAGRAPH.search(text, 0, HEADER_LIMIT)
    return text[: match.start()] if match else text[:HEADER_LIMIT]


@functools.lru_cache(maxsize=16)
def ascii_lowered(text: str) -> bytes:
    """The text as Latin-1 bytes, ASCII letters in lower case: one byte per character.

    Positions match the text's, and this copy costs a tenth of ``str.lower`` on the bodies
    holding "¶" or other wide characters; characters beyond Latin-1 become "?".
    """
    return text.encode("latin-1", "replace").lower()


def _find(
    pattern: re.Pattern[str],
    text: str,
    keyword: str,
    start: int = 0,
    end: int | None = None,
    *,
    screen: Screen | None = None,
) -> re.Match[str] | None:
    """pattern.search(text, start, end), tried only around the places keyword occurs.

    Every match of pattern holds keyword (an ASCII word, any case), so a fast byte scan of
    the cached lower-case copy finds the few places worth a regex attempt; the fields are all
    read from the same body, whose copy is made once. `screen`, when given, is asked about
    each window first (see Screen), sparing the regex where no match can be.
    """
    end = len(text) if end is None else min(end, len(text))
    lowered = ascii_lowered(text)
    word = keyword.encode("ascii")
    position = _first_keyword_place(text, keyword)
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


@functools.lru_cache(maxsize=8)
def _first_keyword_place(text: str, keyword: str) -> int:
    """Where keyword first occurs in the lower-case copy of text, -1 if nowhere.

    A third of the cables hold no "summary" or no "comment": without this, the search for
    an end marker without a start one would scan the whole text a second time for nothing.
    """
    return ascii_lowered(text).find(keyword.encode("ascii"))


def _match_at_keyword(
    pattern: re.Pattern[str], text: str, keyword: str, end: int | None = None
) -> re.Match[str] | None:
    """The first match of a pattern that starts with its keyword, tried at each occurrence.

    Like _find, but a pattern that opens with its keyword ("Classified By", "TAGS", "SUBJ")
    is tried at the keyword's place only, not over a window around it.
    """
    end = len(text) if end is None else min(end, len(text))
    lowered = ascii_lowered(text)
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


def _tags_text(text: str) -> str | None:
    """The raw text of the TAGS field, continuation lines included, or None."""
    header = _header(text)
    match = _match_at_keyword(_TAGS_KEYWORD, header, "tag")
    if match is None:
        return None
    lines = header[match.end() : match.end() + FIELD_LIMIT].split("\n")
    first = lines[0]
    stop = _TAGS_STOP.search(first)
    if stop:
        return first[: stop.start()]
    parts = [first]
    for line in lines[1:]:
        continued = parts[-1].rstrip().endswith(",")
        if not line.strip() or not (continued or _looks_like_tag_line(line)):
            break
        if _TAG_LINE_LEAD.match(line):
            break
        stop = _TAGS_STOP.search(line)
        parts.append(line[: stop.start()] if stop else line)
        if stop:
            break
    return " ".join(parts)


def _looks_like_tag_line(line: str) -> bool:
    """Whether a line after the TAGS line continues it: only codes, each known or short."""
    if _TAG_LINE_LEAD.match(line):
        return False
    words = [word for word in _TAG_TOKEN.findall(line.upper()) if word != ","]
    if not words or len(words) > 12:
        return False
    # Short unknown codes count only in a line written in capitals, as codes are.
    short_ok = line.upper() == line
    return all(
        is_known_tag(word) or split_glued_tags(word) or (short_ok and len(word) <= 4)
        for word in words
    )


def parse_tags(text: str) -> list[str]:
    """TAGS as written: upper case, cable order, no duplicates; person tags as "LAST, FIRST"."""
    raw = _tags_text(text)
    if raw is None:
        return []
    tags: list[str] = []
    position = 0
    for group in _TAGS_GROUP.finditer(raw):
        tags.extend(_tags_from_words(raw[position : group.start()]))
        person = _squeeze(group.group(1)).strip(" ,").upper()
        if person:
            tags.append(person)
        position = group.end()
    tags.extend(_tags_from_words(raw[position:]))
    return list(dict.fromkeys(tags))


def _tags_from_words(chunk: str) -> list[str]:
    """Codes of a stretch of TAGS text without parentheses."""
    tokens = _TAG_TOKEN.findall(chunk.upper())
    if "," in tokens:
        return _tags_from_comma_list(tokens)
    return _tags_from_word_list(tokens)


def _tags_from_comma_list(tokens: list[str]) -> list[str]:
    """Comma-separated TAGS: each item is a tag, "HUMAN RIGHTS" stays whole."""
    items: list[list[str]] = [[]]
    for token in tokens:
        if token == ",":
            items.append([])
        else:
            items[-1].append(token)
    tags: list[str] = []
    for words in items:
        joined = " ".join(words)
        if len(words) > 1 and not is_known_tag(joined):
            tags.extend(_tags_from_word_list(words))
        elif joined:
            tags.extend(_code_or_split(joined))
    return tags


def _tags_from_word_list(words: list[str]) -> list[str]:
    """Space-separated TAGS: known multi-word tags joined, names after OVIP as "LAST, FIRST"."""
    # Most lists hold short known codes only, which the loop below keeps one by one: none can
    # open a multi-word tag, nor be a person's name after OVIP.
    if all(len(word) <= 4 and is_known_tag(word) for word in words):
        return list(words)
    tags: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        known = is_known_tag(word)  # looked up once, for both questions below
        # Multi-word tags start with a word that is no code ("HUMAN", "BIDEN") or a long one.
        maybe_multi = len(word) > 4 or not known
        size, tag = _multi_word_tag(words, index) if maybe_multi else (1, None)
        if tag is None and tags and tags[-1] == PERSON_TAG_LEAD:
            size, tag = _unlisted_person(words, index)
        if tag is None:
            # (what _code_or_split gives, with the lookup already made)
            tags.extend([word] if known else split_glued_tags(word) or [word])
            index += 1
        else:
            tags.append(tag)
            index += size
    return tags


def _multi_word_tag(words: list[str], index: int) -> tuple[int, str | None]:
    """The longest known tag of 2+ words starting at index ("BIDEN, JOSEPH" from BIDEN JOSEPH)."""
    for size in range(min(_MAX_TAG_WORDS, len(words) - index), 1, -1):
        run = words[index : index + size]
        # As written, as a person ("BIDEN JOSEPH"), or split by the wrap ("COUNTER TERRORISM").
        for candidate in (" ".join(run), f"{run[0]}, {' '.join(run[1:])}", "".join(run)):
            if is_known_tag(candidate):
                return size, candidate
    return 1, None


def _unlisted_person(words: list[str], index: int) -> tuple[int, str | None]:
    """After OVIP, two or three unknown words are a person: "SMITH JOHN" -> "SMITH, JOHN"."""
    run: list[str] = []
    for word in words[index : index + 3]:
        if is_known_tag(word) or split_glued_tags(word):
            break
        run.append(word)
    if len(run) < 2:
        return 1, None
    return len(run), f"{run[0]}, {' '.join(run[1:])}"


def _code_or_split(code: str) -> list[str]:
    """One code, or the codes of a glued run ("ETRDEINVECINPGOVCS") when it is not known."""
    if is_known_tag(code):
        return [code]
    return split_glued_tags(code) or [code]


def tag_details(tags: list[str]) -> list[dict[str, Any]]:
    """One {"tag", "kind", "title", "corrected"} per tag, from the glossary."""
    return [tag_info(tag) for tag in tags]


def tag_keys(tags: list[str], *, details: list[dict[str, Any]] | None = None) -> list[str]:
    """What tag queries match: every tag, every corrected code, OVIP for every person tag.

    `details`, the tags' tag_details when the caller has them already, spares looking them up.
    """
    keys: list[str] = []
    for detail in tag_details(tags) if details is None else details:
        keys.append(detail["tag"])
        if detail["corrected"]:
            keys.append(detail["corrected"])
        if detail["kind"] == "person":
            keys.append(PERSON_TAG_LEAD)
    return list(dict.fromkeys(keys))


# --- SUBJECT ---------------------------------------------------------------------------------

_SUBJECT_KEYWORD: Final = re.compile(r"(?i)(?<![A-Za-z])SUBJ(?:ECT)?[ \t]*:[ \t]*")
# Where a subject stops when the next field follows on the same or the next line. Every
# alternative opens with a literal, which the regex engine skips ahead to; that the letter
# opens a word is checked after it ("R(?<![A-Za-z]R)"): a pattern led by a lookbehind would
# be tried at every position of the line, four times slower.
_SUBJECT_STOP: Final = re.compile(
    r"R(?<![A-Za-z]R)(?:EFS?\b\s*[:.]|EFTEL\b)|C(?<![A-Za-z]C)(?:lassi?f?i?ed [Bb]y|LASSIFIED BY)"
    r"|¶|S(?<![A-Za-z]S)ENSITIVE BUT UNCLASSIFIED|E(?<![A-Za-z]E)\.\s?O\.\s?\d"
    r"|C O N F I D E N T I A L|S E C R E T|U N C L A S"
)
# A line that starts the next field or paragraph, so the subject does not run into it.
_SUBJECT_LINE_STOP: Final = re.compile(
    r"(?i)^[ \t]*(?:REF|CLASSI|E\.\s?O\.|TAGS|\d{1,3}[ \t]*\.|\([A-Z/]{1,6}\)|SUMMARY|BEGIN|"
    r"SIPDIS|PAGE \d|-{3,}|(?:UNCLAS|CONFIDENTIAL|SECRET)\b|"
    # a page marker ("MINSK 00000641 001.3 OF 005") or a dated line ("Friday, 18 December 2009")
    r"[A-Z .'-]{2,40} \d{8} |(?:MON|TUES|WEDNES|THURS|FRI|SATUR|SUN)DAY,)"
)
_SUBJECT_MARKING: Final = re.compile(r"^\(([A-Za-z]{1,4}(?:(?:/{1,2}|-)[A-Za-z ]{1,12}){0,3})\)\s*")


def parse_subject(text: str) -> str | None:
    """The SUBJECT, wrapped lines joined, leading marking such as "(C)" removed."""
    return parse_subject_and_marking(text)[0]


def parse_subject_marking(text: str) -> str | None:
    """The subject's own marking without parentheses ("C", "SBU", "S/NF"), or None."""
    return parse_subject_and_marking(text)[1]


def parse_subject_and_marking(text: str) -> tuple[str | None, str | None]:
    """(subject, marking) of the SUBJECT line."""
    header = _header(text)
    match = _match_at_keyword(_SUBJECT_KEYWORD, header, "subj")
    if match is None:
        return None, None
    lines = header[match.end() : match.end() + FIELD_LIMIT].split("\n")
    parts: list[str] = []
    for number, line in enumerate(lines):
        if number and (not line.strip() or _SUBJECT_LINE_STOP.match(line)):
            break
        stop = _SUBJECT_STOP.search(line)
        parts.append((line[: stop.start()] if stop else line).rstrip(" \\"))
        if stop:
            break
    subject = _squeeze(" ".join(parts)).strip()
    marking = None
    found = _SUBJECT_MARKING.match(subject)
    if found:
        marking = found.group(1).upper().replace(" ", "")
        subject = subject[found.end() :]
    return subject or None, marking


# --- REFERENCES ------------------------------------------------------------------------------

# "REF:", "REFS:", "REF.", "REFTEL:", or "REF" opening a line of the header.
_REF_KEYWORD: Final = re.compile(
    r"(?:(?<![A-Za-z])REF(?:S|TELS?)?[ \t]*:|(?<![A-Za-z])Refs?[ \t]*:"
    r"|(?m:^)[ \t]*(?:¶[ \t]*)?REF(?:S)?\.?[ \t]+"
    # "SENSITIVE SIPDIS REF LONDON 01170": inside a line, only before a station and serial
    r"|(?<![A-Za-z(])REF[ \t]+(?=[A-Z][A-Z ]{1,30}\d))"
)
# What may stand between a line start and "REF" in _REF_KEYWORD.
_REF_LINE_LEAD: Final = " \t¶"
# No reference entry is longer than this; longer ones ran into the text.
MAX_REFERENCE_TEXT: Final = 160
# Where the REF block ends: the next header field, a paragraph, a summary heading. Every
# match opens with a character of the leading lookahead, which turns away most positions
# with one test before the alternatives are tried (three times faster).
_REF_STOP: Final = re.compile(
    r"(?=(?i:[\ncest(]))(?:"
    r"(?i:classi?f?i?ed\s+by|(?<![A-Za-z])summary\b|(?<![A-Za-z])E\.\s?O\.\s?\d|"
    r"\n[ \t]*\n(?![ \t]*(?:¶[ \t]*)?\(?[A-Z][.):]\s)|\n[ \t]*(?:¶[ \t]*)?\d{1,3}[ \t]*\.(?!\d)|"
    r"(?<![A-Za-z])TAGS\b|(?<![A-Za-z])SUBJECT\s*:|sensitive\s+but\s+unclassified)|"
    # a paragraph that starts with its marking and a sentence: "(SBU) Poloff delivered"
    r"\((?:U|C|S|SBU|C/NF|S/NF)\)\s+[A-Z][a-z]+[ \t]+[a-z]+"
    r")"
)
# A page marker left inside a line ("TRIPOLI 00000214 001.2 OF 002").
_INLINE_PAGE_MARKER: Final = re.compile(
    r"[A-Z][A-Z ]{1,30}? \d{8}[ \t]+\d{3}(?:\.\d+)?[ \t]+OF[ \t]+\d{3}"
)
# A bullet: "A.", "A)", "(A)", "A:", "REF A:", "¶B."; its letter is checked to be the next one.
_BULLET: Final = re.compile(
    r"(?:(?<=[\s;,(¶])|^)(?:REF[ \t]+)?\(?([A-Za-z])(?:[.):]|(?<=REF [A-Z])[ \t])(?=\s|\(|[A-Z0-9])"
)
# A cable: optional year (2 or 4 digits, maybe glued), station words, serial.
_CABLE_REF: Final = re.compile(
    r"(?:(?P<year>\d{2}|\d{4})[ \t]*)?(?P<station>[A-Za-z][A-Za-z .']{1,40}?)[ \t]*-?"
    r"(?P<serial>\d{1,8})\b"
)
# A bare serial, a cable of the citing station ("REF: 1234").
_SERIAL_ONLY: Final = re.compile(r"^(?P<serial>\d{1,8})(?:\s*\([A-Z]+\))?$")
# What joins two cables cited in one entry ("ISLAMABAD 5266 ISLAMABAD 4817", "TEHRAN 1091:").
_CABLE_JOINER: Final = re.compile(r"(?i)^[\s,:;]*(?:AND\s+)?")
_REFERENCE_ID_PARTS: Final = re.compile(
    r"^(?P<year>\d{4}|\d{2})(?P<station>[A-Z]+?)(?P<serial>\d+)"
)
# Kinds of non-cable references, by the word that names them (first match wins).
_REF_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email", re.compile(r"(?i)\bE-?MAILS?\b|\bEMAIL")),
    ("telcon", re.compile(r"(?i)\bTELE?CONS?\b|\bPHONE\b|\bTELEPHONE\b|\bCALL\b")),
    ("memcon", re.compile(r"(?i)\bMEMCONS?\b|\bMEMORANDUM OF CONVERSATION")),
    ("letter", re.compile(r"(?i)\bLETTERS?\b")),
    ("report", re.compile(r"(?i)\bREPORTS?\b|\bIIR\b|\bDTG\b|\bSTUDY\b")),
)


def parse_references(text: str, *, reference_id: str | None = None) -> list[dict[str, Any]]:
    """Every REF entry as {"kind", "id", "bullet", "text"}; cable ids canonical.

    A cable reference without a year takes the year of ``reference_id`` (the citing cable), and
    one without a station ("REF: 1234") its station; without ``reference_id`` its id is None.
    """
    block = _references_text(text)
    if block is None:
        return []
    own_year, own_station = _own_year_and_station(reference_id)
    references = []
    for bullet, entry in _bulleted_entries(block):
        for piece in _split_entry(entry):
            for single, cable in _split_cables(piece):
                references.append(_reference(single, cable, bullet, own_year, own_station))
    return references


def _references_text(text: str) -> str | None:
    """The text of the REF block after its keyword, or None."""
    header = _header(text)
    match = _reference_keyword(header)
    if match is None:
        return None
    # "REF A SECRETARY'S LETTER ... REF B SECSTATE 76108": keep "REF" so bullet A is seen
    start = match.end() if match.group().rstrip().endswith(":") else match.start()
    rest = header[start : start + FIELD_LIMIT]
    stop = _REF_STOP.search(rest)
    block = (rest[: stop.start()] if stop else rest).replace("¶", " ")
    if " OF " in block:
        block = _INLINE_PAGE_MARKER.sub(" ", block)
    return block if block.strip() else None


def _reference_keyword(header: str) -> re.Match[str] | None:
    """``_find(_REF_KEYWORD, header, "ref")``, with windows screened first.

    Every match holds "REF" or "Ref" as written (the pattern is case-sensitive), so a window
    around a "ref" of "reference" or "preferred" that holds neither is skipped, and in the
    others the search starts at the first of them, or before the blanks and "¶" that may open
    its line: two substring scans instead of a regex try at each position of the window.
    """

    def written_ref_start(window_start: int, window_end: int) -> int | None:
        upper = header.find("REF", window_start, window_end)
        title = header.find("Ref", window_start, window_end)
        first = title if upper < 0 or 0 <= title < upper else upper  # the first found, or -1
        if first < 0:
            return None
        while first > window_start and header[first - 1] in _REF_LINE_LEAD:
            first -= 1
        return first

    return _find(_REF_KEYWORD, header, "ref", screen=written_ref_start)


def _own_year_and_station(reference_id: str | None) -> tuple[str | None, str | None]:
    """Year and station of the citing cable's id ("06ALMATY1457" -> "06", "ALMATY")."""
    if not reference_id:
        return None, None
    match = _REFERENCE_ID_PARTS.match(canonicalize_reference_id(reference_id))
    if match is None:
        return None, None
    return match["year"], match["station"]


def _bulleted_entries(block: str) -> list[tuple[str | None, str]]:
    """Split a REF block into (bullet letter, entry text); bullets must run A, B, C..."""
    if not _may_hold_bullet(block):
        return [(None, block)]  # one cable ("STATE 126167"), spared the regex
    starts: list[tuple[int, int, str]] = []
    expected = "A"
    for match in _BULLET.finditer(block):
        letter = match.group(1).upper()
        if letter != expected or (starts and block[starts[-1][1] : match.start()].strip() == ""):
            continue
        if "(" in block and _inside_parentheses(block, match.start()):
            continue
        starts.append((match.start(), match.end(), letter))
        expected = chr(ord(expected) + 1)
    if not starts or block[: starts[0][0]].strip():
        return [(None, block)] if not starts else _leading_and_bulleted(block, starts)
    return [
        (letter, block[end : starts[i + 1][0] if i + 1 < len(starts) else len(block)])
        for i, (_, end, letter) in enumerate(starts)
    ]


def _may_hold_bullet(block: str) -> bool:
    """Whether _BULLET may match: its letter is followed by ".", ")" or ":", or follows "REF "."""
    return "." in block or ")" in block or ":" in block or "REF " in block


def _inside_parentheses(block: str, position: int) -> bool:
    """Whether position lies inside a parenthesis that closes later ("(NODIS ¶B. NOTAL)")."""
    depth = block.count("(", 0, position) - block.count(")", 0, position)
    return depth > 0 and ")" in block[position:]


def _leading_and_bulleted(
    block: str, starts: list[tuple[int, int, str]]
) -> list[tuple[str | None, str]]:
    """A block whose first entry has no bullet, followed by bulleted entries."""
    entries: list[tuple[str | None, str]] = [(None, block[: starts[0][0]])]
    for i, (_, end, letter) in enumerate(starts):
        stop = starts[i + 1][0] if i + 1 < len(starts) else len(block)
        entries.append((letter, block[end:stop]))
    return entries


# A doubled bullet after the first ("A. (A) ISLAMABAD 3249", "A. A) BRASILIA 236", "A. A. 02").
_DOUBLED_BULLET: Final = re.compile(r"^\s*(?:REF\b\s*:?\s*|\(?[A-Za-z][.):]\s*)")


def _split_entry(entry: str) -> list[str]:
    """One bullet's text split at semicolons into single references, cleaned."""
    # A doubled bullet opens with "REF", "(" or a letter and ".):"; most entries open with a
    # station instead, and are spared the regex.
    lead = entry.lstrip()
    doubled = None
    if lead.startswith(("REF", "(")) or lead[1:2] in (".", ")", ":"):
        doubled = _DOUBLED_BULLET.match(entry)
    entry = entry[doubled.end() :] if doubled else entry
    pieces = [_squeeze(piece).strip(" ,;.\\") for piece in entry.replace("\\", " ").split(";")]
    return [_shortened(piece) for piece in pieces if piece]


def _shortened(piece: str) -> str:
    """An entry cut to MAX_REFERENCE_TEXT characters at a word end (a REF block ran on)."""
    if len(piece) <= MAX_REFERENCE_TEXT:
        return piece
    return piece[:MAX_REFERENCE_TEXT].rsplit(" ", 1)[0]


def _split_cables(piece: str) -> list[tuple[str, re.Match[str] | None]]:
    """Split an entry citing several cables in a row into one text per cable, each with its
    ``_CABLE_REF.match`` (the first search's match when it starts the piece: the same one)."""
    found = []
    first: re.Match[str] | None = None
    position = 0
    # A cable takes several characters: none is sought after the end of the piece.
    while position < len(piece) and (match := _CABLE_REF.search(piece, position)) is not None:
        first = first or match
        if nearest_station(match["station"]) and _at_word_start(piece, match.start()):
            found.append(match)
            position = match.end()
        else:
            # "AND PREVIOUS 03 RANGOON 1427": the rejected serial may be the next cable's year.
            position = match.start("serial")
    if len(found) < 2 or found[0].start() != 0:
        return [(piece, first if first and first.start() == 0 else None)]
    bounds = [match.start() for match in found] + [len(piece)]
    singles = [piece[start:end] for start, end in zip(bounds, bounds[1:], strict=False)]
    cleaned = [_CABLE_JOINER.sub("", single).strip(" ,;:") for single in singles]
    return [(single, _CABLE_REF.match(single)) for single in cleaned]


def _at_word_start(text: str, position: int) -> bool:
    """Whether position starts a word (not the middle of "ALMATY")."""
    return position == 0 or not text[position - 1].isalnum()


def _reference(
    piece: str,
    cable: re.Match[str] | None,
    bullet: str | None,
    year: str | None,
    station: str | None,
) -> dict[str, Any]:
    """One reference entry: a cable with its canonical id, or another kind with id None.

    cable is ``_CABLE_REF.match(piece)``, which _split_cables has already tried.
    """
    code = nearest_station(cable["station"]) if cable else None
    if cable and code:
        ref_year = cable["year"] or year
        ref_id = make_reference_id(ref_year, code, cable["serial"]) if ref_year else None
        return {"kind": "cable", "id": ref_id, "bullet": bullet, "text": piece}
    serial = _SERIAL_ONLY.match(piece)
    if serial and year and station:
        ref_id = make_reference_id(year, station, serial["serial"])
        return {"kind": "cable", "id": ref_id, "bullet": bullet, "text": piece}
    kind = next((name for name, pattern in _REF_KINDS if pattern.search(piece)), "other")
    return {"kind": kind, "id": None, "bullet": bullet, "text": piece}


# --- CLASSIFIED BY ---------------------------------------------------------------------------

_CLASSIFIED_BY: Final = re.compile(r"(?i)(?<![A-Za-z])classi?f?i?e?d[ \t]+by[ \t]*:?[ \t]*")
# Repeated keywords ("Classified By: CLASSIFIED BY POLITICAL...", "Classified By: by CDA").
_REPEATED_KEYWORD: Final = re.compile(r"(?i)^(?:classi?f?i?e?d[ \t]+by[ \t]*:?[ \t]*|by[ \t]+)")
# Where the classifying official ends and the reasons begin. Every match opens with one of
# the characters of the leading lookahead, which turns away most positions with one test
# (the name's letters) before the alternatives are tried: twice as fast.
_REASONS_START: Final = re.compile(
    r"(?i)(?=[,;.\srfp])"
    r"(?:[,;.]?\s*\b(?:for\s+|per\s+)?(?:reasons?|reaons|reaso\s?ns|rea\s*$)\b|"
    r"[,;.]?\s*\bfor\s+rea|"
    r"[,;]?\s*\bfor\s*$|[,;]?\s*\bper\s+(?=1)|[,;]\s*(?=1\s*[./]\s*[45]))"
)
# The end of the Classified By block: a blank line, a paragraph, a summary (the lookahead
# holds the first character of every alternative, as in _REASONS_START).
_CLASSIFIED_STOP: Final = re.compile(
    r"(?i)(?=[\s¶s])(?:\n[ \t]*\n|\n[ \t]*¶|¶|\s\d{1,2}\.\s+\(|\bsummary\b|\n[ \t]*-{3,}"
    r"|\n[ \t]*\d{1,2}\.\s)"
)
# How far from the end of the official's text a dangling "for rea" is sought.
TRAILING_FOR_REACH: Final = 40
_TRAILING_FOR: Final = re.compile(r"(?i)[\s,;.]+(?:for|per)?\s*(?:rea\w*\s*)?$")
# The first characters of _REPEATED_KEYWORD's matches ("classified by", "by").
_REPEATED_KEYWORD_LEADS: Final = ("c", "C", "b", "B")
# "REASON:" closing a line whose section number comes after a blank line.
_DANGLING_REASON: Final = re.compile(r"(?i)\breasons?[ \t]*:?[ \t]*$")
# Section 1.4 / 1.5 of the E.O., typos included ("1/4", "1 .4", "14", "1.4."); every match
# opens with "1", "I" or a space, which the lookahead tests first (as in _REASONS_START).
_REASON_SECTION: Final = re.compile(r"(?=[1I\s])(?<![\d.])1?\s?([1I])\s?[./]?\s?([45])\.?(?!\d)")
_PAREN_CONTENT: Final = re.compile(r"\(([^()]*)(?:\)|$)")
_REASON_LETTER: Final = re.compile(r"(?<![A-Za-z])([a-hA-H])(?![A-Za-z])")
_REASON_LETTERS: Final = frozenset("abcdefghABCDEFGH")
# Words of an official's title, lower case ("a/dcm", "charge", "d'affaires", "pol/econ").
_TITLE_WORDS_TEXT: Final = """
    a.i a.i. a.i., acting adcm affaires general advisor affairs amb amb. ambassador arso
    assistant cda cg charg charge
    charge' chief coordinator cooqnator com congen consul consul-general consulate counselor
    councelor d'affaires d’affaires d’ dcm deputy director dir dir. econ economic ecopol econoff
    officer executive global glbal interagency legal m-c m/c mc minister minister-counselor
    minister-councelor mincouns mission of pol pol/c pol/econ polcouns polcounselor polecon
    political polmincouns poloff principal provincial section secretary under unit usec usun
    a/polcouns d/polcouns d/political a/s a/dcm p/e isn regional presence team leader eur/pra
    inr/ops isn/mtr useu section-chief pao rso consul-general deputy-chief p/e
"""
_TITLE_WORDS: Final = frozenset(_TITLE_WORDS_TEXT.split())
# The first names of a Classified By that are not a person.
_NOT_A_NAME: Final = re.compile(r"(?i)^(?:x+|nara\b.*|\W*)$")
# Abbreviations kept in capitals when a title written in capitals is put in proper case.
_TITLE_ABBREVIATIONS: Final = frozenset(
    {"ADCM", "AMB", "AMB.", "ARSO", "CDA", "CG", "COM", "DCM", "DIR", "DIR.", "ISN", "MC", "POL"}
    | {"PRT", "USEU", "USUN", "A.I.", "A.I"}
)
_TITLE_SMALL_WORDS: Final = frozenset({"OF", "AND", "FOR", "THE"})
_OFFICIAL_PARTS: Final = re.compile(r"[,;]")
_NAME_PIECE_BREAK: Final = re.compile(r"(['’\-])")
_INITIAL_GLUED: Final = re.compile(r"\b([A-Z])\.(?=[A-Za-z]{2})")


def parse_classified_by(text: str) -> dict[str, Any] | None:
    """The classifying official: {"name", "title", "reasons"} ("1.4(b)"), or None."""
    match = _match_at_keyword(_CLASSIFIED_BY, text, "class", HEADER_LIMIT * 2)
    if match is None or _declassified_keyword(text, match.start()):
        return None
    block = text[match.end() : match.end() + 600]
    stop = _CLASSIFIED_STOP.search(block)
    if stop and _ends_with_reason(block[: stop.start()]):
        stop = _CLASSIFIED_STOP.search(block, stop.end())  # "REASON: \n\n1.4(C)."
    block = _squeeze(block[: stop.start()] if stop else block).strip()
    # Both repeated keywords open with "c" or "b": other blocks are spared the regex.
    while block[:1] in _REPEATED_KEYWORD_LEADS and (repeated := _REPEATED_KEYWORD.match(block)):
        block = block[repeated.end() :]
    reasons_at = _REASONS_START.search(block) or _REASON_SECTION.search(block)
    official = _without_trailing_for(block[: reasons_at.start()] if reasons_at else block)
    reasons = _reasons(block[reasons_at.start() :] if reasons_at else "")
    name, title = _name_and_title(official)
    if name is None and title is None and not reasons:
        return None
    return {"name": name, "title": title, "reasons": reasons}


def _ends_with_reason(text: str) -> bool:
    """Whether text ends with "REASON:" (_DANGLING_REASON), the section number to come later.

    Only text whose end is the word is tried with the regex: in a full parse a regex call costs
    more than this string test, and almost every official's text ends otherwise.
    """
    if not text.rstrip(" \t:\n").casefold().endswith(("reason", "reasons")):
        return False  # casefold: the regex ignores case, and reads "ſ" as "s"
    return _DANGLING_REASON.search(text) is not None


def _without_trailing_for(official: str) -> str:
    """The official without a dangling ", for rea" (sought in the last characters only)."""
    if not _may_end_with_for(official):
        return official
    trailing = _TRAILING_FOR.search(official, max(0, len(official) - TRAILING_FOR_REACH))
    return official[: trailing.start()] if trailing else official


def _may_end_with_for(official: str) -> bool:
    """Whether _TRAILING_FOR may match: the text ends with a blank or ",;.", or its last word is
    "for" or "per", opens with "rea", or is one glued to the other ("forreasons"), in any case.
    Most officials end with a name, and are spared the regex, which costs more in a full parse.
    """
    if not official[-1:].isalnum():
        return True  # a blank or ",;." at the end (or a character no match can end with)
    tail = official[-TRAILING_FOR_REACH:]
    folded = tail.casefold()
    if "for" not in folded and "per" not in folded and "rea" not in folded:
        return False  # most names: no last word can open with them (the test below)
    for separator in ",;.":
        tail = tail.replace(separator, " ")
    last = tail.split()[-1].casefold()
    if last.startswith(("for", "per")):
        last = last[3:]
    return not last or last.startswith("rea")


def _declassified_keyword(text: str, start: int) -> bool:
    """Whether the match is the tail of "DECLASSIFIED BY" rather than "Classified By"."""
    return text[max(0, start - 2) : start].upper() == "DE"


def _reasons(text: str) -> list[str]:
    """Reasons as "1.4(b)": the section number, then letters in parentheses or standing alone."""
    section = _REASON_SECTION.search(text)
    if section is None:
        return []
    number = f"1.{section.group(2)}"
    tail = text[section.end() :]
    groups = _PAREN_CONTENT.findall(tail) if "(" in tail else []
    if groups and all(len(group) == 1 for group in groups):
        # "(b) and (d)": the letters alone, each of which _REASON_LETTER would find by itself
        letters = [group.lower() for group in groups if group in _REASON_LETTERS]
    else:
        letters_text = " ".join(groups) if groups else tail
        letters = [letter.lower() for letter in _REASON_LETTER.findall(letters_text)]
    return [f"{number}({letter})" for letter in dict.fromkeys(letters)]


def _name_and_title(official: str) -> tuple[str | None, str | None]:
    """Split "AMBASSADOR JOHN ORDWAY" / "Chris Stevens, CDA, Embassy Tripoli" into name, title."""
    # Most officials hold no comma or semicolon: they are spared the split.
    pieces = _OFFICIAL_PARTS.split(official) if "," in official or ";" in official else [official]
    parts = [stripped for part in pieces if (stripped := part.strip(" .,;:"))]
    title_words: list[str] = []
    for index, part in enumerate(parts):
        words = part.split()
        titles = [_is_title_word(word) for word in words]  # each word looked up once
        if all(titles):
            title_words.extend(words)
            continue
        last_title = len(titles) - 1  # the name is what follows the last title word
        while last_title >= 0 and not titles[last_title]:
            last_title -= 1
        name_words = words[last_title + 1 :]
        title_words.extend(words[: last_title + 1])
        name = " ".join(name_words)
        if not name_words or _not_a_name(name):
            return None, _display_title(title_words)
        if not title_words and index + 1 < len(parts) and _mostly_title(parts[index + 1]):
            title_words = parts[index + 1].split()
        return _display_name(name), _display_title(title_words)
    return None, _display_title(title_words)


def _not_a_name(name: str) -> bool:
    """Whether _NOT_A_NAME matches ("XXXXXXXX", "NARA ...", punctuation alone).

    Its three forms open with "x", "n" or a character that is no word character (as "\\W"
    means it); a name opening with another letter is spared the regex.
    """
    lead = name[:1]
    if lead.isalnum() and lead not in ("x", "X", "n", "N"):
        return False
    return _NOT_A_NAME.match(name) is not None


@functools.lru_cache(maxsize=1024)
def _is_title_word(word: str) -> bool:
    """Whether a word belongs to an official's title rather than to the name."""
    return word.lower().strip(",.") in _TITLE_WORDS or word.lower() in _TITLE_WORDS


def _mostly_title(part: str) -> bool:
    """Whether a comma part after the name is the title ("CDA", "Consul General")."""
    words = part.split()
    return bool(words) and (_is_title_word(words[0]) or len(words) <= 4)


def _display_title(words: list[str]) -> str | None:
    """Title in proper case when written all in capitals ("AMBASSADOR" -> "Ambassador")."""
    if not words:
        return None
    title = " ".join(words)
    if title.upper() != title:
        return title
    return " ".join(_title_word(word) for word in words)


def _title_word(word: str) -> str:
    """One word of a title written in capitals, in proper case unless an abbreviation."""
    if word in _TITLE_SMALL_WORDS:
        return word.lower()
    if word in _TITLE_ABBREVIATIONS or "/" in word:
        return word
    return _proper_word(word)


def _display_name(name: str) -> str:
    """A name in proper case when written all in capitals ("JOHN ORDWAY" -> "John Ordway")."""
    # A glued initial ("J.Smith") is a full stop before a letter: names whose full stops all
    # stand before a space ("John P. Dorschner") or have none are spared the regex.
    if "." in name.replace(". ", ""):
        name = _INITIAL_GLUED.sub(r"\1. ", name)
    if name.upper() != name:
        return name
    return " ".join(_proper_word(word) for word in name.split())


def _proper_word(word: str) -> str:
    """One capitalised name word: "MCCULLOUGH" -> "McCullough", "O'DONOHUE" -> "O'Donohue"."""
    lowered = word.lower()
    if "-" in lowered or "'" in lowered or "’" in lowered:
        pieces = _NAME_PIECE_BREAK.split(lowered)
        result = "".join(piece[:1].upper() + piece[1:] for piece in pieces)
    else:  # one piece: the split would return it alone
        result = lowered[:1].upper() + lowered[1:]
    if len(result) > 3 and result.startswith("Mc"):
        result = "Mc" + result[2:].capitalize()
    return result


# --- DECLASSIFICATION ------------------------------------------------------------------------

# "E.O. 12958: DECL: 04/19/2015", "EO 12958 DECL: 02/22/2011", "E. O. 11652: N/ A". The
# pattern leads with the "E" it consumes, which the engine skips ahead to, and only then checks
# that no letter stands before it (a leading lookbehind is tried at every position); that check
# ignores case as the original pattern did, so "ſ", "ı", "İ" and the Kelvin sign count too.
# The usual value after it, "DECL: 07/27/2016", is read in the same search by the optional
# "date" group: its prefix is _DECL_PREFIX, atomic so that it takes what _DECL_PREFIX.match
# would, and its date _MONTH_DAY_YEAR (see _declassify_on_read). Being optional, the group
# never changes where the E.O. is found or what its own part matches.
_EXECUTIVE_ORDER: Final = re.compile(
    r"[Ee](?<!(?i:[A-Za-z])[Ee])\.?[ \t]?[Oo]\.?[ \t]?(\d{4,5})\b[ \t]*:?[ \t]*"
    r"(?P<date>(?>(?i:DECL(?:ASSIFY)?[ \t]*(?:ON)?[ \t]*:?[ \t]*))?"
    r"(?P<month>\d{1,2})[/-](?P<day>\d{1,2})[/-](?P<year>\d{4}|\d{2})(?!\d))?"
)
# How far after the E.O. its value is read.
DECL_TEXT_LIMIT: Final = 200
# Where the text after the E.O. stops; the lookahead holds each alternative's first character.
_DECL_TEXT_STOP: Final = re.compile(
    r"(?i)(?=[tsrc¶\n])(?:(?<![A-Za-z])(?:TAGS?\b|SUBJ|REF\b|CLASSI|¶)|\n)"
)
_DECL_PREFIX: Final = re.compile(r"(?i)^DECL(?:ASSIFY)?[ \t]*(?:ON)?[ \t]*:?[ \t]*")
_NOT_APPLICABLE: Final = re.compile(r"(?i)^N\s*/\s*A\b")
_MONTH_DAY_YEAR: Final = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{4}|\d{2})(?!\d)")
_YEAR_MONTH_DAY: Final = re.compile(r"^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?!\d)")


def parse_declassification(text: str) -> dict[str, Any]:
    """{"executive_order", "declassify_on" (ISO date or None), "declassification" (other text)}."""
    result: dict[str, Any] = {
        "executive_order": None,
        "declassify_on": None,
        "declassification": None,
    }
    match = _EXECUTIVE_ORDER.search(text, 0, HEADER_LIMIT * 2)
    if match is None:
        return result
    result["executive_order"] = match.group(1)
    read = _declassify_on_read(match)
    if read:
        result["declassify_on"] = read
        return result
    value_start = match.start("date") if match["date"] else match.end()
    rest = text[value_start : value_start + DECL_TEXT_LIMIT]
    stop = _DECL_TEXT_STOP.search(rest)
    value = _squeeze(rest[: stop.start()] if stop else rest).strip(" \\")
    # Each pattern opens with its letter ("DECL", "N/A"): other values are spared the regex.
    prefix = _DECL_PREFIX.match(value) if value[:1] in ("d", "D") else None
    value = (value[prefix.end() :] if prefix else value).strip(" .\\")
    if not value or (value[:1] in ("n", "N") and _NOT_APPLICABLE.match(value)):
        return result
    date = _iso_date(value)
    if date:
        result["declassify_on"] = date
    else:
        result["declassification"] = value
    return result


def _declassify_on_read(match: re.Match[str]) -> str | None:
    """The ISO date of the "date" group of an _EXECUTIVE_ORDER match, when it is the one the
    text after the E.O. gives (see parse_declassification), else None.

    No _DECL_TEXT_STOP falls inside the group, and its blanks are spaces and tabs, which
    _squeeze only narrows, so the value opens with what the group read; the group must end
    within the DECL_TEXT_LIMIT characters the value is cut to, and before the search's end,
    past which its "(?!\\d)" saw no text. An invalid date is left to the value too.
    """
    if match["year"] is None:
        return None
    if match.end() - match.start("date") > DECL_TEXT_LIMIT or match.end() >= HEADER_LIMIT * 2:
        return None
    return _month_day_year(match["month"], match["day"], match["year"])


def _month_day_year(month_text: str, day_text: str, year_text: str) -> str | None:
    """An ISO date from the parts of a month-first date ("1", "3", "19" -> "2019-01-03")."""
    month, day, year = int(month_text), int(day_text), int(year_text)
    if year < 100:
        year += 2000 if year < 70 else 1900
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _iso_date(value: str) -> str | None:
    """An ISO date from "04/19/2015", "1/3/19", "2019/12/08", "2019-02-12", "12-29-13"."""
    if not value[:1].isdecimal():
        return None  # both patterns open with a decimal digit (what \d matches)
    # The usual month-first date is tried first; no text matches both patterns (a year's
    # four digits leave no room for the separator the month-first one needs by then).
    match = _MONTH_DAY_YEAR.match(value)
    if match:
        return _month_day_year(match[1], match[2], match[3])
    match = _YEAR_MONTH_DAY.match(value)
    if match is None:
        return None
    year, month, day = int(match[1]), int(match[2]), int(match[3])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


# --- SUMMARY and COMMENT ---------------------------------------------------------------------

# "Summary:", "SUMMARY.", "Begin Summary", "SUMMARY AND COMMENT:", a "SUMMARY" heading line;
# only after a line start, a paragraph marking or a full stop, never inside a sentence.
_SUMMARY_START: Final = re.compile(
    r"(?im)(?:^|[(.)\]]|--)[ \t]*(?:begin[ \t]+)?summ?ary"
    r"(?:[ \t]+and[ \t]+(?:comments?|introduction))?"
    r"[ \t]*(?::|\.|-{1,3}|$)[ \t]*"
)
_SUMMARY_END: Final = re.compile(r"(?i)\bend\s{1,8}(?:of\s{1,8})?summ?ary\b")
_COMMENT_START: Final = re.compile(
    r"(?im)(?:^|[(.)\]]|--)[ \t]*(?:begin[ \t]+)?comments?[ \t]*(?::|\.|-{1,3}|$)[ \t]*"
)
_COMMENT_END: Final = re.compile(r"(?i)\bend\s{1,8}(?:of\s{1,8})?comments?\b")
# The start of the next numbered paragraph, where a summary without an end marker stops.
_NEXT_PARAGRAPH: Final = _ParagraphPattern(r"\d{1,3}[ \t]*\.(?!\d)[ \t]*(?=[(A-Za-z])")
_NUMBERED_AT_START: Final = re.compile(
    r"[ \t]*(?:¶[ \t]*)?\d{1,3}[ \t]*\.(?!\d)[ \t]*(?=[(A-Za-z])"
)
# The marker written again under a heading ("COMMENT\n-------\n\n1. (C) Comment: ...").
_REPEATED_MARKER: Final = re.compile(r"(?i)^(?:summ?ary|comments?)[ \t]*:[ \t]*")
# The first non-blank character of a line that may be a rule, at the start of a chunk or
# after a line break ("\s" as in str.strip, which _is_rule_line uses).
_RULE_LINE_LEAD: Final = re.compile(r"\s*[-=_*/]")
_RULE_LINE_AFTER_BREAK: Final = re.compile(r"\n\s*[-=_*/]")
# A paragraph's own number and marking, removed inside a summary ("2. (C) ").
_PARAGRAPH_LEAD: Final = re.compile(
    r"^[ \t]*(?:¶[ \t]*)?(?:\d{1,3}[ \t]*\.(?!\d)[ \t]*)?"
    r"(?:\([A-Za-z]{1,4}(?:[/\-]{1,2}[A-Za-z ]{1,12}){0,3}\)[ \t]*)?"
)


# Hints: byte patterns that every marker's text matches in the lower-case Latin-1 copy
# (``ascii_lowered``), from the keyword on for a start marker, from "end" on for an end marker.
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


def parse_summary(text: str) -> str | None:
    """Text between "Summary:" and "End Summary", paragraphs kept, numbers and markings removed."""
    return _marked_block(text, _SUMMARY_MARKERS)


def parse_comment(text: str) -> str | None:
    """Text between "Comment:" and "End Comment" (the first comment of the cable)."""
    return _marked_block(text, _COMMENT_MARKERS)


def _marked_block(text: str, markers: _Markers) -> str | None:
    """The text after a start marker up to its end marker, else to the next paragraph."""
    start = _marker_start(text, markers)
    if start is None:
        return _block_before_end_marker(text, markers)
    begin = start.end()
    end = _find_marker(text, markers, end_marker=True, start=begin, end=begin + BLOCK_LIMIT)
    if end:
        stop = end.start()
    else:
        heading = _rest_of_line_is_rule(text, begin) or _rule_follows(text, begin)
        stop = _block_end_without_marker(text, begin, heading)
    block = _tidy_block(text[begin:stop])
    return block or None


def _find_marker(
    text: str, markers: _Markers, *, end_marker: bool, start: int = 0, end: int | None = None
) -> re.Match[str] | None:
    """``_find`` of the start (or end) pattern, each keyword window screened by its hint.

    Where the hint matches, the marker search begins at the first place a match can start:
    an end marker starts where its hint does ("end"); a start marker holds no line break
    before its keyword, so it starts on the hint's line at the earliest.
    """
    pattern, hint = (
        (markers.end, markers.end_hint) if end_marker else (markers.start, markers.start_hint)
    )
    lowered = ascii_lowered(text)

    def hinted_start(window_start: int, window_end: int) -> int | None:
        hinted = hint.search(lowered, window_start, window_end)
        if hinted is None:
            return None
        at = hinted.start()
        return at if end_marker else max(window_start, text.rfind("\n", 0, at) + 1)

    return _find(pattern, text, markers.keyword, start, end, screen=hinted_start)


def _marker_start(text: str, markers: _Markers) -> re.Match[str] | None:
    """The first start marker; a bare word on its own line counts only when underlined.

    "SUMMARY" over a dashed rule or after a blank line is a heading; "COMMENTS" right under
    another line is more often the end of a wrapped subject ("...OFFICIAL'S JULY 30\nCOMMENTS").
    """
    position = 0
    for _ in range(MAX_MARKER_CANDIDATES):
        start = _find_marker(text, markers, end_marker=False, start=position)
        if start is None:
            return None
        written = start.group().rstrip()
        if (
            written.endswith((":", ".", "-"))
            or _rule_follows(text, start.end())
            or _stands_alone(text, start.start())
            or _heading_over_paragraph(text, start)
        ):
            return start
        position = start.end()
    return None


def _heading_over_paragraph(text: str, start: re.Match[str]) -> bool:
    """Whether a bare marker past the header is a heading: a blank line, then a paragraph.

    "...air incursions.\nComment\n\n¶7. (S) The November 17 BFM" (09KABUL3161); in the
    header the same shape is the end of a wrapped subject.
    """
    end = start.end()
    blank = _BLANK_LINE.match(text, end) if text[end : end + 1] == "\n" else None
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
    return not previous.strip() or _is_rule_line(previous)


def _block_before_end_marker(text: str, markers: _Markers) -> str | None:
    """A block with an end marker but no start one: the paragraph holding "End Summary"."""
    end = _find_marker(text, markers, end_marker=True, end=BLOCK_LIMIT)
    if end is None:
        return None
    begin = -1
    for paragraph in _NEXT_PARAGRAPH.finditer(text, 0, end.start()):
        begin = paragraph.start()
    if begin < 0:
        begin = max(
            (blank.end() for blank in _BLANK_LINE.finditer(text, 0, end.start())), default=0
        )
    block = _tidy_block(text[begin : end.start()])
    return block or None


def _rest_of_line_is_rule(text: str, position: int) -> bool:
    """Whether the marker ends its line ("SUMMARY", "Comment -------"): a heading."""
    line_end = text.find("\n", position, position + 200)
    rest = text[position : line_end if line_end >= 0 else position + 200].strip()
    # empty once the rule characters are stripped: all of it is rule (stops at the first other)
    return not rest.strip(_RULE_CHARACTER_TEXT)


def _rule_follows(text: str, position: int) -> bool:
    """Whether the line after position is a dashed underline (a heading)."""
    newline = text.find("\n", position, position + 200)
    if newline < 0:
        return False
    following = text[newline + 1 : text.find("\n", newline + 1, newline + 200)]
    return _is_rule_line(following)


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


def _without_headings(lines: list[str]) -> list[str]:
    """Lines without rules and the headings they underline ("Bio notes\n-------")."""
    kept: list[str] = []
    for line in lines:
        if _is_rule_line(line):
            if kept and len(kept[-1]) <= MAX_HEADING_LENGTH:
                kept.pop()
            continue
        kept.append(line)
    return kept


def _may_hold_rule(chunk: str) -> bool:
    """Whether a line of chunk may be a rule: its first non-blank character is a rule mark.

    Most chunks have none, and are spared the line-by-line check of ``_without_headings``.
    """
    return bool(_RULE_LINE_LEAD.match(chunk) or _RULE_LINE_AFTER_BREAK.search(chunk))


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
    rules = _may_hold_rule(block)
    others = [other for other in _OTHER_SPACES if other in block]
    paragraphs = []
    # The regex leads with a line break, which the engine scans for alone: faster than the
    # substring tests for trailing blanks that ``_blank_line_split`` makes first.
    for chunk in _BLANK_LINE.split(block):
        if not chunk:
            continue  # before a "¶" opening the block, between two blank lines
        if rules and _may_hold_rule(chunk):
            joined = " ".join(_without_headings(chunk.split("\n")))
        else:
            joined = chunk.replace("\n", " ")
        # what _squeeze does, for a text already on one line
        paragraph = _without_paragraph_lead(joined.strip())
        for other in others:
            paragraph = paragraph.replace(other, " ")
        if "  " in paragraph:
            paragraph = _SPACES_AFTER_PAIR.sub(" ", paragraph)
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


# --- SIGNER ----------------------------------------------------------------------------------

# A signer line: one to three name words ("ORDWAY", "VAN VOORST", "Thompson-Jones", "LeBaron").
# A surname particle may be in lower case ("van Voorst"), a suffix may follow ("Timken jr").
_SIGNER_LINE: Final = re.compile(
    r"^(?:(?:van|von|de|del|da|di|le|la|al|el) )?[A-Z][A-Za-z'’\-]{1,24}"
    r"(?: [A-Z][A-Za-z'’\-]{1,24}){0,2}(?: [JjSs]r\.?)?\.?$"
)
# Lines after the signer that are not text: trailers, banners, markers, rules, site residue.
_TRAILER_LINE: Final = re.compile(
    r"(?i)^(?:NNNN?|BT|#\d+|END(?: OF)? (?:TEXT|CABLE|MESSAGE)\.?|END CABLE TEXT|"
    r"UNCLASSIFIED|UNCLAS|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE|NOFORN|SIPDIS|SENSITIVE|"
    r"[-=*_/ .>|\"'“”]*|"
    r"[A-Z .]+ \d{8}[ \t]+\d{3}(?:\.\d+)? OF \d{3}|PAGE \d+.*|DECLASSIFIED.*|MARKINGS:.*|"
    r"\d{1,2}/\d{1,2}/\d{2,4}|ID:.*|SELECT .*|=+.*=+|\([A-Z]{1,3}\)|TRACK IMPRESI.*)$"
)
# Site residue anywhere in a trailer line ("Visit our site", "http://", "CLASSIFICATION: ...");
# the pattern is tried only on lines holding one of the words, which a substring test finds
# in a fraction of the time a search for ".*WORD.*" takes.
_TRAILER_INSIDE: Final = re.compile(
    r"(?i)CLASSIFICATION:|\bVISIT\b|HTTPS?:|WWW\.|\bDOCUMENT\b|MISSING SECTION|\bEL PA[IÍ]S\b"
)
# Residue lines are short; a long line holding such a word is text.
MAX_RESIDUE_LINE: Final = 100
_TRAILER_INSIDE_WORDS: Final = (
    "CLASSIFICATION:",
    "VISIT",
    "HTTP",
    "WWW.",
    "DOCUMENT",
    "MISSING",
    "EL PA",
)
# Whether the upper-case line holds one of the words: one regex call, not a loop in Python.
_TRAILER_INSIDE_WORD: Final = re.compile(
    "|".join(re.escape(word) for word in _TRAILER_INSIDE_WORDS)
)
# Words that fit the signer shape but close the text instead ("END COMMENT.", "Thank you").
_NOT_SIGNERS_TEXT: Final = """
    END COMMENT NOTE SUMMARY TEXT EXEMPT REGARDS THANKS THANK YOU ACTION REQUEST STATE
    DEPARTMENT EMBASSY POST CLEARED CLASSIFIED DECL TAGS SUBJECT MINIMIZE CORRECTED COPY
"""
_NOT_SIGNERS: Final = frozenset(_NOT_SIGNERS_TEXT.split())
_REDACTION_CHARACTERS: Final = frozenset("Xx .")
# "END COMMENT. MILES" on one line: the signer after a closing phrase.
# A name in capitals after a sentence at the end of a mixed-case line ("submitted. CRETZ"),
# maybe after a redacted word ("Officer.  XXXXXXXXXXXX TUTTLE", 08LONDON2814).
_SIGNER_AFTER_SENTENCE: Final = re.compile(
    r"[a-z0-9][.!?][\"”)]?[ \t]+(?:[Xx]{4,}[ \t]+)?"
    r"([A-Z][A-Z'\-]{2,}(?: [A-Z][A-Z'\-]{2,})?)[ \t]*$"
)
# The characters a name in _SIGNER_AFTER_SENTENCE may end with.
_NAME_LAST_CHARACTERS: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ'-")
# How far from the end of its line "END COMMENT. MILES" is sought (long lines are text).
SIGNER_AFTER_END_REACH: Final = 100
_SIGNER_AFTER_END: Final = re.compile(
    r"(?i)\bEND[ \t]+(?:OF[ \t]+)?(?:COMMENT|TEXT|SUMMARY|NOTE)\.?[ \t]+"
    r"([A-Z][A-Z'\-]+(?: [A-Z][A-Z'\-]+)?)[ \t]*$"
)


@functools.lru_cache(maxsize=8)
def parse_signer(text: str) -> str | None:
    """The name signing the telegram ("ORDWAY"), after trailers such as NNNN or BT are skipped."""
    # The tail (from `first` on) is read in place: its lines are read from the last one up,
    # each cut out when reached. The signer is nearly always among the last few, so copying,
    # splitting and stripping the whole tail is waste.
    first = max(0, len(text) - TAIL_LIMIT)
    seen = 0
    underlined = False
    end = len(text)
    while end >= first:
        start = max(text.rfind("\n", first, end) + 1, first)
        line = text[start:end].strip()
        end = start - 1  # the line break before this line; first - 1 after the tail's first line
        if not line or _is_trailer_line(line):
            # a heading's underline: the line above it is a heading, not a signer
            underlined = bool(line) and _is_rule_line(line)
            continue
        if _is_signer(line) and not underlined:
            above_start = max(text.rfind("\n", first, end) + 1, first)
            above = text[above_start:end].strip() if start > first else ""
            return None if _ends_sentence(line, above) else line.rstrip(".")
        underlined = False
        closing = _closing_signer(line) or (None if seen else _signer_after_sentence(line))
        if closing and _is_signer(closing.group(1)):
            return closing.group(1)
        seen += 1
        if seen >= SIGNER_LOOKBACK_LINES or len(line) > 60:
            return None
    return None


def _signer_after_sentence(line: str) -> re.Match[str] | None:
    """ "...were submitted. CRETZ": a name in capitals glued after the last sentence of a text
    written in mixed case (flattened pages: 10TRIPOLI106, 08HELSINKI374)."""
    # The pattern, led by a character set, is tried at each of the last hundred positions:
    # a line not ending with a name in capitals (most end a sentence) is turned away first.
    if line.rstrip(" \t\n")[-1:] not in _NAME_LAST_CHARACTERS:
        return None
    match = _SIGNER_AFTER_SENTENCE.search(line, max(0, len(line) - SIGNER_AFTER_END_REACH))
    if match is None or not any(char.islower() for char in line[: match.start()]):
        return None
    return None if _is_trailer_line(match.group(1)) else match


def _closing_signer(line: str) -> re.Match[str] | None:
    """ "END COMMENT. MILES": the closing phrase and signer ending a line, sought at its end."""
    if "END" not in line.upper():
        return None
    return _SIGNER_AFTER_END.search(line, max(0, len(line) - SIGNER_AFTER_END_REACH))


def _is_trailer_line(line: str) -> bool:
    """Whether a line after the text is a trailer, banner, marker, rule or site residue."""
    if line.endswith("...") or _TRAILER_LINE.match(line):
        return True
    if len(line) > MAX_RESIDUE_LINE:
        return False  # text that runs into "*** Missing Section 003 ***" (09QRIPOLI583)
    return bool(_TRAILER_INSIDE_WORD.search(line.upper()) and _TRAILER_INSIDE.search(line))


def _ends_sentence(line: str, above: str) -> bool:
    """Whether "ASSISTANCE." closes the sentence of the line above rather than signing."""
    return line.endswith(".") and bool(above) and (above[-1].isalpha() or above[-1] in ",;'")


def _is_signer(line: str) -> bool:
    """Whether a line is a signer's name rather than a closing word."""
    if not _SIGNER_LINE.match(line):
        return False
    words = line.rstrip(".").upper().split()
    if "VZCZ" in line or set(line) <= _REDACTION_CHARACTERS:
        return False  # routing-header residue, or a redacted name
    return _NOT_SIGNERS.isdisjoint(words)


# --- PARAGRAPHS ------------------------------------------------------------------------------

_PARAGRAPH: Final = _ParagraphPattern(
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
# The same after a line break, ending where it does: the engine scans for the break alone,
# where "^" is tried at every position.
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
# A heading line is at most this long.
MAX_HEADING_LENGTH: Final = 80
# A heading line with its underline, dropped from the end of the paragraph before it.
_TRAILING_HEADING: Final = re.compile(r"\n[^\n]{1,80}\n[ \t]*[-=][-= \t]{2,}$")
# The heading is looked for only in this many last characters of a paragraph.
HEADING_TAIL: Final = 240
_UNDERLINE_ENDINGS: Final = ("-", "=")
# A run of two spaces or more, as _SPACE_RUN ("  +"), written as two spaces and then any
# more: the engine then scans for the pair itself, where a pattern whose literal prefix is one
# space tries a match at every space (a third slower over a paragraph).
_SPACES_AFTER_PAIR: Final = re.compile("   *")
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


def parse_paragraphs(text: str) -> list[dict[str, Any]]:
    """Numbered paragraphs as {"number", "classification", "level", "text"}, in order."""
    signer = parse_signer(text)
    text = "\n" + text  # so that a paragraph on the first line also follows a line break
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
    header_fields = list(_HEADER_FIELD_AFTER_BREAK.finditer(text, 0, HEADER_LIMIT))
    # a field opening the text is the first one: it is the last only when there is no other
    last_field = (
        header_fields[-1] if header_fields else _HEADER_FIELD_LINE.match(text, 0, HEADER_LIMIT)
    )
    if last_field is None:
        return []
    blank = _BLANK_LINE.search(text, last_field.end())
    line_end = text.find("\n", last_field.end())
    start = blank.end() if blank else (line_end + 1 if line_end >= 0 else len(text))
    body = _plain_spaces(text[start:])
    if signer:
        body = _without_signer("\n" + body, signer)
    paragraphs = []
    for block in _blank_line_split(body):
        block = block.strip()
        if _may_hold_rule(block):
            block = "\n".join(_without_headings(block.split("\n")))
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
    return sorted(breaks + marks, key=_match_end) if marks else breaks


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
    for other in ("¶", *_OTHER_SPACES):
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
    blocks = _BLANK_LINE.split(body)
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
        text = _SPACES_AFTER_PAIR.sub(" ", text)
    return text.strip()


# --- HANDLING and OFFICE DISTRIBUTION -------------------------------------------------------

HANDLING_CAPTIONS: Final = (
    "SIPDIS",
    "NOFORN",
    "EXDIS",
    "NODIS",
    "LIMDIS",
    "STADIS",
    "SENSITIVE",
    "CHEROKEE",
    "ROGER",
    "EYES ONLY",
    "CONDIS",
    "TERREP",
    "VISAS VIPER",
    "TOSEC",
    "SECTO",
)
_CAPTION_ALTERNATIVES: Final = "|".join(c.replace(" ", r"[ \t]+") for c in HANDLING_CAPTIONS)
_CAPTION: Final = re.compile(r"(?i)(?<![A-Za-z/])(" + _CAPTION_ALTERNATIVES + r")(?![A-Za-z/])")
# The same, case-sensitive, for an upper-case copy. Each alternative opens with its literal
# first letter and checks the letter before it after that ("S(?<![A-Za-z/].)IPDIS"), so that
# the regex engine skips ahead to the captions' first letters; led by the lookbehind, every
# alternative would be tried at every position (a third slower).
_CAPTION_UPPER: Final = re.compile(
    "("
    + "|".join(c[0] + r"(?<![A-Za-z/].)" + c[1:].replace(" ", r"[ \t]+") for c in HANDLING_CAPTIONS)
    + r")(?![A-Za-z/])"
)
# The caption zone ends at the first header field after the captions. The pattern opens with
# the set of the fields' first letters, which the regex engine skips ahead to, then checks
# that the letter opens a word, and which field it opens. The set is written out in both
# cases ("ſ" is an s ignoring case) and only the rest ignores case: a set under IGNORECASE
# holding letters is not skipped ahead to, and the pattern would be tried at every position.
_CAPTION_ZONE_END: Final = re.compile(
    "[CERSTcerst\u017f](?i:(?<![A-Za-z].)"
    r"(?:(?<=E)\.?[ \t]?O\.?[ \t]?\d{4}|(?<=T)AGS?\b|(?<=S)UBJ(?:ECT)?\s*:"
    r"|(?<=R)EF(?:S|TELS?)?\s*:|(?<=C)lassified\s+by))"
)
# The classification line that opens the body ("C O N F I D E N T I A L SECTION 01 OF 03
# ALMATY 001457", "UNCLAS STATE 123456"), removed before office lines are read.
_CLASSIFICATION_LINE: Final = re.compile(
    r"(?i)^[ \t]*(?:UNCLAS(?:SIFIED)?|CONFIDENTIAL|SECRET|TOP SECRET|LIMITED OFFICIAL USE|"
    r"C O N F I D E N T I A L|S E C R E T|U N C L A S(?: S I F I E D)?)\b"
    r"(?:[^\n]*?\b\d{3,7}\b)?"
)
# Lines of the caption zone that open an office-distribution entry.
_OFFICE_LEAD: Final = re.compile(
    r"(?i)^(?:DEPT|DEPARTMENT|STATE|SECSTATE|FOR|PASS|PLEASE|USDOC|TREASURY|USTR|AMEMBASSY|"
    r"AMCONSUL|USAID|NSC|DOD|USEU|OSD|CJCS|WHITE HOUSE|DEPT\.)\b"
    # "NSC FOR ...", "USDA ALSO FOR ...", "S/S-O PLEASE PASS ...": an addressee, then FOR or PASS
    r"|^[A-Z][\w/.&-]{1,20}(?: [A-Z][\w/.&-]{1,20})?(?: ALSO)? (?:FOR|PASS|PLEASE PASS)\b"
)
# Lines of the caption zone that are not office distribution: a classification line (ends
# with the serial), a correction caption, a reference id, a stray DECL.
_NOT_OFFICE_LINE: Final = re.compile(
    r"(?i)(?:\d{2}[A-Z]+\d+$|DECL\b|E\.?[ \t]?[O0]\.?[ \t]?\d{4,5})"
)
_CLASSIFICATION_LINE_END: Final = re.compile(r"[A-Za-z]{2,}[ \t]+\d{6}$")
_CORRECTION_CAPTIONS: Final = ("C O R R E C T E D", "CORRECTED COPY")
_CAPTION_RESIDUE_LEAD: Final = " \t,;.:-"
_CAPTION_RESIDUE_TRAIL: Final = " \t,;:-"


def parse_handling(text: str) -> list[str]:
    """Handling captions between the classification line and the E.O. line, in order, once."""
    spans = _caption_spans(text)
    if spans is None:
        found = [match.group(1) for match in _CAPTION.finditer(_caption_zone(text))]
    else:
        found = [caption for _, _, caption in spans]
    # A caption is letters and, between its words, blanks: splitting squeezes it as _squeeze.
    captions = [" ".join(caption.split()).upper() for caption in found]
    return list(dict.fromkeys(captions))


@functools.lru_cache(maxsize=8)
def _caption_spans(text: str) -> tuple[tuple[int, int, str], ...] | None:
    """(start, end, caption) of each handling caption in the caption zone, upper case.

    One scan serves both parse_handling and parse_office_distribution. Matching an upper-case
    copy without IGNORECASE costs a third; a few letters change length in upper case, and
    then positions in the copy are not the zone's: None, and the zone itself is searched.
    """
    zone = _caption_zone(text)
    upper = zone.upper()
    if len(upper) != len(zone):
        return None
    return tuple((m.start(), m.end(), m.group(1)) for m in _CAPTION_UPPER.finditer(upper))


def _office_lines(text: str) -> list[str]:
    """The lines of the caption zone after the classification line, each caption a space."""
    zone = _caption_zone(text)
    opening = _CLASSIFICATION_LINE.match(zone)
    start = opening.end() if opening else 0
    spans = _caption_spans(text)
    if spans is None:
        return [_without_captions(line) for line in zone[start:].split("\n")]
    # Captions lie within a line, and none reaches into the classification line (it ends with
    # a word before a non-word character, where no caption, all letters and blanks, can run
    # across): they are cut from the zone at once, not line by line.
    pieces = []
    position = start
    for caption_start, caption_end, _ in spans:
        if caption_start >= start:
            pieces += [zone[position:caption_start], " "]
            position = caption_end
    pieces.append(zone[position:])
    return "".join(pieces).split("\n")


def parse_office_distribution(text: str) -> list[str]:
    """Office distribution lines ("DEPT FOR EB/ESC; SCA/PO (MANN)"), wrapped lines joined."""
    entries: list[list[str]] = []
    previous_blank = True
    for raw_line in _office_lines(text):
        line = raw_line.lstrip(_CAPTION_RESIDUE_LEAD).rstrip(_CAPTION_RESIDUE_TRAIL)
        if line:  # (most lines of the zone are blank or held captions only)
            line = _squeeze(line).strip()
        if line and _not_office_line(line):
            line = ""
        if not line:
            previous_blank = True
            continue
        if previous_blank or _OFFICE_LEAD.match(line) or not entries:
            entries.append([line])
        else:
            entries[-1].append(line)
        previous_blank = False
    offices = [" ".join(entry) for entry in entries]
    return list(dict.fromkeys(office for office in offices if any(c.isalpha() for c in office)))


def _without_captions(line: str) -> str:
    """The line with each handling caption made a space (found in an upper-case copy)."""
    upper = line.upper()
    if len(upper) != len(line):
        return _CAPTION.sub(" ", line)
    pieces = []
    position = 0
    for caption in _CAPTION_UPPER.finditer(upper):
        pieces += [line[position : caption.start()], " "]
        position = caption.end()
    return "".join(pieces) + line[position:] if pieces else line


def _not_office_line(line: str) -> bool:
    """A classification line (ends with the serial), a correction caption, an id, a DECL."""
    if line[-6:].isdigit() and _CLASSIFICATION_LINE_END.search(line, max(0, len(line) - 60)):
        return True
    upper = line.upper()
    return any(caption in upper for caption in _CORRECTION_CAPTIONS) or bool(
        _NOT_OFFICE_LINE.match(line)
    )


@functools.lru_cache(maxsize=8)
def _caption_zone(text: str) -> str:
    """The text between the classification line and the first header field."""
    header = _header(text)
    end = _CAPTION_ZONE_END.search(header)
    return header[: end.start()] if end else header
