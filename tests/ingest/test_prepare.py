"""Reading and annotation in worker processes: the same store as in one process, and no orphan when killed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.corpus import write_jsonl

from rashomon.ingest import IngestRun
from rashomon.ingest.prepare import POOL_MIN_BYTES
from rashomon.store import Store
from tests.conftest import ROOT


def ingest(db: Path, source: Path, processes: int) -> IngestRun:
    with Store(db) as store:
        run = IngestRun(store, processes=processes)
        try:
            run.source(str(source))
        finally:
            run.close()
    return run


def snapshot(db: Path) -> tuple[list[tuple], list[tuple], list[tuple]]:
    with Store(db) as store:
        q = store.db.execute
        articles = q(
            "SELECT id, url, outlet, title, published, text, copy_of, terms FROM articles ORDER BY rowid"
        ).fetchall()
        members = q("SELECT article_id, story_id FROM story_articles ORDER BY article_id").fetchall()
        failures = q("SELECT source, kind FROM failures ORDER BY id").fetchall()
    return articles, members, failures


def test_workers_store_exactly_what_one_process_stores(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "corpus.jsonl", 1500, seed=5)
    with source.open("a") as fh:  # bad lines and an HTML record among them
        fh.write("{broken\n")
        fh.write(json.dumps({"title": "no text"}) + "\n")
        fh.write(
            json.dumps(
                {
                    "html": "<html><body><article><p>" + "Word " * 80 + "</p></article></body></html>",
                    "url": "https://html.example/1",
                }
            )
            + "\n"
        )
    with source.open("a") as fh:
        fh.write(source.read_text().split("\n", 1)[0] + "\n")  # a repeated line: already stored
    assert source.stat().st_size > POOL_MIN_BYTES  # so the pool is really used
    pooled = ingest(tmp_path / "pool.db", source, processes=2)
    single = ingest(tmp_path / "one.db", source, processes=0)
    assert pooled.report.added == single.report.added > 1000
    assert pooled.report.duplicates == single.report.duplicates >= 1
    assert (
        [f.kind for f in pooled.report.failures] == [f.kind for f in single.report.failures] == ["invalid", "invalid"]
    )
    assert snapshot(tmp_path / "pool.db") == snapshot(tmp_path / "one.db")


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found.update(int(x) for x in text)
    return found


def test_killed_ingest_leaves_no_worker_behind(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "corpus.jsonl", 4000, seed=6)
    code = (
        "import sys\nfrom rashomon.ingest import IngestRun\nfrom rashomon.store import Store\n"
        "with Store(sys.argv[1]) as s:\n    r = IngestRun(s, processes=2)\n    r.source(sys.argv[2])\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(tmp_path / "r.db"), str(source)], cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        while time.monotonic() < deadline and len(workers) < 2:
            time.sleep(0.2)
            # the pool workers are the parent's children running Python (the parser worker is one more)
            workers = {c for c in _children(proc.pid) if Path(f"/proc/{c}").exists()}
        assert len(workers) >= 2, "the pool did not start"
        time.sleep(1.0)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(Path(f"/proc/{w}").exists() for w in workers):
            time.sleep(0.1)
        alive = [
            w
            for w in workers
            if Path(f"/proc/{w}").exists() and "Z" not in Path(f"/proc/{w}/stat").read_text().split()[2]
        ]
        assert alive == [], f"workers outlived their parent: {alive}"
    finally:
        if proc.poll() is None:
            proc.kill()
