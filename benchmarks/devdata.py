"""The development corpora in ../shared/data (never copied into the project): where they are, read by event."""

from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def rows(path: Path) -> Iterator[dict]:
    """The JSON objects of a JSON Lines file."""
    with path.open() as fh:
        for line in fh:
            yield json.loads(line)


# The corpora on which several processes' stories are compared with one's (benchmarks/pg_writers.py) and
# one process's stories in other orders with the file order (benchmarks/grouping_order.py): path, split.
AGREEMENT_SETS: dict[str, tuple[Path, str | None]] = {
    "ECB+ dev": (DATA / "ecbplus" / "articles.jsonl", "dev"),
    "BASIL": (DATA / "basil" / "articles.jsonl", None),
    "AllSides 2021": (DATA / "allsides" / "articles.allsides-2021.jsonl", None),
}


def file_order(data: list[dict]) -> list[dict]:
    """The order the agreement benchmarks write a corpus in: by date (then id), or, undated (ECB+), one
    seeded random order."""
    if all(r.get("date") for r in data):
        return sorted(data, key=lambda r: (r["date"], r["id"]))
    return random.Random(0).sample(data, len(data))


def by_event(path: Path, *, split: str | None = None) -> dict[str, list[dict]]:
    """Articles grouped by their gold `event_id`, optionally of one split."""
    events: dict[str, list[dict]] = defaultdict(list)
    for row in rows(path):
        if split is None or row.get("split") == split:
            events[row["event_id"]].append(row)
    return events


# BASIL speaker names that are groups, not people ("Nebraska_officials", "Obama_campaign", "NOW" for the
# National Organization for Women).
BASIL_GROUPS = frozenset(
    "officials lawmakers republicans democrats now campaign party administration house senate committee staff".split()
)


def basil_person(speaker: str) -> str | None:
    """The surname of a BASIL speaker who is a named person (every part capitalised, the last no group
    word: "Rick_Perry" → "perry"), else None ("other_anti", "Tea_Party", "Obama_campaign")."""
    parts = speaker.split("_") if speaker else []
    if len(parts) >= 2 and all(p[:1].isupper() for p in parts) and parts[-1].lower() not in BASIL_GROUPS:
        return parts[-1].lower()
    return None
