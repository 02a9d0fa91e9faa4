"""One item of a participants list read into people: "USAID Democracy Officer Sean Roberts
(Notetaker)" is the role "USAID Democracy Officer", the name "Sean Roberts" and the note
"Notetaker".

Words are told apart by case (acronyms and lower-case words are never names, but for particles
joined by a hyphen: "al-Asad") and by the table of title and office words (names.title_words).
A run of name words is no person when it ends with an organisation word ("Al Fatah University")
or is English words alone ("Economic Development"); "U" and "Daw" are Burmese honorifics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Final

from service.parsing import glossary, names
from service.parsing.person import SOURCE_LIST, make_participant

# A word, or a parenthesised group kept whole ("(For a Just Kazakhstan and True Ak Zhol)").
TOKEN: Final = re.compile(r"\([^()]*\)|[^\s()]+")

_LEADING_AND: Final = re.compile(r"^(?:and|&)\s+", re.IGNORECASE)

_INLINE_SEPARATORS: Final = re.compile(r",|;|\s+and\s+")

_SEMICOLON: Final = re.compile(r";")

COMMA: Final = re.compile(r",")

_PARENS: Final = re.compile(r"[()]")

_REDACTED: Final = re.compile(r"x{4,}", re.IGNORECASE)  # see _is_redacted

# Notes in parentheses after a name: what the person did there, not whom they represent
# ("(Notetaker)", "(Embassy Notetaker)", "(Head of Delegation)", "(ret)").
_NOTE: Final = re.compile(
    r"\b(?:note[\s-]?taker|interpreter|translator|head of (?:the )?delegation|moderator)\b"
    r"|^(?:chair|host|ret|res|retired|reserve|by phone|by telephone)\.?$",
    re.IGNORECASE,
)

_MAX_NAME_WORDS: Final = 5

# Words after which capitalised words name a place ("Embassy Tel Aviv").
_PLACE_BEFORE: Final = frozenset({"embassy", "consulate", "amembassy", "amconsul", "usmission"})

# Endings of English abstract nouns, never a surname's: "Development", "Cooperation".
_ABSTRACT_ENDINGS: Final = (
    "ment",
    "tion",
    "sion",
    "ity",
    "ship",
    "ness",
    "ism",
    "ance",
    "ence",
    "ing",
)

# Honorifics of lists beyond names.HONORIFICS, written as they are: Burmese "U" and "Daw".
_LIST_HONORIFICS: Final = frozenset({"U", "Daw"})

# Parentheses that cite rather than describe ("(ref A)", "(reftel)").
_CITATION: Final = re.compile(r"^\(\s*(?:refs?|reftel|para|see)\b", re.IGNORECASE)


@dataclass(slots=True)
class _Person:
    """A person read from a list item, before it becomes a participant dict."""

    role: list[str] = field(default_factory=list)
    name: list[str] = field(default_factory=list)
    asides: list[str] = field(default_factory=list)
    honorific: bool = False
    role_follows: bool = False  # "Name, Title" rather than "Title Name"


def _title_words() -> frozenset[str]:
    """Words that are titles, offices or non-names, never part of a name (names.py)."""
    return names.title_words()


def _is_redacted(word: str) -> bool:
    """Whether a word holds a redaction ("XXXXXXXXXXXX"); the regex runs only on words with an x."""
    return ("x" in word or "X" in word) and _REDACTED.search(word) is not None


def bare_word(word: str) -> str:
    """A word without surrounding punctuation."""
    return word.strip(".,;:'\"\\")


def is_name_word(word: str, caps: bool = False) -> bool:
    """Whether a word can be part of a person's name (caps: in an all-caps list)."""
    bare = bare_word(word)
    if not caps and not bare[:1].isupper():
        # in mixed-case text every name word, initials too, opens with a capital, but for a
        # particle joined by a hyphen ("al-Asad")
        particle, hyphen, rest = bare.partition("-")
        return bool(hyphen) and particle in names.NAME_PARTICLES and is_name_word(rest)
    folded = bare.casefold()
    if not bare or folded in _title_words() or _is_redacted(bare):
        return False
    if len(bare) == 1:
        return bare.isupper() and word.endswith(".")  # an initial, "T."
    if caps:
        # Only the title table tells names from other words in "SCA A/S RICHARD BOUCHER".
        plain = folded.replace("-", "").replace("'", "")
        return folded not in names.ROLE_CONNECTORS and plain.isalpha() and not folded.endswith("'s")
    if bare.isupper() or bare.endswith("'s"):
        return False  # an acronym (SCA, USAID) or a possessive (MFA's) in mixed-case text
    if "-" in bare and all(part.casefold() in _title_words() for part in bare.split("-")):
        return False  # "Political-Military"
    return bare[0].isupper() and bare.replace("-", "").replace("'", "").isalpha()


