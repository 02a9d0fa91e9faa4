"""The words and patterns the narrative reader looks for around names (narrative_signs.py):
speech and meeting verbs, the US side, press and event words, and the triggers of the lists a
sentence opens ("a meeting with", "accompanied by", "the U.S. delegation included").

Words are looked up in sets of a sentence's lower-cased words (far cheaper than case-insensitive
patterns); the patterns run only where a sentence holds one of their words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

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
    presented detailed enumerated
    detailed elaborated requested pledged vowed expected estimated predicted hinted
    dismissed doubted worried feared contended posited speculated judged assessed thought
    felt viewed considered cited attributed blamed criticized criticised defended disputed
    waved recommended acknowledging emphasizing underscoring agreeing arguing
    """
)

LINKING: Final = words(
    """
    also then further later again repeatedly strongly firmly clearly frankly recently
    separately subsequently previously earlier briefly privately personally reportedly
    initially first finally
    """
)

MET_BEFORE: Final = words("met meets received hosted")

MEETING_VERBS: Final = words("met meet meets meeting received hosted called telephoned phoned")

WITH_WORDS: Final = frozenset({"with", "on"})
# Verbs before "with" of meetings not (yet) held: "will meet with", "to see with".
UNMET: Final = words("meet meeting")

ATTENDED_BEFORE: Final = (("accompanied", "by"), ("joined", "by"), ("attended", "by"))

ATTENDED_AFTER: Final = frozenset(
    {"attended", "accompanied", "joined", "participated", "chaired", "co-chaired", "moderated"}
)

BRIEFED_BEFORE: Final = words(
    "demarched briefed delivered passed presented conveyed handed gave points demarche message"
)

# The signs a sentence gives, as words of its lower-cased text (looked up in a set of its words,
# which costs far less than a case-insensitive regex) and a few phrases (found as substrings).
# A sentence that quotes the press: its speakers are only mentioned.
PRESS: Final = words(
    """
    press media newspaper newspapers daily interview television tv radio reporters journalist
    journalists according quoted published article op-ed oped editorial website blog reportedly
    broadcast wrote statement
    """
)

# A sentence about an event where people speak: its speakers spoke.
EVENT: Final = words(
    """
    conference seminar speech remarks panel roundtable forum lecture symposium workshop
    ceremony event rally session address addressed keynote presentation
    """
)

# US officials in a sentence: a meeting with them is a meeting the cable reports.
US_SIDE: Final = words(
    """
    ambassador amb embassy charge chargé cda dcm poloff poloffs pol-off econoff econoffs emboff
    emboffs conoff conoffs polcouns econcouns polchief econchief pol/econ pao dao rso notetaker
    usg codel staffdel a/s u/s das pdas secretary undersecretary senator senators congressman
    we us our usaid mission i me my
    pol-mc polmc econ-mc econmc polc pol/c econ/c polmincouns econmincouns mincouns polecon
    pol-econ congen legatt defatt usdel usun usnato useu usoas
    nnsa dod doe dhs fbi dea ustr austr dustr usda nasa epa uscg osd nsc ofac usaid usfs usgs
    secdef reo esth esthoff polmiloff polmil pol-mil pol/mil milgrp ussc odc legat refcoord
    amemb amembassy amconsul fpu
    """
)

