"""The development corpora in ../shared/data (never copied into the project): where they are, read by event."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def rows(path: Path) -> Iterator[dict]:
    """The JSON objects of a JSON Lines file."""
    with path.open() as fh:
        for line in fh:
            yield json.loads(line)


def by_event(path: Path, *, split: str | None = None) -> dict[str, list[dict]]:
    """Articles grouped by their gold `event_id`, optionally of one split."""
    events: dict[str, list[dict]] = defaultdict(list)
    for row in rows(path):
        if split is None or row.get("split") == split:
            events[row["event_id"]].append(row)
    return events
