#!/usr/bin/env python3
"""Write N realistic cables by recombining the real corpus, as files or a Cablegate cables.csv.

    scripts/make_corpus.py --n 10000 --out /tmp/cables.csv --format csv --seed 1

Each generated cable takes its station, origin, FM/DE/TO/INFO lines, TAGS and subject from
one real "template" cable and its paragraphs from that cable and from others; reference
ids, dates, classification, REF lines, participant paragraphs and length are drawn anew.
Output is deterministic for a seed and written as it is made (100,000 cables never sit in
memory: only the dates, one per cable, and a window of recent ids for REF lines do).
"""

from __future__ import annotations

import argparse
import bisect
import csv
import html
import math
import random
import re
import sys
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT / "tests" / "data" / "corpus"

# Cablegate's classification counts (WikiLeaks figures for the 251,287 cables; see
# tests/data/reference or ../shared/reference/classification.csv).
CLASSIFICATION_WEIGHTS = {
    "UNCLASSIFIED": 75_792,
    "UNCLASSIFIED//FOR OFFICIAL USE ONLY": 58_095,
    "CONFIDENTIAL": 97_070,
    "CONFIDENTIAL//NOFORN": 4_678,
    "SECRET": 11_322,
    "SECRET//NOFORN": 4_330,
}
# classification -> (text classification line, ZN security warning, paragraph marking).
CLASSIFICATION_STYLE = {
    "UNCLASSIFIED": ("UNCLAS", "ZNR UUUUU ZZH", "U"),
    "UNCLASSIFIED//FOR OFFICIAL USE ONLY": ("UNCLAS", "ZNR UUUUU ZZH", "SBU"),
    "CONFIDENTIAL": ("C O N F I D E N T I A L", "ZNY CCCCC ZZH", "C"),
    "CONFIDENTIAL//NOFORN": ("C O N F I D E N T I A L", "ZNY CCCCC ZZH", "C/NF"),
    "SECRET": ("S E C R E T", "ZNY SSSSS ZZH", "S"),
    "SECRET//NOFORN": ("S E C R E T", "ZNY SSSSS ZZH", "S/NF"),
}
# Share of cables per span of years (approximate Cablegate shape: most cables 2004-2010,
# a thin tail back to 1966).
YEAR_SPANS = [
    ((1966, 1989), 0.004),
    ((1990, 1999), 0.006),
    ((2000, 2003), 0.04),
    ((2004, 2004), 0.04),
    ((2005, 2005), 0.07),
    ((2006, 2006), 0.16),
    ((2007, 2007), 0.19),
    ((2008, 2008), 0.22),
    ((2009, 2009), 0.24),
    ((2010, 2010), 0.03),
]
LAST_DAY = datetime(2010, 2, 28, 23, 59, tzinfo=UTC)
# Lengths (bytes of header + content): log-normal around the real ~5 KB median, clipped.
MEDIAN_BYTES = 5_000
LENGTH_SIGMA = 0.85
MIN_BYTES = 1_024
MAX_BYTES = 100 * 1_024
TARGET_SLACK = 300  # the last paragraph may end short of the target by about this much
SECTION_BYTES = 12_000  # a telegram section holds about this much text
RECENT_WINDOW = 5_000  # REF lines cite one of the last this-many generated cables
MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
PRECEDENCES = [("R", "ROUTINE", 0.35), ("P", "PRIORITY", 0.45), ("O", "IMMEDIATE", 0.2)]

