"""The fetcher against real servers on loopback; the deny list proven with a stub resolver.

127.0.0.2 plays a public host (allowed through the test-only `allow` set);
127.0.0.1 plays an internal one, whose hit count must stay 0.
"""

from __future__ import annotations

import gzip
import socket
import zlib

import brotli
import pytest

from rashomon.fetch import MAX_REDIRECTS, USER_AGENT, Fetcher, FetchError, denied
from tests.ingest.servers import Routes, reply, serve, trickle

PUBLIC = "127.0.0.2"
PAGE = (
    b"<html><head><title>T</title></head><body><article><p>Hello world, this is an article.</p></article></body></html>"
)


def fetcher(**kw) -> Fetcher:
    kw.setdefault("allow", frozenset({PUBLIC}))
    kw.setdefault("ports", None)
    kw.setdefault("min_gap", 0.0)
    return Fetcher(**kw)


def fetch_failure(routes: Routes, path: str, **kw) -> FetchError:
    """The FetchError a fetch of `path` from a loopback server of `routes` ends in (it must end in one)."""
    with serve(routes, PUBLIC) as base:
        with pytest.raises(FetchError) as err:
            fetcher(**kw).get(f"{base}{path}")
    return err.value


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "192.0.0.8",
        "192.88.99.1",
        "198.18.0.1",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "64:ff9b::7f00:1",
        "64:ff9b:1::a00:1",
        "2002:7f00:1::",
        "2002:a00:1::",
        "2001:0:4136:e378:8000:63bf:80ff:fffe",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::127.0.0.1",
        "2001:db8::1",
    ],
)
def test_deny_list_refuses_every_internal_form(address: str) -> None:
    assert denied(address) is not None


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", "8.8.8.8"])
def test_public_addresses_pass(address: str) -> None:
    assert denied(address) is None


@pytest.mark.parametrize(
    "url",
    [
        "http://127.1/",
        "http://2130706433/",
        "http://0x7f.1/",
        "http://0177.0.0.1/",
        "http://localhost./",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[64:ff9b::7f00:1]/",
        "http://0.0.0.0/",
    ],
)
def test_numeric_and_local_host_forms_refused_before_connecting(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    connects: list[object] = []
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: connects.append(a))
    with pytest.raises(FetchError) as err:
        Fetcher(ports=None).get(url)
    assert err.value.kind == "refused" and connects == []


@pytest.mark.parametrize(
    "url, reason",
    [
        ("file:///etc/hostname", "only http"),
        ("gopher://x/", "only http"),
        ("ftp://x/", "only http"),
        ("http://a@example.com/", "user name"),
        ("http://example.com:22/", "port 22"),
        ("http://example.com:6379/", "port 6379"),
    ],
)
def test_schemes_userinfo_and_ports_refused(url: str, reason: str) -> None:
    with pytest.raises(FetchError, match=reason) as err:
        Fetcher().get(url)
    assert err.value.kind == "refused"


def test_stub_resolver_with_any_internal_record_refuses_the_host() -> None:
    routes = Routes()
    routes.add("/", reply(200, PAGE))
    with serve(routes, "127.0.0.1") as base:
        port = int(base.rsplit(":", 1)[1])
        f = fetcher(resolver=lambda host, p: ["93.184.215.14", "127.0.0.1"])
        with pytest.raises(FetchError, match=r"127\.0\.0\.1") as err:
            f.get(f"http://news.example:{port}/")
        assert err.value.kind == "refused"
    assert routes.hits == []


def test_connects_only_to_the_checked_address() -> None:
    """DNS rebinding: the resolver is asked once per hop, and the socket goes to that answer."""
    answers = iter([[PUBLIC], ["127.0.0.1"]])
    routes = Routes()
    routes.add("/", reply(200, PAGE))
    with serve(routes, PUBLIC) as base:
        port = int(base.rsplit(":", 1)[1])
        f = fetcher(resolver=lambda host, p: next(answers))
        response = f.get(f"http://news.example:{port}/")
        assert response.body == PAGE
        assert routes.headers[0]["host"] == f"news.example:{port}"
        assert routes.headers[0]["user-agent"] == USER_AGENT
        assert "cookie" not in routes.headers[0] and "authorization" not in routes.headers[0]


