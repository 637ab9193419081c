"""Saving articles into the store: once each, whole, with their copy links and their story.

One article is one transaction (BEGIN IMMEDIATE … COMMIT): the article row,
its MinHash bands, its story (new or updated) and its story membership are
written together or not at all, so a crash at any point leaves every saved
article complete and every other one absent. Saving the same text, or the
same canonical URL, again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass

import numpy as np

from rashomon.group import copies
from rashomon.group.stories import Grouper, GroupOptions, split_members, term_counts
from rashomon.ingest.prepare import Prepared
from rashomon.ingest.urls import canonical_url
from rashomon.model import Article
from rashomon.read.text import LATEST_DAYS_AHEAD, stored_date
from rashomon.store import Store
from rashomon.store.db import ARTICLE_COLUMNS, article_row
from rashomon.write.safe import shorten

DF_SAVE_EVERY = 2000
# The PostgreSQL advisory lock several ingest processes take around choosing and saving a story.
GROUPING_LOCK = 7412002


# A story's name at most: a headline's length, cut at a word with an ellipsis.
STORY_TITLE_MAX = 120


def story_title(title: str | None, text: str) -> str:
    """A story is named after its first article: its title, or else its first line."""
    return shorten(title or text.split("\n", 1)[0], STORY_TITLE_MAX)


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
        # choosing and writing an article's story, and first reads what the others saved since (`_catch_up`).
        self.shared = bool(getattr(store, "postgres", False))
        self._synced = 0  # the articles' rowid up to which this index has read the store
        self._splits = ""  # the store's split count when the index was last read whole
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
        dated = db.execute("SELECT id FROM stories WHERE last_date >= ? ORDER BY id", (horizon,)).fetchall()
        undated = db.execute(
            "SELECT id FROM stories WHERE last_date IS NULL ORDER BY id DESC LIMIT ?",
            (self.grouper.options.max_open_undated,),
        ).fetchall()
        self._synced = int(db.execute("SELECT coalesce(max(rowid), 0) FROM articles").fetchone()[0])
        self._splits = self._split_count()
        for (story_id,) in sorted(dated + undated):
            members = db.execute(
                "SELECT a.terms, a.published FROM story_articles s JOIN articles a ON a.id = s.article_id "
                "WHERE s.story_id = ? AND a.copy_of IS NULL AND a.rowid <= ? ORDER BY a.rowid",
                (story_id, self._synced),
            )
            for terms, published in members:
                vector = json.loads(terms) if terms else {}
                self.grouper.add(story_id, vector, _day(published))

    def _split_count(self) -> str:
        row = self.store.db.execute("SELECT value FROM state WHERE key = 'splits'").fetchone()
        return str(row[0]) if row else "0"

    def _catch_up(self) -> None:
        """Read into the index what other processes saved since it last looked (under GROUPING_LOCK, so
        nothing is saved meanwhile): their articles into their stories; after a split elsewhere, every
        open story again."""
        if self._split_count() != self._splits:
            df, docs = self.grouper.df, self.grouper.docs
            self.grouper = Grouper(self.options)
            self.grouper.df, self.grouper.docs = df, docs
            self._load()
            self.grouper.df, self.grouper.docs = df, docs
            return
        rows = self.store.db.execute(
            "SELECT a.rowid, a.terms, a.published, m.story_id, a.copy_of FROM articles a "
            "JOIN story_articles m ON m.article_id = a.id WHERE a.rowid > ? ORDER BY a.rowid",
            (self._synced,),
        ).fetchall()
        for rowid, terms, published, story_id, copy_of in rows:
            self._synced = max(self._synced, int(rowid))
            if copy_of is None:
                vector = json.loads(terms) if terms else {}
                # the terms it keeps (not all it counts): recounting each other article's text under the
                # lock cost more than it changed (agreement with one process within ±0.007, pg_writers.py)
                self.grouper.observe(vector)
                self.grouper.add(story_id, vector, _day(published), advance=False)

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
        if not self.shared:
            return self._save(article, url, prepared)
        self.store.db.execute("SELECT pg_advisory_lock(?)", (GROUPING_LOCK,))
        try:
            self._catch_up()
            saved = self._save(article, url, prepared)
            self._synced = int(self.store.db.execute("SELECT coalesce(max(rowid), 0) FROM articles").fetchone()[0])
            return saved
        finally:
            self.store.db.execute("SELECT pg_advisory_unlock(?)", (GROUPING_LOCK,))

    def _save(self, article: Article, url: str | None, prepared: Prepared | None) -> Saved | None:
        url = canonical_url(url) if url else None
        if self._stored(article.id, url):
            return None
        if prepared is not None and prepared.article.id == article.id:
            sig, counts = prepared.signature, prepared.counts
        else:
            sig, counts = copies.signature(article.text), term_counts(article.title, article.text)
        keys = copies.band_keys(sig)
        origin = self._original(sig, keys)
        self.grouper.observe(counts)
        vector = self.grouper.vector(counts)
        day = article.published
        story_id: int | None
        split = False
        if origin is not None:
            story_id = self.store.db.execute(
                "SELECT story_id FROM story_articles WHERE article_id = ?", (origin,)
            ).fetchone()[0]
        else:
            story_id = self.grouper.choose(vector, day)
        terms = json.dumps({w: round(x, 5) for w, x in vector.items()}, separators=(",", ":"))
        try:
            story_id, new_story = self._write(article, url, origin, terms, sig, keys, story_id)
        except _AlreadyStored:  # another process saved it meanwhile
            return None
        if origin is None:
            self.grouper.add(story_id, vector, day)
            if self.grouper.due(story_id):
                moved_to = self._split(story_id)
                split = moved_to is not None
                if moved_to is not None and article.id in moved_to[1]:
                    story_id = moved_to[0]
        self._unsaved += 1
        if self._unsaved >= DF_SAVE_EVERY:
            self.save_state()
        return Saved(article.id, story_id, new_story, origin, split)

    def _write(
        self,
        article: Article,
        url: str | None,
        origin: str | None,
        terms: str,
        sig: np.ndarray,
        keys: list[int],
        story_id: int | None,
    ) -> tuple[int, bool]:
        """The one transaction of an article: its row, its story (opened if None), its bands."""
        day = article.published
        new_story = False
        with self.store.transaction() as db:
            cursor = db.execute(
                f"INSERT OR IGNORE INTO articles ({ARTICLE_COLUMNS}, copy_of, terms, minhash)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (*article_row(article, url), origin, terms, copies.to_blob(sig)),
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
                db.execute(  # SQL both SQLite and PostgreSQL take (no scalar min/max, no numbered "?")
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
        marks = ",".join("?" * len(leaving))
        with self.store.transaction() as db:
            moved = [
                r[0]
                for r in db.execute(
                    f"SELECT id FROM articles WHERE id IN ({marks}) OR copy_of IN ({marks}) ORDER BY rowid",
                    (*leaving, *leaving),
                )
            ]
            title = story_title(*db.execute("SELECT title, text FROM articles WHERE id = ?", (moved[0],)).fetchone())
            new_id = int(db.execute("INSERT INTO stories (title) VALUES (?)", (title,)).lastrowid)  # type: ignore[arg-type]
            db.executemany("UPDATE story_articles SET story_id = ? WHERE article_id = ?", [(new_id, a) for a in moved])
            splits = int(self._splits) + 1  # other processes' indexes read the stories again (`_catch_up`)
            db.execute("INSERT OR REPLACE INTO state (key, value) VALUES ('splits', ?)", (str(splits),))
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
        self._splits = str(splits)
        self.grouper.detach(
            story_id, [vectors[a] for a in leaving], _day(ranges[story_id][1]), _day(ranges[story_id][2])
        )
        for article_id, published in db.execute(
            f"SELECT id, published FROM articles WHERE id IN ({marks}) ORDER BY rowid", leaving
        ).fetchall():
            self.grouper.add(new_id, vectors[article_id], _day(published))
        return new_id, set(moved)

    def _original(self, sig: np.ndarray, keys: list[int]) -> str | None:
        """The earliest stored article this one nearly copies (itself not a copy), if any."""
        db = self.store.db
        where = " OR ".join(["(band = ? AND key = ?)"] * len(keys))
        params = [x for band, key in enumerate(keys) for x in (band, key)]
        found = {r[0] for r in db.execute(f"SELECT article_id FROM minhash_bands WHERE {where}", params)}
        best: tuple[int, str] | None = None
        for article_id in found:
            row = db.execute("SELECT rowid, minhash, copy_of FROM articles WHERE id = ?", (article_id,)).fetchone()
            if row is None or row[2] is not None or row[1] is None:
                continue
            if copies.similarity(sig, copies.from_blob(row[1])) >= copies.THRESHOLD and (
                best is None or row[0] < best[0]
            ):
                best = (row[0], article_id)
        return best[1] if best else None
