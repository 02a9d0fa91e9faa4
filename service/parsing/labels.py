"""Classification labels: Cablegate's label of a level and caveats, a source's label read, the
level and caveats of a bare telegram's banner and captions, and the routing header's level."""

from __future__ import annotations

import re
from typing import Any, Final

from service.parsing.header import LEVEL_NAMES, LEVELS

FOUO: Final = "FOR OFFICIAL USE ONLY"
# "SECRET (CURRENT: UNCLASSIFIED)": a PlusD label's note on the present classification.
CURRENT_CLASSIFICATION: Final = re.compile(r"\s*\(CURRENT:.*")


def classification_label(level: int | None, caveats: list[str]) -> str | None:
    """Cablegate's label for a level and caveats: 'CONFIDENTIAL//NOFORN', 'UNCLASSIFIED//FOR...'."""
    if level is None:
        return None
    name = LEVEL_NAMES[level]
    if level == 0 and FOUO in caveats:
        return f"{name}//{FOUO}"
    if level in (2, 3) and "NOFORN" in caveats:
        return f"{name}//NOFORN"
    return name


def normalize_classification(label: str) -> tuple[str | None, int | None, list[str]]:
    """A source's classification label -> (Cablegate label, level, caveats)."""
    words = " ".join(label.upper().replace("(", " (").split())
    if "(CURRENT:" in words:
        words = CURRENT_CLASSIFICATION.sub("", words)
    level_part, _, caveat_part = words.partition("//")
    level = LEVELS.get(level_part.replace(" ", ""))
    if level is None:
        return None, None, []
    caveats = [part.strip() for part in caveat_part.split("//") if part.strip()]
    if level == 0 and "SBU" in caveats:
        caveats = [FOUO if part == "SBU" else part for part in caveats]
    return classification_label(level, caveats) or level_part, level, caveats


# The security line of a routing header: "ZNY CCCCC", "ZNR UUUUU", "ZNY SSSSS" (or the five
# letters alone): the level the banner gives, where no banner can be read.
ROUTING_SECURITY: Final = re.compile(r"(?<![A-Z])(?:ZN[YR][ \t]+)?([UCST])\1{4}(?![A-Z])")
ROUTING_LEVELS: Final = {"U": 0, "C": 2, "S": 3, "T": 4}


def routing_level(header: str) -> int | None:
    """The level of a routing header's security line, or None."""
    found = ROUTING_SECURITY.search(header) if header else None
    return ROUTING_LEVELS[found.group(1)] if found else None


def classification_from_text(line: dict[str, Any], handling: list[str]) -> tuple[int, list[str]]:
    """Level and caveats of a bare telegram, from its classification line and handling captions."""
    level: int = line["level"]
    caveats: list[str] = []
    words = set(line["caveats"]) | set(handling)
    if "NOFORN" in words and level >= 2:
        caveats.append("NOFORN")
    if level == 0 and words & {"SENSITIVE", "EFTO", "SBU"}:
        caveats.append(FOUO)
    return level, caveats
