"""Participants lists: found after their labels ("Participants:", "Meeting Participants:",
"U.S. Delegation:", "Attendees:", "Present:", "Kazakh side:", "Participants included", "Also
present were") or under a heading line without a colon ("Participants", underlined or not,
"Participants in the Meeting", "Delegation List"), written one item a line, as bullets,
numbered, as records of a name line and its role lines, or as running text, and read item by
item (participant_items.py).

Sub-headings inside a list ("U.S.A.:", "Syrian Arab Republic:", "United Kingdom", "COLOMBIA",
"DOS", "Russian Embassy", "Brazil:" in the middle of a flattened line) and the side a label
names ("Israeli Participants:") are the affiliation of the names under them. A list runs on
across numbered paragraphs that hold a sub-heading or a list item ("¶22. (SBU) U.S.A.:").
"""

from __future__ import annotations

import re
from typing import Any, Final, NamedTuple

from service.parsing import names
from service.parsing import participant_items as items
from service.parsing.fields import scan
from service.parsing.person import merge_participants

# The words that open a list: "Participants:", "Meeting Participants:", "U.S. Delegation:",
# "Attendees:", "Present:", "Kazakh side:", and colon-less "Participants included", "Also
# present were", headings ("Participants"). They are found with bytes.find in a lower-cased
# Latin-1 copy of the text (one byte per character, so positions match) rather than by a
# case-insensitive pattern, which has no literal lead to skip ahead to; "attendees" and "in
# attendance" share one scan, for "attend": (label, where "attend" is in it).
_LABEL_WORDS: Final = (b"participants", b"present", b"delegation", b"side:")

_ATTEND: Final = b"attend"

_ATTEND_LABELS: Final = ((b"attendees", 0), (b"in attendance", 3))

_LABEL_ENDING: Final = re.compile(r"[ \t]*:|\s+(?:included|include|were|are)\b:?", re.IGNORECASE)

# Label words that may stand as a heading without a colon ("Participants", "U.S. Delegation").
_HEADING_WORDS: Final = frozenset({"participants", "attendees", "delegation"})

# What may follow a heading's label word on its line: "in the Meeting", "List", a colon.
_HEADING_REST: Final = re.compile(r"[ \t]*(?:(?:in|at|for|list)\b[^\n:]{0,40})?:?[ \t]*$", re.I)

# A paragraph number and classification before a line's text: "¶22. (SBU) ", "2. (C) ".
_PARAGRAPH_MARK: Final = re.compile(
    r"[ \t]*(?:¶[ \t]*)?(?:\d{1,3}[ \t]?[.)][ \t]*)?(?:\([A-Za-z/]{1,6}\)[ \t]*)*"
)

# Where a list stops: a numbered paragraph (unless it holds a sub-heading or a list item),
# two blank lines, or an END/SUMMARY/COMMENT line.
_BLOCK_END: Final = re.compile(
    r"\n[ \t]*\n[ \t]*\n|(?P<paragraph>\n[ \t]*(?:¶[ \t]*)?\d{1,3}[ \t]?\.[ \t])"
    r"|\n[ \t]*(?:end|begin|summary|comment|nnnn)\b",
    re.IGNORECASE,
)

_PARAGRAPH_BREAK: Final = re.compile(r"\n[ \t]*\n")

# A bullet, dash or number before an item: "--", "-", "*", "o ", "1.", "2)", "¶3. (U)".
_BULLET: Final = re.compile(
    r"^[ \t]*(?:--+|-|\*|\u2022|o(?= )|(?:¶[ \t]*)?\d{1,2}[.)](?=[ \t]))[ \t]*"
    r"(?:\([A-Za-z/]{1,6}\)[ \t]*)*"
)

_RULE_LINE: Final = re.compile(r"^[\s\-=_*]*$")

_CLOSING_PARENTHESIS: Final = re.compile(r"\)")

# Continuation hints: a wrapped line's predecessor ends with one of these.
_DANGLING_ENDINGS: Final = ("the", "to", "of", "for", "and", "-", ",", "/")

# Words of a label's line before it that name no side ("Meeting Participants", "Other ...").
_NO_SIDE: Final = frozenset({"meeting", "other", "others", "key", "main", "the", "also", "list"})

# Words that make a short line a section heading rather than a side ("Summary:", "Comment:").
_NOT_SIDES: Final = frozenset(
    {"summary", "comment", "background", "note", "end", "begin", "text", "action", "subject"}
)

