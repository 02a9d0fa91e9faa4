"""The `sharded` CI job (.github/workflows/ci.yml): it cannot run here, so its workflow is
parsed and checked to start the cluster and run the store and query tests through mongos."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).parent.parent
WORKFLOW = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))
CLUSTER = (ROOT / ".ci" / "sharded-cluster").read_text(encoding="utf-8")


def test_the_sharded_job_runs_the_store_and_query_tests_through_mongos() -> None:
    job = WORKFLOW["jobs"]["sharded"]
    assert job["env"] == {"TEST_MONGO_URI": "mongodb://127.0.0.1:27017", "TEST_MONGO_SHARDED": "1"}
    runs = [step["run"] for step in job["steps"] if "run" in step]
    assert runs[0] == ".ci/sharded-cluster"
    assert ".venv/bin/pytest -q tests/store tests/query" in runs
    stop = next(step for step in job["steps"] if step.get("run") == ".ci/sharded-cluster stop")
    assert stop["if"] == "always()"


def test_the_cluster_script_starts_a_config_server_a_shard_and_a_mongos() -> None:
    assert (ROOT / ".ci" / "sharded-cluster").stat().st_mode & 0o111
    assert "mongod --configsvr --replSet cfg" in CLUSTER
    assert "mongod --shardsvr --replSet shard1" in CLUSTER
    assert "mongos --configdb cfg/cables-cfg:27019" in CLUSTER
    assert "-p 127.0.0.1:27017:27017" in CLUSTER  # published on loopback only
    assert 'sh.addShard("shard1/cables-shard1:27018")' in CLUSTER
