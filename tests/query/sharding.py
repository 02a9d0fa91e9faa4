"""Sharding the cables collection of a throwaway test database, where TEST_MONGO_SHARDED=1
says TEST_MONGO_URI is a mongos (the `sharded` job of .github/workflows/ci.yml)."""

from __future__ import annotations

import os
from typing import Any

SHARDED = os.environ.get("TEST_MONGO_SHARDED") == "1"
SHARD_KEY = {"_id": "hashed"}  # as the README says to shard in production


def shard_cables(db: Any) -> None:
    """Shard `cables` on hashed _id (MongoDB 6+ needs no enableSharding first)."""
    if SHARDED:
        db.client.admin.command("shardCollection", f"{db.name}.cables", key=SHARD_KEY)


def shard_key_of(db: Any) -> dict[str, Any] | None:
    """The shard key of `cables` as the config database records it, or None."""
    found = db.client["config"]["collections"].find_one({"_id": f"{db.name}.cables"})
    return None if found is None or found.get("dropped") else dict(found["key"])
