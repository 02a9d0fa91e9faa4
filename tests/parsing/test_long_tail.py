"""Issue 15, the parser's long tail: one table per field, each row naming the cable it comes
from (fragments as cablemap's test cases quote them, tests/data/cablemap-cases)."""

from __future__ import annotations

import pytest

from service.parsing import parse_classified_by


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # suffixes stay in the name
        (
            "CLASSIFIED BY THOMAS W. SIMONS, JR., AMBASSADOR.\nREASON: 1.5 (B)",
            "Thomas W. Simons, Jr.",
        ),  # 96ISLAMABAD5972
        (
            "Classified By: Ambassador Richard L. Baltimore, III. \nReasons: 1.4 (b)",
            "Richard L. Baltimore, III",
        ),  # 04MUSCAT2112
        (
            "Classified By: AMBASSADOR JOHN L. WITHERS II FR REASONS 1.4 (b)",
            "John L. Withers II",
        ),  # 09TIRANA81
        # reasons split or misspelt end the name
        (
            "Classified By: Political Minister-Counselor Christopher R. Davis for re \n"
            "ason 1.4 (b/d)",
            "Christopher R. Davis",
        ),  # 10BRUSSELS66
        (
            "Classified By: (U) Classified by Economic Counselor Thomas Goldberger f \n"
            "or reasons 1.4 b,d.",
            "Thomas Goldberger",
        ),  # 04ANKARA5897
        (
            "CLASSIFIED BY: ACTING DEPUTY PRINCIPAL OFFICER LAURENT CHARBONNET.  REA \n"
            "SONS: 1.4 (B,D)",
            "Laurent Charbonnet",
        ),  # 06HONGKONG3559
        ("CLASSIFIED BY DCM\nTHEODORE KATTOUF - 1.5 B,D.", "Theodore Kattouf"),  # 95RIYADH5221
        (
            "Classified By: ECONOMIC COUNSELOR BOB SILVERMAN \n FOR 12958 1.4 B, D, AND E",
            "Bob Silverman",
        ),  # 07RIYADH1028
        ("Classified By: Pol/Econ Chief Glenn Warren under 1.4 b/d", "Glenn Warren"),  # 07HARARE680
        # the page marker after a name is no part of it
        (
            "CLASSIFIED BY AMBASSADOR TOM MCDONALD. \n   CONFIDENTIAL \n",
            "Tom McDonald",
        ),  # 00HARARE3759
        # misspelt titles and titles the lists lack
        (
            "Classified By: Ambassaor Joseph LeBaron for reasons 1.4 (b and d).",
            "Joseph LeBaron",
        ),  # 09DOHA404
        (
            "Classified By: AMBASSSADOR MARGUERITA D. RAGSDALE. \nREASONS 1.4 (B)",
            "Marguerita D. Ragsdale",
        ),  # 04DJIBOUTI1541
        (
            "Classified By: ISN/MTR Direcotr Pam Durham. \nReason:  1.4 (B), (D).",
            "Pam Durham",
        ),  # 08STATE109148
        (
            "Classified By: AF Acting DAS Mark Boulware,  Reasons 1.4 (b) and (d).",
            "Mark Boulware",
        ),  # 09STATE14163
        (
            "Classified By: Acting DCM/Ted Osius for reasons 1.4 (b and d)",
            "Ted Osius",
        ),  # 07NEWDELHI5334
        # a title that ends with a place or an English word
        (
            "Classified By: Special Representative for Afghanistan and Pakistan \n"
            "Richard C. Holbrooke \n\n1.  (U)",
            "Richard C. Holbrooke",
        ),  # 09STATE75025
        (
            "1.  CLASSIFIED BY AMBASSADOR TO SUDAN TIMOTHY CARNEY.\nREASON 1.5(D).",
            "Timothy Carney",
        ),  # 96NAIROBI6573
        (
            "Classified By: DOS CLASSIFICATION GUIDE BY MARY TOWNSWICK \n\n1.  (C)",
            "Mary Townswick",
        ),  # 06ISLAMABAD16739
        # first names that are English words, particles, nicknames, initials without a stop
        (
            "Classified By: Deputy Principal Officer Win Dayton; Reason 1.5 (d)",
            "Win Dayton",
        ),  # 09ISTANBUL399
        (
            "Classified By: Ambassador Carol van Voorst, reasons 1.4 (b) and (d)",
            "Carol van Voorst",
        ),  # 08REYKJAVIK173
        (
            "Classified By: Director Patricia \n A McNerney for reasons 1.4 (b) and (d)",
            "Patricia A McNerney",
        ),  # 09KABUL1233
        ("Classified By: Pol-Mil Counselor A.F. Godfrey \n\n1. (C)", "A.F. Godfrey"),  # 09ANKARA63
    ],
)
def test_classified_by_name(text: str, name: str) -> None:
    found = parse_classified_by(text)
    assert found is not None
    assert found["name"] == name
