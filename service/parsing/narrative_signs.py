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

# A word (letters first; inner apostrophes, hyphens, dots and slashes kept: "O'Neill", "U.S.",
# "A/S") and the endings of a possessive.
WORD: Final = re.compile(r"[^\W\d_][\w'’\-./]*")
POSSESSIVE: Final = ("'s", "’s", "'S", "’S")

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
    adding asking saying telling assuring urging pointed outlined clarified
    informed responded echoed allowed accepted rejected denied disagreed recounted
    presented detailed
    detailed elaborated requested pledged vowed expected estimated predicted hinted
    dismissed doubted worried feared contended posited speculated judged assessed thought
    felt viewed considered cited attributed blamed criticized criticised defended disputed
    waved recommended acknowledging emphasizing underscoring agreeing arguing
    """
)

_LINKING: Final = words(
    """
    also then further later again repeatedly strongly firmly clearly frankly recently
    separately subsequently previously earlier briefly privately personally reportedly
    initially first finally
    """
)

_MET_BEFORE: Final = words("met meets received hosted")

_MEETING_VERBS: Final = words("met meet meets meeting received hosted called telephoned phoned")

_WITH_WORDS: Final = frozenset({"with", "on"})
# Verbs before "with" of meetings not (yet) held: "will meet with", "to see with".
_UNMET: Final = words("meet meeting")

_ATTENDED_BEFORE: Final = (("accompanied", "by"), ("joined", "by"), ("attended", "by"))

_ATTENDED_AFTER: Final = frozenset(
    {"attended", "accompanied", "joined", "participated", "chaired", "co-chaired", "moderated"}
)

_BRIEFED_BEFORE: Final = words(
    "demarched briefed delivered passed presented conveyed handed gave points demarche message"
)

# The signs a sentence gives, as words of its lower-cased text (looked up in a set of its words,
# which costs far less than a case-insensitive regex) and a few phrases (found as substrings).
# A sentence that quotes the press: its speakers are only mentioned.
_PRESS: Final = words(
    """
    press media newspaper newspapers daily interview television tv radio reporters journalist
    journalists according quoted published article op-ed oped editorial website blog reportedly
    broadcast wrote statement
    """
)

# A sentence about an event where people speak: its speakers spoke.
_EVENT: Final = words(
    """
    conference seminar speech remarks panel roundtable forum lecture symposium workshop
    ceremony event rally session address addressed keynote presentation
    """
)

# US officials in a sentence: a meeting with them is a meeting the cable reports.
_US_SIDE: Final = words(
    """
    ambassador amb embassy charge chargé cda dcm poloff poloffs pol-off econoff econoffs emboff
    emboffs conoff conoffs polcouns econcouns polchief econchief pol/econ pao dao rso notetaker
    usg codel staffdel a/s u/s das pdas secretary undersecretary senator senators congressman
    we us our usaid mission
    pol-mc polmc econ-mc econmc polc pol/c econ/c polmincouns econmincouns mincouns polecon
    pol-econ congen legatt defatt usdel usun usnato useu usoas
    nnsa dod doe dhs fbi dea ustr usda nasa epa uscg osd nsc ofac usaid usfs usgs secdef
    """
)

_US_PHRASES: Final = (
    "u.s. official",
    "us official",
    "u.s. delegation",
    "u.s. side",
    "consul general",
    "political counselor",
    "economic counselor",
    "pol counselor",
    "econ counselor",
    "political officer",
    "economic officer",
    "public affairs",
    "assistant secretary",
    "under secretary",
    "embassy officer",
    "embassy official",
    "embassy staff",
    "u.s. representative",
    "u.s. team",
    "u.s. coast guard",
    "u.s. government",
    "department of state",
    "department of defense",
    "department of energy",
)

_MEETING: Final = words(
    """
    met meet meeting meetings lunch luncheon dinner breakfast discussion discussions discussed
    conversation talked talks telephone phone hosted received visit visited demarche demarched
    briefed told courtesy
    """
)

_MEETING_PHRASES: Final = ("called on", "call on", "spoke with")

_ATTEND_WORDS: Final = words(
    """
    accompanied joined attended present participated attendance accompanying joining part
    delegation delegations representatives participants attendees
    """
)

_MEET_WORDS: Final = words(
    """
    meeting meetings talks discussion discussions lunch luncheon dinner breakfast conversation
    conversations call consultations session met spoke talked called discussed briefing briefings
    interlocutor interlocutors counterpart counterparts
    vtc teleconference videoconference video-teleconference conference chaired hosted led
    presided opened
    """
)

# Punctuation read as blanks when a sentence is cut into its words for the sets above.
_TO_BLANKS: Final = str.maketrans({char: " " for char in ",;:()[]\"'’!?"})


def sentence_words(lowered: str) -> frozenset[str]:
    """The words of a lower-cased sentence, a final full stop dropped ("met." -> "met")."""
    return frozenset(lowered.rstrip(".").replace(". ", " ").translate(_TO_BLANKS).split())


def us_side(lowered: str, found: frozenset[str]) -> bool:
    return not found.isdisjoint(_US_SIDE) or any(phrase in lowered for phrase in _US_PHRASES)


def meeting(lowered: str, found: frozenset[str]) -> bool:
    return not found.isdisjoint(_MEETING) or any(p in lowered for p in _MEETING_PHRASES)


# Words between the names of a list that do not end it.
_LIST_WORDS: Final = frozenset(
    {"and", "the", "of", "for", "his", "her", "their", "its", "including", "with", "as", "well"}
    | {"community", "in", "on", "to", "a", "an", "sons", "son", "wife", "deputy", "then"}
    | {"members", "leaders", "officials", "representatives", "were", "was", "also", "both"}
    | {"included", "includes", "include"}
)

_TOLD_BEFORE: Final = frozenset(
    {"told", "informed", "assured", "asked", "urged", "thanked", "pressed", "reminded"}
    | {"briefed", "updated", "warned", "advised"}
)

_LIST_LEAD: Final = 10

_FINITE_VERBS: Final = words("is was were are has had have will would could should can may might")

_APPOSITIVE_REACH: Final = 12

_ATTEND_TRIGGER: Final = re.compile(
    r"(?i)\b(?:accompanied|joined|attended|present|participated|attendance|accompanying|"
    r"joining|took part)\b"
    # who made up a delegation or a side: "The U.S. delegation was led by X and included Y",
    # "Among the U.S. representatives were: ..."
    r"|(?P<side>\b(?:delegations?|representatives|participants|attendees)\b(?: [\w.-]+){0,3}? "
    r"(?:included|includes|include|were|was led by|consisted of|comprised)\b:?)"
)

_MEET_TRIGGER: Final = re.compile(
    r"(?i)(?P<noun>\b(?:meeting|meetings|talks|discussions?|lunch|luncheon|dinner|breakfast|"
    r"conversations?|call|consultations|session|(?:video-?)?(?:tele)?conference|vtc)"
    r"(?: \([^()]{1,20}\))? (?:with|between)\b|\bbriefings? (?:for|with|by)\b)"
    r"|\b(?P<verb>met|spoke|talked|called|discussed) (?:with|on)\b"
    r"|\b(?P<chair>chaired|hosted|led|presided over|opened) by\b"
    # "COMEX interlocutors Esteban Aguero, Maria Jose Cordero and ...": those we talked with
    r"|\b(?P<partner>interlocutors|counterparts)\b"
)
# Words before a meeting noun that make it one not held: sought, proposed, to come.
_UNHELD: Final = re.compile(
    r"(?i)\b(?:seek|seeks|seeking|sought|request|requests|requested|requesting|propose|proposed|"
    r"proposing|plan|plans|planned|planning|upcoming|future|next|possible|potential|arrange|"
    r"arranging|schedule|scheduled|scheduling|forthcoming|expected|will|would|should)"
    r"(?: [\w-]+){0,3} $"
)
# Words before a meeting noun that make it someone else's ("his meeting with", "the FM's").
_OWNED: Final = re.compile(r"(?i)(?:\b(?:his|her|their|its)|'s|’s)(?: [\w-]+){0,2} $")

# Handing points over to a list of people: "shared ref A points on August 12 with".
_BRIEF_WORDS: Final = words("shared delivered passed presented conveyed reviewed demarched")
_BRIEF_TRIGGER: Final = re.compile(
    r"(?i)\b(?:shared|delivered|passed|presented|conveyed|reviewed)\b[^.;:]{0,50}?"
    r"\b(?:points|demarche|message|nonpaper|non-paper|concerns|talking points)\b"
    r"[^.;:]{0,30}?\b(?:with|to)\b"
    r"|\bdemarched\b"
)
# A sentence's subject and its verb past an appositive (how_at).
_MAIN_VERB: Final = re.compile(
    r"\b(?:told|informed|assured|briefed|met|joined|attended|was (?:also )?present|"
    r"were (?:also )?present|accompanied)\b"
)
_SUBJECT_REACH: Final = 250
_APPOSITION: Final = frozenset({", ", " (", ",\n"})
_SUBJECT_LEAD: Final = re.compile(r"^(?:\(\w+(?:/\w+)*\) ?)?(?:\d+\. ?)?(?:and |but |also )?", re.I)

_PLACE_PREPOSITIONS: Final = words("in at from near across throughout via into inside outside")

_BEFORE_REACH: Final = 60

_AFTER_REACH: Final = 160


class Sentence:
    """One sentence and what it says about the people it names, read when first needed."""

    def __init__(self, text: str, meeting_cable: bool = False) -> None:
        self.text = text
        self.meeting_cable = meeting_cable
        self.caps = False  # an all-caps text: case tells no names from words
        # whether its paragraph or one before shows US officials in a meeting: a meeting's
        # report runs on over the paragraphs after the one that opens it
        self.after_us = True
        self.read = False
        self.press = self.event = self.us_side = self.meeting = False
        self.attend_spans: list[tuple[int, int]] = []
        self.meet_spans: list[tuple[int, int]] = []
        self.brief_spans: list[tuple[int, int]] = []
        self._lowered: str | None = None
        self._words: frozenset[str] = frozenset()

    def words(self) -> tuple[str, frozenset[str]]:
        """The sentence lower-cased and its words (sentence_words), computed once."""
        if self._lowered is None:
            self._lowered = self.text.lower()
            self._words = sentence_words(self._lowered)
        return self._lowered, self._words

    def _read(self) -> None:
        """Look for the sentence's signs and lists once, when it first names a person."""
        text = self.text
        lowered, found = self.words()
        self.press = not found.isdisjoint(_PRESS)
        self.event = not found.isdisjoint(_EVENT)
        self.us_side = us_side(lowered, found)
        self.meeting = meeting(lowered, found)
        self.read = True
        titles = names.text_titles()
        if not found.isdisjoint(_ATTEND_WORDS):
            for trigger in _ATTEND_TRIGGER.finditer(text):
                if trigger["side"] and not self.us_side:
                    continue  # "a March 14 delegation that included": no meeting of ours
                end = _list_end(text, trigger.end(), titles, _LIST_LEAD, self.caps)
                self.attend_spans.append((trigger.end(), end))
        if not found.isdisjoint(_BRIEF_WORDS):
            for trigger in _BRIEF_TRIGGER.finditer(text):
                if self._us_before(trigger.start()):  # "Poloff shared ref A points with X, Y"
                    end = _list_end(text, trigger.end(), titles, caps=self.caps)
                    self.brief_spans.append((trigger.end(), end))
        if found.isdisjoint(_MEET_WORDS):
            return
        for trigger in _MEET_TRIGGER.finditer(text):
            if trigger["partner"]:
                if self.caps or _OWNED.search(text, max(0, trigger.start() - 30), trigger.start()):
                    continue  # "their Russian counterparts"; in capitals the list has no end
            elif trigger["noun"] or trigger["chair"]:
                if _OWNED.search(text, max(0, trigger.start() - 30), trigger.start()):
                    continue  # "his meeting with Minister Amorim": someone else's meeting
                if _UNHELD.search(text, max(0, trigger.start() - 40), trigger.start()):
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
        return bool(before) and before[-1].lower() in _PLACE_PREPOSITIONS

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
            for word in self.text[max(0, start - _BEFORE_REACH) : start].split()[-4:]
        ]
        after = _words_after(self.text, end)
        own = self._own_how(before, after, start, end)
        if (
            own is None
            and self.text[end : end + 2] in _APPOSITION
            and " " in self.text[start:end].strip()  # a name of two words or a title and name
            and _leads(self.text, start)
        ):
            # the sentence's subject, its verb past a long appositive ("Andre Lima, head of
            # the NGO "X", which advocates ..., told Poloff")
            verb = _MAIN_VERB.search(self.text, end, end + _SUBJECT_REACH)
            if verb is not None:
                own = self._own_how(before, _words_from(self.text, verb.start()), start, end)
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

    def _us_before(self, start: int) -> bool:
        """Whether US officials are named in the sentence before start ("The Ambassador told")."""
        lowered = self.text[:start].lower()
        return us_side(lowered, sentence_words(lowered))

    def _us_run(self, start: int, end: int) -> bool:
        """Whether the name at start:end is a US official's ("Amb Sobel", "A/S Gordon")."""
        return not sentence_words(self.text[start:end].lower()).isdisjoint(_US_SIDE)

    def _own_how(self, before: list[str], after: list[str], start: int, end: int) -> str | None:
        """How a person took part by the words right before and after the name (with its title)
        at start:end."""
        first = after[0] if after else ""
        last = before[-1] if before else ""
        addressed = last in _TOLD_BEFORE or last in _MET_BEFORE or last in _WITH_WORDS
        if last in _WITH_WORDS and len(before) >= 2 and before[-2] in _UNMET:
            addressed = False  # "to meet with Secretary Rice": a meeting yet to come
        if addressed and self.us_side and (self._us_before(start) or self._us_run(start, end)):
            # "The Ambassador told/met/met with X", "X told Amb Sobel"; not "Karimov had told
            # Musharraf"
            if last in _TOLD_BEFORE and self.meeting_cable and not self.press:
                return "met"
            if last in _MET_BEFORE or (last in _WITH_WORDS and _met_with(before)):
                return "met"
        if len(before) >= 2 and tuple(before[-2:]) in _ATTENDED_BEFORE:
            return "attended" if self.meeting_cable else None
        present = first in ("was", "were") and "present" in after[1:3] and "not" not in after[1:3]
        if first in _ATTENDED_AFTER or present:  # "X was (also) present", not "was not present"
            return "attended" if self.meeting_cable else None
        if any(word in _BRIEFED_BEFORE for word in before[-3:]) and self._us_before(start):
            return "briefed"  # not "Morales gave Deputy FM Leon a message for the US"
        if first in _MEETING_VERBS and not _US_SIDE.isdisjoint(after[1:10]):
            return "met"  # "X met (with) the Ambassador", not "X met Sibal"
        if first in SPEECH_VERBS and not _object_of(before):
            # not "advisors to Solana said", "the widow of Kim said": the speaker is another
            if self.press or _EMBEDDED.search(self.text, 0, start):
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
            if (begun or count > lead) and lower not in _LIST_WORDS and lower not in titles:
                return match.start()
    return len(text)


