"""The aggregations of autocompletion (GET /participants) on MongoDB: names filtered by their
words on the server before they are grouped, and only the names shown sent back.

    $match    the cables naming, in either list, a word starting with each prefix (the
              people word indexes: service.query.people.prefixes_clause, compiled as any filter)
    $project  each person of `participants` and `mentioned` as {name, words, part}
    $unwind   one document per person
    $match    the persons whose own words start with every prefix (`^prefix`, anchored)
    $group    by (cable, name): a name once per cable, `part` 1 if it took part there
    $group    by name: `named` (cables naming it) and `took_part` (cables it took part in)

then either `$sort` + `$limit` (the names shown, in service.query.people.name_order) or
`$count` (how many names match: one number). Both groups may spill to disk (`allowDiskUse`);
no stage ships more than the names shown. Every stage and operator here is in MongoDB 5.0
($map, $concatArrays and $ifNull in $project, $regex on an array field, $count).
"""

from __future__ import annotations

import re
from typing import Any

from service.query.people import MENTIONED, PARTICIPANTS, NameCount

Stage = dict[str, Any]


def _people(list_name: str, part: int) -> dict[str, Any]:
    """A people list's persons as {name, words, part} (an absent list as none)."""
    return {
        "$map": {
            "input": {"$ifNull": ["$" + list_name, []]},
            "as": "person",
            "in": {"name": "$$person.name", "words": "$$person.search_words", "part": part},
        }
    }


def grouped_names(cables: Stage, prefixes: list[str]) -> list[Stage]:
    """The stages giving one document per matching name: {_id: name, named, took_part};
    `cables` is the compiled filter selecting the cables to read ({}: every cable)."""
    words = [{"people.words": {"$regex": "^" + re.escape(prefix)}} for prefix in prefixes]
    return [
        *([{"$match": cables}] if cables else []),
        {
            "$project": {
                "people": {"$concatArrays": [_people(PARTICIPANTS, 1), _people(MENTIONED, 0)]}
            }
        },
        {"$unwind": "$people"},
        {"$match": {"$and": [{"people.name": {"$type": "string"}}, *words]}},
        {
            "$group": {
                "_id": {"cable": "$_id", "name": "$people.name"},
                "part": {"$max": "$people.part"},
            }
        },
        {"$group": {"_id": "$_id.name", "named": {"$sum": 1}, "took_part": {"$sum": "$part"}}},
    ]


def top_stages(top: int) -> list[Stage]:
    """After grouped_names: the `top` names in name_order (named, took part, name)."""
    return [{"$sort": {"named": -1, "took_part": -1, "_id": 1}}, {"$limit": top}]


COUNT_STAGE: Stage = {"$count": "names"}


def name_count(row: dict[str, Any]) -> NameCount:
    """A grouped row as a NameCount."""
    return NameCount(row["_id"], int(row["named"]), int(row["took_part"]))
