"""People read from a cable's narrative: who took part in what it reports, and who it names.

The body after its header lines is cut into sentences and words. A person is a run of
capitalised words after a title ("Interior Minister Rafael Filizzola", "FM KAMILOV"), after an
honorific ("Mr. Fred Turner"), or of two or more words one of which is no English word
("Jean-David Levitte"); a lone word counts when it is the surname of a person already named or
when it speaks ("Karimov observed"). In all-caps text (cables before about 2005) the dictionary
alone tells name words from others.

Each time a person is named, the words around say how they took part: the subject of a speech
verb in a cable that reports a meeting met US officials; "met with X", "a meeting with X" met;
"accompanied by X" attended; "demarched X" was briefed; a speaker at a conference or press
event spoke. A person with no such sign is only mentioned. Quotes from the press are no sign.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Final

from service.parsing import names
from service.parsing.names import words

# Where the narrative starts: the first numbered paragraph, else after the header lines.
_FIRST_PARAGRAPH: Final = re.compile(r"(?m)^[ \t]*(?:¶[ \t]*)?1[ \t]*\.[ \t]*(?=[(A-Za-z])")
_HEADER_LINE: Final = re.compile(
    r"(?im)^[ \t]*(?:SUBJ(?:ECT)?|REF(?:S|TEL|TELS)?|TAGS|E\.\s?O\.|CLASSIFIED\s+BY|REASONS?)\b.*$"
)
HEADER_LIMIT: Final = 6000
# Lines that are no narrative: REF lines, "NSC FOR SMITH" routing, the classification line.
_NOT_NARRATIVE_LINE: Final = re.compile(
    r"(?im)^[ \t]*(?:REF(?:S|TEL|TELS)?\s*[:.]|[A-Z/]{2,}\s+FOR\s+[A-Z]|CLASSIFIED\s+BY).*$"
)
# A sentence ends at . ! or ? followed by a blank, or at a blank line.
_SENTENCE_END: Final = re.compile(r"[.!?][\"')\]]*\s+|\n[ \t]*\n")
_ABBREVIATIONS: Final = words(
    """
    mr mrs ms dr gen lt col maj capt sgt adm sen rep gov amb st jr sr no vs messrs mme prof
    rev cmdr brig pres dept govt u.s u.k u.n e.u a.s u.s.g p.m a.m
    """
)
_WORD: Final = re.compile(r"[^\W\d_][\w'’\-./]*")
_INITIAL: Final = re.compile(r"^[A-Z]\.$")
_POSSESSIVE: Final = ("'s", "’s", "'S", "’S")
_REDACTED: Final = re.compile(r"(?i)xx")
_VOWELS: Final = frozenset("AEIOUY")

# The signs of taking part, looked for near a person's name (lower-case words).
SPEECH_VERBS: Final = words(
    """
    said says told noted stressed explained asked replied responded added commented agreed
    argued emphasized emphasised expressed observed remarked stated urged assured
    acknowledged claimed complained confirmed indicated inquired underscored lamented
    suggested opined predicted warned insisted conceded characterized described welcomed
    thanked offered promised reiterated recalled mentioned shared raised highlighted
    cautioned admitted affirmed asserted conveyed proposed requested praised
    questioned related concluded discussed reviewed briefed underlined signaled
    signalled hoped believed continued countered agrees says noting stressing explaining
    adding asking saying telling assuring urging pointed outlined clarified announced
    declared informed responded echoed allowed accepted rejected denied disagreed recounted
    detailed elaborated requested pledged vowed expected estimated predicted hinted
    dismissed doubted worried feared contended posited speculated judged assessed thought
    felt viewed considered cited attributed blamed criticized criticised defended disputed
    waved recommended acknowledging emphasizing underscoring agreeing arguing
    """
)
_LINKING: Final = words("also then further later again repeatedly strongly firmly clearly frankly")
_MET_BEFORE: Final = words("met meets received hosted")
_MEETING_VERBS: Final = words("met meet meets meeting received hosted called telephoned phoned")
_WITH_WORDS: Final = frozenset({"with", "on"})
_ATTENDED_BEFORE: Final = (("accompanied", "by"), ("joined", "by"), ("attended", "by"))
_ATTENDED_AFTER: Final = frozenset({"attended", "accompanied", "joined", "participated"})
_BRIEFED_BEFORE: Final = words("demarched briefed delivered passed presented conveyed handed gave")
# A sentence that quotes the press: its speakers are only mentioned.
_PRESS: Final = re.compile(
    r"(?i)\b(?:press|media|newspapers?|daily|interview|television|tv|radio|reporters|"
    r"journalists?|according\s+to|quoted|published|article|op-?ed|editorial|website|blog|"
    r"reportedly|broadcast|wrote|statement)\b"
)
# A sentence about an event where people speak: its speakers spoke.
_EVENT: Final = re.compile(
    r"(?i)\b(?:conference|seminar|speech|remarks|panel|roundtable|forum|lecture|symposium|"
    r"workshop|ceremony|event|rally|session|address(?:ed)?|keynote|presentation)\b"
)
# US officials in a sentence: a meeting with them is a meeting the cable reports.
_US_SIDE: Final = re.compile(
    r"(?i)\b(?:ambassador|amb|embassy|charg[eé]|cda|dcm|pol-?offs?|econ-?offs?|emb-?offs?|con-?offs?|"
    r"polcouns|econcouns|polchief|econchief|pol/econ|poloff|pao|dao|rso|notetaker|"
    r"embassy\s+(?:officers?|officials?|staff)|u\.?s\.?\s+(?:officials?|delegation|side)|"
    r"usg|codel|staffdel|a/s|u/s|das|pdas|assistant\s+secretary|under\s*secretary|"
    r"deputy\s+secretary|secretary|senators?|congressman|we|us|our|consul\s+general|"
    r"usaid|mission|(?:pol|econ|political|economic|public\s+affairs)\s+(?:counselor|officer|"
    r"section))\b"
)
_MEETING: Final = re.compile(
    r"(?i)\b(?:met|meet|meeting|meetings|called\s+on|call\s+on|courtesy\s+call|lunch|"
    r"luncheon|dinner|breakfast|discussions?|discussed|conversation|talked|talks|spoke\s+with|"
    r"telephone|phone|hosted|received|visit|visited|demarche|demarched|briefed|told)\b"
)
# Words after which the names of a sentence were present ("Among those present were X, Y").
_ATTEND_TRIGGERS: Final = frozenset(
    {"accompanied", "joined", "attended", "present", "participated", "attendance"}
    | {"accompanying", "joining"}
)
# Words before "with" or "on" that make the names after them the people met.
_MEET_NOUNS: Final = frozenset(
    {"meeting", "meetings", "talks", "discussion", "discussions", "lunch", "luncheon", "dinner"}
    | {"breakfast", "conversation", "conversations", "call", "consultations", "session"}
)
_MEET_VERBS_BEFORE_WITH: Final = frozenset({"met", "spoke", "talked", "called", "discussed"})
# Words between the names of a list that do not end it.
_LIST_WORDS: Final = frozenset(
    {"and", "the", "of", "for", "his", "her", "their", "its", "including", "with", "as", "well"}
    | {"community", "in", "on", "to", "a", "an", "sons", "son", "wife", "deputy", "then"}
    | {"members", "leaders", "officials", "representatives", "were", "was", "also", "both"}
)
_TOLD_BEFORE: Final = frozenset(
    {"told", "informed", "assured", "asked", "urged", "thanked", "pressed", "reminded"}
    | {"briefed", "updated", "warned", "advised"}
)
_MAX_NAME_WORDS: Final = 5
# Bounds far above real cables (the longest sentences run to about 1,500 characters), so that
# a megabyte of text without a full stop costs little.
MAX_SENTENCE: Final = 3_000
NARRATIVE_LIMIT: Final = 200_000
_LATER_CAPITAL: Final = re.compile(r"[A-Z]")
_LIST_LEAD: Final = 10
_APPOSITIVE_REACH: Final = 12

HOW_RANK: Final = {"met": 0, "spoke": 1, "briefed": 2, "attended": 3}


@dataclass(slots=True)
class Token:
    """One word of a sentence: its text without possessive, and what lies before it."""

    text: str
    lower: str
    space_before: bool  # only blanks between it and the word before
    possessive: bool


@dataclass(slots=True)
class Person:
    """A person named in the narrative, gathered over all the places that name them."""

    words: list[str]
    role: str | None
    how: str | None = None
    places: int = 0
    variants: list[list[str]] = field(default_factory=list)


def narrative_zone(body: str) -> str:
    """The body from its first numbered paragraph, else after its header lines."""
    first = _FIRST_PARAGRAPH.search(body)
    if first:
        start = first.start()
    else:
        start = 0
        for line in _HEADER_LINE.finditer(body, 0, HEADER_LIMIT):
            start = line.end()
    return _NOT_NARRATIVE_LINE.sub("", body[start:])


def sentences(text: str) -> list[str]:
    """Sentences of running text, lines joined; abbreviations and initials end none."""
    found, start = [], 0
    for end in _SENTENCE_END.finditer(text):
        before = text[max(start, end.start() - 12) : end.start()].rsplit(None, 1)
        word = before[-1].lower().lstrip("(\"'") if before else ""
        if end.group()[0] == "." and (word in _ABBREVIATIONS or len(word) == 1):
            continue  # "Mr. Turner", "John E. Herbst"
        found.append(" ".join(text[start : end.end()].split()))
        start = end.end()
    found.append(" ".join(text[start:].split()))
    return [sentence for sentence in found if sentence]


def tokens_of(sentence: str) -> list[Token]:
    """The words of a sentence, with whether only blanks separate each from the one before."""
    found: list[Token] = []
    last_end = -1
    for match in _WORD.finditer(sentence):
        text = match.group().rstrip(".-/")
        if match.group().endswith(".") and (_INITIAL.match(match.group()) or "." in text):
            text = match.group()  # "E.", "U.S."
        possessive = text.endswith(_POSSESSIVE)
        if possessive:
            text = text[:-2]
        if not text:
            continue
        gap = sentence[last_end : match.start()] if last_end >= 0 else " "
        found.append(Token(text, text.lower().rstrip("."), gap.isspace(), possessive))
        last_end = match.end()
    return found


_LOWER_LETTERS: Final = re.compile(r"[a-z\u00df-\u00ff]")
_LETTERS: Final = re.compile(r"[^\W\d_]")


def _is_caps_text(text: str) -> bool:
    """Whether a text is written in capitals (fewer than 2% lower-case letters)."""
    lower = len(_LOWER_LETTERS.findall(text))
    if lower > len(text) // 50:
        return False  # enough lower case whatever the letters are
    letters = len(_LETTERS.findall(text))
    return letters > 0 and lower * 50 < letters


class Reader:
    """Reads the people of one narrative."""

    def __init__(self, caps: bool) -> None:
        self.caps = caps
        self.titles = names.text_titles()
        self.peoples = names.peoples()
        self.common = names.common_words()
        self.proper = names.proper_words()
        self.places = names.place_words()
        self.people: list[Person] = []
        self.singles: list[tuple[str, str | None, bool]] = []

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
        if self.caps:
            if not text.isupper() or lower in names.ACRONYMS:
                return False
            plain = lower.replace("-", "").replace("'", "").replace("’", "")
            if not plain.isalpha() or not (_VOWELS & set(text)):
                return False
            if len(plain) <= 2:
                return False
            if lower in self.common:
                return after_title and lower in self.proper and lower not in SPEECH_VERBS
            return True
        if _INITIAL.match(text):
            return True
        if not text[0].isupper() or text.isupper():
            return False  # lower case; an acronym (SCA, USAID) in mixed-case text
        plain = text.replace("-", "").replace("'", "").replace("’", "")
        return plain.isalpha()

    # --- runs ----------------------------------------------------------------------------

    def read_sentence(self, sentence: str, meeting_cable: bool) -> None:
        if not self.caps and _LATER_CAPITAL.search(sentence, 1) is None:
            return  # no capital after the first letter: no name beyond a lone first word
        tokens = tokens_of(sentence[:MAX_SENTENCE])
        flags = _Flags(sentence, meeting_cable)
        flags.find_lists(tokens, self.titles)
        index = 0
        titles = self.titles
        while index < len(tokens):
            token = tokens[index]
            if not self.caps and token.text[0].islower() and token.lower not in titles:
                index += 1  # no run starts with a lower-case word
                continue
            index = self._read_run(tokens, index, flags)

    def _read_run(self, tokens: list[Token], index: int, flags: _Flags) -> int:
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
            else:
                break
            position += 1
            if token.possessive:
                break
        while name and name[-1].lower in names.NAME_PARTICLES:
            name.pop()
        if not name:
            return max(position, index + 1)
        if position < len(tokens) and tokens[position].lower in names.ORGANISATION_WORDS:
            return position  # "Eurasia Foundation", "Siniora government" name no person
        self._add(name, role, after_title, tokens, (index, start), position, flags)
        return position

    def _add(
        self,
        name: list[Token],
        role: list[str],
        titled: bool,
        tokens: list[Token],
        starts: tuple[int, int],
        end: int,
        flags: _Flags,
    ) -> None:
        run_start, start = starts
        words = [token.text for token in name]
        lowered = [token.lower for token in name]
        while len(lowered) > 1 and (
            lowered[0] in self.places
            or lowered[0] in self.peoples
            or (not titled and lowered[0] in self.common)
        ):
            # "Despite Filizzola", "Tehran Geoffrey Adams", "Australian Prime Minister"
            words, lowered = words[1:], lowered[1:]
        while not titled and len(lowered) > 1 and lowered[-1] in self.common:
            if lowered[-1] in self.proper:
                break
            words, lowered = words[:-1], lowered[:-1]  # "Sarsenbaiuly Murder"
        if " ".join(lowered) in self.places or all(word in self.places for word in lowered):
            return
        if len(lowered) == 1 and lowered[0] in self.peoples:
            return
        if all(word in self.common and word not in self.proper for word in lowered):
            return  # "Commanding", "Assumptions": words, not names
        if role and role[-1].lower() in ("embassy", "consulate", "amembassy", "amconsul"):
            return
        how, own = flags.how_at(tokens, run_start, end)
        if not titled:
            if len(words) == 1:
                # "Sarkozy, Putin and Medvedev": a lone word in a series of names
                after = tokens[end] if end < len(tokens) else None
                listed = (start > 0 and tokens[start - 1].lower == "and") or (
                    after is not None
                    and (after.lower == "and" or not after.space_before)
                    and (after.lower == "and" or after.text[:1].isupper())
                )
                self.singles.append((words[0], how, own or listed))
                return
            if all(word in self.common or word in self.places for word in lowered):
                return
        self._remember(words, " ".join(role) or None, how)

    def _remember(self, words: list[str], role: str | None, how: str | None) -> None:
        key = words[-1].lower()
        for person in self.people:
            if person.words[-1].lower() == key and _agree(person.words, words):
                if len(words) > len(person.words):
                    person.words = words
                person.role = person.role or role
                person.how = _stronger(person.how, how)
                person.places += 1
                return
        self.people.append(Person(words, role, how, 1))

    def _may_stand_alone(self, key: str, word: str) -> bool:
        """Whether a lone word may name a person of its own."""
        return key not in self.common and key not in self.places and _may_be_surname(word)

    def resolve_singles(self) -> None:
        """Lone words: a known person's surname, or a person of their own where they spoke."""
        for word, how, own in self.singles:
            key = word.lower()
            known = [person for person in self.people if person.words[-1].lower() == key]
            if known:
                known[0].how = _stronger(known[0].how, how)
                known[0].places += 1
            elif self._may_stand_alone(key, word) and (
                how is not None or own or key in self.proper
            ):
                self._remember([word], None, how if own or key not in self.proper else None)


