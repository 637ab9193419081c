"""The store on a real SQLite file and on a real PostgreSQL server (tests/pgserver.py): settings,
migrations, idempotent writes, refusal, crashes. Tests that take `db_target` run on both."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rashomon.model import Article
from rashomon.store import SCHEMA_VERSION, Store, StoreError


def _article(n: int) -> Article:
    text = f"Article number {n}: the council met on Monday and voted {n} to {n + 1} to close the pool."
    return Article(
        id=f"{n:016x}", source=f"a{n}.txt", outlet=f"Outlet {n % 3}", text=text, published=dt.date(2025, 5, 16)
    )


def test_a_new_store_is_migrated_and_safe(tmp_path):
    with Store(tmp_path / "r.db") as store:
        assert store.version == SCHEMA_VERSION
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert store.integrity() == "ok"


def test_a_new_store_of_either_kind_is_migrated_whole(db_target):
    with Store(db_target) as store:
        assert store.version == SCHEMA_VERSION and store.count() == 0 and store.integrity() == "ok"
        tables = {"articles", "stories", "story_articles", "minhash_bands", "feeds", "failures", "analyses"}
        for table in tables | {"state", "reports"}:
            assert store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
    with Store(db_target) as store:  # opened again: nothing to do
        assert store.version == SCHEMA_VERSION


def test_adding_is_idempotent_and_round_trips(db_target):
    with Store(db_target) as store:
        article = _article(1)
        assert store.add(article) is True
        assert store.add(article) is False
        assert store.count() == 1
        assert store.get(article.id) == article
        assert [a.id for a in store.articles()] == [article.id]


def test_a_url_is_stored_once(db_target):
    with Store(db_target) as store:
        assert store.add(_article(1), url="https://example.org/a") is True
        assert store.add(_article(2), url="https://example.org/a") is False
        assert store.count() == 1


def test_statements_written_for_sqlite_run_on_both(db_target):
    """The forms the store's callers use: INSERT OR IGNORE / OR REPLACE, lastrowid, BLOBs, rowid, a
    transaction rolled back whole."""
    with Store(db_target) as store:
        store.add(_article(1))
        with store.transaction() as db:
            story = db.execute("INSERT INTO stories (title) VALUES (?)", ("Pool closed",)).lastrowid
            db.execute("INSERT INTO story_articles (article_id, story_id) VALUES (?, ?)", (_article(1).id, story))
            db.execute("INSERT OR REPLACE INTO state (key, value) VALUES ('df', ?)", ("one",))
            db.execute("INSERT OR REPLACE INTO state (key, value) VALUES ('df', ?)", ("two",))
            db.execute("INSERT OR IGNORE INTO feeds (url) VALUES (?)", ("https://example.org/feed",))
            db.execute("INSERT OR IGNORE INTO feeds (url) VALUES (?)", ("https://example.org/feed",))
            db.execute("UPDATE articles SET minhash = ? WHERE id = ?", (b"\x00\x01\xff", _article(1).id))
            db.executemany(
                "INSERT INTO minhash_bands (band, key, article_id) VALUES (?, ?, ?)",
                [(b, 2**62 + b, _article(1).id) for b in range(3)],
            )
        assert isinstance(story, int)
        assert store.db.execute("SELECT value FROM state WHERE key = 'df'").fetchone()[0] == "two"
        assert store.db.execute("SELECT count(*) FROM feeds").fetchone()[0] == 1
        row = store.db.execute("SELECT rowid, minhash FROM articles WHERE id = ?", (_article(1).id,)).fetchone()
        assert row[0] >= 1 and bytes(row[1]) == b"\x00\x01\xff"
        assert store.db.execute("SELECT max(key) FROM minhash_bands").fetchone()[0] == 2**62 + 2
        with pytest.raises(RuntimeError), store.transaction() as db:
            db.execute("INSERT INTO stories (title) VALUES (?)", ("Never",))
            raise RuntimeError("fail mid-transaction")
        assert store.db.execute("SELECT count(*) FROM stories").fetchone()[0] == 1


def test_a_newer_postgresql_database_is_refused_and_left_untouched(postgres_server):
    import psycopg

    url = postgres_server.create("newer")
    with Store(url) as store:
        store.add(_article(1))
    with psycopg.connect(url, autocommit=True) as raw:
        raw.execute("UPDATE rashomon_schema SET version = 99")
    with pytest.raises(StoreError, match="newer rashomon"):
        Store(url)
    with psycopg.connect(url, autocommit=True) as raw:
        assert raw.execute("SELECT version FROM rashomon_schema").fetchone()[0] == 99
        assert raw.execute("SELECT count(*) FROM articles").fetchone()[0] == 1


def test_a_postgresql_store_that_cannot_be_reached_is_a_store_error_without_the_password(postgres_server):
    url = f"postgresql://rashomon:s3cret@127.0.0.1:{postgres_server.port}/no_such_database"
    with pytest.raises(StoreError, match="cannot connect") as raised:
        Store(url)
    assert "s3cret" not in str(raised.value) and "no_such_database" in str(raised.value)


def test_a_newer_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "r.db"
    with Store(path) as store:
        store.add(_article(1))
    raw = sqlite3.connect(path)
    raw.execute("PRAGMA user_version=99")
    raw.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer rashomon"):
        Store(path)
    assert path.read_bytes() == before


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database" * 100)
    with pytest.raises(StoreError, match="not a rashomon database"):
        Store(path)
    assert path.read_bytes() == b"these are my notes, not a database" * 100


def test_an_empty_existing_database_is_migrated_in_place(tmp_path):
    path = tmp_path / "old.db"
    sqlite3.connect(path).close()
    with Store(path) as store:
        assert store.version == SCHEMA_VERSION and store.count() == 0


WRITER = """
import sys, datetime as dt
from rashomon.model import Article
from rashomon.store import Store
store = Store(sys.argv[1])
for n in range(100000):
    text = f"Article number {n}: the council met and voted {n} to {n + 1}."
    article = Article(id=f"{n:016x}", source=f"a{n}.txt", outlet="Outlet", text=text, published=dt.date(2025, 5, 16))
    store.add(article)
    print(article.id, flush=True)
