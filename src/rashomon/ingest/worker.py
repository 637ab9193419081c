"""Parsing untrusted bytes (HTML pages, feeds) in a separate process that can be stopped.

No parser is a security boundary (reliability-plan.md §0): trafilatura can run
for seconds or exhaust memory on a pathological page, and feedparser 6.0.14 has
a quadratic regex (a 64 KB author field takes seconds). So each document is
parsed in a worker process with an address-space limit (RLIMIT_AS) and a CPU
limit, and the parent waits at most `timeout` seconds of wall time. A worker
that hangs, crashes or runs out of memory is killed and replaced; the document
becomes a typed failure and the run goes on.
"""

from __future__ import annotations

import multiprocessing
import resource
import time
from collections.abc import Iterator
from multiprocessing.connection import Connection
from typing import Any

WALL_SECONDS = 15.0
CPU_SECONDS = 15
ADDRESS_SPACE = 2 * 1024**3
MAX_FEED_ENTRIES = 1000
HEARTBEAT_SECONDS = 2.0  # a stream says it is alive at least this often (the parent waits WALL_SECONDS)


class ParseFailure(Exception):
    """A document that could not be parsed: `kind` is timeout, crashed, memory or invalid."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def _limit(cpu_used: float, cpu_seconds: int | None = CPU_SECONDS) -> None:
    try:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    except (ValueError, OSError):  # pragma: no cover - a platform without it
        pass
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    if cpu_seconds is None:  # a stream: bounded by the wall time between items instead
        resource.setrlimit(resource.RLIMIT_CPU, (hard, hard))
        return
    soft = int(cpu_used) + cpu_seconds
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def parse_html_bytes(data: bytes, url: str | None) -> dict[str, Any]:
    """A page's main text and metadata (in the worker)."""
    from rashomon.read.files import decode
    from rashomon.read.html import parse_html

    warnings: list[str] = []
    html = decode(data, url or "page", warnings)
    parsed = parse_html(html, url or "page")
    return {
        "text": parsed.text,
        "title": parsed.title,
        "byline": parsed.byline,
        "outlet": parsed.outlet,
        "url": parsed.url,
        "published": parsed.published.isoformat() if parsed.published else None,
    }


def fragment_text(html: str) -> str:
    """Plain text of an HTML fragment (a feed entry's content), paragraphs kept apart."""
    import lxml.html

    if not html.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except Exception:  # lxml raises several types on junk
        return ""
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    blocks = []
    for node in root.iter("p", "li", "h1", "h2", "h3", "blockquote"):
        text = " ".join(node.text_content().split())
        if text:
            blocks.append(text)
    return "\n\n".join(blocks) if blocks else " ".join(root.text_content().split())


def parse_feed_bytes(data: bytes, url: str | None) -> dict[str, Any]:
    """A feed's entries (in the worker). feedparser is only ever given bytes."""
    import feedparser

    assert isinstance(data, bytes)
    feed = feedparser.parse(data, response_headers={"content-location": url} if url else None)
    if not feed.entries and feed.get("bozo"):
        raise ValueError(f"not a feed ({feed.get('bozo_exception')})")
    entries = []
    for entry in feed.entries[:MAX_FEED_ENTRIES]:
        content = ""
        if entry.get("content"):
            content = entry["content"][0].get("value") or ""
        summary = entry.get("summary") or ""
        entries.append(
            {
                "id": entry.get("id") or entry.get("link"),
                "link": entry.get("link"),
                "title": entry.get("title"),
                "author": entry.get("author"),
                "published": entry.get("published") or entry.get("updated"),
                "text": fragment_text(str(content or summary)),
            }
        )
    return {
        "title": feed.feed.get("title"),
        "entries": entries,
        "truncated": len(feed.entries) > MAX_FEED_ENTRIES,
    }


