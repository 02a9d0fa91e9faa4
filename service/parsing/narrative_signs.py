"""What the words around a name say of how the person took part ("X told the Ambassador",
"a meeting with X", "accompanied by X", "demarched X"), sentence by sentence (narrative.py).

A sentence's signs are read once, when it first names a person: the words of its lower-cased
text looked up in sets (far cheaper than case-insensitive patterns), a few phrases as
substrings, and the spans of the lists it opens ("Among those present were ...").
"""

from __future__ import annotations

import re
from typing import Final

from service.parsing import names
from service.parsing.names import words
from service.parsing.narrative_words import (
    AFTER_REACH,
    APPOSITION,
    APPOSITIVE_REACH,
    ATTEND_TRIGGER,
    ATTEND_TRIGGER_LOWERED,
    ATTEND_WORDS,
    ATTENDED_AFTER,
    ATTENDED_BEFORE,
    BEFORE_REACH,
    BRIEF_TRIGGER,
    BRIEF_TRIGGER_LOWERED,
    BRIEF_WORDS,
    BRIEFED_BEFORE,
    EVENT,
    FINITE_VERBS,
    GROUP_REACH,
    LINKING,
    LIST_LEAD,
    LIST_WORDS,
    MAIN_VERB,
    MEET_TRIGGER,
    MEET_TRIGGER_LOWERED,
    MEET_WORDS,
    MEETING,
    MEETING_VERBS,
    MET_BEFORE,
    OWNED,
    PLACE_PREPOSITIONS,
    POSSESSIVE,
    PRESS,
    SERIES_VERBS,
    SERIES_WORDS,
    SPEECH_VERBS,
    SUBJECT_LEAD,
    SUBJECT_REACH,
    TO_US_VERBS,
    TOLD_BEFORE,
    UNHELD,
    UNMET,
    US_OBJECTS,
    US_SIDE,
    WITH_WORDS,
    WORD,
    meeting,
    sentence_words,
    triggers,
    us_side,
)


