"""SQLite access: settings that keep data safe, migrations, and idempotent article writes.

WAL with synchronous=NORMAL survives an application crash with every
committed article intact (measured in reliability-plan.md: 5×10k articles
under kill -9, no loss); a 5 s busy timeout because SQLite's busy handler is
unfair under contention; writes open with BEGIN IMMEDIATE so a transaction
never has to upgrade a read lock; one article is one transaction.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from rashomon.errors import RashomonError
from rashomon.model import Article
from rashomon.read.text import stored_date
from rashomon.store.schema import MIGRATIONS

SCHEMA_VERSION = len(MIGRATIONS)
BUSY_TIMEOUT_S = 5.0
ARTICLE_COLUMNS = "id, source, url, outlet, title, byline, published, language, text"
# Who published an article (table alias a), for counting outlets: an unknown outlet is stored as "" and
# counted as one outlet per article, as Article.outlet_key does.
OUTLET_KEY = "CASE WHEN a.outlet = '' THEN 'article ' || a.id ELSE a.outlet END"


class StoreError(RashomonError):
    """The database cannot be used as it is; the message says why and what to do."""


def store_error(path: Path | str, exc: sqlite3.Error) -> StoreError:
    """A database failure as an error a person can act on, naming the file."""
    text = str(exc)
    if "not a database" in text:
        return StoreError(f"{path}: not a rashomon database ({text}); give another --db path or move this file away")
    if "malformed" in text:
        return StoreError(
            f"{path}: a damaged rashomon database ({text}); run `rashomon doctor --db {path}`, "
            "restore a backup, or give another --db path"
        )
    if "disk" in text or "full" in text or "readonly" in text:
        return StoreError(
            f"{path}: the store cannot be written ({text}); check free disk space and permissions, "
            "then run again: articles saved before are kept"
        )
    return StoreError(f"{path}: the store failed ({text}); run `rashomon doctor --db {path}`")


def is_url(target: str | Path) -> bool:
    """Whether a --db value names a PostgreSQL database rather than a SQLite file."""
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


class Store:
    """One SQLite file of articles, or a PostgreSQL database given by its URL (store.pg). Use as a context
    manager, or call close()."""

    db: Any  # sqlite3.Connection, or store.pg.Connection: both take the same statements
    path: Path | str  # the file, or the database's URL without its password

    def __init__(self, path: str | Path, *, synchronous: str = "NORMAL") -> None:
        self.postgres = is_url(path)
        if self.postgres:
            self._open_postgres(str(path))
            return
        self.path = file = Path(path)
        if file.exists() and not file.is_file():
            raise StoreError(f"{file}: not a regular file; give --db the path of a database file")
        try:
            self.db = sqlite3.connect(file, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot be opened ({exc}); check the folder exists and is writable") from exc
        try:
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if version <= SCHEMA_VERSION:  # a newer file is not touched at all, not even its journal mode
                self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute(f"PRAGMA synchronous={'FULL' if synchronous == 'FULL' else 'NORMAL'}")
            self.db.execute("PRAGMA foreign_keys=ON")
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path}: written by a newer rashomon (schema {version}, this one knows {SCHEMA_VERSION}); "
                    "upgrade rashomon; the file was left untouched"
                )
            self._migrate(version)
        except sqlite3.Error as exc:
            self.db.close()
            raise store_error(self.path, exc) from exc
        except StoreError:
            self.db.close()
            raise

    def _open_postgres(self, url: str) -> None:
        from rashomon.store import pg

        self.path = redacted(url)  # for messages: never print a password
        try:
            self.db = pg.Connection(url)
        except pg.MissingDriver as exc:
            raise StoreError(str(exc)) from exc
        except Exception as exc:  # psycopg.OperationalError: no server, wrong database or password
            raise StoreError(
                f"{self.path}: cannot connect ({exc}); check the server is running and the URL names "
                "a database that exists (createdb NAME)"
            ) from exc
        found = pg.version(self.db)
        if found > SCHEMA_VERSION:
            self.db.close()
            raise StoreError(
                f"{self.path}: written by a newer rashomon (schema {found}, this one knows {SCHEMA_VERSION}); "
                "upgrade rashomon; the database was left untouched"
            )
        if found < SCHEMA_VERSION:
            pg.migrate(self.db, SCHEMA_VERSION)

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any error: whole or not at all."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _migrate(self, version: int) -> None:
        for number in range(version + 1, SCHEMA_VERSION + 1):
            with self.transaction() as db:
                for statement in _statements(MIGRATIONS[number - 1]):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version={number}")

    @property
    def version(self) -> int:
        if self.postgres:
            from rashomon.store import pg

            return pg.version(self.db)
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def add(self, article: Article, *, url: str | None = None) -> bool:
        """Store an article whole, in one transaction; False when it (or its URL) is already there."""
        row = article_row(article, url)
        with self.transaction() as db:
            cursor = db.execute(f"INSERT OR IGNORE INTO articles ({ARTICLE_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)", row)
        return cursor.rowcount == 1

    def get(self, article_id: str) -> Article | None:
        row = self.db.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)).fetchone()
        return _article(row) if row else None

    def articles(self) -> Iterator[Article]:
        """Every article, oldest added first."""
        for row in self.db.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY added_at, id"):
            yield _article(row)

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def integrity(self) -> str:
        if self.postgres:  # the server checks its own pages; what can be checked here is that it answers
            return "ok" if self.db.execute("SELECT 1").fetchone()[0] == 1 else "no answer"
        return str(self.db.execute("PRAGMA integrity_check").fetchone()[0])

    def backup(self, target: str | Path) -> int:
        """A consistent copy of the store at `target` (SQLite's online backup, safe while others write):
        its article count. Never copy a live store's file: a copy taken mid-write can be corrupt."""
        target = Path(target)
        if self.postgres:
            raise StoreError(f"{self.path}: back up a PostgreSQL store with pg_dump, not `rashomon backup`")
        if target.exists():
            raise StoreError(f"{target}: already exists; give a new file name for the backup")
        partial = target.with_name(target.name + ".partial")
        partial.unlink(missing_ok=True)
        try:
            out = sqlite3.connect(partial)
            try:
                self.db.backup(out, pages=4096)
                ok = out.execute("PRAGMA integrity_check").fetchone()[0]
                count = int(out.execute("SELECT count(*) FROM articles").fetchone()[0])
            finally:
                out.close()
        except sqlite3.Error as exc:
            partial.unlink(missing_ok=True)
            raise store_error(target, exc) from exc
        if ok != "ok":
            partial.unlink(missing_ok=True)
            raise StoreError(
                f"{target}: the backup failed its integrity check ({ok}); run `rashomon doctor --db {self.path}`"
            )
        partial.replace(target)  # whole or not at all
        return count

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def redacted(url: str) -> str:
    """The URL without its password."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


def article_row(article: Article, url: str | None) -> tuple[str | None, ...]:
    """The values of ARTICLE_COLUMNS for one article (NUL removed: PostgreSQL text cannot hold it)."""
    return (
        article.id,
        article.source,
        url,
        article.outlet or "",  # "" stands for an unknown outlet (OUTLET_KEY)
        article.title,
        article.byline,
        article.published.isoformat() if article.published else None,
        article.language,
        article.text.replace("\x00", ""),
    )


def _statements(script: str) -> list[str]:
    """The script's statements, whole (a trigger's body holds semicolons of its own)."""
    out, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    if current.strip():
        out.append(current.strip())
    return out


def _article(row: tuple) -> Article:
    aid, source, _url, outlet, title, byline, published, language, text = row
    return Article(
        id=aid,
        source=source,
        outlet=outlet or None,
        text=text,
        title=title,
        byline=byline,
        published=stored_date(published),
        language=language,
    )
