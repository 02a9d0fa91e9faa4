"""Queries: GET /cables (filters, pages, export), references, cited-by, facets, tags, stats."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, request, stream_with_context

from service.api.store import get_queries
from service.errors import APIError, bad_parameter
from service.parsing import glossary
from service.query import cursor as cursors
from service.query import export
from service.query.conditions import EVERYTHING, Condition, Equals, all_of
from service.query.facets import FACETS_BY_NAME, top_values
from service.query.fields import LISTING_FIELDS, SUMMARY_FIELDS, choose_fields
from service.query.filters import (
    FILTERS_BY_NAME,
    build_query,
    fold,
    parse_filters,
    parse_reference_id,
)
from service.schemas.query import (
    FacetArgs,
    ListArgs,
    ParticipantArgs,
    ReferenceArgs,
    TagArgs,
    known_args,
    load_args,
    schema_names,
)
from service.store.queries import CableQueries

bp = Blueprint("search", __name__)

_WORD = re.compile(r"\w+")
STATS_TOP_ORIGINS = 20


def _args(allowed: Iterable[str]) -> dict[str, list[str]]:
    """The query string as name -> values; 400 naming any parameter not in `allowed`."""
    return known_args(request.args, allowed)


def _filter_query(args: dict[str, list[str]]) -> tuple[Condition, dict[str, list[Any]]]:
    """The condition of the filter parameters in `args`, and their parsed values."""
    parsed = parse_filters(args)
    return build_query(parsed), parsed


def _requested_format(option: str | None) -> str:
    """json, csv or ndjson: the `format` parameter, else the Accept header."""
    if option:
        return option
    offered = ["application/json", *export.ACCEPTED]
    best = request.accept_mimetypes.best_match(offered, default="application/json")
    return export.ACCEPTED.get(best or "", "json")


def _sort_for(option: str | None, parsed: dict[str, list[Any]], queries: CableQueries) -> str:
    """The sort to use: the requested one, else relevance with `q` on a real server."""
    if option == "relevance" and "q" not in parsed:
        raise bad_parameter("sort", "relevance needs a full-text query q")
    sort = option or ("relevance" if "q" in parsed else cursors.DEFAULT_SORT)
    return queries.effective_sort(sort)


def _cursor_state(token: str | None, sort: str) -> dict[str, Any] | None:
    """The decoded cursor, 400 naming `cursor` when it is not ours."""
    if token is None:
        return None
    try:
        return cursors.decode(token, sort)
    except cursors.CursorError as error:
        raise bad_parameter("cursor", str(error)) from None


def _next_url(args: dict[str, list[str]], sort: str, state: dict[str, Any] | None) -> str | None:
    """The relative URL of the next page, or None on the last page."""
    if state is None:
        return None
    token = cursors.encode_state(sort, state)
    pairs = [(name, value) for name, values in args.items() if name != "cursor" for value in values]
    pairs.append(("cursor", token))
    return f"{request.path}?{urlencode(pairs)}"


def _listing(args: dict[str, list[str]], extra: Condition | None = None) -> Any:
    """A page (or export) of the cables matching `args`, plus an extra clause."""
    options = load_args(ListArgs(), args)
    query, parsed = _filter_query(args)
    query = all_of(query, extra)
    queries = get_queries()
    sort = _sort_for(options["sort"], parsed, queries)
    format_ = _requested_format(options["format"])
    fields = choose_fields(options["fields_"], LISTING_FIELDS, raw_allowed=format_ == "ndjson")
    if format_ != "json":
        return _export(queries, query, sort, fields, format_, explicit=bool(options["fields_"]))
    page = queries.page(
        query,
        sort=sort,
        limit=options["limit"],
        fields=fields,
        state=_cursor_state(options["cursor"], sort),
    )
    next_url = _next_url(args, sort, page.next_state)
    body = {"items": page.items, "total": page.total, "next": next_url}
    if next_url is None:
        return body
    # RFC 8288: the next page also as a header, absolute, for clients that follow links.
    return jsonify(body), {"Link": f'<{request.host_url.rstrip("/")}{next_url}>; rel="next"'}


def _export(
    queries: CableQueries,
    query: Condition,
    sort: str,
    fields: list[str],
    format_: str,
    *,
    explicit: bool,
) -> Response:
    """Stream every match as CSV or NDJSON."""
    columns = fields if explicit or format_ == "ndjson" else list(export.DEFAULT_CSV_COLUMNS)
    documents = queries.export(query, sort=sort, fields=columns)
    body = export.rows(format_, documents, columns)
    response = Response(stream_with_context(body), content_type=export.MEDIA_TYPES[format_])
    response.headers["Content-Disposition"] = f"attachment; filename=cables.{format_}"
    return response


LIST_PARAMETERS = frozenset(FILTERS_BY_NAME) | schema_names(ListArgs())
CITED_BY_PARAMETERS = LIST_PARAMETERS  # a listing like GET /cables, narrowed to the citing


@bp.get("/cables")
def list_cables() -> Any:
    """Cables matching every filter, a page at a time, or exported whole."""
    return _listing(_args(LIST_PARAMETERS))


def _reference_id(raw: str) -> str:
    """The path's reference id, 400 when it cannot be one."""
    try:
        return parse_reference_id(raw)
    except ValueError as error:
        raise bad_parameter("reference_id", str(error)) from None


