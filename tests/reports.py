"""Rates that some tests measure (agreement with the sources, cablemap cases, people read),
kept here and printed once after the run (tests/conftest.py's terminal summary) rather than in
the middle of pytest's dots."""

from __future__ import annotations

_REPORTS: list[str] = []


def report(text: str) -> None:
    """Keep a report (a few lines) for the end of the run."""
    _REPORTS.append(text.strip("\n"))


def reports() -> list[str]:
    """The reports kept so far, in the order they came."""
    return list(_REPORTS)
