"""Participants lists: found after their labels ("Participants:", "Meeting Participants:",
"U.S. Delegation:", "Attendees:", "Present:", "Participants included", "Also present were"),
written one item a line, as bullets or as running text, and read item by item
(participant_items.py).
"""

from __future__ import annotations

import re
from typing import Any, Final

from service.parsing import participant_items as items
from service.parsing.fields import scan
from service.parsing.person import merge_participants

# The words that open a list: "Participants:", "Meeting Participants:", "U.S. Delegation:",
# "Attendees:", "Present:", and colon-less "Participants included", "Also present were".
# They are found with bytes.find in a lower-cased Latin-1 copy of the text (one byte per
# character, so positions match), which costs a few microseconds a cable where a
# case-insensitive regex costs hundreds. Each scan costs about 3 microseconds a cable, so
# "attendees" and "in attendance" share one, for "attend": (label, where "attend" is in it).
_LABEL_WORDS: Final = (b"participants", b"present", b"delegation")


_ATTEND: Final = b"attend"


_ATTEND_LABELS: Final = ((b"attendees", 0), (b"in attendance", 3))


_LABEL_ENDING: Final = re.compile(r"[ \t]*:|\s+(?:included|include|were|are)\b:?", re.IGNORECASE)


# Where a list stops: a numbered paragraph, two blank lines, or an END/SUMMARY/COMMENT line.
_BLOCK_END: Final = re.compile(
    r"\n[ \t]*\n[ \t]*\n|\n[ \t]*(?:¶[ \t]*)?\d{1,3}[ \t]?\.[ \t]"
    r"|\n[ \t]*(?:end|begin|summary|comment|nnnn)\b",
    re.IGNORECASE,
)


_PARAGRAPH_BREAK: Final = re.compile(r"\n[ \t]*\n")


_BULLET: Final = re.compile(r"^[ \t]*(?:--+|-|\*|\u2022|o(?= ))[ \t]*")


_RULE_LINE: Final = re.compile(r"^[\s\-=_*]*$")


_CLOSING_PARENTHESIS: Final = re.compile(r"\)")


# Continuation hints: a wrapped line's predecessor ends with one of these.
_DANGLING_ENDINGS: Final = ("the", "to", "of", "for", "and", "-", ",", "/")


# Bounds that real lists stay far below (10STATE17263's 18 delegates take 1,600 characters),
# so that text full of labels or one endless list costs little.
_MAX_LISTS: Final = 12


_MAX_LIST_CHARS: Final = 5_000


# Sentence-ending periods are not those of initials or abbreviations ("D. Edward", "Amb.").
_SENTENCE_END: Final = re.compile(r"(?:(?<=[a-z)\]])|(?<=[A-Z]{2}))\.\s+(?=[A-Z(])")


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


def _until_heading(lines: list[str], caps: bool) -> list[str]:
    """Lines before an underlined heading that is not a side heading ("Qualitative Edge")."""
    for index in range(1, len(lines) - 1):
        heading, underline = lines[index], lines[index + 1]
        if heading.strip() and underline.strip() and _RULE_LINE.match(underline):
            side = (heading.strip().isupper() and not caps) or items.is_side_label(heading.split())
            if not lines[index - 1].strip() and not side:
                return lines[:index]
    return lines


def _line_items(block: str, caps: bool) -> list[str]:
    """Items of a list written one per line or "--" bullet, with wrapped lines joined."""
    lines = [
        line for line in _until_heading(block.splitlines(), caps) if not _RULE_LINE.match(line)
    ]
    bulleted = sum(1 for line in lines if _BULLET.match(line)) > len(lines) // 3
    items: list[str] = []
    for line in lines:
        text = _BULLET.sub("", line).strip() if bulleted else line.strip()
        if bulleted:
            opens = bool(_BULLET.match(line))
        else:
            dangling = bool(items) and items[-1].endswith(_DANGLING_ENDINGS)
            opens = not dangling and (_starts_item(text, caps) or not items)
        if opens or not items:
            items.append(text)
        else:
            items[-1] = f"{items[-1]} {text}"
    return items


