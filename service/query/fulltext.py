"""The `q` parameter: full text over subject and body.

Syntax: words, "quoted phrases" and -excluded words or -"phrases". Every word and phrase must
be present (AND); excluded ones must not.

- Real MongoDB: one `$text` query on the `subject_body_text` index. Each word is passed as a
  quoted phrase because `$text` ORs bare words but ANDs phrases; the text score is returned
  and `sort=relevance` orders by it.
- Embedded store (mongomock has no `$text`): the documented slower fallback, one escaped,
  case-insensitive regex per term over subject and body, matching whole words. It reads every
  body, so it is linear in the collection size; there is no score, and `sort=relevance` falls
  back to the default order (newest first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

MAX_QUERY_LENGTH = 500
MAX_TERMS = 20
# Each excluded term is one more pass over every matching body on the embedded store (one
# term and 19 excluded cost 20 times a plain query): at most this many.
MAX_EXCLUDED = 5
TEXT_FIELDS = ("subject", "body")

# -"a phrase" | "a phrase" | -word | word
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')
_SPACES = re.compile(r"\s+")
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


def text_search_string(query: TextQuery) -> str:
    """The `$search` string: every term quoted (AND), excluded ones prefixed with -."""
    quoted = [_quote(term) for term in query.required]
    quoted += ["-" + _quote(term) for term in query.excluded]
    return " ".join(quoted)


def _quote(term: str) -> str:
    """A term as a $text phrase; inner quotes and backslashes cannot occur (see _TOKEN)."""
    return '"' + term.replace("\\", " ") + '"'


def term_pattern(term: str) -> str:
    """An escaped regex for a term as whole words, any whitespace between its words.

    The start-of-word check is a lookbehind after the first word (`nuclear(?<=\\bnuclear)`)
    rather than a leading `\\b`, so regex engines can scan for the literal first: ~50 times
    faster in Python. Lower case (the clause is case-insensitive anyway) lets the embedded
    store's matcher search lowered text instead of using the slow case-insensitive mode.
    """
    words = [re.escape(word) for word in term.lower().split(" ")]
    first = words[0]
    if _WORD_CHAR.match(term[0]):
        first += rf"(?<=\b{words[0]})"
    pattern = r"\s+".join([first, *words[1:]])
    if _WORD_CHAR.match(term[-1]):
        pattern += r"\b"
    return pattern


def _term_clauses(term: str) -> list[dict[str, Any]]:
    """One regex clause per text field for a term."""
    regex = {"$regex": term_pattern(term), "$options": "i"}
    return [{field: regex} for field in TEXT_FIELDS]


def fallback_clause(query: TextQuery) -> dict[str, Any]:
    """Regex clauses for the embedded store: every required term somewhere, no excluded one."""
    clauses: list[dict[str, Any]] = [{"$or": _term_clauses(term)} for term in query.required]
    if query.excluded:
        clauses.append({"$nor": [c for term in query.excluded for c in _term_clauses(term)]})
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def build_clause(query: TextQuery, *, embedded: bool) -> dict[str, Any]:
    """The `q` clause: $text on a real server, the regex fallback on the embedded store."""
    if embedded:
        return fallback_clause(query)
    return {"$text": {"$search": text_search_string(query)}}
