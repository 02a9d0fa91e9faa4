"""The names a run of words may hold, read from its words alone (narrative_reader.py places them
in their sentence): the words of a run of capitalised words (mixed-case text) or of an all-caps
sentence, cut into candidate people with their titles.

What a run's words make of it depends on nothing but those words and the vocabularies, so the
answer is kept for the text of each run (`plan`): the same runs recur within a cable ("Foreign
Minister Tazhin", "the Ambassador") and from cable to cable ("Secretary Clinton", "U.S."), and
the reader then only does what depends on the sentence around them and the people it has read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from service.parsing import names
from service.parsing import narrative_words as vocab
from service.parsing.narrative_names import may_name_word, name_parts, surname

_INITIAL: Final = re.compile(r"^[A-Z]\.$")


_REDACTED: Final = re.compile(r"(?i)xx")


_VOWELS: Final = frozenset("AEIOUY")


_MAX_NAME_WORDS: Final = 5


@dataclass(slots=True)
class Token:
    """One word of a sentence: its text without possessive, where it stands, and whether only
    blanks separate it from the word before."""

    text: str
    lower: str
    space_before: bool
    possessive: bool
    start: int
    end: int


@dataclass(slots=True)
class Candidate:
    """A name a run's words may hold, as the reader adds it (Reader._add): its words (titles and
    leading place or common words trimmed), where its words stand in the run, and the answers
    that depend on its words alone. Offsets are relative to the start of the run's text. Kept
    for every run of the same text: never changed once made."""

    words: list[str]  # never changed: the reader copies it before keeping it
    lowered: list[str]
    surname: str
    role: str | None
    titled: bool  # after a title or honorific
    run_start: int  # where the run's first word (its title) starts
    first_start: int  # the first and last words before trimming: the sentence around them
    first_end: int  # tells how the person took part
    first_possessive: bool
    last_end: int
    last_possessive: bool
    # A title word alone that names someone only if it is the surname of a person already read
    # ("King told PolChief" after "Officer John King"): None for any other candidate.
    known_title: str | None
    single: bool  # one word and no title: how it took part is read at the end
    all_plain: bool  # no title, two words or more, each a dictionary word or place


def tokens_of(sentence: str) -> list[Token]:
    """The words of a sentence (or a run's text), with where each stands."""
    found: list[Token] = []
    last_end = -1
    for match in vocab.WORD.finditer(sentence):
        raw = match.group()
        text = raw.rstrip(".-/")
        if raw.endswith(".") and (_INITIAL.match(raw) or "." in text):
            text = raw  # "E.", "U.S."
        possessive = text.endswith(vocab.POSSESSIVE)
        if possessive:
            text = text[:-2]
        elif text[-1:] in "'’" and len(text) > 2 and text[-2].isalpha():
            text, possessive = text[:-1], True  # "Chavez'", "Ross'"
        if not text:
            continue
        blank = last_end < 0 or sentence[last_end : match.start()].isspace()
        found.append(
            Token(text, text.lower().rstrip("."), blank, possessive, match.start(), match.end())
        )
        last_end = match.end()
    return found


# Answers kept across cables: pure functions of a run's text, bounded (cleared when full) so
# that a long ingestion keeps a steady size.
_CACHE_LIMIT: Final = 50_000
_PLANS: dict[str, tuple[Candidate, ...]] = {}
MAY_NAME_KEPT: dict[str, bool] = {}  # may_name's answers (read by the reader directly)
_NAME_WORDS: dict[str, bool] = {}
_MISSPELT: dict[str, bool] = {}


def clear_caches() -> None:
    """Forget every kept answer (for measuring the reading of cables never seen before)."""
    for cache in (_PLANS, MAY_NAME_KEPT, _NAME_WORDS, _MISSPELT):
        cache.clear()


def plan(run: str) -> tuple[Candidate, ...]:
    """The candidates of the text of a run of mixed-case text (with the lower-case titles before
    it), worked out once for each text."""
    found = _PLANS.get(run)
    if found is None:
        if len(_PLANS) >= _CACHE_LIMIT:
            _PLANS.clear()
        found = _PLANS[run] = plan_tokens(tokens_of(run), caps=False)
    return found


def may_name(run: str) -> bool:
    """Whether a run of capitalised words of mixed-case text can hold a name: one of its
    words is no dictionary word, acronym or title ("Filizzola"), a capitalised dictionary
    entry that is no place or people ("Rice"), or any word after a title ("Premier Wen")."""
    may = MAY_NAME_KEPT.get(run)
    if may is None:
        if len(MAY_NAME_KEPT) >= _CACHE_LIMIT:
            MAY_NAME_KEPT.clear()
        may = MAY_NAME_KEPT[run] = _may_name(run)
    return may


def _may_name(run: str) -> bool:
    words = run.split()
    for word in words:
        may = _NAME_WORDS.get(word)
        if may is None:
            if len(_NAME_WORDS) >= _CACHE_LIMIT:
                _NAME_WORDS.clear()
            may = _NAME_WORDS[word] = may_name_word(word)
        if may:
            return True
    # "Premier Wen", "Special Envoy Gray": a short last word after a title
    titles = names.text_titles()
    last = words[-1].rstrip(".,").lower()
    return (
        len(words) > 1
        and len(last) <= _SHORT_SURNAME
        and words[-2].rstrip(".,").lower() in titles
        and last not in titles
    )


def is_title(token: Token) -> bool:
    return token.lower in names.text_titles() or token.lower in names.HONORIFICS


def is_name_word(token: Token, after_title: bool, caps: bool) -> bool:
    """Whether a word can be part of a name here."""
    text, lower = token.text, token.lower
    if _REDACTED.search(text) or lower in names.text_titles() or lower in names.HONORIFICS:
        return False
    if lower in names.ORGANISATION_WORDS or lower in names.MONTHS_AND_DAYS:
        return False
    if lower.endswith(_CONTRACTIONS):
        return False  # "We've", "I'll", "Don't"
    if lower in names.ACRONYMS:
        return False  # "GOU", "Reftel", "Attendees"
    if caps:
        if not text.isupper():
            return False
        plain = lower.replace("-", "").replace("'", "").replace("’", "")
        if not plain.isalpha() or not (_VOWELS & set(text)):
            return False
        if len(plain) <= 2 or ("-" in text and not name_parts(text)):
            return False
        if lower in names.common_words():
            return after_title and lower in names.proper_words() and lower not in vocab.SPEECH_VERBS
        return after_title or not misspelt(lower)
    if _INITIAL.match(text):
        return True
    if not text[0].isupper() or text.isupper():
        # lower case, but for a particle joined by a hyphen ("al-Asad", "el-Jahmi"); an
        # acronym (SCA, USAID) in mixed-case text
        particle, hyphen, rest = text.partition("-")
        return bool(hyphen) and particle in names.NAME_PARTICLES and rest[:1].isupper()
    plain = text.replace("-", "").replace("'", "").replace("’", "")
    return plain.isalpha() and ("-" not in text or name_parts(text))


def misspelt(lower: str) -> bool:
    """Whether a word the dictionary lacks is one of its words with two letters swapped
    ("SATISIFED", "BECUASE", "IOSLATED"): typing slips of all-caps telegrams, no names. (One
    letter more is no sign: "STALIN" is "STAIN" and an L.)"""
    known = _MISSPELT.get(lower)
    if known is None:
        common = names.common_words()
        known = len(lower) >= _MIN_MISSPELT and any(
            lower[:i] + lower[i + 1] + lower[i] + lower[i + 2 :] in common
            for i in range(len(lower) - 1)
        )
        if len(_MISSPELT) >= _CACHE_LIMIT:
            _MISSPELT.clear()
        _MISSPELT[lower] = known
    return known


def plan_tokens(tokens: list[Token], caps: bool) -> tuple[Candidate, ...]:
    """The candidates of a run's (or an all-caps sentence's) words, in their order."""
    found: list[Candidate] = []
    titles, common = names.text_titles(), names.common_words()
    index = 0
    while index < len(tokens):
        token = tokens[index]
        lower = token.lower
        plain = token.text[0].islower() or (caps and lower in common)
        if plain and lower not in titles and lower not in names.HONORIFICS:
            index += 1  # no run starts with a lower-case or, in capitals, plain word
            continue
        index = _plan_run(tokens, index, caps, found)
    return tuple(found)


def _plan_run(tokens: list[Token], index: int, caps: bool, found: list[Candidate]) -> int:
    """Read the name of the run of title and name words at index into found; the index after
    the run."""
    role: list[str] = []
    honorific = titled = False
    position = index
    while position < len(tokens):
        token = tokens[position]
        if position > index and not token.space_before:
            break
        if token.lower in names.HONORIFICS:
            honorific = True
        elif is_title(token):
            role.append(token.text)
            titled = True
        elif (
            token.text.isupper()
            and not caps
            and len(token.text) > 1
            and not _REDACTED.search(token.text)
        ):
            role.append(token.text)  # an office acronym before a title ("EUR A/S")
        else:
            break
        position += 1
        if tokens[position - 1].possessive:
            return position
    if position < len(tokens) and not tokens[position].space_before:
        role, honorific = [], False  # "(SBU) Anita Nayar": a marking is no title
    acronym_led = bool(role) and not titled  # "DEA Washington", "GOP Minister"
    if not titled:
        role = []  # acronyms alone ("MNF-I Commanding") make no title
    after_title = bool(role) or honorific
    start = position
    name: list[Token] = []
    while position < len(tokens) and len(name) <= _MAX_NAME_WORDS:
        token = tokens[position]
        if position > start and not token.space_before:
            break
        particle = bool(name) and token.lower in names.NAME_PARTICLES
        if is_name_word(token, after_title, caps) or (particle and position + 1 < len(tokens)):
            name.append(token)
        elif name and _title_surname(tokens, position, caps):
            name.append(token)  # "Julian King", "Skye Justice (notetaker)"
        elif name and _REGNAL.match(token.text):
            name.append(token)  # "Pius XII", "JOHN PAUL II"
            position += 1
            break
        else:
            break
        position += 1
        if token.possessive:
            break
    while name and name[-1].lower in names.NAME_PARTICLES:
        name.pop()
    known_title = None
    if not name and role and tokens[position - 1].lower in names.SURNAME_TITLES:
        # "King told PolChief" (John King), if a John King has been read (Reader)
        name, role = [tokens[position - 1]], role[:-1]
        titled = after_title = bool(role)
        known_title = tokens[position - 1].lower
    if not name:
        return max(position, index + 1)
    if acronym_led and len(name) == 1:
        return position  # "DEA Washington": an office and its place
    candidate = _candidate(name, role, after_title, caps, tokens[index].start, known_title)
    if candidate is not None:
        found.append(candidate)
    return position


def _title_surname(tokens: list[Token], position: int, caps: bool) -> bool:
    """Whether the title word at position, after a name's first words, is its surname: a
    title that is also a surname ("King", "Dean", "Justice"), ending the run."""
    token = tokens[position]
    if token.lower not in names.SURNAME_TITLES:
        return False
    if not caps and (token.text.isupper() or not token.text[0].isupper()):
        return False
    following = tokens[position + 1] if position + 1 < len(tokens) else None
    return following is None or not following.space_before or not following.text[0].isupper()


def _candidate(
    name: list[Token],
    role: list[str],
    titled: bool,
    caps: bool,
    run_start: int,
    known_title: str | None,
) -> Candidate | None:
    """The name of a run's words as the reader adds it, or None where its words alone show it
    names no person (a place, a people, dictionary words)."""
    proper, places, peoples = names.proper_words(), names.place_words(), names.peoples()
    common = names.common_words()
    words = [token.text for token in name]
    lowered = [token.lower for token in name]
    if not titled and lowered[0] in names.PLACE_LEADS:
        if len(lowered) < _PLACE_WORDS or lowered[1] not in proper:
            return None  # "New York", "South Ossetia", "Santa Marta"
        words, lowered = words[1:], lowered[1:]  # "for the South Frank Ruggiero"
    if " ".join(lowered) in peoples:
        return None  # "Costa Rican"
    if not titled and len(lowered) == 2 and lowered[0] == "the":
        return None  # "The Fiscalia", "the Vanni": an institution or a place, not a person
    while len(lowered) > 1 and (
        lowered[0] in places
        or lowered[0].replace("'", "").replace("’", "") in peoples
        or (not titled and lowered[0] in common and not _full_name(lowered))
    ):
        # "Despite Filizzola", "Tehran Geoffrey Adams", "Australian Prime Minister"
        words, lowered = words[1:], lowered[1:]
    while not titled and len(lowered) > 1 and lowered[-1] in common:
        if lowered[-1] in proper:
            break
        if _full_name(lowered):
            break  # "Oscar Arias", "Tom Burn": a surname that is also a word
        if lowered[-2] in names.NAME_PARTICLES:
            break  # "Mohamed El Mullah", "Fernandez de la Vega": after a particle, a surname
        words, lowered = words[:-1], lowered[:-1]  # "Sarsenbaiuly Murder"
    if " ".join(lowered) in places or places.issuperset(lowered):
        return None
    if len(lowered) > 1 and " ".join(lowered) in peoples:
        return None  # "Costa Rican" of "The Costa Rican told"
    if len(lowered) == 1 and lowered[0].replace("'", "").replace("’", "") in peoples:
        return None
    short_titled = (
        titled
        and bool(role)
        and not caps
        and len(lowered) == 1
        and len(lowered[0]) <= _SHORT_SURNAME
    )
    if common.issuperset(lowered) and proper.isdisjoint(lowered) and not short_titled:
        return None  # "Commanding", "Assumptions": words; not "Premier Wen", "Envoy Gray"
    if role and role[-1].lower() in ("embassy", "consulate", "amembassy", "amconsul"):
        return None
    return Candidate(
        words=words,
        lowered=lowered,
        surname=surname(words),
        role=" ".join(role) or None,
        titled=titled,
        run_start=run_start,
        first_start=name[0].start,
        first_end=name[0].end,
        first_possessive=name[0].possessive,
        last_end=name[-1].end,
        last_possessive=name[-1].possessive,
        known_title=known_title,
        single=not titled and len(words) == 1,
        # (asked only of names of more words: a lone word's reading is another)
        all_plain=not titled
        and len(words) > 1
        and all(word in common or word in places for word in lowered),
    )


def _full_name(lowered: list[str]) -> bool:
    """Whether two words are a first name and a surname of the census ("Tom Burn"), even
    where each is also a word."""
    return (
        len(lowered) == 2 and lowered[0] in names.first_names() and lowered[1] in names.surnames()
    )


_MIN_MISSPELT: Final = 6  # shorter words are as often names two letters off a word
# A regnal number after a name ("Benedict XVI", "Juan Carlos I" is left out: "I" is a word).
_REGNAL: Final = re.compile(r"^(?:II|III|IV|VI{1,3}|IX|XI{1,3}|XIV|XVI{0,3}|XIX|XXI{0,3})$")
_SHORT_SURNAME: Final = 4  # "Wen", "Gray", "Rice": surnames that are also short words
_CONTRACTIONS: Final = (
    "'ve",
    "'ll",
    "'re",
    "'m",
    "'d",
    "n't",
    "’ve",
    "’ll",
    "’re",
    "’m",
    "’d",
    "n’t",
)
_PLACE_WORDS: Final = 3  # the longest place name after a PLACE_LEADS word ("San Pedro Sula")