class Sentence:
    """One sentence and what it says about the people it names, read when first needed."""

    # Defaults of the class, so that making one of a cable's many sentences costs little.
    caps: bool = False  # an all-caps text: case tells no names from words
    # whether its paragraph or one before shows US officials in a meeting: a meeting's report
    # runs on over the paragraphs after the one that opens it
    after_us: bool = True
    read: bool = False
    press: bool = False
    event: bool = False
    _us_side: bool | None = None
    _meeting: bool | None = None
    _lowered: str | None = None
    _words: frozenset[str] = frozenset()

    def __init__(self, text: str, meeting_cable: bool = False) -> None:
        self.text = text
        self.meeting_cable = meeting_cable
        self.attend_spans: list[tuple[int, int]] = []
        self.meet_spans: list[tuple[int, int]] = []
        self.brief_spans: list[tuple[int, int]] = []

    def words(self) -> tuple[str, frozenset[str]]:
        """The sentence lower-cased and its words (sentence_words), computed once."""
        if self._lowered is None:
            self._lowered = self.text.lower()
            self._words = sentence_words(self._lowered)
        return self._lowered, self._words

    @property
    def us_side(self) -> bool:
        """Whether the sentence names US officials (narrative_words.us_side), computed once:
        the search for a cable's first meeting and the reading of the sentence share it."""
        if self._us_side is None:
            lowered, found = self.words()
            self._us_side = us_side(lowered, found)
        return self._us_side

    @property
    def meeting(self) -> bool:
        """Whether the sentence shows a meeting (narrative_words.meeting), computed once."""
        if self._meeting is None:
            lowered, found = self.words()
            self._meeting = meeting(lowered, found)
        return self._meeting

    def _read(self) -> None:
        """Look for the sentence's signs and lists once, when it first names a person."""
        text = self.text
        lowered, found = self.words()
        self.press = not found.isdisjoint(PRESS)
        self.event = not found.isdisjoint(EVENT)
        self.read = True
        titles = names.text_titles()
        if not found.isdisjoint(ATTEND_WORDS):
            for trigger in triggers(ATTEND_TRIGGER, ATTEND_TRIGGER_LOWERED, text, lowered):
                if trigger["side"] and not self.us_side:
                    continue  # "a March 14 delegation that included": no meeting of ours
                end = _list_end(text, trigger.end(), titles, LIST_LEAD, self.caps)
                self.attend_spans.append((trigger.end(), end))
        if not found.isdisjoint(BRIEF_WORDS):
            for trigger in triggers(BRIEF_TRIGGER, BRIEF_TRIGGER_LOWERED, text, lowered):
                if self._us_before(trigger.start()):  # "Poloff shared ref A points with X, Y"
                    end = _list_end(text, trigger.end(), titles, caps=self.caps)
                    self.brief_spans.append((trigger.end(), end))
        if found.isdisjoint(MEET_WORDS):
            return
        for trigger in triggers(MEET_TRIGGER, MEET_TRIGGER_LOWERED, text, lowered):
            if trigger["partner"]:
                if self.caps or OWNED.search(text, max(0, trigger.start() - 30), trigger.start()):
                    continue  # "their Russian counterparts"; in capitals the list has no end
            elif trigger["noun"] or trigger["chair"]:
                if OWNED.search(text, max(0, trigger.start() - 30), trigger.start()):
                    continue  # "his meeting with Minister Amorim": someone else's meeting
                if _named_owner(text, trigger.start()):
                    continue  # "the Bot and/or Balkenende meetings with Chavez"
                if UNHELD.search(text, max(0, trigger.start() - 40), trigger.start()):
                    continue  # "seeking meetings with", "a proposed meeting with": not held
                if trigger["chair"] and not self.meeting:
                    continue
                if not self.us_side:
                    continue  # "this meeting with the PM and Natwar Singh": no US official in it
            elif not us_side(
                lowered[: trigger.start()], sentence_words(lowered[: trigger.start()])
            ):
                continue  # "Stubb had met with Lavrov"
            end = _list_end(text, trigger.end(), titles, caps=self.caps)
            self.meet_spans.append((trigger.end(), end))

    def placed(self, start: int) -> bool:
        """Whether the word at start follows a preposition of place or time ("in Asia")."""
        before = self.text[max(0, start - 12) : start].split()
        return bool(before) and before[-1].lower() in PLACE_PREPOSITIONS

    def in_series(self, start: int, end: int) -> bool:
        """Whether the word at start:end stands in a series of names ("Sarkozy, Putin and
        Medvedev")."""
        text = self.text
        if text[max(0, start - 5) : start].lower() == " and ":
            return True
        after = text[end : end + 6]
        return after.lower().startswith(" and ") or (
            after[:1] == "," and after[1:2] == " " and after[2:3].isupper()
        )

    def how_at(self, start: int, end: int) -> tuple[str | None, bool]:
        """How the person named at text[start:end] (with any title) took part, by the words
        around them, and whether the words next to the name say it (not only a list it stands
        in)."""
        if (
            self.text[end - 2 : end] in POSSESSIVE
            or self.text.startswith(POSSESSIVE, end)
            or (self.text[end - 1 : end] in "'’" and self.text[end - 2 : end - 1].isalpha())
        ):
            # "President Zapatero's thanks", "Solana's deputy": the name qualifies someone or
            # something else and takes no part in what the sentence reports
            return None, False
        if not self.read:
            self._read()
        before = [
            word.strip(_PUNCTUATION).lower()
            for word in self.text[max(0, start - BEFORE_REACH) : start].split()[-4:]
        ]
        after = _words_after(self.text, end)
        own = self._own_how(before, after, start, end)
        if (
            own is None
            and self.text[end : end + 2] in APPOSITION
            and " " in self.text[start:end].strip()  # a name of two words or a title and name
            and _leads(self.text, start)
        ):
            # the sentence's subject, its verb past a long appositive ("Andre Lima, head of
            # the NGO "X", which advocates ..., told Poloff")
            verb = MAIN_VERB.search(self.text, end, end + SUBJECT_REACH)
            if verb is not None:
                own = self._own_how(before, _words_from(self.text, verb.start()), start, end)
        if own is None and not self.caps and self.text.startswith((" and ", ", "), end):
            own = self._series_how(before, start, end)
        if own is None:
            own = self._group_how(before, start, end)
        if own is not None:
            return own, True
        if any(begin <= start < stop for begin, stop in self.meet_spans):
            return "met", False
        if any(begin <= start < stop for begin, stop in self.brief_spans):
            return "briefed", False
        attending = any(begin <= start < stop for begin, stop in self.attend_spans)
        if attending and self.meeting_cable and not self.press:
            return "attended", False
        return None, False

    def _series_how(self, before: list[str], start: int, end: int) -> str | None:
        """How a person in a series of names that opens the sentence took part, where the
        series met or attended: "Swiss DFA officials Yvonne Baumann and Urs Hammer, as well as
        Embassy Poloff, joined the meeting". Speaking verbs are left out: a series of speakers
        is as often quoted from the press."""
        if " " not in self.text[start:end].strip() or not _in_subject(self.text, start):
            return None
        verb = MAIN_VERB.search(self.text, end, end + SUBJECT_REACH)
        if verb is None or verb.group() not in SERIES_VERBS:
            return None
        return self._own_how(before, _words_from(self.text, verb.start()), start, end)

    def _group_how(self, before: list[str], start: int, end: int) -> str | None:
        """How a person in a parenthesised list took part: as the group before the parenthesis
        did ("Codel Wasserman-Schultz (Rep. A, Rep. B, ...) met with Foreign Minister X")."""
        text = self.text
        if " " not in text[start:end].strip():
            return None  # a lone word: "(R-Florida)" is no member
        opening = text.rfind("(", max(0, start - GROUP_REACH), start)
        if opening < 0 or ")" in text[opening:start]:
            return None
        closing = text.find(")", end, end + GROUP_REACH)
        if closing < 0 or "(" in text[end:closing]:
            return None
        after = _words_from(text, closing + 1)
        group = sentence_words(text[max(0, opening - 40) : opening].lower())
        if after[:1] and after[0] in MEETING_VERBS and not group.isdisjoint(US_SIDE):
            return "met"  # a US delegation met
        return self._own_how(before, after, start, end)

    def _us_before(self, start: int) -> bool:
        """Whether US officials are named in the sentence before start ("The Ambassador told")."""
        lowered = self.text[:start].lower()
        return us_side(lowered, sentence_words(lowered))

    def _us_run(self, start: int, end: int) -> bool:
        """Whether the name at start:end is a US official's ("Amb Sobel", "A/S Gordon")."""
        return not sentence_words(self.text[start:end].lower()).isdisjoint(US_SIDE)

    def _own_how(self, before: list[str], after: list[str], start: int, end: int) -> str | None:
        """How a person took part by the words right before and after the name (with its title)
        at start:end."""
        first = after[0] if after else ""
        if before[-1:] == ["visiting"]:
            before = before[:-1]  # "received visiting Ambassador Crocker"
        last = before[-1] if before else ""
        addressed = last in TOLD_BEFORE or last in MET_BEFORE or last in WITH_WORDS
        if last in WITH_WORDS and len(before) >= 2 and before[-2] in UNMET:
            addressed = False  # "to meet with Secretary Rice": a meeting yet to come
        elif last in WITH_WORDS and _unheld(self.text, start):
            addressed = False  # "seeking meetings with", "looked forward to his call with"
        elif last in WITH_WORDS and "had" in before[-4:-2]:
            addressed = False  # "as he had discussed with A/S Shannon": an earlier meeting
        elif last in WITH_WORDS and _owned(self.text, start) and not self._us_run(start, end):
            addressed = False  # "the PM returned from his meetings with President Putin"
        if addressed and self.us_side and (self._us_before(start) or self._us_run(start, end)):
            # "The Ambassador told/met/met with X", "X told Amb Sobel"; not "Karimov had told
            # Musharraf"
            if last in TOLD_BEFORE and self.meeting_cable and not self.press:
                return "met"
            if last in MET_BEFORE or (last in WITH_WORDS and _met_with(before)):
                return "met"
        if (
            last == "to"
            and len(before) >= 2
            and before[-2] in SPEECH_VERBS
            and self._us_run(start, end)
            and not self.press
        ):
            return "met"  # "XXXXXXXXXXXX confirmed to Ambassador Norland that"
        if len(before) >= 2 and tuple(before[-2:]) in ATTENDED_BEFORE:
            return "attended" if self.meeting_cable else None
        present = first in ("was", "were") and "present" in after[1:3] and "not" not in after[1:3]
        if first in ATTENDED_AFTER or present:  # "X was (also) present", not "was not present"
            return "attended" if self.meeting_cable else None
        if any(word in BRIEFED_BEFORE for word in before[-3:]) and self._us_before(start):
            return "briefed"  # not "Morales gave Deputy FM Leon a message for the US"
        if first in MEETING_VERBS and (_us_among(after[1:10]) or self._us_run(start, end)):
            return "met"  # "X met (with) the Ambassador", "AUSTR X met with"; not "X met Sibal"
        if (
            (first in TO_US_VERBS or (first in SPEECH_VERBS and after[1:2] == ["to"]))
            and not self.press
            and _to_us(after)
            and not _quoted(self.text, start)
        ):
            return "met"  # "X told us", "though X told PolOff on May 5", "X gave Poloff a read-out"
        if first in SPEECH_VERBS and not _object_of(before):
            # not "advisors to Solana said", "the widow of Kim said": the speaker is another
            embedded = (_EMBEDDED_CAPS if self.caps else _EMBEDDED).search(self.text, 0, start)
            if self.press or embedded:
                return None  # quoted by the press, or by another speaker ("X said that Y")
            if self.event:
                return "spoke"
            # a speaker met us where the sentence or its paragraph shows a meeting with US
            # officials; not "Amorim commented that ..." in a paragraph of press remarks
            return "met" if self.meeting_cable and self._with_us() else None
        return None

    def _with_us(self) -> bool:
        """Whether the sentence, its paragraph or one before shows US officials in a meeting."""
        return self.us_side or self.after_us


