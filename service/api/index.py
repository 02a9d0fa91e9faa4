"""GET /: where to start. JSON for clients, a short HTML page for browsers, both naming the
reference (/docs), the contract (/openapi.yaml) and a few queries to try."""

from __future__ import annotations

from html import escape
from typing import Any

from flask import Blueprint, Response, request

bp = Blueprint("index", __name__)

# (what it shows, the query): they answer on the sample cables of `scripts/serve`.
EXAMPLES = (
    ("Kazakhstan cables, two keys each", "/cables?tag=KZ&fields=reference_id,subject"),
    ("Cables Richard Boucher took part in, 2006", "/cables?participant=boucher&year=2006"),
    ("Counts by year and classification", "/facets?facet=year&facet=classification"),
    ("SECRET cables as CSV", "/cables?classification=SECRET&format=csv"),
    ("The TAGS in use", "/tags?used=true&limit=20"),
    ("Totals of the collection", "/stats"),
)

PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="UTF-8"><title>Cable archive API</title></head>
<body>
<h1>Cable archive API</h1>
<p>Parses, stores and answers questions about US diplomatic cables.</p>
<ul>
  <li><a href="{docs}">{docs}</a>: the browsable reference</li>
  <li><a href="{openapi}">{openapi}</a>: the API contract (OpenAPI 3.1)</li>
</ul>
<h2>Try</h2>
<ul>
{examples}
</ul>
</body>
</html>
"""


def index_document() -> dict[str, Any]:
    """The index as JSON: links relative to where the service is mounted."""
    root = request.script_root
    return {
        "name": "Cable archive API",
        "version": _version(),
        "docs": f"{root}/docs",
        "openapi": f"{root}/openapi.yaml",
        "health": f"{root}/health",
        "examples": [{"title": title, "href": f"{root}{query}"} for title, query in EXAMPLES],
    }


def _version() -> str:
    """The installed package's version ("unknown" when run from an uninstalled checkout)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cable-archive")
    except PackageNotFoundError:
        return "unknown"


@bp.get("/")
def index() -> Response | dict[str, Any]:
    """JSON unless the client prefers HTML (a browser)."""
    document = index_document()
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    if best != "text/html":
        return document
    examples = "\n".join(
        f'  <li><a href="{escape(example["href"])}">{escape(example["href"])}</a>: '
        f"{escape(example['title'])}</li>"
        for example in document["examples"]
    )
    page = PAGE.format(docs=document["docs"], openapi=document["openapi"], examples=examples)
    return Response(page, mimetype="text/html")
