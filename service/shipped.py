"""Files the service ships beside its code: the OpenAPI document and the sample cables.

A wheel holds them inside the package (setup.py copies them there when it is built); a checkout
(an editable install, the container, the tests) holds them at the repository root, where they
are edited: `openapi.yaml` and `samples/`.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
CHECKOUT = PACKAGE.parent


def _shipped(in_package: str, in_checkout: str) -> Path:
    """The packaged copy when there is one (an installed wheel), else the checkout's file."""
    packaged = PACKAGE / in_package
    return packaged if packaged.exists() else CHECKOUT / in_checkout


def spec_path() -> Path:
    """The OpenAPI document served at /openapi.yaml."""
    return _shipped("openapi.yaml", "openapi.yaml")


def samples_path() -> Path:
    """The folder of sample cables (`cables serve --samples` loads them)."""
    return _shipped("sample_cables", "samples")
