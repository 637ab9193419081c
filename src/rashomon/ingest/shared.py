"""Saving on PostgreSQL, where several ingest processes share one story index.

A process saves its articles in batches (up to SHARED_BATCH, as its reader hands them over): one
transaction per batch, which takes GROUPING_LOCK (a transaction-level advisory lock, released by its
COMMIT or ROLLBACK, so a process killed mid-batch leaves neither a lock nor a part of its batch).
Under the lock, in one round trip to the server (psycopg's pipeline mode), it reads what the other
processes saved since it last looked, which of the batch's ids and URLs are stored, and the stored
near-copy candidates of the batch's MinHash bands; it then places each article as one process would
(its copy's story, or the story its index chooses) and writes it with one statement. The writes go out
together with the COMMIT (the ids of the stories they open taken ahead: StoryIds); the server is waited
for within a batch only when a story is due for its split check (which reads the story back).

Serialising the batches keeps every article placed with the whole index in view (its stories those
one process would form, up to the order in which the processes' batches come: README, PostgreSQL), and
the lock is held for the tens of milliseconds a batch takes, not while the processes read and annotate
their sources (the slow part, done in parallel).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from rashomon.group import copies
from rashomon.model import Article
from rashomon.store.db import ARTICLE_COLUMNS, article_row

if TYPE_CHECKING:
    from rashomon.ingest.pipeline import Ingestor, Placed, Saved

# The PostgreSQL advisory lock several ingest processes take around choosing and saving stories.
GROUPING_LOCK = 7412002
# Articles per transaction: the lock is taken once for them and the server answers them together;
# a larger batch holds the lock longer while the other processes wait (benchmarks/pg_ingest_speed.py).
SHARED_BATCH = 64
# A batch-mate's place in the candidates' order: after every stored article.
_MATE_ROWID = 1 << 62


@dataclass
class Item:
    """One article of a batch, measured: its canonical URL, MinHash signature and band keys, term counts."""

    article: Article
    url: str | None
    sig: np.ndarray
    keys: list[int]
    counts: dict[str, float]


# What other processes saved since: each article's story looked up by its key (a join's plan could hash
# the whole membership table on every call).
CATCH_UP = (
    "SELECT a.rowid, a.terms, a.published, (SELECT m.story_id FROM story_articles m WHERE m.article_id = a.id), "
    "a.copy_of FROM articles a WHERE a.rowid > ? ORDER BY a.rowid"
)
# Two index lookups: as one OR the planner could take the whole table (7 ms at 20,000 articles, growing).
_STORED = (
    "SELECT id, url FROM articles WHERE id = ANY(?::text[]) "
    "UNION ALL SELECT id, url FROM articles WHERE url = ANY(?::text[])"
)
# The stored articles (not copies themselves) sharing a band with the batch: band, key, rowid, id,
# signature, story.
_CANDIDATES = (
    "SELECT b.band, b.key, a.rowid, a.id, a.minhash, m.story_id FROM unnest(?::int[], ?::bigint[]) AS k(band, key) "
    "JOIN minhash_bands b ON b.band = k.band AND b.key = k.key JOIN articles a ON a.id = b.article_id "
    "JOIN story_articles m ON m.article_id = a.id WHERE a.copy_of IS NULL"
)

# An article's whole write in one statement: its row, its story when it opens one (its id given: see
# StoryIds; size 1 and its date), its membership, its story's size and dates otherwise, its MinHash bands.
# Gives its rowid; no row when it is stored after all.
_WRITE = f"""
WITH a AS (
    INSERT INTO articles ({ARTICLE_COLUMNS}, copy_of, terms, minhash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
    ON CONFLICT DO NOTHING RETURNING id, rowid
), s AS (
    INSERT INTO stories (id, title, size, first_date, last_date) SELECT ?::bigint, ?, 1, ?::text, ?::text FROM a
    WHERE ?::boolean
), m AS (
    INSERT INTO story_articles (article_id, story_id) SELECT a.id, ?::bigint FROM a
), u AS (
    UPDATE stories SET size = size + 1,
        first_date = CASE WHEN first_date IS NULL OR first_date > ?::text THEN ?::text ELSE first_date END,
        last_date = CASE WHEN last_date IS NULL OR last_date < ?::text THEN ?::text ELSE last_date END
    WHERE id = ?::bigint AND NOT ?::boolean AND EXISTS (SELECT 1 FROM a)
), b AS (
    INSERT INTO minhash_bands (band, key, article_id)
    SELECT k.n - 1, k.key, a.id FROM a, unnest(?::bigint[]) WITH ORDINALITY AS k(key, n) ON CONFLICT DO NOTHING
)
SELECT a.rowid FROM a
"""
_SEQUENCE = "pg_get_serial_sequence('stories', 'id')"


class StoryIds:
    """The ids of the stories a batch opens, taken from the stories' sequence ahead, in one go, so that no
    write waits for the server to name its story; those left over are given back at COMMIT. Giving back
    is safe because every story is opened under GROUPING_LOCK (the batches, and the splits within them):
    no one else draws from the sequence meanwhile."""

    def __init__(self, db: Any, taken: list[int]) -> None:
        self.db, self.ids = db, taken

    def take(self) -> int:
        if not self.ids:  # more stories than articles (splits): a round trip for a few more
            self.ids = [int(r[0]) for r in self.db.execute(f"SELECT nextval({_SEQUENCE}) FROM generate_series(1, 8)")]
        return self.ids.pop(0)

    def give_back(self) -> list[tuple[str, tuple]]:
        """The statement that puts the sequence back to the first id not used (none when all were used)."""
        return [(f"SELECT setval({_SEQUENCE}, ?, false)", (self.ids[0],))] if self.ids else []


class Conflict(Exception):
    """An article of the batch was stored after all, by a writer outside the lock: the batch is undone."""


def save_batch(ingestor: Ingestor, items: list[Item]) -> list[Saved | None]:
    """Save a batch in one transaction under GROUPING_LOCK; each article's Saved, or None when it is stored
    already. On any error the transaction is rolled back and the index read again from the store."""
    db = ingestor.store.db
    try:
        stored, candidates, ids = _read(ingestor, items)
        ingestor.new_story = ids.take  # a split within the batch opens its story with the next id
        out = _place_all(ingestor, items, stored, candidates, ids)
    except BaseException:
        if not db.broken:
            db.execute("ROLLBACK")  # also releases the lock
            ingestor.reload()  # the index may hold articles the rollback took back
        raise
    finally:
        ingestor.new_story = None
    for saved in out:
        if saved is not None:
            ingestor.count_one()  # after COMMIT: this may write the term statistics, a transaction of its own
    return out


def _read(ingestor: Ingestor, items: list[Item]) -> tuple[set[str], dict[tuple[int, int], list[tuple]], StoryIds]:
    """BEGIN, the lock, and every read the batch needs, in one round trip; the index caught up."""
    pairs = sorted({(band, key) for item in items for band, key in enumerate(item.keys)})
    urls = [item.url for item in items if item.url]
    db = ingestor.store.db
    _, _, splits, rows, stored, found, ids = db.together(
        [
            ("BEGIN", ()),
            ("SELECT pg_advisory_xact_lock(?)", (GROUPING_LOCK,)),
            ("SELECT value FROM state WHERE key = 'splits'", ()),
            (CATCH_UP, (ingestor.synced,)),
            (_STORED, ([item.article.id for item in items], urls)),
            (_CANDIDATES, ([p[0] for p in pairs], [p[1] for p in pairs])),
            (f"SELECT nextval({_SEQUENCE}) FROM generate_series(1, ?)", (len(items),)),
        ],
        planned=CATCH_UP,
    )
    ingestor.catch_up(str(splits[0][0]) if splits else None, rows)
    candidates: dict[tuple[int, int], list[tuple]] = {}
    for band, key, *candidate in found:
        candidates.setdefault((int(band), int(key)), []).append(tuple(candidate))
    return {x for row in stored for x in row if x}, candidates, StoryIds(db, [int(r[0]) for r in ids])


def _place_all(
    ingestor: Ingestor,
    items: list[Item],
    stored: set[str],
    candidates: dict[tuple[int, int], list[tuple]],
    ids: StoryIds,
) -> list[Saved | None]:
    """Place and write the batch in order, then COMMIT; a batch-mate is a near-copy candidate too."""
    from rashomon.ingest.pipeline import earliest, story_title

    db = ingestor.store.db
    out: list[Saved | None] = []
    pending: list[tuple[str, tuple]] = []
    rowids: list[int] = []
    for item in items:
        article = item.article
        if article.id in stored or (item.url and item.url in stored):
            out.append(None)
            continue
        stored.update(x for x in (article.id, item.url) if x)
        bands = list(enumerate(item.keys))
        placed = ingestor.place(
            article, item.counts, earliest(item.sig, [c for b in bands for c in candidates.get(b, [])])
        )
        opens = placed.story_id is None
        story_id = ids.take() if placed.story_id is None else placed.story_id
        due = not opens and placed.origin is None and ingestor.grouper.due_after_one(story_id)
        pending.append(_write(item, placed, story_id, story_title(article.title, article.text) if opens else None))
        if due:  # the split check reads the story back: its writes go first
            _flush(db, pending, rowids)
            pending = []
        saved = ingestor.placed(article, placed, story_id, opens, may_split=due)
        out.append(saved)
        if placed.origin is None:
            mate = (_MATE_ROWID + len(out), article.id, copies.to_blob(item.sig), saved.story_id)
            for band in bands:
                candidates.setdefault(band, []).append(mate)
    _flush(db, [*pending, *ids.give_back(), ("COMMIT", ())], rowids)
    ingestor.synced = max([ingestor.synced, *rowids])
    return out


def _flush(db: Any, statements: list[tuple[str, tuple]], rowids: list[int]) -> None:
    """Send the pending writes (and what follows them) and wait for them: their rowids."""
    for (sql, _), rows in zip(statements, db.together(statements), strict=True):
        if sql is _WRITE:
            if not rows:
                raise Conflict("an article of the batch was stored meanwhile by a writer outside the lock")
            rowids.append(int(rows[0][0]))


def _write(item: Item, placed: Placed, story: int, title: str | None) -> tuple[str, tuple]:
    """_WRITE with its values; `title` names the story it opens (None: it opens none). A date that is None
    leaves the story's dates as they are."""
    article = item.article
    iso = article.published.isoformat() if article.published else None
    row = (*article_row(article, item.url), placed.origin, placed.terms, copies.to_blob(item.sig))
    opens = title is not None
    return (_WRITE, (*row, story, title, iso, iso, opens, story, iso, iso, iso, iso, story, opens, item.keys))
