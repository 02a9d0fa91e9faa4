"""Cable resources: upload (one or many), parse, read one, read its raw upload, delete.

POST /cables takes one cable (text/plain, text/html, application/json) or, by media type, a
bulk upload (multipart/form-data, application/x-ndjson, a JSON array of `{text, metadata}`
objects, text/csv, zip, tar.gz) answered with `{"counts": {...}, "items": [...]}`. A cable in
any response has the shape of GET /cables/<reference_id>: the stored document without `raw`,
with `ingested_at`, `source`.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request, url_for

from service.api.store import get_store
from service.auth import read_required, write_required
from service.errors import APIError, refused_upload
from service.ingest import Limits, ingest
from service.ingest.entries import CONFLICT, CREATED, INVALID, Outcome
from service.ingest.uploads import (
    Cut,
    bulk_items,
    cut_short,
    is_single,
    opens_json_array,
    parse_single,
    single_item,
    size_limit,
    until_cut,
    within,
)
from service.schemas.cables import load_write_args
from service.store.decide import HIDDEN_FIELDS

bp = Blueprint("cables", __name__)
# A bulk report lists this many items that were not created, then only counts the rest: a
# tar of 200,000 one-byte members made a 29 MB answer.
REPORT_ITEMS = 1000


@bp.post("/cables")
@write_required
def add_cables() -> Any:
    """Store one cable (201/200/409) or a bulk upload (200 with per-item outcomes)."""
    replace = load_write_args(request.args)["replace"]
    config = current_app.config
    with size_limit("MAX_CABLE_BYTES", config["MAX_CABLE_BYTES"]):
        bulk_json = opens_json_array(request, config["MAX_UPLOAD_BYTES"], config["MAX_CABLE_BYTES"])
    if bulk_json or not is_single(request):
        with size_limit("MAX_UPLOAD_BYTES", config["MAX_UPLOAD_BYTES"]):
            items = bulk_items(
                request, Limits(config["MAX_CABLE_BYTES"]), config["MAX_UPLOAD_BYTES"]
            )
            cut = Cut()
            report = ingest(
                within(until_cut(items, cut), config["MAX_UNPACKED_BYTES"], cut),
                get_store(),
                batch_size=config["BULK_BATCH_SIZE"],
                batch_bytes=config["BULK_BATCH_BYTES"],
                replace=replace,
                processes=config["INGEST_PROCESSES"],
                report_items=REPORT_ITEMS,
            )
        if cut.short:
            raise cut_short(cut, report.as_json()["counts"])
        return report.as_json()
    with size_limit("MAX_CABLE_BYTES", config["MAX_CABLE_BYTES"]):
        entry = parse_single(single_item(request, config["MAX_CABLE_BYTES"]))
    outcome = get_store().add_many([entry], replace=replace)[0]
    if outcome.outcome == CONFLICT:
        raise APIError(409, outcome.reason or "conflict", errors=[_shown(outcome)])
    if outcome.outcome == INVALID:  # refused by the store: nothing replaced, nothing created
        raise refused_upload(outcome.reference_id, outcome.reason, outcome.refusal)
    document = _stored_or_404(entry.reference_id)
    location = url_for("cables.get_cable", reference_id=entry.reference_id)
    return document, (201 if outcome.outcome == CREATED else 200), {"Location": location}


@bp.post("/parse")
@read_required
def parse() -> dict[str, Any]:
    """Parse one cable without storing it: a preview, warnings included."""
    limit = current_app.config["MAX_CABLE_BYTES"]
    with size_limit("MAX_CABLE_BYTES", limit):
        entry = parse_single(single_item(request, limit))
    return {key: value for key, value in entry.document.items() if key not in HIDDEN_FIELDS}


@bp.get("/cables/<reference_id>")
def get_cable(reference_id: str) -> Response:
    """One stored cable; a malformed id is canonicalised first. The ETag is a digest of the
    body, so a client holding it gets 304 (If-None-Match) until the cable changes."""
    response = jsonify(_stored_or_404(_canonical(reference_id)))
    response.add_etag()
    response.make_conditional(request)  # 304 without a body when the ETag matches
    return response


@bp.get("/cables/<reference_id>/raw")
def get_raw(reference_id: str) -> Response:
    """The original upload, with its media type."""
    found = get_store().get_raw(_canonical(reference_id))
    if found is None:
        raise _not_found(reference_id)
    data, content_type = found
    return Response(data, content_type=content_type)


@bp.delete("/cables/<reference_id>")
@write_required
def delete_cable(reference_id: str) -> tuple[str, int]:
    """Delete a cable; its last text is kept in cable_versions."""
    if not get_store().delete(_canonical(reference_id)):
        raise _not_found(reference_id)
    return "", 204


def _shown(outcome: Outcome) -> dict[str, Any]:
    """An outcome as a problem's `errors` entry."""
    return {
        "outcome": outcome.outcome,
        "reference_id": outcome.reference_id,
        "reason": outcome.reason,
    }


def _canonical(reference_id: str) -> str:
    """The canonical form of a reference id as a client typed it."""
    from service.parsing import canonicalize_reference_id

    return canonicalize_reference_id(reference_id) or reference_id


def _stored_or_404(reference_id: str) -> dict[str, Any]:
    """The stored cable, or 404."""
    document = get_store().get(reference_id)
    if document is None:
        raise _not_found(reference_id)
    return document


def _not_found(reference_id: str) -> APIError:
    """404 for a reference id."""
    return APIError(404, f"No cable {reference_id!r}.", errors=[{"reference_id": reference_id}])
