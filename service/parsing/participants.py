"""Participants: the people who took part in what a cable reports.

They come from explicit lists ("Meeting Participants: SCA A/S Richard Boucher, ..."), the
signer, the official in "Classified By" and person TAGS ("BIDEN, JOSEPH"); the same person
found in several places is listed once, with every source.

A list item is read as runs of role words and name words: "USAID Democracy Officer Sean
Roberts (Notetaker)" is the role "USAID Democracy Officer", the name "Sean Roberts" and the
note "Notetaker". Words are told apart by case (acronyms and lower-case words are never
names) and by a table of title and office words (package data, title_words.csv).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from service.parsing import fields, glossary, narrative
from service.parsing.fields import scan

DATA_DIR: Final = Path(__file__).parent / "data"

SOURCE_LIST: Final = "participants"
SOURCE_SIGNER: Final = "signer"
SOURCE_CLASSIFIED_BY: Final = "classified_by"
SOURCE_TAG: Final = "tag"
SOURCE_TEXT: Final = "text"

# How a participant took part (docs/document.md), strongest first: a person found in several
# places keeps the strongest. A list or person TAG alone says "listed"; the signer and the
# Classified By official alone "wrote".
HOW_MET: Final = "met"
HOW_SPOKE: Final = "spoke"
HOW_BRIEFED: Final = "briefed"
HOW_ATTENDED: Final = "attended"
HOW_LISTED: Final = "listed"
HOW_WROTE: Final = "wrote"
HOW_ORDER: Final = (HOW_MET, HOW_SPOKE, HOW_BRIEFED, HOW_ATTENDED, HOW_LISTED, HOW_WROTE)
_HOW_RANK: Final = {how: rank for rank, how in enumerate(HOW_ORDER)}
_HOW_OF_SOURCE: Final = {
    SOURCE_LIST: HOW_LISTED,
    SOURCE_TAG: HOW_LISTED,
    SOURCE_SIGNER: HOW_WROTE,
    SOURCE_CLASSIFIED_BY: HOW_WROTE,
}

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
# A word, or a parenthesised group kept whole ("(For a Just Kazakhstan and True Ak Zhol)").
_TOKEN: Final = re.compile(r"\([^()]*\)|[^\s()]+")
_BULLET: Final = re.compile(r"^[ \t]*(?:--+|-|\*|\u2022|o(?= ))[ \t]*")
_RULE_LINE: Final = re.compile(r"^[\s\-=_*]*$")
_LEADING_AND: Final = re.compile(r"^(?:and|&)\s+", re.IGNORECASE)
_INLINE_SEPARATORS: Final = re.compile(r",|;|\s+and\s+")
_SEMICOLON: Final = re.compile(r";")
_COMMA: Final = re.compile(r",")
_CLOSING_PARENTHESIS: Final = re.compile(r"\)")
_PARENS: Final = re.compile(r"[()]")
_NON_WORD: Final = re.compile(r"[^\w]+")
_REDACTED: Final = re.compile(r"x{4,}", re.IGNORECASE)  # see _is_redacted
_WORD_SPLIT: Final = re.compile(r"([-'])")
_PERSON_TAG: Final = re.compile(
    r"^(?P<last>[A-Z][A-Z'\-]+(?: [A-Z][A-Z'\-]+)*), (?P<first>[A-Z][A-Z. ]*)$"
)

# Notes in parentheses after a name: what the person did there, not whom they represent
# ("(Notetaker)", "(Embassy Notetaker)", "(Head of Delegation)", "(ret)").
_NOTE: Final = re.compile(
    r"\b(?:note[\s-]?taker|interpreter|translator|head of (?:the )?delegation|moderator)\b"
    r"|^(?:chair|host|ret|res|retired|reserve|by phone|by telephone)\.?$",
    re.IGNORECASE,
)
# Honorifics before a name: they mark what follows as a name but are no role.
_HONORIFICS: Final = frozenset({"mr", "mrs", "ms", "miss", "messrs", "mme", "dr"})
# Lower-case words that may sit inside a role ("Director for African Affairs").
_ROLE_CONNECTORS: Final = frozenset({"of", "for", "to", "the", "and", "on", "in", "at", "a", "de"})
# Lower-case particles inside names ("Peter de Gooijer", "Muatassim al-Qadhafi").
_NAME_PARTICLES: Final = frozenset(
    {"de", "da", "del", "della", "di", "du", "van", "von", "der", "den", "la", "le", "al", "el"}
    | {"bin", "ibn", "bint", "dos", "das", "ter"}
)
# Words of an all-caps role kept in capitals: short ones (DCM, SCA, MFA) and these.
_LONGEST_ACRONYM: Final = 3
_ROLE_ACRONYMS: Final = frozenset(
    {"usaid", "fonmin", "nato", "osce", "iaea", "unhcr", "undp", "usun", "useu", "usnato"}
    | {"unvie", "arso", "adcm", "srap", "opcw", "unesco", "unicef", "asean", "apec", "ustr"}
)
# Continuation hints: a wrapped line's predecessor ends with one of these.
_DANGLING_ENDINGS: Final = ("the", "to", "of", "for", "and", "-", ",", "/")
_MAX_NAME_WORDS: Final = 5
# Bounds that real lists stay far below (10STATE17263's 18 delegates take 1,600 characters),
# so that text full of labels or one endless list costs little.
_MAX_LISTS: Final = 12
_MAX_LIST_CHARS: Final = 5_000
_NAME_SUFFIXES: Final = frozenset({"jr", "sr", "ii", "iii", "iv"})
# Words after which capitalised words name a place ("Embassy Tel Aviv").
_PLACE_BEFORE: Final = frozenset({"embassy", "consulate", "amembassy", "amconsul", "usmission"})
# Parentheses that cite rather than describe ("(ref A)", "(reftel)").
_CITATION: Final = re.compile(r"^\(\s*(?:refs?|reftel|para|see)\b", re.IGNORECASE)
# Sentence-ending periods are not those of initials or abbreviations ("D. Edward", "Amb.").
_SENTENCE_END: Final = re.compile(r"(?:(?<=[a-z)\]])|(?<=[A-Z]{2}))\.\s+(?=[A-Z(])")


@dataclass(slots=True)
class _Person:
    """A person read from a list item, before it becomes a participant dict."""

    role: list[str] = field(default_factory=list)
    name: list[str] = field(default_factory=list)
    asides: list[str] = field(default_factory=list)
    honorific: bool = False
    role_follows: bool = False  # "Name, Title" rather than "Title Name"


@functools.cache
def _title_words() -> frozenset[str]:
    """Words that are titles, offices or non-names, never part of a name (package data)."""
    lines = (DATA_DIR / "title_words.csv").read_text("utf-8").splitlines()[1:]  # "word" header
    return frozenset(line.strip() for line in lines if line.strip())


@functools.lru_cache(maxsize=8192)
def _fold(text: str) -> str:
    """Case- and accent-folded text, words separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(_NON_WORD.sub(" ", bare.casefold()).split())


