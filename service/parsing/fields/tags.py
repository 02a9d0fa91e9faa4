"""TAGS: the codes as written, their glossary details and the keys tag queries match."""

from __future__ import annotations

import re
from typing import Any, Final

from service.parsing.fields import scan
from service.parsing.glossary import is_known_tag, split_glued_tags, tag_info
from service.parsing.names import common_words

# "TAGS:", "TAGS;", "TAGS,", "TAGS", "TAG PTER", "Tags: parm": the keyword, then the codes.
_TAGS_KEYWORD: Final = re.compile(
    r"(?:(?<![A-Za-z])TAGS?(?:[ \t]*[:;,]|[ \t]+(?=[A-Z]{2}))"
    r"|(?<![A-Za-z])[Tt]ags?[ \t]*[:;])[ \t]*"
)
# The keyword in any case ("tAgs: x", "tags x") opening a line: tried where _TAGS_KEYWORD is
# not found.
_TAGS_KEYWORD_ANY_CASE: Final = re.compile(r"(?i:tags?)(?:[ \t]*[:;,]|[ \t]+(?=[A-Za-z]))[ \t]*")
# The keyword with a letter lost ("AGS:", "TGS:", "TAS:"), always with its colon.
_TAGS_KEYWORD_LOST_LETTER: Final = re.compile(r"(?<![A-Za-z])(?:AGS|TGS|TAS)[ \t]*[:;][ \t]*")
# A page header in a TAGS line ("UNCLASSIFIED    PAGE 02        VATICA  00283 ..."): the line
# stops there.
_PAGE_HEADER: Final = re.compile(
    r"(?:(?:UNCLASSIFIED|UNCLAS|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)[ \t]+)?PAGE[ \t]+\d"
)
# Where a TAGS line written on one line with the next field stops. The pattern opens with
# the set of the fields' first characters, in both cases ("ſ" is an s ignoring case), which
# the regex engine skips ahead to, then checks that the letter opens a word, and which field
# it opens; only that part ignores case (a lookaround or a set of letters under IGNORECASE is
# no lead: see captions._CAPTION_ZONE_END).
_TAGS_STOP: Final = re.compile(
    "[CERScers\u017f¶](?i:(?<![A-Za-z].)"
    r"(?:(?<=S)UBJ(?:ECT)?\s*:|(?<=R)EFS?\s*:|(?<=R)EF\b|(?<=C)LASSI?F?I?ED\s+BY|(?<=E)\.\s?O\."
    r"|(?<=¶)))"
)
_TAGS_GROUP: Final = re.compile(r"\(([^()]*)\)")
# A word, a code with a number or slash ("AU-1", "UNGA/C-6"), an initial ("W.") or a comma.
_TAG_TOKEN: Final = re.compile(
    r"[A-Za-z][A-Za-z'\-]*(?:(?<=-)[0-9]+)?(?:/[A-Za-z0-9][A-Za-z0-9\-]*)?|,"
)
# Words of a tag list that are not codes and must not extend a TAGS line.
_TAG_LINE_LEAD: Final = re.compile(r"(?i)^\s*(?:SUBJ|REF|CLASSI|E\.\s?O|¶|\d)")
PERSON_TAG_LEAD: Final = "OVIP"
# Longest run of words joined into one multi-word tag ("ITALIAN POLITICS", "BIDEN, JOSEPH").
_MAX_TAG_WORDS: Final = 4


def _tags_text(body: scan.Body) -> str | None:
    """The raw text of the TAGS field, continuation lines included, or None."""
    header = body.header
    end = _keyword_end(header)
    if end is None:
        return None
    lines = header.text[end : end + scan.FIELD_LIMIT].split("\n")
    first, stopped = _line_part(lines[0])
    if stopped:
        return first
    parts = [first]
    for line in lines[1:]:
        if not line.strip() or _TAG_LINE_LEAD.match(line):
            break
        part, stopped = _line_part(line)
        continued = parts[-1].rstrip().endswith(",") or _wraps_tag(parts[-1], part)
        if not (continued or _looks_like_tag_line(part)):
            break
        parts.append(part)
        if stopped:
            break
    return " ".join(parts)


