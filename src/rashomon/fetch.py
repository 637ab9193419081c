"""The one module that opens network connections: fetching pages and feeds safely.

Design after Advocate (reliability-plan.md §2):
- Only http and https, only ports 80, 443, 8080 and 8443, no user-info in URLs, no proxies.
- The host is resolved once; if any address is private, loopback, link-local, multicast,
  reserved or otherwise not public (IPv4 unwrapped from mapped, 6to4, NAT64 and Teredo
  IPv6 addresses and checked too; the rules are in `addresses.py`), the host is refused.
  IRIs are encoded first (IDNA host, percent-encoded path and query). The connection goes to the
  address that was checked, with the original name kept for TLS (SNI, certificate) and
  the Host header.
- Every redirect (at most 5) is checked the same way.
- One deadline covers the whole fetch (connect, headers, body, redirects), not each read:
  a watchdog shuts the socket down when it passes, whatever the server is sending.
- The body is decoded here, with bounded decompressors (`codings.py`: gzip, deflate, brotli;
  at most 2 codings), so a bomb stops at the size cap however small it is on the wire. A body
  shorter than its Content-Length is `truncated`.
- Content types are checked once the headers arrive.
- TLS failures fail closed; there is no insecure retry.
- The user agent names rashomon; no cookie or Authorization header is ever sent.
- Per host: one request at a time, at least `min_gap` seconds apart, Retry-After honoured.
- robots.txt (RFC 9309, via protego) is obeyed when `obey_robots` is set (feeds, and
  the pages found through them): 4xx means no rules, 5xx or unreachable means disallow.
- Conditional GET: pass `etag` / `last_modified`; a 304 comes back as `not_modified`.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from rashomon import __version__
from rashomon.addresses import denied, embedded_ipv4, iri_to_uri
from rashomon.codings import MAX_CODINGS, CodingError, Decoder, codings_of
from rashomon.errors import RashomonError

__all__ = ["FetchError", "Fetcher", "Response", "denied", "embedded_ipv4", "iri_to_uri"]

USER_AGENT = f"rashomon/{__version__} (+https://github.com/rashomon-news/rashomon)"
CONNECT_TIMEOUT = 10.0
DEADLINE = 30.0
MAX_BYTES = 20_000_000
MAX_REDIRECTS = 5
PORTS = frozenset({80, 443, 8080, 8443})
MIN_GAP = 2.0
ROBOTS_TTL = 24 * 3600.0
ROBOTS_MAX = 512 * 1024  # RFC 9309: parse at least 500 KiB; what lies beyond is ignored
MAX_RETRY_AFTER = 3600.0

ACCEPT = "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.5"
ARTICLE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/feed+json",
)


class FetchError(RashomonError):
    """A fetch that did not give a usable body; `kind` names why (refused, dns, tls, timeout, …)."""

    def __init__(self, kind: str, url: str, message: str) -> None:
        super().__init__(f"{url}: {message}")
        self.kind = kind
        self.url = url


@dataclass
class Response:
    url: str
    status: int
    content_type: str
    charset: str | None
    body: bytes
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    warnings: list[str] = field(default_factory=list)


class _Watchdog:
    """Shuts a socket down when the fetch's deadline passes, whatever http.client is doing with it.

    Socket timeouts bound one read each; a server that trickles header lines, floods
    `100 Continue` or sends endless chunked trailers keeps every read short and the fetch
    alive. The watchdog bounds the whole exchange: at the deadline the socket is shut
    down, the blocked read returns, and the fetch fails as a timeout.
    """

    def __init__(self, seconds: float) -> None:
        self.fired = False
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sock = sock
            if self.fired:
                self._shutdown()

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            self._shutdown()

    def _shutdown(self) -> None:
        if self._sock is not None:
            try:  # the plain socket's shutdown: on a TLS socket it ends the stream under the TLS layer too
                socket.socket.shutdown(self._sock, socket.SHUT_RDWR)
            except OSError:
                pass

    def cancel(self) -> None:
        self._timer.cancel()


Resolver = Callable[[str, int], list[str]]


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass
class _Host:
    next_allowed: float = 0.0
    robots: object | None = None
    robots_at: float = -1e18


class Fetcher:
    """Fetches http(s) URLs under the rules above. One instance per run keeps per-host state."""

    def __init__(
        self,
        *,
        resolver: Resolver = system_resolver,
        allow: frozenset[str] = frozenset(),
        ports: frozenset[int] | None = PORTS,
        deadline: float = DEADLINE,
        connect_timeout: float = CONNECT_TIMEOUT,
        max_bytes: int = MAX_BYTES,
        min_gap: float = MIN_GAP,
        ssl_context: ssl.SSLContext | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.resolver = resolver
        self.allow = allow
        self.ports = ports
        self.deadline = deadline
        self.connect_timeout = connect_timeout
        self.max_bytes = max_bytes
        self.min_gap = min_gap
        self.ssl_context = ssl_context or ssl.create_default_context()
        self.clock = clock
        self.sleep = sleep
        self.hosts: dict[str, _Host] = {}
        self.requests = 0

    # -- checks ----------------------------------------------------------
    def check_url(self, url: str) -> tuple[str, str, int]:
        """(scheme, host, port) of an allowed URL, or FetchError('refused')."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise FetchError("refused", url, f"not a valid URL ({exc})") from None
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise FetchError("refused", url, f"only http and https URLs are fetched, not {scheme or 'no scheme'}")
        if parts.username is not None or parts.password is not None:
            raise FetchError("refused", url, "URLs with a user name or password are refused")
        host = (parts.hostname or "").rstrip(".")
        if not host:
            raise FetchError("refused", url, "the URL has no host")
        port = port or (443 if scheme == "https" else 80)
        if self.ports is not None and port not in self.ports:
            raise FetchError(
                "refused", url, f"port {port} is not allowed (only {', '.join(map(str, sorted(self.ports)))})"
            )
        return scheme, host, port

    def resolve(self, url: str, host: str, port: int) -> str:
        """One resolution; the address to connect to, or FetchError when any address is not public."""
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise FetchError("refused", url, f"the host name {host!r} is not valid") from None
        try:
            addresses = self.resolver(ascii_host, port)
        except (OSError, UnicodeError) as exc:
            raise FetchError("dns", url, f"the host {host} could not be resolved ({exc})") from None
        if not addresses:
            raise FetchError("dns", url, f"the host {host} has no address")
        for address in addresses:
            reason = denied(address, self.allow)
            if reason:
                raise FetchError(
                    "refused", url, f"{host} resolves to {address}, {reason}; private networks are never fetched"
                )
        return addresses[0]

    # -- politeness ------------------------------------------------------
    def _wait_turn(self, host: str, url: str, until: float) -> float:
        """Wait until the host may be asked again; the seconds waited."""
        state = self.hosts.setdefault(host, _Host())
        wait = max(0.0, state.next_allowed - self.clock())
        if wait > MAX_RETRY_AFTER:
            raise FetchError("rate_limited", url, f"{host} asked to wait {wait:.0f} s; try later")
        if wait > 0:
            self.sleep(wait)
        state.next_allowed = self.clock() + self.min_gap
        return wait

    def _retry_after(self, host: str, value: str | None) -> None:
        if not value:
            return
        try:
            seconds = float(value)
        except ValueError:
            from email.utils import parsedate_to_datetime

            try:
                seconds = parsedate_to_datetime(value).timestamp() - time.time()
            except (TypeError, ValueError):
                return
        state = self.hosts.setdefault(host, _Host())
        state.next_allowed = max(state.next_allowed, self.clock() + min(max(seconds, 0.0), MAX_RETRY_AFTER))

    # -- robots ----------------------------------------------------------
    def allowed_by_robots(self, url: str) -> bool:
        from protego import Protego

        scheme, host, _port = self.check_url(url)
        state = self.hosts.setdefault(host, _Host())
        if state.robots is None or self.clock() - state.robots_at > ROBOTS_TTL:
            robots_url = f"{scheme}://{urlsplit(url).netloc}/robots.txt"
            try:
                response = self.get(
                    robots_url,
                    accept=("text/plain", "text/html", ""),
                    max_bytes=ROBOTS_MAX,
                    any_status=True,
                    cut=True,
                )
                if response.status >= 500:
                    rules = Protego.parse("User-agent: *\nDisallow: /")
                elif response.status >= 400:
                    rules = Protego.parse("")
                else:
                    body = response.body
                    if len(body) >= ROBOTS_MAX:  # cut: drop the last, possibly partial, line
                        body = body[: body.rfind(b"\n") + 1]
                    rules = Protego.parse(body.decode("utf-8", "replace"))
            except FetchError as exc:
                if exc.kind in ("refused", "dns", "connect"):
                    raise  # the site itself cannot be reached: say so, not "disallowed"
                rules = Protego.parse("User-agent: *\nDisallow: /")  # RFC 9309: unreachable rules mean disallow
            state.robots, state.robots_at = rules, self.clock()
        return bool(state.robots.can_fetch(url, "rashomon"))  # type: ignore[attr-defined]

    # -- fetching --------------------------------------------------------
    def get(
        self,
        url: str,
        *,
        accept: tuple[str, ...] = ARTICLE_TYPES,
        obey_robots: bool = False,
        etag: str | None = None,
        last_modified: str | None = None,
        max_bytes: int | None = None,
        any_status: bool = False,
        cut: bool = False,
    ) -> Response:
        """GET `url` under every rule above; FetchError with a kind otherwise.

        With `cut`, a body over `max_bytes` is cut there instead of failing (robots.txt).
        """
        url = iri_to_uri(url)
        if obey_robots and not self.allowed_by_robots(url):
            raise FetchError("robots", url, "robots.txt of the site disallows fetching this page")
        until = self.clock() + self.deadline
        warnings: list[str] = []
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            scheme, host, port = self.check_url(current)
            address = self.resolve(current, host, port)
            until += self._wait_turn(host, current, until)  # queueing for the host is not fetch time
            status, headers, body_reader = self._open(current, scheme, host, port, address, until, etag, last_modified)
            if status in (301, 302, 303, 307, 308):
                body_reader(0, False)
                current = self._redirect(current, status, headers.get("location"), obey_robots, warnings)
                continue
            if status in (429, 503):
                self._retry_after(host, headers.get("retry-after"))
            if status == 304:
                body_reader(0, False)
                return Response(current, status, "", None, b"", etag, last_modified, True, warnings)
            if status >= 400 and not any_status:
                body_reader(0, False)
                raise FetchError("http", current, f"the server answered {status}")
            content_type, charset = _content_type(headers.get("content-type", ""))
            if status < 400 and accept and content_type not in accept:
                body_reader(0, False)
                raise FetchError(
                    "content_type", current, f"content type {content_type or 'none'} is not one rashomon reads"
                )
            body = body_reader(max_bytes or self.max_bytes, cut)
            etag, modified = headers.get("etag"), headers.get("last-modified")
            return Response(current, status, content_type, charset, body, etag, modified, False, warnings)
        raise FetchError("redirects", url, f"more than {MAX_REDIRECTS} redirects")

    def _redirect(self, current: str, status: int, location: str | None, obey_robots: bool, warnings: list[str]) -> str:
        """Where a redirect points (checked like any URL on the next hop)."""
        if not location:
            raise FetchError("http", current, f"redirect {status} without a Location header")
        target = iri_to_uri(urljoin(current, location))
        if urlsplit(current).scheme == "https" and urlsplit(target).scheme == "http":
            warnings.append(f"{current}: redirected from https to plain http ({target})")
        if obey_robots and not self.allowed_by_robots(target):
            raise FetchError("robots", target, "robots.txt of the site disallows fetching this page")
        return target

    def _open(
        self,
        url: str,
        scheme: str,
        host: str,
        port: int,
        address: str,
        until: float,
        etag: str | None,
        last_modified: str | None,
    ) -> tuple[int, dict[str, str], Callable[[int, bool], bytes]]:
        """Connect to the checked address, send the GET, read the headers; a reader for the body."""
        watchdog = _Watchdog(until - self.clock())
        try:
            sock = self._connect(url, scheme, host, port, address, until, watchdog)
        except BaseException:
            watchdog.cancel()
            raise
        try:
            conn = http.client.HTTPConnection(host, port)
            conn.sock = sock
            _send_get(conn, url, scheme, host, port, etag, last_modified)
            sock.settimeout(max(0.01, until - self.clock()))
            response = conn.getresponse()
            headers = {k.lower(): v for k, v in response.getheaders()}
            if watchdog.fired:  # the shutdown ends the header block early: what was read is not the answer
                raise TimeoutError
        except (OSError, http.client.HTTPException, UnicodeError) as exc:
            sock.close()
            watchdog.cancel()
            if watchdog.fired or isinstance(exc, TimeoutError):
                raise self._timeout(url) from None
            raise FetchError("connect", url, f"the connection failed ({_short(exc)})") from None
        codings = codings_of(headers.get("content-encoding", ""))
        if len(codings) > MAX_CODINGS:
            sock.close()
            watchdog.cancel()
            raise FetchError("encoding", url, f"{len(codings)} content codings; at most {MAX_CODINGS} are accepted")
        return (
            response.status,
            headers,
            lambda limit, cut=False: self._read(url, sock, response, codings, limit, until, watchdog, cut),
        )

    def _connect(
        self, url: str, scheme: str, host: str, port: int, address: str, until: float, watchdog: _Watchdog
    ) -> socket.socket:
        remaining = until - self.clock()
        if remaining <= 0:
            raise self._timeout(url)
        try:
            sock = socket.create_connection((address, port), timeout=min(self.connect_timeout, remaining))
        except TimeoutError:
            raise FetchError("timeout", url, f"no connection within {self.connect_timeout:g} s") from None
        except OSError as exc:
            raise FetchError("connect", url, f"cannot connect ({exc.strerror or exc})") from None
        self.requests += 1
        watchdog.watch(sock)
        if scheme != "https":
            return sock
        try:
            sock.settimeout(max(0.01, until - self.clock()))
            tls = self.ssl_context.wrap_socket(sock, server_hostname=host, do_handshake_on_connect=False)
            watchdog.watch(tls)  # the TLS socket owns the descriptor now
            tls.do_handshake()
            return tls
        except ssl.SSLError as exc:
            sock.close()
            raise FetchError(
                "tls", url, f"TLS failed ({exc.reason or exc}); not retried without verification"
            ) from None
        except OSError as exc:
            sock.close()
            if watchdog.fired or isinstance(exc, TimeoutError):
                raise self._timeout(url) from None
            raise FetchError("connect", url, f"the connection failed during TLS ({exc})") from None

    def _read(
        self,
        url: str,
        sock: socket.socket,
        response: http.client.HTTPResponse,
        codings: list[str],
        limit: int,
        until: float,
        watchdog: _Watchdog,
        cut: bool = False,
    ) -> bytes:
        """The body, decoded, at most `limit` bytes, within the deadline; the connection closed after.

        A larger body is an error, or with `cut` its first `limit` bytes. A body that ends before
        its Content-Length (or inside a chunk) is `truncated`: what arrived is not the page.
        """
        import brotli

        try:
            if limit <= 0:
                return b""
            decoder = Decoder(codings, limit, cut=cut)
            chunks: list[bytes] = []
            while not decoder.full:
                left = until - self.clock()
                if left <= 0:
                    raise self._timeout(url)
                sock.settimeout(left)
                data = response.read1(65536)
                if not data:
                    if watchdog.fired:
                        raise self._timeout(url)
                    if response.length:  # http.client counts down Content-Length and stops quietly at EOF
                        raise FetchError(
                            "truncated", url, f"the connection closed {response.length:,} bytes before the body's end"
                        )
                    break
                chunks.append(decoder.feed(data))
            return b"".join(chunks)
        except CodingError as exc:
            raise FetchError(exc.kind, url, str(exc)) from None
        except (zlib.error, brotli.error, http.client.HTTPException, OSError) as exc:
            raise self._read_failure(url, exc, watchdog) from None
        finally:
            watchdog.cancel()
            response.close()
            sock.close()

    def _read_failure(self, url: str, exc: Exception, watchdog: _Watchdog) -> FetchError:
        """What a failed body read was: the deadline (the watchdog shut the socket), a cut body, or bad data."""
        if watchdog.fired or isinstance(exc, TimeoutError):
            return self._timeout(url)
        if isinstance(exc, http.client.IncompleteRead):
            return FetchError("truncated", url, f"the body ended early ({_short(exc)})")
        return FetchError("encoding", url, f"the body could not be read ({_short(exc)})")

    def _timeout(self, url: str) -> FetchError:
        return FetchError("timeout", url, f"took longer than {self.deadline:g} s")


