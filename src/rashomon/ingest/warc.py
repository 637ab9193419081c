"""Reading WARC files (ISO 28500) with every size bounded, for files from strangers.

warcio reads a header line until it finds a line end, however far that is: a
204 KB .warc.gz of zeros became one 200 MB "line" (2.7 GB at peak, and the
whole line in the error message). This reader is strict and bounded instead:

- a header line is at most `MAX_LINE` bytes and a header block at most
  `MAX_HEADERS` lines; anything else where a record should start ends the file
  as `invalid`, with a short message;
- a record's block is streamed: only HTML responses of at most `MAX_RECORD`
  bytes are held in memory, larger ones are skipped with a warning;
- a .warc.gz may not expand more than `MAX_EXPANSION` times its compressed
  size (real crawls expand 3 to 10 times; a bomb of zeros 1,000 times);
- a file that ends inside a record (plain or gzip) is `truncated`, after the
  records before it.

It runs in the parser worker process (`worker.read_warc`), so even a bug here
cannot take the ingest process or the web server with it.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

import brotli

from rashomon.codings import MAX_CODINGS, CodingError, Decoder, codings_of
from rashomon.read.files import MAX_BYTES

MAX_LINE = 64 * 1024  # one WARC or HTTP header line
MAX_HEADERS = 256  # lines in one header block
MAX_RECORD = MAX_BYTES + 64 * 1024  # an HTML response held in memory: the page cap plus its HTTP headers
MAX_EXPANSION = 100  # decompressed bytes per compressed byte, beyond the first EXPANSION_FLOOR bytes
EXPANSION_FLOOR = 16 * 1024 * 1024
PIECE = 1 << 20
HTML_TYPES = ("text/html", "application/xhtml+xml")


class WarcError(Exception):
    """The file cannot be read further; `kind` is `truncated` or `invalid`."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass
class Page:
    """An HTML response record: its target URL and the decoded HTTP body."""

    url: str | None
    html: bytes


@dataclass
class Skipped:
    url: str | None
    reason: str


class _Bytes:
    """Bounded reads and lines over a file, plain or gzip, counting what the gzip layer produced."""

    def __init__(self, raw: BinaryIO, compressed: bool) -> None:
        self.raw = raw
        self.stream: Any = gzip.GzipFile(fileobj=raw, mode="rb") if compressed else raw
        self.compressed = compressed
        self.buffer = b""
        self.pos = 0
        self.produced = 0  # bytes taken from self.stream

    def _fill(self) -> bool:
        try:
            # read1: one step of the gzip layer, so the records before a cut are returned before the EOFError
            data = self.stream.read1(PIECE) if self.compressed else self.stream.read(PIECE)
        except EOFError:
            raise WarcError("truncated", "the gzip data ends inside a member (the file was cut short)") from None
        except (OSError, zlib.error) as exc:  # BadGzipFile is an OSError
            raise WarcError("invalid", f"not valid gzip data ({str(exc)[:120]})") from None
        if not data:
            return False
        self.produced += len(data)
        if self.compressed and self.produced > EXPANSION_FLOOR + MAX_EXPANSION * max(self.raw.tell(), 1):
            raise WarcError(
                "invalid", f"the gzip data expands more than {MAX_EXPANSION} times; a compression bomb is not read"
            )
        self.buffer = self.buffer[self.pos :] + data
        self.pos = 0
        return True

    @property
    def _left(self) -> int:
        return len(self.buffer) - self.pos

    def line(self) -> bytes | None:
        """One line with its end, at most MAX_LINE bytes; None at a clean end of file."""
        while True:
            end = self.buffer.find(b"\n", self.pos, self.pos + MAX_LINE)
            if end >= 0:
                line = self.buffer[self.pos : end + 1]
                self.pos = end + 1
                return line
            if self._left >= MAX_LINE:
                raise WarcError("invalid", f"a header line longer than {MAX_LINE:,} bytes; not a WARC file")
            if not self._fill():
                if self._left:
                    raise WarcError("truncated", "the file ends inside a header line")
                return None

    def read(self, size: int) -> bytes:
        """Exactly `size` bytes (size ≤ MAX_RECORD), or WarcError('truncated')."""
        while self._left < size:
            if not self._fill():
                raise WarcError("truncated", f"the file ends {size - self._left:,} bytes before a record's end")
        data = self.buffer[self.pos : self.pos + size]
        self.pos += size
        return data

    def skip(self, size: int) -> None:
        while size > 0:
            if not self._left and not self._fill():
                raise WarcError("truncated", f"the file ends {size:,} bytes before a record's end")
            taken = min(size, self._left)
            self.pos += taken
            size -= taken