PRE_RE = re.compile(r"<pre>(.*?)</pre>", re.S)
TAG_RE = re.compile(r"<[^>]+>")
REFERENCE_ID_RE = re.compile(r"^(\d{2})([A-Z]+?)(\d+)$")
PARAGRAPH_START_RE = re.compile(r"^[ \t]*(?:¶)?\d{1,2}\.\s+(?:\([A-Z/ ]{1,8}\)\s*)?", re.M)
SUBJECT_RE = re.compile(
    r"^SUBJECT:\s*(.+?)(?:\n[ \t]*\n|\n(?=REF|Classified|CLASSIFIED))", re.M | re.S
)
TAGS_RE = re.compile(r"^TAGS:?\s*(.+)$", re.M)
CLASSIFIED_BY_RE = re.compile(
    r"^Classified By:\s*(.{5,80}?)(?:[,.;]?\s+(?:for\s+)?reasons?\b|[,.;]\s*1\.[45])", re.M | re.I
)
SIGNER_RE = re.compile(r"\n[ \t]*([A-Z][A-Z'\-]{2,20})[ \t]*\s*$")
PAGE_MARKER_RE = re.compile(r"^.*PAGE \d\d .*$", re.M)
FM_RE = re.compile(r"^FM\s+(.+?)\s*$", re.M)
DE_RE = re.compile(r"^DE\s+(R[A-Z]{4,6})\b", re.M)
TO_RE = re.compile(r"^TO\s+(.+?)\s*$", re.M)
INFO_BLOCK_RE = re.compile(r"^INFO\s+(.+?)(?=\n[A-Z]{1,3} [A-Z]|\n?\Z)", re.M | re.S)
ADDRESS_TAIL_RE = re.compile(
    r"(?:\s+(?:FLASH|NIACT IMMEDIATE|IMMEDIATE|PRIORITY|ROUTINE))?(?:\s+\d+)?\s*$"
)
LEADING_SUMMARY_RE = re.compile(r"^(?:summary|begin summary)\s*[:.\-]*\s*", re.I)
NOT_A_NAME = ("XXXX", "CLASSIFIED", "REASON")
NOT_A_SIGNER = {
    "CONFIDENTIAL",
    "SECRET",
    "UNCLASSIFIED",
    "UNCLAS",
    "NOFORN",
    "SIPDIS",
    "END",
    "NNNN",
}


@dataclass
class Template:
    """What one real cable lends to the cables generated from it."""

    reference_id: str
    station: str
    origin: str
    from_line: str
    routing: str
    to_lines: list[str]
    info_lines: list[str]
    tags_line: str
    subject: str
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class Pools:
    """Everything the generator recombines, read once from the corpus."""

    templates: list[Template]
    paragraphs: list[str]
    officials: list[str]
    signers: list[str]
    participants: list[str]


@dataclass
class Cable:
    """One generated cable, in the fields of a cables.csv row."""

    row: int
    created: datetime
    reference_id: str
    origin: str
    classification: str
    references: list[str]
    header: str
    content: str

    def text(self) -> str:
        """The cable as one telegram: header, newline, content."""
        return f"{self.header}\n{self.content}"


# ---------------------------------------------------------------- reading the real corpus


def read_text(path: Path) -> tuple[str, str] | None:
    """(header, body) of a corpus file, or None for forms we do not recombine."""
    raw = path.read_bytes()
    if path.suffix == ".html":
        blocks = PRE_RE.findall(raw.decode("utf-8", "replace"))
        if len(blocks) < 2:
            return None  # PlusD pages: another layout, and only three of them
        header, body = (html.unescape(TAG_RE.sub("", block)) for block in blocks[:2])
        return header, body
    if path.suffix == ".txt":
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", "replace")  # the telegram-txt files are cp1252
        text = text.replace("\r\n", "\n").strip("\n")
        match = re.search(r"^(UNCLAS|C O N F|S E C R E T|CONFIDENTIAL|SECRET|LIMITED)", text, re.M)
        if not match:
            return None
        return text[: match.start()], text[match.start() :]
    return None


