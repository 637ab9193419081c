"""The store's schema, as migrations: migration N brings a database from version N-1 to N.

Each migration runs in one transaction with the `PRAGMA user_version` bump
(DDL is transactional in SQLite), so a database is always at a whole version.
Add a migration at the end; never edit one that has shipped.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: articles, keyed by the hash of their normalised text; a URL, when known, is unique too.
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        url TEXT,
        outlet TEXT NOT NULL,
        title TEXT,
        byline TEXT,
        published TEXT,
        language TEXT NOT NULL DEFAULT 'en',
        text TEXT NOT NULL,
        added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    CREATE UNIQUE INDEX articles_url ON articles(url) WHERE url IS NOT NULL;
    CREATE INDEX articles_published ON articles(published);
    """,
)
