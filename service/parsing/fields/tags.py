"""TAGS: the codes as written, their glossary details and the keys tag queries match."""

from __future__ import annotations

import re
from typing import Any, Final

from service.parsing.fields import scan
from service.parsing.glossary import is_known_tag, split_glued_tags, tag_info

# "TAGS:", "TAGS", "TAG PTER", "Tags: parm": the keyword, then the codes.
_TAGS_KEYWORD: Final = re.compile(
    r"(?:(?<![A-Za-z])TAGS?(?:[ \t]*:|[ \t]+(?=[A-Z]{2}))|(?<![A-Za-z])[Tt]ags?[ \t]*:)[ \t]*"
)
# Where a TAGS line written on one line with the next field stops. The pattern opens with
# the set of the fields' first characters, in both cases ("ſ" is an s ignoring case), which
# the regex engine skips ahead to, then checks that the letter opens a word, and which field
# it opens; only that part ignores case. (A pattern led by a lookbehind or lookahead, or by a
# set of letters under IGNORECASE, is tried at every position instead: see
# captions._CAPTION_ZONE_END.)
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


def _tags_text(body: scan.Body) -> str | None:
    """The raw text of the TAGS field, continuation lines included, or None."""
    header = body.header
    match = scan.match_at_keyword(_TAGS_KEYWORD, header, "tag")
    if match is None:
        return None
    lines = header.text[match.end() : match.end() + scan.FIELD_LIMIT].split("\n")
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


def parse_tags(text: str | scan.Body) -> list[str]:
    """TAGS as written: upper case, cable order, no duplicates; person tags as "LAST, FIRST"."""
    raw = _tags_text(scan.as_body(text))
    if raw is None:
        return []
    tags: list[str] = []
    position = 0
    for group in _TAGS_GROUP.finditer(raw):
        tags.extend(_tags_from_words(raw[position : group.start()]))
        person = scan.squeeze(group.group(1)).strip(" ,").upper()
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
