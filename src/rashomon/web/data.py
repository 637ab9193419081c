"""What the pages read from the store: stories (searched and filtered), a story's stored comparison,
articles, outlets. Reads use one connection per thread (query only); a search runs at most 1 s."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rashomon.corpus import OutletProfile
from rashomon.store.db import BUSY_TIMEOUT_S, OUTLET_KEY, is_url

SEARCH_SECONDS = 1.0
QUERY_MAX = 200
PAGE = 50
_WORD = re.compile(r"\w[\w'’-]*", re.UNICODE)


class BadQuery(Exception):
    """A search or filter the user should change (shown with status 400)."""


@dataclass
class StoryRow:
    id: int
    title: str
    first_date: str | None
    last_date: str | None
    articles: int
    independent_outlets: int
    outlets: list[str]

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def fts_query(text: str) -> str:
    """The user's words as an FTS5 query: each word a quoted phrase, all required (no FTS syntax gets through)."""
    words = _WORD.findall(text[:QUERY_MAX])
    if not words:
        raise BadQuery("type one or more words to search for")
    return " ".join('"' + w.replace('"', '""') + '"' for w in words[:20])


def parse_day(value: str | None, name: str) -> str | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise BadQuery(f"{name} must be a date like 2025-05-16") from None


# The outlet map places at most this many outlets (those with most stories), over the latest MAP_STORIES
# compared stories, by the MAP_VOICES voices each carries most and the names it chooses.
MAP_OUTLETS = 40
MAP_STORIES = 5_000
MAP_VOICES = 30


# Stories (the rows of `page`, in its order) with their outlets counted, copies apart.
_WITH_OUTLETS = (
    "SELECT p.id, p.title, p.first_date, p.last_date, p.size,"
    f" (SELECT count(DISTINCT {OUTLET_KEY}) FROM story_articles m JOIN articles a ON a.id = m.article_id"
    "  WHERE m.story_id = p.id AND a.copy_of IS NULL),"
    " (SELECT json_group_array(DISTINCT a.outlet) FROM story_articles m JOIN articles a ON a.id = m.article_id"
    "  WHERE m.story_id = p.id)"
    " FROM ({page}) p ORDER BY p.last_date IS NULL, p.last_date DESC, p.id DESC"
)


def _story_row(r: tuple[Any, ...]) -> StoryRow:
    return StoryRow(r[0], r[1] or "", r[2], r[3], r[4], r[5], sorted(filter(None, json.loads(r[6]))))


def pg_query(text: str) -> str:
    """The user's words for PostgreSQL's plainto_tsquery: every word required, no query syntax (the same
    search as `fts_query` on SQLite, over the `simple` configuration: no stemming, no stop words)."""
    words = _WORD.findall(text[:QUERY_MAX])
    if not words:
        raise BadQuery("type one or more words to search for")
    return " ".join(words[:20])


def _filters(
    q: str | None, outlet: str | None, since: str | None, until: str | None, *, postgres: bool = False
) -> tuple[str, list[str]]:
    """The WHERE clause (over stories `s`) and its parameters for a search and filters."""
    where, params = ["1 = 1"], []
    if q and postgres:
        where.append(
            "s.id IN (SELECT m.story_id FROM articles a JOIN story_articles m ON m.article_id = a.id "
            "WHERE a.search @@ plainto_tsquery('simple', ?))"
        )
        params.append(pg_query(q))
    elif q:
        where.append(
            "s.id IN (SELECT m.story_id FROM articles_fts f JOIN articles a ON a.rowid = f.rowid "
            "JOIN story_articles m ON m.article_id = a.id WHERE articles_fts MATCH ?)"
        )
        params.append(fts_query(q))
    if outlet:
        where.append(
            "s.id IN (SELECT m.story_id FROM articles a JOIN story_articles m ON m.article_id = a.id WHERE a.outlet = ?)"
        )
        params.append(outlet)
    since, until = parse_day(since, "from"), parse_day(until, "to")
    if since:
        where.append("s.last_date >= ?")
        params.append(since)
    if until:
        where.append("s.first_date <= ?")
        params.append(until)
    return " AND ".join(where), params