def _proper_word(word: str) -> str:
    """Proper-case one all-caps word ("MCDONALD" -> "McDonald", "O'NEILL" -> "O'Neill")."""
    lowered = word.lower()
    if "-" in lowered or "'" in lowered:
        cased = "".join(part.capitalize() for part in _WORD_SPLIT.split(lowered))
    else:  # one part: the split would return it alone
        cased = lowered.capitalize()
    if cased.startswith("Mc") and len(cased) > 3:
        cased = "Mc" + cased[2:].capitalize()
    return cased


def _proper_case(name: str) -> str:
    """Proper-case an all-caps name ("ORDWAY" -> "Ordway"); mixed case is kept as written."""
    if not name.isupper():
        return name
    return " ".join(_proper_word(word) for word in name.split())


def _display_role(role: str) -> str:
    """A role written all in capitals in proper case, acronyms kept ("POLITICAL OFFICER" ->
    "Political Officer", "SCA A/S" unchanged); a role in mixed case as written."""
    if role.upper() != role or not any(len(word) > _LONGEST_ACRONYM for word in role.split()):
        return role
    return " ".join(_role_word(word) for word in role.split())


def _role_word(word: str) -> str:
    """One word of an all-caps role: connectors in lower case, acronyms kept, others proper."""
    folded = word.casefold()
    if folded in _ROLE_CONNECTORS:
        return folded
    bare = _bare(word)
    if bare.endswith("'S") and bare[:-2].isalpha():
        return word.replace(bare, _proper_word(bare[:-2]) + "'s")  # "RUSSIA'S"
    if (
        len(bare) <= _LONGEST_ACRONYM
        or bare.casefold() in _ROLE_ACRONYMS
        or not bare.isalpha()
        or not any(vowel in bare for vowel in "AEIOUY")
    ):
        return word  # "DCM", "A/S", "USAID", "(MFA)"
    return _proper_word(word)


