"""Hostile servers on loopback: one deadline bounds the whole fetch, short bodies, IRIs, big robots.txt.

Each server shape below kept a fetch alive far past its deadline before the watchdog
(every single read was quick, so socket timeouts never fired).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from rashomon.fetch import ROBOTS_MAX, FetchError, iri_to_uri
from tests.ingest.servers import Handler, Routes, reply, serve, short_then_whole
from tests.ingest.test_fetch import PAGE, PUBLIC, fetch_failure, fetcher

DEADLINE = 1.5


def _raw(produce: Callable[[Callable[[bytes], None]], None]) -> Handler:
    """A handler that writes raw bytes, slowly, until the client goes away (or 20 s pass)."""

    def handle(h: BaseHTTPRequestHandler) -> None:
        def write(data: bytes) -> None:
            h.wfile.write(data)
            h.wfile.flush()

        try:
            produce(write)
        except OSError:
            pass
        h.close_connection = True

    return handle


def _forever(write: Callable[[bytes], None], data: bytes, gap: float = 0.05) -> None:
    end = time.monotonic() + 20
    while time.monotonic() < end:
        write(data)
        time.sleep(gap)


def trickled_headers(write: Callable[[bytes], None]) -> None:
    write(b"HTTP/1.1 200 OK\r\n")
    for i in range(90):  # under http.client's 100-header limit, each line well within a read timeout
        write(f"X-Slow-{i}: a\r\n".encode())
        time.sleep(0.2)


def continue_flood(write: Callable[[bytes], None]) -> None:
    _forever(write, b"HTTP/1.1 100 Continue\r\n\r\n")


def endless_trailers(write: Callable[[bytes], None]) -> None:
    write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n")
    _forever(write, b"X-Trailer: more\r\n")


def trickled_status_line(write: Callable[[bytes], None]) -> None:
    for byte in b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\n\r\nhello":
        write(bytes([byte]))
        time.sleep(0.1)


@pytest.mark.parametrize(
    "shape", [trickled_headers, continue_flood, endless_trailers, trickled_status_line], ids=lambda f: f.__name__
)
def test_one_deadline_bounds_the_whole_fetch(shape: Callable[[Callable[[bytes], None]], None]) -> None:
    routes = Routes()
    routes.add("/hostile", _raw(shape))
    with serve(routes, PUBLIC) as base:
        start = time.monotonic()
        with pytest.raises(FetchError) as err:
            fetcher(deadline=DEADLINE).get(f"{base}/hostile")
        elapsed = time.monotonic() - start
    assert err.value.kind == "timeout", err.value
    assert elapsed < DEADLINE + 1.0


def test_body_shorter_than_its_content_length_is_truncated_and_stays_fetchable() -> None:
    routes = Routes()
    routes.add("/page", short_then_whole(PAGE))
    with serve(routes, PUBLIC) as base:
        f = fetcher()
        with pytest.raises(FetchError) as err:
            f.get(f"{base}/page")
        assert err.value.kind == "truncated"
        assert f.get(f"{base}/page").body == PAGE


def test_chunked_body_cut_inside_a_chunk_is_truncated() -> None:
    def cut(write: Callable[[bytes], None]) -> None:
        write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n100\r\nonly a few")

    routes = Routes()
    routes.add("/cut", _raw(cut))
    assert fetch_failure(routes, "/cut").kind == "truncated"


def test_redirect_to_a_non_ascii_path_is_encoded_and_followed() -> None:
    routes = Routes()
    routes.add("/start", reply(302, b"", {"Location": "/café?q=naïve café"}))
    routes.add("/caf%C3%A9", reply(200, PAGE))
    with serve(routes, PUBLIC) as base:
        response = fetcher().get(f"{base}/start")
    assert response.body == PAGE
    assert response.url.endswith("/caf%C3%A9?q=na%C3%AFve%20caf%C3%A9")
    assert "/caf%C3%A9?q=na%C3%AFve%20caf%C3%A9" in routes.hits


def test_non_ascii_url_given_directly_is_encoded() -> None:
    routes = Routes()
    routes.add("/%C3%BCber", reply(200, PAGE))
    with serve(routes, PUBLIC) as base:
        assert fetcher().get(f"{base}/über").body == PAGE


@pytest.mark.parametrize(
    "iri, uri",
    [
        ("http://example.com/a b", "http://example.com/a%20b"),
        ("http://bücher.example/x", "http://xn--bcher-kva.example/x"),
        ("https://example.com:8443/ü?x=ü#frag", "https://example.com:8443/%C3%BC?x=%C3%BC"),
        ("http://example.com/already%20encoded", "http://example.com/already%20encoded"),
        ("http://example.com/\x00\r\nHost: evil", "http://example.com/%00Host:%20evil"),
    ],
)
def test_iri_to_uri(iri: str, uri: str) -> None:
    assert iri_to_uri(iri) == uri
    assert iri_to_uri(uri) == uri


def test_robots_over_512_kib_is_read_up_to_the_limit_not_refused() -> None:
    rules = b"User-agent: *\nDisallow: /private\n"
    filler = b"# " + b"x" * 78 + b"\n"
    body = rules + filler * (600 * 1024 // len(filler)) + b"Disallow: /late\n"
    assert len(body) > ROBOTS_MAX
    routes = Routes()
    routes.add("/robots.txt", reply(200, body, {"Content-Type": "text/plain"}))
    routes.add("/page", reply(200, PAGE))
    routes.add("/late", reply(200, PAGE))
    with serve(routes, PUBLIC) as base:
        f = fetcher()
        assert f.get(f"{base}/page", obey_robots=True).body == PAGE
        assert f.get(f"{base}/late", obey_robots=True).body == PAGE  # past 512 KiB: ignored
        with pytest.raises(FetchError) as err:
            f.get(f"{base}/private/x", obey_robots=True)
    assert err.value.kind == "robots"


def test_zstd_and_unknown_codings_are_refused_before_decoding() -> None:
    """FET-7: rashomon asks for gzip, deflate and br only; a zstd body (1 GB once decoded, say) is not decoded.
    (Bombs in the other codings and stacked codings: test_fetch.py.)"""
    routes = Routes()
    routes.add(
        "/z", reply(200, b"\x28\xb5\x2f\xfd" + b"\0" * 1000, {"Content-Type": "text/html", "Content-Encoding": "zstd"})
    )
    err = fetch_failure(routes, "/z")
    assert err.kind == "encoding" and "zstd" in str(err)
    assert "zstd" not in routes.headers[0]["accept-encoding"]


def test_robots_that_times_out_disallows_and_robots_redirects_are_followed() -> None:
    """FET-9: an unanswered robots.txt means disallow (RFC 9309); a redirected one is read where it lands."""

    def stall(h: BaseHTTPRequestHandler) -> None:
        time.sleep(3)

    slow, moved = Routes(), Routes()
    slow.add("/robots.txt", stall)
    slow.add("/page", reply(200, PAGE))
    moved.add("/robots.txt", reply(301, b"", {"Location": "/r1"}))
    for i in range(1, 5):
        moved.add(f"/r{i}", reply(302, b"", {"Location": f"/r{i + 1}"}))
    moved.add("/r5", reply(200, b"User-agent: *\nDisallow: /private\n", {"Content-Type": "text/plain"}))
    moved.add("/page", reply(200, PAGE))
    with serve(slow, PUBLIC) as base:
        with pytest.raises(FetchError) as err:
            fetcher(deadline=1.0).get(f"{base}/page", obey_robots=True)
        assert err.value.kind == "robots" and "/page" not in slow.hits
    with serve(moved, PUBLIC) as base:
        f = fetcher()
        assert f.get(f"{base}/page", obey_robots=True).body == PAGE
        with pytest.raises(FetchError) as err:
            f.get(f"{base}/private/a", obey_robots=True)
        assert err.value.kind == "robots" and "/private/a" not in moved.hits


def test_one_connection_at_a_time_across_hosts() -> None:
    """FET-10: ingest fetches one page at a time, whatever the number of hosts (here 2, 20 pages)."""
    import threading

    from rashomon.ingest import IngestRun
    from rashomon.store import Store

    state = {"now": 0, "most": 0}
    lock = threading.Lock()

    def counted(h: BaseHTTPRequestHandler) -> None:
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
        time.sleep(0.02)
        body = f"<html><body><article><p>Story {h.path} says the council met and voted on the bridge today.</p></article></body></html>"
        reply(200, body.encode())(h)
        with lock:
            state["now"] -= 1

    routes_a, routes_b = Routes(), Routes()
    for i in range(10):
        routes_a.add(f"/a{i}", counted)
        routes_b.add(f"/b{i}", counted)
    import tempfile

    with serve(routes_a, PUBLIC) as a, serve(routes_b, "127.0.0.3") as b, tempfile.TemporaryDirectory() as folder:
        with Store(Path(folder) / "r.db") as store:
            run = IngestRun(store, fetcher=fetcher(allow=frozenset({PUBLIC, "127.0.0.3"})), processes=0)
            try:
                for i in range(10):
                    run.source(f"{a}/a{i}")
                    run.source(f"{b}/b{i}")
            finally:
                run.close()
    assert len(routes_a.hits) + len(routes_b.hits) == 20
    assert state["most"] == 1


def test_cross_host_redirects_carry_no_cookie_or_credentials() -> None:
    """FET-11: a cookie set by one host never reaches the next; every request names rashomon."""
    from rashomon.fetch import USER_AGENT

    first, second = Routes(), Routes()
    with serve(second, "127.0.0.3") as b:
        first.add("/start", reply(302, b"", {"Location": f"{b}/end", "Set-Cookie": "session=secret; Path=/"}))
        second.add("/end", reply(200, PAGE))
        with serve(first, PUBLIC) as a:
            response = fetcher(allow=frozenset({PUBLIC, "127.0.0.3"})).get(f"{a}/start")
    assert response.body == PAGE
    for headers in first.headers + second.headers:
        assert "cookie" not in headers and "authorization" not in headers
        assert headers["user-agent"] == USER_AGENT
