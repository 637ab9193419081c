"""Ingest speed: a generated corpus (default 100,000 articles in local JSONL files) into a new store.

Prints articles/s end to end and the time spent in reading, in annotation for
grouping (terms and MinHash signature), in grouping (story choice) and in the
store, plus peak memory and resident memory every 10% (it should stay flat:
the open-story index is bounded by the time window, the rest is on disk).
Usage: python benchmarks/ingest_speed.py [N]
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.corpus import articles
from rashomon.group import copies, stories
from rashomon.ingest import IngestRun, pipeline
from rashomon.store import Store

SPENT: dict[str, float] = defaultdict(float)


def timed(name: str, fn):  # type: ignore[no-untyped-def]
    def wrapper(*a, **k):  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            SPENT[name] += time.perf_counter() - t

    return wrapper


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    pipeline.copies.signature = timed("annotate", copies.signature)  # type: ignore[attr-defined]
    pipeline.term_counts = timed("annotate", stories.term_counts)  # type: ignore[attr-defined]
    stories.Grouper.choose = timed("group", stories.Grouper.choose)  # type: ignore[method-assign]
    stories.Grouper.add = timed("group", stories.Grouper.add)  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as tmp:
        import json

        shards = []
        made = 0
        shard_size = 10_000
        gen = articles(n)
        while made < n:
            path = Path(tmp) / f"part{len(shards):03d}.jsonl"
            with path.open("w") as fh:
                for _ in range(min(shard_size, n - made)):
                    fh.write(json.dumps(next(gen)) + "\n")
                    made += 1
            shards.append(path)
        db = Path(tmp) / "bench.db"
        start = time.perf_counter()
        with Store(db) as store:
            run = IngestRun(store)
            run.keep = timed("store+group+annotate", run.keep)  # type: ignore[method-assign]
            for shard in shards:
                run.source(str(shard))
                done = run.report.added + run.report.duplicates
                print(
                    f"  {done:7,d} articles  {done / (time.perf_counter() - start):6.0f}/s  RSS {rss_mb():6.0f} MB",
                    flush=True,
                )
            run.close()
            elapsed = time.perf_counter() - start
            stored = store.count()
            n_stories = store.db.execute("SELECT count(*) FROM stories").fetchone()[0]
        size = sum(p.stat().st_size for p in Path(tmp).glob("bench.db*")) / 1e6
    total = run.report.added + run.report.duplicates
    keep = SPENT["store+group+annotate"]
    print(
        f"articles: {total:,} read, {stored:,} stored ({run.report.copies:,} near-copies), {n_stories:,} stories; store {size:.0f} MB"
    )
    print(f"end to end: {total / elapsed:.0f} articles/s ({elapsed:.1f} s)")
    print(
        f"  reading (parse, normalise, build): {total / max(elapsed - keep, 1e-9):.0f} articles/s ({elapsed - keep:.1f} s)"
    )
    print(
        f"  annotation (terms, MinHash):       {total / SPENT['annotate']:.0f} articles/s ({SPENT['annotate']:.1f} s)"
    )
    print(f"  grouping (story choice, index):    {total / SPENT['group']:.0f} articles/s ({SPENT['group']:.1f} s)")
    other = keep - SPENT["annotate"] - SPENT["group"]
    print(f"  store (transactions, copy lookup): {total / other:.0f} articles/s ({other:.1f} s)")
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