def split_paragraphs(body: str) -> list[str]:
    """The numbered paragraphs of a body, without their number, marking or page markers."""
    body = PAGE_MARKER_RE.sub("", body)
    starts = list(PARAGRAPH_START_RE.finditer(body))
    paragraphs = []
    for match, following in zip(starts, [*starts[1:], None], strict=False):
        text = body[match.end() : following.start() if following else len(body)]
        if following is None:
            text = SIGNER_RE.sub("", text)  # the last paragraph ends with the signature
        text = re.sub(r"\n{3,}", "\n\n", text).strip()
        if 80 <= len(text) <= 12_000 and "XXXXXXXXXXXX" not in text[:40]:
            paragraphs.append(text)
    return paragraphs


def header_lines(header: str) -> tuple[str | None, str | None, list[str], list[str]]:
    """FM address, DE routing indicator, TO lines and INFO lines of a routing header."""
    from_match = FM_RE.search(header)
    routing_match = DE_RE.search(header)
    to_match = TO_RE.search(header)
    info_match = INFO_BLOCK_RE.search(header)
    info = []
    if info_match:
        info = [line.strip() for line in info_match.group(1).splitlines() if line.strip()]
    return (
        from_match.group(1) if from_match else None,
        routing_match.group(1) if routing_match else None,
        [to_match.group(1)] if to_match else [],
        info[:40],
    )


