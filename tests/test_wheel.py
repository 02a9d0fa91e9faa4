"""A plain (non-editable) install works: the wheel built from this checkout, installed into a
fresh virtual environment, serves /openapi.yaml and /docs with `cables serve`. Offline: the
wheel is built without build isolation and installed without dependencies, which the new
environment borrows from the test environment's site-packages."""

from __future__ import annotations

import shutil
import site
import socket
import subprocess
import sys
import time
import urllib.request
import venv
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
# What the build reads; copied aside so that the build writes nothing into the checkout.
BUILD_INPUTS = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "openapi.yaml")
BUILD_FOLDERS = ("service", "samples")
STARTUP_SECONDS = 60


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(url: str) -> tuple[int, str, bytes]:
    """Status, media type and body of a GET."""
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers.get_content_type(), response.read()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of this checkout, built from a copy of its sources."""
    source = tmp_path_factory.mktemp("source")
    for name in BUILD_INPUTS:
        shutil.copy2(ROOT / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.so", "*.egg-info")
    for name in BUILD_FOLDERS:
        shutil.copytree(ROOT / name, source / name, ignore=ignore)
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index"]
        + ["--quiet", "--wheel-dir", str(dist), str(source)],
        check=True,
        capture_output=True,
    )
    (built,) = dist.glob("cable_archive-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment holding the wheel; its dependencies are the test
    environment's (a .pth line), but not its editable `service`."""
    environment = tmp_path_factory.mktemp("venv")
    venv.create(environment, with_pip=False)
    python = environment / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps"]
        + ["--no-index", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
    )
    packages = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    (packages / "borrowed_dependencies.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n", encoding="utf-8"
    )
    return environment


def test_the_wheel_ships_the_spec_and_the_samples(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "service/openapi.yaml" in names
    shipped = {Path(name).name for name in names if name.startswith("service/sample_cables/")}
    assert shipped == {path.name for path in (ROOT / "samples").iterdir()}
    assert (
        zipfile.ZipFile(wheel).read("service/openapi.yaml") == (ROOT / "openapi.yaml").read_bytes()
    )


@pytest.fixture(scope="module")
def served(installed: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`cables serve` of the installed wheel, on 127.0.0.1, run outside the checkout."""
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [str(installed / "bin" / "cables"), "serve", "--host", "127.0.0.1"]
            + ["--port", str(port), "--threads", "2", "--samples"],
            cwd=log.parent,
            stdout=output,
            stderr=subprocess.STDOUT,
            env={"PATH": "/usr/bin:/bin", "RATE_LIMIT": "off"},
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                get(f"{url}/health")
                break
            except OSError:
                message = log.read_text(errors="replace")
                assert server.poll() is None, f"cables serve stopped:\n{message}"
                assert time.monotonic() < deadline, f"cables serve did not start:\n{message}"
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_installed_service_is_the_wheel_not_the_checkout(installed: Path) -> None:
    found = subprocess.run(
        [str(installed / "bin" / "python"), "-c", "import service; print(service.__file__)"],
        cwd=installed,
        env={"PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert Path(found.strip()).is_relative_to(installed)


def test_the_installed_wheel_serves_the_spec_and_the_docs(served: str) -> None:
    status, media_type, body = get(f"{served}/openapi.yaml")
    assert (status, media_type) == (200, "application/yaml")
    assert yaml.safe_load(body) == yaml.safe_load((ROOT / "openapi.yaml").read_bytes())
    status, media_type, page = get(f"{served}/docs")
    assert (status, media_type) == (200, "text/html")
    assert b"/openapi.yaml" in page
    status, _, _ = get(f"{served}/docs/assets/swagger-ui.css")
    assert status == 200


def test_the_installed_wheel_loads_its_samples(served: str) -> None:
    status, _, body = get(f"{served}/cables/06ALMATY1457")
    assert status == 200 and b'"reference_id":"06ALMATY1457"' in body.replace(b" ", b"")
    _, _, stats = get(f"{served}/stats")
    assert yaml.safe_load(stats)["total"] == len(list((ROOT / "samples").iterdir()))
