"""Ingest speed: a generated corpus (default 100,000 articles in local JSONL files) into a new store.

Prints articles/s end to end; where the parent process spends its time
(waiting for the workers that read and annotate, grouping, the store); the
workers' CPU time for reading and annotation (terms and MinHash); peak memory
of the parent and of a worker, and the parent's resident memory after each
shard (it should stay flat: the open-story index is bounded by the time
window, the rest is on disk).
Usage: python benchmarks/ingest_speed.py [N] [--processes P]   (P=1: everything in one process)
       python benchmarks/ingest_speed.py [N] --db postgresql://…  (1, 2 and 4 ingest processes on PostgreSQL)
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.corpus import articles
from rashomon.group import stories
from rashomon.ingest import IngestRun, prepare
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


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Ingest speed on a generated corpus")
    parser.add_argument("n", nargs="?", type=int, default=100_000, help="articles (default 100,000)")
    parser.add_argument(
        "--processes", type=int, help="worker processes (default: cores - 1, at most 4; 0: all in one process)"
    )
    parser.add_argument(
        "--db",
        help="a postgresql:// URL: articles/s with 1, 2 and 4 ingest processes on that server beside SQLite's "
        "(benchmarks/pg_ingest_speed.py; databases rashomon_speed1, 2, 4, 2_noworker and 4_noworker are created there)",
    )
    return parser.parse_args()


def _shards(folder: Path, n: int, shard_size: int = 10_000) -> list[Path]:
    """`n` generated articles as JSONL files of `shard_size` lines."""
    import json

    shards: list[Path] = []
    made = 0
    gen = articles(n)
    while made < n:
        path = folder / f"part{len(shards):03d}.jsonl"
        with path.open("w") as fh:
            for _ in range(min(shard_size, n - made)):
                fh.write(json.dumps(next(gen)) + "\n")
                made += 1
        shards.append(path)
    return shards


def main() -> None:
    options = _options()
    if options.db:
        from benchmarks import pg_ingest_speed

        pg_ingest_speed.main(options.n, options.db)
        return
    n, processes = options.n, options.processes
    prepare.Preparer._results = timed("wait", prepare.Preparer._results)  # type: ignore[method-assign]
    stories.Grouper.choose = timed("group", stories.Grouper.choose)  # type: ignore[method-assign]
    stories.Grouper.add = timed("group", stories.Grouper.add)  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as tmp:
        shards = _shards(Path(tmp), n)
        db = Path(tmp) / "bench.db"
        start = time.perf_counter()
        with Store(db) as store:
            run = IngestRun(store, processes=processes)
            run.keep = timed("keep", run.keep)  # type: ignore[method-assign]
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
    _report(run, stored, n_stories, size, elapsed)


def _report(run: IngestRun, stored: int, n_stories: int, size: float, elapsed: float) -> None:
    total = run.report.added + run.report.duplicates
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    workers = run.preparer.processes
    print(
        f"articles: {total:,} read, {stored:,} stored ({run.report.copies:,} near-copies), {n_stories:,} stories; "
        f"store {size:.0f} MB; {workers} worker processes"
    )
    print(f"end to end: {total / elapsed:.0f} articles/s ({elapsed:.1f} s)")
    group, keep, wait = SPENT["group"], SPENT["keep"], SPENT["wait"]
    print("  parent process:")
    print(f"    waiting for reading + annotation: {wait:6.1f} s")
    print(f"    grouping (story choice, index):   {group:6.1f} s  ({total / group:,.0f} articles/s)")
    print(f"    store (transactions, copy lookup):{keep - group:6.1f} s  ({total / (keep - group):,.0f} articles/s)")
    print(f"    the rest (lines, URL checks):     {elapsed - keep - wait:6.1f} s")
    if workers:
        cpu = children.ru_utime + children.ru_stime
        print(f"  workers, reading + annotation: {cpu:.1f} CPU s ({total / cpu:,.0f} articles per CPU second)")
        print(
            f"peak memory: parent {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB, "
            f"largest worker {children.ru_maxrss / 1024:.0f} MB"
        )
    else:
        print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
