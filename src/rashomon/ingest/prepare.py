"""Reading and annotating local articles (JSON Lines records) in worker processes, in order.

Saving is serial (one SQLite writer, one grouping state), but everything
before it is not: decoding a line, checking it, building the article and
computing its grouping terms and MinHash signature touch no shared state. So
a JSONL file is cut into batches of `BATCH` lines that a pool of processes
prepares while the parent saves the batch before: at most `AHEAD` batches are
in flight, so memory stays bounded whatever the file's size. Records are
saved in file order. HTML records go back to the parent, which parses them in
its killable worker (untrusted HTML is never parsed in the pool).

Pool workers die with their parent (PR_SET_PDEATHSIG on Linux), so a killed
ingest leaves no process behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from typing import Any, BinaryIO

import numpy as np

from rashomon.errors import InputError
from rashomon.group import copies
from rashomon.group.stories import term_counts
from rashomon.ingest.urls import parsable_url
from rashomon.model import Article
from rashomon.read.files import build_article
from rashomon.read.text import ParsedText, normalise, parse_text

BATCH = 256
AHEAD = 3
WORKER_NICE = 5  # how much lower a worker process runs than its parent (see _die_with_parent)
MAX_LINE = 25_000_000  # bytes in one JSONL line: a 20 MB page plus room for JSON escaping; longer lines are refused
POOL_MIN_BYTES = 512 * 1024  # smaller files are read in the parent: starting workers costs more
TITLE_MAX, BYLINE_MAX, OUTLET_MAX = 1000, 256, 200


@dataclass
class Prepared:
    """An article ready to save, with its grouping terms and MinHash signature."""

    source: str
    url: str | None
    article: Article
    counts: dict[str, float]
    signature: np.ndarray
    warnings: list[str] = field(default_factory=list)


@dataclass
class Rejected:
    source: str
    kind: str
    message: str


@dataclass
class HtmlRecord:
    """A record whose body is HTML: parsed by the parent's killable worker."""

    source: str
    url: str | None
    meta: dict[str, Any]
    html: bytes


Result = Prepared | Rejected | HtmlRecord | None


def capped(article: Article) -> Article:
    """Field caps: title 1,000 characters, byline 256, outlet 200 (the body is capped by max_chars)."""
    title = article.title[:TITLE_MAX] if article.title else article.title
    byline = article.byline[:BYLINE_MAX] if article.byline else article.byline
    outlet = article.outlet[:OUTLET_MAX] if article.outlet else None
    if title == article.title and byline == article.byline and outlet == article.outlet:
        return article
    return replace(article, title=title, byline=byline, outlet=outlet)


def host(url: str) -> str:
    from urllib.parse import urlsplit

    try:
        return (urlsplit(url).hostname or url).removeprefix("www.")
    except ValueError:  # a broken IPv6 literal
        return url


def article_from(
    parsed: ParsedText,
    source: str,
    url: str | None,
    meta: dict[str, Any],
    *,
    outlets: dict[str, str],
    max_chars: int,
    warnings: list[str],
) -> Article:
    """The article of parsed text and given metadata; with no outlet anywhere, the URL's host (a file's
    name is no outlet: without a URL the outlet stays unknown)."""
    if not meta.get("outlet") and not parsed.outlet and not parsed.dateline_credit and url:
        meta = {**meta, "outlet": host(url)}
    article = build_article(
        parsed,
        source,
        meta={k: str(v) for k, v in meta.items() if v},
        outlets=outlets,
        max_chars=max_chars,
        warnings=warnings,
    )
    return capped(article)


def annotate(source: str, url: str | None, article: Article, warnings: list[str]) -> Prepared:
    return Prepared(
        source, url, article, term_counts(article.title, article.text), copies.signature(article.text), warnings
    )


def bounded_lines(fh: BinaryIO, limit: int = MAX_LINE) -> Iterator[tuple[int, bytes | None]]:
    """(number, line) of a binary file; None for a line over `limit` bytes, which is skipped, never held whole."""
    number = 0
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while True:  # pass over the rest of the line in pieces
                rest = fh.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield number, None
        else:
            yield number, line


def _invalid_unicode(record: dict[str, Any]) -> str | None:
    """The field holding a lone surrogate (from a `\\ud800` escape), which no text can store; or None."""
    for key, value in record.items():
        if isinstance(value, str) and not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                return f"{key!r} holds {value[exc.start : exc.end]!r}, a lone surrogate escape, not a character"
    return None


def jsonl_record(line: bytes | None, where: str, outlets: dict[str, str], max_chars: int) -> Result:
    """One line of a JSONL file: a prepared article, a rejection, an HTML record, or None (blank)."""
    if line is None:
        return Rejected(where, "too_large", f"a line over {MAX_LINE:,} bytes; it was skipped (one article per line)")
    try:
        return _record(line, where, outlets, max_chars)
    except Exception as exc:  # one line never ends the run: it becomes its own typed failure
        return Rejected(where, "error", f"unexpected {type(exc).__name__} ({str(exc)[:200]}); please report this")


