"""Classified By: the classifying official's name and title, and the reasons."""

from __future__ import annotations

import functools
import re
from typing import Any, Final

from service.parsing import names
from service.parsing.fields import scan
from service.parsing.reference_ids import _edit_distance, _within_one_edit

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
    # "for re ason", "f or reasons", "FR REASONS", ". REA SONS", ". Resons" (split or misspelt)
    r"[,;.]?\s*\b(?:f\s?or|fr)\s+r\s?e?\s?a?\s?s\s?o\s?n|[,;.]\s*r\s?e\s?a?\s?s\s?o\s?n|"
    # "for E.O. 12958 reasons", ", E.O. 12958", "FOR 12958 1.4", "KATTOUF - 1.5 B,D"
    r"[,;]?\s*\b(?:for\s+)?e\.\s?o\.\s*1|\s*\b(?:for|under)\s+(?=1)|\s-\s*(?=1)|"
    r"\s*\bbased\s+[o0]n\b|"
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
_TITLE_WORDS: Final = names.OFFICIAL_TITLE_WORDS
# The first names of a Classified By that are not a person.
_NOT_A_NAME: Final = re.compile(r"(?i)^(?:x+|nara\b.*|\W*)$")
# Abbreviations kept in capitals when a title written in capitals is put in proper case.
_TITLE_ABBREVIATIONS: Final = frozenset(
    {"ADCM", "AMB", "AMB.", "ARSO", "CDA", "CG", "COM", "DCM", "DIR", "DIR.", "ISN", "MC", "POL"}
    | {"PRT", "USEU", "USUN", "A.I.", "A.I"}
)
_TITLE_SMALL_WORDS: Final = frozenset({"OF", "AND", "FOR", "THE"})
_OFFICIAL_PARTS: Final = re.compile(r"[,;]")
# A full stop ending a sentence after a word of two letters or more ("LAURENT CHARBONNET.
# REASONS", "TOM MCDONALD. CONFIDENTIAL"): the official ends there, unless the word is a title.
_SENTENCE_STOP: Final = re.compile(r"(?<=[A-Za-z]{2})\.(?=\s)")
# A word that may be part of a name: a capital then letters, apostrophes or hyphens, or an
# initial ("W.", "0." as a zero typed for the letter O).
_NAME_WORD: Final = re.compile(r"^[A-Z][A-Za-z'’\-]*\.?$|^[A-Z0]\.$")
_NAME_SUFFIXES: Final = frozenset({"jr", "sr", "ii", "iii", "iv"})
# At most this many words before the surname, initials aside ("Mary Grace McGeehan").
_MOST_NAME_WORDS: Final = 3
# Titles written short or misspelt often enough that no name word is one edit away from them.
_FUZZY_TITLE_LENGTH: Final = 6
_LONG_TITLE_LENGTH: Final = 9
_QUOTES: Final = frozenset("\"'“”‘’")
_FUNCTION_WORDS: Final = frozenset({"by", "for", "of", "to", "and", "the", "at", "in", "on"})
_SHORT_WORD: Final = 4
_ROMAN_SUFFIXES: Final = frozenset({"II", "III", "IV"})
_INITIAL_GLUED: Final = re.compile(r"\b([A-Z])\.(?=[A-Za-z]{2})")
# A word broken at a line end: a capitalised start, then lower-case letters on the next line.
_WORD_BREAK: Final = re.compile(
    r"(?P<start>(?<![A-Za-z])[A-Z][a-z]+)[ \t]*\n[ \t]*(?P<rest>[a-z]+)(?![A-Za-z])(?P<comma>,)?"
)
# A zero for the letter O: inside a word of letters, or as an initial ("0.").
_ZERO_IN_WORD: Final = re.compile(r"(?<![\w.])(?=[A-Za-z0]*[A-Za-z])[A-Za-z]*0[A-Za-z0]*(?![\w])")
_ZERO_INITIAL: Final = re.compile(r"(?<![\w.])0\.(?=\s)")