# A sub-heading inside a line: "Burns Brazil: Minister Celso Amorim" (07BRASILIA370).
_INLINE_HEADING: Final = re.compile(r"(?:^|(?<=\s))((?:[A-Z][\w.'/-]*[ \t]+){0,3}[A-Z][\w.'/-]*):")

_MAX_HEADING_WORDS: Final = 6

# Bounds that real lists stay far below (10STATE17263's 18 delegates take 1,600 characters),
# so that text full of labels or one endless list costs little.
_MAX_LISTS: Final = 12

_MAX_LIST_CHARS: Final = 5_000

# Sentence-ending periods are not those of initials, abbreviations or honorifics ("D. Edward",
# "Amb.", "Dr. Nizar Al Baharna").
_SENTENCE_END: Final = re.compile(
    r"(?:(?<=[a-z)\]])|(?<=[A-Z]{2}))"
    r"(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bMrs)(?<!\bAmb)(?<!\bGen)(?<!\bCol)(?<!\bLt)(?<!\bSen)"
    r"\.\s+(?=[A-Z(])"
)


class _Label(NamedTuple):
    """A list label: where it starts and ends, its text, the side it names, how it is laid."""

    start: int
    end: int
    text: str
    side: str | None
    heading: bool  # a heading without a colon: the list is one item a line, never prose


def _words_are_heading(words: list[str]) -> bool:
    """Whether words can be a heading: capitalised but for connectors, no section word."""
    return all(
        (word[:1].isupper() or word[:1].isdigit() or word in names.ROLE_CONNECTORS)
        and items.bare_word(word).casefold() not in _NOT_SIDES
        for word in words
    )


def _is_prose(text: str) -> bool:
    """Whether a line reads as a sentence: lower-case words that are no connectors."""
    plain = [word for word in items.depth_zero_split(text, items.COMMA)[0].split()]
    lower = [w for w in plain if w[:1].islower() and w not in names.ROLE_CONNECTORS]
    return len(lower) >= 2 or (bool(lower) and text.rstrip().endswith("."))


def _heading_of(text: str, caps: bool, after_break: bool) -> str | None:
    """The sub-heading a line is ("U.S.A.:", "Syrian Arab Republic:", "COLOMBIA", "DOS",
    "Russian Embassy"), or None; a heading without a colon opens a paragraph of the list."""
    colon = text.endswith(":")
    core = text.rstrip(":").strip()
    words = core.split()
    if not words or len(words) > _MAX_HEADING_WORDS or not _words_are_heading(words):
        return None
    if colon:
        return f"{core}:"
    if items.is_side_label(words):
        return core
    if not after_break:
        return None
    if not caps and core.isupper():
        return core if not items.people_in_item(core, True) or len(words) == 1 else None
    if items.bare_word(words[-1]).casefold() in names.ORGANISATION_WORDS:
        return core if not items.people_in_item(core, caps) else None
    return None


def _split_headings(text: str, caps: bool, after_break: bool) -> list[tuple[str | None, str]]:
    """A line as (sub-heading, text after it) pairs: "Brazil: Minister Celso Amorim" is the
    heading "Brazil" over "Minister Celso Amorim"; a line that is a heading has no text."""
    heading = _heading_of(text, caps, after_break)
    if heading is not None:
        return [(heading, "")]
    if ":" not in text:
        return [(None, text)]
    pieces: list[tuple[str | None, str]] = []
    current: str | None = None
    start = 0
    for match in _INLINE_HEADING.finditer(text):
        words = match.group(1).split()
        at_start = not text[: match.start()].strip()
        for size in range(len(words), 0, -1):
            tail = words[-size:]
            side = items.is_side_label(tail) or (at_start and size == len(words))
            if side and _words_are_heading(tail):
                before = text[start : match.end(1)].rsplit(None, size)[0] if not at_start else ""
                pieces.append((current, before.strip()))
                current, start = " ".join(tail) + ":", match.end()
                break
    pieces.append((current, text[start:].strip()))
    return [(heading, piece) for heading, piece in pieces if heading or piece]