def make_participant(
    name: str,
    *,
    role: str | None = None,
    affiliation: str | None = None,
    note: str | None = None,
    source: str,
    how: str | None = None,
) -> dict[str, Any]:
    """One participant dict: name proper-cased, with its search key and words; `how` defaults to
    what its source says (a list: listed, the signer: wrote)."""
    display = _proper_case(" ".join(name.split()))
    key = _fold(display)
    return {
        "name": display,
        "search_key": key,
        "search_words": key.split(),
        "role": _display_role(" ".join(role.split())) if role else None,
        "affiliation": affiliation or None,
        "note": note or None,
        "sources": [source],
        "how": how or _HOW_OF_SOURCE.get(source, HOW_LISTED),
    }


def _is_redacted(word: str) -> bool:
    """Whether a word holds a redaction ("XXXXXXXXXXXX"); the regex runs only on words with an x."""
    return ("x" in word or "X" in word) and _REDACTED.search(word) is not None


def _bare(word: str) -> str:
    """A word without surrounding punctuation."""
    return word.strip(".,;:'\"\\")


def _is_name_word(word: str, caps: bool = False) -> bool:
    """Whether a word can be part of a person's name (caps: in an all-caps list)."""
    bare = _bare(word)
    if not caps and not bare[:1].isupper():
        return False  # in mixed-case text every name word, initials too, opens with a capital
    folded = bare.casefold()
    if not bare or folded in _title_words() or _is_redacted(bare):
        return False
    if len(bare) == 1:
        return bare.isupper() and word.endswith(".")  # an initial, "T."
    if caps:
        # Only the title table tells names from other words in "SCA A/S RICHARD BOUCHER".
        plain = folded.replace("-", "").replace("'", "")
        return folded not in _ROLE_CONNECTORS and plain.isalpha() and not folded.endswith("'s")
    if bare.isupper() or bare.endswith("'s"):
        return False  # an acronym (SCA, USAID) or a possessive (MFA's) in mixed-case text
    if "-" in bare and all(part.casefold() in _title_words() for part in bare.split("-")):
        return False  # "Political-Military"
    return bare[0].isupper() and bare.replace("-", "").replace("'", "").isalpha()


def _is_title_word(word: str) -> bool:
    """Whether a word is a title, office or acronym that may stand right before a name."""
    bare = _bare(word)
    folded = bare.casefold()
    if folded in _ROLE_CONNECTORS:
        return False  # "THE IRAQI INTERPRETER": an article is no title
    return folded in _title_words() or folded in _HONORIFICS or "/" in bare or bare.isupper()


def _segment(tokens: list[str], caps: bool = False) -> tuple[list[_Person], list[str]]:
    """Split tokens into people (role words then name words) and any trailing role words."""
    people: list[_Person] = []
    current = _Person()
    for token in tokens:
        if token.startswith("("):
            if _CITATION.match(token):
                continue
            (current.asides if current.name else current.role).append(token)
        elif (
            _is_name_word(token, caps)
            or _is_redacted(token)
            or (current.name and token in _NAME_PARTICLES)
        ):
            if current.asides:  # a new name after "(...)" starts the next person
                people.append(current)
                current = _Person()
            current.name.append(token)
        else:
            if current.name:
                people.append(current)
                current = _Person()
            if _bare(token).casefold() in _HONORIFICS:
                current.honorific = True
            else:
                current.role.append(token)
    if current.name:
        people.append(current)
        return people, []
    return people, current.role


def _trim_prose(role: list[str]) -> list[str]:
    """Role words after the last sentence word ("was joined by Yvonne" keeps nothing)."""
    for index in range(len(role) - 1, -1, -1):
        word = _bare(role[index])
        if (
            word.islower()
            and not word.startswith("(")
            and word not in _ROLE_CONNECTORS
            and "/" not in word
        ):
            return role[index + 1 :]
    return role


def _is_side_label(words: list[str]) -> bool:
    """Whether a name run is a country or side heading ("United Kingdom", "China")."""
    return _fold(" ".join(words)) in glossary.place_names()