def is_title_word(word: str) -> bool:
    """Whether a word is a title, office or acronym that may stand right before a name."""
    bare = bare_word(word)
    folded = bare.casefold()
    if folded in names.ROLE_CONNECTORS:
        return False  # "THE IRAQI INTERPRETER": an article is no title
    return folded in _title_words() or folded in names.HONORIFICS or "/" in bare or bare.isupper()


def _title_surname(tokens: list[str], index: int, caps: bool) -> bool:
    """Whether the title word at index, after a name's first words, is its surname: a title
    that is also a surname ("King", "Justice") that ends the name."""
    bare = bare_word(tokens[index])
    if bare.casefold() not in names.SURNAME_TITLES or (not caps and not bare[:1].isupper()):
        return False
    following = tokens[index + 1] if index + 1 < len(tokens) else ""
    return not following or following.startswith("(") or not is_name_word(following, caps)


def segment(tokens: list[str], caps: bool = False) -> tuple[list[_Person], list[str]]:
    """Split tokens into people (role words then name words) and any trailing role words."""
    people: list[_Person] = []
    current = _Person()
    for index, token in enumerate(tokens):
        if token.startswith("("):
            if _CITATION.match(token):
                continue
            (current.asides if current.name else current.role).append(token)
        elif (
            is_name_word(token, caps)
            or _is_redacted(token)
            or (current.name and token in names.NAME_PARTICLES)
        ):
            if current.asides:  # a new name after "(...)" starts the next person
                people.append(current)
                current = _Person()
            current.name.append(token)
        elif current.name and not current.asides and _title_surname(tokens, index, caps):
            current.name.append(token)  # "PolOff Skye Justice (notetaker)"
        else:
            if current.name:
                people.append(current)
                current = _Person()
            if bare_word(token).casefold() in names.HONORIFICS or token in _LIST_HONORIFICS:
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
        word = bare_word(role[index])
        if (
            word.islower()
            and not word.startswith("(")
            and word not in names.ROLE_CONNECTORS
            and "/" not in word
        ):
            return role[index + 1 :]
    return role


def is_side_label(words: list[str]) -> bool:
    """Whether a name run is a country or side heading ("United Kingdom", "China")."""
    return names.fold(" ".join(words)) in glossary.place_names()


def _may_be_name(person: _Person) -> bool:
    """Whether a person's name words can be a name: "Al Fatah University", "Russian Embassy"
    end with an organisation word; "Economic Development", "Can Enhance Bilateral
    Relationship" are English words alone ("Frank Rose" are first names too); a lone word after a
    title or a name after an honorific may be anything ("A/S Fried", "Mr. Falls")."""
    folded = [bare_word(word).casefold() for word in person.name]
    if person.honorific:
        return True
    last = folded[-1][:-1] if folded[-1].endswith("s") else folded[-1]
    if folded[-1] in names.ORGANISATION_WORDS or last in names.ORGANISATION_WORDS:
        return False
    common, proper = names.common_words(), names.proper_words()
    if len(folded) == 1:
        # A surname after a title may be an English word ("A/S Fried"), but no abstract noun
        # ("Ministry of National Planning", "International Organizations").
        abstract = last.endswith(_ABSTRACT_ENDINGS) and folded[0] in common
        return not abstract or folded[0] in proper
    return not all(word in common and word not in proper for word in folded)


