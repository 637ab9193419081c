"""HTTP content codings undone with bounded decompressors: a bomb stops at the size cap however small it is.

Used for fetched bodies (`fetch.py`) and for the HTTP responses inside WARC records (`ingest/warc.py`).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

MAX_CODINGS = 2  # more stacked codings are refused (urllib3 CVE-2025-66418)


def codings_of(header: str) -> list[str]:
    """The codings a Content-Encoding header names, in the order they were applied (identity left out)."""
    codings = [c.strip().lower() for c in header.split(",")]
    return [c for c in codings if c and c != "identity"]


class CodingError(Exception):
    """A body that cannot be decoded within the limits; `kind` is `encoding` or `too_large`."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class Decoder:
    """Content codings undone in order, the output capped at `limit` bytes in total."""

    def __init__(self, codings: list[str], limit: int, *, cut: bool = False) -> None:
        self.limit = limit
        self.size = 0
        self.cut = cut
        self.full = False  # with `cut`: the limit is reached and the rest is ignored
        self.steps: list[Callable[[bytes, int], bytes]] = []
        for coding in reversed(codings):
            self.steps.append(self._step(coding))

    def _step(self, coding: str) -> Callable[[bytes, int], bytes]:
        if coding in ("gzip", "x-gzip"):
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            return lambda data, cap: d.decompress(data, cap)
        if coding == "deflate":
            state: dict[str, object] = {"d": None, "buffer": b""}

            def inflate(data: bytes, cap: int) -> bytes:
                if state["d"] is None:  # zlib-wrapped or raw deflate: decide on the first byte
                    state["d"] = zlib.decompressobj(zlib.MAX_WBITS if data[:1] == b"\x78" else -zlib.MAX_WBITS)
                return state["d"].decompress(data, cap)  # type: ignore[attr-defined]

            return inflate
        if coding == "br":
            import brotli

            b = brotli.Decompressor()
            return lambda data, cap: b.process(data, output_buffer_limit=cap)
        raise CodingError("encoding", f"content coding {coding!r} is not supported")

    def feed(self, data: bytes) -> bytes:
        for step in self.steps:
            room = self.limit - self.size + 1
            data = step(data, max(room, 1))
        if self.cut and self.size + len(data) >= self.limit:
            data = data[: self.limit - self.size]
            self.full = True
        self.size += len(data)
        if self.size > self.limit:
            raise CodingError("too_large", f"larger than {self.limit:,} bytes once decoded; stopped there")
        return data
