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
    # 2: corpus mode: near-copies, stories, MinHash bands, feeds polled, failures, grouping state.
    """
    ALTER TABLE articles ADD COLUMN copy_of TEXT REFERENCES articles(id);
    ALTER TABLE articles ADD COLUMN terms TEXT;
    ALTER TABLE articles ADD COLUMN minhash BLOB;
    CREATE INDEX articles_copy_of ON articles(copy_of) WHERE copy_of IS NOT NULL;
    CREATE TABLE stories (
        id INTEGER PRIMARY KEY,
        title TEXT,
        first_date TEXT,
        last_date TEXT,
        size INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    CREATE TABLE story_articles (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        story_id INTEGER NOT NULL REFERENCES stories(id),
        score REAL
    );
    CREATE INDEX story_articles_story ON story_articles(story_id);
    CREATE TABLE minhash_bands (
        band INTEGER NOT NULL,
        key INTEGER NOT NULL,
        article_id TEXT NOT NULL REFERENCES articles(id),
        PRIMARY KEY (band, key, article_id)
    ) WITHOUT ROWID;
    CREATE TABLE feeds (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        polled_at TEXT
    );
    CREATE TABLE failures (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        kind TEXT NOT NULL,
        message TEXT NOT NULL,
        at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    CREATE TABLE analyses (
        story_id INTEGER PRIMARY KEY REFERENCES stories(id),
        key TEXT NOT NULL,
        profile TEXT NOT NULL
    );
    CREATE TABLE state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 3: the web UI: full-text search over titles and texts (FTS5, kept in step by triggers),
    # stored comparisons of stories, outlets indexed.
    """
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
        INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
    END;
    INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
    CREATE INDEX articles_outlet ON articles(outlet);
    CREATE INDEX stories_newest ON stories(last_date IS NULL, last_date DESC, id DESC);
    CREATE TABLE reports (
        story_id INTEGER PRIMARY KEY REFERENCES stories(id),
        key TEXT NOT NULL,
        report TEXT NOT NULL,
        made_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    """,
)