def _opened_in_parenthesis(text: str, position: int) -> bool:
    """Whether an unclosed "(" shortly before position opens the list ("(Meeting ...:")."""
    before = text[max(0, position - 40) : position]
    return before.rfind("(") > before.rfind(")")


def _is_label_start(text: str, start: int) -> bool:
    """Whether a label word at start begins a word and is not "not in attendance"."""
    if start and text[start - 1].isalnum():
        return False
    return not text.endswith(("not ", "NOT "), 0, start)


def _find_labels(body: scan.Body) -> list[tuple[int, int, str]]:
    """(start, end, text) of every list label, in order; "not in attendance" is none."""
    text = body.text
    lowered = body.lowered
    found: list[tuple[int, int, str]] = []
    for word in _LABEL_WORDS:
        start = lowered.find(word)
        while start >= 0:
            _add_label(text, start, len(word), found)
            start = lowered.find(word, start + 1)
    position = lowered.find(_ATTEND)
    while position >= 0:
        for word, offset in _ATTEND_LABELS:
            if position >= offset and lowered.startswith(word, position - offset):
                _add_label(text, position - offset, len(word), found)
        position = lowered.find(_ATTEND, position + 1)
    return sorted(found)


def _add_label(text: str, start: int, length: int, found: list[tuple[int, int, str]]) -> None:
    """Add the label whose word of length characters is at start, if a label ending follows."""
    after = text[start + length : start + length + 1]
    if after != ":" and not after.isspace():
        return  # "presented", "delegations": every label ending opens with a blank or ":"
    ending = _LABEL_ENDING.match(text, start + length)
    if ending and _is_label_start(text, start):
        found.append((start, ending.end(), text[start : ending.end()]))


def _list_blocks(body: scan.Body) -> list[tuple[str, bool]]:
    """Every list after a participants label, and whether it runs on from the label's line."""
    text = body.text
    blocks = []
    labels = _find_labels(body)[:_MAX_LISTS]
    for index, (label_start, start, label) in enumerate(labels):
        limit = len(text)
        if index + 1 < len(labels):
            # The next label's line ("U.S. Participants:") belongs to the next list.
            next_start = labels[index + 1][0]
            line_start = text.rfind("\n", start, next_start)
            limit = line_start if line_start >= 0 else next_start
        end_match = _BLOCK_END.search(text, start, limit)
        block = text[start : end_match.start() if end_match else limit][:_MAX_LIST_CHARS]
        in_parenthesis = _opened_in_parenthesis(text, label_start)
        if in_parenthesis:
            block = items.depth_zero_split(block, _CLOSING_PARENTHESIS)[0]
        # "Participants included ..." and "Also present were ..." always run on as a sentence.
        inline = bool(block.partition("\n")[0].strip()) or not label.endswith(":")
        if inline:
            # Running text ends with its paragraph, or its sentence outside parentheses.
            block = _PARAGRAPH_BREAK.split(block, maxsplit=1)[0]
            if not in_parenthesis:
                block = _SENTENCE_END.split(block, maxsplit=1)[0]
        blocks.append((block, inline))
    return blocks


def parse_participant_lists(text: str | scan.Body) -> list[dict[str, Any]]:
    """The participants named in explicit lists, in order, each once."""
    blocks = _list_blocks(scan.as_body(text))
    if not blocks:
        return []  # most cables: nothing to merge
    found: list[dict[str, Any]] = []
    for block, inline in blocks:
        caps = not any(char.islower() for char in block)  # an all-caps cable's list
        if inline:
            found += items.inline_people(block, caps)
        else:
            for item in _line_items(block, caps):
                found += items.people_in_item(item, caps)
    return merge_participants(found)
