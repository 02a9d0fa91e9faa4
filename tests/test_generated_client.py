"""A client generated from openapi.yaml by a tool nobody here wrote (openapi-python-client,
pinned in the test extras) comes out without a single warning, and works against the live
service on 127.0.0.1: a multipart upload, queries by tag, dates, participant and
classification walked to the last page, field choices, facets and a CSV export."""

from __future__ import annotations

import csv
import importlib
import io
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from types import ModuleType
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from werkzeug.serving import make_server

from service import create_app

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "tests" / "data" / "generated_client" / "config.yaml"
SAMPLES = ROOT / "samples"
PACKAGE = "cable_archive_client"
TOKEN = "generated-client-token"
MEDIA_TYPES = {".html": "text/html", ".txt": "text/plain"}


def test_the_config_only_maps_raw_media_types_to_bytes():
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    assert set(config) == {"content_type_overrides"}
    assert set(config["content_type_overrides"].values()) == {"application/octet-stream"}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The client package generated from openapi.yaml, imported; the generator said nothing
    but that it was generating (any warning fails here)."""
    where = tmp_path_factory.mktemp("generated")
    tools = Path(sys.executable).parent  # the generator, and the ruff its hooks run
    result = subprocess.run(
        [tools / "openapi-python-client", "generate", "--path", ROOT / "openapi.yaml"]
        + ["--meta", "none", "--config", CONFIG, "--output-path", where / PACKAGE],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}"},
        timeout=300,
    )
    said = [line for line in result.stdout.splitlines() if line.strip()]
    assert result.returncode == 0, result.stdout + result.stderr
    assert said == [f"Generating {where / PACKAGE}"], result.stdout
    assert not result.stderr.strip(), result.stderr
    sys.path.insert(0, str(where))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(where))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    """The service on 127.0.0.1, a free port, in a thread, on the embedded store."""
    app = create_app({"TESTING": True, "MONGO_URI": "mongomock://", "API_TOKENS": TOKEN})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


def api(generated: ModuleType, name: str) -> ModuleType:
    """One generated endpoint module, `cables.upload_cables` say."""
    return importlib.import_module(f"{PACKAGE}.api.{name}")


@pytest.fixture(scope="module")
def client(generated: ModuleType, url: str):
    """The generated client with the write token, the samples uploaded through it by
    multipart (each file a part, typed as a file: the bytes go, not `str(File(...))`)."""
    models = importlib.import_module(f"{PACKAGE}.models")
    types = importlib.import_module(f"{PACKAGE}.types")
    authenticated = generated.AuthenticatedClient(base_url=url, token=TOKEN)
    paths = sorted(SAMPLES.iterdir())
    files = [
        types.File(
            payload=io.BytesIO(path.read_bytes()),
            file_name=path.name,
            mime_type=MEDIA_TYPES[path.suffix],
        )
        for path in paths
    ]
    upload = api(generated, "cables.upload_cables")
    result = upload.sync(client=authenticated, body=models.UploadForm(files=files))
    assert isinstance(result, models.BulkResult), result
    assert result.counts.created == len(paths) and result.counts.invalid == 0
    return authenticated


def walk(generated: ModuleType, client, **query) -> list:
    """Every item of a generated list_cables query, following `next` to the last page."""
    list_cables = api(generated, "queries.list_cables")
    models = importlib.import_module(f"{PACKAGE}.models")
    unset = importlib.import_module(f"{PACKAGE}.types").UNSET
    items, cursor, pages = [], None, 0
    while True:
        page = list_cables.sync(client=client, limit=2, cursor=cursor or unset, **query)
        assert isinstance(page, models.CablePage), page
        items.extend(page.items)
        pages += 1
        if not page.next_:
            return items
        assert pages <= 100
        cursor = parse_qs(urlsplit(page.next_).query)["cursor"][0]


def test_queries_by_tag_dates_participant_and_classification_walk_every_page(generated, client):
    kazakh = walk(generated, client, tag=["KZ"])
    assert "06ALMATY1457" in {item.reference_id for item in kazakh}
    dated = walk(generated, client, date_from="2006-01-01", date_to="2007-12-31")
    assert dated and all(datetime(2006, 1, 1) <= as_naive(item.created) for item in dated)
    assert all(as_naive(item.created) < datetime(2008, 1, 1) for item in dated)
    boucher = walk(generated, client, participant=["boucher"])
    assert "06ALMATY1457" in {item.reference_id for item in boucher}
    secret = walk(generated, client, classification=["SECRET"])
    assert secret and all(item.classification.startswith("SECRET") for item in secret)
    everything = walk(generated, client)
    assert len(everything) == len(list(SAMPLES.iterdir()))  # every page, each cable once
    assert len({item.reference_id for item in everything}) == len(everything)


def test_a_field_choice_keeps_reference_id(generated, client):
    chosen = walk(generated, client, tag=["KZ"], fields=["subject"])
    assert chosen and all(item.reference_id and item.subject for item in chosen)


def as_naive(moment: datetime) -> datetime:
    """A timezone-aware UTC datetime as a naive one, to compare with literals."""
    return moment.replace(tzinfo=None)


def test_one_cable_comes_typed(generated, client):
    cable = api(generated, "cables.get_cable").sync(reference_id="06ALMATY1457", client=client)
    assert cable.reference_id == "06ALMATY1457"
    assert cable.created == datetime.fromisoformat("2006-04-21T04:16:00+00:00")
    assert cable.classified_by.name == "John Ordway"
    assert str(cable.declassify_on) == "2015-04-19"


def test_facets(generated, client):
    models = importlib.import_module(f"{PACKAGE}.models")
    facets = api(generated, "queries.get_facets").sync(
        client=client, facet=[models.FacetName.YEAR, models.FacetName.CLASSIFICATION]
    )
    assert isinstance(facets, models.Facets), facets
    years = facets.facets.additional_properties["year"]
    assert sum(value.count for value in years.values) == facets.total
    assert set(facets.facets.additional_properties) == {"year", "classification"}


def test_a_csv_export(generated, client):
    models = importlib.import_module(f"{PACKAGE}.models")
    list_cables = api(generated, "queries.list_cables")
    # The typed sync() reads the JSON page; an export is read from the generated request.
    request = list_cables._get_kwargs(tag=["KZ"], format_=models.ListFormat.CSV)
    response = client.get_httpx_client().request(**request)
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {row["reference_id"] for row in rows} == {
        item.reference_id for item in walk(generated, client, tag=["KZ"])
    }
    assert all(datetime.fromisoformat(row["created"]) for row in rows)


def test_errors_come_back_as_problems(generated, client):
    models = importlib.import_module(f"{PACKAGE}.models")
    missing = api(generated, "cables.get_cable").sync(reference_id="99NOWHERE1", client=client)
    assert isinstance(missing, models.Problem) and missing.status == 404
    bad = api(generated, "queries.list_cables").sync(client=client, limit=0)
    assert isinstance(bad, models.ParameterProblem)
    assert bad.errors[0].parameter == "limit"
