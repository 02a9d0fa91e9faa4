"""What the words around a name say, for the signs of a sentence (narrative_signs.py): where a
list of names ends, whose a meeting is and whether it was held, whether a name is the object of
another's words or stands in the series that opens its sentence, and the words before and after
it."""

from __future__ import annotations

import re
from typing import Final

from service.parsing import names
from service.parsing.names import words
from service.parsing.narrative_words import (
    AFTER_REACH,
    APPOSITIVE_REACH,
    FINITE_VERBS,
    LINKING,
    LIST_WORDS,
    MEET_WORDS,
    MEETING,
    OWNED,
    POSSESSIVE,
    SERIES_WORDS,
    SPEECH_VERBS,
    SUBJECT_LEAD,
    UNHELD,
    US_OBJECTS,
    US_SIDE,
    WORD,
    sentence_words,
    us_side,
)

PUNCTUATION: Final = ".,;:()[]\"'’"
_OBJECT_PREPOSITIONS: Final = words("to of for from by under than about against toward towards")


def object_of(before: list[str]) -> bool:
    """Whether the words before a name end in a preposition that makes it an object ("advisors
    to Solana"), not a title's own ("Chief of Staff Dirceu")."""
    if not before or before[-1] not in _OBJECT_PREPOSITIONS:
        return False
    return len(before) < 2 or before[-2] not in names.text_titles()


# A clause that reports someone else's words or thoughts: the speakers inside it did not speak
# to us ("Masseret indicated that Kouchner knew").
EMBEDDED: Final = re.compile(
    r"\b(?:said|told|noted|indicated|explained|stressed|added|believed|thought|claimed|argued|"
    r"recalled|suggested|reported|asserted|stated|commented|observed|warned|that)\b(?!.*[.;])"
)
# The same in all-caps text ("SADDAM SAID, I BEGGED SHAYKH ZAYID ... AND ZAYID SAID").
EMBEDDED_CAPS: Final = re.compile(EMBEDDED.pattern, re.IGNORECASE)


def list_end(
    text: str, start: int, titles: frozenset[str], lead: int = 0, caps: bool = False
) -> int:
    """Where a list of names that starts at start ends: once a capitalised word has come, at
    the first lower-case word that is neither a title nor a word between list items; before
    that, after `lead` words ("present on the U.S. side at briefings were"). Parentheses are
    passed over; a list whose items are separated by semicolons runs to the end of the
    sentence."""
    if text.find(";", start) > 0:
        return len(text)
    begun = False
    depth = 0
    for count, match in enumerate(WORD.finditer(text, start)):
        gap = text[start : match.start()]
        depth = max(0, depth + gap.count("(") - gap.count(")"))
        start = match.end()
        word = match.group()
        if depth or not word[:1].isalpha():
            continue
        if caps:
            # case tells nothing: the list ends at its clause's verb ("..., ANTONIO
            # CASTELLANETA, EXPANDED ON")
            lower = word.rstrip(".,").lower()
            if count > lead and lower not in titles and _clause_verb(lower):
                return match.start()
        elif word[:1].isupper() and not word.isupper():
            begun = True
        elif word[:1].islower():
            lower = word.rstrip(".,").lower()
            if lower in _LIST_STOPS:
                return match.start()  # "interlocutors close to Kibaki and Odinga"
            if (begun or count > lead) and lower not in LIST_WORDS and lower not in titles:
                if lower in names.NAME_PARTICLES:
                    continue  # "Rohrig de Britto"
                if plural_title(lower, titles) and _names_follow(text, match.end()):
                    continue  # "Air Force generals, X, Y and Z"; not "commanders in Jenin"
                return match.start()
    return len(text)


def plural_title(lower: str, titles: frozenset[str]) -> bool:
    """Whether a lower-case word is the plural of a title ("generals", "lawyers")."""
    return lower[-1:] == "s" and lower[:-1] in titles


def _names_follow(text: str, end: int) -> bool:
    """Whether names follow a group's noun that ends at end: after a comma or colon, or at once
    ("generals, Tenente ...", "ministers Amorim and Jobim")."""
    rest = text[end : end + 3].lstrip(",: ")
    return rest[:1].isupper()