def _may_be_surname(word: str) -> bool:
    """Whether a lone word can be a surname: no mixed-case acronym ("GoSL", "MbR"), no plural
    of a people ("Iranians", "Tamils")."""
    if sum(1 for char in word if char.isupper()) > 1 and not word.isupper():
        return word[:2] in ("Mc", "De", "Di", "Le", "La", "Du", "Da") and len(word) > 4
    return not (word.endswith("s") and (word.endswith(("ans", "ese")) or word[-2:] == "is"))


def _agree(known: list[str], other: list[str]) -> bool:
    """Same surname, and first names that agree where both are given."""
    if len(known) == 1 or len(other) == 1:
        return True
    one, two = known[0].lower(), other[0].lower()
    return one == two or (min(len(one.rstrip(".")), len(two.rstrip("."))) == 1 and one[0] == two[0])


def _stronger(one: str | None, other: str | None) -> str | None:
    if one is None:
        return other
    if other is None:
        return one
    return one if HOW_RANK[one] <= HOW_RANK[other] else other


class _Flags:
    """What a sentence says about the people it names."""

    def __init__(self, sentence: str, meeting_cable: bool) -> None:
        self.sentence = sentence
        self.read = False
        self.press = self.event = self.us_side = self.meeting = False
        self.meeting_cable = meeting_cable
        self.attend_spans: list[tuple[int, int]] = []
        self.meet_spans: list[tuple[int, int]] = []

    def find_lists(self, tokens: list[Token], titles: frozenset[str]) -> None:
        """Where the sentence lists the people present, and the people met ("a meeting with")."""
        for index, token in enumerate(tokens):
            lower = token.lower
            if lower in _ATTEND_TRIGGERS:
                self.attend_spans.append((index + 1, _list_end(tokens, index + 1, titles)))
            if lower in ("with", "on") and index:
                before = tokens[index - 1].lower
                owner = tokens[index - 2].lower if index > 1 else ""
                if (before in _MEET_NOUNS and owner not in ("his", "her", "their", "its")) or (
                    before in _MEET_VERBS_BEFORE_WITH
                    and _US_SIDE.search(" ".join(t.text for t in tokens[:index]))
                ):
                    self.meet_spans.append((index + 1, _list_end(tokens, index + 1, titles)))

    def _read(self) -> None:
        """Look for the sentence's signs once, when it first names a person."""
        sentence = self.sentence
        self.press = _PRESS.search(sentence) is not None
        self.event = _EVENT.search(sentence) is not None
        self.us_side = _US_SIDE.search(sentence) is not None
        self.meeting = _MEETING.search(sentence) is not None
        self.read = True

    def how_at(self, tokens: list[Token], start: int, end: int) -> tuple[str | None, bool]:
        """How the person named by tokens[start:end] (with any title) took part, by the words
        around them, and whether the words next to the name say it (not only a list it stands
        in)."""
        if not self.read:
            self._read()
        before = [token.lower for token in tokens[max(0, start - 4) : start]]
        after = _words_after(tokens, end)
        own = self._own_how(before, after)
        if own is not None:
            return own, True
        if any(begin <= start < stop for begin, stop in self.meet_spans):
            return "met", False
        attending = any(begin <= start < stop for begin, stop in self.attend_spans)
        if attending and self.meeting_cable and not self.press:
            return "attended", False
        return None, False

    def _own_how(self, before: list[str], after: list[str]) -> str | None:
        """How a person took part by the words right before and after the name."""
        first = after[0] if after else ""
        if before and before[-1] in _TOLD_BEFORE and self.meeting_cable and not self.press:
            return "met"
        if before and before[-1] in _MET_BEFORE and self.us_side:
            return "met"  # "The Ambassador met Foreign Minister Tazhin"
        if len(before) >= 2 and tuple(before[-2:]) in _ATTENDED_BEFORE:
            return "attended" if self.meeting_cable else None
        if first in _ATTENDED_AFTER or after[:2] == ["was", "present"]:
            return "attended" if self.meeting_cable else None
        if any(word in _BRIEFED_BEFORE for word in before[-3:]) and self.us_side:
            return "briefed"
        if before and before[-1] in _WITH_WORDS and self.meeting and self.us_side:
            return "met"
        if first in _MEETING_VERBS and _US_SIDE.search(" ".join(after[1:10])):
            return "met"  # "X met (with) the Ambassador", not "X met Sibal"
        if first in SPEECH_VERBS:
            if self.press:
                return None
            if self.event:
                return "spoke"
            return "met" if self.meeting_cable else None
        return None


