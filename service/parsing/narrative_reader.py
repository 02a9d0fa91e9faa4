"""The reader of names in a narrative: runs of capitalised words (mixed-case text) or the
words of an all-caps sentence, read into people with their titles, and how each took part
(narrative_signs.py), one person once by surname (narrative.py drives it, sentence by sentence).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from service.parsing import names
from service.parsing import narrative_signs as signs
from service.parsing import narrative_words as vocab
from service.parsing.narrative_names import (
    agree,
    may_be_surname,
    may_name_word,
    name_parts,
    stronger,
    surname,
)

_INITIAL: Final = re.compile(r"^[A-Z]\.$")


_REDACTED: Final = re.compile(r"(?i)xx")


_VOWELS: Final = frozenset("AEIOUY")


_MAX_NAME_WORDS: Final = 5


# Bounds far above real cables (the longest sentences run to about 1,500 characters), so that
# a megabyte of text without a full stop costs little.
MAX_SENTENCE: Final = 3_000


MAX_PEOPLE: Final = 2_000  # far above any real cable's (the corpus's most is under 100)


MAX_NAMESAKES: Final = 20  # people of one surname ("the Maktoums")


_EDGE_PUNCTUATION: Final = ".,;:()[]\"'’"


# Runs of capitalised words in mixed-case text, blank-separated, with name particles between
# ("Peter de Gooijer"): the only places a name can stand.
_UPPER: Final = "A-ZÀ-ÖØ-Þ"


_PARTICLES: Final = "(?:" + "|".join(sorted(names.NAME_PARTICLES)) + ")"


# The lookbehind follows the first capital, so that the pattern starts with a character set and
# the regex engine skips to the next capital in C.
_RUN: Final = re.compile(
    rf"[{_UPPER}](?<![\w'’./-][{_UPPER}])[\w'’.\-/]*"
    rf"(?: (?:[{_UPPER}][\w'’.\-/]*|{_PARTICLES}-[{_UPPER}][\w'’.\-/]*"
    rf"|{_PARTICLES}(?= [{_UPPER}]|(?: {_PARTICLES})+ [{_UPPER}])))*"
)


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
class Person:
    """A person named in the narrative, gathered over all the places that name them."""

    words: list[str]
    role: str | None
    how: str | None = None
    places: int = 0


def tokens_of(sentence: str, start: int = 0, end: int | None = None) -> list[Token]:
    """The words of a sentence (or of sentence[start:end]), with where each stands."""
    found: list[Token] = []
    last_end = -1
    stop = len(sentence) if end is None else end
    for match in vocab.WORD.finditer(sentence, start, stop):
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


class Reader:
    """Reads the people of one narrative."""

    def __init__(self, caps: bool) -> None:
        self.caps = caps
        self.titles = names.text_titles()
        self.peoples = names.peoples()
        self.common = names.common_words()
        self.proper = names.proper_words()
        self.places = names.place_words()
        self.world = names.world_places()
        self.first_names = names.first_names()
        self.surnames = names.surnames()
        self.people: list[Person] = []
        self.by_surname: dict[str, list[Person]] = {}  # the people, by last name lower-cased
        self.singles: list[_Single] = []
        self.name_words: dict[str, bool] = {}  # may_name_word's answers
        self.misspelt: dict[str, bool] = {}  # _misspelt's answers
        # Lone words: how much more often a place or time ("in Washington", "at Christmas")
        # than anything else ("Putin said", "trust in Putin", "Putin's").
        self.placed: dict[str, int] = {}

    # --- words ---------------------------------------------------------------------------

    def is_title(self, token: Token) -> bool:
        return token.lower in self.titles or token.lower in names.HONORIFICS

    def is_name_word(self, token: Token, after_title: bool) -> bool:
        """Whether a word can be part of a name here."""
        text, lower = token.text, token.lower
        if _REDACTED.search(text) or lower in self.titles or lower in names.HONORIFICS:
            return False
        if lower in names.ORGANISATION_WORDS or lower in names.MONTHS_AND_DAYS:
            return False
        if lower.endswith(_CONTRACTIONS):
            return False  # "We've", "I'll", "Don't"
        if lower in names.ACRONYMS:
            return False  # "GOU", "Reftel", "Attendees"
        if self.caps:
            if not text.isupper():
                return False
            plain = lower.replace("-", "").replace("'", "").replace("’", "")
            if not plain.isalpha() or not (_VOWELS & set(text)):
                return False
            if len(plain) <= 2 or ("-" in text and not name_parts(text)):
                return False
            if lower in self.common:
                return after_title and lower in self.proper and lower not in vocab.SPEECH_VERBS
            return after_title or not self._misspelt(lower)
        if _INITIAL.match(text):
            return True
        if not text[0].isupper() or text.isupper():
            # lower case, but for a particle joined by a hyphen ("al-Asad", "el-Jahmi"); an
            # acronym (SCA, USAID) in mixed-case text
            particle, hyphen, rest = text.partition("-")
            return bool(hyphen) and particle in names.NAME_PARTICLES and rest[:1].isupper()
        plain = text.replace("-", "").replace("'", "").replace("’", "")
        return plain.isalpha() and ("-" not in text or name_parts(text))

    def _misspelt(self, lower: str) -> bool:
        """Whether a word the dictionary lacks is one of its words with two letters swapped
        ("SATISIFED", "BECUASE", "IOSLATED"): typing slips of all-caps telegrams, no names. (One
        letter more is no sign: "STALIN" is "STAIN" and an L.)"""
        known = self.misspelt.get(lower)
        if known is None:
            common = self.common
            known = len(lower) >= _MIN_MISSPELT and any(
                lower[:i] + lower[i + 1] + lower[i] + lower[i + 2 :] in common
                for i in range(len(lower) - 1)
            )
            self.misspelt[lower] = known
        return known

    def _title_start(self, text: str, start: int) -> int:
        """Where a run starts with the lower-case titles before it ("secretary Albright")."""
        while start > 1 and text[start - 1] == " ":
            word_start = text.rfind(" ", 0, start - 1) + 1
            if text[word_start : start - 1].lower() not in self.titles:
                break
            start = word_start
        return start

    def _may_name(self, run: str) -> bool:
        """Whether a run of capitalised words of mixed-case text can hold a name: one of its
        words is no dictionary word, acronym or title ("Filizzola"), a capitalised dictionary
        entry that is no place or people ("Rice"), or any word after a title ("Premier Wen")."""
        known = self.name_words
        words = run.split()
        for word in words:
            may = known.get(word)
            if may is None:
                may = known[word] = may_name_word(word)
            if may:
                return True
        # "Premier Wen", "Special Envoy Gray": a short last word after a title
        last = words[-1].rstrip(".,").lower()
        return (
            len(words) > 1
            and len(last) <= _SHORT_SURNAME
            and words[-2].rstrip(".,").lower() in self.titles
            and last not in self.titles
        )

    # --- runs ----------------------------------------------------------------------------

    def read_sentence(self, sentence: signs.Sentence) -> None:
        """Read the names of a sentence (its first MAX_SENTENCE characters)."""
        text = sentence.text
        if self.caps:
            if self._may_name_caps(text):
                self._read_tokens(tokens_of(text), sentence)
            return
        for run in _RUN.finditer(text):
            if not self._may_name(run.group()):
                continue
            self._read_tokens(
                tokens_of(text, self._title_start(text, run.start()), run.end()), sentence
            )

    def _may_name_caps(self, text: str) -> bool:
        """Whether an all-caps sentence has a word that may start a name: a title, an
        honorific or a word the dictionary lacks."""
        common, titles = self.common, self.titles
        for word in text.lower().split():
            bare = word.strip(_EDGE_PUNCTUATION)
            if bare in titles or bare in names.HONORIFICS:
                return True
            if len(bare) > 2 and bare not in common:
                return True
        return False

    def _read_tokens(self, tokens: list[Token], sentence: signs.Sentence) -> None:
        index = 0
        titles, common, caps = self.titles, self.common, self.caps
        while index < len(tokens):
            token = tokens[index]
            lower = token.lower
            plain = token.text[0].islower() or (caps and lower in common)
            if plain and lower not in titles and lower not in names.HONORIFICS:
                index += 1  # no run starts with a lower-case or, in capitals, plain word
                continue
            index = self._read_run(tokens, index, sentence)

    def _read_run(self, tokens: list[Token], index: int, sentence: signs.Sentence) -> int:
        """Read the names of the run of title and name words at index; the index after it."""
        role: list[str] = []
        honorific = titled = False
        position = index
        while position < len(tokens):
            token = tokens[position]
            if position > index and not token.space_before:
                break
            if token.lower in names.HONORIFICS:
                honorific = True
            elif self.is_title(token):
                role.append(token.text)
                titled = True
            elif (
                token.text.isupper()
                and not self.caps
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
            if self.is_name_word(token, after_title) or (particle and position + 1 < len(tokens)):
                name.append(token)
            elif name and self._title_surname(tokens, position):
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
        if not name and role and self._known_title_surname(tokens[position - 1]):
            name, role = [tokens[position - 1]], role[:-1]  # "King told PolChief" (John King)
            titled = after_title = bool(role)
        if not name:
            return max(position, index + 1)
        after = sentence.text[name[-1].end : name[-1].end + 40].split(None, 1)
        if after and not name[-1].possessive and after[0].lower() in names.ORGANISATION_WORDS:
            return position  # "Eurasia Foundation", "Siniora government" name no person
        if acronym_led and len(name) == 1:
            return position  # "DEA Washington": an office and its place
        self._add(name, role, after_title, sentence, tokens[index].start)
        return position

    def _add(
        self,
        name: list[Token],
        role: list[str],
        titled: bool,
        sentence: signs.Sentence,
        run_start: int,
    ) -> None:
        words = [token.text for token in name]
        lowered = [token.lower for token in name]
        if not titled and lowered[0] in names.PLACE_LEADS:
            if len(lowered) < _PLACE_WORDS or lowered[1] not in self.proper:
                return  # "New York", "South Ossetia", "Santa Marta"
            words, lowered = words[1:], lowered[1:]  # "for the South Frank Ruggiero"
        if " ".join(lowered) in self.peoples:
            return  # "Costa Rican"
        if not titled and len(lowered) == 2 and lowered[0] == "the":
            return  # "The Fiscalia", "the Vanni": an institution or a place, not a person
        while len(lowered) > 1 and (
            lowered[0] in self.places
            or lowered[0].replace("'", "").replace("’", "") in self.peoples
            or (not titled and lowered[0] in self.common and not self._full_name(lowered))
        ):
            # "Despite Filizzola", "Tehran Geoffrey Adams", "Australian Prime Minister"
            words, lowered = words[1:], lowered[1:]
        while not titled and len(lowered) > 1 and lowered[-1] in self.common:
            if lowered[-1] in self.proper:
                break
            if self._full_name(lowered):
                break  # "Oscar Arias", "Tom Burn": a surname that is also a word
            if lowered[-2] in names.NAME_PARTICLES:
                break  # "Mohamed El Mullah", "Fernandez de la Vega": after a particle, a surname
            words, lowered = words[:-1], lowered[:-1]  # "Sarsenbaiuly Murder"
        if " ".join(lowered) in self.places or self.places.issuperset(lowered):
            return
        if len(lowered) > 1 and " ".join(lowered) in self.peoples:
            return  # "Costa Rican" of "The Costa Rican told"
        if len(lowered) == 1 and lowered[0].replace("'", "").replace("’", "") in self.peoples:
            return
        short_titled = (
            titled
            and bool(role)
            and not self.caps
            and len(lowered) == 1
            and len(lowered[0]) <= _SHORT_SURNAME
        )
        if self.common.issuperset(lowered) and self.proper.isdisjoint(lowered) and not short_titled:
            return  # "Commanding", "Assumptions": words; not "Premier Wen", "Envoy Gray"
        if role and role[-1].lower() in ("embassy", "consulate", "amembassy", "amconsul"):
            return
        end = name[-1].end
        if self._met(words):
            self._remember(words, " ".join(role) or None, "met")  # nothing stronger to learn
            return
        if not titled and len(words) == 1:
            # How a lone word took part is read at the end, and only if it may be a person.
            listed = sentence.in_series(name[0].start, end)
            if sentence.text[name[0].start - 1 : name[0].start] in _QUOTES:
                return  # the "Diyanet": a term
            if not name[0].possessive and sentence.placed(name[0].start):
                self.placed[lowered[0]] = self.placed.get(lowered[0], 0) + 1
            else:
                self.placed[lowered[0]] = self.placed.get(lowered[0], 0) - 1
            modifier = self._modifier(sentence.text, name[0])
            self.singles.append(_Single(words[0], sentence, run_start, end, listed, modifier))
            return
        if not titled and all(word in self.common or word in self.places for word in lowered):
            return
        how, own = sentence.how_at(run_start, end)
        if how is None and not titled and names.fold(" ".join(words)) in self.world:
            return  # "Svay Rieng", "Minas Gerais": a place nothing shows as a person
        self._remember(words, " ".join(role) or None, how)

    def _known_title_surname(self, token: Token) -> bool:
        """Whether a title word that names no one after it is the surname of a person already
        read ("King told PolChief" after "Officer John King")."""
        known = self.by_surname.get(token.lower, ())
        return token.lower in names.SURNAME_TITLES and any(len(p.words) > 1 for p in known)

    def _title_surname(self, tokens: list[Token], position: int) -> bool:
        """Whether the title word at position, after a name's first words, is its surname: a
        title that is also a surname ("King", "Dean", "Justice"), ending the run."""
        token = tokens[position]
        if token.lower not in names.SURNAME_TITLES:
            return False
        if not self.caps and (token.text.isupper() or not token.text[0].isupper()):
            return False
        following = tokens[position + 1] if position + 1 < len(tokens) else None
        return following is None or not following.space_before or not following.text[0].isupper()

    def _modifier(self, text: str, token: Token) -> bool:
        """Whether a lone word qualifies the title or role after it ("Pfizer lawyers", "KURDISH
        REFAH DEPUTY", "Kuchma advisor"): whoever it names takes no part there."""
        if token.possessive:
            return False
        after = text[token.end : token.end + 30].split(None, 1)
        if not after or text[token.end : token.end + 1] != " ":
            return False
        word = after[0].rstrip(".,;:").lower()
        return word in self.titles or (word.endswith("s") and word[:-1] in self.titles)

    def _full_name(self, lowered: list[str]) -> bool:
        """Whether two words are a first name and a surname of the census ("Tom Burn"), even
        where each is also a word."""
        return len(lowered) == 2 and lowered[0] in self.first_names and lowered[1] in self.surnames

    def _first_name(self, lower: str) -> bool:
        """Whether a lower-case word is most likely a first name: one of the census's ("Oscar",
        not "Palermo") that is no English word."""
        return lower in self.first_names and lower not in self.common

    def _met(self, words: list[str]) -> bool:
        """Whether this person is known to have met US officials already."""
        known = self.by_surname.get(surname(words), ())
        return any(p.how == "met" and agree(p.words, words) for p in known)

    def _remember(self, words: list[str], role: str | None, how: str | None) -> None:
        namesakes = self.by_surname.setdefault(surname(words), [])
        known = namesakes
        if not known and role and len(words) == 1:
            known = self._by_first_name(words[0].lower())
        for person in known:
            if agree(person.words, words):
                if len(words) > len(person.words):
                    person.words = words
                person.role = person.role or role
                person.how = stronger(person.how, how)
                person.places += 1
                return
        if len(self.people) < MAX_PEOPLE and len(namesakes) < MAX_NAMESAKES:
            person = Person(words, role, how, 1)
            self.people.append(person)
            namesakes.append(person)

    def _may_stand_alone(self, key: str, word: str) -> bool:
        """Whether a lone word may name a person of its own."""
        if key in self.common or key in self.places or self.placed.get(key, 0) > 0:
            return False
        if word[-1] in "'’":
            return False  # "Regions’": a plural's possessive
        return may_be_surname(word)

    def _by_first_name(self, key: str) -> list[Person]:
        """The one person read so far whose name of three words or more opens with the titled
        lone word: "Sheikh Khalid" of "Sheikh Khalid bin Ahmed Al-Khalifa", "Crown Prince Salman"
        (Arab rulers and ministers are called by their first name); none where two are."""
        holders = [
            person
            for person in self.people
            if len(person.words) > 2 and person.words[0].lower() == key
        ]
        return holders if len(holders) == 1 else []

    def _inner_surname(self, key: str) -> list[Person]:
        """The one person read so far whose name holds the lone word inside it, the first of
        a two-part surname ("Gonzalez" of "Antonio Gonzalez Castano", "Lula" of "Luiz Inacio
        Lula da Silva"); none where two names hold it."""
        holders = [
            person
            for person in self.people
            if len(person.words) > 2 and key in (word.lower() for word in person.words[1:-1])
        ]
        return holders if len(holders) == 1 else []

    def resolve_singles(self) -> None:
        """Lone words: a known person's surname, or a person of their own where they spoke."""
        for single in self.singles:
            word = single.word
            key = word.lower()
            known = self.by_surname.get(key, []) or self._inner_surname(key)
            if known:
                if known[0].how != "met" and not single.modifier:
                    how = single.sentence.how_at(single.start, single.end)[0]
                    known[0].how = stronger(known[0].how, how)
                known[0].places += 1
            elif self._may_stand_alone(key, word):
                how, own = single.sentence.how_at(single.start, single.end)
                if how is not None or own or single.listed or key in self.proper:
                    if single.modifier:
                        how = None  # "Kuchma advisor": named, taking no part there
                    proper_only = key in self.proper and not own and not single.listed
                    how = None if proper_only else how
                    if how is None and (names.fold(word) in self.world or names.is_demonym(key)):
                        continue  # "Wyoming", "Mombasa" (in "Texas, Wyoming and Florida")
                    # a lone word never given a first name or title is as often a company, a
                    # party or a place ("Maersk cited", "Peronist"): taking part only by the
                    # words right beside it ("Jozame explained")
                    self._remember([word], None, how if own else None)


@dataclass(slots=True)
class _Single:
    """A lone capitalised word that may name a person, and where it stands."""

    word: str
    sentence: signs.Sentence
    start: int
    end: int
    listed: bool  # in a series of names ("Sarkozy, Putin and Medvedev")
    modifier: bool  # qualifies the role after it ("Kuchma advisor", "Pfizer lawyers")


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
_QUOTES: Final = frozenset("\"“‘'")
_PLACE_WORDS: Final = 3  # the longest place name after a PLACE_LEADS word ("San Pedro Sula")
