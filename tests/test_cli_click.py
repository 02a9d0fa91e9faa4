"""The `cables` command line on click: help with examples, --version, exit statuses, the JSON
report, the rejects named under the summary, `--replace` in the hints, `parse --fields`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cli_output import summary_counts

from service.cli import main

DATA = Path(__file__).parent / "data"
CABLES = DATA / "corpus" / "cables"
SEED = DATA / "seed" / "06ALMATY1457.txt"
BROKEN_CSV = DATA / "ingest" / "cables_broken_row.csv"
COMMANDS = ["ingest", "reparse", "parse", "serve"]


@pytest.fixture
def folder(tmp_path) -> Path:
    """Two real cables, a cables.csv with a broken row, and a note that is not a cable."""
    source = tmp_path / "in"
    source.mkdir()
    for name in ["07BERN881.html", "09PARIS997.txt"]:
        shutil.copy(CABLES / name, source / name)
    shutil.copy(BROKEN_CSV, source / "cables.csv")
    (source / "note.txt").write_text("Lunch moved to noon.")
    return source


def test_the_top_level_help_names_every_command_in_whole_sentences(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in COMMANDS:
        line = next(line for line in out.splitlines() if line.strip().startswith(command + " "))
        assert line.rstrip().endswith(".") and "..." not in line, line
    assert "Exit status" in out


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_examples(command, capsys):
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert "Examples:" in out
    assert f"cables {command} " in out.split("Examples:")[1]


def test_version_prints_the_package_version(capsys):
    from importlib.metadata import version

    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"cables, version {version('cable-archive')}"


@pytest.mark.parametrize(
    "argv",
    [[], ["ingest"], ["ingest", "x", "--bogus"], ["parse", "f", "--format", "no-such"], ["nope"]],
)
def test_a_wrong_command_line_exits_2_with_usage(argv, capsys):
    assert main(argv) == 2  # bare `cables` too: it prints its help
    assert "Usage: cables" in capsys.readouterr().err


def test_the_console_script_exits_with_the_status(tmp_path):
    script = Path(sys.executable).parent / "cables"
    missing = subprocess.run(
        [script, "ingest", str(tmp_path / "nowhere")], capture_output=True, text=True
    )
    assert missing.returncode == 3
    assert missing.stderr.strip().splitlines()[-1].startswith("cables ingest: no such file")
    assert "Traceback" not in missing.stderr


def ingest_direct(folder: Path, monkeypatch, *more: str) -> int:
    monkeypatch.setenv("MONGO_URI", "mongomock://")
    return main(["ingest", str(folder), "--quiet", *more])


def test_the_summary_names_the_first_rejects_and_hints_at_the_rejects_file(
    folder, monkeypatch, capsys
):
    assert ingest_direct(folder, monkeypatch) == 1
    out = capsys.readouterr().out
    assert summary_counts(out)["invalid"] == 2
    rejects = out.split("rejected 2:")[1].splitlines()
    assert any("cables.csv:341: " in line for line in rejects)
    assert any("note.txt: " in line and "no cable structure" in line for line in rejects)
    assert "--rejects FILE" in out


def test_conflicts_name_the_replace_option(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("MONGO_URI", "mongomock://")
    other = tmp_path / "other"  # two texts of one cable: the second is a conflict
    other.mkdir()
    text = (CABLES / "09PARIS997.txt").read_bytes()
    (other / "a.txt").write_bytes(text)
    (other / "b.txt").write_bytes(text.replace(b"Gompertz", b"Gompertx"))
    rejects = tmp_path / "rejects.ndjson"
    assert main(["ingest", str(other), "--quiet", "--rejects", str(rejects)]) == 1
    out = capsys.readouterr().out
    assert summary_counts(out)["conflict"] == 1
    assert "--replace" in out and "?replace=true" not in out
    (item,) = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert item["outcome"] == "conflict" and "--replace" in item["reason"]


def test_json_prints_the_bulk_report_alone(folder, monkeypatch, capsys):
    assert ingest_direct(folder, monkeypatch, "--json") == 1
    report = json.loads(capsys.readouterr().out)
    assert report["counts"]["created"] == report["counts"]["total"] - 2
    assert {item["outcome"] for item in report["items"]} == {"invalid"}


def test_ingest_says_before_it_starts_that_the_data_is_not_kept(folder, monkeypatch, capsys):
    monkeypatch.delenv("MONGO_URI", raising=False)
    assert main(["ingest", str(folder), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "which is gone when this command ends" in err


def test_parse_leaves_raw_out_unless_asked_for(capsys):
    assert main(["parse", str(SEED)]) == 0
    assert "raw" not in json.loads(capsys.readouterr().out)
    assert main(["parse", str(SEED), "--fields", "reference_id,raw"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert list(document) == ["reference_id", "raw"]
    assert document["raw"] == SEED.read_text()


def test_parse_fields_prints_only_those_keys(capsys):
    assert main(["parse", str(SEED), "--fields", "subject, tags"]) == 0
    assert list(json.loads(capsys.readouterr().out)) == ["subject", "tags"]


def test_parse_fields_naming_an_unknown_key_is_a_usage_error(capsys):
    assert main(["parse", str(SEED), "--fields", "subject,nope"]) == 2
    err = capsys.readouterr().err
    assert "nope" in err and "reference_id" in err


def test_parse_of_a_missing_file_could_not_run(tmp_path, capsys):
    assert main(["parse", str(tmp_path / "none.txt")]) == 3
    assert capsys.readouterr().err.startswith("cables parse: ")


def test_serve_with_a_missing_load_folder_could_not_run(tmp_path, capsys):
    assert main(["serve", "--load", str(tmp_path / "none")]) == 3
    assert "no such file or folder" in capsys.readouterr().err
