"""Export of every matching cable as CSV or NDJSON, streamed one row at a time.

The generators hold one document at a time (the store's cursor fetches in batches on a real
server), so memory stays constant whatever the number of rows.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "ndjson": "application/x-ndjson"}
# Accept header values that ask for an export, in the order tried after JSON.
ACCEPTED = {"text/csv": "csv", "application/x-ndjson": "ndjson", "application/ndjson": "ndjson"}
DEFAULT_CSV_COLUMNS = (
    "reference_id",
    "created",
    "classification",
    "origin",
    "subject",
    "tags",
    "caveats",
    "handling",
    "precedence",
    "sender",
    "signer",
    "declassify_on",
)
LIST_SEPARATOR = "; "


def cell(value: Any) -> str:
    """One CSV cell: lists of strings joined, other structures as JSON, null empty."""
    if value is None:
        return ""
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return LIST_SEPARATOR.join(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def csv_rows(documents: Iterable[dict[str, Any]], columns: list[str]) -> Iterator[str]:
    """A header line then one CSV line per document."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(values: list[str]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield line(columns)
    for document in documents:
        yield line([cell(document.get(column)) for column in columns])


def ndjson_rows(documents: Iterable[dict[str, Any]]) -> Iterator[str]:
    """One JSON object per line."""
    for document in documents:
        yield json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def rows(format_: str, documents: Iterable[dict[str, Any]], columns: list[str]) -> Iterator[str]:
    """The export body in the given format."""
    return csv_rows(documents, columns) if format_ == "csv" else ndjson_rows(documents)