def _to_participant(person: _Person) -> dict[str, Any] | None:
    """The participant dict of a segmented person, or None when it is not a plausible name."""
    while person.name and person.name[-1] in _NAME_PARTICLES:
        person.name.pop()
    role = _trim_prose(person.role)
    if not person.name or len(person.name) > _MAX_NAME_WORDS:
        return None
    titled = person.honorific or person.role_follows or (bool(role) and _is_title_word(role[-1]))
    if len(person.name) == 1 and not titled:
        return None  # a lone capitalised word needs a title before it: "Ambassador Ordway"
    if _is_side_label(person.name) or any(_is_redacted(word) for word in person.name):
        return None
    if role and not person.role_follows and _bare(role[-1]).casefold() in _PLACE_BEFORE:
        return None  # "U.S. Embassy Tel Aviv" names a post, not a person
    affiliations, notes = [], []
    for aside in person.asides:
        content = " ".join(aside[1:-1].split())
        if _NOTE.search(content):
            plain = content.islower() or content.isupper()
            notes.append(content.capitalize() if plain else content)
        elif content:
            affiliations.append(content)
    return make_participant(
        " ".join(_bare(word) if len(_bare(word)) > 1 else word for word in person.name),
        role=" ".join(role).strip(" ,;:-") or None,
        affiliation="; ".join(affiliations) or None,
        note="; ".join(notes) or None,
        source=SOURCE_LIST,
    )


def _clean_item(item: str) -> str:
    """An item with single spaces, no line-continuation backslashes or leading "and"."""
    item = " ".join(item.replace("\\", " ").split()).strip(" ,;.:")
    return _LEADING_AND.sub("", item)


def _participants_of(people: list[_Person]) -> tuple[list[dict[str, Any]], list[str]]:
    """Participants of segmented people; words of implausible ones go to the next role."""
    found: list[dict[str, Any]] = []
    carried: list[str] = []
    for person in people:
        person.role = carried + person.role
        participant = _to_participant(person)
        if participant is None:
            # "Director for African Affairs Michelle Gavin": "African" is part of the role.
            carried = person.role + person.name + person.asides
        else:
            found.append(participant)
            carried = []
    return found, carried


def _people_in_piece(piece: str, caps: bool) -> tuple[list[dict[str, Any]], str | None]:
    """Participants in a comma-free piece, and the role words it ends with, if any."""
    people, trailing = _segment(_TOKEN.findall(_clean_item(piece)), caps)
    if trailing and people and not people[-1].asides:
        # "the Swiss Federal President": capitalised words before a closing title are no name.
        last = people.pop()
        trailing = last.role + last.name + trailing
    found, carried = _participants_of(people)
    role = " ".join(_trim_prose(carried + trailing)).strip(" ,;:-") or None
    return found, role


def _attach_role(found: list[dict[str, Any]], role: str | None, *, append: bool) -> None:
    """Give a trailing title ("Joseph Biden, Vice President") to the person before it."""
    if not role or not found or role[:1].islower() or "(" in role:
        return  # "CDA (Notetaker)" is an unnamed person, not a title
    before = found[-1]["role"]
    if before is None:
        found[-1]["role"] = role
    elif append:
        found[-1]["role"] = f"{before}, {role}"


def _people_in_item(item: str, caps: bool) -> list[dict[str, Any]]:
    """Participants in one list item: "Title Name (aside)", "Name, Title" or several."""
    item = _clean_item(item)
    if not item:
        return []
    pieces = _depth_zero_split(item, _COMMA)  # split once: the three readings below share it
    head, *rest = pieces
    comma, tail = bool(rest), ",".join(rest)
    people, trailing = _segment(_TOKEN.findall(head), caps)
    if comma and len(people) == 1 and not people[0].role and not trailing:
        # "Antony Blinken, National Security Advisor to the Vice President"
        person = people[0]
        tail_tokens = _TOKEN.findall(tail)
        person.asides += [t for t in tail_tokens if t.startswith("(") and _NOTE.search(t)]
        person.role = [t for t in tail_tokens if t not in person.asides]
        person.role_follows = True
        participant = _to_participant(person)
        return [participant] if participant else []
    series = _name_title_series(pieces, caps)
    if series is not None:
        return series
    found: list[dict[str, Any]] = []
    for piece in pieces:
        piece_people, role = _people_in_piece(piece, caps)
        found += piece_people
        _attach_role(found, role, append=True)
    return found