US_PHRASES: Final = (
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

MEETING: Final = words(
    """
    met meet meeting meetings lunch luncheon dinner breakfast discussion discussions discussed
    conversation talked talks telephone phone hosted received visit visited demarche demarched
    briefed told courtesy
    """
)

MEETING_PHRASES: Final = ("called on", "call on", "spoke with")

ATTEND_WORDS: Final = words(
    """
    accompanied joined attended present participated attendance accompanying joining part
    attending
    delegation delegations representatives participants attendees
    """
)

MEET_WORDS: Final = words(
    """
    meeting meetings talks discussion discussions lunch luncheon dinner breakfast conversation
    conversations call consultations session met spoke talked called discussed briefing briefings
    interlocutor interlocutors counterpart counterparts
    vtc teleconference videoconference video-teleconference conference chaired hosted led
    presided opened
    """
)

# Punctuation read as blanks when a sentence is cut into its words for the sets above.
TO_BLANKS: Final = ",;:()[]\"'’!?"


def sentence_words(lowered: str) -> frozenset[str]:
    """The words of a lower-cased sentence, a final full stop dropped ("met." -> "met")."""
    text = lowered.rstrip(".").replace(". ", " ")
    # One replace per mark the sentence holds: a quarter of the time of str.translate, which
    # looks every character up in its table.
    for mark in TO_BLANKS:
        if mark in text:
            text = text.replace(mark, " ")
    return frozenset(text.split())


# (The phrases are looked for by map over the text's own `in`, without a Python frame for each.)
def us_side(lowered: str, found: frozenset[str]) -> bool:
    return not found.isdisjoint(US_SIDE) or any(map(lowered.__contains__, US_PHRASES))


def meeting(lowered: str, found: frozenset[str]) -> bool:
    return not found.isdisjoint(MEETING) or any(map(lowered.__contains__, MEETING_PHRASES))


# Words between the names of a list that do not end it.
LIST_WORDS: Final = frozenset(
    {"and", "the", "of", "for", "his", "her", "their", "its", "including", "with", "as", "well"}
    | {"community", "in", "on", "to", "a", "an", "sons", "son", "wife", "deputy", "then"}
    | {"members", "leaders", "officials", "representatives", "were", "was", "also", "both"}
    | {"included", "includes", "include", "by", "from"}
)

TOLD_BEFORE: Final = frozenset(
    {"told", "informed", "assured", "asked", "urged", "thanked", "pressed", "reminded"}
    | {"briefed", "updated", "warned", "advised"}
)

LIST_LEAD: Final = 10

FINITE_VERBS: Final = words("is was were are has had have will would could should can may might")

APPOSITIVE_REACH: Final = 12

ATTEND_TRIGGER: Final = re.compile(
    r"(?i)\b(?:accompanied|joined|attended|present|participated|attendance|accompanying|"
    r"joining|took part|attending (?:for|from|were|was|on behalf of))\b"
    # who made up a delegation or a side: "The U.S. delegation was led by X and included Y",
    # "Among the U.S. representatives were: ..."
    r"|(?P<side>\b(?:delegations?|representatives|participants|attendees)\b(?: [\w.-]+){0,3}? "
    r"(?:included|includes|include|were|was led by|consisted of|comprised)\b:?)"
)

MEET_TRIGGER: Final = re.compile(
    r"(?i)(?P<noun>\b(?:meeting|meetings|talks|discussions?|lunch|luncheon|dinner|breakfast|"
    r"conversations?|call|consultations|session|(?:video-?)?(?:tele)?conference|vtc)"
    r"(?: \([^()]{1,20}\))? (?:with|between)\b|\bbriefings? (?:for|with|by)\b|\bcalls? on\b)"
    r"|\b(?P<verb>met|spoke|talked|called|discussed) (?:with|on)\b"
    r"|\b(?P<chair>chaired|hosted|led|presided over|opened) by\b"
    # "COMEX interlocutors Esteban Aguero, Maria Jose Cordero and ...": those we talked with
    r"|\b(?P<partner>interlocutors|counterparts)\b"
)


def lowered_twin(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A case-insensitive pattern of lower-case letters only, case-sensitive, for lower-cased
    ASCII text (where both find the same places: see triggers); None for any other pattern."""
    source = pattern.pattern
    letters = source.replace("(?P<", "(?<")  # group names may be in any case
    if (
        pattern.flags & re.IGNORECASE
        and source.startswith("(?i)")
        and letters == letters.lower()
        and "(?-" not in source
    ):
        return re.compile(source.removeprefix("(?i)"))
    return None


def triggers(
    pattern: re.Pattern[str], twin: re.Pattern[str] | None, text: str, lowered: str
) -> Iterator[re.Match[str]]:
    """The matches of a case-insensitive pattern in a sentence, by its lowered_twin in the
    lower-cased sentence where the sentence is ASCII: the same places (no letter of ASCII text
    folds in any other way), found in half the time."""
    if twin is not None and text.isascii() and len(lowered) == len(text):
        return twin.finditer(lowered)
    return pattern.finditer(text)


MEET_TRIGGER_LOWERED: Final = lowered_twin(MEET_TRIGGER)
# Words before a meeting noun that make it one not held: sought, proposed, to come.
UNHELD: Final = re.compile(
    r"(?i)\b(?:seek|seeks|seeking|sought|request|requests|requested|requesting|propose|proposed|"
    r"proposing|plan|plans|planned|planning|upcoming|future|next|possible|potential|arrange|"
    r"arranging|schedule|scheduled|scheduling|forthcoming|expected|will|would|should|include|"
    r"includes|forward to)"
    r"(?: [\w-]+){0,3} $"
)
# Words before a meeting noun that make it someone else's ("his meeting with", "the FM's").
OWNED: Final = re.compile(r"(?i)(?:\b(?:his|her|their|its)|'s|’s)(?: [\w-]+){0,2} $")

# Handing points over to a list of people: "shared ref A points on August 12 with".
BRIEF_WORDS: Final = words("shared delivered passed presented conveyed reviewed demarched")
BRIEF_TRIGGER: Final = re.compile(
    r"(?i)\b(?:shared|delivered|passed|presented|conveyed|reviewed)\b[^.;:]{0,50}?"
    r"\b(?:points|demarche|message|nonpaper|non-paper|concerns|talking points)\b"
    r"[^.;:]{0,30}?\b(?:with|to)\b"
    r"|\bdemarched\b"
)
# Verbs after a series of names that opens a sentence that tell how its members took part (not
# speaking verbs: a series of speakers is as often quoted from the press).
SERIES_VERBS: Final = frozenset({"met", "joined", "attended", "accompanied", "received", "hosted"})
ATTEND_TRIGGER_LOWERED: Final = lowered_twin(ATTEND_TRIGGER)
BRIEF_TRIGGER_LOWERED: Final = lowered_twin(BRIEF_TRIGGER)
# A sentence's subject and its verb past an appositive (how_at).
MAIN_VERB: Final = re.compile(
    r"\b(?:"
    + "|".join(sorted(SPEECH_VERBS | SERIES_VERBS, key=len)[::-1])
    + r"|was (?:also )?present|were (?:also )?present)\b"
)
SUBJECT_REACH: Final = 250
# How many words a series of names that opens a sentence may run before a name in it.
SERIES_WORDS: Final = 30
# How far a parenthesised list of a group's members may run ("Codel X (Rep. A, Rep. B, ...)").
GROUP_REACH: Final = 400
APPOSITION: Final = frozenset({", ", " (", ",\n"})
SUBJECT_LEAD: Final = re.compile(
    r"^(?:[-*•o]{1,2} )?(?:\(\w+(?:/\w+)*\) ?)?(?:\d+\. ?)?(?:and |but |also )?", re.I
)

PLACE_PREPOSITIONS: Final = words("in at from near across throughout via into inside outside")

BEFORE_REACH: Final = 60

AFTER_REACH: Final = 160


def talking(found: frozenset[str]) -> bool:
    """Whether a sentence's words show someone talking ("X told PolOff"): beside US officials,
    a sentence that shows them talking with someone, as a meeting does."""
    return not found.isdisjoint(TOLD_US)


# Words of a sentence that, beside US officials, show them talking with someone.
# Verbs whose object right after them, when a US official, is who the subject spoke with:
# "X told us", "X told the Ambassador", "X gave Poloff a read-out".
TO_US_VERBS: Final = TOLD_BEFORE | words("gave provided offered handed showed")
# Words for US officials that stand as the object of such a verb ("told us", "told PolOff").
US_OBJECTS: Final = US_SIDE - words("our my mission i we secretary senator senators")

TOLD_US: Final = words("told tell tells informed assured briefed asked urged said says noted")
# A sentence that opens a paragraph: its marking ("2. (C)", "(SBU)", "¶3.") or number ("3.").
PARAGRAPH_START: Final = re.compile(
    r"^(?:¶ ?)?(?:\d{1,2} ?\. ?)?\((?:[A-Z]{1,4}(?:/[A-Z]{1,5})*)\)|^\d{1,2}\. "
)
