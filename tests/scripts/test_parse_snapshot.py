"""scripts/parse_snapshot.py: a snapshot checks clean against itself and names a changed field."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "parse_snapshot.py"
SEED_ENTRY = "seed/06ALMATY1457.txt"


def run(*arguments: str | Path) -> subprocess.CompletedProcess[str]:
    """Run the script and capture what it prints."""
    command = [sys.executable, str(SCRIPT), *map(str, arguments)]
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


def test_a_snapshot_checks_clean_then_catches_a_change(tmp_path: Path) -> None:
    snapshot = tmp_path / "snapshot.json"
    written = run("write", snapshot)
    assert written.returncode == 0, written.stderr
    documents = json.loads(snapshot.read_text())
    assert documents[SEED_ENTRY]["reference_id"] == "06ALMATY1457"

    clean = run("check", snapshot)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert f"{len(documents)}/{len(documents)} documents identical" in clean.stdout

    documents[SEED_ENTRY]["signer"] = "SOMEONE ELSE"
    snapshot.write_text(json.dumps(documents))
    changed = run("check", snapshot)
    assert changed.returncode == 1
    assert f"{SEED_ENTRY}: signer" in changed.stdout


def test_mutations_are_damaged_corpus_files_the_same_on_every_run() -> None:
    spec = importlib.util.spec_from_file_location("parse_snapshot", SCRIPT)
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    first = list(script.mutations(30))
    assert first == list(script.mutations(30))  # write and check must see the same inputs
    assert [name for name, _, _ in first] == [f"mutation/{index}" for index in range(30)]
    corpus = ROOT / "tests" / "data" / "corpus" / "cables"
    originals = {path.read_bytes() for path in corpus.iterdir() if path.is_file()}
    damaged = [data for _, data, _ in first if data not in originals]
    assert len(damaged) >= 25
