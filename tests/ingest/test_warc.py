"""WARC files from strangers: bombs, cut files, oversized records and encoded bodies, each bounded and typed."""

from __future__ import annotations

import gzip
import io
import resource
import time
import zlib
from pathlib import Path

import pytest

from rashomon.ingest.warc import MAX_LINE, MAX_RECORD, Page, Skipped, WarcError, records
from tests.ingest.test_ingest import BODY, page, run_over


def _record(url: str, http: bytes, kind: str = "response") -> bytes:
    head = (
        f"WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {url}\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n"
    ).encode()
    return head + http + b"\r\n\r\n"


def _http(body: bytes, headers: str = "Content-Type: text/html; charset=utf-8\r\n") -> bytes:
    return f"HTTP/1.1 200 OK\r\n{headers}Content-Length: {len(body)}\r\n\r\n".encode() + body


def _warc(n: int = 3) -> bytes:
    return b"".join(
        _record(f"https://paper.example/{i}", _http(page(f"S{i}", BODY.replace("six", str(i + 6))))) for i in range(n)
    )


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_a_gzip_bomb_of_zeros_stops_at_once_with_a_short_message(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.warc.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as fh:
        for _ in range(200):
            fh.write(b"\0" * (1 << 20))  # 200 MB of zeros, about 200 KB on disk
    assert bomb.stat().st_size < 300_000
    before = _peak_mb()
    start = time.monotonic()
    run = run_over(tmp_path / "r.db", [str(bomb)])
    assert time.monotonic() - start < 10
    assert _peak_mb() - before < 100  # the ingest process never held the "line"
    (failure,) = run.report.failures
    assert failure.kind == "invalid"
    assert len(str(failure)) < 700
    assert f"{MAX_LINE:,}" in failure.message


def test_a_bomb_that_is_valid_warc_stops_at_the_expansion_limit() -> None:
    zeros = b"\0" * (200 << 20)
    head = f"WARC/1.0\r\nWARC-Type: resource\r\nContent-Length: {len(zeros)}\r\n\r\n".encode()
    data = gzip.compress(head + zeros, 9)
    with pytest.raises(WarcError) as err:
        list(records(io.BytesIO(data), compressed=True))
    assert "expands more than" in str(err.value)


def test_records_are_read_with_bounded_lines() -> None:
    with pytest.raises(WarcError) as err:
        list(records(io.BytesIO(b"WARC/1.0\r\nX: " + b"a" * (MAX_LINE + 10)), compressed=False))
    assert err.value.kind == "invalid"
    with pytest.raises(WarcError) as err:
        list(records(io.BytesIO(b"WARC/1.0\r\n" + b"X: a\r\n" * 300 + b"\r\n"), compressed=False))
    assert "more than 256 lines" in str(err.value)


def test_a_truncated_plain_warc_is_a_truncated_failure_after_the_records_before(tmp_path: Path) -> None:
    data = _warc(3)
    cut = tmp_path / "cut.warc"
    cut.write_bytes(data[: len(data) - 200])  # inside the last record's body
    run = run_over(tmp_path / "r.db", [str(cut)])
    assert [f.kind for f in run.report.failures] == ["truncated"]
    assert run.report.added == 2
    whole = tmp_path / "whole.warc"
    whole.write_bytes(data)
    run = run_over(tmp_path / "r2.db", [str(whole)])
    assert run.report.added == 3 and not run.report.failures


def test_a_plain_warc_cut_inside_a_header_is_truncated() -> None:
    data = _warc(2)
    second = data.index(b"WARC/1.0", 10)
    with pytest.raises(WarcError) as err:
        list(records(io.BytesIO(data[: second + 30]), compressed=False))
    assert err.value.kind == "truncated"


def test_an_oversized_record_is_skipped_without_being_held(tmp_path: Path) -> None:
    big = _record("https://big.example/", _http(b"<p>" + b"x" * (MAX_RECORD + 10) + b"</p>"))
    items = [i for i in records(io.BytesIO(big + _warc(1)), compressed=False) if i is not None]
    assert isinstance(items[0], Skipped) and "over the" in items[0].reason
    assert isinstance(items[1], Page) and items[1].url == "https://paper.example/0"


def test_chunked_and_gzipped_http_bodies_are_decoded() -> None:
    html = page("Chunked", BODY)
    gz = gzip.compress(html)
    chunked = b"".join(f"{len(part):x}\r\n".encode() + part + b"\r\n" for part in (gz[:100], gz[100:])) + b"0\r\n\r\n"
    http = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n"
        + chunked
    )
    (item,) = records(io.BytesIO(_record("https://c.example/", http)), compressed=False)  # type: ignore[misc]
    assert isinstance(item, Page) and item.html == html


def test_a_deflate_bomb_inside_a_record_stops_at_the_page_cap() -> None:
    bomb = zlib.compress(b"a" * (60 << 20), 9)
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: deflate\r\n\r\n" + bomb
    (item,) = records(io.BytesIO(_record("https://d.example/", http)), compressed=False)
    assert isinstance(item, Skipped) and "larger than" in item.reason


def test_non_html_and_non_response_records_are_passed_over() -> None:
    other = _record("https://i.example/x.png", _http(b"\x89PNG....", "Content-Type: image/png\r\n"))
    request = _record("https://r.example/", b"GET / HTTP/1.1\r\n\r\n", kind="request")
    items = list(records(io.BytesIO(other + request + _warc(1)), compressed=False))
    assert [type(i) for i in items] == [type(None), type(None), Page]


def test_random_bytes_are_invalid_not_a_crash(tmp_path: Path) -> None:
    junk = tmp_path / "junk.warc"
    junk.write_bytes(bytes(range(256)) * 100)
    run = run_over(tmp_path / "r.db", [str(junk)])
    assert [f.kind for f in run.report.failures] == ["invalid"]


def test_the_reader_sends_heartbeats_through_long_runs_of_passed_over_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file of many image records yields no page for a long time: the reading worker says it is alive
    (here on a clock that moves a second a look), so the parent's wall-clock limit between items does not
    end a healthy file; the page after them still arrives."""
    from rashomon.ingest import worker

    image = _record("https://i.example/big.png", _http(b"\x89PNG" + bytes(1000), "Content-Type: image/png\r\n"))
    path = tmp_path / "images.warc"
    path.write_bytes(image * 40 + _warc(1))
    ticks = iter(range(1_000_000))
    monkeypatch.setattr(worker.time, "monotonic", lambda: float(next(ticks)))
    items = list(worker.read_warc(str(path)))
    monkeypatch.undo()
    assert sum("heartbeat" in i for i in items) >= 10
    assert items[-1]["url"] == "https://paper.example/0" and items[-1]["html"]