def _to_participant(person: _Person) -> dict[str, Any] | None:
    """The participant dict of a segmented person, or None when it is not a plausible name."""
    while person.name and person.name[-1] in names.NAME_PARTICLES:
        person.name.pop()
    role = _trim_prose(person.role)
    lone_title = len(person.role) == 1 and bare_word(person.role[0]) in _title_words()
    if person.role_follows and not role and lone_title:
        role = person.role  # "Jim Brown, interpreter"
    if not person.name or len(person.name) > _MAX_NAME_WORDS:
        return None
    titled = person.honorific or person.role_follows or (bool(role) and is_title_word(role[-1]))
    if len(person.name) == 1 and not titled:
        return None  # a lone capitalised word needs a title before it: "Ambassador Ordway"
    if is_side_label(person.name) or any(_is_redacted(word) for word in person.name):
        return None
    if not _may_be_name(person):
        return None
    if role and not person.role_follows and bare_word(role[-1]).casefold() in _PLACE_BEFORE:
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
        " ".join(bare_word(word) if len(bare_word(word)) > 1 else word for word in person.name),
        role=" ".join(role).strip(" ,;:-") or None,
        affiliation="; ".join(affiliations) or None,
        note="; ".join(notes) or None,
        source=SOURCE_LIST,
    )


def clean_item(item: str) -> str:
    """An item with single spaces, no line-continuation backslashes or leading "and"."""
    item = " ".join(item.replace("\\", " ").split()).strip(" ,;.:")
    if item.endswith((" and", " &")):
        item = item.rsplit(None, 1)[0].rstrip(" ,;")  # "former Foreign Minister; and"
    return _LEADING_AND.sub("", item)


def participants_of(people: list[_Person]) -> tuple[list[dict[str, Any]], list[str]]:
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
    people, trailing = segment(TOKEN.findall(clean_item(piece)), caps)
    if trailing and people and not people[-1].asides:
        # "the Swiss Federal President": capitalised words before a closing title are no name.
        last = people.pop()
        trailing = last.role + last.name + trailing
    found, carried = participants_of(people)
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


def people_in_item(item: str, caps: bool) -> list[dict[str, Any]]:
    """Participants in one list item: "Title Name (aside)", "Name, Title" or several."""
    item = clean_item(item)
    if not item:
        return []
    pieces = depth_zero_split(item, COMMA)  # split once: the three readings below share it
    head, *rest = pieces
    comma, tail = bool(rest), ",".join(rest)
    people, trailing = segment(TOKEN.findall(head), caps)
    if comma and len(people) == 1 and not people[0].role and not trailing:
        # "Antony Blinken, National Security Advisor to the Vice President"
        person = people[0]
        tail_tokens = TOKEN.findall(tail)
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
    segments = [segment(TOKEN.findall(clean_item(pieces[0])), caps)]
    for piece in pieces[1:]:
        tokens = TOKEN.findall(clean_item(piece))
        people, trailing = segment(tokens, caps)
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
    found = participants_of(leading)[0]
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


def depth_zero_split(text: str, separators: re.Pattern[str]) -> list[str]:
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


def inline_people(block: str, caps: bool) -> list[dict[str, Any]]:
    """Participants of a list written as running text ("A, B (X),C and D")."""
    joined = " ".join(block.replace("\\", " ").split())
    found: list[dict[str, Any]] = []
    if ";" in joined:
        for piece in depth_zero_split(joined, _SEMICOLON):
            found += people_in_item(piece, caps)
        return found
    for piece in _inline_pieces(joined, caps):
        piece_people, role = _people_in_piece(piece, caps)
        found += piece_people
        _attach_role(found, role, append=False)
    return found


def participant_from_name(
    text: str, *, role: str | None = None, source: str
) -> dict[str, Any] | None:
    """A participant from a name field ("CDA GRIFFITHS", "John Ordway"), title words split off."""
    words = text.split()
    # A run of x never crosses a blank: the whole text is redacted where one of its words is.
    if not words or _is_redacted(text):
        return None
    cased = [names.proper_word(word) for word in words] if text.isupper() else words
    people, trailing = segment(cased)
    if not people and all(is_title_word(word) for word in cased):
        return None  # "Minister": a title alone names nobody
    if is_side_label(cased):
        return None  # "China": a side heading read as a signature
    particle = words[0].lower() in names.NAME_PARTICLES and len(words) > 1
    if len(people) == 1 and not trailing and len(people[0].name) < len(words) and not particle:
        # "CDA GRIFFITHS": the title came with the name ("van Voorst" is a name alone)
        name_start = len(words) - len(people[0].name)
        leading = [w for w in words[:name_start] if bare_word(w).casefold() not in names.HONORIFICS]
        return make_participant(
            " ".join(cased[name_start:]), role=role or " ".join(leading) or None, source=source
        )
    return make_participant(" ".join(cased), role=role, source=source)