def _name_title_series(pieces: list[str], caps: bool) -> list[dict[str, Any]] | None:
    """People of a "Name, Title" list flattened onto one line, or None when it is not one.

    "The Deputy Secretary Glyn T. Davies, EAP Acting Assistant Secretary Daniel L. Shields,
    CDA (Notetaker)" (09SINGAPORE529): after each comma comes the title of the name before
    it, then the next name; the last pieces are titles alone.
    """
    if len(pieces) < 3:
        return None
    segments = [_segment(_TOKEN.findall(_clean_item(pieces[0])), caps)]
    for piece in pieces[1:]:
        tokens = _TOKEN.findall(_clean_item(piece))
        people, trailing = _segment(tokens, caps)
        if len(people) == 1 and people[0].role and not trailing:
            segments.append((people, []))  # "EAP Acting Assistant Secretary Daniel L. Shields"
        elif all(len(person.name) == 1 and not person.honorific for person in people):
            segments.append(([], tokens))  # a title alone ("Americas Directorate", "CDA")
        else:
            return None
    last_title = segments[-1][1]
    if not segments[0][0] or not last_title or not last_title[0][:1].isupper():
        return None
    if not any(people for people, _ in segments[1:-1]):
        return None  # "Name, Title, Title": the plain "Name, Title" form
    *leading, first = segments[0][0]
    persons = [first]
    titles: list[list[list[str]]] = [[]]
    for people, trailing in segments[1:]:
        if people:
            titles[-1].append(people[0].role)
            people[0].role = []
            persons.append(people[0])
            titles.append([])
        else:
            titles[-1].append(trailing)
    found = _participants_of(leading)[0]
    for person, title_pieces in zip(persons, titles, strict=True):
        if title_pieces:
            words = [word for piece in title_pieces for word in [*piece[:-1], piece[-1] + ","]]
            person.asides += [word.rstrip(",") for word in words if word.startswith("(")]
            person.role = [word for word in words if not word.startswith("(")]
            person.role_follows = True
        participant = _to_participant(person)
        if participant:
            found.append(participant)
    return found


def _depth_zero_pieces(text: str, separators: re.Pattern[str]) -> list[tuple[str, str]]:
    """Split text at separators outside parentheses: (separator before, piece) pairs."""
    masked, depth, kept_from = [], 0, 0
    for paren in _PARENS.finditer(text):
        position = paren.start()
        if paren.group() == "(":
            if depth == 0:
                masked.append(text[kept_from:position])
                kept_from = position
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:  # hide what the parentheses hold from the separators
                masked.append("_" * (position - kept_from))
                kept_from = position
    rest = text[kept_from:]  # an unclosed "(" hides everything after it
    masked.append("_" * len(rest) if depth else rest)
    pieces, start, separator = [], 0, ""
    for match in separators.finditer("".join(masked)):
        pieces.append((separator, text[start : match.start()]))
        start, separator = match.end(), match.group()
    pieces.append((separator, text[start:]))
    return pieces


def _depth_zero_split(text: str, separators: re.Pattern[str]) -> list[str]:
    """Split text at separators that are outside parentheses."""
    return [piece for _separator, piece in _depth_zero_pieces(text, separators)]


def _inline_pieces(joined: str, caps: bool) -> list[str]:
    """Pieces of running text split at commas and "and", rejoining "and" inside a title."""
    pieces: list[str] = []
    for separator, piece in _depth_zero_pieces(joined, _INLINE_SEPARATORS):
        after_and = bool(pieces) and separator.strip() == "and"
        if after_and and not _people_in_piece(piece, caps)[0]:
            pieces[-1] = f"{pieces[-1]} and {piece}"  # "Nonproliferation and Arms Control"
        else:
            pieces.append(piece)
    return pieces


def _inline_people(block: str, caps: bool) -> list[dict[str, Any]]:
    """Participants of a list written as running text ("A, B (X),C and D")."""
    joined = " ".join(block.replace("\\", " ").split())
    found: list[dict[str, Any]] = []
    if ";" in joined:
        for piece in _depth_zero_split(joined, _SEMICOLON):
            found += _people_in_item(piece, caps)
        return found
    for piece in _inline_pieces(joined, caps):
        piece_people, role = _people_in_piece(piece, caps)
        found += piece_people
        _attach_role(found, role, append=False)
    return found