def _short(exc: BaseException, limit: int = 200) -> str:
    """An exception's text cut for a failure message (http.client quotes whole lines it rejects)."""
    text = str(exc) or type(exc).__name__
    return text if len(text) <= limit else text[:limit] + "…"


def _send_get(
    conn: http.client.HTTPConnection,
    url: str,
    scheme: str,
    host: str,
    port: int,
    etag: str | None,
    last_modified: str | None,
) -> None:
    """The request line and headers: the original host name, our user agent, no cookies or credentials."""
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    default = 443 if scheme == "https" else 80
    conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
    conn.putheader("Host", host if port == default else f"{host}:{port}")
    conn.putheader("User-Agent", USER_AGENT)
    conn.putheader("Accept-Encoding", "gzip, deflate, br")
    conn.putheader("Accept", ACCEPT)
    conn.putheader("Connection", "close")
    if etag:
        conn.putheader("If-None-Match", etag)
    if last_modified:
        conn.putheader("If-Modified-Since", last_modified)
    conn.endheaders()


def _content_type(value: str) -> tuple[str, str | None]:
    parts = [p.strip() for p in value.split(";")]
    charset = None
    for p in parts[1:]:
        if p.lower().startswith("charset="):
            charset = p.split("=", 1)[1].strip("\"' ") or None
    return parts[0].lower(), charset