def parse_classified_by(text: str | scan.Body) -> dict[str, Any] | None:
    """The classifying official: {"name", "title", "reasons"} ("1.4(b)"), or None."""
    body = scan.as_body(text)
    text = body.text
    limit = scan.HEADER_LIMIT * 2
    match = scan.match_at_keyword(_CLASSIFIED_BY, body, "class", limit)
    if match is None or _declassified_keyword(text, match.start()):
        return None
    found = _classified_by_at(text, match.end())
    if found is None or not found["reasons"]:
        # "CORRECTED COPY - - CLASSIFIED BY LINE ADDED": a note about the line, which follows
        later = _CLASSIFIED_BY.search(text, match.end(), limit)
        again = _classified_by_at(text, later.end()) if later else None
        if again is not None and again["reasons"]:
            return again
    return found


def _classified_by_at(text: str, start: int) -> dict[str, Any] | None:
    """The official and reasons of the Classified By block whose keyword ends at start."""
    block = text[start : start + 600]
    stop = _CLASSIFIED_STOP.search(block)
    if stop and _ends_with_reason(block[: stop.start()]):
        stop = _CLASSIFIED_STOP.search(block, stop.end())  # "REASON: \n\n1.4(C)."
    block = _joined_word_breaks(block[: stop.start()] if stop else block)
    block = scan.squeeze(block).strip()
    if "0" in block:
        block = _letters_for_zeros(block)
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


def _joined_word_breaks(block: str) -> str:
    """A name broken inside a word at a line end joined again ("Charles O. Blah \na, E.O.",
    "Ambassador Richa \nrd Hoagland"): a line ending in a capitalised word, the next opening
    with lower-case letters that are no word, or that a comma follows."""
    if "\n" not in block:
        return block
    return _WORD_BREAK.sub(_joined_word, block)


def _joined_word(match: re.Match[str]) -> str:
    rest = match["rest"]
    if match["comma"] or rest not in names.common_words():
        return match["start"] + rest
    return match.group()


def _letters_for_zeros(block: str) -> str:
    """Zeros typed for the letter O in words and initials ("AMBASSAD0R R0BIN", "LEE 0.
    COLDREN") read as the letter: a name is found by its letters."""
    block = _ZERO_INITIAL.sub("O.", block)
    return _ZERO_IN_WORD.sub(_letter_o_word, block)


def _letter_o_word(match: re.Match[str]) -> str:
    """A word with its zeros read as O, when its letters are at least twice its zeros ("R0BIN",
    "C00PER"; not the "x000A" of a line-break entity)."""
    word = match.group()
    zeros = word.count("0")
    return word.replace("0", "O") if len(word) - zeros >= 2 * zeros else word


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
    if "." in official:
        official = _cut_at_sentence_end(official)
    pieces = _OFFICIAL_PARTS.split(official) if "," in official or ";" in official else [official]
    parts = [stripped for part in pieces if (stripped := part.strip(" .,;:-"))]
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
        if name_words and "/" in name_words[0]:  # "DCM/Ted Osius"
            title, _, first = name_words[0].rpartition("/")
            if len(first) > 1 or not first:
                title_words.append(title)
                name_words = ([first] if first else []) + name_words[1:]
        if len(name_words) > 1:
            start = _name_start(name_words, official.upper() != official)
            title_words.extend(name_words[:start])
            name_words = name_words[start:]
        name = " ".join(name_words)
        if not name_words or _not_a_name(name):
            return None, _display_title(title_words)
        following = parts[index + 1].split() if index + 1 < len(parts) else []
        if following and following[0].strip(".").lower() in _NAME_SUFFIXES:
            suffix = following[0].strip(".")
            if suffix.lower() in ("jr", "sr"):
                suffix += "."
            name = f"{name}, {suffix}"  # "Thomas W. Simons, Jr.", "Richard L. Baltimore, III"
            following = parts[index + 2].split() if index + 2 < len(parts) else []
        if not title_words and following and _mostly_title(" ".join(following)):
            title_words = following
        return _display_name(name), _display_title(title_words)
    return None, _display_title(title_words)


