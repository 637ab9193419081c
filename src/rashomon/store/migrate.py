"""`rashomon migrate`: copy a SQLite store into a PostgreSQL one, resumable, verified by counts and hashes.

Tables are copied in the order their keys refer to each other (articles in the order they were stored,
so a near-copy comes after its original), in batches of one transaction each, every row inserted only
if its key is not there yet: a copy stopped at any point (a kill, a lost connection) is finished by
running it again. Story and failure ids are kept, and the target's id sequences moved past them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from rashomon.store.db import Store, StoreError

BATCH = 1000

# (table, columns, key) in the order they are copied; the key orders the copy and the hash.
TABLES: tuple[tuple[str, str, str], ...] = (
    (
        "articles",
        "id, source, url, outlet, title, byline, published, language, text, added_at, copy_of, terms, minhash",
        "rowid",
    ),
    ("stories", "id, title, first_date, last_date, size, created_at", "id"),
    ("story_articles", "article_id, story_id, score", "article_id"),
    ("minhash_bands", "band, key, article_id", "band, key, article_id"),
    ("feeds", "url, etag, last_modified, polled_at", "url"),
    ("failures", "id, source, kind, message, at", "id"),
    ("analyses", "story_id, key, profile", "story_id"),
    ("reports", "story_id, key, report, made_at", "story_id"),
    ("state", "key, value", "key"),
)
# What the hash of a table covers, ordered the same on both databases (no rowid: the target numbers its own).
_HASHED = {
    "articles": ("id, outlet, published, text, copy_of", "id"),
    "stories": ("id, title, first_date, last_date, size", "id"),
    "story_articles": ("article_id, story_id", "article_id"),
    "reports": ("story_id, key", "story_id"),
}


@dataclass
class Copied:
    table: str
    rows: int  # rows in the source
    added: int  # rows this run added to the target


def migrate(source: Store, target: Store, on_batch: Callable[[str, int], None] | None = None) -> list[Copied]:
    """Copy every table of `source` (SQLite) into `target` (PostgreSQL), then verify; the counts."""
    if source.postgres or not target.postgres:
        raise StoreError("migrate copies a SQLite file (--from) into a PostgreSQL database (--to postgresql://…)")
    _only_ours(source, target)
    out = [_copy(source, target, table, columns, key, on_batch) for table, columns, key in TABLES]
    with target.transaction() as db:  # the next story or failure gets an id after the copied ones
        for table in ("stories", "failures"):
            db.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM {table}), false)"
            )
    verify(source, target)
    return out


def _only_ours(source: Store, target: Store) -> None:
    """Refuse, before writing anything, a target holding articles or stories the source does not have (a
    copy stopped midway holds only the source's)."""
    for table, columns in (("articles", "id, outlet"), ("stories", "id, title")):  # an article id hashes its text
        rows = target.db.execute(f"SELECT {columns} FROM {table}").fetchall()
        for start in range(0, len(rows), 500):
            chunk = rows[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found = dict(
                source.db.execute(f"SELECT {columns} FROM {table} WHERE id IN ({marks})", [r[0] for r in chunk])
            )
            if any(found.get(r[0], object()) != r[1] for r in chunk):
                raise StoreError(
                    f"{target.path}: holds {table} that {source.path} does not have; "
                    "migrate into a new, empty database (createdb NAME)"
                )


def _copy(
    source: Store, target: Store, table: str, columns: str, key: str, on_batch: Callable[[str, int], None] | None
) -> Copied:
    width = len(columns.split(","))
    insert = f"INSERT OR IGNORE INTO {table} ({columns}) VALUES ({','.join('?' * width)})"
    total = int(source.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    before = int(target.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    cursor = source.db.execute(f"SELECT {columns} FROM {table} ORDER BY {key}")
    done = 0
    while rows := cursor.fetchmany(BATCH):
        with target.transaction() as db:
            db.executemany(insert, [tuple(bytes(v) if isinstance(v, memoryview) else v for v in r) for r in rows])
        done += len(rows)
        if on_batch is not None:
            on_batch(table, done)
    after = int(target.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    return Copied(table, total, after - before)


def table_hash(store: Store, table: str) -> str:
    """SHA-256 over a table's rows (the columns of _HASHED) in key order, the same on both databases."""
    columns, key = _HASHED[table]
    digest = hashlib.sha256()
    for row in store.db.execute(f"SELECT {columns} FROM {table} ORDER BY {key}"):
        digest.update(repr(tuple("" if v is None else str(v) for v in row)).encode("utf-8"))
    return digest.hexdigest()


def verify(source: Store, target: Store) -> None:
    """Every table's row count, and the hashes of articles, stories and memberships, equal on both."""
    for table, _, _ in TABLES:
        want = source.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        got = target.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        if table != "state" and want != got:
            raise StoreError(
                f"{target.path}: {table} holds {got} rows, the source {want}; the target held other data "
                "before: migrate into a new, empty database"
            )
    for table in _HASHED:
        if table_hash(source, table) != table_hash(target, table):
            raise StoreError(
                f"{target.path}: the copied {table} differ from the source's; migrate into a new, empty database"
            )
