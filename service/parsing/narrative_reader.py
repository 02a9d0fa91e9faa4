"""The reader of names in a narrative: runs of capitalised words (mixed-case text) or the
words of an all-caps sentence, read into people with their titles, and how each took part
(narrative_signs.py), one person once by surname (narrative.py drives it, sentence by sentence).
What a run's words alone make of it is read once for each run's text (narrative_runs.py); the
reader places those candidates in their sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from service.parsing import names
from service.parsing import narrative_runs as runs
from service.parsing import narrative_signs as signs
from service.parsing.narrative_clauses import plural_title
from service.parsing.narrative_names import agree, may_be_surname, stronger, surname
from service.parsing.narrative_runs import Candidate

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
class Person:
    """A person named in the narrative, gathered over all the places that name them."""

    words: list[str]
    role: str | None
    how: str | None = None
    places: int = 0


class Reader:
    """Reads the people of one narrative."""

    def __init__(self, caps: bool) -> None:
        self.caps = caps
        self.titles = names.text_titles()
        self.common = names.common_words()
        self.proper = names.proper_words()
        self.places = names.place_words()
        self.world = names.world_places()
        self.people: list[Person] = []
        self.by_surname: dict[str, list[Person]] = {}  # the people, by last name lower-cased
        self.singles: list[_Single] = []
        # Lone words: how much more often a place or time ("in Washington", "at Christmas")
        # than anything else ("Putin said", "trust in Putin", "Putin's"), counted over all the
        # places of a word when first asked (_placed).
        self.placed: dict[str, int] = {}
        self._by_word: dict[str, list[_Single]] = {}  # the lone words, by lower case

    def _title_start(self, text: str, start: int) -> int:
        """Where a run starts with the lower-case titles before it ("secretary Albright")."""
        while start > 1 and text[start - 1] == " ":
            word_start = text.rfind(" ", 0, start - 1) + 1
            if text[word_start : start - 1].lower() not in self.titles:
                break
            start = word_start
        return start

    # --- runs ----------------------------------------------------------------------------

    def read_sentence(self, sentence: signs.Sentence) -> None:
        """Read the names of a sentence (its first MAX_SENTENCE characters)."""
        text = sentence.text
        if self.caps:
            if self._may_name_caps(text):
                self._take(runs.plan_tokens(runs.tokens_of(text), caps=True), sentence, 0)
            return
        kept = runs.MAY_NAME_KEPT  # looked up here first: most runs' answers are kept
        for run in _RUN.finditer(text):
            words = run.group()
            may = kept.get(words)
            if not (runs.may_name(words) if may is None else may):
                continue
            start = self._title_start(text, run.start())
            self._take(runs.plan(text[start : run.end()]), sentence, start)

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

    def _take(self, candidates: tuple[Candidate, ...], sentence: signs.Sentence, base: int) -> None:
        """Add the candidates of a run whose text starts at base in the sentence, where the
        words after them and the people read so far let them stand."""
        text = sentence.text
        for candidate in candidates:
            if candidate.known_title is not None and not self._known_title_surname(
                candidate.known_title
            ):
                continue
            end = base + candidate.last_end
            after = text[end : end + 40].split(None, 1)
            follower = after[0].lower().rstrip(".,;:") if after else ""
            if not candidate.last_possessive and follower in names.RULED_BY:
                self._add(candidate, sentence, base, named_only=True)  # "the Siniora government"
                continue
            if not candidate.last_possessive and follower in names.ORGANISATION_WORDS:
                continue  # "Eurasia Foundation" names no person
            self._add(candidate, sentence, base)

    def _add(
        self, candidate: Candidate, sentence: signs.Sentence, base: int, named_only: bool = False
    ) -> None:
        """Read a candidate where it stands; with `named_only`, as a person named and taking
        no part there ("the Maliki government")."""
        words = candidate.words
        end = base + candidate.last_end
        if named_only:
            if candidate.single:
                self.singles.append(_Single(candidate, sentence, base, named=True))
            elif not candidate.all_plain and names.fold(" ".join(words)) not in self.world:
                self._remember(list(words), candidate.role, None)
            return
        if self._met(candidate):
            self._remember(list(words), candidate.role, "met")  # nothing stronger to learn
            return
        run_start = base + candidate.run_start
        if candidate.single:
            # How a lone word took part is read at the end, and only if it may be a person
            # (what the words around say is read there, only where asked).
            start = base + candidate.first_start
            if sentence.text[start - 1 : start] in _QUOTES:
                return  # the "Diyanet": a term
            self.singles.append(_Single(candidate, sentence, base))
            return
        if candidate.all_plain:
            return
        how, own = sentence.how_at(run_start, end)
        if how is None and not candidate.titled and names.fold(" ".join(words)) in self.world:
            return  # "Svay Rieng", "Minas Gerais": a place nothing shows as a person
        self._remember(list(words), candidate.role, how)

    def _known_title_surname(self, lower: str) -> bool:
        """Whether a title word that names no one after it (and is a surname too) is the
        surname of a person already read ("King told PolChief" after "Officer John King")."""
        known = self.by_surname.get(lower, ())
        return any(len(p.words) > 1 for p in known)

    def _modifier(self, single: _Single) -> bool:
        """Whether a lone word qualifies the title or role after it ("Pfizer lawyers", "KURDISH
        REFAH DEPUTY", "Kuchma advisor"): whoever it names takes no part there."""
        if single.candidate.first_possessive:
            return False
        text = single.sentence.text
        end = single.base + single.candidate.first_end
        after = text[end : end + 30].split(None, 1)
        if not after or text[end : end + 1] != " ":
            return False
        word = after[0].rstrip(".,;:").lower()
        return word in self.titles or plural_title(word, self.titles)

    def _met(self, candidate: Candidate) -> bool:
        """Whether this person is known to have met US officials already."""
        known = self.by_surname.get(candidate.surname)
        if not known:
            return False  # most names: nobody of that surname read yet
        return any(p.how == "met" and agree(p.words, candidate.words) for p in known)

    def _remember(self, words: list[str], role: str | None, how: str | None) -> None:
        namesakes = self.by_surname.setdefault(surname(words), [])
        known = namesakes
        if not known and role and len(words) == 1:
            known = self._one_holding(words[0].lower(), first=True)
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

    def _placed(self, key: str) -> int:
        """How much more often the lone word `key` (lower case) stands as a place or time than
        otherwise, over all its places (counted for every word when the first is asked)."""
        count = self.placed.get(key)
        if count is None:
            if not self._by_word:
                for single in self.singles:
                    if not single.named:  # as _add counted them: a name only where it was read
                        self._by_word.setdefault(single.candidate.lowered[0], []).append(single)
            places = self._by_word.get(key, ())
            count = self.placed[key] = sum(1 if single.placed() else -1 for single in places)
        return count

    def _may_stand_alone(self, key: str, word: str) -> bool:
        """Whether a lone word may name a person of its own."""
        if key in self.common or key in self.places or self._placed(key) > 0:
            return False
        if word[-1] in "'’":
            return False  # "Regions’": a plural's possessive
        return may_be_surname(word)

    def _one_holding(self, key: str, first: bool) -> list[Person]:
        """The one person read so far, of a name of three words or more, whose first word
        (`first`: a titled first name, "Sheikh Khalid" of "Sheikh Khalid bin Ahmed Al-Khalifa",
        as Arab rulers and ministers are called) or a word inside (the first of a two-part
        surname, "Gonzalez" of "Antonio Gonzalez Castano", "Lula" of "Luiz Inacio Lula da
        Silva") is the lone word `key`; none where two names hold it."""
        holders = [
            person
            for person in self.people
            if len(person.words) > 2
            and key in (word.lower() for word in person.words[slice(1) if first else slice(1, -1)])
        ]
        return holders if len(holders) == 1 else []

    def resolve_singles(self) -> None:
        """Lone words: a known person's surname, or a person of their own where they spoke."""
        for single in self.singles:
            word = single.candidate.words[0]
            key = word.lower()
            known = self.by_surname.get(key, []) or self._one_holding(key, first=False)
            start, end = single.base + single.candidate.run_start, single.end()
            if known:
                if known[0].how != "met" and not single.named and not self._modifier(single):
                    how = single.sentence.how_at(start, end)[0]
                    known[0].how = stronger(known[0].how, how)
                known[0].places += 1
            elif single.named:
                if (
                    self._may_stand_alone(key, word)
                    and names.fold(word) not in self.world
                    and not names.is_demonym(key)  # "the Honduran government"
                    and key not in names.peoples()
                ):
                    self._remember([word], None, None)
            elif self._may_stand_alone(key, word):
                how, own = single.sentence.how_at(start, end)
                # (whether it stands in a series matters only where the words next to it say
                # nothing)
                listed = not own and (how is None or key in self.proper) and single.listed()
                if how is not None or own or listed or key in self.proper:
                    if self._modifier(single):
                        how = None  # "Kuchma advisor": named, taking no part there
                    proper_only = key in self.proper and not own and not listed
                    how = None if proper_only else how
                    if how is None and (names.fold(word) in self.world or names.is_demonym(key)):
                        continue  # "Wyoming", "Mombasa" (in "Texas, Wyoming and Florida")
                    # a lone word never given a first name or title is as often a company, a
                    # party or a place ("Maersk cited", "Peronist"): taking part only by the
                    # words right beside it ("Jozame explained")
                    self._remember([word], None, how if own else None)


@dataclass(slots=True)
class _Single:
    """A lone capitalised word that may name a person: its candidate, in the sentence whose
    text holds its run at base."""

    candidate: Candidate
    sentence: signs.Sentence
    base: int
    named: bool = False  # names the person in something of theirs ("the Maliki government")

    def end(self) -> int:
        return self.base + self.candidate.last_end

    def listed(self) -> bool:
        """Whether it stands in a series of names ("Sarkozy, Putin and Medvedev")."""
        return self.sentence.in_series(self.base + self.candidate.first_start, self.end())

    def placed(self) -> bool:
        """Whether it follows a preposition of place or time ("in Asia")."""
        start = self.base + self.candidate.first_start
        return not self.candidate.first_possessive and self.sentence.placed(start)


_QUOTES: Final = frozenset("\"“‘'")
