"""STO-1: SIGKILL the ingest process at random moments; nothing acknowledged is lost, nothing is doubled.

50 trials of 2,000 articles (RASHOMON_CRASH_TRIALS to change the count).
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

from benchmarks.corpus import write_jsonl

ROOT = Path(__file__).resolve().parents[2]
TRIALS = int(os.environ.get("RASHOMON_CRASH_TRIALS", "50"))
ARTICLES = 2000


def _writer(db: Path, source: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.ingest.crash_writer", str(db), str(source)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def test_sigkill_during_ingest_loses_nothing_acknowledged(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "corpus.jsonl", ARTICLES, seed=11)
    # the full set, ingested without interruption, is what every resumed run must reach
    reference = tmp_path / "reference.db"
    started = time.monotonic()
    done = _writer(reference, source)
    expected = set(done.communicate(timeout=600)[0].split())
    whole = time.monotonic() - started  # kill moments are drawn over the time a whole run takes
    assert len(expected) > ARTICLES * 0.9
    rng = random.Random(5)
    kills = 0
    for trial in range(TRIALS):
        db = tmp_path / f"trial{trial}.db"
        proc = _writer(db, source)
        time.sleep(rng.uniform(0.3, 0.8 * whole))  # spans start-up (imports), mid-ingest and late in the run
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate(timeout=60)
        kills += proc.returncode == -signal.SIGKILL
        acknowledged = set(out.split())
        raw = sqlite3.connect(db)
        try:
            if acknowledged:
                ids = [r[0] for r in raw.execute("SELECT id FROM articles")]
                assert len(ids) == len(set(ids))
                assert acknowledged <= set(ids), f"trial {trial}: acknowledged articles missing"
                members = raw.execute("SELECT count(*) FROM story_articles").fetchone()[0]
                assert members == len(ids), f"trial {trial}: an article without its story (or the reverse)"
                assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
        finally:
            raw.close()
        if trial % 10 == 0:  # resuming completes the set exactly
            resumed = _writer(db, source)
            resumed.communicate(timeout=600)
            raw = sqlite3.connect(db)
            ids = [r[0] for r in raw.execute("SELECT id FROM articles")]
            raw.close()
            assert len(ids) == len(set(ids)) and set(ids) == expected
    assert kills >= TRIALS * 0.7  # most trials were really killed mid-run (a run varies in length)