def _clause_verb(lower: str) -> bool:
    """Whether an upper-case word is most likely a verb: said, a past tense, a form of be."""
    return (
        lower in SPEECH_VERBS
        or lower in _FINITE_VERBS
        or (lower.endswith("ed") and len(lower) > 4 and lower not in _LIST_WORDS)
    )


def shows_us(lowered: str, found: frozenset[str]) -> bool:
    """Whether a sentence shows US officials meeting or talking with someone ("In a March 3
    meeting with the Ambassador", "X told PolOff")."""
    return us_side(lowered, found) and (meeting(lowered, found) or not found.isdisjoint(_TOLD_US))


# Words of a sentence that, beside US officials, show them talking with someone.
_TOLD_US: Final = words("told tell tells informed assured briefed asked urged said says noted")
# A sentence that opens a paragraph: its marking ("2. (C)", "(SBU)", "¶3.") or number ("3.").
PARAGRAPH_START: Final = re.compile(
    r"^(?:¶ ?)?(?:\d{1,2} ?\. ?)?\((?:[A-Z]{1,4}(?:/[A-Z]{1,5})*)\)|^\d{1,2}\. "
)


def _met_with(before: list[str]) -> bool:
    """Whether the "with" before a name follows a word of meeting ("met with", "talks with",
    "lunch with X"), not "urged caution with Aweys"."""
    return any(word in _MEETING or word in _MEET_WORDS for word in before[-3:-1])


