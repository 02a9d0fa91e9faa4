"""Ground truth about the corpus, worked out without the parser or the query code.

Metadata comes from tests/data/corpus/INDEX.csv (the Cablegate page table and the JSON
fields); cables that come with no metadata (raw telegrams, PlusD pages) are judged by simple
regular expressions over their file text.
"""

from __future__ import annotations

import csv
import functools
import html
import re
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient

CORPUS = Path(__file__).parent.parent / "data" / "corpus"
# INDEX rows whose metadata came with the page or JSON, independent of the cable text.
TRUSTED_META = ("page metadata table", "JSON fields")
# The TAGS line and its continuation lines, up to SUBJECT or a blank line; some pages were
# press-edited to lower case ("Tags: prel, pgov, pins, tu Subject: ...").
TAGS_BLOCK = re.compile(r"\bTAGS?:?\s(.*?)(?:\n\s*\n|SUBJ)", re.DOTALL | re.IGNORECASE)


@functools.cache
def index_rows() -> dict[str, dict[str, str]]:
    """INDEX.csv rows with trusted metadata, by reference id."""
    with (CORPUS / "INDEX.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {row["reference_id"]: row for row in rows if row["meta_from"] in TRUSTED_META}


@functools.cache
def file_text(name: str) -> str:
    """A corpus file as text, HTML entities (the page's encoded newlines) undone."""
    raw = (CORPUS / "cables" / name).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    return html.unescape(text).replace("\r\n", "\n")


def cable_text(name: str) -> str:
    """The telegram text of a file: for pages, their <pre> blocks without markup."""
    text = file_text(name)
    if not name.endswith(".html"):
        return text
    blocks = re.findall(r"<pre[^>]*>(.*?)</pre>", text, re.DOTALL | re.IGNORECASE)
    return re.sub(r"<[^>]+>", "", "\n\n".join(blocks))


def tags_block(name: str) -> str:
    """The text of the file's TAGS line (with its continuation lines), or ''."""
    found = TAGS_BLOCK.search(cable_text(name))
    return found.group(1) if found else ""


def tags_in_file(name: str) -> set[str]:
    """The words of the file's TAGS line (with its continuation lines)."""
    found = TAGS_BLOCK.search(cable_text(name))
    return {word.upper() for word in re.findall(r"[A-Za-z]+", found.group(1))} if found else set()


def row_tags(row: dict[str, str]) -> set[str]:
    """The tag codes of an INDEX row."""
    return set(row["tags"].split())


def listed(client: FlaskClient, query: str = "") -> dict[str, Any]:
    """GET /cables with the query, every match on one page (the corpus is under 500)."""
    separator = "&" if query else ""
    response = client.get(f"/cables?{query}{separator}limit=500&fields=reference_id,source")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["next"] is None and body["total"] == len(body["items"])
    return body


def ids(client: FlaskClient, query: str = "") -> set[str]:
    """Reference ids of every cable matching the query."""
    return {item["reference_id"] for item in listed(client, query)["items"]}


@functools.cache
def _stored_files(client: FlaskClient) -> tuple[tuple[str, str], ...]:
    """(reference id, source file) of every stored cable."""
    items = listed(client)["items"]
    return tuple((item["reference_id"], item["source"]["file"]) for item in items)


def stored_files(client: FlaskClient) -> dict[str, str]:
    """Source file name by reference id, for every stored cable."""
    return dict(_stored_files(client))