def _starts_item(line: str, caps: bool) -> bool:
    """Whether a line of a one-per-line list opens an item rather than continuing one."""
    text = _clean_item(line)
    if (text.isupper() and not caps) or text[:1].islower():
        return text.isupper()  # an all-caps heading or signer; a lower-case continuation
    if caps and " " not in text and _is_name_word(text, caps):
        return True  # a lone name in an all-caps list is the signature ("CLINTON")
    head = _depth_zero_split(text, _COMMA)[0]
    tokens = _TOKEN.findall(head)
    people, trailing = _segment(tokens, caps)
    alone = len(people) == 1 and not (people[0].role or trailing or people[0].asides)
    if alone and _is_side_label(people[0].name):
        return True  # "United Kingdom": a side heading
    return bool(_participants_of(people)[0])


def _until_heading(lines: list[str], caps: bool) -> list[str]:
    """Lines before an underlined heading that is not a side heading ("Qualitative Edge")."""
    for index in range(1, len(lines) - 1):
        heading, underline = lines[index], lines[index + 1]
        if heading.strip() and underline.strip() and _RULE_LINE.match(underline):
            side = (heading.strip().isupper() and not caps) or _is_side_label(heading.split())
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
            block = _depth_zero_split(block, _CLOSING_PARENTHESIS)[0]
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
            found += _inline_people(block, caps)
        else:
            for item in _line_items(block, caps):
                found += _people_in_item(item, caps)
    return merge_participants(found)


def participant_from_tag(tag: str) -> dict[str, Any] | None:
    """A person TAG ("BIDEN, JOSEPH") as a participant ("Joseph Biden"), else None."""
    if "," not in tag:
        return None  # a code ("PGOV"): person tags are the only ones with a comma
    match = _PERSON_TAG.match(" ".join(tag.split()).upper())
    if match is None:
        return None
    return make_participant(f"{match['first']} {match['last']}", source=SOURCE_TAG)


def _name_words(participant: dict[str, Any]) -> list[str]:
    """Folded words of a name for matching: hyphenated names whole, no "Jr."/"III"."""
    name: str = participant["name"]
    if name.isascii() and name.replace(" ", "").isalpha():
        # Words of ASCII letters alone ("Geoff Pyatt", the usual name) fold to lower case.
        words: Iterable[str] = name.lower().split()
    else:
        words = (_fold(word).replace(" ", "") for word in name.split())
    return [word for word in words if word and word not in _NAME_SUFFIXES]


def _same_person(left_words: list[str], right_words: list[str]) -> bool:
    """Same last name, and first names that agree (or an initial) where both are given (the
    _name_words of two participants)."""
    if not left_words or not right_words or left_words[-1] != right_words[-1]:
        return False
    # "Carol van Voorst" and "Van Voorst": particles belong to the last name.
    left_first = [word for word in left_words[:-1] if word not in _NAME_PARTICLES]
    right_first = [word for word in right_words[:-1] if word not in _NAME_PARTICLES]
    if not left_first or not right_first:
        return True
    one, other = left_first[0], right_first[0]
    return one == other or (min(len(one), len(other)) == 1 and one[0] == other[0])


def _absorb(into: dict[str, Any], other: dict[str, Any]) -> bool:
    """Merge other into into: the fuller name, first role/affiliation/note, all sources; whether
    into took other's name."""
    fuller = len(other["search_words"]) > len(into["search_words"])
    if fuller:
        for key in ("name", "search_key", "search_words"):
            into[key] = other[key]
    for key in ("role", "affiliation", "note"):
        if into.get(key) is None and other.get(key) is not None:
            into[key] = other[key]
    if _HOW_RANK[other["how"]] < _HOW_RANK[into["how"]]:
        into["how"] = other["how"]
    for source in other["sources"]:
        if source not in into["sources"]:
            into["sources"].append(source)
    return fuller


