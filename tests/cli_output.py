"""Reading what the CLI prints: the counts its summaries end with ("created 5,000")."""

from __future__ import annotations


def summary_counts(output: str) -> dict[str, int]:
    """The counts of a summary printed by `cables ingest` or `cables reparse`."""
    counts = {}
    for line in output.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].replace(",", "").isdigit():
            counts[parts[0]] = int(parts[1].replace(",", ""))
    return counts