def read_index(corpus: Path) -> list[dict[str, str]]:
    """The corpus INDEX.csv rows."""
    with (corpus / "INDEX.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_pools(corpus: Path = DEFAULT_CORPUS) -> Pools:
    """Read the real corpus into the pools the generator draws from."""
    templates: list[Template] = []
    paragraphs: list[str] = []
    officials: list[str] = []
    signers: list[str] = []
    for row in read_index(corpus):
        id_match = REFERENCE_ID_RE.match(row["reference_id"])
        text = read_text(corpus / "cables" / row["file"])
        if not id_match or text is None or not row["origin"]:
            continue
        header, body = text
        own = split_paragraphs(body)
        paragraphs.extend(own)
        officials.extend(match.group(1).strip() for match in CLASSIFIED_BY_RE.finditer(body))
        signer = SIGNER_RE.search(body.rstrip())
        if signer:
            signers.append(signer.group(1))
        from_line, routing, to_lines, info_lines = header_lines(header)
        tags = TAGS_RE.search(body)
        subject = SUBJECT_RE.search(body)
        if from_line and routing and tags and subject and own:
            templates.append(
                Template(
                    reference_id=row["reference_id"],
                    station=id_match.group(2),
                    origin=row["origin"],
                    from_line=from_line,
                    routing=routing,
                    to_lines=[ADDRESS_TAIL_RE.sub("", line) for line in to_lines]
                    or ["RUEHC/SECSTATE WASHDC"],
                    info_lines=info_lines,
                    tags_line=tags.group(1).strip(),
                    subject=" ".join(subject.group(1).split()),
                    paragraphs=own,
                )
            )
    if not templates:
        raise SystemExit(f"make_corpus: no usable cables under {corpus}")
    officials = sorted(
        {name for name in officials if not any(word in name.upper() for word in NOT_A_NAME)}
    )
    signers = [name for name in signers if name not in NOT_A_SIGNER]
    return Pools(
        templates=templates,
        paragraphs=paragraphs,
        officials=officials or ["Ambassador"],
        signers=sorted(set(signers)) or ["RICE"],
        participants=officials or ["Ambassador"],
    )


# ---------------------------------------------------------------- drawing the cables


def cumulative(weights: list[float]) -> list[float]:
    """Running sums, for weighted draws with bisect."""
    total, sums = 0.0, []
    for weight in weights:
        total += weight
        sums.append(total)
    return sums


def draw_dates(n: int, rng: random.Random) -> list[datetime]:
    """N creation times following YEAR_SPANS, sorted like the cables.csv rows."""
    sums = cumulative([share for _, share in YEAR_SPANS])
    minutes = []
    for _ in range(n):
        (first, last), _share = YEAR_SPANS[bisect.bisect(sums, rng.random() * sums[-1])]
        start = datetime(first, 1, 1, tzinfo=UTC)
        end = min(datetime(last + 1, 1, 1, tzinfo=UTC), LAST_DAY)
        minutes.append(
            int(start.timestamp() // 60) + rng.randrange(int((end - start) / timedelta(minutes=1)))
        )
    minutes.sort()
    return [datetime.fromtimestamp(minute * 60, tz=UTC) for minute in minutes]


def draw_length(rng: random.Random) -> int:
    """A target size in bytes: log-normal around the real median, within the bounds."""
    size = int(MEDIAN_BYTES * math.exp(rng.gauss(0.0, LENGTH_SIGMA)))
    return max(MIN_BYTES + TARGET_SLACK, min(MAX_BYTES, size))


def station_name(template: Template) -> str:
    """How the station is written in text lines: the FM address without the post type."""
    if template.station == "STATE":
        return "STATE"
    words = template.from_line.split()
    return " ".join(words[1:]) if len(words) > 1 else template.station


def cite(reference_id: str, rng: random.Random) -> str:
    """A REF-line citation of a generated cable, in one of the forms real cables use."""
    match = REFERENCE_ID_RE.match(reference_id)
    if match is None or rng.random() < 0.5:
        return reference_id  # "06ALMATY1457"
    year, station, serial = match.groups()
    return f"{year} {station} {int(serial)}"  # "06 ALMATY 1457"


def fit(text: str, room: int) -> str:
    """Cut `text` at a word boundary so that it takes at most `room` bytes."""
    if len(text.encode("utf-8")) <= room:
        return text
    cut = text.encode("utf-8")[: max(room, 0)].decode("utf-8", "ignore")
    sentence_end = cut.rfind(". ")
    if sentence_end > len(cut) * 4 // 5:
        return cut[: sentence_end + 1]  # end on a whole sentence when one is close
    return cut.rsplit(" ", 1)[0] if " " in cut else cut


class CableGenerator:
    """Draws cables one at a time; deterministic for a seed."""

    def __init__(self, pools: Pools, n: int, seed: int) -> None:
        self.pools = pools
        self.rng = random.Random(seed)
        self.dates = draw_dates(n, self.rng)
        self.classifications = list(CLASSIFICATION_WEIGHTS)
        self.classification_sums = cumulative(list(CLASSIFICATION_WEIGHTS.values()))
        self.serials: dict[tuple[str, str], int] = {}
        self.recent: deque[str] = deque(maxlen=RECENT_WINDOW)

    def __iter__(self) -> Iterator[Cable]:
        for row, created in enumerate(self.dates, start=1):
            cable = self.make(row, created)
            self.recent.append(cable.reference_id)
            yield cable

    def next_serial(self, year: str, station: str) -> int:
        """A serial that only grows within (year, station), so ids never repeat."""
        key = (year, station)
        serial = self.serials.get(key, self.rng.randint(1, 400)) + self.rng.randint(1, 25)
        self.serials[key] = serial
        return serial

    def classification(self) -> str:
        """A classification in the Cablegate proportions."""
        draw = self.rng.random() * self.classification_sums[-1]
        return self.classifications[bisect.bisect(self.classification_sums, draw)]

    def make(self, row: int, created: datetime) -> Cable:
        """One cable."""
        rng = self.rng
        template = rng.choice(self.pools.templates)
        year = f"{created.year % 100:02d}"
        serial = self.next_serial(year, template.station)
        reference_id = f"{year}{template.station}{serial}"
        classification = self.classification()
        references = sorted(
            set(
                rng.sample(
                    list(self.recent), k=min(len(self.recent), rng.choice((0, 0, 1, 1, 2, 3)))
                )
            )
        )
        header = self.header(template, created, serial, classification)
        content = self.content(template, created, serial, classification, references, len(header))
        return Cable(
            row, created, reference_id, template.origin, classification, references, header, content
        )

    def header(
        self, template: Template, created: datetime, serial: int, classification: str
    ) -> str:
        """The routing header: modern VZCZC form, or the short form of old cables."""
        rng = self.rng
        letter, precedence, _ = rng.choices(PRECEDENCES, weights=[p[2] for p in PRECEDENCES])[0]
        dtg = f"{created:%d%H%M}Z {MONTHS[created.month - 1]} {created:%y}"
        info = template.info_lines[: rng.randint(0, len(template.info_lines))]
        to_line = f"{template.to_lines[0]} {precedence} {rng.randint(1, 9999):04d}"
        if created.year < 1990:
            lines = [f"{letter} {dtg}", f"FM {template.from_line}", f"TO {to_line}"]
        else:
            day_of_year = created.timetuple().tm_yday
            lines = [
                f"VZCZCXRO{rng.randint(0, 9999):04d}",
                f"{letter}{letter} {template.routing}",
                f"DE {template.routing} #{serial % 10000:04d}/01 {day_of_year:03d}{created:%H%M}",
                CLASSIFICATION_STYLE[classification][1],
                f"{letter} {dtg}",
                f"FM {template.from_line}",
                f"TO {to_line}",
            ]
        if info:
            lines.append(f"INFO {info[0]}")
            lines.extend(info[1:])
        return "\n".join(lines)

    def content(
        self,
        template: Template,
        created: datetime,
        serial: int,
        classification: str,
        references: list[str],
        header_bytes: int,
    ) -> str:
        """The text: classification line, captions, E.O., TAGS, SUBJECT, REF, paragraphs."""
        rng = self.rng
        line, _, marking = CLASSIFICATION_STYLE[classification]
        target = draw_length(rng)
        sections = max(1, math.ceil(target / SECTION_BYTES))
        place = f"{station_name(template)} {serial:06d}"
        opening = [f"{line} SECTION 01 OF {sections:02d} {place}", ""]
        if classification.endswith("NOFORN"):
            opening += ["NOFORN", ""]
        if "OFFICIAL USE" in classification:
            opening += ["SENSITIVE", ""]
        if created.year >= 2006:
            opening += ["SIPDIS", ""]
        opening += [self.executive_order(created, classification), f"TAGS: {template.tags_line}"]
        opening += [f"SUBJECT: {template.subject}", ""]
        if references:
            opening += [self.ref_line(references), ""]
        if marking not in ("U", "SBU"):
            official = rng.choice(self.pools.officials)
            opening += [f"Classified By: {official}, for reasons 1.4 (b) and (d)", ""]
        signer = rng.choice(self.pools.signers)
        budget = target - header_bytes - len("\n".join(opening).encode("utf-8")) - len(signer) - 4
        body = self.paragraphs(
            template,
            marking,
            budget,
            sections,
            f"{line} SECTION {{:02d}} OF {sections:02d} {place}",
        )
        return "\n".join([*opening, body, "", signer, ""])

    def ref_line(self, references: list[str]) -> str:
        """The REF line: one citation, or lettered ones."""
        if len(references) == 1:
            return f"REF: {cite(references[0], self.rng)}"
        bullets = [f"{chr(65 + i)}. {cite(ref, self.rng)}" for i, ref in enumerate(references)]
        return f"REF: {' '.join(bullets)}"

    def executive_order(self, created: datetime, classification: str) -> str:
        """The E.O. line of the era, with a declassification date for classified cables."""
        order = "12958" if created.year >= 1995 else "12356"
        if classification.startswith("UNCLASSIFIED"):
            return f"E.O. {order}: N/A"
        declassify = created.replace(year=min(created.year + 10, 2035), day=min(created.day, 28))
        return f"E.O. {order}: DECL: {declassify:%m/%d/%Y}"

    def paragraphs(
        self, template: Template, marking: str, budget: int, sections: int, section_line: str
    ) -> str:
        """Numbered paragraphs filling `budget` bytes: summary, participants, recombined text."""
        rng = self.rng
        sources = iter(
            [*template.paragraphs, *(rng.choice(self.pools.paragraphs) for _ in range(400))]
        )
        parts: list[str] = []
        used = 0
        number = 1
        section = 1
        while used < budget:
            text = next(sources, None)
            if text is None:
                break
            if number == 1:
                text = f"Summary: {LEADING_SUMMARY_RE.sub('', text)}"
                if "END SUMMARY" not in text.upper():
                    text += " End Summary."
            elif number == 2 and rng.random() < 0.35:
                text = self.participants(template)
            room = budget - used - 12
            if room < 60 and parts:
                break  # too little room left for a real paragraph
            paragraph = f"{number}. ({marking}) {fit(text, room)}"
            parts.append(paragraph)
            used += len(paragraph.encode("utf-8")) + 2
            number += 1
            if sections > 1 and used > section * budget / sections and section < sections:
                section += 1
                parts.append(section_line.format(section))
                used += len(section_line) + 2
        return "\n\n".join(parts)

    def participants(self, template: Template) -> str:
        """A participant paragraph: U.S. officials, then the other side."""
        rng = self.rng
        names = rng.sample(
            self.pools.participants, k=min(len(self.pools.participants), rng.randint(3, 7))
        )
        split = max(1, len(names) // 2)
        return "\n".join(
            ["Participants:", "", "U.S.", *names[:split], "", "Host side", *names[split:]]
        )


# ---------------------------------------------------------------- writing


def mysql_field(value: str) -> str:
    """One double-quoted cables.csv field, quotes backslash-escaped as MySQL dumps them."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("'", "\\'")
    return f'"{escaped}"'


def csv_row(cable: Cable) -> str:
    """A cables.csv line: row, date, id, origin, classification, references, header, content."""
    created = cable.created
    date = f"{created.month}/{created.day}/{created.year} {created.hour}:{created.minute:02d}"
    fields = [
        str(cable.row),
        date,
        cable.reference_id,
        cable.origin,
        cable.classification,
        "|".join(cable.references),
        cable.header,
        cable.content,
    ]
    return ",".join(mysql_field(value) for value in fields) + "\n"


def write_csv(cables: Iterator[Cable], handle: TextIO) -> int:
    """Stream cables as cables.csv rows; return the count."""
    count = 0
    for cable in cables:
        handle.write(csv_row(cable))
        count += 1
    return count


def write_files(cables: Iterator[Cable], folder: Path) -> int:
    """Stream cables as one <ID>.txt telegram file each; return the count."""
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for cable in cables:
        (folder / f"{cable.reference_id}.txt").write_text(cable.text(), encoding="utf-8")
        count += 1
    return count


def generate(n: int, seed: int = 0, corpus: Path = DEFAULT_CORPUS) -> Iterator[Cable]:
    """N generated cables, lazily."""
    return iter(CableGenerator(load_pools(corpus), n, seed))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, required=True, help="how many cables")
    parser.add_argument("--out", type=Path, required=True, help="a .csv file or a folder")
    parser.add_argument(
        "--format", choices=("files", "csv"), default=None, help="default: by --out suffix"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--corpus", type=Path, default=DEFAULT_CORPUS, help="the real corpus folder"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Write the corpus and say how much was written."""
    args = parse_args(argv)
    if args.n < 1:
        raise SystemExit("make_corpus: --n must be at least 1")
    output_format = args.format or ("csv" if args.out.suffix == ".csv" else "files")
    cables = generate(args.n, args.seed, args.corpus)
    if output_format == "csv":
        args.out.parent.mkdir(parents=True, exist_ok=True)
        with args.out.open("w", encoding="utf-8", newline="") as handle:
            count = write_csv(cables, handle)
    else:
        count = write_files(cables, args.out)
    print(f"make_corpus: wrote {count} cables to {args.out} ({output_format})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