def _record(line: bytes, where: str, outlets: dict[str, str], max_chars: int) -> Result:
    if not line.strip():
        return None
    try:
        record = json.loads(line)
    except RecursionError:
        return Rejected(where, "invalid", "JSON nested too deep to read; one flat object per line")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return Rejected(where, "invalid", f"not a JSON object ({str(exc)[:200]}); one article per line")
    if isinstance(record, dict) and (problem := _invalid_unicode(record)):
        return Rejected(where, "invalid", f"{problem}; fix the encoder that wrote this line")
    if not isinstance(record, dict) or not (isinstance(record.get("text"), str) or isinstance(record.get("html"), str)):
        return Rejected(where, "invalid", 'each line needs "text" or "html" (a string)')
    url = record.get("url") if isinstance(record.get("url"), str) else None
    if url and (not url.startswith(("http://", "https://")) or not parsable_url(url)):
        url = None
    meta: dict[str, Any] = {
        k: record.get(k) for k in ("title", "outlet", "byline", "author") if isinstance(record.get(k), str)
    }
    if "author" in meta and "byline" not in meta:
        meta["byline"] = meta.pop("author")
    meta.pop("author", None)
    date = record.get("date") or record.get("published")
    if isinstance(date, str):
        meta["date"] = date
    source = url or where
    if not isinstance(record.get("text"), str):
        return HtmlRecord(source, url, meta, record["html"].encode("utf-8", "replace"))
    warnings: list[str] = []
    try:
        article = article_from(
            parse_text(normalise(record["text"])),
            source,
            url,
            meta,
            outlets=outlets,
            max_chars=max_chars,
            warnings=warnings,
        )
    except InputError as exc:
        return Rejected(source, "not_article", str(exc))
    return annotate(source, url, article, warnings)


def _batch(lines: list[tuple[bytes | None, str]], outlets: dict[str, str], max_chars: int) -> list[Result]:
    return [jsonl_record(line, where, outlets, max_chars) for line, where in lines]


def _die_with_parent() -> None:
    """Pool initialiser: the kernel kills this worker when its parent dies (Linux only). A worker also
    yields the CPU to its parent (nice +WORKER_NICE): the parent's saving is the one serial step (on
    PostgreSQL it holds the shared grouping lock meanwhile), while workers prepare batches ahead."""
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICE)
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except OSError:  # pragma: no cover - no glibc
            pass
        if os.getppid() == 1:  # the parent died before prctl ran
            os._exit(1)


class Preparer:
    """A pool of processes preparing JSONL lines; `lines` yields results in order."""

    def __init__(self, outlets: dict[str, str], max_chars: int, processes: int | None = None) -> None:
        """`processes` workers (default: one fewer than the cores, the parent saving on the last; 0: none)."""
        self.outlets = outlets
        self.max_chars = max_chars
        self.processes = processes if processes is not None else min(4, (os.cpu_count() or 1) - 1)
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor | None:
        if self.processes < 1:
            return None
        if self._pool is None:
            import multiprocessing

            self._pool = ProcessPoolExecutor(
                self.processes, mp_context=multiprocessing.get_context("spawn"), initializer=_die_with_parent
            )
        return self._pool

    def lines(self, name: str, numbered: Iterable[tuple[int, bytes | None]], size: int) -> Iterator[Result]:
        """The results of a file's lines, in order; in the pool when the file is large enough."""
        batches = _batches(name, numbered)
        pool = self._executor() if size >= POOL_MIN_BYTES else None
        if pool is None:
            for batch in batches:
                yield from _batch(batch, self.outlets, self.max_chars)
            return
        ahead: deque[tuple[list[tuple[bytes | None, str]], Future[list[Result]] | None]] = deque()
        for batch in batches:
            ahead.append((batch, self._submit(batch)))
            if len(ahead) > AHEAD:
                yield from self._results(*ahead.popleft())
        while ahead:
            yield from self._results(*ahead.popleft())

    def _submit(self, batch: list[tuple[bytes | None, str]]) -> Future[list[Result]] | None:
        pool = self._executor()
        try:
            return pool.submit(_batch, batch, self.outlets, self.max_chars) if pool else None
        except (BrokenProcessPool, RuntimeError):
            self.close()
            return None

    def _results(self, batch: list[tuple[bytes | None, str]], future: Future[list[Result]] | None) -> list[Result]:
        if future is not None:
            try:
                return future.result()
            except BrokenProcessPool:  # a worker died (killed, out of memory): this batch is read here
                self.close()
        return _batch(batch, self.outlets, self.max_chars)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _batches(name: str, numbered: Iterable[tuple[int, bytes | None]]) -> Iterator[list[tuple[bytes | None, str]]]:
    batch: list[tuple[bytes | None, str]] = []
    for number, line in numbered:
        batch.append((line, f"{name}:{number}"))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
