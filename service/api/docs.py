"""The API's contract: the OpenAPI document and a browsable reference that works offline."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import flask_swagger_ui
from flask import Blueprint, Response, url_for

from service.errors import APIError
from service.shipped import spec_path

bp = Blueprint("docs", __name__)

# Swagger UI's files ship inside the flask-swagger-ui package, so /docs needs no network.
SWAGGER_UI_DIST = Path(flask_swagger_ui.__file__).parent / "dist"
SWAGGER_UI_ASSETS = frozenset(
    {
        "swagger-ui.css",
        "index.css",
        "swagger-ui-bundle.js",
        "swagger-ui-standalone-preset.js",
        "favicon-32x32.png",
        "favicon-16x16.png",
    }
)

ASSET_MEDIA_TYPES = {".css": "text/css", ".js": "text/javascript", ".png": "image/png"}
ASSET_MAX_AGE_SECONDS = 86400

DOCS_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <title>Cable archive API</title>
  <link rel="stylesheet" href="{assets}/swagger-ui.css">
  <link rel="stylesheet" href="{assets}/index.css">
  <link rel="icon" type="image/png" href="{assets}/favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="{assets}/swagger-ui-bundle.js"></script>
  <script src="{assets}/swagger-ui-standalone-preset.js"></script>
  <script>
    window.onload = function () {{
      window.ui = SwaggerUIBundle({{
        url: "{spec}",
        dom_id: "#swagger-ui",
        deepLinking: true,
        validatorUrl: null,
        presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
        plugins: [SwaggerUIBundle.plugins.DownloadUrl],
        layout: "StandaloneLayout"
      }});
    }};
  </script>
</body>
</html>
"""


@lru_cache(maxsize=1)
def spec_text() -> str:
    """The OpenAPI document: the wheel's copy, or the checkout's openapi.yaml."""
    return spec_path().read_text(encoding="utf-8")


@bp.get("/openapi.yaml")
def openapi_yaml() -> Response:
    """The OpenAPI document."""
    return Response(spec_text(), mimetype="application/yaml")


@bp.get("/docs")
def docs_page() -> Response:
    """A browsable reference of the API (Swagger UI)."""
    assets = url_for("docs.docs_page") + "/assets"
    page = DOCS_PAGE.format(assets=assets, spec=url_for("docs.openapi_yaml"))
    return Response(page, mimetype="text/html")


@lru_cache(maxsize=len(SWAGGER_UI_ASSETS))
def asset_bytes(filename: str) -> bytes:
    """One asset's content, read once: the files never change while the service runs."""
    return (SWAGGER_UI_DIST / filename).read_bytes()


@bp.get("/docs/assets/<path:filename>")
def docs_asset(filename: str) -> Response:
    """One of Swagger UI's static files (only those the page uses)."""
    if filename not in SWAGGER_UI_ASSETS:
        raise APIError(404, f"No documentation asset named {filename!r}.")
    response = Response(asset_bytes(filename), mimetype=ASSET_MEDIA_TYPES[Path(filename).suffix])
    response.cache_control.public = True
    response.cache_control.max_age = ASSET_MAX_AGE_SECONDS
    return response