@bp.get("/cables/<reference_id>/references")
def cable_references(reference_id: str) -> dict[str, Any]:
    """The cables this cable cites; those not in the store are marked missing."""
    options = load_args(ReferenceArgs(), _args(schema_names(ReferenceArgs())))
    reference_id = _reference_id(reference_id)
    queries = get_queries()
    cable = queries.get(reference_id, ["reference_id", "references"])
    if cable is None:
        raise APIError(404, f"No cable {reference_id} is stored.")
    cited = [ref for ref in cable.get("references") or [] if ref.get("kind") == "cable"]
    ids = list(dict.fromkeys(ref["id"] for ref in cited if ref.get("id")))
    fields = choose_fields(options["fields_"], SUMMARY_FIELDS)
    found = queries.by_ids(ids, fields)
    items = [
        {
            "id": ref.get("id"),
            "bullet": ref.get("bullet"),
            "text": ref.get("text"),
            "missing": ref.get("id") not in found,
            "cable": found.get(ref.get("id")),
        }
        for ref in cited
    ]
    missing = sum(1 for item in items if item["missing"])
    return {"reference_id": reference_id, "items": items, "total": len(items), "missing": missing}


@bp.get("/cables/<reference_id>/cited-by")
def cited_by(reference_id: str) -> Any:
    """The stored cables that cite this one (it need not be stored itself), with filters."""
    reference_id = _reference_id(reference_id)
    return _listing(_args(CITED_BY_PARAMETERS), Equals("references.id", (reference_id,)))


FACET_PARAMETERS = frozenset(FILTERS_BY_NAME) | schema_names(FacetArgs())


@bp.get("/facets")
def facets() -> dict[str, Any]:
    """Counts of tags, classification, year, month, origin, participants under the filters."""
    args = _args(FACET_PARAMETERS)
    options = load_args(FacetArgs(), args)
    query, _ = _filter_query(args)
    chosen = [FACETS_BY_NAME[name] for name in dict.fromkeys(options["facet"])]
    queries = get_queries()
    # the most frequent facet_limit + 1 values: one more says whether some were left out
    counts = queries.count_values(query, chosen, options["facet_limit"] + 1)
    return {
        "total": queries.count(query),
        "facets": {
            facet.name: top_values(facet, counts[facet.name], options["facet_limit"])
            for facet in chosen
        },
    }


@bp.get("/tags")
def tags() -> dict[str, Any]:
    """The TAGS glossary with how many stored cables carry each tag, plus unlisted tags."""
    options = load_args(TagArgs(), _args(schema_names(TagArgs())))
    facet = FACETS_BY_NAME["tags"]
    counts = get_queries().count_values(EVERYTHING, [facet])["tags"]
    entries = {entry["tag"]: {**entry, "count": 0} for entry in glossary.glossary()}
    for tag, count in counts.items():
        entry = entries.setdefault(tag, {**glossary.tag_info(tag), "count": 0})
        entry["count"] = count
    items = [entry for entry in entries.values() if _tag_wanted(entry, options)]
    items.sort(key=lambda entry: (-entry["count"], entry["tag"]))
    return {"items": items[: options["limit"]], "total": len(items)}


def _tag_wanted(entry: dict[str, Any], options: dict[str, Any]) -> bool:
    """Whether a tag entry passes the q, kind and used options."""
    if options["used"] and not entry["count"]:
        return False
    if options["kind"] and entry["kind"] != options["kind"]:
        return False
    needle = options["q"]
    if needle:
        haystack = f"{entry['tag']} {entry.get('title') or ''}".casefold()
        return needle.casefold() in haystack
    return True


@bp.get("/participants")
def participants() -> dict[str, Any]:
    """Names of participants and mentioned people whose words start with the words of `q`,
    with how many cables each took part in and how many only mention it."""
    options = load_args(ParticipantArgs(), _args(schema_names(ParticipantArgs())))
    prefixes = _WORD.findall(fold(options["q"] or ""))
    if options["q"] is not None and not prefixes:
        raise bad_parameter("q", "must contain at least one letter or digit")
    names, total = get_queries().count_names(prefixes, options["limit"])
    return {"items": [name.entry() for name in names], "total": total}


@bp.get("/stats")
def stats() -> dict[str, Any]:
    """Totals of the whole store: by year, classification, origin; date range."""
    _args(())
    queries = get_queries()
    chosen = [FACETS_BY_NAME[name] for name in ("year", "classification", "origin", "tags")]
    counts = queries.count_values(EVERYTHING, chosen)
    years = sorted(year for year in counts["year"] if year is not None)
    origins = top_values(FACETS_BY_NAME["origin"], counts["origin"], STATS_TOP_ORIGINS)
    return {
        "total": queries.count(EVERYTHING),
        "by_year": {str(year): counts["year"][year] for year in years},
        "undated": counts["year"].get(None, 0),
        "by_classification": {str(key): value for key, value in counts["classification"].items()},
        "top_origins": {entry["value"]: entry["count"] for entry in origins["values"]},
        "origins": len(counts["origin"]),
        "distinct_tags": len(counts["tags"]),
        "first_year": years[0] if years else None,
        "last_year": years[-1] if years else None,
    }
