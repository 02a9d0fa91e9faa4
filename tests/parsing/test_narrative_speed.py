"""The narrative reader's shortcuts give the answers of the long way (docs/benchmarks/
2026-12-08-people-speed.md): the answers kept from cable to cable, the case-sensitive twins of
the trigger patterns, the sentence words cut without str.translate."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from service.parsing import narrative_runs, narrative_words
from service.parsing.narrative import clear_caches, narrative_zone, read_narrative, sentences
from service.parsing.narrative_words import lowered_twin, sentence_words, triggers

CABLES = Path(__file__).parents[1] / "data" / "corpus" / "cables"
TELEGRAMS = sorted(CABLES.glob("*.txt"))[:60]


def _sentences() -> list[str]:
    found: list[str] = []
    for path in TELEGRAMS:
        found.extend(sentences(narrative_zone(path.read_text("utf-8", "replace"))))
    return found


def _reading(body: str) -> list[tuple[list[str], str | None, str | None, int]]:
    return [
        (person.words, person.role, person.how, person.places)
        for person in read_narrative(body).people
    ]


def test_kept_answers_change_no_reading() -> None:
    """Each cable read with nothing kept, then again with every other cable's answers kept:
    the same people, roles, ways of taking part and counts."""
    bodies = [path.read_text("utf-8", "replace") for path in TELEGRAMS]
    alone = []
    for body in bodies:
        clear_caches()
        alone.append(_reading(body))
    assert any(alone), "the telegrams name people"
    for body in bodies:
        _reading(body)  # every run's answer kept
    assert [_reading(body) for body in bodies] == alone


def test_kept_answers_are_bounded() -> None:
    clear_caches()
    text = "".join(f"Minister Ab{n:05d}x Smith told the Ambassador. " for n in range(2_000))
    read_narrative("1. (C) " + text)
    assert 0 < len(narrative_runs._PLANS) <= narrative_runs._CACHE_LIMIT


@pytest.mark.parametrize(
    "pattern",
    [narrative_words.MEET_TRIGGER, narrative_words.ATTEND_TRIGGER, narrative_words.BRIEF_TRIGGER],
)
def test_trigger_twins_find_the_same_places(pattern: re.Pattern[str]) -> None:
    twin = lowered_twin(pattern)
    assert twin is not None
    found = 0
    for sentence in _sentences() + [
        "PolOff MET WITH the Minister",
        "Talks With X; tALKS wITH y",
        "Poloff Shared ref A POINTS on May 2 with Ivanov; the DCM demarched Petrov",
        "The U.S. Delegation INCLUDED Smith, Accompanied by Jones",
    ]:
        lowered = sentence.lower()
        expected = [(match.span(), match.lastgroup) for match in pattern.finditer(sentence)]
        got = [
            (match.span(), match.lastgroup) for match in triggers(pattern, twin, sentence, lowered)
        ]
        assert got == expected, sentence
        found += len(expected)
    assert found > 0


def test_no_twin_where_case_matters() -> None:
    assert lowered_twin(re.compile(r"(?i)met (?-i:[A-Z])")) is None
    assert lowered_twin(re.compile(r"(?i)\bMet\b")) is None
    assert lowered_twin(re.compile(r"\bmet\b")) is None
    # A sentence that is not ASCII takes the pattern itself: a case-insensitive "with" matches
    # "WıTH" (dotless i), which lower-casing leaves as it is; "İ" lengthens the text.
    pattern = narrative_words.MEET_TRIGGER
    for sentence in ("İstanbul talks with Smith", "Talks wıth Smith", "MET WıTH Smith"):
        lowered = sentence.lower()
        got = [
            match.span() for match in triggers(pattern, lowered_twin(pattern), sentence, lowered)
        ]
        assert got == [match.span() for match in pattern.finditer(sentence)] != []


def test_sentence_words_as_translate_cut_them() -> None:
    table = str.maketrans({char: " " for char in narrative_words.TO_BLANKS})
    for sentence in _sentences() + ["a,b;c:d(e)f[g]h\"i'j’k!l?m. n.", "“quoted” — (x)."]:
        lowered = sentence.lower()
        expected = frozenset(lowered.rstrip(".").replace(". ", " ").translate(table).split())
        assert sentence_words(lowered) == expected
