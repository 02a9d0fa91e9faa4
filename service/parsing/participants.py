"""Participants: the people who took part in what a cable reports, and those it only mentions.

They come from explicit lists (participant_lists.py), the narrative (narrative.py), the signer,
the official in "Classified By" and person TAGS ("BIDEN, JOSEPH"); the same person found in
several places is listed once, with every source (person.py).
"""

from __future__ import annotations

import re
from typing import Any, Final

from service.parsing import fields, narrative
from service.parsing.fields import scan
from service.parsing.participant_items import participant_from_name
from service.parsing.participant_lists import parse_participant_lists
from service.parsing.person import (
    HOW_MET,
    HOW_WROTE,
    SOURCE_CLASSIFIED_BY,
    SOURCE_SIGNER,
    SOURCE_TAG,
    SOURCE_TEXT,
    join_taking_part,
    make_participant,
    merge_participants,
    name_words,
    same_person,
)

__all__ = [
    "make_participant",
    "merge_participants",
    "parse_participant_lists",
    "parse_participants",
    "participant_from_name",
    "participant_from_tag",
    "participants_from_fields",
    "people",
]

_PERSON_TAG: Final = re.compile(
    r"^(?P<last>[A-Z][A-Z'\-]+(?: [A-Z][A-Z'\-]+)*), (?P<first>[A-Z][A-Z. ]*)$"
)


def participant_from_tag(tag: str) -> dict[str, Any] | None:
    """A person TAG ("BIDEN, JOSEPH") as a participant ("Joseph Biden"), else None."""
    if "," not in tag:
        return None  # a code ("PGOV"): person tags are the only ones with a comma
    match = _PERSON_TAG.match(" ".join(tag.split()).upper())
    if match is None:
        return None
    return make_participant(f"{match['first']} {match['last']}", source=SOURCE_TAG)


def participants_from_fields(
    signer: str | None, classified_by: dict[str, Any] | None, tags: list[str]
) -> list[dict[str, Any]]:
    """Participants named by the classifying official, the signer and person TAGS."""
    named = []
    if classified_by and classified_by.get("name"):
        named.append(
            participant_from_name(
                classified_by["name"], role=classified_by.get("title"), source=SOURCE_CLASSIFIED_BY
            )
        )
    if signer:
        named.append(participant_from_name(signer, source=SOURCE_SIGNER))
    found = [participant for participant in named if participant is not None]
    for tag in tags:
        # Person tags are the only ones with a comma: codes ("PGOV") are spared the call.
        if "," in tag and (from_tag := participant_from_tag(tag)) is not None:
            found.append(from_tag)
    return found


def parse_participants(text: str | scan.Body) -> list[dict[str, Any]]:
    """Every participant of a cable or fragment: lists, Classified By, signer, person TAGS."""
    body = scan.as_body(text)
    listed = parse_participant_lists(body)
    others = participants_from_fields(
        fields.parse_signer(body), fields.parse_classified_by(body), fields.parse_tags(body)
    )
    return merge_participants(listed, others)


def people(
    text: str | scan.Body, named: list[dict[str, Any]], subject: str | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The participants of a cable (lists, the narrative, then the `named` ones: signer,
    classifying official, person TAGS) and the people it only mentions, each person once."""
    body = scan.as_body(text)
    taking_part: list[dict[str, Any]] = []
    mentioned: list[dict[str, Any]] = []
    listed = parse_participant_lists(body)
    listed_words = [name_words(participant) for participant in listed]
    writers = [(p, offices) for p in named if p["how"] == HOW_WROTE and (offices := _offices(p))]
    reading = narrative.read_narrative(body.text, subject, offices=bool(writers))
    held: set[str | None] = set()
    if writers:
        held = {narrative.office_of(p["role"]) for p in listed} | {
            narrative.office_of(p.role) for p in reading.people
        }
    for writer, offices in writers:
        if writer["role"] is None:
            offices -= held  # the Charge of the list or the narrative is not the signer
        if offices & reading.offices:
            # "X told the Ambassador": the Ambassador who classified or signed it met X
            writer["how"] = HOW_MET
    for person in reading.people:
        name = " ".join(person.words)
        words = [word.lower() for word in person.words]
        lone = len(words) == 1 and person.role is None
        if listed and lone and not any(same_person(words, known) for known in listed_words):
            # A lone surname that a cable's participants list lacks is a variant spelling
            # or someone talked about.
            mentioned.append(make_participant(name, role=person.role, source=SOURCE_TEXT))
        elif person.how is None:
            mentioned.append(make_participant(name, role=person.role, source=SOURCE_TEXT))
        else:
            taking_part.append(
                make_participant(name, role=person.role, source=SOURCE_TEXT, how=person.how)
            )
    found = _first_names_joined(merge_participants(listed, taking_part, named))
    return found, _others(found, mentioned)


def _first_names_joined(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One person once where the narrative names someone by first name alone ("President
    Bashar" beside "Bashar al-Asad"): a one-word name that is the first name of exactly one
    other participant joins them."""
    firsts: dict[str, list[dict[str, Any]]] = {}
    for participant in found:
        if len(participant["search_words"]) > 1:
            firsts.setdefault(participant["search_words"][0], []).append(participant)
    kept = []
    for participant in found:
        words = participant["search_words"]
        owners = firsts.get(words[0], []) if len(words) == 1 else []
        if len(owners) == 1:
            join_taking_part(owners[0], participant)
        else:
            kept.append(participant)
    return kept


def _offices(participant: dict[str, Any]) -> set[str]:
    """The US offices a signer or Classified By official may hold: that of their title; a
    signer without one signs as the chief of mission (Ambassador or Charge)."""
    office = narrative.office_of(participant["role"])
    if office:
        return {office}
    if participant["sources"] == [SOURCE_SIGNER]:
        return {"ambassador", "charge"}
    return set()


def _others(found: list[dict[str, Any]], mentioned: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The mentioned people who are none of the participants, in the mentioned shape."""
    known = [name_words(participant) for participant in found]
    first_names = {words[0] for words in known if len(words) > 1}
    others = []
    for person in merge_participants(mentioned):
        words = name_words(person)
        if len(words) == 1 and words[0] in first_names:
            continue  # "Walid" beside the participant "Walid al-Muallim"
        if not any(same_person(words, taken) for taken in known):
            others.append({key: person[key] for key in _MENTIONED_KEYS})
    return others


_MENTIONED_KEYS: Final = ("name", "search_key", "search_words", "role", "affiliation")
