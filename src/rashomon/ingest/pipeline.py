"""Saving articles into the store: once each, whole, with their copy links and their story.

On SQLite one article is one transaction (BEGIN IMMEDIATE … COMMIT): the
article row, its MinHash bands, its story (new or updated) and its story
membership are written together or not at all, so a crash at any point leaves
every saved article complete and every other one absent. On PostgreSQL a batch
of articles is one transaction, with the same guarantee for each (shared.py).
Saving the same text, or the same canonical URL, again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass

import numpy as np

from rashomon.group import copies
from rashomon.group.stories import Grouper, GroupOptions, split_members, term_counts
from rashomon.ingest.prepare import Prepared
from rashomon.ingest.shared import SHARED_BATCH, Item, save_batch
from rashomon.ingest.urls import canonical_url
from rashomon.model import Article
from rashomon.read.text import LATEST_DAYS_AHEAD, stored_date
from rashomon.store import Store
from rashomon.store.db import ARTICLE_COLUMNS, article_row
from rashomon.write.safe import shorten

DF_SAVE_EVERY = 2000
# How many of the latest splits the store names, so that the other ingest processes read again only the
# stories those touched (more missed than this: every open story).
SPLIT_LOG = 64


# A story's name at most: a headline's length, cut at a word with an ellipsis.
STORY_TITLE_MAX = 120


def story_title(title: str | None, text: str) -> str:
    """A story is named after its first article: its title, or else its first line."""
    return shorten(title or text.split("\n", 1)[0], STORY_TITLE_MAX)


def split_state(value: str | None) -> tuple[int, list[tuple[int, int]]]:
    """The store's split state (`state` key 'splits'): how many splits, and the latest SPLIT_LOG of them
    (story, new story). A plain count (written by rashomon before the log) has no log."""
    if not value:
        return 0, []
    found = json.loads(value)
    if isinstance(found, int):
        return found, []
    return int(found["n"]), [(int(a), int(b)) for a, b in found["log"]]


def _day(value: str | None) -> dt.date | None:
    return stored_date(value)


def _latest_day() -> str:
    """The latest plausible date, as stored dates are compared."""
    return (dt.date.today() + dt.timedelta(days=LATEST_DAYS_AHEAD)).isoformat()


class _AlreadyStored(Exception):
    """Raised inside the transaction (which then rolls back) when the row exists after all."""


@dataclass
class Saved:
    article_id: str
    story_id: int
    new_story: bool
    copy_of: str | None
    split: bool = False  # saving it made its story split in two (see Ingestor._split)


class Ingestor:
    """Holds the grouping state of a store; `save` puts one article in, `close` writes the state back."""

    def __init__(self, store: Store, options: GroupOptions | None = None) -> None:
        self.store = store
        self.options = options
        self.grouper = Grouper(options)
        self._unsaved = 0
        # On PostgreSQL several ingest processes share one story index: each takes GROUPING_LOCK around
        # choosing and writing a batch's stories, and first reads what the others saved since (`catch_up`).
        self.shared = bool(getattr(store, "postgres", False))
        self.synced = 0  # the articles' rowid up to which this index has read the store
        self._splits = 0  # the store's split count as this index has read it
        self.new_story: Callable[[], int] | None = None  # where a split takes its new story's id (shared.py)
        self._load()

    # -- state -----------------------------------------------------------
    def _load(self) -> None:
        db = self.store.db
        row = db.execute("SELECT value FROM state WHERE key = 'df'").fetchone()
        if row:
            state = json.loads(row[0])
            self.grouper.docs = int(state["docs"])
            self.grouper.df = Counter(state["df"])
        newest = _day(
            db.execute("SELECT max(last_date) FROM stories WHERE last_date <= ?", (_latest_day(),)).fetchone()[0]
        )
        window = self.grouper.options.window_days
        horizon = (newest - dt.timedelta(days=window)).isoformat() if newest else ""
        self.synced = int(db.execute("SELECT coalesce(max(rowid), 0) FROM articles").fetchone()[0])
        self._splits = split_state(self._split_value())[0]
        # the open stories (dated within the window, and the latest undated ones), in id order, each one's
        # members in the order they were saved: one query (a query per story cost a round trip each)
        self._read_members(
            "(s.story_id IN (SELECT id FROM stories WHERE last_date >= ?) OR s.story_id IN "
            "(SELECT id FROM stories WHERE last_date IS NULL ORDER BY id DESC LIMIT ?))",
            (horizon, self.grouper.options.max_open_undated),
        )

    def _read_members(self, stories: str, params: tuple, *, advance: bool = True) -> None:
        """Into the index, the members (not near-copies) of the stories `stories` selects (a condition on
        s.story_id), up to the rowid it has read, each story's in the order they were saved."""
        for story_id, terms, published in self.store.db.execute(
            "SELECT s.story_id, a.terms, a.published FROM story_articles s JOIN articles a ON a.id = s.article_id "
            f"WHERE {stories} AND a.copy_of IS NULL AND a.rowid <= ? ORDER BY s.story_id, a.rowid",
            (*params, self.synced),
        ):  # row by row: a whole window's terms need not be in memory twice
            self.grouper.add(story_id, json.loads(terms) if terms else {}, _day(published), advance=advance)

    def _split_value(self) -> str | None:
        row = self.store.db.execute("SELECT value FROM state WHERE key = 'splits'").fetchone()
        return str(row[0]) if row else None

    def catch_up(self, splits: str | None, rows: list[tuple]) -> None:
        """Read into the index what other processes saved since it last looked (`rows`, read under
        GROUPING_LOCK, so nothing is saved meanwhile): their articles into their stories. After splits
        elsewhere (`splits`, the store's split state, counts more than this index read), the stories they
        touched are read again; when more splits happened than the state remembers, every open story."""
        count, log = split_state(splits)
        missed = count - self._splits
        if missed > len(log) or missed < 0:
            self.reload()
            return
        if missed:
            self._refresh(log[len(log) - missed :])
            self._splits = count
        for rowid, terms, published, story_id, copy_of in rows:
            self.synced = max(self.synced, int(rowid))
            if copy_of is None:
                vector = json.loads(terms) if terms else {}
                # the terms it keeps (not all it counts): recounting each other article's text under the
                # lock cost more than it changed (agreement with one process within ±0.007, pg_writers.py)
                self.grouper.observe(vector)
                self.grouper.add(story_id, vector, _day(published), advance=False)

    def _refresh(self, splits: list[tuple[int, int]]) -> None:
        """Read again, as the store now holds them, the two stories of each split whose first is open here."""
        ids = sorted({x for old, new in splits if old in self.grouper.open for x in (old, new)})
        if not ids:
            return
        for story_id in ids:
            self.grouper.forget(story_id)
        self._read_members(f"s.story_id IN ({','.join('?' * len(ids))})", tuple(ids), advance=False)

    @property
    def lost(self) -> bool:
        """Whether the store's server went away (PostgreSQL)."""
        return bool(getattr(self.store.db, "broken", False))

    def reload(self) -> None:
        """Read the open stories again from the store, keeping the term statistics."""
        df, docs = self.grouper.df, self.grouper.docs
        self.grouper = Grouper(self.options)
        self._load()
        self.grouper.df, self.grouper.docs = df, docs

    def save_state(self) -> None:
        """Write the document frequencies back (they only weight terms: a crash loses at most a few)."""
        state = json.dumps({"docs": self.grouper.docs, "df": self.grouper.df}, separators=(",", ":"))
        with self.store.transaction() as db:
            db.execute("INSERT OR REPLACE INTO state (key, value) VALUES ('df', ?)", (state,))
        self._unsaved = 0

    def close(self) -> None:
        if self._unsaved:
            self.save_state()

    # -- saving ----------------------------------------------------------
    def known(self, article_id: str | None = None, url: str | None = None) -> bool:
        """Is this text (by id) or this URL (once canonical) already stored?"""
        return self._stored(article_id, canonical_url(url) if url else None)

    def _stored(self, article_id: str | None, canonical: str | None) -> bool:
        db = self.store.db
        if article_id and db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone():
            return True
        return bool(canonical and db.execute("SELECT 1 FROM articles WHERE url = ?", (canonical,)).fetchone())

    def save(self, article: Article, *, url: str | None = None, prepared: Prepared | None = None) -> Saved | None:
        """Store one article with its copy link and story; None when it is already stored.

        `prepared` carries its terms and signature when a worker computed them already."""
        return self.save_many([(article, url, prepared)])[0]

    def save_many(self, batch: list[tuple[Article, str | None, Prepared | None]]) -> list[Saved | None]:
        """`save` for each, in order: one transaction each on SQLite; on PostgreSQL, one per SHARED_BATCH
        articles (shared.save_batch: the processes sharing the store's story index take turns by batch)."""
        items = [self._measure(article, url, prepared) for article, url, prepared in batch]
        if self.shared:
            return [
                s for k in range(0, len(items), SHARED_BATCH) for s in save_batch(self, items[k : k + SHARED_BATCH])
            ]
        return [self._save(item) for item in items]

    @staticmethod
    def _measure(article: Article, url: str | None, prepared: Prepared | None) -> Item:
        if prepared is not None and prepared.article.id == article.id:
            sig, counts = prepared.signature, prepared.counts
        else:
            sig, counts = copies.signature(article.text), term_counts(article.title, article.text)
        return Item(article, canonical_url(url) if url else None, sig, copies.band_keys(sig), counts)

    def _save(self, item: Item) -> Saved | None:
        """One article in its own transaction (SQLite)."""
        article = item.article
        if self._stored(article.id, item.url):
            return None
        found = self.store.db.execute(*_candidates(item.keys)).fetchall()
        placed = self.place(article, item.counts, earliest(item.sig, found))
        try:
            story_id, new_story = self._write(article, item.url, placed, item.sig, item.keys)
        except _AlreadyStored:  # another process saved it meanwhile
            return None
        saved = self.placed(article, placed, story_id, new_story)
        self.count_one()
        return saved

    def place(self, article: Article, counts: dict, origin: tuple[str, int] | None) -> Placed:
        """Where an article goes: its near-copy's story, or the story the index chooses (None: a new one)."""
        self.grouper.observe(counts)
        vector = self.grouper.vector(counts)
        story_id = origin[1] if origin is not None else self.grouper.choose(vector, article.published)
        terms = json.dumps({w: round(x, 5) for w, x in vector.items()}, separators=(",", ":"))
        return Placed(origin[0] if origin else None, story_id, vector, terms)

    def placed(
        self, article: Article, placed: Placed, story_id: int, new_story: bool, *, may_split: bool = True
    ) -> Saved:
        """After its write: the article in the index, and its story split when a check is due (shared:
        when `shared.save_batch` foresaw it and kept its transaction open for it)."""
        split = False
        if placed.origin is None:
            self.grouper.add(story_id, placed.vector, article.published)
            if may_split and self.grouper.due(story_id):
                moved_to = self._split(story_id)
                split = moved_to is not None
                if moved_to is not None and article.id in moved_to[1]:
                    story_id = moved_to[0]
        return Saved(article.id, story_id, new_story, placed.origin, split)

    def count_one(self) -> None:
        self._unsaved += 1
        if self._unsaved >= DF_SAVE_EVERY:
            self.save_state()

    def _write(
        self, article: Article, url: str | None, placed: Placed, sig: np.ndarray, keys: list[int]
    ) -> tuple[int, bool]:
        """The one transaction of an article: its row, its story (opened if None), its bands."""
        day = article.published
        story_id, new_story = placed.story_id, False
        with self.store.transaction() as db:
            cursor = db.execute(
                f"INSERT OR IGNORE INTO articles ({ARTICLE_COLUMNS}, copy_of, terms, minhash)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (*article_row(article, url), placed.origin, placed.terms, copies.to_blob(sig)),
            )
            if cursor.rowcount != 1:
                raise _AlreadyStored
            if story_id is None:
                title = story_title(article.title, article.text)
                story_id = int(
                    db.execute("INSERT INTO stories (title) VALUES (?)", (title,)).lastrowid  # type: ignore[arg-type]
                )
                new_story = True
            db.execute("INSERT INTO story_articles (article_id, story_id) VALUES (?, ?)", (article.id, story_id))
            db.execute("UPDATE stories SET size = size + 1 WHERE id = ?", (story_id,))
            if day is not None:
                iso = day.isoformat()
                db.execute(
                    "UPDATE stories SET"
                    " first_date = CASE WHEN first_date IS NULL OR first_date > ? THEN ? ELSE first_date END,"
                    " last_date = CASE WHEN last_date IS NULL OR last_date < ? THEN ? ELSE last_date END WHERE id = ?",
                    (iso, iso, iso, iso, story_id),
                )
            db.executemany(
                "INSERT OR IGNORE INTO minhash_bands (band, key, article_id) VALUES (?, ?, ?)",
                [(band, key, article.id) for band, key in enumerate(keys)],
            )
        return story_id, new_story

    def _split(self, story_id: int) -> tuple[int, set[str]] | None:
        """Check a story for two events; move its newer part (with their copies) to a new story.

        One transaction of its own: a crash before it leaves the story as it was.
        Returns the new story's id and the ids of the articles moved, or None.
        """
        db = self.store.db
        rows = db.execute(
            "SELECT a.id, a.terms FROM story_articles s JOIN articles a ON a.id = s.article_id "
            "WHERE s.story_id = ? AND a.copy_of IS NULL ORDER BY a.rowid DESC LIMIT ?",
            (story_id, self.grouper.options.split_window),
        ).fetchall()
        members = [(article_id, json.loads(terms) if terms else {}) for article_id, terms in reversed(rows)]
        leaving = split_members(members, self.grouper.options)
        if not leaving:
            return None
        vectors = dict(members)
        new_id, moved, (_, first, last) = self._move(story_id, leaving)
        self.grouper.detach(story_id, [vectors[a] for a in leaving], _day(first), _day(last))
        marks = ",".join("?" * len(leaving))
        for article_id, published in self.store.db.execute(
            f"SELECT id, published FROM articles WHERE id IN ({marks}) ORDER BY rowid", leaving
        ).fetchall():
            self.grouper.add(new_id, vectors[article_id], _day(published))
        return new_id, set(moved)

    def _move(self, story_id: int, leaving: list[str]) -> tuple[int, list[str], tuple[int, str | None, str | None]]:
        """The split's transaction: the leaving articles and their copies into a new story, both stories'
        sizes and dates, the split logged for the other processes. The new story's id, the articles moved,
        and what is left of the old story (size, first and last date)."""
        marks = ",".join("?" * len(leaving))
        # shared: inside the batch's own transaction, which holds GROUPING_LOCK (`shared.save_batch`)
        with nullcontext(self.store.db) if self.shared else self.store.transaction() as db:
            moved = [
                r[0]
                for r in db.execute(
                    f"SELECT id FROM articles WHERE id IN ({marks}) OR copy_of IN ({marks}) ORDER BY rowid",
                    (*leaving, *leaving),
                )
            ]
            title = story_title(*db.execute("SELECT title, text FROM articles WHERE id = ?", (moved[0],)).fetchone())
            if self.new_story is not None:  # shared: the batch's ids (shared.StoryIds)
                new_id = self.new_story()
                db.execute("INSERT INTO stories (id, title) VALUES (?, ?)", (new_id, title))
            else:
                new_id = int(db.execute("INSERT INTO stories (title) VALUES (?)", (title,)).lastrowid)  # type: ignore[arg-type]
            db.executemany("UPDATE story_articles SET story_id = ? WHERE article_id = ?", [(new_id, a) for a in moved])
            # other processes' indexes read these two stories again (`catch_up`)
            splits, log = split_state(self._split_value())
            state = {"n": splits + 1, "log": [*log, (story_id, new_id)][-SPLIT_LOG:]}
            db.execute("INSERT OR REPLACE INTO state (key, value) VALUES ('splits', ?)", (json.dumps(state),))
            ranges: dict[int, tuple[int, str | None, str | None]] = {}
            for sid in (story_id, new_id):
                ranges[sid] = db.execute(
                    "SELECT count(*), min(a.published), max(a.published) FROM story_articles s "
                    "JOIN articles a ON a.id = s.article_id WHERE s.story_id = ?",
                    (sid,),
                ).fetchone()
                db.execute(
                    "UPDATE stories SET size = ?, first_date = ?, last_date = ? WHERE id = ?", (*ranges[sid], sid)
                )
        self._splits = splits + 1
        return new_id, moved, ranges[story_id]


