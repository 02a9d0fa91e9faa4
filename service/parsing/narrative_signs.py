"""What the words around a name say of how the person took part ("X told the Ambassador",
"a meeting with X", "accompanied by X", "demarched X"), sentence by sentence (narrative.py).

A sentence's signs are read once, when it first names a person: the words of its lower-cased
text looked up in sets (far cheaper than case-insensitive patterns), a few phrases as
substrings, and the spans of the lists it opens ("Among those present were ...").
"""

from __future__ import annotations

from service.parsing import names
from service.parsing.narrative_clauses import (
    EMBEDDED,
    EMBEDDED_CAPS,
    PUNCTUATION,
    in_subject,
    leads,
    list_end,
    met_with,
    named_owner,
    object_of,
    owned,
    quoted,
    to_us,
    unheld,
    us_among,
    words_after,
    words_from,
)
from service.parsing.narrative_words import (
    APPOSITION,
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
    GROUP_REACH,
    LIST_LEAD,
    MAIN_VERB,
    MEET_TRIGGER,
    MEET_TRIGGER_LOWERED,
    MEET_WORDS,
    MEETING_VERBS,
    MET_BEFORE,
    OWNED,
    PLACE_PREPOSITIONS,
    POSSESSIVE,
    PRESS,
    SERIES_VERBS,
    SPEECH_VERBS,
    SUBJECT_REACH,
    TO_US_VERBS,
    TOLD_BEFORE,
    UNHELD,
    UNMET,
    US_SIDE,
    WITH_WORDS,
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
                end = list_end(text, trigger.end(), titles, LIST_LEAD, self.caps)
                self.attend_spans.append((trigger.end(), end))
        if not found.isdisjoint(BRIEF_WORDS):
            for trigger in triggers(BRIEF_TRIGGER, BRIEF_TRIGGER_LOWERED, text, lowered):
                if self._us_before(trigger.start()):  # "Poloff shared ref A points with X, Y"
                    end = list_end(text, trigger.end(), titles, caps=self.caps)
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
                if named_owner(text, trigger.start()):
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
            end = list_end(text, trigger.end(), titles, caps=self.caps)
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
            word.strip(PUNCTUATION).lower()
            for word in self.text[max(0, start - BEFORE_REACH) : start].split()[-4:]
        ]
        after = words_after(self.text, end)
        own = self._own_how(before, after, start, end)
        if (
            own is None
            and self.text[end : end + 2] in APPOSITION
            and " " in self.text[start:end].strip()  # a name of two words or a title and name
            and leads(self.text, start)
        ):
            # the sentence's subject, its verb past a long appositive ("Andre Lima, head of
            # the NGO "X", which advocates ..., told Poloff")
            verb = MAIN_VERB.search(self.text, end, end + SUBJECT_REACH)
            if verb is not None:
                own = self._own_how(before, words_from(self.text, verb.start()), start, end)
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
        if " " not in self.text[start:end].strip() or not in_subject(self.text, start):
            return None
        verb = MAIN_VERB.search(self.text, end, end + SUBJECT_REACH)
        if verb is None or verb.group() not in SERIES_VERBS:
            return None
        return self._own_how(before, words_from(self.text, verb.start()), start, end)

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
        after = words_from(text, closing + 1)
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
        elif last in WITH_WORDS and unheld(self.text, start):
            addressed = False  # "seeking meetings with", "looked forward to his call with"
        elif last in WITH_WORDS and "had" in before[-4:-2]:
            addressed = False  # "as he had discussed with A/S Shannon": an earlier meeting
        elif last in WITH_WORDS and owned(self.text, start) and not self._us_run(start, end):
            addressed = False  # "the PM returned from his meetings with President Putin"
        if addressed and self.us_side and (self._us_before(start) or self._us_run(start, end)):
            # "The Ambassador told/met/met with X", "X told Amb Sobel"; not "Karimov had told
            # Musharraf"
            if last in TOLD_BEFORE and self.meeting_cable and not self.press:
                return "met"
            if last in MET_BEFORE or (last in WITH_WORDS and met_with(before)):
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
        if first in MEETING_VERBS and (us_among(after[1:10]) or self._us_run(start, end)):
            return "met"  # "X met (with) the Ambassador", "AUSTR X met with"; not "X met Sibal"
        if (
            (first in TO_US_VERBS or (first in SPEECH_VERBS and after[1:2] == ["to"]))
            and not self.press
            and to_us(after)
            and not quoted(self.text, start)
        ):
            return "met"  # "X told us", "though X told PolOff on May 5", "X gave Poloff a read-out"
        if first in SPEECH_VERBS and not object_of(before):
            # not "advisors to Solana said", "the widow of Kim said": the speaker is another
            embedded = (EMBEDDED_CAPS if self.caps else EMBEDDED).search(self.text, 0, start)
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
