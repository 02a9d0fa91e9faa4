"""The `q` parameter: full text over subject and body, and what it means for every engine.

Syntax: words, "quoted phrases" and -excluded words or -"phrases". Every word and phrase must
be present (AND); excluded ones must not.

Semantics (the one definition every storage engine meets; tests/query/test_fulltext.py and
the engine comparisons of tests/api hold them to it):

- A text is a sequence of words: the runs of letters, digits and `_` (`\\w+`), folded for case
  and accents (`Préval` is `preval`). Everything else separates words and is not searched.
- A term (word or phrase) is the words of what was typed (`U.S.` is `u s`, `"political
  opposition"` is `political opposition`), and is found where those words follow one another
  in the subject or in the body, whatever separates them (spaces, line breaks, punctuation).
  So a term matches whole words only: `-iran` excludes neither "Tirana" nor "Iranian".
- No stop words: `q=who` finds the cables saying "who".

The SQLite engine meets this with an FTS5 index (tokenizer unicode61, diacritics removed,
`_` a word character); the MongoDB engine with anchored regular expressions built from the
words (`term_pattern`), case-insensitive.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_QUERY_LENGTH = 500
MAX_TERMS = 20
# Excluded terms, of the MAX_TERMS: both engines answer them from their full-text index (one
# term and 19 excluded took 84 ms at 10,000 cables on SQLite, README Performance), so the
# bound is the number of terms itself.
MAX_EXCLUDED = MAX_TERMS - 1
TEXT_FIELDS = ("subject", "body")

# -"a phrase" | "a phrase" | -word | word
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_WORD_CHAR = re.compile(r"\w")


@dataclass(frozen=True)
class TextQuery:
    """Parsed `q`: terms that must appear and terms that must not."""

    required: tuple[str, ...]
    excluded: tuple[str, ...]


def parse(raw: str) -> TextQuery:
    """Split `q` into required and excluded terms; ValueError when nothing is required."""
    if len(raw) > MAX_QUERY_LENGTH:
        raise ValueError(f"must be at most {MAX_QUERY_LENGTH} characters")
    required: list[str] = []
    excluded: list[str] = []
    for match in _TOKEN.finditer(raw):
        negated = bool(match.group(1) or match.group(3))
        term = _SPACES.sub(" ", match.group(2) or match.group(4) or "").strip()
        if not _WORD_CHAR.search(term):
            continue  # a lone "-" or punctuation matches nothing useful
        (excluded if negated else required).append(term)
    if not required:
        raise ValueError("needs at least one word or phrase to find")
    if len(required) + len(excluded) > MAX_TERMS:
        raise ValueError(f"may hold at most {MAX_TERMS} words and phrases")
    if len(set(excluded)) > MAX_EXCLUDED:
        raise ValueError(f"may exclude at most {MAX_EXCLUDED} words and phrases")
    return TextQuery(tuple(dict.fromkeys(required)), tuple(dict.fromkeys(excluded)))


def fold_word(word: str) -> str:
    """A word folded for case and accents."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """The folded words of a text or term, in order."""
    return [fold_word(word) for word in _WORD.findall(text)]


def contains(text: str, term: str) -> bool:
    """Whether the term's words follow one another in the text: the reference meaning."""
    wanted = words(term)
    found = words(text)
    size = len(wanted)
    return any(found[i : i + size] == wanted for i in range(len(found) - size + 1))


def matches(query: TextQuery, texts: list[str]) -> bool:
    """Whether a cable with these texts (subject, body) answers the query."""

    def anywhere(term: str) -> bool:
        return any(contains(text, term) for text in texts)

    return all(anywhere(term) for term in query.required) and not any(
        anywhere(term) for term in query.excluded
    )


def term_pattern(term: str) -> str:
    """A regular expression (to run case-insensitively) finding the term's words in a row,
    anything but word characters between them, whole words only.

    The start-of-word check is a lookbehind after the first word (`nuclear(?<=\\bnuclear)`)
    rather than a leading `\\b`, so regex engines can scan for the literal first."""
    parts = [re.escape(word) for word in _WORD.findall(term.lower())]
    first = parts[0] + rf"(?<=\b{parts[0]})"
    return r"\W+".join([first, *parts[1:]]) + r"\b"