def test_redirect_to_internal_server_is_refused_and_never_reached() -> None:
    internal, public = Routes(), Routes()
    internal.add("/secret", reply(200, b"secret"))
    with serve(internal, "127.0.0.1") as inside, serve(public, PUBLIC) as outside:
        for target in (
            f"{inside}/secret",
            f"http://[::ffff:127.0.0.1]:{inside.rsplit(':', 1)[1]}/secret",
            f"http://localhost:{inside.rsplit(':', 1)[1]}/secret",
            "file:///etc/hostname",
        ):
            public.add("/go", reply(302, b"", {"Location": target}))
            with pytest.raises(FetchError) as err:
                fetcher().get(f"{outside}/go")
            assert err.value.kind == "refused"
    assert internal.hits == []


def test_redirect_loop_stops_after_five_hops() -> None:
    routes = Routes()
    routes.add("/loop", reply(302, b"", {"Location": "/loop"}))
    assert fetch_failure(routes, "/loop").kind == "redirects"
    assert len(routes.hits) == MAX_REDIRECTS + 1


def test_overall_deadline_stops_a_trickling_server() -> None:
    routes = Routes()
    routes.add("/slow", trickle(10))
    with serve(routes, PUBLIC) as base:
        import time

        start = time.monotonic()
        with pytest.raises(FetchError) as err:
            fetcher(deadline=1.5).get(f"{base}/slow")
        elapsed = time.monotonic() - start
    assert err.value.kind == "timeout"
    assert 1.4 <= elapsed < 3.0


def _bomb(coding: str, size: int) -> bytes:
    raw = b"\0" * size
    if coding == "br":
        return brotli.compress(raw, quality=11)
    if coding == "gzip":
        return gzip.compress(raw, 9)
    return zlib.compress(raw, 9)


@pytest.mark.parametrize("coding", ["br", "gzip", "deflate"])
def test_decompression_bombs_stop_at_the_cap(coding: str) -> None:
    body = _bomb(coding, 200_000_000)
    if coding == "br":
        assert len(body) < 2000  # a brotli bomb of ~1.7 KB per 1 GiB class
    routes = Routes()
    routes.add("/bomb", reply(200, body, {"Content-Type": "text/html", "Content-Encoding": coding}))
    assert fetch_failure(routes, "/bomb", max_bytes=1_000_000).kind == "too_large"


def test_small_compressed_pages_decode() -> None:
    routes = Routes()
    routes.add("/br", reply(200, brotli.compress(PAGE), {"Content-Type": "text/html", "Content-Encoding": "br"}))
    routes.add("/gz", reply(200, gzip.compress(PAGE), {"Content-Type": "text/html", "Content-Encoding": "gzip"}))
    with serve(routes, PUBLIC) as base:
        assert fetcher().get(f"{base}/br").body == PAGE
        assert fetcher().get(f"{base}/gz").body == PAGE


def test_too_many_codings_refused() -> None:
    body = PAGE
    for _ in range(3):
        body = gzip.compress(body)
    routes = Routes()
    routes.add("/x", reply(200, body, {"Content-Type": "text/html", "Content-Encoding": "gzip, gzip, gzip"}))
    assert fetch_failure(routes, "/x").kind == "encoding"


def test_oversized_plain_body_stops_at_the_cap() -> None:
    routes = Routes()
    routes.add("/big", reply(200, b"a" * 3_000_000))
    assert fetch_failure(routes, "/big", max_bytes=1_000_000).kind == "too_large"


def test_content_type_checked_after_headers() -> None:
    routes = Routes()
    routes.add("/video", reply(200, b"\0" * 1000, {"Content-Type": "video/mp4"}))
    assert fetch_failure(routes, "/video").kind == "content_type"


