"""Build hook: a wheel ships the repository's `openapi.yaml` and `samples/` inside the package
(`service/openapi.yaml`, `service/sample_cables/`), copied when the wheel is built, so that the
top-level files stay the one source. Everything else is declared in pyproject.toml.

A checkout (an editable install, the container, the tests) reads them where they are:
`service.shipped` looks in the package first, then at the repository root.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
# Repository path -> where it goes inside the `service` package.
SHIPPED = {"openapi.yaml": "openapi.yaml", "samples": "sample_cables"}


class BuildPyWithContract(build_py):
    """build_py, then the spec and the sample cables copied into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):  # an editable install reads the checkout
            return
        package = Path(self.build_lib) / "service"
        for source, target in SHIPPED.items():
            found, placed = ROOT / source, package / target
            if found.is_dir():
                shutil.rmtree(placed, ignore_errors=True)
                shutil.copytree(found, placed)
            else:
                shutil.copy2(found, placed)


setup(cmdclass={"build_py": BuildPyWithContract})