def _list_end(tokens: list[Token], start: int, titles: frozenset[str]) -> int:
    """Where a list of names that starts at start ends: once a capitalised word has come, at
    the first lower-case word that is neither a title nor a word between list items."""
    begun = False
    for index in range(start, len(tokens)):
        text = tokens[index].text
        if text[:1].isupper() and not text.isupper():
            begun = True
        elif not text[:1].islower():
            continue
        elif begun and tokens[index].lower not in _LIST_WORDS and tokens[index].lower not in titles:
            return index
        if not begun and index - start > _LIST_LEAD:
            return index
    return len(tokens)


def _words_after(tokens: list[Token], end: int) -> list[str]:
    """Lower-case words after a name, past an appositive (", the Foreign Minister,") and
    linking words ("also", "had")."""
    after = [token.lower for token in tokens[end : end + _APPOSITIVE_REACH]]
    if end < len(tokens) and not tokens[end].space_before:
        # a comma or parenthesis after the name: skip to the next such break
        for offset in range(1, len(after)):
            if not tokens[end + offset].space_before:
                after = after[offset:]
                break
        else:
            return []
    if after[:1] in (["of"], ["from"]):
        # "Andrey Kortunov of the Eurasia Foundation agreed"
        rest = after[1:]
        skip = 1
        while skip <= len(rest) and (
            rest[skip - 1] in ("the", "and", "of") or tokens[end + skip].text[:1].isupper()
        ):
            skip += 1
        after = after[skip:]
    while after and after[0] in _LINKING:
        after = after[1:]
    return after


