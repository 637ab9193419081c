"""Ingest speed on PostgreSQL beside SQLite: articles/s of `rashomon ingest` with 1, 2 and 4 processes.

    .venv/bin/python benchmarks/pg_ingest_speed.py [N]      (default 20,000 generated articles)

The corpus (benchmarks/corpus.py) is written once as JSONL; each run stores it in a new store, the
processes started together with line k going to process k mod P, each process `rashomon ingest` with its
default reader worker. Printed: articles stored, wall time, articles/s. Starts a PostgreSQL server of its
own (tests/pgserver.py; fsync off, as in the tests: the figures are the software's, not a disk's).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.corpus import write_jsonl
from benchmarks.pg_writers import ingest_together
from rashomon.store import Store

ROOT = Path(__file__).resolve().parents[1]


def _run(files: list[Path], db: str) -> tuple[int, float]:
    wall = ingest_together(files, db)
    with Store(db) as store:
        return store.count(), wall


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    from tests.pgserver import PostgresServer, binaries

    found = binaries()
    if found is None:
        print("skipped: PostgreSQL (initdb, pg_ctl) is not installed")
        return 0
    server = PostgresServer(found)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            whole = write_jsonl(Path(tmp) / "all.jsonl", n)
            lines = whole.read_text().splitlines()
            runs = [("SQLite", 1), ("PostgreSQL", 1), ("PostgreSQL", 2), ("PostgreSQL", 4)]
            for kind, processes in runs:
                files = [Path(tmp) / f"p{processes}-{k}.jsonl" for k in range(processes)]
                for k, f in enumerate(files):
                    f.write_text("".join(line + "\n" for line in lines[k::processes]))
                db = str(Path(tmp) / "r.db") if kind == "SQLite" else server.create(f"speed{processes}")
                stored, wall = _run(files, db)
                print(
                    f"{kind:10s} {processes} process{'es' if processes > 1 else '  '}  {stored:,} articles stored "
                    f"in {wall:.1f} s: {stored / wall:.0f} articles/s"
                )
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
