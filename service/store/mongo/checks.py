"""What the MongoDB engine checks of a document before handing it to the driver.

A document must encode as BSON (no lone UTF-16 surrogate in any string or key: the driver
would raise mid-batch, stopping a bulk upload part-way) and fit MongoDB's 16 MiB document
limit (the server refuses a larger one, or a whole batch holding it). The check encodes the
document with `bson.encode`, as the driver will, so its size is the one the server sees.
"""

from __future__ import annotations

from typing import Any

import bson

from service.ingest.entries import INVALID, TOO_LARGE, UNENCODABLE, Outcome
from service.ingest.items import lone_surrogate
from service.ingest.pipeline import SURROGATE_REASON

MAX_BSON_BYTES = 16 * 1024 * 1024  # MongoDB's maxBsonObjectSize: 16 MiB per document


def refusal(document: dict[str, Any], what: str) -> tuple[str, str] | None:
    """Why `document` (called `what` in the reason) cannot be written: (refusal, reason), or
    None when it encodes within the limit."""
    try:
        size = len(bson.encode(document))
    except UnicodeEncodeError:
        where = lone_surrogate(document, what) or what
        return UNENCODABLE, f"{SURROGATE_REASON}: {where}"
    if size > MAX_BSON_BYTES:
        reason = (
            f"too large to store: {what} is {size:,} bytes as BSON, over MongoDB's document "
            f"limit of 16 MiB ({MAX_BSON_BYTES:,} bytes)"
        )
        return TOO_LARGE, reason
    return None


def first_refusal(
    reference_id: str, documents: list[tuple[dict[str, Any], str]], kept: str
) -> Outcome | None:
    """The INVALID outcome of the first of `documents` ((document, what) pairs) that cannot be
    written, its reason ending with `kept` (what stays stored), or None when all can."""
    for document, what in documents:
        found = refusal(document, what)
        if found is not None:
            return Outcome(INVALID, reference_id, f"{found[1]}; {kept}", refusal=found[0])
    return None