def _leads(text: str, start: int) -> bool:
    """Whether the name at start opens its sentence (after a marking, a number, "And")."""
    return _SUBJECT_LEAD.match(text).end() >= start  # type: ignore[union-attr]


def _words_from(text: str, start: int) -> list[str]:
    """The lower-case words of text from start, as _words_after gives them."""
    raw = [word.strip(_PUNCTUATION) for word in text[start : start + _AFTER_REACH].split()]
    return [word.rstrip(".").lower() for word in raw[:_APPOSITIVE_REACH] if word]


def _words_after(text: str, end: int) -> list[str]:
    """Lower-case words after a name, past an appositive (", the Foreign Minister,"), a
    prepositional phrase ("of the Eurasia Foundation") and linking words ("also")."""
    rest = text[end : end + _AFTER_REACH]
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
    raw = [word.strip(_PUNCTUATION) for word in rest.split(None, _APPOSITIVE_REACH)]
    raw = [word for word in raw[:_APPOSITIVE_REACH] if word]
    if raw[:1] and raw[0].lower() in ("of", "from"):
        skip = 1
        while skip < len(raw) and (
            raw[skip].lower() in ("the", "and", "of") or raw[skip][0].isupper()
        ):
            skip += 1
        raw = raw[skip:]
    after = [word.rstrip(".").lower() for word in raw]
    while after and after[0] in _LINKING:
        after = after[1:]
    return after
