"""Coverage-guided fuzzing (reliability-plan FUZZ-1) of the byte-level parsers with atheris.

    python tests/fuzz/atheris_targets.py TARGET [libFuzzer flags]    e.g. -max_total_time=60

A typed refusal (InputError, WarcError, a Rejected line, ValueError from the feed parser)
is a rejected input; any other exception is a crash that libFuzzer reports with the input.
`make fuzz` runs every target for a minute; `tests/fuzz/test_atheris.py` a few thousand runs.
"""

from __future__ import annotations

import io
import sys

import atheris

with atheris.instrument_imports(include=["rashomon", "feedparser"]):
    from rashomon.errors import InputError
    from rashomon.ingest.prepare import Rejected, jsonl_record
    from rashomon.ingest.run import feed_urls
    from rashomon.ingest.urls import canonical_url
    from rashomon.ingest.warc import WarcError, records
    from rashomon.ingest.worker import parse_feed_bytes
    from rashomon.read.files import decode
    from rashomon.read.text import parse_text


def decode_text(data: bytes) -> None:
    try:
        parse_text(decode(data, "fuzz", []))
    except InputError:
        pass


def jsonl_line(data: bytes) -> None:
    result = jsonl_record(data, "fuzz:1", {}, 200_000)
    if isinstance(result, Rejected) and result.kind == "error":
        raise RuntimeError(result.message)


def warc(data: bytes) -> None:
    for compressed in (False, True):
        try:
            for _ in records(io.BytesIO(data), compressed=compressed):
                pass
        except WarcError:
            pass


def feed(data: bytes) -> None:
    try:
        parse_feed_bytes(data, None)
    except ValueError:
        pass


def opml(data: bytes) -> None:
    try:
        feed_urls(data, "fuzz.opml")
    except InputError:
        pass


def url(data: bytes) -> None:
    text = data.decode("utf-8", "replace")
    once = canonical_url(text)
    if canonical_url(once) != once:
        raise AssertionError(f"canonical_url is not idempotent on {text!r}")


TARGETS = {f.__name__: f for f in (decode_text, jsonl_line, warc, feed, opml, url)}

_HTTP = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>The council met on Friday.</p>"
SEEDS = {  # small valid inputs, so mutation starts past the first syntax check
    "decode_text": [
        "Title: Talks\nOutlet: Wire\n\nThe “talks” ended.".encode(),
        "caf\u00e9".encode("utf-16"),
        b"caf\xe9 \xe2\x80\x9cq\xe2\x80\x9d",
    ],
    "jsonl_line": [
        b'{"text": "The council met on Friday.", "title": "Council", "url": "https://a.example/1"}',
        b'{"html": "<p>x</p>", "date": "2024-05-01"}',
    ],
    "warc": [
        f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://a.example/\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(_HTTP)}\r\n\r\n".encode()
        + _HTTP
        + b"\r\n\r\n"
    ],
    "feed": [
        b"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title><item><title>A</title>"
        b"<link>https://a.example/1</link><description>&lt;p&gt;Body&lt;/p&gt;</description></item></channel></rss>",
        b"<feed xmlns='http://www.w3.org/2005/Atom'><entry><title>A</title><link href='https://a.example/'/></entry></feed>",
    ],
    "opml": [b"<opml version='2.0'><body><outline text='x' xmlUrl='https://a.example/feed'/></body></opml>"],
    "url": [b"https://www.example.com/a/b/?utm_source=x&id=3#frag", b"http://[::1]:8080/amp/"],
}


def main() -> None:
    """Run one target; a corpus folder of its own (build/fuzz/TARGET) starts from its seeds."""
    from pathlib import Path

    name = sys.argv.pop(1)
    corpus = Path(__file__).resolve().parents[2] / "build" / "fuzz" / name
    if not corpus.is_dir():
        corpus.mkdir(parents=True)
        for n, seed in enumerate(SEEDS[name]):
            (corpus / f"seed-{n}").write_bytes(seed)
    atheris.Setup([*sys.argv, str(corpus)], TARGETS[name])
    atheris.Fuzz()


if __name__ == "__main__":
    main()