def read_warc(path: str) -> Iterator[dict[str, Any]]:
    """A WARC file's HTML pages and skipped records, then its failure if it has one (in the worker)."""
    from rashomon.ingest.warc import Page, Skipped, WarcError, records

    said = time.monotonic()
    try:
        with open(path, "rb") as fh:
            for item in records(fh, compressed=path.lower().endswith(".gz")):
                if isinstance(item, Page):
                    yield {"url": item.url, "html": item.html}
                elif isinstance(item, Skipped):
                    yield {"url": item.url, "skipped": item.reason}
                elif time.monotonic() - said < HEARTBEAT_SECONDS:
                    continue
                else:  # a long run of records passed over (images, requests): still reading, not stalled
                    yield {"heartbeat": True}
                said = time.monotonic()
    except WarcError as exc:
        yield {"failure": exc.kind, "message": str(exc)}
    except OSError as exc:
        yield {"failure": "unreadable", "message": f"cannot be read ({exc.strerror or exc})"}


_JOBS = {"html": parse_html_bytes, "feed": parse_feed_bytes}
_STREAMS = {"warc": read_warc}


def _serve(conn: Connection) -> None:  # pragma: no cover - runs in the child
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        kind, data, url = job
        usage = resource.getrusage(resource.RUSAGE_SELF)
        _limit(usage.ru_utime + usage.ru_stime, None if kind in _STREAMS else CPU_SECONDS)
        try:
            if kind in _STREAMS:
                for item in _STREAMS[kind](data):
                    conn.send(("item", item))
                conn.send(("end", None))
            else:
                conn.send(("ok", _JOBS[kind](data, url)))
        except MemoryError:
            conn.send(("memory", "the document needed more memory than the worker may use"))
        except Exception as exc:
            conn.send(("invalid", f"{type(exc).__name__}: {exc}"[:500]))


class Worker:
    """One parsing process, restarted after any failure that leaves it unusable."""

    def __init__(self, timeout: float = WALL_SECONDS) -> None:
        self.timeout = timeout
        self._proc: Any = None
        self._conn: Connection | None = None

    def _start(self) -> Connection:
        ctx = multiprocessing.get_context("spawn")
        parent, child = ctx.Pipe()
        self._proc = ctx.Process(target=_serve, args=(child,), daemon=True, name="rashomon-parse")
        self._proc.start()
        child.close()
        self._conn = parent
        return parent

    def run(self, kind: str, data: bytes, url: str | None) -> dict[str, Any]:
        conn = self._conn or self._start()
        try:
            conn.send((kind, data, url))
            ready = conn.poll(self.timeout)
            if not ready:
                self.stop()
                raise ParseFailure("timeout", f"parsing took longer than {self.timeout:g} s and was stopped")
            status, value = conn.recv()
        except (EOFError, BrokenPipeError, ConnectionResetError):
            if self._proc is not None:
                self._proc.join(1)
            code = self._proc.exitcode if self._proc is not None else None
            self.stop()
            raise ParseFailure("crashed", f"the parser process died (exit code {code})") from None
        if status != "ok":
            if status == "memory":
                self.stop()
            raise ParseFailure(status, str(value))
        return dict(value)

    def stream(self, kind: str, data: Any) -> Iterator[dict[str, Any]]:
        """The items of a streaming job, each within `timeout` of the one before; ParseFailure otherwise.

        The worker may run ahead by what the pipe holds; a stream left unfinished stops the worker.
        """
        conn = self._conn or self._start()
        finished = False
        try:
            conn.send((kind, data, None))
            while True:
                if not conn.poll(self.timeout):
                    raise ParseFailure("timeout", f"reading stalled for more than {self.timeout:g} s and was stopped")
                status, value = conn.recv()
                if status == "item":
                    yield dict(value)
                elif status == "end":
                    finished = True
                    return
                else:
                    raise ParseFailure(status, str(value))
        except (EOFError, BrokenPipeError, ConnectionResetError):
            code = self._proc.exitcode if self._proc is not None else None
            raise ParseFailure("crashed", f"the reading process died (exit code {code})") from None
        finally:
            if not finished:
                self.stop()

    def stop(self) -> None:
        if self._proc is not None:
            if self._proc.is_alive():
                self._proc.kill()
            self._proc.join(5)
        if self._conn is not None:
            self._conn.close()
        self._proc = self._conn = None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def __del__(self) -> None:  # pragma: no cover
        try:
            self.stop()
        except Exception:
            pass