def is_meeting_cable(text: str) -> bool:
    """Whether the narrative reports a meeting with US officials."""
    for sentence in sentences(text):
        if _MEETING.search(sentence) and _US_SIDE.search(sentence):
            return True
    return False


_SUBJECT_MEETING: Final = re.compile(
    r"(?i)\b(?:meet|meets|meeting|met|discuss(?:es|ed)?|talks?|calls?\s+on|call|visits?|"
    r"lunch|dinner|tells|told|demarche|briefs?|conversation|consultations)\b"
)
_SUBJECT_WORD: Final = re.compile(r"[^\W\d_][\w'’\-]*")


def read_people(body: str, subject: str | None = None) -> list[Person]:
    """The people named in a cable's narrative, each once, with how they took part (None:
    only mentioned). A person the subject line names beside a meeting word met ("DNI BLAIR'S
    MEETING WITH PRESIDENT CALDERON")."""
    text = narrative_zone(body[:NARRATIVE_LIMIT])
    all_sentences = sentences(text)
    meeting_cable = any(_MEETING.search(s) and _US_SIDE.search(s) for s in all_sentences)
    reader = Reader(_is_caps_text(text))
    for sentence in all_sentences:
        if reader.caps or not _is_caps_text(sentence) or len(sentence) < 60:
            reader.read_sentence(sentence, meeting_cable)
    reader.resolve_singles()
    if subject and _SUBJECT_MEETING.search(subject):
        words = {word.lower().removesuffix("'s") for word in _SUBJECT_WORD.findall(subject)}
        for person in reader.people:
            if person.words[-1].lower() in words:
                person.how = _stronger(person.how, "met")
    return reader.people


def people_dicts(body: str) -> list[tuple[dict[str, Any], str | None]]:
    """(name, role) dict seeds and how, for participants.make_participant."""
    return [
        ({"name": " ".join(person.words), "role": person.role}, person.how)
        for person in read_people(body)
    ]