def _cut_at_sentence_end(official: str) -> str:
    """The official up to a full stop that ends a sentence after a name ("TOM MCDONALD.
    CONFIDENTIAL"); a stop after a title ("COUNS. JOHN") or a suffix ("Jr.") does not end it."""
    for stop in _SENTENCE_STOP.finditer(official):
        before = official[: stop.start()].split()
        last = before[-1].lower() if before else ""
        if last in _NAME_SUFFIXES or _is_title_word(last) or len(last) <= 2:
            continue
        if any(not _is_title_word(word) for word in before):
            return official[: stop.start()]
    return official


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
    """Whether a word belongs to an official's title rather than to the name, misspellings of
    the longer title words included ("Ambassaor", "Direcotr", "Minister-Counselour")."""
    lowered = word.lower()
    stripped = lowered.strip(",.:")
    if stripped in _TITLE_WORDS or lowered in _TITLE_WORDS:
        return True
    return len(stripped) >= _FUZZY_TITLE_LENGTH and any(
        _near_title(stripped, title) for title in _LONG_TITLE_WORDS
    )


_LONG_TITLE_WORDS: Final = tuple(w for w in _TITLE_WORDS if len(w) >= _FUZZY_TITLE_LENGTH)


def _near_title(word: str, title: str) -> bool:
    """One edit (or swap) from a title word that opens with the same letter ("Direcotr",
    "Affiars"), or two from a long one ("AMBASSSADOR", "Abassador", "MCOUNSELOR")."""
    if abs(len(word) - len(title)) > 2:
        return False
    if len(title) >= _LONG_TITLE_LENGTH:  # "MCOUNSELOR", "AMBASSSADOR", "Abassador"
        return _edit_distance(word, title, 2) <= 2
    return word[:1] == title[:1] and _within_one_edit(word, title)


def _name_start(words: list[str], mixed_case: bool) -> int:
    """Where the name begins among the words after the last known title word: the surname,
    and before it initials and up to _MOST_NAME_WORDS name words, stopping at a word that is
    no name (a title, a lower-case word, an English word that is no name, a place, an
    abbreviation in mixed-case text, "DCM/Ted")."""
    start = len(words) - 1
    if start > 0 and words[-1].strip(".").lower() in _NAME_SUFFIXES:
        start -= 1  # "JOHN L. WITHERS II"
    full = 0 if _is_initial(words[start]) else 1
    while start > 0:
        word = words[start - 1]
        if _is_initial(word):
            start -= 1
            continue
        if full >= _MOST_NAME_WORDS or not _may_be_name_word(word, mixed_case):
            break
        full += 1
        start -= 1
    return start


def _is_initial(word: str) -> bool:
    """ "W.", "A", "A.F." or "0." (a zero typed for the letter O)."""
    if len(word) == 1:
        return word.isupper()
    if len(word) == 4 and word[1] == word[3] == "." and word[0].isupper() and word[2].isupper():
        return True
    return len(word) == 2 and word[1] == "." and (word[0].isupper() or word[0] == "0")


@functools.lru_cache(maxsize=4096)
def _may_be_name_word(word: str, mixed_case: bool) -> bool:
    if word in names.NAME_PARTICLES:
        return True  # "Carol van Voorst"
    if word[:1] in _QUOTES and word[-1:] in _QUOTES:
        return True  # a nickname, 'A. "Hoot" Baez'
    if _NAME_WORD.match(word) is None or _is_title_word(word):
        return False
    if mixed_case and word.isupper():
        return False  # "DAS Mark Boulware": an abbreviation
    folded = word.rstrip(".").lower()
    if folded in _FUNCTION_WORDS or folded in names.place_words():
        return False
    # Short English words are first names as often as not ("Win Dayton", "Chat Blakeman").
    if len(folded) <= _SHORT_WORD or folded in names.proper_words():
        return True
    return folded not in names.common_words()


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
    return names.proper_word(word)


def _display_name(name: str) -> str:
    """A name in proper case when written all in capitals ("JOHN ORDWAY" -> "John Ordway")."""
    # A glued initial ("J.Smith") is a full stop before a letter: names whose full stops all
    # stand before a space ("John P. Dorschner") or have none are spared the regex.
    if "." in name.replace(". ", ""):
        name = _INITIAL_GLUED.sub(r"\1. ", name)
    if name.upper() != name:
        return name
    return " ".join(
        word if word.strip(",") in _ROMAN_SUFFIXES else names.proper_word(word)
        for word in name.split()
    )
