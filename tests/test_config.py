"""The settings table, and the two documents that list it, agree."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from service.config import SETTINGS, load_settings

ROOT = Path(__file__).resolve().parents[1]
ENV_LINE = re.compile(r"^([A-Z][A-Z0-9_]*)=(.*)$", re.MULTILINE)
# A README row: | `NAME` | `default` | ... |, with "(empty)" for an empty default.
README_ROW = re.compile(r"^\| `([A-Z][A-Z0-9_]*)` \| (?:`([^`]*)`|\(empty\)) \|", re.MULTILINE)


def documented(pattern: re.Pattern[str], path: Path) -> dict[str, str]:
    """name -> default as a document lists them."""
    return dict(pattern.findall(path.read_text(encoding="utf-8")))


def expected_defaults() -> dict[str, str]:
    """name -> default as text, from the settings table."""
    return {name: str(default) for name, (default, _convert) in SETTINGS.items()}


@pytest.mark.parametrize(
    ("document", "pattern"),
    [(".env.example", ENV_LINE), ("README.md", README_ROW)],
)
def test_every_setting_is_documented_with_its_default(document, pattern):
    assert documented(pattern, ROOT / document) == expected_defaults()


def test_defaults_when_unset_or_empty():
    assert load_settings({}) == load_settings({name: "" for name in SETTINGS})
    assert load_settings({})["MAX_CABLE_BYTES"] == 5 * 1024 * 1024


def test_values_are_converted():
    settings = load_settings({"PORT": "9000", "LOG_FORMAT": "json"})
    assert settings["PORT"] == 9000
    assert settings["LOG_FORMAT"] == "json"


def test_a_bad_number_names_the_setting():
    with pytest.raises(ValueError, match="MAX_CABLE_BYTES"):
        load_settings({"MAX_CABLE_BYTES": "five"})