def test_http_errors_are_typed() -> None:
    with serve(Routes(), PUBLIC) as base:
        with pytest.raises(FetchError) as err:
            fetcher().get(f"{base}/missing")
    assert err.value.kind == "http" and "404" in str(err.value)


def test_tls_failure_fails_closed() -> None:
    import ssl
    import threading

    import trustme

    ca = trustme.CA()
    cert = ca.issue_cert("other.example")  # wrong host name for the URL below
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(server_ctx)
    listener = socket.socket()
    listener.bind((PUBLIC, 0))
    listener.listen(1)
    port = listener.getsockname()[1]

    def accept() -> None:
        conn, _ = listener.accept()
        try:
            server_ctx.wrap_socket(conn, server_side=True).close()
        except (ssl.SSLError, OSError):
            conn.close()

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    client_ctx = ssl.create_default_context()
    ca.configure_trust(client_ctx)
    f = fetcher(ssl_context=client_ctx, resolver=lambda h, p: [PUBLIC])
    with pytest.raises(FetchError) as err:
        f.get(f"https://news.example:{port}/")
    assert err.value.kind == "tls"
    listener.close()


def test_politeness_gap_and_retry_after_with_a_fake_clock() -> None:
    now = [1000.0]
    sleeps: list[float] = []

    def sleep(s: float) -> None:
        sleeps.append(s)
        now[0] += s

    routes = Routes()
    routes.add("/a", reply(200, PAGE))
    routes.add("/busy", reply(429, b"", {"Retry-After": "120", "Content-Type": "text/html"}))
    with serve(routes, PUBLIC) as base:
        f = fetcher(min_gap=2.0, clock=lambda: now[0], sleep=sleep)
        f.get(f"{base}/a")
        f.get(f"{base}/a")
        assert sleeps == [2.0]
        with pytest.raises(FetchError):
            f.get(f"{base}/busy")
        f.get(f"{base}/a")
        assert sleeps[-1] == pytest.approx(120.0)


def test_conditional_get_returns_not_modified() -> None:
    routes = Routes()

    def handle(h) -> None:
        if h.headers.get("If-None-Match") == '"v1"':
            reply(304, b"", {"ETag": '"v1"'})(h)
        else:
            reply(200, b"<rss></rss>", {"Content-Type": "application/rss+xml", "ETag": '"v1"'})(h)

    routes.add("/feed", handle)
    with serve(routes, PUBLIC) as base:
        first = fetcher().get(f"{base}/feed", accept=("application/rss+xml",))
        assert first.etag == '"v1"'
        second = fetcher().get(f"{base}/feed", accept=("application/rss+xml",), etag=first.etag)
        assert second.not_modified and second.body == b""


@pytest.mark.parametrize("status, allowed", [(404, True), (503, False)])
def test_robots_txt_statuses(status: int, allowed: bool) -> None:
    routes = Routes()
    routes.add("/robots.txt", reply(status, b"", {"Content-Type": "text/plain"}))
    routes.add("/page", reply(200, PAGE))
    with serve(routes, PUBLIC) as base:
        f = fetcher()
        if allowed:
            assert f.get(f"{base}/page", obey_robots=True).body == PAGE
        else:
            with pytest.raises(FetchError) as err:
                f.get(f"{base}/page", obey_robots=True)
            assert err.value.kind == "robots"


def test_robots_disallow_means_no_request() -> None:
    routes = Routes()
    routes.add("/robots.txt", reply(200, b"User-agent: *\nDisallow: /private\n", {"Content-Type": "text/plain"}))
    routes.add("/private/x", reply(200, PAGE))
    with serve(routes, PUBLIC) as base:
        with pytest.raises(FetchError) as err:
            fetcher().get(f"{base}/private/x", obey_robots=True)
    assert err.value.kind == "robots"
    assert "/private/x" not in routes.hits
