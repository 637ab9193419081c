"""Ingest speed on PostgreSQL beside SQLite: articles/s of `rashomon ingest` with 1, 2 and 4 processes.

    .venv/bin/python benchmarks/pg_ingest_speed.py [N]      (default 100,000 generated articles)

Also `benchmarks/ingest_speed.py N --db postgresql://…` on a server of your own (its databases
rashomon_speed1, 2, 4, 2_noworker and 4_noworker are dropped and created again). The corpus
(benchmarks/corpus.py) is written once as JSONL; each run stores it in a new store, the processes started together with line k going to process k mod P, each process `rashomon ingest` with its
default reader worker, then (2 and 4 processes) with `--workers 0`. Printed: articles stored, wall time,
articles/s, and the CPU time of the ingest processes and their workers per article (the database
server's not counted). Starts a PostgreSQL server of its own (tests/pgserver.py; fsync off, as in the
tests: the figures are the software's, not a disk's).
"""

from __future__ import annotations

import resource
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.corpus import write_jsonl
from benchmarks.pg_writers import ingest_together
from rashomon.store import Store

ROOT = Path(__file__).resolve().parents[1]


# (store, processes, extra options): each process with its default reader worker, then without one
RUNS: list[tuple[str, int, tuple[str, ...]]] = [
    ("SQLite", 1, ()),
    ("PostgreSQL", 1, ()),
    ("PostgreSQL", 2, ()),
    ("PostgreSQL", 4, ()),
    ("PostgreSQL", 2, ("--workers", "0")),
    ("PostgreSQL", 4, ("--workers", "0")),
]


def _run(files: list[Path], db: str, extra: tuple[str, ...]) -> tuple[int, float, float]:
    """Articles stored, wall time, and the CPU seconds of the ingest processes (theirs and their workers')."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = ingest_together(files, db, *extra)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    with Store(db) as store:
        return store.count(), wall, cpu


def compare(n: int, new_database: Callable[[str], str]) -> None:
    """The runs of RUNS on `n` generated articles; `new_database(name)` gives the URL of a new empty database."""
    with tempfile.TemporaryDirectory() as tmp:
        whole = write_jsonl(Path(tmp) / "all.jsonl", n)
        lines = whole.read_text().splitlines()
        for kind, processes, extra in RUNS:
            files = [Path(tmp) / f"p{processes}-{k}.jsonl" for k in range(processes)]
            for k, f in enumerate(files):
                f.write_text("".join(line + "\n" for line in lines[k::processes]))
            db = (
                str(Path(tmp) / "r.db")
                if kind == "SQLite"
                else new_database(f"rashomon_speed{processes}{'_noworker' if extra else ''}")
            )
            stored, wall, cpu = _run(files, db, extra)
            print(
                f"{kind:10s} {processes} process{'es' if processes > 1 else '  '} {' '.join(extra) or 'default':11s} "
                f"{stored:,} articles stored in {wall:.1f} s: {stored / wall:.0f} articles/s, "
                f"{cpu / max(stored, 1) * 1e3:.2f} ms of ingest CPU an article",
                flush=True,
            )


def on_server(url: str) -> Callable[[str], str]:
    """New databases on the server of `url` (which must allow CREATE DATABASE): `name` dropped first."""
    import psycopg

    def new_database(name: str) -> str:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return urlsplit(url)._replace(path="/" + name).geturl()

    return new_database


def main(n: int | None = None, url: str | None = None) -> int:
    n = n if n is not None else (int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
    if url is not None:
        compare(n, on_server(url))
        return 0
    from tests.pgserver import own_server

    with own_server() as server:
        if server is not None:
            compare(n, server.create)
    return 0


if __name__ == "__main__":
    sys.exit(main())
