"""`rashomon doctor`: a whole install and a sound store pass; a damaged or newer store fails with a fix;
nothing is ever changed."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

from rashomon.ingest import IngestRun
from rashomon.store import Store
from tests.conftest import EXAMPLE, run_cli


def _seed(db: Path) -> None:
    with Store(db) as store:
        run = IngestRun(store, processes=0)
        run.source(str(EXAMPLE))
        run.close()
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_whole_install_and_a_sound_store_pass(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    _seed(db)
    before = _digest(db)
    done = run_cli("doctor", "--db", str(db), "--json")
    assert done.returncode == 0, done.stderr
    checks = {c["name"]: c for c in json.loads(done.stdout)}
    for name in ("sentence model", "spaCy pipeline", "data files", "store schema", "store integrity", "free disk"):
        assert checks[name]["status"] == "ok", checks[name]
    assert "5 articles" in checks["store schema"]["detail"]
    assert _digest(db) == before


def test_a_damaged_store_fails_with_a_fix_and_is_left_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    _seed(db)
    data = bytearray(db.read_bytes())
    for offset in range(4096 * 2, len(data), 53):
        data[offset] ^= 0x5A
    db.write_bytes(bytes(data))
    before = _digest(db)
    done = run_cli("doctor", "--db", str(db))
    assert done.returncode == 1
    out = done.stdout.decode()
    assert "FAIL store" in out and "fix:" in out and ".recover" in out
    assert _digest(db) == before


def test_a_store_from_a_newer_rashomon_is_reported_and_untouched(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    with sqlite3.connect(db) as raw:
        raw.execute("PRAGMA user_version = 999")
    before = _digest(db)
    done = run_cli("doctor", "--db", str(db))
    assert done.returncode == 1 and "upgrade rashomon" in done.stdout.decode()
    assert _digest(db) == before and not Path(str(db) + "-wal").exists()


def test_missing_and_non_file_stores_are_named(tmp_path: Path) -> None:
    for path, words in ((tmp_path / "none.db", "does not exist"), (tmp_path, "not a regular file")):
        done = run_cli("doctor", "--db", str(path))
        assert done.returncode == 1 and words in done.stdout.decode()
