"""The production files say what the README promises (Docker is not run here: read them)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
WORKFLOW = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))
INSTRUCTION = re.compile(r"^([A-Z]+)\s+(.*)$")
GUNICORN = Path(sys.executable).parent / "gunicorn"
SETTING_LINE = re.compile(r"^(\w+)\s+= (.*)$", re.MULTILINE)


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined."""
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    found = []
    for line in joined.splitlines():
        match = INSTRUCTION.match(line.strip())
        if match:
            found.append((match.group(1), match.group(2)))
    return found


def service_stage() -> list[tuple[str, str]]:
    """The instructions of the last stage, the image that runs (the first compiles the parser)."""
    found = instructions()
    last_from = max(i for i, (name, _) in enumerate(found) if name == "FROM")
    return found[last_from:]


def arguments(name: str, stage: list[tuple[str, str]] | None = None) -> list[str]:
    """The arguments of every `name` instruction (of the whole file, or of a stage), in order."""
    return [args for instruction, args in stage or instructions() if instruction == name]


def test_dockerfile_runs_on_a_slim_python_base():
    base = arguments("FROM", service_stage())[0]
    assert re.fullmatch(r"python:3\.11(\.\d+)?-slim(-\w+)?", base)


def test_dependencies_install_before_the_source_is_copied():
    stage = service_stage()
    order = [f"{name} {args}" for name, args in stage if name in ("COPY", "RUN")]
    install = next(i for i, step in enumerate(order) if "pip install -r" in step)
    copy_source = next(i for i, step in enumerate(order) if step.startswith("COPY service"))
    # Only the dependency list may invalidate the dependency layer.
    assert arguments("COPY", stage)[0] == "pyproject.toml ./"
    assert install < copy_source


def test_the_image_runs_the_parser_compiled_by_the_first_stage():
    compile_base, service_base = (args.split()[0] for args in arguments("FROM"))
    # C extensions load only into the Python and C library they were built for
    assert compile_base.replace("-bookworm", "-slim-bookworm") == service_base
    compile_step = "scripts/compile_parser.py /compiled --service-only"
    assert any(compile_step in run for run in arguments("RUN"))
    copies = arguments("COPY", service_stage())
    assert "--from=parser /compiled/service/parsing/*.so ./service/parsing/" in copies
    assert "--from=parser /compiled/*__mypyc*.so ./" in copies  # mypyc's top-level runtime
    assert "PYTHONPATH=/app" in arguments("ENV", service_stage())
    # the build fails rather than ship a plain-Python parser by mistake
    assert any('f.__file__.endswith(".so")' in run for run in arguments("RUN", service_stage()))


def test_runs_as_a_non_root_user():
    (user,) = arguments("USER")
    assert user not in ("root", "0")


def test_exec_gunicorn_with_workers_and_threads_from_the_environment():
    (command,) = arguments("CMD")
    shell = json.loads(command)[-1]
    assert "exec gunicorn" in shell
    assert '--workers "${WORKERS}"' in shell and '--threads "${THREADS}"' in shell
    assert "service:create_app()" in shell
    assert "-c python:service.gunicorn_conf" in shell


def test_the_container_gets_the_same_gunicorn_limits_as_cables_serve():
    from service.server import SERVER_LIMITS

    printed = subprocess.run(
        [
            str(GUNICORN),
            "-c",
            "python:service.gunicorn_conf",
            "--print-config",
            "service:create_app()",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    settings = dict(SETTING_LINE.findall(printed))
    assert {name: settings[name] for name in SERVER_LIMITS} == {
        name: str(value) for name, value in SERVER_LIMITS.items()
    }


def test_the_gunicorn_config_imports_no_part_of_the_cli():
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, service.gunicorn_conf; "
            "print(sorted(m for m in sys.modules if m.startswith(('service.cli', 'tqdm'))))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert loaded.strip() == "[]"


def test_healthcheck_polls_health():
    (check,) = arguments("HEALTHCHECK")
    assert "/health" in check


def test_compose_runs_mongo_7_with_a_volume():
    mongo = COMPOSE["services"]["mongo"]
    assert mongo["image"] == "mongo:7"
    volume = mongo["volumes"][0].split(":")[0]
    assert volume in COMPOSE["volumes"]


def test_compose_points_the_service_at_mongo():
    api = COMPOSE["services"]["api"]
    assert api["environment"]["MONGO_URI"] == "mongodb://mongo:27017"
    assert api["depends_on"]["mongo"]["condition"] == "service_healthy"


def test_ci_runs_scripts_test_with_a_mongo_7_service():
    job = WORKFLOW["jobs"]["test"]
    assert job["services"]["mongo"]["image"] == "mongo:7"
    assert job["env"]["TEST_MONGO_URI"].startswith("mongodb://")
    assert [step["run"] for step in job["steps"] if "run" in step] == ["scripts/test"]


def test_the_build_context_holds_the_compile_script_and_no_stray_extension():
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    # the last matching line wins: scripts/ is out, but the compile script is let back in
    assert ignored.index("!scripts/compile_parser.py") > ignored.index("scripts")
    # a parser compiled in a work tree must not slip into the image beside its stage's build
    assert "build" in ignored
    assert "**/*.so" in ignored