# Words after which the names of a list are others' than the people met: "interlocutors close
# to Kibaki", "officials loyal to", "contacts linked to".
_LIST_STOPS: Final = words("close closest loyal linked tied allied aligned affiliated opposed")


def _clause_verb(lower: str) -> bool:
    """Whether an upper-case word is most likely a verb: said, a past tense, a form of be."""
    return (
        lower in SPEECH_VERBS
        or lower in FINITE_VERBS
        or (lower.endswith("ed") and len(lower) > 4 and lower not in LIST_WORDS)
    )


def us_among(words: list[str]) -> bool:
    """Whether the lower-case words name US officials; not "Georgia's ambassador", "the
    Russian ambassador"."""
    peoples = names.peoples()
    for index, word in enumerate(words):
        if word in US_SIDE:
            previous = words[index - 1] if index else ""
            if word in _OFFICES and (previous.endswith(POSSESSIVE) or previous in peoples):
                continue
            return True
    return False


# US_SIDE words that other countries have too ("Georgia's ambassador").
_OFFICES: Final = words("ambassador amb embassy charge chargé cda dcm secretary senator")


def named_owner(text: str, start: int) -> bool:
    """Whether a name right before the meeting noun at start owns the meeting ("Balkenende
    meetings with Chavez"); not an acronym ("NATO meeting"), a month or a US office."""
    before = text[max(0, start - 40) : start].split()
    if not before:
        return False
    word = before[-1].strip(PUNCTUATION)
    for ending in ("'s", "’s", ",s"):
        word = word.removesuffix(ending)  # "the Secretary,s conversation with"
    lower = word.lower()
    return (
        word[:1].isupper()
        and not word.isupper()
        and lower not in US_SIDE
        and lower not in names.MONTHS_AND_DAYS
        and lower not in names.text_titles()
        and lower not in names.common_words()  # "In meetings with Poloff"
        and not lower.endswith(("ial", "ary", "an", "ese"))
    )


def _meeting_head(text: str, start: int) -> tuple[int, str] | None:
    """The meeting word before the "with" that precedes start: where it starts, and the text
    of up to 60 characters before the "with" (None where no "with" comes just before)."""
    cut = text.rfind(" with", max(0, start - 30), start)
    if cut < 0:
        return None
    return text.rfind(" ", 0, cut) + 1, text[max(0, cut - 60) : cut]


def owned(text: str, start: int) -> bool:
    """Whether the meeting word before the "with" that precedes start is someone's ("his
    meetings with President Putin", "Vedrine's meeting with")."""
    found = _meeting_head(text, start)
    if found is None:
        return False
    noun, head = found
    lowered = head.lower()
    if us_side(lowered, sentence_words(lowered)):
        return False  # "Following the Secretary's conversation with": one of ours
    return bool(OWNED.search(_before_noun(head))) or named_owner(text, noun)


def unheld(text: str, start: int) -> bool:
    """Whether the meeting word before the "with" that precedes start names a meeting not
    held ("is seeking meetings with", "requested meetings with", "to include a meeting with").
    Whose the meeting is ("his conversation with") tells nothing: "In his conversation with
    Ambassador Wayne, Shahrani said" reports one of ours."""
    found = _meeting_head(text, start)
    return found is not None and bool(UNHELD.search(_before_noun(found[1])))


def _before_noun(head: str) -> str:
    """The head up to its last word, the meeting word, as UNHELD and OWNED read it."""
    return head[: head.rstrip().rfind(" ") + 1]


def quoted(text: str, start: int) -> bool:
    """Whether start is inside a quotation that opened earlier in the sentence: there "us" and
    "we" are the speaker's."""
    return (text.count('"', 0, start) + text.count("“", 0, start)) % 2 == 1


