"""The one module that opens network connections: fetching pages and feeds safely.

Design after Advocate (reliability-plan.md §2):
- Only http and https, only ports 80, 443, 8080 and 8443, no user-info in URLs, no proxies.
- The host is resolved once; if any address is private, loopback, link-local, multicast,
  reserved or otherwise not public (IPv4 unwrapped from mapped, 6to4, NAT64 and Teredo
  IPv6 addresses and checked too), the host is refused. The connection goes to the
  address that was checked, with the original name kept for TLS (SNI, certificate) and
  the Host header.
- Every redirect (at most 5) is checked the same way.
- One deadline covers the whole fetch (connect, headers, body, redirects), not each read.
- The body is decoded here, with bounded decompressors (gzip, deflate, brotli; at most
  2 codings), so a bomb stops at the size cap however small it is on the wire.
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
import ipaddress
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from rashomon import __version__
from rashomon.errors import RashomonError

USER_AGENT = f"rashomon/{__version__} (+https://github.com/rashomon-news/rashomon)"
CONNECT_TIMEOUT = 10.0
DEADLINE = 30.0
MAX_BYTES = 20_000_000
MAX_REDIRECTS = 5
MAX_CODINGS = 2
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

_DENY_V4 = [
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.88.99.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",
        "240.0.0.0/4",
        "255.255.255.255/32",
    )
]
_DENY_V6 = [
    ipaddress.ip_network(n)
    for n in (
        "::/128",
        "::1/128",
        "::ffff:0:0/96",
        "64:ff9b::/96",
        "64:ff9b:1::/48",
        "100::/64",
        "2001::/23",
        "2001:db8::/32",
        "2002::/16",
        "fc00::/7",
        "fe80::/10",
        "fec0::/10",
        "ff00::/8",
    )
]
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))


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


URL_SAFE = "!#$%&'()*+,/:;=?@[]~"  # RFC 3986 reserved characters and '%' (already-encoded URLs stay as they are)


def iri_to_uri(url: str) -> str:
    """An IRI as an ASCII URI: the host in IDNA, non-ASCII, spaces and controls in path and query percent-encoded.

    http.client refuses anything else (a redirect to `/café` or a feed link with an accent raised
    UnicodeEncodeError); a host that IDNA cannot encode is refused by `check_url`.
    """
    if url.isascii() and not any(c <= " " or c == "\x7f" for c in url):
        return url
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        if not host.isascii():
            try:
                host = host.encode("idna").decode("ascii")
            except UnicodeError:
                return url  # check_url refuses it with a reason
        netloc = host if ":" not in host else f"[{host}]"
        if parts.port is not None:
            netloc += f":{parts.port}"
    except ValueError:
        return url
    return urlunsplit(
        (
            parts.scheme,
            netloc,
            quote(parts.path, safe=URL_SAFE, errors="surrogatepass"),
            quote(parts.query, safe=URL_SAFE, errors="surrogatepass"),
            "",
        )
    )


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


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses wrapped in an IPv6 one: mapped, 6to4, Teredo (both ends), NAT64."""
    found = []
    if address.ipv4_mapped:
        found.append(address.ipv4_mapped)
    if address.sixtofour:
        found.append(address.sixtofour)
    if address.teredo:
        found.extend(address.teredo)
    if any(address in net for net in _NAT64):
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    # IPv4-compatible (deprecated ::a.b.c.d)
    if int(address) >> 32 == 0 and int(address) > 1:
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return found


def denied(address: str, allow: frozenset[str] = frozenset()) -> str | None:
    """Why this address may not be fetched from, or None when it is public (or explicitly allowed)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if str(ip) in allow:
        return None
    if isinstance(ip, ipaddress.IPv6Address):
        for inner in embedded_ipv4(ip):
            reason = denied(str(inner), allow)
            if reason:
                return f"{ip} wraps {inner}, which is {reason}"
        for net in _DENY_V6:
            if ip in net:
                return f"in the reserved range {net}"
    else:
        for net in _DENY_V4:
            if ip in net:
                return f"in the reserved range {net}"
    if not ip.is_global or ip.is_multicast or ip.is_reserved:
        return "not a public address"
    return None


Resolver = Callable[[str, int], list[str]]


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class _Decoder:
    """Content codings undone in order, the output capped at `limit` bytes in total."""

    def __init__(self, codings: list[str], limit: int, url: str, *, cut: bool = False) -> None:
        self.limit = limit
        self.url = url
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
        raise FetchError("encoding", self.url, f"content coding {coding!r} is not supported")

    def feed(self, data: bytes) -> bytes:
        for step in self.steps:
            room = self.limit - self.size + 1
            data = step(data, max(room, 1))
        if self.cut and self.size + len(data) >= self.limit:
            data = data[: self.limit - self.size]
            self.full = True
        self.size += len(data)
        if self.size > self.limit:
            raise FetchError("too_large", self.url, f"larger than {self.limit:,} bytes once decoded; stopped there")
        return data


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
                raise FetchError("timeout", url, f"took longer than {self.deadline:g} s") from None
            raise FetchError("connect", url, f"the connection failed ({_short(exc)})") from None
        codings = [c.strip().lower() for c in headers.get("content-encoding", "").split(",")]
        codings = [c for c in codings if c and c != "identity"]
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
            raise FetchError("timeout", url, f"took longer than {self.deadline:g} s")
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
                raise FetchError("timeout", url, f"took longer than {self.deadline:g} s") from None
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
            decoder = _Decoder(codings, limit, url, cut=cut)
            chunks: list[bytes] = []
            while not decoder.full:
                left = until - self.clock()
                if left <= 0:
                    raise FetchError("timeout", url, f"took longer than {self.deadline:g} s")
                sock.settimeout(left)
                data = response.read1(65536)
                if not data:
                    if watchdog.fired:
                        raise FetchError("timeout", url, f"took longer than {self.deadline:g} s")
                    if response.length:  # http.client counts down Content-Length and stops quietly at EOF
                        raise FetchError(
                            "truncated", url, f"the connection closed {response.length:,} bytes before the body's end"
                        )
                    break
                chunks.append(decoder.feed(data))
            return b"".join(chunks)
        except TimeoutError:
            raise FetchError("timeout", url, f"took longer than {self.deadline:g} s") from None
        except http.client.IncompleteRead as exc:
            if watchdog.fired:
                raise FetchError("timeout", url, f"took longer than {self.deadline:g} s") from None
            raise FetchError("truncated", url, f"the body ended early ({_short(exc)})") from None
        except (zlib.error, brotli.error, http.client.HTTPException, OSError) as exc:
            if watchdog.fired:
                raise FetchError("timeout", url, f"took longer than {self.deadline:g} s") from None
            raise FetchError("encoding", url, f"the body could not be read ({_short(exc)})") from None
        finally:
            watchdog.cancel()
            response.close()
            sock.close()


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
