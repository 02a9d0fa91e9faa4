"""The Cablegate `cables.csv` dump: one cable per row, read as a stream.

The dump has no header row. Its columns are: row number, date `M/D/YYYY H:MM`, reference id,
origin, classification, references (`|`-separated), header, content. Quotes inside fields
are backslash-escaped, MySQL style (`\\"`), and fields span many lines.

Rows are found by their first line (`"123","1/2/2006 3:04","` never starts a line of cable
text), so a row with broken quoting is cut off at the next row's start: it is reported by
its line number and every other row still goes in.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from typing import IO, Any

from service.ingest.items import Item, broken

CSV_MEDIA_TYPE = "text/csv"
COLUMNS = (
    "row",
    "date",
    "reference_id",
    "origin",
    "classification",
    "references",
    "header",
    "content",
)
_ROW_START = re.compile(rb'"\d+","\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}","')
# A row start after a newline; the literal newline-quote prefix lets the regex engine skip
# ahead with a fast substring search instead of trying every position.
_NEXT_ROW = re.compile(b"\n" + _ROW_START.pattern)
_ROW_START_LOOKBACK = 64  # longer than any row start: one cut across two chunks is found again
_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d{2})$")
_CSV_DIALECT: dict[str, Any] = {"escapechar": "\\", "doublequote": False, "strict": True}
CHUNK_BYTES = 1024 * 1024


def read_cables_csv(stream: IO[bytes], *, name: str | None, max_row_bytes: int) -> Iterator[Item]:
    """Yield one item per row of a cables.csv stream; a broken row becomes a broken item.

    The stream is read in chunks and cut at row starts found by one regex scan, so a row
    costs a few C calls rather than a Python step per line.
    """
    # Python's csv refuses fields over 128 KiB by default; a cable may be MAX_CABLE_BYTES.
    # The limit is the process's: only ever raised.
    csv.field_size_limit(max(csv.field_size_limit(), max_row_bytes + 1))
    pending = b""  # the current row so far, and what follows it not yet cut
    line = 1  # the line the current row starts on
    too_big = False  # the current row passed the limit: its bytes are being dropped
    dropped_lines = 0  # how many lines of it were dropped
    scan_from = 0
    while True:
        chunk = stream.read(CHUNK_BYTES)
        pending += chunk
        row_begin = 0
        for match in _NEXT_ROW.finditer(pending, scan_from):
            row = pending[row_begin : match.start() + 1]
            if too_big or row.strip():  # blank lines between rows are no row
                yield _row_item(row, too_big, line, name, max_row_bytes)
            line += row.count(b"\n") + dropped_lines
            too_big, dropped_lines = False, 0
            row_begin = match.start() + 1
        pending = pending[row_begin:]
        if not chunk:
            if pending.strip() or too_big:
                yield _row_item(pending, too_big, line, name, max_row_bytes)
            return
        if len(pending) > max_row_bytes:
            # Past the limit the row is refused: drop its bytes up to the last newline (kept,
            # so that a row starting right after it is still found), or all but a tail.
            cut = pending.rfind(b"\n", 0, len(pending) - _ROW_START_LOOKBACK)
            if cut < 0:
                cut = len(pending) - _ROW_START_LOOKBACK
            too_big = True
            dropped_lines += pending.count(b"\n", 0, cut)
            pending = pending[cut:]
        scan_from = max(0, len(pending) - _ROW_START_LOOKBACK)


def _row_item(row: bytes, too_big: bool, line: int, name: str | None, max_row_bytes: int) -> Item:
    """Turn the bytes of one row into an item, or a broken item saying what is wrong."""
    if too_big or len(row) > max_row_bytes:
        return broken(f"row larger than {max_row_bytes} bytes", name=name, line=line)
    text = _decode(row)
    if not text.strip():
        return broken("blank lines where a row was expected", name=name, line=line)
    try:
        rows = list(csv.reader([text], **_CSV_DIALECT))
    except csv.Error as error:
        return broken(f"malformed CSV row: {error}", name=name, line=line)
    if len(rows) != 1 or len(rows[0]) != len(COLUMNS):
        found = sum(len(row) for row in rows)
        return broken(
            f"malformed CSV row: expected {len(COLUMNS)} quoted fields, found {found}",
            name=name,
            line=line,
        )
    fields = dict(zip(COLUMNS, rows[0], strict=True))
    created = _iso_datetime(fields["date"])
    if created is None:
        return broken(f"malformed CSV row: bad date {fields['date']!r}", name=name, line=line)
    return Item(
        data=f"{fields['header']}\n{fields['content']}",
        name=name,
        line=line,
        media_type=CSV_MEDIA_TYPE,
        format="csv-row",
        metadata={
            "reference_id": fields["reference_id"],
            "created": created,
            "origin": fields["origin"] or None,
            "classification": fields["classification"] or None,
            "references": [ref for ref in fields["references"].split("|") if ref.strip()],
            "row": fields["row"],
        },
    )


def _decode(data: bytes) -> str:
    """UTF-8, else Windows-1252 (older exports), which decodes any byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _iso_datetime(value: str) -> str | None:
    """`12/28/1966 18:48` as UTC ISO 8601, or None when it is not such a date."""
    match = _DATE.match(value.strip())
    if not match:
        return None
    month, day, year, hour, minute = (int(part) for part in match.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31 and hour < 24 and minute < 60):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:00Z"
