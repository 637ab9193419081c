"""STO-1: SIGKILL the ingest process at random moments; nothing acknowledged is lost, nothing is doubled.

50 trials of 2,000 articles (RASHOMON_CRASH_TRIALS to change the count), on a SQLite store and on a
PostgreSQL one (a server of the tests' own: tests/pgserver.py), with the same assertions.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from benchmarks.corpus import write_jsonl

ROOT = Path(__file__).resolve().parents[2]
TRIALS = int(os.environ.get("RASHOMON_CRASH_TRIALS", "50"))
ARTICLES = 2000


def _writer(db: str, source: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.ingest.crash_writer", db, str(source)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


class _Target:
    """A new store per trial, and what is in it, on either backend."""

    def __init__(self, backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
        self.backend, self.tmp_path = backend, tmp_path
        self.server = request.getfixturevalue("postgres_server") if backend == "postgresql" else None

    def new(self, name: str) -> str:
        if self.server is not None:
            return str(self.server.create(f"crash_{os.getpid()}_{name}"))
        return str(self.tmp_path / f"{name}.db")

    def read(self, db: str) -> tuple[list[str], int, list[tuple[int, int, int]], list[str]]:
        """The article ids, the story memberships, each story's (id, size, members), and the problems the
        database's own checks find (SQLite: integrity and foreign keys; PostgreSQL enforces its keys itself)."""
        sizes = "SELECT s.id, s.size, (SELECT count(*) FROM story_articles m WHERE m.story_id = s.id) FROM stories s"
        if self.server is None:
            raw = sqlite3.connect(db)
            try:
                ids = [r[0] for r in raw.execute("SELECT id FROM articles")]
                members = raw.execute("SELECT count(*) FROM story_articles").fetchone()[0]
                problems = [r[0] for r in raw.execute("PRAGMA integrity_check") if r[0] != "ok"]
                problems += [str(r) for r in raw.execute("PRAGMA foreign_key_check")]
                return ids, members, raw.execute(sizes).fetchall(), problems
            finally:
                raw.close()
        import psycopg

        with psycopg.connect(db) as conn:
            ids = [r[0] for r in conn.execute("SELECT id FROM articles")]
            members = _one(conn, "SELECT count(*) FROM story_articles")
            # the killed process's grouping lock goes with its connection (the server notices within moments)
            deadline = time.monotonic() + 10
            while (locks := _one(conn, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")) and (
                time.monotonic() < deadline
            ):
                time.sleep(0.1)
            return ids, members, conn.execute(sizes).fetchall(), [f"{locks} advisory locks held"] if locks else []


def _one(conn: Any, sql: str) -> int:
    row = conn.execute(sql).fetchone()
    return int(row[0]) if row else 0


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_sigkill_during_ingest_loses_nothing_acknowledged(tmp_path: Path, request, backend: str) -> None:
    target = _Target(backend, tmp_path, request)
    source = write_jsonl(tmp_path / "corpus.jsonl", ARTICLES, seed=11)
    # the full set, ingested without interruption, is what every resumed run must reach
    started = time.monotonic()
    done = _writer(target.new("reference"), source)
    expected = set(done.communicate(timeout=600)[0].split())
    whole = time.monotonic() - started  # kill moments are drawn over the time a whole run takes
    assert len(expected) > ARTICLES * 0.9
    rng = random.Random(5)
    kills = 0
    for trial in range(TRIALS):
        db = target.new(f"trial{trial}")
        proc = _writer(db, source)
        time.sleep(rng.uniform(0.3, 0.8 * whole))  # spans start-up (imports), mid-ingest and late in the run
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate(timeout=60)
        kills += proc.returncode == -signal.SIGKILL
        acknowledged = set(out.split())
        if acknowledged:
            ids, members, sizes, problems = target.read(db)
            assert len(ids) == len(set(ids))
            assert acknowledged <= set(ids), f"trial {trial}: acknowledged articles missing"
            assert members == len(ids), f"trial {trial}: an article without its story (or the reverse)"
            assert all(size == count for _, size, count in sizes), f"trial {trial}: a story's size is wrong"
            assert problems == [], f"trial {trial}: {problems}"
        if trial % 10 == 0:  # resuming completes the set exactly
            resumed = _writer(db, source)
            resumed.communicate(timeout=600)
            ids = target.read(db)[0]
            assert len(ids) == len(set(ids)) and set(ids) == expected
    assert kills >= TRIALS * 0.7  # most trials were really killed mid-run (a run varies in length)
