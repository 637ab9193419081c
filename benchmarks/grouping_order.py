"""How much the order of arrival alone moves the stories of ONE ingest process (no second process, no server).

    .venv/bin/python benchmarks/grouping_order.py [--seeds 3]

Grouping is incremental: an article joins the best story open when it arrives, so the same articles in
another order can form other stories. Several ingest processes sharing a PostgreSQL store
(benchmarks/pg_writers.py) place their articles in an interleaved order no single run repeats; this
benchmark asks how far the order by itself goes, through the real ingest path on SQLite
(benchmarks/stories.py `group`). Each corpus is taken in the order pg_writers.py writes it (devdata.file_order:
publication order; ECB+, undated, in one seeded random order) and again in the order four processes' turns could
give: line k to process k mod 4, each process's lines in batches of 64, the batches taken in seeded
random turns; for dated corpora the result is then put back in date order (a process's own articles
never close another's stories, so what varies between processes is the order within the days). Printed:
B-cubed agreement (F1) of each reordering with the file order, and both against the gold events.
Skips when ../shared/data is absent.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.devdata import AGREEMENT_SETS, DATA, file_order, rows
from benchmarks.stories import group
from rashomon.group.stories import bcubed

PROCESSES, BATCH = 4, 64


def interleaved(order: list[dict], seed: int) -> list[dict]:
    """An order four processes' batch turns could give (dated corpora: put back in date order)."""
    streams = [order[k::PROCESSES] for k in range(PROCESSES)]
    turns = [k for k, stream in enumerate(streams) for _ in range(0, len(stream), BATCH)]
    random.Random(seed).shuffle(turns)
    taken = [0] * PROCESSES
    out: list[dict] = []
    for k in turns:  # a process's batches keep their own order, whichever turn they get
        out.extend(streams[k][taken[k] : taken[k] + BATCH])
        taken[k] += BATCH
    if all(r.get("date") for r in out):
        out.sort(key=lambda r: r["date"])  # stable: within a day, the interleaved order stays
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    if not DATA.exists():
        print(f"skipped: {DATA} is absent")
        return 0
    for name, (path, split) in AGREEMENT_SETS.items():
        order = file_order([r for r in rows(path) if split is None or r.get("split") == split])
        base = dict(zip((r["id"] for r in order), group(order), strict=True))
        ids = [r["id"] for r in order]
        gold = [r["event_id"] for r in order]
        agreements, f1s = [], []
        for seed in range(args.seeds):
            other = interleaved(order, seed)
            story = dict(zip((r["id"] for r in other), group(other), strict=True))
            agreements.append(bcubed([str(base[i]) for i in ids], [story[i] for i in ids])[2])
            f1s.append(bcubed(gold, [story[i] for i in ids])[2])
        print(
            f"{name:14s} articles {len(order):5d}  agreement with the file order "
            f"{min(agreements):.3f}–{max(agreements):.3f} over {args.seeds} orders  gold F1 file order "
            f"{bcubed(gold, [base[i] for i in ids])[2]:.3f}, reordered {min(f1s):.3f}–{max(f1s):.3f}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