def _starts_item(line: str, caps: bool) -> bool:
    """Whether a line of a one-per-line list opens an item rather than continuing one."""
    text = items.clean_item(line)
    if (text.isupper() and not caps) or text[:1].islower():
        return text.isupper()  # an all-caps heading or signer; a lower-case continuation
    if caps and " " not in text and items.is_name_word(text, caps):
        return True  # a lone name in an all-caps list is the signature ("CLINTON")
    head = items.depth_zero_split(text, items.COMMA)[0]
    tokens = items.TOKEN.findall(head)
    people, trailing = items.segment(tokens, caps)
    alone = len(people) == 1 and not (people[0].role or trailing or people[0].asides)
    if alone and items.is_side_label(people[0].name):
        return True  # "United Kingdom": a side heading
    return bool(items.participants_of(people)[0])


def _joiner(item: list[Any], text: str, caps: bool, opens: bool) -> str | None:
    """How a line joins the item before it ([text, lines]): " " for a wrapped line, ", " for
    a role line under a name line, None when it opens the next item."""
    last: str = item[0]
    if last.count("(") > last.count(")") or last.endswith(_DANGLING_ENDINGS):
        return " "  # "Minister of Information (also spelled" / "Kyaw Hsan)"
    if items.bare_word(last.rsplit(None, 1)[-1]).casefold() in names.HONORIFICS:
        return " "  # "... Media Affairs Dr." / "Bouthaina Shaaban"
    if opens:
        return None
    if item[1] == 1 and "," not in last and text[:1].isupper() and not _names_only(text, caps):
        people = items.people_in_item(last, caps)
        if len(people) == 1 and last.rstrip(" .").endswith(people[0]["name"].split()[-1]):
            return ", "  # a record: "Dr. Abdurahman Tawil" over "Member of LNCBB"
    return " "


def _names_only(text: str, caps: bool) -> bool:
    """Whether a line is name words alone, a wrapped name ("Fernandez"), not a role line."""
    common, proper = names.common_words(), names.proper_words()
    for word in text.split():
        folded = items.bare_word(word).casefold()
        if not items.is_name_word(word, caps) or (folded in common and folded not in proper):
            return False
    return True


def _line_items(block: str, caps: bool, side: str | None) -> list[tuple[str, str | None]]:
    """Items of a list written one per line, bulleted or numbered, with wrapped lines joined,
    each with the affiliation its sub-heading gives."""
    lines = _until_heading(block.replace("SIPDIS", "").splitlines(), caps)
    filled = [line for line in lines if not _RULE_LINE.match(line)]
    bulleted = sum(1 for line in filled if _BULLET.match(line)) > len(filled) // 3
    found: list[list[Any]] = []  # [text, lines, affiliation, a record]; [""...] a heading
    group: str | None = None
    after_break = True
    for line in lines:
        if _RULE_LINE.match(line):
            after_break = True
            continue
        bullet = _BULLET.match(line)
        text = line[bullet.end() :].strip() if bullet else line.strip()
        for heading, piece in _split_headings(text, caps, after_break or not found):
            if heading is not None:
                if heading.endswith(":") or items.is_side_label(heading.split()):
                    side, group = heading.rstrip(":"), None
                else:
                    group = heading
                found.append(["", 0, group or side, False])
            if not piece:
                continue
            opens = bool(bullet) if bulleted else _opens_item(piece, caps)
            item = found[-1] if found and found[-1][1] else None
            joiner = _joiner(item, piece, caps, opens) if item and not bullet else None
            if joiner is None or item is None:
                found.append([piece, 1, group or side, False])
            else:
                record = item[3] or joiner == ", "
                if record and joiner == " " and not item[0].endswith(_DANGLING_ENDINGS):
                    joiner = ", "  # the next role line of a record ("Faculty of Science")
                item[0], item[1], item[3] = f"{item[0]}{joiner}{piece}", item[1] + 1, record
        after_break = False
    return [(text, affiliation) for text, count, affiliation, _record in found if count]


def _opens_item(line: str, caps: bool) -> bool:
    """Whether a line of a list that is not bulleted opens an item: it names someone, ends with
    an honorific before a name on the next line ("... Affairs Dr."), or describes someone
    unnamed ("Unidentified female notetaker")."""
    if _starts_item(line, caps):
        return True
    last = line.rsplit(None, 1)[-1]
    if last[:1].isupper() and items.bare_word(last).casefold() in names.HONORIFICS:
        return True
    return line[:1].isupper() and not caps and _is_prose(line)