def _headers(source: _Bytes) -> dict[str, str]:
    headers: dict[str, str] = {}
    for _ in range(MAX_HEADERS):
        line = source.line()
        if line is None:
            raise WarcError("truncated", "the file ends inside a record header")
        if line in (b"\r\n", b"\n"):
            return headers
        name, sep, value = line.decode("utf-8", "replace").partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    raise WarcError("invalid", f"a record header of more than {MAX_HEADERS} lines")


def records(raw: BinaryIO, *, compressed: bool) -> Iterator[Page | Skipped | None]:
    """The HTML responses of a WARC file in order, what was skipped, and None for each record passed over
    (requests, metadata, non-HTML); WarcError where reading must stop."""
    source = _Bytes(raw, compressed)
    while True:
        line = source.line()
        while line in (b"\r\n", b"\n"):  # the blank lines that end the record before
            line = source.line()
        if line is None:
            return
        if not line.startswith(b"WARC/"):
            raise WarcError("invalid", f"expected a WARC record, found {line[:40]!r}")
        headers = _headers(source)
        length = headers.get("content-length", "")
        if not length.isdigit():
            raise WarcError("invalid", f"a record without a valid Content-Length ({length[:40]!r})")
        size = int(length)
        url = headers.get("warc-target-uri") or None
        if headers.get("warc-type") != "response" or not headers.get("content-type", "").startswith("application/http"):
            source.skip(size)
            yield None  # passed over: lets a caller know reading goes on
            continue
        if size > MAX_RECORD:
            source.skip(size)
            yield Skipped(url, f"a response of {size:,} bytes, over the {MAX_RECORD:,}-byte limit")
            continue
        yield _response(source.read(size), url)


def _response(block: bytes, url: str | None) -> Page | Skipped | None:
    """The HTML page of an HTTP response block, decoded; None for other content or statuses."""
    head, sep, body = block.partition(b"\r\n\r\n")
    if not sep:
        head, sep, body = block.partition(b"\n\n")
    lines = head.decode("latin-1").splitlines()
    if not lines or not lines[0].startswith("HTTP/"):
        return Skipped(url, "not an HTTP response")
    status = lines[0].split(" ", 2)[1] if len(lines[0].split(" ")) > 1 else ""
    fields: dict[str, str] = {}
    for line in lines[1 : MAX_HEADERS + 1]:
        name, colon, value = line.partition(":")
        if colon:
            fields[name.strip().lower()] = value.strip()
    content_type = fields.get("content-type", "").split(";")[0].strip().lower()
    if not status.startswith("2") or content_type not in HTML_TYPES:
        return None
    try:
        if "chunked" in fields.get("transfer-encoding", "").lower():
            body = _dechunk(body)
        codings = codings_of(fields.get("content-encoding", ""))
        if len(codings) > MAX_CODINGS:
            return Skipped(url, f"{len(codings)} content codings")
        if codings:
            body = Decoder(codings, MAX_BYTES).feed(body)
    except CodingError as exc:
        return Skipped(url, str(exc)[:200])
    except (ValueError, zlib.error, brotli.error) as exc:
        return Skipped(url, f"the body could not be decoded ({str(exc)[:120] or type(exc).__name__})")
    return Page(url, body)


def _dechunk(body: bytes) -> bytes:
    """A chunked transfer coding undone (ValueError when it is not one)."""
    out: list[bytes] = []
    position = 0
    while True:
        end = body.find(b"\r\n", position, position + 1024)
        if end < 0:
            raise ValueError("a chunk size line is missing")
        size = int(body[position:end].split(b";")[0].strip() or b"x", 16)
        if size == 0:
            return b"".join(out)
        start = end + 2
        out.append(body[start : start + size])
        position = start + size + 2
        if position > len(body):
            raise ValueError("a chunk runs past the record")
