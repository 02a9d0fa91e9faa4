"""Reading MongoDB explain output: stage names of every winning plan (one per shard on a
sharded cluster), and the execution counts. Unit-tested on explain outputs in MongoDB 7's
documented shapes (tests/query/test_plan_reading.py); used on a real server by
tests/query/test_plans.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Plan = dict[str, Any]
# Keys under which a plan stage nests the stages feeding it.
_CHILD_KEYS = ("inputStage", "queryPlan", "winningPlan", "executionStages")
SHARD_STAGES = frozenset({"SHARD_MERGE", "SHARD_MERGE_SORT", "SINGLE_SHARD", "SHARDING_FILTER"})


def winning_plans(explain: dict[str, Any]) -> list[Plan]:
    """The winning plan of each shard (or the one plan of a replica set or standalone); an
    aggregation's `$cursor` stage is looked into."""
    planner = _planner(explain)
    winning = planner.get("winningPlan", {})
    if "shards" in winning:  # mongos: SHARD_MERGE / SINGLE_SHARD over each shard's plan
        return [shard.get("winningPlan", shard) for shard in winning["shards"]]
    if "shards" in explain:  # an aggregation explained through mongos
        return [plan for shard in explain["shards"].values() for plan in winning_plans(shard)]
    return [winning]


def _planner(explain: dict[str, Any]) -> dict[str, Any]:
    """The queryPlanner section, also when an aggregation puts it under its first stage."""
    if "queryPlanner" in explain:
        return dict(explain["queryPlanner"])
    for stage in explain.get("stages", []):
        cursor = stage.get("$cursor")
        if isinstance(cursor, dict) and "queryPlanner" in cursor:
            return dict(cursor["queryPlanner"])
    return {}


def stages(plan: Plan) -> set[str]:
    """Every stage name in a plan tree."""
    found = {plan["stage"]} if "stage" in plan else set()
    for key in _CHILD_KEYS:
        if isinstance(plan.get(key), dict):
            found |= stages(plan[key])
    for child in plan.get("inputStages", []):
        found |= stages(child)
    for shard in plan.get("shards", []):
        found |= stages(shard)
    return found


def indexes(plan: Plan) -> set[str]:
    """The names of the indexes a plan tree scans."""
    found = {plan["indexName"]} if plan.get("stage") == "IXSCAN" and "indexName" in plan else set()
    children = [plan[key] for key in _CHILD_KEYS if isinstance(plan.get(key), dict)]
    for child in [*children, *plan.get("inputStages", []), *plan.get("shards", [])]:
        found |= indexes(child)
    return found


def all_indexes(explain: dict[str, Any]) -> set[str]:
    """The indexes scanned by every shard's winning plan."""
    return set().union(*(indexes(plan) for plan in winning_plans(explain)))


def all_stages(explain: dict[str, Any]) -> set[str]:
    """The stage names of every shard's winning plan."""
    return set().union(*(stages(plan) for plan in winning_plans(explain)))


def is_sharded(explain: dict[str, Any]) -> bool:
    """Whether the explain came through mongos from a sharded collection."""
    winning = _planner(explain).get("winningPlan", {})
    return winning.get("stage") in SHARD_STAGES or "shards" in winning or "shards" in explain


@dataclass(frozen=True)
class Execution:
    """What running the plan cost."""

    returned: int
    keys_examined: int
    docs_examined: int


def execution(explain: dict[str, Any]) -> Execution:
    """The execution counts: the top-level totals, or the sum over shards."""
    if isinstance(explain.get("shards"), dict) and "executionStats" not in explain:
        runs = [execution(shard) for shard in explain["shards"].values()]  # an aggregation
        return Execution(
            sum(run.returned for run in runs),
            sum(run.keys_examined for run in runs),
            sum(run.docs_examined for run in runs),
        )
    stats = explain.get("executionStats")
    if stats is None:
        cursors = [stage["$cursor"] for stage in explain.get("stages", []) if "$cursor" in stage]
        stats = cursors[0].get("executionStats", {}) if cursors else {}
    if "totalKeysExamined" in stats:
        return Execution(
            int(stats.get("nReturned", 0)),
            int(stats["totalKeysExamined"]),
            int(stats.get("totalDocsExamined", 0)),
        )
    shards = stats.get("executionStages", {}).get("shards", [])
    return Execution(
        sum(int(shard.get("nReturned", 0)) for shard in shards),
        sum(int(shard.get("totalKeysExamined", 0)) for shard in shards),
        sum(int(shard.get("totalDocsExamined", 0)) for shard in shards),
    )


def keys_within(run: Execution, *, limit: int, points: int = 1, slack: int = 2) -> bool:
    """Whether keys examined stay within what an index-served page needs: about one key per
    document returned per index point (an `$in` or `$or` reads each point's range), plus the
    one key past the page that ends each range."""
    return run.keys_examined <= points * (max(run.returned, 0) + limit + slack)