def _until_heading(lines: list[str], caps: bool) -> list[str]:
    """Lines before an underlined heading that is not a side heading ("Qualitative Edge"),
    the heading one or two lines long ("Visit, Meeting with Head of State Can Enhance ...")."""
    for index in range(1, len(lines) - 1):
        heading, underline = lines[index], lines[index + 1]
        if heading.strip() and underline.strip() and _RULE_LINE.match(underline):
            wrapped = index > 1 and lines[index - 1].strip() and not lines[index - 2].strip()
            first = index - 1 if wrapped else index
            side = (heading.strip().isupper() and not caps) or items.is_side_label(heading.split())
            if side:
                continue
            if not lines[first - 1].strip() or not items.people_in_item(heading, caps):
                return lines[:first]  # "Need to Move Beyond Minor Irritants", no blank before
    return lines


def _opened_in_parenthesis(text: str, position: int) -> bool:
    """Whether an unclosed "(" shortly before position opens the list ("(Meeting ...:")."""
    before = text[max(0, position - 40) : position]
    return before.rfind("(") > before.rfind(")")


def _is_label_start(text: str, start: int) -> bool:
    """Whether a label word at start begins a word and is not "not in attendance"."""
    if start and text[start - 1].isalnum():
        return False
    return not text.endswith(("not ", "NOT "), 0, start)


def _find_labels(body: scan.Body) -> list[_Label]:
    """Every list label, in order; "not in attendance" is none."""
    text = body.text
    lowered = body.lowered
    found: list[_Label] = []
    for word in _LABEL_WORDS:
        start = lowered.find(word)
        while start >= 0:
            _add_label(text, start, len(word.rstrip(b":")), found)
            start = lowered.find(word, start + 1)
    position = lowered.find(_ATTEND)
    while position >= 0:
        for word, offset in _ATTEND_LABELS:
            if position >= offset and lowered.startswith(word, position - offset):
                _add_label(text, position - offset, len(word), found)
        position = lowered.find(_ATTEND, position + 1)
    return sorted(found)


def _line_prefix(text: str, start: int) -> list[str] | None:
    """The words before start on its line, after a paragraph number and classification, when
    they can be a heading's ("U.S.", "Syrian", "Meeting"); else None."""
    line_start = text.rfind("\n", 0, start) + 1
    prefix = text[line_start:start]
    words = prefix[_PARAGRAPH_MARK.match(prefix).end() :].split()  # type: ignore[union-attr]
    if len(words) > 3 or not _words_are_heading(words):
        return None
    return words


def _opens_paragraph(text: str, start: int) -> bool:
    """Whether the line of start follows a blank or rule line or has a paragraph number."""
    line_start = text.rfind("\n", 0, start) + 1
    if _PARAGRAPH_MARK.match(text, line_start).end() > line_start + 1:  # type: ignore[union-attr]
        return True
    before = text.rfind("\n", 0, max(line_start - 1, 0)) + 1
    return line_start == 0 or _RULE_LINE.match(text[before : line_start - 1]) is not None


def _side(words: list[str] | None) -> str | None:
    """The side a label's line names ("U.S." of "U.S. Delegation:"), if any."""
    kept = [word for word in words or [] if word.casefold() not in _NO_SIDE]
    return " ".join(kept) or None


def _add_label(text: str, start: int, length: int, found: list[_Label]) -> None:
    """Add the label whose word of length characters is at start, if a label ending follows
    or the word heads its line ("Participants", "U.S. Delegation", "Participants in ...")."""
    end = start + length
    after = text[end : end + 1]
    if after and after != ":" and not after.isspace():
        return  # "presented", "delegations": every label ending opens with a blank or ":"
    if not _is_label_start(text, start):
        return
    word = text[start:end].casefold()
    prefix = _line_prefix(text, start)
    if word == "side" and not prefix:
        return  # "Kazakh side:" heads its line; "on the other side:" is prose
    ending = _LABEL_ENDING.match(text, end)
    if ending and (word != "side" or after == ":"):
        found.append(_Label(start, ending.end(), text[start : ending.end()], _side(prefix), False))
        return
    if word not in _HEADING_WORDS or prefix is None or not _opens_paragraph(text, start):
        return
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    rest = _HEADING_REST.match(text, end, line_end)
    if rest and _words_are_heading(text[end : rest.end()].rstrip(":").split()):
        found.append(_Label(start, rest.end(), text[start : rest.end()], _side(prefix), True))
    elif not prefix and text[end : end + 1] in (" ", "\t"):
        # "¶12. (U) Participants Under Secretary R. Nicholas Burns": the list starts inline.
        first = text[end:line_end].split(None, 1)[0] if text[end:line_end].strip() else ""
        if first[:1].isupper() and items.is_title_word(first):
            found.append(_Label(start, end, text[start:end], None, True))