"""


@pytest.mark.parametrize("trial", range(5))
def test_a_killed_writer_loses_no_committed_article(db_target, trial):
    path = db_target
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    seen: list[str] = []
    deadline = time.monotonic() + 60
    stop_after = 50 + 37 * trial
    while len(seen) < stop_after and time.monotonic() < deadline:
        seen.append(proc.stdout.readline().strip())
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Store(path) as store:
        assert store.integrity() == "ok"
        stored = {a.id for a in store.articles()}
        assert set(seen) <= stored
        assert store.count() == len(stored)


def test_schema_2_store_gains_search_in_place(tmp_path):
    """Migration 3 adds full-text search over the articles already stored (and keeps it in step)."""
    import sqlite3

    from rashomon.store.db import _statements
    from rashomon.store.schema import MIGRATIONS

    path = tmp_path / "old.db"
    raw = sqlite3.connect(path, isolation_level=None)
    for number, script in enumerate(MIGRATIONS[:2], 1):
        for statement in _statements(script):
            raw.execute(statement)
        raw.execute(f"PRAGMA user_version={number}")
    raw.execute(
        "INSERT INTO articles (id, source, outlet, title, text) VALUES ('a1', 'x', 'Daily', 'Bridge shut', "
        "'The old bridge over the river closed on Tuesday.')"
    )
    raw.close()
    with Store(path) as store:
        assert store.version == SCHEMA_VERSION
        match = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"
        assert store.db.execute(match, ("bridge",)).fetchall() == [(1,)]
        with store.transaction() as db:
            db.execute("UPDATE articles SET text = 'The ferry resumed.' WHERE id = 'a1'")
        assert store.db.execute(match, ("bridge",)).fetchall() == [(1,)]  # still in the title
        assert store.db.execute(match, ("river",)).fetchall() == []
        assert store.db.execute(match, ("ferry",)).fetchall() == [(1,)]
        assert store.integrity() == "ok"


def test_a_device_or_a_damaged_store_is_a_store_error_naming_the_file(tmp_path: Path) -> None:
    from tests.conftest import run_cli

    done = run_cli("stories", "--db", "/dev/null")
    assert done.returncode == 1
    assert b"/dev/null: not a regular file" in done.stderr and b"bug" not in done.stderr
    db = tmp_path / "damaged.db"
    with Store(db) as store:
        store.add(Article(id="a1", source="s", outlet="O", text="one two three four"))
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(db.read_bytes())
    page = 4096
    for offset in range(page, len(data), 97):  # every page after the header page
        data[offset] = (data[offset] + 113) % 256
    db.write_bytes(bytes(data))
    for args in (("stories",), ("show", "1"), ("ingest", str(tmp_path / "missing.txt"))):
        done = run_cli(*args, "--db", str(db))
        assert done.returncode in (1, 2), (args, done.stderr)
        assert b"bug" not in done.stderr, (args, done.stderr)
        assert str(db).encode() in done.stderr and b"doctor" in done.stderr, (args, done.stderr)
