"""What ingestion hands the store and what it gets back: a parsed cable on its way in (`Entry`)
and what adding it did (`Outcome`, one of `OUTCOMES`). Every writer of cables speaks these:
the upload endpoint, bulk ingestion, `cables reparse`, and any store (`BulkStore`)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

CREATED, UNCHANGED, REPLACED, CONFLICT, INVALID = (
    "created",
    "unchanged",
    "replaced",
    "conflict",
    "invalid",
)
OUTCOMES = (CREATED, UNCHANGED, REPLACED, CONFLICT, INVALID)
# Why a store refused an entry it was handed (Outcome.refusal of an INVALID outcome), so that
# the API answers a single upload with the right status: too large for the store (413), not
# encodable (422), written but not confirmed by the write concern (503: it may not be durable).
TOO_LARGE, UNENCODABLE, NOT_DURABLE = "too_large", "unencodable", "not_durable"


@dataclass(slots=True)
class Entry:
    """A parsed cable on its way into the store."""

    document: dict[str, Any]
    raw: bytes | None  # the uploaded bytes, kept when they are not `document["raw"]` in UTF-8
    media_type: str
    source: dict[str, Any]  # {"file", "line", "media_type"}
    metadata: dict[str, Any] | None = None  # given beside the text (parse_cable's metadata=)

    @property
    def reference_id(self) -> str:
        """The cable's canonical reference id."""
        return str(self.document["reference_id"])

    @property
    def sha256(self) -> str:
        """The digest of the uploaded bytes: equal digests mean an identical upload."""
        return str(self.document["sha256"])

    @property
    def text_sha256(self) -> str:
        """The digest of the normalised text (text_digest): equal digests mean the same
        cable, whatever its line ends, encoding or trailing spaces."""
        return text_digest(self.document.get("raw") or "")


@dataclass(slots=True)
class Outcome:
    """What adding one cable did."""

    outcome: str
    reference_id: str | None
    reason: str | None = None
    refusal: str | None = None  # for a store's INVALID: TOO_LARGE, UNENCODABLE or NOT_DURABLE


# The stored key holding text_digest(document["raw"]), beside `sha256` (kept, not shown).
TEXT_DIGEST_KEY = "text_sha256"
_LINE_END_BLANKS = re.compile(rb"[ \t]+\n")


def text_digest(text: str) -> str:
    """sha256 of a cable's text normalised so that copies differing only in form match:
    Unicode NFC, LF line ends, no spaces or tabs at line ends, no blank lines at the end. The
    same cable as JSON with LF and as a file with CRLF, or in UTF-8 and in Latin-1, agree."""
    if not text.isascii():  # ASCII is NFC already: skip the normalisation's scan
        text = unicodedata.normalize("NFC", text)
    data = text.encode("utf-8", "surrogatepass").replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if b" \n" in data or b"\t\n" in data:
        data = _LINE_END_BLANKS.sub(b"\n", data)
    return hashlib.sha256(data.rstrip(b" \t\n")).hexdigest()


def make_entry(
    document: dict[str, Any],
    raw: bytes | str | None,
    media_type: str,
    source: dict[str, Any],
    metadata: dict[str, Any] | None = None,
) -> Entry:
    """An entry for a parsed document, keeping the original bytes only when they differ, and
    the metadata it was parsed with."""
    text = document.get("raw") or ""
    encoded = text.encode("utf-8", "surrogatepass")
    original = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    if not document.get("sha256"):
        document["sha256"] = hashlib.sha256(original or encoded).hexdigest()
    keep = original if original is not None and original != encoded else None
    return Entry(document, keep, media_type, {**source, "media_type": media_type}, metadata or None)
