"""The plan-reading helpers of tests/query/plans.py, on explain outputs written in the shapes
MongoDB 7 documents (not captured from a server: none can run here); the real-server checks
that use them are tests/query/test_plans.py."""

from __future__ import annotations

from plans import (
    Execution,
    all_indexes,
    all_stages,
    execution,
    is_sharded,
    keys_within,
    winning_plans,
)

REPLICA_SET_FIND = {
    "queryPlanner": {
        "namespace": "cables.cables",
        "winningPlan": {
            "stage": "LIMIT",
            "limitAmount": 26,
            "inputStage": {
                "stage": "PROJECTION_COVERED",
                "inputStage": {
                    "stage": "IXSCAN",
                    "indexName": "tag_keys_1_created_-1_reference_id_-1",
                    "isMultiKey": True,
                },
            },
        },
        "rejectedPlans": [],
    },
    "executionStats": {"nReturned": 26, "totalKeysExamined": 26, "totalDocsExamined": 0},
}

SHARDED_FIND = {
    "queryPlanner": {
        "mongosPlannerVersion": 1,
        "winningPlan": {
            "stage": "SHARD_MERGE_SORT",
            "shards": [
                {
                    "shardName": "shard1",
                    "winningPlan": {
                        "stage": "LIMIT",
                        "inputStage": {
                            "stage": "PROJECTION_SIMPLE",
                            "inputStage": {
                                "stage": "SHARDING_FILTER",
                                "inputStage": {
                                    "stage": "FETCH",
                                    "inputStage": {"stage": "IXSCAN", "indexName": "station_1"},
                                },
                            },
                        },
                    },
                },
                {
                    "shardName": "shard2",
                    "winningPlan": {"stage": "COLLSCAN"},
                },
            ],
        },
    },
    "executionStats": {
        "nReturned": 10,
        "executionStages": {
            "stage": "SHARD_MERGE_SORT",
            "shards": [
                {"shardName": "shard1", "nReturned": 6, "totalKeysExamined": 7,
                 "totalDocsExamined": 7},
                {"shardName": "shard2", "nReturned": 4, "totalKeysExamined": 0,
                 "totalDocsExamined": 400},
            ],
        },
    },
}  # fmt: skip

AGGREGATION = {
    "stages": [
        {
            "$cursor": {
                "queryPlanner": {
                    "winningPlan": {
                        "stage": "PROJECTION_SIMPLE",
                        "inputStage": {
                            "stage": "FETCH",
                            "inputStage": {"stage": "IXSCAN", "indexName": "x"},
                        },
                    }
                },
                "executionStats": {
                    "nReturned": 40,
                    "totalKeysExamined": 41,
                    "totalDocsExamined": 40,
                },
            }
        },
        {"$group": {"_id": "$value", "count": {"$sum": 1}}},
    ]
}


def test_a_replica_set_plan_is_read_whole() -> None:
    assert all_stages(REPLICA_SET_FIND) == {"LIMIT", "PROJECTION_COVERED", "IXSCAN"}
    assert not is_sharded(REPLICA_SET_FIND)
    assert execution(REPLICA_SET_FIND) == Execution(26, 26, 0)


def test_a_sharded_plan_is_read_shard_by_shard() -> None:
    assert is_sharded(SHARDED_FIND)
    assert len(winning_plans(SHARDED_FIND)) == 2
    found = all_stages(SHARDED_FIND)
    assert "COLLSCAN" in found and "IXSCAN" in found and "SHARDING_FILTER" in found
    assert "SHARD_MERGE_SORT" not in found  # the shards' own plans, not the merge
    assert execution(SHARDED_FIND) == Execution(10, 7, 407)


def test_an_aggregation_plan_is_read_from_its_cursor_stage() -> None:
    assert all_stages(AGGREGATION) == {"PROJECTION_SIMPLE", "FETCH", "IXSCAN"}
    assert execution(AGGREGATION) == Execution(40, 41, 40)


def test_the_keys_examined_bound() -> None:
    assert keys_within(Execution(26, 27, 26), limit=26)
    assert not keys_within(Execution(26, 5000, 26), limit=26)
    assert keys_within(Execution(26, 100, 26), limit=26, points=2)


def test_a_sharded_aggregation_is_read_shard_by_shard() -> None:
    sharded = {
        "splitPipeline": {"shardsPart": [], "mergerPart": []},
        "shards": {"shard1": AGGREGATION, "shard2": REPLICA_SET_FIND},
    }
    assert is_sharded(sharded) and len(winning_plans(sharded)) == 2
    assert "LIMIT" in all_stages(sharded) and "FETCH" in all_stages(sharded)
    assert execution(sharded) == Execution(66, 67, 40)


def test_the_indexes_scanned_are_read_from_every_shard() -> None:
    assert all_indexes(REPLICA_SET_FIND) == {"tag_keys_1_created_-1_reference_id_-1"}
    assert all_indexes(SHARDED_FIND) == {"station_1"}