def _block_end(text: str, start: int, limit: int, caps: bool) -> int:
    """Where a list from start ends: a numbered paragraph runs on when it holds a sub-heading
    or a list item ("¶22. (SBU) U.S.A.:", "2. Ambassador John Smith")."""
    for match in _BLOCK_END.finditer(text, start, limit):
        if match.group("paragraph") is None:
            return match.start()
        line_end = text.find("\n", match.end(), limit)
        line = text[match.start() + 1 : line_end if line_end >= 0 else limit]
        content = line[_PARAGRAPH_MARK.match(line).end() :].strip()  # type: ignore[union-attr]
        if _heading_of(content, caps, False) is not None:
            continue
        if len(content.split()) <= 12 and not _is_prose(content) and _starts_item(content, caps):
            continue
        return match.start()
    return limit


def _opens_list(block: str, caps: bool) -> bool:
    """Whether the text under a heading is a list: its first line a sub-heading or an item."""
    for line in block.splitlines():
        if _RULE_LINE.match(line):
            continue
        content = line[_PARAGRAPH_MARK.match(line).end() :].strip()  # type: ignore[union-attr]
        if _heading_of(content, caps, True) is not None:
            return True
        return not _is_prose(content) and _starts_item(content, caps)
    return False


def _list_blocks(body: scan.Body) -> list[tuple[str, bool, str | None]]:
    """Every list after a participants label: its text, whether it runs on from the label's
    line as running text, and the side its label names."""
    text = body.text
    blocks = []
    labels = _find_labels(body)[:_MAX_LISTS]
    for index, label in enumerate(labels):
        start = label.end
        limit = len(text)
        if index + 1 < len(labels):
            # The next label's line ("U.S. Participants:") belongs to the next list.
            next_start = labels[index + 1].start
            line_start = text.rfind("\n", start, next_start)
            limit = line_start if line_start >= 0 else next_start
        caps = not any(char.islower() for char in text[start : start + 200])
        block = text[start : _block_end(text, start, limit, caps)][:_MAX_LIST_CHARS]
        if label.heading:
            if _opens_list(block, caps):
                blocks.append((block, False, label.side))
            continue
        in_parenthesis = _opened_in_parenthesis(text, label.start)
        if in_parenthesis:
            block = items.depth_zero_split(block, _CLOSING_PARENTHESIS)[0]
        # "Participants included ..." and "Also present were ..." always run on as a sentence.
        inline = bool(block.partition("\n")[0].strip()) or not label.text.endswith(":")
        if inline:
            # Running text ends with its paragraph, or its sentence outside parentheses.
            block = _PARAGRAPH_BREAK.split(block, maxsplit=1)[0]
            if not in_parenthesis:
                block = _SENTENCE_END.split(block, maxsplit=1)[0]
        blocks.append((block, inline, label.side))
    return blocks


def parse_participant_lists(text: str | scan.Body) -> list[dict[str, Any]]:
    """The participants named in explicit lists, in order, each once."""
    blocks = _list_blocks(scan.as_body(text))
    if not blocks:
        return []  # most cables: nothing to merge
    found: list[dict[str, Any]] = []
    for block, inline, side in blocks:
        caps = not any(char.islower() for char in block)  # an all-caps cable's list
        if inline:
            # "U.S: CENTCOM Commanding General David Petraeus ... Bahrain: Crown Prince ..."
            for heading, piece in _split_headings(" ".join(block.split()), caps, False):
                affiliation = heading.rstrip(":") if heading else side
                found += _affiliated(items.inline_people(piece, caps), affiliation)
        else:
            for item, affiliation in _line_items(block, caps, side):
                found += _affiliated(items.people_in_item(item, caps), affiliation)
    return merge_participants(found)


def _affiliated(people: list[dict[str, Any]], affiliation: str | None) -> list[dict[str, Any]]:
    """People with the affiliation of their list's heading, where they name none of their own."""
    if affiliation:
        for person in people:
            if person["affiliation"] is None:
                person["affiliation"] = affiliation
    return people
