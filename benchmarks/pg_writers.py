"""Several ingest processes on one PostgreSQL store against one process: B-cubed agreement of their stories
on the development corpora (../shared/data: ECB+ dev, BASIL, AllSides 2021).

    .venv/bin/python benchmarks/pg_writers.py [--processes 4]

Each corpus is written as JSONL in the order `benchmarks/stories.py` uses (publication order; ECB+, which
has no dates, in one seeded random order). One `rashomon ingest` process stores it all in one database;
N processes, started together, store it in another, line k going to process k mod N. Printed: B-cubed F1
between the N processes' stories and the one process's (target, issue 12: at least 0.98; the processes'
saves interleave in an order no run repeats, and grouping is incremental, so order moves a few
articles), and both against the corpus's gold events. Starts a PostgreSQL server of its own
(tests/pgserver.py: Debian's initdb and pg_ctl). Skips when ../shared/data is absent.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.devdata import AGREEMENT_SETS, DATA, file_order, rows
from rashomon.group.stories import bcubed
from rashomon.store import Store

ROOT = Path(__file__).resolve().parents[1]


def _lines(data: list[dict]) -> list[str]:
    out = []
    for i, a in enumerate(file_order(data)):
        record = {"text": a["text"], "title": a.get("title"), "outlet": a.get("outlet") or f"outlet{i}"}
        record.update({"date": a.get("date"), "url": f"https://bench.example/{a['id']}"})
        out.append(json.dumps({k: v for k, v in record.items() if v}))
    return out


def _stories(url: str) -> dict[str, int]:
    with Store(url) as store:
        return dict(
            store.db.execute("SELECT a.url, s.story_id FROM articles a JOIN story_articles s ON s.article_id = a.id")
        )


def ingest_together(files: list[Path], db: str, *extra: str) -> float:
    """One `rashomon ingest` process per file, started together; the wall time until all have ended."""
    start = time.perf_counter()
    procs = [
        subprocess.Popen([sys.executable, "-m", "rashomon.cli", "ingest", str(f), "--db", db, "-q", *extra], cwd=ROOT)
        for f in files
    ]
    for p in procs:
        p.wait()
    return time.perf_counter() - start


def _compare(server: Any, n: int, name: str, path: Path, split: str | None, processes: int) -> None:
    """One corpus: one process against `processes` together; the agreement and both F1s against gold."""
    data = [r for r in rows(path) if split is None or r.get("split") == split]
    lines = _lines(data)
    gold = {f"https://bench.example/{r['id']}": r["event_id"] for r in data}
    with tempfile.TemporaryDirectory() as tmp:
        whole = Path(tmp) / "all.jsonl"
        whole.write_text("\n".join(lines) + "\n")
        parts = [Path(tmp) / f"part{k}.jsonl" for k in range(processes)]
        for k, part in enumerate(parts):
            part.write_text("".join(line + "\n" for line in lines[k::processes]))
        one, many = server.create(f"one{n}"), server.create(f"many{n}")
        t1, tn = ingest_together([whole], one, "--workers", "0"), ingest_together(parts, many, "--workers", "0")
    alone, together = _stories(one), _stories(many)
    urls = sorted(set(alone) & set(together))
    agreement = bcubed([str(alone[u]) for u in urls], [together[u] for u in urls])[2]
    f_one = bcubed([gold[u] for u in urls], [alone[u] for u in urls])[2]
    f_many = bcubed([gold[u] for u in urls], [together[u] for u in urls])[2]
    print(
        f"{name:14s} articles {len(urls):5d}  agreement of {processes} processes with one "
        f"(B-cubed F1) {agreement:.3f}  gold F1 one {f_one:.3f}, {processes} {f_many:.3f}  "
        f"[{t1:.1f} s / {tn:.1f} s]"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--processes", type=int, default=4)
    args = parser.parse_args()
    if not DATA.exists():
        print(f"skipped: {DATA} is absent")
        return 0
    from tests.pgserver import own_server

    with own_server() as server:
        if server is not None:
            for n, (name, (path, split)) in enumerate(AGREEMENT_SETS.items()):
                _compare(server, n, name, path, split, args.processes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
