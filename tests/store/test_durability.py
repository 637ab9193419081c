"""Reliability-plan rows STO-4 (concurrent ingesters), STO-5 (disk full, damaged files), STO-6 (a kill during
a schema upgrade) and STO-7 (backup while ingest writes), on real SQLite files and real processes."""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from benchmarks.corpus import articles, write_jsonl

from rashomon.ingest import IngestRun
from rashomon.store import Store, StoreError
from rashomon.store.schema import MIGRATIONS
from tests.conftest import ROOT, run_cli


def _ids(db: Path) -> list[str]:
    with sqlite3.connect(db) as raw:
        return [r[0] for r in raw.execute("SELECT id FROM articles")]


def _consistent(db: Path) -> None:
    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
        assert (
            raw.execute("SELECT count(*) FROM articles").fetchone()[0]
            == raw.execute("SELECT count(*) FROM story_articles").fetchone()[0]
        ), "an article without its story, or the reverse"


def test_four_ingest_processes_on_one_store(tmp_path: Path) -> None:
    """STO-4: 4 processes, half their articles shared, at once: no lock error, nothing doubled or lost."""
    records = list(articles(800, seed=3))
    shared, own = records[:400], records[400:]
    sources = []
    for k in range(4):
        path = tmp_path / f"part{k}.jsonl"
        mine = shared + own[k * 100 : (k + 1) * 100]
        random.Random(k).shuffle(mine)
        path.write_text("".join(json.dumps(r) + "\n" for r in mine))
        sources.append(path)
    db = tmp_path / "shared.db"
    Store(db).close()  # created (and migrated) once, as a user would before starting several ingesters
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "rashomon.cli", "ingest", str(s), "--db", str(db), "--workers", "0", "-q"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for s in sources
    ]
    reads = 0
    while any(p.poll() is None for p in procs):  # a reader alongside, as the web UI would be
        with Store(db) as reader:
            reader.db.execute("SELECT count(*) FROM articles").fetchone()
        reads += 1
        time.sleep(0.05)
    outputs = [p.communicate()[1].decode() for p in procs]
    for p, err in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err
        assert "locked" not in err and "error" not in err.lower(), err
    ids = _ids(db)
    assert len(ids) == len(set(ids))
    expected = len({r["text"] for r in records})
    assert len(ids) == expected, (len(ids), expected)
    _consistent(db)
    assert reads > 0


def test_disk_full_mid_ingest_is_a_clean_error_and_a_rerun_completes(tmp_path: Path) -> None:
    """STO-5: SQLITE_FULL forced with max_page_count: a StoreError naming the file, no partial article."""
    source = write_jsonl(tmp_path / "corpus.jsonl", 600, seed=5)
    db = tmp_path / "full.db"
    with Store(db) as store:
        pages = store.db.execute("PRAGMA page_count").fetchone()[0]
        store.db.execute(f"PRAGMA max_page_count = {pages + 60}")
        run = IngestRun(store, processes=0)
        with pytest.raises(StoreError) as err:
            try:
                run.source(str(source))
            finally:
                try:
                    run.close()
                except StoreError:
                    pass
        saved = list(run.report.saved)
    assert "cannot be written" in str(err.value) and str(db) in str(err.value)
    assert 0 < len(saved) < 600
    assert set(saved) <= set(_ids(db))
    _consistent(db)
    with Store(db) as store:  # the limit was this connection's: a rerun has room again
        rerun = IngestRun(store, processes=0)
        rerun.source(str(source))
        rerun.close()
    assert len(set(_ids(db))) == len(_ids(db)) > len(saved)
    _consistent(db)


def test_a_truncated_store_is_refused_with_a_fix(tmp_path: Path) -> None:
    source = write_jsonl(tmp_path / "corpus.jsonl", 200, seed=6)
    db = tmp_path / "cut.db"
    with Store(db) as store:
        run = IngestRun(store, processes=0)
        run.source(str(source))
        run.close()
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])
    for args in (("stories",), ("ingest", str(source)), ("doctor", "--db", str(db))):
        extra = () if args[0] == "doctor" else ("--db", str(db))
        done = run_cli(*args, *extra)
        assert done.returncode == 1, (args, done.stderr)
        assert b"bug" not in done.stderr
        assert b"doctor" in done.stderr or b"FAIL" in done.stdout, (args, done.stderr, done.stdout)


def _old_store(db: Path, n: int) -> None:
    """A store at schema 2 (before full-text search), filled with `n` articles as version 2 wrote them."""
    raw = sqlite3.connect(db, isolation_level=None)
    for number, script in enumerate(MIGRATIONS[:2], 1):
        raw.executescript(f"BEGIN; {script}; PRAGMA user_version={number}; COMMIT;")
    raw.execute("BEGIN")
    for i, record in enumerate(articles(n, seed=9)):
        raw.execute(
            "INSERT INTO articles (id, source, url, outlet, title, text, published) VALUES (?,?,?,?,?,?,?)",
            (
                f"{i:016x}",
                "old.jsonl",
                record["url"],
                record["outlet"],
                record["title"],
                record["text"],
                record["date"],
            ),
        )
        raw.execute("INSERT INTO stories (id, title, size) VALUES (?, ?, 1)", (i + 1, record["title"]))
        raw.execute("INSERT INTO story_articles (article_id, story_id) VALUES (?, ?)", (f"{i:016x}", i + 1))
    raw.execute("COMMIT")
    raw.close()


UPGRADE = (
    "import sys; from rashomon.store import Store; print('start', flush=True); "
    "Store(sys.argv[1]).close(); print('done', flush=True)"
)