def merge_participants(*groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One list where the same person found in several groups appears once."""
    merged: list[dict[str, Any]] = []
    # The merged participants with their _name_words (worked out once each, and again only
    # when a fuller name is taken), by last name: only same last names can match.
    by_last_name: dict[str, list[tuple[list[str], dict[str, Any]]]] = {}
    for group in groups:
        for participant in group:
            words = _name_words(participant)
            candidates = by_last_name.setdefault(words[-1] if words else "", [])
            for index, (known, twin) in enumerate(candidates):
                if _same_person(known, words):
                    if _absorb(twin, participant):
                        candidates[index] = (_name_words(twin), twin)
                    break
            else:
                copy = {**participant, "sources": list(participant["sources"])}
                merged.append(copy)
                candidates.append((words, copy))
    return merged


def participant_from_name(
    text: str, *, role: str | None = None, source: str
) -> dict[str, Any] | None:
    """A participant from a name field ("CDA GRIFFITHS", "John Ordway"), title words split off."""
    words = text.split()
    # A run of x never crosses a blank: the whole text is redacted where one of its words is.
    if not words or _is_redacted(text):
        return None
    cased = [_proper_word(word) for word in words] if text.isupper() else words
    people, trailing = _segment(cased)
    if not people and all(_is_title_word(word) for word in cased):
        return None  # "Minister": a title alone names nobody
    if _is_side_label(cased):
        return None  # "China": a side heading read as a signature
    if len(people) == 1 and not trailing and len(people[0].name) < len(words):
        # "CDA GRIFFITHS": the title came with the name
        name_start = len(words) - len(people[0].name)
        leading = [w for w in words[:name_start] if _bare(w).casefold() not in _HONORIFICS]
        return make_participant(
            " ".join(cased[name_start:]), role=role or " ".join(leading) or None, source=source
        )
    return make_participant(" ".join(cased), role=role, source=source)


def participants_from_fields(
    signer: str | None, classified_by: dict[str, Any] | None, tags: list[str]
) -> list[dict[str, Any]]:
    """Participants named by the classifying official, the signer and person TAGS."""
    named = []
    if classified_by and classified_by.get("name"):
        named.append(
            participant_from_name(
                classified_by["name"], role=classified_by.get("title"), source=SOURCE_CLASSIFIED_BY
            )
        )
    if signer:
        named.append(participant_from_name(signer, source=SOURCE_SIGNER))
    found = [participant for participant in named if participant is not None]
    for tag in tags:
        # Person tags are the only ones with a comma: codes ("PGOV") are spared the call.
        if "," in tag and (from_tag := participant_from_tag(tag)) is not None:
            found.append(from_tag)
    return found


def parse_participants(text: str | scan.Body) -> list[dict[str, Any]]:
    """Every participant of a cable or fragment: lists, Classified By, signer, person TAGS."""
    body = scan.as_body(text)
    listed = parse_participant_lists(body)
    others = participants_from_fields(
        fields.parse_signer(body), fields.parse_classified_by(body), fields.parse_tags(body)
    )
    return merge_participants(listed, others)


def people(
    text: str | scan.Body, named: list[dict[str, Any]], subject: str | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The participants of a cable (lists, the narrative, then the `named` ones: signer,
    classifying official, person TAGS) and the people it only mentions, each person once."""
    body = scan.as_body(text)
    taking_part: list[dict[str, Any]] = []
    mentioned: list[dict[str, Any]] = []
    listed = parse_participant_lists(body)
    listed_words = [_name_words(participant) for participant in listed]
    for person in narrative.read_people(body.text, subject):
        name = " ".join(person.words)
        words = [word.lower() for word in person.words]
        lone = len(words) == 1 and person.role is None
        if listed and lone and not any(_same_person(words, known) for known in listed_words):
            # A lone surname that a cable's participants list lacks is a variant spelling
            # or someone talked about.
            mentioned.append(make_participant(name, role=person.role, source=SOURCE_TEXT))
        elif person.how is None:
            mentioned.append(make_participant(name, role=person.role, source=SOURCE_TEXT))
        else:
            taking_part.append(
                make_participant(name, role=person.role, source=SOURCE_TEXT, how=person.how)
            )
    found = merge_participants(listed, taking_part, named)
    return found, _others(found, mentioned)


def _others(found: list[dict[str, Any]], mentioned: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The mentioned people who are none of the participants, in the mentioned shape."""
    known = [_name_words(participant) for participant in found]
    others = []
    for person in merge_participants(mentioned):
        words = _name_words(person)
        if not any(_same_person(words, taken) for taken in known):
            others.append({key: person[key] for key in _MENTIONED_KEYS})
    return others


_MENTIONED_KEYS: Final = ("name", "search_key", "search_words", "role", "affiliation")