_PUNCTUATION: Final = ".,;:()[]\"'’"
_OBJECT_PREPOSITIONS: Final = words("to of for from by under than about against toward towards")


def _object_of(before: list[str]) -> bool:
    """Whether the words before a name end in a preposition that makes it an object ("advisors
    to Solana"), not a title's own ("Chief of Staff Dirceu")."""
    if not before or before[-1] not in _OBJECT_PREPOSITIONS:
        return False
    return len(before) < 2 or before[-2] not in names.text_titles()


# A clause that reports someone else's words or thoughts: the speakers inside it did not speak
# to us ("Masseret indicated that Kouchner knew").
_EMBEDDED: Final = re.compile(
    r"\b(?:said|told|noted|indicated|explained|stressed|added|believed|thought|claimed|argued|"
    r"recalled|suggested|reported|asserted|stated|commented|observed|warned|that)\b(?!.*[.;])"
)
# The same in all-caps text ("SADDAM SAID, I BEGGED SHAYKH ZAYID ... AND ZAYID SAID").
_EMBEDDED_CAPS: Final = re.compile(_EMBEDDED.pattern, re.IGNORECASE)


def _list_end(
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
                if lower[-1:] == "s" and lower[:-1] in titles and _names_follow(text, match.end()):
                    continue  # "Air Force generals, X, Y and Z"; not "commanders in Jenin"
                return match.start()
    return len(text)


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


def _us_among(words: list[str]) -> bool:
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


def _named_owner(text: str, start: int) -> bool:
    """Whether a name right before the meeting noun at start owns the meeting ("Balkenende
    meetings with Chavez"); not an acronym ("NATO meeting"), a month or a US office."""
    before = text[max(0, start - 40) : start].split()
    if not before:
        return False
    word = before[-1].strip(_PUNCTUATION)
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


def _owned(text: str, start: int) -> bool:
    """Whether the meeting word before the "with" that precedes start is someone's ("his
    meetings with President Putin", "Vedrine's meeting with")."""
    cut = text.rfind(" with", max(0, start - 30), start)
    if cut < 0:
        return False
    head = text[max(0, cut - 60) : cut]
    lowered = head.lower()
    if us_side(lowered, sentence_words(lowered)):
        return False  # "Following the Secretary's conversation with": one of ours
    noun = text.rfind(" ", 0, cut) + 1  # where the meeting word starts
    return bool(OWNED.search(head[: head.rstrip().rfind(" ") + 1])) or _named_owner(text, noun)


def _unheld(text: str, start: int) -> bool:
    """Whether the meeting word before the "with" that precedes start names a meeting not
    held ("is seeking meetings with", "requested meetings with", "to include a meeting with").
    Whose the meeting is ("his conversation with") tells nothing: "In his conversation with
    Ambassador Wayne, Shahrani said" reports one of ours."""
    cut = text.rfind(" with", max(0, start - 30), start)
    if cut < 0:
        return False
    head = text[max(0, cut - 60) : cut]
    head = head[: head.rstrip().rfind(" ") + 1]  # up to the meeting word
    return bool(UNHELD.search(head))


def _quoted(text: str, start: int) -> bool:
    """Whether start is inside a quotation that opened earlier in the sentence: there "us" and
    "we" are the speaker's."""
    return (text.count('"', 0, start) + text.count("“", 0, start)) % 2 == 1


def _to_us(after: list[str]) -> bool:
    """Whether the object right after the verb that opens `after` is a US official ("told
    PolOff", "explained to Poloffs", "confirmed to the Ambassador")."""
    objects = after[1:]
    if objects[:1] == ["to"]:
        objects = objects[1:]
    objects = objects[:2] if objects[:1] == ["the"] else objects[:1]
    return bool(objects) and objects[-1] in US_OBJECTS


def _met_with(before: list[str]) -> bool:
    """Whether the "with" before a name follows a word of meeting ("met with", "talks with",
    "lunch with X"), not "urged caution with Aweys"."""
    return any(word in MEETING or word in MEET_WORDS for word in before[-3:-1])


# Words that make a name no member of a sentence's opening series: prepositions before it or
# at the sentence's start.
_SERIES_BREAKS: Final = words("to of for from by as at in on with under after before during")


def _in_subject(text: str, start: int) -> bool:
    """Whether the name at start stands in a series of names that opens its sentence ("CDA
    Peter Brennan, ADCM David Henifin, and Econoff accompanied"; "Swiss DFA officials Yvonne
    Baumann and Urs Hammer joined"): before it only names, titles and the words between them."""
    lead = SUBJECT_LEAD.match(text).end()  # type: ignore[union-attr]
    before = text[lead:start].split()
    if not before or len(before) > SERIES_WORDS or _quoted(text, start):
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
        bare = word.strip(_PUNCTUATION)
        lower, previous = bare.lower(), previous
        if lower in _SERIES_BREAKS and (lower != "of" or previous not in titles):
            return False  # "former prime minister under Mitterrand", "the wife of X"
        previous = lower
        if not bare or bare[:1].isupper() or lower in LIST_WORDS or lower in titles:
            continue
        if lower[-1:] == "s" and lower[:-1] in titles:
            continue  # "officials", "commanders"
        return False
    return True


def _leads(text: str, start: int) -> bool:
    """Whether the name at start opens its sentence (after a marking, a number, "And")."""
    return SUBJECT_LEAD.match(text).end() >= start  # type: ignore[union-attr]


def _words_from(text: str, start: int) -> list[str]:
    """The lower-case words of text from start, as _words_after gives them."""
    raw = [word.strip(_PUNCTUATION) for word in text[start : start + AFTER_REACH].split()]
    return [word.rstrip(".").lower() for word in raw[:APPOSITIVE_REACH] if word]


def _words_after(text: str, end: int) -> list[str]:
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
    raw = [word.strip(_PUNCTUATION) for word in rest.split(None, APPOSITIVE_REACH)]
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