def _upgrade(db: Path) -> subprocess.Popen[str]:
    """The upgrade in a process of its own, once its imports are done (it prints 'start')."""
    proc = subprocess.Popen([sys.executable, "-c", UPGRADE, str(db)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "start"
    return proc


def test_a_kill_during_a_schema_upgrade_leaves_a_whole_version(tmp_path: Path) -> None:
    """STO-6: SIGKILL at random moments of the upgrade to schema 3 (the full-text index is built over every
    article): the file is at version 2 or 3, never between; counts and texts unchanged; a rerun finishes."""
    original = tmp_path / "v2.db"
    _old_store(original, 6000)
    with sqlite3.connect(original) as raw:
        digest = raw.execute("SELECT count(*), sum(length(text)) FROM articles").fetchone()
    timing = tmp_path / "timing.db"
    timing.write_bytes(original.read_bytes())
    proc = _upgrade(timing)
    started = time.monotonic()
    proc.communicate(timeout=300)
    upgrade = time.monotonic() - started  # kill moments are drawn over the upgrade itself, not the imports
    rng = random.Random(8)
    versions = set()
    for trial in range(10):
        db = tmp_path / f"trial{trial}.db"
        db.write_bytes(original.read_bytes())
        proc = _upgrade(db)
        time.sleep(rng.uniform(0, upgrade))
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        with sqlite3.connect(db) as raw:
            version = raw.execute("PRAGMA user_version").fetchone()[0]
            versions.add(version)
            assert version in (2, 3), version
            assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert raw.execute("SELECT count(*), sum(length(text)) FROM articles").fetchone() == digest
            tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            assert ("reports" in tables) == (version == 3)  # no half-made schema
        with Store(db) as store:  # the next open finishes the upgrade
            assert store.version == len(MIGRATIONS)
            word = store.db.execute("SELECT title FROM articles LIMIT 1").fetchone()[0].split()[0]
            assert store.db.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (word,)).fetchone()[
                0
            ]
    assert 2 in versions  # kills landed inside the upgrade, before its commit


def test_backup_while_ingest_writes_is_consistent_and_restores(tmp_path: Path) -> None:
    """STO-7: `rashomon backup` (SQLite's online backup) during an ingest: the copy is whole and usable."""
    source = write_jsonl(tmp_path / "corpus.jsonl", 5000, seed=12)
    db = tmp_path / "live.db"
    Store(db).close()
    ingest = subprocess.Popen(
        [sys.executable, "-m", "rashomon.cli", "ingest", str(source), "--db", str(db), "--workers", "0", "-q"],
        cwd=ROOT,
        stderr=subprocess.PIPE,
    )
    while len(_ids(db)) < 200 and ingest.poll() is None:  # mid-ingest, however fast the machine
        time.sleep(0.05)
    copy = tmp_path / "copy.db"
    done = run_cli("backup", str(copy), "--db", str(db))
    still_running = ingest.poll() is None
    ingest.communicate(timeout=600)
    assert done.returncode == 0, done.stderr
    assert still_running  # the backup was taken mid-ingest
    _consistent(copy)
    taken = len(_ids(copy))
    assert 0 < taken <= len(_ids(db))
    again = run_cli("backup", str(copy), "--db", str(db))
    assert again.returncode == 1 and b"already exists" in again.stderr
    listed = run_cli("stories", "--db", str(copy), "--json")  # the restored copy is a working store
    assert listed.returncode == 0 and json.loads(listed.stdout)
    assert not (tmp_path / "copy.db.partial").exists()


def _analyses(db: Path) -> int:
    try:
        with sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True, timeout=1) as raw:
            return int(raw.execute("SELECT count(*) FROM analyses").fetchone()[0])
    except sqlite3.Error:  # busy or not yet there: try again
        return 0


def test_a_kill_during_story_comparisons_leaves_whole_analyses_and_a_rerun_fills_the_rest(tmp_path: Path) -> None:
    """STO-2: SIGKILL while `outlets` compares stories and stores each analysis: no partial row; a rerun
    computes only the stories still missing and keeps the others as they were."""
    source = write_jsonl(tmp_path / "corpus.jsonl", 60, seed=21, per_story=6)
    db = tmp_path / "a.db"
    with Store(db) as store:
        run = IngestRun(store, processes=0)
        run.source(str(source))
        run.close()
    command = [sys.executable, "-m", "rashomon.cli", "outlets", "--db", str(db), "--no-spacy", "--no-cache", "--json"]
    timing = tmp_path / "timing.db"
    timing.write_bytes(db.read_bytes())
    started = time.monotonic()
    subprocess.run([*command[:4], "--db", str(timing), *command[6:]], cwd=ROOT, check=True, capture_output=True)
    whole = time.monotonic() - started
    with sqlite3.connect(timing) as raw:
        total = raw.execute("SELECT count(*) FROM analyses").fetchone()[0]
    assert total >= 3
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wanted = random.Random(4).randint(1, total - 1)  # killed once this many analyses are stored, mid-run
    deadline = time.monotonic() + 10 * whole
    while _analyses(db) < wanted and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    with sqlite3.connect(db) as raw:
        kept = dict(raw.execute("SELECT story_id, profile FROM analyses").fetchall())
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    for profile in kept.values():
        assert isinstance(json.loads(profile), dict)
    assert len(kept) < total  # the kill landed before the end
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
    with sqlite3.connect(db) as raw:
        after = dict(raw.execute("SELECT story_id, profile FROM analyses").fetchall())
    assert len(after) == total
    assert all(after[k] == v for k, v in kept.items())