def _keyword_end(header: scan.Body) -> int | None:
    """Where the codes of the TAGS line start, the keyword read in its variants."""
    match = scan.match_at_keyword(_TAGS_KEYWORD, header, "tag")
    if match is not None:
        return match.end()
    text = header.text
    lowered = header.lowered
    position = lowered.find(b"tag")
    hits = 0
    while position >= 0 and hits < scan.MAX_KEYWORD_HITS:
        hits += 1
        if not text[text.rfind("\n", 0, position) + 1 : position].strip():
            match = _TAGS_KEYWORD_ANY_CASE.match(text, position)
            if match:
                return match.end()
        position = lowered.find(b"tag", position + 1)
    lost = _TAGS_KEYWORD_LOST_LETTER.search(text) if b"s:" in lowered or b"s;" in lowered else None
    return lost.end() if lost else None


def _line_part(line: str) -> tuple[str, bool]:
    """The part of a line that may hold TAGS, and whether the TAGS stop in it."""
    stop = _TAGS_STOP.search(line)
    page = _PAGE_HEADER.search(line, 0, stop.start() if stop else len(line))
    if page:
        return line[: page.start()], True
    return (line[: stop.start()], True) if stop else (line, False)


def _wraps_tag(before: str, line: str) -> bool:
    """Whether a line's first word ends a multi-word tag begun by the last word before it
    ("COUNTRY" / "CLEARANCE")."""
    last = before.split()[-1:] if before.strip() else []
    first = line.split()[:1]
    return bool(last and first) and is_known_tag(f"{last[0]} {first[0]}".upper())


def _looks_like_tag_line(line: str) -> bool:
    """Whether a line after the TAGS line continues it: only codes, each known or short."""
    if _TAG_LINE_LEAD.match(line):
        return False
    words = [word for word in _TAG_TOKEN.findall(line.upper()) if word != ","]
    if not words or (len(words) > 12 and not all(is_known_tag(word) for word in words)):
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
        if len(words) > 1 and not is_known_tag(joined) and not _is_phrase(words):
            tags.extend(_tags_from_word_list(words))
        elif joined:
            tags.extend(_code_or_split(joined))
    return tags


def _is_code(word: str) -> bool:
    """Whether a word of a TAGS line is a code: known, or a glued run of known codes."""
    return is_known_tag(word) or bool(split_glued_tags(word))


def _is_phrase(words: list[str]) -> bool:
    """Whether words are one tag of words ("GOI EXTERNAL"): none of them a code, one of them an
    English word of five letters or more."""
    return not any(_is_code(word) for word in words) and any(
        len(word) >= 5 and word.lower() in common_words() for word in words
    )


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
        if tag is None and not known and index + 1 < len(words):
            size, tag = _phrase(words, index)
        if tag is not None and "," in tag and len(words[index + size : index + size + 1]) == 1:
            initial = words[index + size]
            if len(initial) == 1:  # "BUSH GEORGE W." -> "BUSH, GEORGE W."
                tag, size = f"{tag} {initial}.", size + 1
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


def _phrase(words: list[str], index: int) -> tuple[int, str | None]:
    """Two or three words at index that are no codes and make one tag ("GOI EXTERNAL")."""
    run: list[str] = []
    for offset, word in enumerate(words[index : index + 3]):
        # A country-shaped word, a code, or the start of a known tag of words ends the run.
        if len(word) < 3 or _is_code(word):
            break
        if offset and _multi_word_tag(words, index + offset)[1] is not None:
            break
        run.append(word)
    if len(run) < 2 or not _is_phrase(run):
        return 1, None
    return len(run), " ".join(run)


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