class Reader:
    """Read-only queries of the web pages, on a SQLite file or a PostgreSQL database (one connection per
    thread)."""

    def __init__(self, path: Path | str) -> None:
        self.path = path
        self.postgres = is_url(path)
        self._local = threading.local()
        self._reports: OrderedDict[tuple[int, str], dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._names: tuple[float, list[str]] | None = None

    @property
    def db(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None and self.postgres:
            from rashomon.store.pg import Connection

            conn = Connection(str(self.path), read_only=True)  # reconnects by itself after a server restart
            self._local.conn = conn
        elif conn is None:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA query_only=ON")
            self._local.conn = conn
        return conn

    # -- stories -------------------------------------------------------------
    def stories(
        self,
        *,
        q: str | None = None,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        page: int = 1,
    ) -> tuple[list[StoryRow], bool]:
        """One page of stories, newest first, and whether there is a next page."""
        where, params = _filters(q, outlet, since, until, postgres=self.postgres)
        # the page of stories first (by the index on last_date), then their outlets: counting outlets
        # for every story before the LIMIT would cost the whole table
        page_sql = (
            f"SELECT id, title, first_date, last_date, size FROM stories s WHERE s.size > 0 AND {where}"
            " ORDER BY s.last_date IS NULL, s.last_date DESC, s.id DESC LIMIT ? OFFSET ?"
        )
        rows = self._timed(_WITH_OUTLETS.format(page=page_sql), (*params, PAGE + 1, (max(1, page) - 1) * PAGE))
        return [_story_row(r) for r in rows[:PAGE]], len(rows) > PAGE

    def _timed(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        """Run a query, stopped after SEARCH_SECONDS (BadQuery); a malformed FTS query is a BadQuery too."""
        if self.postgres:
            return self._timed_postgres(sql, params)
        deadline = time.monotonic() + SEARCH_SECONDS
        self.db.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        try:
            return self.db.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                raise BadQuery("the search took too long; use rarer or more words") from None
            if "fts5" in str(exc) or "MATCH" in str(exc):
                raise BadQuery(f"the search could not be read ({exc})") from None
            raise
        finally:
            self.db.set_progress_handler(None, 0)

    def _timed_postgres(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        """The same on PostgreSQL: the server cancels the statement after SEARCH_SECONDS."""
        import psycopg

        self.db.execute(f"SET statement_timeout = {int(SEARCH_SECONDS * 1000)}")
        try:
            return list(self.db.execute(sql, params).fetchall())
        except psycopg.errors.QueryCanceled:
            raise BadQuery("the search took too long; use rarer or more words") from None
        finally:
            self.db.execute("SET statement_timeout = 0")

    def story(self, story_id: int) -> StoryRow | None:
        page_sql = "SELECT id, title, first_date, last_date, size FROM stories WHERE id = ?"
        row = self.db.execute(_WITH_OUTLETS.format(page=page_sql), (story_id,)).fetchone()
        return _story_row(row) if row else None

    def report(self, story_id: int, key: str) -> dict[str, Any] | None:
        """The stored comparison of a story, if it was made from exactly these articles (kept parsed, 64 at most)."""
        with self._lock:
            cached = self._reports.get((story_id, key))
            if cached is not None:
                self._reports.move_to_end((story_id, key))
                return cached
        row = self.db.execute("SELECT key, report FROM reports WHERE story_id = ?", (story_id,)).fetchone()
        if row is None or row[0] != key:
            return None
        report: dict[str, Any] = json.loads(row[1])
        with self._lock:
            self._reports[(story_id, key)] = report
            while len(self._reports) > 64:
                self._reports.popitem(last=False)
        return report

    def story_ids(self, story_id: int) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT article_id FROM story_articles WHERE story_id = ?", (story_id,))]

    # -- articles -----------------------------------------------------------
    def article(self, article_id: str) -> dict[str, Any] | None:
        cursor = self.db.execute(
            "SELECT a.id, a.source, a.url, a.outlet, a.title, a.byline, a.published, a.language, a.text, a.copy_of,"
            " m.story_id FROM articles a LEFT JOIN story_articles m ON m.article_id = a.id WHERE a.id = ?",
            (article_id,),
        )
        row = cursor.fetchone()
        return dict(zip([d[0] for d in cursor.description], row, strict=True)) if row else None

    # -- outlets ------------------------------------------------------------
    def outlets(self) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT a.outlet, count(DISTINCT m.story_id), count(*) FROM articles a "
            "JOIN story_articles m ON m.article_id = a.id WHERE a.outlet != '' GROUP BY a.outlet ORDER BY count(DISTINCT m.story_id) DESC, a.outlet"
        ).fetchall()
        return [{"outlet": o, "stories": s, "articles": n} for o, s, n in rows]

    def outlet_points(self, outlets: list[dict[str, Any]], limit: int = MAP_OUTLETS) -> list[Any]:
        """The outlets to map (of `outlets()`, the `limit` with most stories), each over the latest
        MAP_STORIES compared stories: what the outlet map of the outlets page places (write.pictures)."""
        from rashomon.write.pictures import OutletPoint

        profiles = {
            o["outlet"]: OutletProfile(o["outlet"], stories=o["stories"], articles=o["articles"])
            for o in outlets[:limit]  # most stories first
        }
        for (stored,) in self.db.execute("SELECT profile FROM analyses ORDER BY story_id DESC LIMIT ?", (MAP_STORIES,)):
            for outlet, entry in json.loads(stored).items():
                if outlet in profiles:
                    profiles[outlet].absorb(entry)
        return [
            OutletPoint(
                p.outlet,
                p.articles,
                p.loaded_per_1000_words,
                dict(p.voices.most_common(MAP_VOICES)),
                {ref: forms.most_common(1)[0][0] for ref, forms in p.naming.items() if forms},
            )
            for p in profiles.values()
            if p.compared_stories
        ]

    def outlet_names(self, limit: int = 500) -> list[str]:
        """Outlet names for the filter's suggestions (read again at most every 30 s)."""
        now = time.monotonic()
        cached = self._names
        if cached is None or now - cached[0] > 30:
            names = [
                r[0]
                for r in self.db.execute(
                    "SELECT DISTINCT outlet FROM articles WHERE outlet != '' ORDER BY outlet LIMIT ?", (limit,)
                )
            ]
            self._names = cached = (now, names)
        return cached[1]

    def outlet(self, name: str) -> dict[str, Any] | None:
        """An outlet's profile over its stories, from the comparisons already made (see `rashomon outlets`)."""
        row = self.db.execute(
            "SELECT count(DISTINCT m.story_id), count(*), sum(CASE WHEN a.copy_of IS NULL THEN 0 ELSE 1 END) FROM articles a "
            "JOIN story_articles m ON m.article_id = a.id WHERE a.outlet = ?",
            (name,),
        ).fetchone()
        if not row or not row[1]:
            return None
        profile = OutletProfile(name, stories=row[0], articles=row[1])
        for (stored,) in self.db.execute(
            "SELECT p.profile FROM analyses p WHERE p.story_id IN (SELECT m.story_id FROM articles a "
            "JOIN story_articles m ON m.article_id = a.id WHERE a.outlet = ?)",
            (name,),
        ):
            entry = json.loads(stored).get(name)
            if entry is not None:
                profile.absorb(entry)
        recent = [
            {"id": r[0], "title": r[1] or "", "last_date": r[2]}
            for r in self.db.execute(
                "SELECT s.id, s.title, s.last_date FROM stories s WHERE s.id IN (SELECT m.story_id FROM "
                "story_articles m JOIN articles a ON a.id = m.article_id WHERE a.outlet = ?) "
                "ORDER BY s.last_date IS NULL, s.last_date DESC, s.id DESC LIMIT 30",
                (name,),
            )
        ]
        return {
            **profile.to_dict(top=15),
            "copies": row[2] or 0,
            "words": profile.words,
            "loaded_own_voice": profile.loaded_own_voice,
            "recent_stories": recent,
        }