@dataclass
class Placed:
    origin: str | None  # the article it nearly copies
    story_id: int | None  # None: it opens a story
    vector: dict[str, float]
    terms: str  # the vector as stored


def _candidates(keys: list[int]) -> tuple[str, list[int]]:
    """The statement finding stored articles (not copies themselves) that share a MinHash band with these
    keys: their rowid, id, signature and story."""
    where = " OR ".join(["(b.band = ? AND b.key = ?)"] * len(keys))
    return (
        "SELECT a.rowid, a.id, a.minhash, m.story_id FROM minhash_bands b JOIN articles a ON a.id = b.article_id "
        f"JOIN story_articles m ON m.article_id = a.id WHERE ({where}) AND a.copy_of IS NULL",
        [x for band, key in enumerate(keys) for x in (band, key)],
    )


def earliest(sig: np.ndarray, found: list[tuple]) -> tuple[str, int] | None:
    """Of the candidates, the earliest stored one this article nearly copies: its id and story."""
    best: tuple[int, str, int] | None = None
    for rowid, article_id, minhash, story_id in found:
        if minhash is None or (best is not None and rowid >= best[0]):
            continue
        if copies.similarity(sig, copies.from_blob(minhash)) >= copies.THRESHOLD:
            best = (rowid, article_id, story_id)
    return (best[1], int(best[2])) if best else None
