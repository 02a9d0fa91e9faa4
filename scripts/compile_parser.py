#!/usr/bin/env python3
"""Build the compiled parser: a copy of the project whose service/parsing modules are compiled
to C extensions by mypyc (mypy's compiler, pinned in the test extra).

    .venv/bin/python scripts/compile_parser.py                      # -> build/compiled
    .venv/bin/python scripts/compile_parser.py DEST --service-only  # what the Docker image takes

The repository keeps the parser in plain Python: that is what developers edit, profile and
test. The compiled modules are the same source, run without the interpreter's per-operation
overhead (about a quarter faster); the Docker image ships them. DEST is a fresh copy of the
project (service/, tests/, scripts/, samples/, docs/, openapi.yaml, pyproject.toml, README.md;
with --service-only, service/ and pyproject.toml) in which the compiled modules sit beside their
sources, where Python's import prefers them. Run the tests, the snapshot check or the benchmark
from inside DEST to exercise them; scripts/test does, with no arguments.

Needs a C compiler and the Python headers (on every machine of this project's kind).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT_ENTRIES = (
    "service",
    "tests",
    "scripts",
    "samples",
    "docs",
    "openapi.yaml",
    "pyproject.toml",
    "README.md",
)
SERVICE_ENTRIES = ("service", "pyproject.toml")
# Every parser module, in service/parsing and its subpackages (service/parsing/fields), but the
# package's own __init__ and the exception class: their code runs once per import or per refused
# input, and compiling them would gain nothing. A subpackage's __init__ is compiled: compiled
# modules that refer to it ("fields.parse_signer") find it only as a compiled module.
NOT_COMPILED = {"__init__.py", "errors.py"}
COPY_IGNORED = shutil.ignore_patterns("__pycache__", "*.so", "*.pyc", ".hypothesis")


def parser_modules(package: Path) -> list[Path]:
    """The parser modules to compile, of the package folder given and its subpackages."""
    return sorted(
        path
        for path in package.rglob("*.py")
        if path.parent != package or path.name not in NOT_COMPILED
    )


def module_name(module: Path, root: Path) -> str:
    """The dotted name of a module file under the project root ("service.parsing.fields.scan")."""
    return ".".join(module.relative_to(root).with_suffix("").parts)


def copy_project(destination: Path, entries: tuple[str, ...]) -> None:
    """A fresh copy of the project's entries at destination (an old copy is removed first)."""
    if destination.exists():
        shutil.rmtree(destination)
    destination.mkdir(parents=True)
    for entry in entries:
        source = ROOT / entry
        if source.is_dir():
            shutil.copytree(source, destination / entry, ignore=COPY_IGNORED)
        else:
            shutil.copy2(source, destination / entry)


def compile_modules(destination: Path) -> list[Path]:
    """Run mypyc over the copy's parser modules; the extensions land beside the sources."""
    modules = parser_modules(destination / "service" / "parsing")
    command = [sys.executable, "-m", "mypyc", *(str(m.relative_to(destination)) for m in modules)]
    result = subprocess.run(command, cwd=destination, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-5000:] + result.stderr[-5000:])
        raise SystemExit(f"compile_parser: mypyc failed (exit {result.returncode})")
    shutil.rmtree(destination / "build", ignore_errors=True)  # mypyc's C sources and objects
    return modules


def check_compiled(destination: Path, modules: list[Path]) -> None:
    """Import the copy's parser in a fresh interpreter: every module must be the extension."""
    names = [module_name(module, destination) for module in modules]
    probe = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    path = importlib.import_module(name).__file__\n"
        "    if not path.endswith('.so'):\n"
        "        sys.exit(f'{name} is not compiled: {path}')\n"
    )
    # -c puts the working directory first on sys.path: the copy, not the repository
    subprocess.run([sys.executable, "-c", probe], cwd=destination, check=True)


def main() -> int:
    """Copy the project, compile its parser, check that the copy imports the extensions."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("destination", nargs="?", default=str(ROOT / "build" / "compiled"))
    parser.add_argument(
        "--service-only", action="store_true", help="copy service/ alone (no tests, no data)"
    )
    options = parser.parse_args()
    destination = Path(options.destination).resolve()
    copy_project(destination, SERVICE_ENTRIES if options.service_only else PROJECT_ENTRIES)
    modules = compile_modules(destination)
    check_compiled(destination, modules)
    print(f"compiled {len(modules)} parser modules with mypyc into {destination}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