def to_us(after: list[str]) -> bool:
    """Whether the object right after the verb that opens `after` is a US official ("told
    PolOff", "explained to Poloffs", "confirmed to the Ambassador")."""
    objects = after[1:]
    if objects[:1] == ["to"]:
        objects = objects[1:]
    objects = objects[:2] if objects[:1] == ["the"] else objects[:1]
    return bool(objects) and objects[-1] in US_OBJECTS


def met_with(before: list[str]) -> bool:
    """Whether the "with" before a name follows a word of meeting ("met with", "talks with",
    "lunch with X"), not "urged caution with Aweys"."""
    return any(word in MEETING or word in MEET_WORDS for word in before[-3:-1])


# Words that make a name no member of a sentence's opening series: prepositions before it or
# at the sentence's start.
_SERIES_BREAKS: Final = words("to of for from by as at in on with under after before during")


def in_subject(text: str, start: int) -> bool:
    """Whether the name at start stands in a series of names that opens its sentence ("CDA
    Peter Brennan, ADCM David Henifin, and Econoff accompanied"; "Swiss DFA officials Yvonne
    Baumann and Urs Hammer joined"): before it only names, titles and the words between them."""
    lead = SUBJECT_LEAD.match(text).end()  # type: ignore[union-attr]
    before = text[lead:start].split()
    if not before or len(before) > SERIES_WORDS or quoted(text, start):
        return False
    if before[0].lower() in _SERIES_BREAKS:
        return False  # "As Cardinal Ratzinger, the Pope had"
    titles = names.text_titles()
    index = len(before)
    while (
        index
        and before[index - 1][-1:].isalpha()
        and (before[index - 1][:1].isupper() or before[index - 1].lower() in titles)
    ):
        index -= 1  # back over the name's own title: "Economic Development Minister"
    if index and before[index - 1].lower() in _SERIES_BREAKS:
        return False  # "Advisor to Economic Development Minister Scajola, told"
    previous = ""
    for word in before:
        bare = word.strip(PUNCTUATION)
        lower = bare.lower()
        if lower in _SERIES_BREAKS and (lower != "of" or previous not in titles):
            return False  # "former prime minister under Mitterrand", "the wife of X"
        previous = lower
        if not bare or bare[:1].isupper() or lower in LIST_WORDS or lower in titles:
            continue
        if plural_title(lower, titles):
            continue  # "officials", "commanders"
        return False
    return True


def leads(text: str, start: int) -> bool:
    """Whether the name at start opens its sentence (after a marking, a number, "And")."""
    return SUBJECT_LEAD.match(text).end() >= start  # type: ignore[union-attr]


def words_from(text: str, start: int) -> list[str]:
    """The lower-case words of text from start, as words_after gives them."""
    raw = [word.strip(PUNCTUATION) for word in text[start : start + AFTER_REACH].split()]
    return [word.rstrip(".").lower() for word in raw[:APPOSITIVE_REACH] if word]


def words_after(text: str, end: int) -> list[str]:
    """Lower-case words after a name, past an appositive (", the Foreign Minister,"), a
    prepositional phrase ("of the Eurasia Foundation") and linking words ("also")."""
    rest = text[end : end + AFTER_REACH]
    if rest.startswith(POSSESSIVE):
        rest = rest[2:]
    if rest[:1] in (",", "(", ";", ":", "-"):
        # a comma or parenthesis after the name: skip to the next such break
        breaks = [place for place in (rest.find(",", 1), rest.find(")", 1)) if place > 0]
        if not breaks:
            return []
        rest = rest[min(breaks) + 1 :]
    elif rest[:1] != " ":
        return []  # the sentence ends
    raw = [word.strip(PUNCTUATION) for word in rest.split(None, APPOSITIVE_REACH)]
    raw = [word for word in raw[:APPOSITIVE_REACH] if word]
    if raw[:1] and raw[0].lower() in ("of", "from"):
        skip = 1
        while skip < len(raw) and (
            raw[skip].lower() in ("the", "and", "of") or raw[skip][0].isupper()
        ):
            skip += 1
        raw = raw[skip:]
    after = [word.rstrip(".").lower() for word in raw]
    while after and after[0] in LINKING:
        after = after[1:]
    return after
