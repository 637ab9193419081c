"""`rashomon ingest`: every kind of source → articles saved in the store, failures typed and reported.

A SOURCE is a file, a directory (walked), an article URL, an RSS/Atom feed (URL
or file), an OPML file of feeds, a JSON Lines file (one article per line:
`text` or `html`, optional `url`, `outlet`, `title`, `date`, `byline`) or a WARC
file (`.warc`, `.warc.gz`). A bad source is a `Failure` with a kind (dns, http,
refused, robots, timeout, invalid, truncated, …); the run goes on with the rest.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rashomon.errors import InputError
from rashomon.fetch import ARTICLE_TYPES, FEED_TYPES, Fetcher, FetchError
from rashomon.group.stories import GroupOptions
from rashomon.ingest.pipeline import Ingestor, Saved
from rashomon.ingest.prepare import (
    HtmlRecord,
    Prepared,
    Preparer,
    Rejected,
    article_from,
    bounded_lines,
    capped,
)
from rashomon.ingest.shared import SHARED_BATCH
from rashomon.ingest.urls import canonical_url
from rashomon.ingest.worker import ParseFailure, Worker
from rashomon.model import Article
from rashomon.read.files import ARTICLE_SUFFIXES, MAX_BYTES, read_article
from rashomon.read.text import ParsedText, normalise, parse_date, parse_text
from rashomon.store import Store
from rashomon.store.db import StoreError, store_error

FEED_SUFFIXES = (".rss", ".atom", ".xml", ".rdf")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
WARC_SUFFIXES = (".warc", ".warc.gz")
OPML_SUFFIXES = (".opml",)
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
FEED_FULL_TEXT_WORDS = 150  # an entry with this many words of content is the article itself
FEED_MIN_POLL = 15 * 60  # seconds between two polls of the same feed


MESSAGE_MAX = 500  # a failure's message and source, in characters: a hostile file cannot flood the terminal


def _cut(text: str, limit: int = MESSAGE_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Failure:
    source: str
    kind: str
    message: str

    def __post_init__(self) -> None:
        self.source, self.message = _cut(self.source), _cut(self.message)

    def __str__(self) -> str:
        return f"{self.source}: {self.message} [{self.kind}]"


KEPT = 1000  # failures and warnings a run keeps in memory (and prints); every failure is in the store


class Capped(list):  # type: ignore[type-arg]
    """A list that keeps its first KEPT items and counts the rest: a million bad lines cannot fill memory."""

    def __init__(self) -> None:
        super().__init__()
        self.total = 0

    def append(self, item: Any) -> None:
        self.total += 1
        if len(self) < KEPT:
            super().append(_cut(item) if isinstance(item, str) else item)

    def extend(self, items: Any) -> None:
        for item in items:
            self.append(item)

    @property
    def dropped(self) -> int:
        return self.total - len(self)


@dataclass
class Report:
    added: int = 0
    duplicates: int = 0
    copies: int = 0
    new_stories: int = 0
    splits: int = 0  # stories found to hold two events and split
    failures: Capped = field(default_factory=Capped)
    warnings: Capped = field(default_factory=Capped)
    saved: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return self.failures.total


def _suffix(path: str) -> str:
    name = path.lower()
    for multi in (".warc.gz",):
        if name.endswith(multi):
            return multi
    return Path(name).suffix


INGEST_SUFFIXES = ARTICLE_SUFFIXES + FEED_SUFFIXES + JSONL_SUFFIXES + WARC_SUFFIXES + OPML_SUFFIXES


def walk(directory: Path) -> list[str]:
    """The files under a directory that ingest reads, in a stable order."""
    return sorted(
        str(p)
        for p in directory.rglob("*")
        if p.is_file()
        and not p.name.startswith(".")
        and not p.name.endswith(".meta.toml")
        and _suffix(str(p)) in INGEST_SUFFIXES
    )


class IngestRun:
    """One `ingest` invocation over a store; call `source()` for each SOURCE, then `close()`."""

    def __init__(
        self,
        store: Store,
        *,
        fetcher: Fetcher | None = None,
        outlets: dict[str, str] | None = None,
        max_chars: int = 2_000_000,
        on_progress: Callable[[Report], None] | None = None,
        parse_timeout: float | None = None,
        grouping: GroupOptions | None = None,
        processes: int | None = None,
    ) -> None:
        self.store = store
        self.ingestor = Ingestor(store, grouping)
        self._fetcher = fetcher
        self.outlets = outlets or {}
        self.max_chars = max_chars
        self.report = Report()
        self.on_progress = on_progress
        self.worker = Worker(parse_timeout) if parse_timeout else Worker()
        self.reader = Worker(parse_timeout) if parse_timeout else Worker()  # streams WARC records
        self.preparer = Preparer(self.outlets, max_chars, processes)

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher()
        return self._fetcher

    # -- outcomes ----------------------------------------------------------
    def fail(self, source: str, kind: str, message: str) -> None:
        failure = Failure(source, kind, message)
        self.report.failures.append(failure)
        try:
            with self.store.transaction() as db:
                db.execute(
                    "INSERT INTO failures (source, kind, message) VALUES (?, ?, ?)",
                    (failure.source, kind, failure.message),
                )
        except sqlite3.Error as exc:  # the store itself failed (disk full…): not this source's doing
            raise store_error(self.store.path, exc) from exc
        self._progress()

    def keep(self, article: Article, url: str | None, prepared: Prepared | None = None) -> None:
        self._counted(self.ingestor.save(capped(article), url=url, prepared=prepared))

    def keep_many(self, batch: list[tuple[Article, str | None, Prepared | None]]) -> None:
        """`keep` for several articles at once (on PostgreSQL one transaction for a batch: ingest/shared.py)."""
        if not batch:
            return
        batch = [(capped(article), url, prepared) for article, url, prepared in batch]
        try:
            saved = self.ingestor.save_many(batch)
        except StoreError:
            raise
        except Exception:
            if self.ingestor.lost:  # the server went away: not one article's doing
                raise
            for article, url, prepared in batch:  # one at a time, so that a failure is its own article's
                with self._guard(article.source):
                    self.keep(article, url, prepared)
            return
        for one in saved:
            self._counted(one)

    def _counted(self, saved: Saved | None) -> None:
        if saved is None:
            self.report.duplicates += 1
        else:
            self.report.added += 1
            self.report.saved.append(saved.article_id)
            self.report.copies += saved.copy_of is not None
            self.report.new_stories += saved.new_story + saved.split
            self.report.splits += saved.split
        self._progress()

    def _progress(self) -> None:
        if self.on_progress is not None:
            self.on_progress(self.report)

    def close(self) -> None:
        self.ingestor.close()
        self.worker.stop()
        self.reader.stop()
        self.preparer.close()

    @contextmanager
    def _guard(self, source: str) -> Iterator[None]:
        """An unexpected error in one source (or record) becomes that source's `error` failure; the run goes on.

        A database error is not one source's: it ends the run as a StoreError naming the file.
        """
        try:
            yield
        except StoreError:
            raise
        except sqlite3.Error as exc:
            raise store_error(self.store.path, exc) from exc
        except Exception as exc:
            self.fail(
                source,
                "error",
                f"unexpected {type(exc).__name__} ({_cut(str(exc), 200)}); the run went on; please report this",
            )

    # -- dispatch ------------------------------------------------------------
    def source(self, given: str) -> None:
        with self._guard(given):
            self._source(given)

    def _source(self, given: str) -> None:
        if given.startswith(("http://", "https://")):
            self.url(given)
            return
        if "://" in given or given.startswith(("file:", "ftp:", "gopher:", "data:")):
            self.fail(given, "refused", "only http and https URLs are fetched; give a local path without a scheme")
            return
        path = Path(given)
        if path.is_dir():
            files = walk(path)
            if not files:
                self.fail(given, "empty", f"no file rashomon reads in this directory ({', '.join(INGEST_SUFFIXES)})")
            for name in files:
                self.file(name)
        elif path.is_file():
            self.file(given)
        else:
            self.fail(given, "missing", "no such file or directory, and not an http(s) URL; check the path")

    def file(self, name: str) -> None:
        suffix = _suffix(name)
        try:
            if suffix in JSONL_SUFFIXES:
                self.jsonl(name)
            elif suffix in WARC_SUFFIXES:
                self.warc(name)
            elif suffix in OPML_SUFFIXES:
                self.opml(name)
            elif suffix in FEED_SUFFIXES:
                self.feed_bytes(_read(name), name, None)
            elif suffix in HTML_SUFFIXES:
                self.html(_read(name), name, None, {})
            else:
                self.keep(
                    read_article(name, outlets=self.outlets, max_chars=self.max_chars, warnings=self.report.warnings),
                    None,
                )
        except InputError as exc:
            self.fail(name, "invalid", str(exc))
        except OSError as exc:
            self.fail(name, "unreadable", f"cannot be read ({exc.strerror or exc}); check its permissions")

    # -- kinds ---------------------------------------------------------------
    def html(self, data: bytes, source: str, url: str | None, meta: dict[str, Any]) -> None:
        """An HTML page, parsed in the worker, then built like any article."""
        try:
            fields = self.worker.run("html", data, url)
        except ParseFailure as exc:
            self.fail(source, "not_article" if exc.kind == "invalid" else exc.kind, str(exc))
            return
        parsed = ParsedText(
            text=fields["text"],
            title=fields["title"],
            byline=fields["byline"],
            outlet=fields["outlet"],
            url=fields["url"],
            published=parse_date(fields["published"]) if fields["published"] else None,
        )
        self.build(parsed, source, url or fields["url"], meta)

    def build(self, parsed: ParsedText, source: str, url: str | None, meta: dict[str, Any]) -> None:
        try:
            article = article_from(
                parsed, source, url, meta, outlets=self.outlets, max_chars=self.max_chars, warnings=self.report.warnings
            )
        except InputError as exc:
            self.fail(source, "not_article", str(exc))
            return
        self.keep(article, url)

    def jsonl(self, name: str) -> None:
        """One article per line, read and annotated by the preparer (in worker processes for a large file)."""
        with open(name, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            ready: list[tuple[Article, str | None, Prepared | None]] = []
            for result in self.preparer.lines(name, bounded_lines(fh), size):
                if result is None:
                    continue
                if self.ingestor.shared and isinstance(result, Prepared):  # saved by batch (ingest/shared.py)
                    self.report.warnings.extend(result.warnings)
                    ready.append((result.article, result.url, result))
                    if len(ready) >= SHARED_BATCH:
                        self.keep_many(ready)
                        ready = []
                    continue
                self.keep_many(ready)
                ready = []
                with self._guard(result.source):
                    self._record(result)
            self.keep_many(ready)

    def _record(self, result: Prepared | Rejected | HtmlRecord) -> None:
        if isinstance(result, Rejected):
            self.fail(result.source, result.kind, result.message)
        elif result.url and self.ingestor.known(url=result.url):
            self.report.duplicates += 1
            self._progress()
        elif isinstance(result, HtmlRecord):
            self.html(result.html, result.source, result.url, result.meta)
        else:
            self.report.warnings.extend(result.warnings)
            self.keep(result.article, result.url, result)

    def warc(self, name: str) -> None:
        """The HTML responses of a WARC file, read (bounded) in a worker process of its own, parsed in the parser's."""
        try:
            for item in self.reader.stream("warc", name):
                url = item.get("url")
                if "heartbeat" in item:
                    continue
                if "failure" in item:
                    what = {"truncated": "the WARC file is cut short", "invalid": "not a readable WARC file"}
                    self.fail(
                        name,
                        item["failure"],
                        f"{what.get(item['failure'], 'the WARC file cannot be read')}: {item['message']}; "
                        "the records before it were read",
                    )
                elif "skipped" in item:
                    self.report.warnings.append(f"{name}: record {url or '?'} skipped: {item['skipped']}")
                elif url and self.ingestor.known(url=url):
                    self.report.duplicates += 1
                    self._progress()
                else:
                    web = url if url and url.startswith(("http://", "https://")) else None
                    with self._guard(url or name):
                        self.html(item["html"], url or name, web, {})
        except ParseFailure as exc:
            self.fail(name, exc.kind, f"reading the WARC file failed: {exc}")

    def opml(self, name: str) -> None:
        try:
            urls = feed_urls(_read(name), name)
        except InputError as exc:
            self.fail(name, "invalid", str(exc).removeprefix(f"{name}: "))
            return
        for url in urls:
            self.url(url, feed=True)

    # -- network -------------------------------------------------------------
    def url(self, url: str, *, feed: bool = False) -> None:
        if not feed and self.ingestor.known(url=url):
            self.report.duplicates += 1
            self._progress()
            return
        state = self.store.db.execute(
            "SELECT etag, last_modified, polled_at FROM feeds WHERE url = ?", (canonical_url(url),)
        ).fetchone()
        if state and state[2]:
            age = (dt.datetime.now(dt.UTC) - dt.datetime.fromisoformat(state[2])).total_seconds()
            if age < FEED_MIN_POLL:
                self.report.warnings.append(f"{url}: feed polled {age / 60:.0f} min ago; polled again after 15 min")
                return
        try:
            response = self.fetcher.get(
                url,
                accept=ARTICLE_TYPES + FEED_TYPES,
                obey_robots=feed,
                etag=state[0] if state else None,
                last_modified=state[1] if state else None,
            )
        except FetchError as exc:
            self.fail(url, exc.kind, str(exc).removeprefix(f"{exc.url}: "))
            return
        self.report.warnings.extend(response.warnings)
        if response.not_modified:
            self._polled(url, response.etag, response.last_modified)
            return
        if response.content_type in FEED_TYPES or _looks_like_feed(response.body):
            self.feed_bytes(response.body, url, url)
            self._polled(url, response.etag, response.last_modified)
        elif feed:
            self.fail(url, "not_feed", f"expected a feed, got {response.content_type}")
        else:
            if response.url != url and self.ingestor.known(url=response.url):
                self.report.duplicates += 1
                return
            self.html(response.body, url, response.url, {})

    def _polled(self, url: str, etag: str | None, last_modified: str | None) -> None:
        with self.store.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO feeds (url, etag, last_modified, polled_at) VALUES (?, ?, ?, ?)",
                (canonical_url(url), etag, last_modified, dt.datetime.now(dt.UTC).isoformat()),
            )

    def feed_bytes(self, data: bytes, source: str, url: str | None) -> None:
        try:
            feed = self.worker.run("feed", data, url)
        except ParseFailure as exc:
            self.fail(source, "invalid_feed" if exc.kind == "invalid" else exc.kind, f"malformed feed: {exc}")
            return
        if feed.get("truncated"):
            self.report.warnings.append(f"{source}: more than 1,000 entries; only the first 1,000 were read")
        outlet = feed.get("title")
        for entry in feed["entries"]:
            with self._guard(str(entry.get("link") or source)):
                self._entry(entry, source, outlet)

    def _entry(self, entry: dict[str, Any], source: str, outlet: str | None) -> None:
        link = entry.get("link") if str(entry.get("link") or "").startswith(("http://", "https://")) else None
        meta = {
            "title": entry.get("title"),
            "byline": entry.get("author"),
            "date": entry.get("published"),
            "outlet": outlet,
        }
        if link and self.ingestor.known(url=link):
            self.report.duplicates += 1
            return
        text = entry.get("text") or ""
        if len(text.split()) >= FEED_FULL_TEXT_WORDS:
            self.build(parse_text(normalise(text)), link or source, link, meta)
        elif link:
            try:
                page = self.fetcher.get(link, obey_robots=True)
            except FetchError as exc:
                self.fail(link, exc.kind, str(exc).removeprefix(f"{exc.url}: "))
                return
            self.html(page.body, link, page.url, meta)
        else:
            self.fail(
                f"{source} entry {entry.get('id') or entry.get('title')}",
                "not_article",
                "entry has no text and no link",
            )


def feed_urls(data: bytes, name: str) -> list[str]:
    """The feed URLs of an OPML file (defusedxml: no entities, no DTD); InputError when there are none."""
    import defusedxml.ElementTree as ET

    try:
        root = ET.fromstring(data)
    except Exception as exc:  # defusedxml raises ParseError and its own refusal types
        raise InputError(name, f"not a valid OPML file ({_cut(str(exc), 200)})", "give an OPML list of feeds") from None
    urls = [str(node.get("xmlUrl")) for node in root.iter("outline") if node.get("xmlUrl")]
    if not urls:
        raise InputError(name, "no feed in this OPML file (no outline with xmlUrl)", "give an OPML list of feeds")
    return urls


def _read(name: str) -> bytes:
    with open(name, "rb") as fh:
        data = fh.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InputError(name, f"larger than {MAX_BYTES:,} bytes", "split it or give the article's own page")
    return data


def _looks_like_feed(body: bytes) -> bool:
    head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<?xml"):
        head = head[head.find(b"?>") + 2 :].lstrip()
    return head.startswith((b"<rss", b"<feed", b"<rdf:rdf"))
